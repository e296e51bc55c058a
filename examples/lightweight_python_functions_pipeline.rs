//! kfp's `essential/lightweight_python_functions_pipeline` golden: data
//! passed between two components as parameters of every kind (a string, a
//! boolean, a map and a list) and as datasets, written to files
//! (`OutputPath<T>`, kfp's `OutputPath(T)`) or through artifact handles
//! (`Output<Dataset>`, which is kfp's `OutputPath('Dataset')` and
//! `Output[Dataset]` alike; `Input<Dataset>` is its `InputPath('Dataset')`
//! and `Input[Dataset]`), and a model with metadata.

use std::collections::BTreeMap;
use std::fmt::Write as _;

use kfp_dsl::prelude::*;

/// Dummy preprocessing step.
#[component]
#[allow(clippy::too_many_arguments)]
fn preprocess(
    message: String,
    input_dict_parameter: BTreeMap<String, i64>,
    input_list_parameter: Vec<String>,
    output_dataset_one: Output<Dataset>,
    output_dataset_two_path: Output<Dataset>,
    output_parameter_path: OutputPath<String>,
    output_bool_parameter_path: OutputPath<bool>,
    output_dict_parameter_path: OutputPath<BTreeMap<String, i64>>,
    output_list_parameter_path: OutputPath<Vec<String>>,
) -> std::io::Result<()> {
    std::fs::write(output_dataset_one.path(), &message)?;
    std::fs::write(output_dataset_two_path.path(), &message)?;
    output_parameter_path.write(&message)?;
    output_bool_parameter_path.write(&true)?;
    output_dict_parameter_path.write(&input_dict_parameter)?;
    output_list_parameter_path.write(&input_list_parameter)
}

/// Dummy Training step.
#[component]
#[allow(clippy::too_many_arguments)]
fn train(
    dataset_one_path: Input<Dataset>,
    dataset_two: Input<Dataset>,
    message: String,
    model: Output<Model>,
    input_bool: bool,
    input_dict: BTreeMap<String, i64>,
    input_list: Vec<String>,
    #[kfp(default = 100)] num_steps: i64,
) -> std::io::Result<()> {
    let dataset_one_contents = std::fs::read_to_string(dataset_one_path.path())?;
    let dataset_two_contents = std::fs::read_to_string(dataset_two.path())?;
    let line = format!(
        "dataset_one_contents: {dataset_one_contents} || \
         dataset_two_contents: {dataset_two_contents} || \
         message: {message} || \
         input_bool: {input_bool} || \
         input_dict: {input_dict:?} || \
         input_list: {input_list:?} \n"
    );
    let mut steps = String::new();
    for i in 0..num_steps {
        let _ = write!(steps, "Step {i}\n{line}\n=====\n");
    }
    std::fs::write(model.path(), steps)?;
    model.set_metadata("accuracy", 0.9);
    Ok(())
}

#[pipeline(name = "my-test-pipeline-beta")]
pub fn pipeline(
    message: String,
    #[kfp(default = serde_json::json!({"A": 1, "B": 2}))] input_dict: BTreeMap<String, i64>,
) {
    let preprocess_task = preprocess(message, input_dict, ["a", "b", "c"]);
    let outputs = preprocess_task.outputs();
    train(
        outputs.output_dataset_one,
        outputs.output_dataset_two_path,
        outputs.output_parameter_path,
        outputs.output_bool_parameter_path,
        outputs.output_dict_parameter_path,
        outputs.output_list_parameter_path,
    );
}

fn main() -> std::process::ExitCode {
    kfp_dsl::main!(pipeline)
}
