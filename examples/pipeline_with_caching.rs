//! kfp's `local_execution/pipeline_with_caching` golden: one cached task
//! whose output is the pipeline's.

use kfp_dsl::prelude::*;

// kfp's component has no docstring, so no description.
#[component]
fn add_one(x: i64) -> i64 {
    x + 1
}

#[pipeline(name = "pipeline-with-caching")]
pub fn pipeline_with_caching(#[kfp(default = 1)] x: i64) -> i64 {
    add_one(x).set_caching_options(true).output()
}

fn main() -> std::process::ExitCode {
    kfp_dsl::main!(pipeline_with_caching)
}
