//! kfp's `pipeline_with_task_final_status` golden: the exit task of an
//! exit handler reads how the group ended (a `PipelineTaskFinalStatus`
//! input, which the compiler sets).

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

// Reports how the group ended.
#[component]
fn exit_op(user_input: String, status: PipelineTaskFinalStatus) {
    println!("User input: {user_input}");
    println!("Pipeline status: {}", status.state);
    println!("Job resource name: {}", status.pipeline_job_resource_name);
    println!("Pipeline task name: {}", status.pipeline_task_name);
    if let Some(error) = &status.error {
        println!("Error code: {}", error.code);
        println!("Error message: {}", error.message);
    }
}

#[pipeline(name = "pipeline-with-task-final-status")]
pub fn my_pipeline(#[kfp(default = "Hello World!")] message: String) {
    let exit_task = exit_op(message);
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
