//! kfp's `pipeline_with_retry` golden: a retry policy on a task.

use kfp_dsl::prelude::*;

#[component]
fn add(a: f64, b: f64) -> f64 {
    a + b
}

#[pipeline(name = "test-pipeline")]
pub fn pipeline_with_retry(#[kfp(default = 1.0)] a: f64, #[kfp(default = 7.0)] b: f64) {
    add(a, b).set_retry_policy(RetryPolicy {
        max_retry_count: 3,
        backoff_duration: Some("0s".into()),
        backoff_factor: Some(2.0),
        backoff_max_duration: Some("3600s".into()),
    });
}

fn main() -> std::process::ExitCode {
    kfp_dsl::main!(pipeline_with_retry)
}
