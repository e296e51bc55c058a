//! kfp's `parallel_and_nested/nested_pipeline_opt_inputs_parent_level_compiled`
//! golden: the outer pipeline's inputs, with defaults, given to two
//! pipelines used as components, one whose inputs are optional without
//! defaults and one whose inputs have defaults; each task checks that the
//! outer pipeline's value reached it.

use kfp_dsl::prelude::*;

/// The failure when the input is not `expected`.
fn expect<T: PartialEq + std::fmt::Debug>(value: Option<T>, expected: T) -> Result<(), String> {
    if value.as_ref() == Some(&expected) {
        Ok(())
    } else {
        Err(format!(
            "componentInput should be {expected:?} but is {value:?}"
        ))
    }
}

// kfp's components have no docstrings, so no descriptions.
#[component]
#[allow(non_snake_case)]
fn component_bool_default(#[kfp(default = false)] componentInput: bool) -> Result<(), String> {
    expect(Some(componentInput), true)
}

#[component]
#[allow(non_snake_case)]
fn component_int_default(#[kfp(default = 0)] componentInput: i64) -> Result<(), String> {
    expect(Some(componentInput), 1)
}

#[component]
#[allow(non_snake_case)]
fn component_str_default(
    #[kfp(default = "Input - component")] componentInput: String,
) -> Result<(), String> {
    expect(Some(componentInput), "Input - parent pipeline".to_owned())
}

#[component]
#[allow(non_snake_case)]
fn component_nil_bool_default(componentInput: Option<bool>) -> Result<(), String> {
    expect(componentInput, true)
}

#[component]
#[allow(non_snake_case)]
fn component_nil_int_default(componentInput: Option<i64>) -> Result<(), String> {
    expect(componentInput, 1)
}

#[component]
#[allow(non_snake_case)]
fn component_nil_str_default(componentInput: Option<String>) -> Result<(), String> {
    expect(componentInput, "Input - parent pipeline".to_owned())
}

#[pipeline]
#[allow(non_snake_case)]
fn nested_pipeline_non_nil_defaults(
    #[kfp(default = false)] nestedInputBool: bool,
    #[kfp(default = 0)] nestedInputInt: i64,
    #[kfp(default = "Input - nested pipeline")] nestedInputStr: String,
) {
    component_bool_default()
        .componentInput(nestedInputBool)
        .set_caching_options(false);
    component_int_default()
        .componentInput(nestedInputInt)
        .set_caching_options(false);
    component_str_default()
        .componentInput(nestedInputStr)
        .set_caching_options(false);
}

#[pipeline]
#[allow(non_snake_case)]
fn nested_pipeline_nil_defaults(
    nestedInputBool: Option<bool>,
    nestedInputInt: Option<i64>,
    #[kfp(default = "Input - nested pipeline")] nestedInputStr: String,
) {
    component_nil_bool_default()
        .componentInput(nestedInputBool)
        .set_caching_options(false);
    component_nil_int_default()
        .componentInput(nestedInputInt)
        .set_caching_options(false);
    component_nil_str_default()
        .componentInput(nestedInputStr)
        .set_caching_options(false);
}

#[pipeline(name = "nested-pipeline-opt-inputs-parent-level")]
#[allow(non_snake_case)]
pub fn nested_pipeline_opt_inputs_parent_level(
    #[kfp(default = true)] inputBool: bool,
    #[kfp(default = 1)] inputInt: i64,
    #[kfp(default = "Input - parent pipeline")] inputStr: String,
) {
    nested_pipeline_nil_defaults()
        .nestedInputBool(inputBool)
        .nestedInputInt(inputInt)
        .nestedInputStr(inputStr)
        .set_caching_options(false);
    nested_pipeline_non_nil_defaults()
        .nestedInputBool(inputBool)
        .nestedInputInt(inputInt)
        .nestedInputStr(inputStr)
        .set_caching_options(false);
}

fn main() -> std::process::ExitCode {
    kfp_dsl::main!(nested_pipeline_opt_inputs_parent_level)
}
