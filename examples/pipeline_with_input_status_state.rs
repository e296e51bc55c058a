//! kfp's `pipeline_with_input_status_state` golden: an exit task reads the
//! final status of the exit handler's group.

use kfp_dsl::prelude::*;

#[component]
fn echo_state(status: PipelineTaskFinalStatus) {
    assert_eq!(status.state, "COMPLETE");
    assert!(
        status
            .pipeline_job_resource_name
            .contains("status-state-pipeline")
    );
    assert_eq!(status.pipeline_task_name, "exit-handler-1");
}

#[component]
fn some_task() {
    println!("Executing some_task()...");
}

#[pipeline(name = "status-state-pipeline")]
pub fn status_state_pipeline() {
    let echo_state_task = echo_state();
    exit_handler(&echo_state_task, || {
        some_task();
    });
}

fn main() -> std::process::ExitCode {
    kfp_dsl::main!(status_state_pipeline)
}
