//! kfp's `local_execution/local_execution_pipeline_with_retry` golden: a
//! task that fails on its first attempt and succeeds when retried
//! (`set_retry_policy`, no backoff), its output the pipeline's.

use kfp_dsl::prelude::*;

// kfp's component has no docstring, so no description. It counts its
// attempts in the file `counter_path`.
#[component]
fn flaky(counter_path: String) -> Result<String, String> {
    let count = std::fs::read_to_string(&counter_path)
        .ok()
        .and_then(|text| text.trim().parse::<u32>().ok())
        .unwrap_or(0)
        + 1;
    std::fs::write(&counter_path, count.to_string()).map_err(|e| e.to_string())?;
    if count <= 1 {
        return Err(format!("flaky attempt {count}"));
    }
    Ok(format!("attempt={count}"))
}

#[pipeline(name = "pipeline-with-retry")]
pub fn pipeline_with_retry(counter_path: String) -> String {
    flaky(counter_path)
        .set_retry_policy(RetryPolicy {
            max_retry_count: 3,
            backoff_duration: Some("0s".into()),
            backoff_factor: Some(1.0),
            backoff_max_duration: Some("3600s".into()),
        })
        .output()
}

fn main() -> std::process::ExitCode {
    kfp_dsl::main!(pipeline_with_retry)
}
