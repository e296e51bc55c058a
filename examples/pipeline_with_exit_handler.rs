//! kfp's `pipeline_with_exit_handler` golden: a task that runs when the
//! tasks of a group have ended, even when one of them fails (kfp's
//! `dsl.ExitHandler`).

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

#[pipeline(name = "pipeline-with-exit-handler")]
pub fn my_pipeline(#[kfp(default = "Hello World!")] message: String) {
    let exit_task = print_op("Exit handler has worked!");
    exit_handler(&exit_task, || {
        print_op(message);
        fail_op("Task failed.");
    });
}

fn main() -> std::process::ExitCode {
    kfp_dsl::main!(my_pipeline)
}
