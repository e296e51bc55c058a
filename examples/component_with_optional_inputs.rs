//! kfp's `component_with_optional_inputs` golden: inputs with a default and
//! `Option` inputs, set through the task's methods.

use kfp_dsl::prelude::*;

#[component]
fn component_op(
    #[kfp(default = "default value")] input1: String,
    input2: Option<String>,
    input3: Option<String>,
) {
    println!("input1: {input1}, input2: {input2:?}, input3: {input3:?}");
}

#[pipeline(name = "v2-component-optional-input")]
pub fn pipeline() {
    component_op().input1("Hello").input2("World");
}

fn main() -> std::process::ExitCode {
    kfp_dsl::main!(pipeline)
}
