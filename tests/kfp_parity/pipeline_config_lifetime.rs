//! `pipeline_config_lifetime.py` in Rust: a pipeline config with resource
//! TTLs and a deadline, of which kfp writes those above zero.

use kfp_dsl::prelude::*;

#[component]
pub fn hello(name: String) -> String {
    format!("hello {name}")
}

#[pipeline(
    name = "pipeline-config-lifetime",
    pipeline_config = PipelineConfig::new()
        .ttl_seconds_after_finished(3600)
        .ttl_seconds_after_success(0)
        .ttl_seconds_after_failure(86400)
        .active_deadline_seconds(600),
)]
pub fn pipeline_config_lifetime(#[kfp(default = "world")] name: String) {
    hello(name);
}
