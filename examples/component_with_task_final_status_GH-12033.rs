//! kfp's `component_with_task_final_status_GH-12033` golden: a component
//! with a task-final-status input, compiled on its own (kfp issue 12033).

use kfp_dsl::prelude::*;

// kfp's component has no docstring, so no description.
#[component]
pub fn exit_comp(status: PipelineTaskFinalStatus) {
    println!("{status:?}");
}

fn main() -> std::process::ExitCode {
    kfp_dsl::main!(exit_comp)
}
