//! kfp's `parallel_for_secret` golden: a task inside a loop (one iteration
//! at a time) reads a secret into an environment variable, the secret named
//! by a pipeline input that reaches the loop as a `pipelinechannel--` input.

use kfp_dsl::kubernetes::KubernetesSettings;
use kfp_dsl::prelude::*;

#[component]
fn example_component(item: String) -> String {
    let secret = std::env::var("MY_SECRET_KEY").unwrap_or_else(|_| "not-set".to_owned());
    println!("Item: {item}, Secret set: {}", secret != "not-set");
    secret
}

#[pipeline(
    name = "pipeline-2-parallel-for-secret",
    description = "Pipeline with 1 component inside ParallelFor using use_secret_as_env."
)]
pub fn pipeline(#[kfp(default = "test-secret-1")] my_secret_name: String) {
    ParallelFor::new(["a", "b", "c"])
        .parallelism(1)
        .run(|item| {
            example_component(item)
                .use_secret_as_env(my_secret_name, [("username", "MY_SECRET_KEY")]);
        });
}

fn main() -> std::process::ExitCode {
    kfp_dsl::main!(pipeline)
}
