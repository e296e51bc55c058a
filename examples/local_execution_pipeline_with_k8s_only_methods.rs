//! kfp's `local_execution/local_execution_pipeline_with_k8s_only_methods`
//! golden: an accelerator, a CPU and a memory limit on a task, which only
//! a cluster applies.

use kfp_dsl::prelude::*;

// kfp's component has no docstring, so no description.
#[component]
fn echo(message: String) -> String {
    message
}

#[pipeline(name = "pipeline-with-k8s-only-methods")]
pub fn pipeline_with_k8s_only_methods(#[kfp(default = "hello")] message: String) -> String {
    echo(message)
        .set_accelerator_type("nvidia.com/gpu")
        .set_accelerator_limit("1")
        .set_cpu_limit("1000m")
        .set_memory_limit("256Mi")
        .output()
}

fn main() -> std::process::ExitCode {
    kfp_dsl::main!(pipeline_with_k8s_only_methods)
}
