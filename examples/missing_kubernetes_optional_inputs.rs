//! kfp's `missing_kubernetes_optional_inputs` golden: Kubernetes settings
//! read at run time from optional pipeline inputs (node affinity, node
//! selector and tolerations as JSON; secrets, config maps and an image pull
//! secret by name). A setting whose input is left unset is skipped by the
//! KFP driver.

use kfp_dsl::kubernetes::{KubernetesSettings, optional};
use kfp_dsl::prelude::*;
use serde_json::{Map, Value};

#[component]
fn log_message(message: String) {
    println!("{message}");
}

#[pipeline]
pub fn missing_kubernetes_optional_inputs_pipeline(
    optional_affinity: Option<Map<String, Value>>,
    optional_selector: Option<Map<String, Value>>,
    optional_secret_name: Option<String>,
    optional_config_map_name: Option<String>,
    optional_image_pull_secret_name: Option<String>,
    optional_tolerations: Option<Vec<Map<String, Value>>>,
) {
    log_message("baseline task")
        .set_caching_options(false)
        .add_node_affinity_json(optional_affinity)
        .add_node_selector_json(optional_selector)
        .use_secret_as_env(optional(optional_secret_name), [("password", "PASSWORD")])
        .use_secret_as_volume(optional(optional_secret_name), "/mnt/secret")
        .use_config_map_as_env(optional(optional_config_map_name), [("setting", "SETTING")])
        .use_config_map_as_volume(optional(optional_config_map_name), "/mnt/config")
        .set_image_pull_secrets([optional_image_pull_secret_name])
        .add_toleration_json(optional_tolerations);
}

fn main() -> std::process::ExitCode {
    kfp_dsl::main!(missing_kubernetes_optional_inputs_pipeline)
}
