//! kfp's `pipeline_with_outputs` golden: a pipeline used as a component
//! returns a parameter and an artifact (kfp's `NamedTuple`); the outer
//! pipeline returns that artifact.

use kfp_dsl::prelude::*;

#[component]
fn print_op1(msg: String) -> String {
    println!("{msg}");
    msg
}

#[container_component]
fn print_op2(msg: String, data: Output<Artifact>) -> ContainerSpec {
    ContainerSpec::new("alpine")
        .command([
            "sh",
            "-c",
            r#"mkdir --parents $(dirname "$1") && echo "$0" > "$1""#,
        ])
        .args((msg, data.path()))
}

/// What the inner pipeline gives: the message and the file it wrote.
#[derive(Outputs)]
pub struct Printed {
    msg: String,
    data: Output<Artifact>,
}

#[pipeline]
fn inner_pipeline(msg: String) -> Printed {
    let task = print_op1(msg);
    let task2 = print_op2(task.output());
    PrintedHandles {
        msg: task.output(),
        data: task2.outputs().data,
    }
}

#[pipeline(name = "pipeline-in-pipeline")]
pub fn my_pipeline(#[kfp(default = "Hello")] msg: String) -> Output<Artifact> {
    print_op1(msg);
    inner_pipeline("world").output().data
}

fn main() -> std::process::ExitCode {
    kfp_dsl::main!(my_pipeline)
}
