//! kfp's `pipeline_in_pipeline` golden: a pipeline called as a task of
//! another pipeline (its components are merged in, renamed `-2` on clash).

use kfp_dsl::prelude::*;

#[component]
fn print_op1(msg: String) -> String {
    println!("{msg}");
    msg
}

#[container_component]
fn print_op2(msg: String) -> ContainerSpec {
    ContainerSpec::new("alpine").command(("echo", msg))
}

#[pipeline]
fn inner_pipeline(msg: String) {
    let task = print_op1(msg);
    print_op2(task.output());
}

#[pipeline(name = "pipeline-in-pipeline")]
pub fn my_pipeline() {
    print_op1("Hello");
    inner_pipeline("world");
}

fn main() -> std::process::ExitCode {
    kfp_dsl::main!(my_pipeline)
}
