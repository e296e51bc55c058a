//! kfp's `local_execution/local_execution_pipeline_with_ignore_upstream_failure`
//! golden: a cleanup task that runs after a task that always fails
//! (`.after(..)` and `.ignore_upstream_failure()`).

use kfp_dsl::prelude::*;

// kfp's components have no docstrings, so no descriptions.
#[component]
fn fail_always() -> Result<String, String> {
    Err("upstream failed intentionally".to_owned())
}

#[component]
fn write_marker(marker_path: String) -> Result<String, String> {
    std::fs::write(&marker_path, "cleanup_ran").map_err(|e| e.to_string())?;
    Ok("cleanup_ran".to_owned())
}

#[pipeline(name = "pipeline-with-ignore-upstream-failure")]
pub fn pipeline_with_ignore_upstream_failure(marker_path: String) {
    let failed = fail_always();
    write_marker(marker_path)
        .after(&failed)
        .ignore_upstream_failure();
}

fn main() -> std::process::ExitCode {
    kfp_dsl::main!(pipeline_with_ignore_upstream_failure)
}
