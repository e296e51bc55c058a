//! Components that return the artifacts they make (kfp's pythonic
//! artifacts): what they declare, and what their executor writes back.

use kfp_dsl::ExecutorError;
use kfp_dsl::prelude::*;
use serde_json::json;

/// Makes a model of the text.
#[component(output_description = "The model.")]
fn make_model(text: String) -> Result<Output<Model>, ExecutorError> {
    let model = Output::<Model>::at(get_uri("model")?)?;
    model.set_metadata("length", text.len());
    std::fs::write(model.path(), &text).map_err(|source| ExecutorError::Io {
        what: "writing the model",
        path: model.path(),
        source,
    })?;
    Ok(model)
}

/// What `evaluate` returns.
#[derive(Outputs)]
pub struct Evaluation {
    /// How good the model is.
    accuracy: f64,
    /// The model's report.
    report: Output<Markdown>,
}

#[component]
fn evaluate(model: Input<Model>) -> Result<Evaluation, ExecutorError> {
    let report = Output::<Markdown>::at(get_uri("report")?)?;
    report.set_metadata("of", model.uri());
    Ok(Evaluation {
        accuracy: 0.5,
        report,
    })
}

#[pipeline]
fn train_and_evaluate(text: String) -> Output<Markdown> {
    let model = make_model(text);
    evaluate(model.output()).output().report
}

#[test]
fn returned_artifacts_are_declared_outputs_with_their_descriptions() {
    let recorded = (train_and_evaluate::ENTRY.record)();
    assert!(recorded.errors.is_empty(), "{:?}", recorded.errors);
    let p = &recorded.pipeline;
    let maker = p.component(p.tasks[0].component);
    assert!(maker.outputs.is_empty());
    assert_eq!(maker.output_artifacts[0].name, "Output");
    assert_eq!(
        maker.output_artifacts[0].artifact_type.schema_title,
        "system.Model"
    );
    assert_eq!(
        maker.output_artifacts[0].description.as_deref(),
        Some("The model.")
    );
    let evaluator = p.component(p.tasks[1].component);
    assert_eq!(evaluator.outputs[0].name, "accuracy");
    assert_eq!(
        evaluator.outputs[0].description.as_deref(),
        Some("How good the model is.")
    );
    assert_eq!(evaluator.output_artifacts[0].name, "report");
    assert_eq!(
        evaluator.output_artifacts[0].description.as_deref(),
        Some("The model's report.")
    );
    kfp_dsl::compile(train_and_evaluate::ENTRY).unwrap();
}

/// The executor input of a task whose task root is `root`, with the
/// output artifacts `outputs` handed under `root/artifacts`.
fn executor_input(root: &std::path::Path, inputs: serde_json::Value, outputs: &[&str]) -> String {
    let artifacts: serde_json::Map<String, serde_json::Value> = outputs
        .iter()
        .map(|name| {
            let uri = root.join("artifacts").join(name);
            let handed = json!({"artifacts": [{"name": name, "uri": uri.to_str().unwrap()}]});
            (name.to_string(), handed)
        })
        .collect();
    json!({
        "inputs": inputs,
        "outputs": {
            "artifacts": artifacts,
            "parameters": {"accuracy": {"outputFile": root.join("accuracy").to_str().unwrap()}},
            "outputFile": root.join("executor_output.json").to_str().unwrap()
        }
    })
    .to_string()
}

#[test]
fn a_returned_artifact_replaces_the_handed_one_in_the_executor_output() {
    let recorded = (train_and_evaluate::ENTRY.record)();
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("make-model");
    let input = executor_input(
        &root,
        json!({"parameterValues": {"text": "some text"}}),
        &["Output"],
    );
    let out = kfp_dsl::execute(&input, recorded.executors["make_model"]).unwrap();
    let model = &out.artifacts["Output"].artifacts[0];
    assert_eq!(model.uri, root.join("model").to_str().unwrap());
    assert_eq!(model.metadata.as_ref().unwrap()["length"], json!(9));
    assert_eq!(
        std::fs::read_to_string(root.join("model")).unwrap(),
        "some text"
    );

    let root = dir.path().join("evaluate");
    let given =
        json!({"artifacts": {"model": {"artifacts": [{"name": "model", "uri": model.uri}]}}});
    let input = executor_input(&root, given, &["report"]);
    let out = kfp_dsl::execute(&input, recorded.executors["evaluate"]).unwrap();
    assert_eq!(out.parameter_values["accuracy"], json!(0.5));
    let report = &out.artifacts["report"].artifacts[0];
    assert_eq!(report.uri, root.join("report").to_str().unwrap());
    assert_eq!(report.metadata.as_ref().unwrap()["of"], json!(model.uri));
    assert!(
        kfp_dsl::get_uri("x").is_err(),
        "no task root once the run ended"
    );
}
