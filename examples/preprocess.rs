//! kfp's `preprocess` golden: a component compiled on its own with struct
//! and list inputs, two output datasets and output parameters written to
//! files (`OutputPath<T>`) of every kind.

use kfp_dsl::prelude::*;
use serde_json::{Map, Value};

/// Dummy preprocessing step.
#[component]
#[allow(clippy::too_many_arguments)]
pub fn preprocess(
    message: String,
    input_dict_parameter: Map<String, Value>,
    input_list_parameter: Vec<Value>,
    output_dataset_one: Output<Dataset>,
    output_dataset_two_path: Output<Dataset>,
    output_parameter_path: OutputPath<String>,
    output_bool_parameter_path: OutputPath<bool>,
    output_dict_parameter_path: OutputPath<Map<String, Value>>,
    output_list_parameter_path: OutputPath<Vec<Value>>,
) -> std::io::Result<()> {
    std::fs::write(output_dataset_one.path(), &message)?;
    std::fs::write(output_dataset_two_path.path(), &message)?;
    output_parameter_path.write(&message)?;
    output_bool_parameter_path.write(&true)?;
    output_dict_parameter_path.write(&input_dict_parameter)?;
    output_list_parameter_path.write(&input_list_parameter)
}

fn main() -> std::process::ExitCode {
    kfp_dsl::main!(preprocess)
}
