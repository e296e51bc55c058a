//! kfp's `nested_parallel_for_secret` golden: a task inside a loop reads a
//! secret into an environment variable, the secret named by the output of
//! a task outside the loop.

use kfp_dsl::kubernetes::KubernetesSettings;
use kfp_dsl::prelude::*;

/// Emits the secret name dynamically.
#[component]
fn emit_secret_name() -> String {
    "test-secret-1".to_owned()
}

#[component]
fn worker_component(item: String) -> String {
    let secret = std::env::var("MY_SECRET_KEY").unwrap_or_else(|_| "not-set".to_owned());
    println!("Item: {item}, Secret set: {}", secret != "not-set");
    secret
}

#[pipeline(
    name = "pipeline-4-nested-parallel-for-secret",
    description = "Pipeline with outer task output used as secret name inside ParallelFor."
)]
pub fn pipeline() {
    let secret_name = emit_secret_name().output();
    ParallelFor::new(["x", "y"]).parallelism(1).run(|item| {
        worker_component(item).use_secret_as_env(secret_name, [("username", "MY_SECRET_KEY")]);
    });
}

fn main() -> std::process::ExitCode {
    kfp_dsl::main!(pipeline)
}
