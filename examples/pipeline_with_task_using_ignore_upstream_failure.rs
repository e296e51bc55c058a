//! kfp's `pipeline_with_task_using_ignore_upstream_failure` golden: a task
//! that runs once its upstream task has finished, even if it failed
//! (kfp's `ignore_upstream_failure`, trigger strategy
//! `ALL_UPSTREAM_TASKS_COMPLETED`).

use kfp_dsl::prelude::*;

/// Fails (its `String` output is never written).
#[component]
fn fail_op(message: String) -> Result<String, String> {
    println!("{message}");
    Err(message)
}

/// Prints a message.
#[component]
fn print_op(#[kfp(default = "default")] message: String) {
    println!("{message}");
}

#[pipeline(name = "my-pipeline")]
pub fn my_pipeline(#[kfp(default = "message")] sample_input: String) {
    let failed = fail_op(sample_input);
    print_op()
        .message(failed.output())
        .ignore_upstream_failure();
}

fn main() -> std::process::ExitCode {
    kfp_dsl::main!(my_pipeline)
}
