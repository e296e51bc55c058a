//! kfp's `pipeline_as_exit_task` golden: the exit task of an exit handler
//! is a pipeline; it receives how the group ended as an input and hands it
//! to a component that reads it as a JSON object.

use kfp_dsl::prelude::*;

// Prints a message.
#[component]
fn print_op(message: String) {
    println!("{message}");
}

// Prints a message and fails.
#[component]
fn fail_op(message: String) -> Result<(), String> {
    println!("{message}");
    Err(message)
}

// The state of a task's final status, read as a JSON object.
#[component]
fn get_run_state(status: serde_json::Map<String, serde_json::Value>) -> String {
    println!("Pipeline status: {status:?}");
    status
        .get("state")
        .and_then(serde_json::Value::as_str)
        .unwrap_or_default()
        .to_owned()
}

// Notifies when the run failed.
#[pipeline(name = "conditional-notification")]
fn exit_op(status: PipelineTaskFinalStatus) {
    let state = get_run_state(status).output();
    condition(state.eq("FAILED"), || {
        print_op("notify task failure.");
    });
}

#[pipeline(name = "pipeline-with-task-final-status-conditional")]
pub fn my_pipeline(#[kfp(default = "Hello World!")] message: String) {
    let exit_task = exit_op();
    ExitHandler::new(&exit_task)
        .display_name("my-pipeline")
        .run(|| {
            print_op(message);
            fail_op("Task failed.");
        });
}

fn main() -> std::process::ExitCode {
    kfp_dsl::main!(my_pipeline)
}
