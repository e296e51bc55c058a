//! kfp's `parallel_and_nested/nested_pipeline_opt_input_child_level_compiled`
//! golden: a pipeline used as a component whose inputs have defaults; the
//! outer pipeline sets half of them, and its tasks' optional inputs get
//! either the value set or the default.

use kfp_dsl::prelude::*;

/// The failure when input `name` is not `expected`.
fn expect<T: PartialEq + std::fmt::Debug>(
    name: &str,
    value: Option<T>,
    expected: T,
) -> Result<(), String> {
    if value.as_ref() == Some(&expected) {
        Ok(())
    } else {
        Err(format!("{name} should be {expected:?} but is {value:?}"))
    }
}

// kfp's components have no docstrings, so no descriptions.
#[component]
#[allow(non_snake_case)]
fn component_a_bool(componentInputBool: Option<bool>) -> Result<(), String> {
    expect("componentInputBool", componentInputBool, true)
}

#[component]
#[allow(non_snake_case)]
fn component_a_int(componentInputInt: Option<i64>) -> Result<(), String> {
    expect("componentInputInt", componentInputInt, 1)
}

#[component]
#[allow(non_snake_case)]
fn component_a_str(componentInputStr: Option<String>) -> Result<(), String> {
    expect(
        "componentInputStr",
        componentInputStr,
        "Input - pipeline".to_owned(),
    )
}

#[component]
#[allow(non_snake_case)]
fn component_b_bool(componentInputBool: Option<bool>) -> Result<(), String> {
    expect("componentInputBool", componentInputBool, false)
}

#[component]
#[allow(non_snake_case)]
fn component_b_int(componentInputInt: Option<i64>) -> Result<(), String> {
    expect("componentInputInt", componentInputInt, 0)
}

#[component]
#[allow(non_snake_case)]
fn component_b_str(componentInputStr: Option<String>) -> Result<(), String> {
    expect(
        "componentInputStr",
        componentInputStr,
        "Input 2 - nested pipeline".to_owned(),
    )
}

#[pipeline]
#[allow(non_snake_case)]
fn nested_pipeline(
    #[kfp(default = false)] nestedInputBool1: bool,
    #[kfp(default = false)] nestedInputBool2: bool,
    #[kfp(default = 0)] nestedInputInt1: i64,
    #[kfp(default = 0)] nestedInputInt2: i64,
    #[kfp(default = "Input 1 - nested pipeline")] nestedInputStr1: String,
    #[kfp(default = "Input 2 - nested pipeline")] nestedInputStr2: String,
) {
    component_a_bool()
        .componentInputBool(nestedInputBool1)
        .set_caching_options(false);
    component_a_int()
        .componentInputInt(nestedInputInt1)
        .set_caching_options(false);
    component_a_str()
        .componentInputStr(nestedInputStr1)
        .set_caching_options(false);
    component_b_bool()
        .componentInputBool(nestedInputBool2)
        .set_caching_options(false);
    component_b_int()
        .componentInputInt(nestedInputInt2)
        .set_caching_options(false);
    component_b_str()
        .componentInputStr(nestedInputStr2)
        .set_caching_options(false);
}

#[pipeline(name = "nested-pipeline-opt-input-child-level")]
pub fn nested_pipeline_opt_input_child_level() {
    nested_pipeline()
        .nestedInputBool1(true)
        .nestedInputInt1(1)
        .nestedInputStr1("Input - pipeline")
        .set_caching_options(false);
}

fn main() -> std::process::ExitCode {
    kfp_dsl::main!(nested_pipeline_opt_input_child_level)
}
