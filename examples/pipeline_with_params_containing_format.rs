//! kfp's `pipeline_with_params_containing_format` golden: a pipeline input
//! and a task output formatted into strings (kfp's f-strings, here
//! `format!`), also inside a loop.

use kfp_dsl::prelude::*;

#[component]
fn print_op(text: String) -> String {
    println!("{text}");
    text
}

#[component]
fn print_op2(text1: String, text2: String) -> String {
    let text = text1 + &text2;
    println!("{text}");
    text
}

#[pipeline(name = "pipeline-with-pipelineparam-containing-format")]
pub fn my_pipeline(#[kfp(default = "KFP")] name: String) {
    let printed = print_op(format!("Hello {name}")).output();
    print_op(format!("{printed}, again."));
    let new_value = format!(" and {name}.");
    parallel_for(["1", "2"], |item| print_op2(item, new_value.as_str()));
}

fn main() -> std::process::ExitCode {
    kfp_dsl::main!(my_pipeline)
}
