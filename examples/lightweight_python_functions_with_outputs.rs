//! kfp's `essential/lightweight_python_functions_with_outputs` golden:
//! components that return parameters, one that returns the dataset it
//! makes (`-> Output<Dataset>`), and one that returns a parameter, a
//! `Metrics` and a `Model` as named outputs (a `#[derive(Outputs)]`
//! struct, kfp's `NamedTuple`).

use kfp_dsl::prelude::*;

// kfp's components have no docstrings, so no descriptions.
#[component]
fn add_numbers(first: i64, second: i64) -> i64 {
    first + second
}

#[component]
fn concat_message(first: String, second: String) -> String {
    first + &second
}

// kfp's `output_artifact` returns the text, which kfp's executor writes
// into the output dataset; here the function writes it into a dataset it
// makes.
#[component]
fn output_artifact(number: i64, message: String) -> anyhow::Result<Output<Dataset>> {
    let count = usize::try_from(number).unwrap_or(0);
    let result = vec![message; count];
    let dataset = Output::<Dataset>::at(get_uri("Output")?)?;
    std::fs::write(dataset.path(), result.join("\n"))?;
    Ok(dataset)
}

/// What `output_named_tuple` returns.
#[derive(Outputs)]
pub struct NamedOutputs {
    scalar: String,
    metrics: Output<Metrics>,
    model: Output<Model>,
}

#[component]
fn output_named_tuple(artifact: Input<Dataset>) -> anyhow::Result<NamedOutputs> {
    let scalar = "123".to_owned();

    let metrics = serde_json::json!({
        "metrics": [{"name": "accuracy", "numberValue": 0.9, "format": "PERCENTAGE"}]
    });

    let artifact_contents = std::fs::read_to_string(artifact.path())?;
    let model = format!("Model contents: {artifact_contents}");

    let metrics_artifact = Output::<Metrics>::at(get_uri("metrics")?)?;
    std::fs::write(metrics_artifact.path(), metrics.to_string())?;
    let model_artifact = Output::<Model>::at(get_uri("model")?)?;
    std::fs::write(model_artifact.path(), model)?;
    Ok(NamedOutputs {
        scalar,
        metrics: metrics_artifact,
        model: model_artifact,
    })
}

#[pipeline(name = "functions-with-outputs")]
pub fn pipeline(
    first_message: String,
    second_message: String,
    first_number: i64,
    second_number: i64,
) {
    let concat_op = concat_message(first_message, second_message);
    let add_numbers_op = add_numbers(first_number, second_number);
    let output_artifact_op = output_artifact(add_numbers_op.output(), concat_op.output());
    output_named_tuple(output_artifact_op.output());
}

fn main() -> std::process::ExitCode {
    kfp_dsl::main!(pipeline)
}
