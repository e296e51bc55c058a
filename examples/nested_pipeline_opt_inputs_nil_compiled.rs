//! kfp's `parallel_and_nested/nested_pipeline_opt_inputs_nil_compiled`
//! golden: a pipeline used as a component whose optional inputs, left
//! unset, reach its tasks' optional inputs as nothing; inputs named as
//! Python names them (`componentInput`, `#[kfp(name = "nestedInputBool")]`).

use kfp_dsl::prelude::*;

/// The failure when an optional input that should be unset has a value.
fn expect_none<T: std::fmt::Display>(value: Option<T>) -> Result<(), String> {
    match value {
        Some(value) => Err(format!("componentInput should be None but is {value}")),
        None => Ok(()),
    }
}

// kfp's components have no docstrings, so no descriptions.
#[component]
#[allow(non_snake_case)]
fn component_bool(componentInput: Option<bool>) -> Result<(), String> {
    expect_none(componentInput)
}

#[component]
#[allow(non_snake_case)]
fn component_int(componentInput: Option<i64>) -> Result<(), String> {
    expect_none(componentInput)
}

#[component]
#[allow(non_snake_case)]
fn component_str(componentInput: Option<String>) -> Result<(), String> {
    expect_none(componentInput)
}

#[pipeline]
fn nested_pipeline(
    #[kfp(name = "nestedInputBool")] nested_input_bool: Option<bool>,
    #[kfp(name = "nestedInputInt")] nested_input_int: Option<i64>,
    #[kfp(name = "nestedInputStr")] nested_input_str: Option<String>,
) {
    component_bool()
        .componentInput(nested_input_bool)
        .set_caching_options(false);
    component_int()
        .componentInput(nested_input_int)
        .set_caching_options(false);
    component_str()
        .componentInput(nested_input_str)
        .set_caching_options(false);
}

#[pipeline(name = "nested-pipeline-opt-inputs-nil")]
pub fn nested_pipeline_opt_inputs_nil() {
    nested_pipeline().set_caching_options(false);
}

fn main() -> std::process::ExitCode {
    kfp_dsl::main!(nested_pipeline_opt_inputs_nil)
}
