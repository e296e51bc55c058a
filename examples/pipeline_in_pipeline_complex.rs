//! kfp's `pipeline_in_pipeline_complex` golden: a pipeline called in a
//! loop as a task of another, with two conditions inside it on its first
//! task's output, one running a container component and the other a legacy
//! (v1) component loaded from YAML (`load_component!`).

use kfp_dsl::prelude::*;

load_component!(print_op3 = "examples/components/print_op_alpine.yaml");

#[component]
fn print_op1(msg: String) -> String {
    println!("{msg}");
    msg
}

#[container_component]
fn print_op2(msg: String) -> ContainerSpec {
    ContainerSpec::new("alpine").command(("echo", msg))
}

#[pipeline(name = "inner-pipeline")]
fn graph_component(msg: String) {
    let output = print_op1(msg).output();
    condition(output.eq("Hello"), || {
        print_op2("world");
    });
    condition(output.ne("Hello"), || {
        print_op3("Bye!");
    });
}

#[pipeline(name = "pipeline-in-pipeline-complex")]
pub fn my_pipeline(#[kfp(default = "Hello")] msg: String) {
    print_op1(msg);
    parallel_for(["Hello", "world!"], |item| graph_component(item));
}

fn main() -> std::process::ExitCode {
    kfp_dsl::main!(my_pipeline)
}
