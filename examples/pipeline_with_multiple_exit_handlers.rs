//! kfp's `pipeline_with_multiple_exit_handlers` golden: three groups, each
//! with its own exit task.

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

#[pipeline(name = "pipeline-with-multiple-exit-handlers")]
pub fn my_pipeline(#[kfp(default = "Hello World!")] message: String) {
    let first = print_op("First exit handler has worked!");
    exit_handler(&first, || {
        print_op(message);
        fail_op("Task failed.");
    });

    let second = print_op("Second exit handler has worked!");
    exit_handler(&second, || {
        print_op(message);
    });

    let third = print_op("Third exit handler has worked!");
    exit_handler(&third, || {
        print_op(message);
    });
}

fn main() -> std::process::ExitCode {
    kfp_dsl::main!(my_pipeline)
}
