//! kfp's `local_execution/local_execution_pipeline_with_exit_handler`
//! golden: a task inside an exit handler whose exit task reads how it
//! ended (`PipelineTaskFinalStatus`).

use kfp_dsl::prelude::*;

// kfp's components have no docstrings, so no descriptions.
#[component]
fn echo(message: String) -> String {
    message
}

#[component]
fn record_exit(status: PipelineTaskFinalStatus) -> String {
    format!("exit:{}", status.state)
}

/// Runs `echo` inside an ExitHandler.
/// On success the exit task receives a PipelineTaskFinalStatus with
/// state='SUCCEEDED'. No pipeline output — KFP's compiler rejects
/// returning a value from inside an ExitHandler.
#[pipeline(name = "pipeline-with-exit-handler")]
pub fn pipeline_with_exit_handler(#[kfp(default = "hello")] message: String) {
    let exit_task = record_exit();
    exit_handler(&exit_task, || {
        echo(message);
    });
}

fn main() -> std::process::ExitCode {
    kfp_dsl::main!(pipeline_with_exit_handler)
}
