//! Tests of the executor side.

use std::path::Path;

use serde_json::{Value, json};

use super::*;
use crate::{ClassificationMetrics, Dataset, Model};

/// An executor input with the input artifact `ds` at `input_uri` and the
/// output artifact `model` at `output_uri`.
fn with_uris(input_uri: &str, output_uri: &str) -> ExecutorInput {
    serde_json::from_value(json!({
        "inputs": {"artifacts": {"ds": {"artifacts": [{"name": "ds", "uri": input_uri}]}}},
        "outputs": {"artifacts": {"model": {"artifacts": [{"name": "model", "uri": output_uri}]}}}
    }))
    .unwrap()
}

/// The probe: the `modelcar` example could not find its model on a
/// cluster, which mounts `oci://` models at `/oci/<path, / as _>/models`.
#[test]
fn uris_map_as_the_launcher_maps_them() {
    let input = with_uris(
        "oci://registry.domain.local/modelcar:test",
        "/tmp/run/model",
    );
    let run = Run::new(&input);
    let model: Input<Model> = run.input_artifact("ds").unwrap();
    assert_eq!(
        model.path(),
        Path::new("/oci/registry.domain.local_modelcar:test/models")
    );
    for (uri, path) in [
        ("gs://b/k", "/gcs/b/k"),
        ("s3://b/k", "/s3/b/k"),
        ("minio://mlpipeline/v2/x", "/minio/mlpipeline/v2/x"),
        ("file:///data/x.csv", "/data/x.csv"),
        ("/tmp/local/run/x", "/tmp/local/run/x"),
    ] {
        let input: Input<Dataset> = Input::new("x", uri).unwrap();
        assert_eq!(input.path(), Path::new(path), "{uri}");
    }
}

/// The probe: `gs://b/../../etc/passwd` was resolved to `/etc/passwd`.
#[test]
fn a_uri_that_goes_up_or_has_no_mount_is_refused_naming_the_artifact() {
    let input = with_uris("gs://b/../../etc/passwd", "/tmp/run/model");
    let err = Run::new(&input)
        .input_artifact::<Dataset>("ds")
        .unwrap_err();
    assert_eq!(
        err.to_string(),
        "the input artifact `ds`: artifact URI `gs://b/../../etc/passwd` has a `..` segment; KFP paths never go up"
    );
    let input = with_uris("gs://b/ds", "https://example.com/model");
    let err = Run::new(&input)
        .output_artifact::<Model>("model")
        .unwrap_err();
    assert_eq!(
        err.to_string(),
        "the output artifact `model`: artifact URI `https://example.com/model` has a storage scheme KFP cannot mount (expected gs://, s3://, minio://, oci://, file:// or an absolute path)"
    );
    let err = Run::new(&input).input_artifacts::<Dataset>("ds");
    assert!(err.is_ok(), "a list maps each of its artifacts");
    let input = with_uris("relative/ds", "/tmp/run/model");
    let err = Run::new(&input)
        .input_artifacts::<Dataset>("ds")
        .unwrap_err();
    assert!(
        matches!(
            err,
            ExecutorError::ArtifactUri {
                direction: "input",
                ..
            }
        ),
        "{err}"
    );
}

fn sample(dir: &Path) -> String {
    json!({
        "inputs": {
            "parameterValues": {"n": 2.0, "tag": "t"},
            "artifacts": {"ds": {"artifacts": [{"name": "ds", "uri": "gs://b/ds", "metadata": {"rows": 2}}]}}
        },
        "outputs": {
            "parameters": {"Output": {"outputFile": "/tmp/kfp/outputs/Output"}},
            "artifacts": {"model": {"artifacts": [{"name": "model", "type": {"schemaTitle": "system.Model"},
                "uri": dir.join("out/model").to_str().unwrap(), "metadata": {}}]}},
            "outputFile": dir.join("meta/executor_output.json").to_str().unwrap()
        }
    })
    .to_string()
}

fn component(input: &ExecutorInput) -> Result<ExecutorOutput, ExecutorError> {
    let mut run = Run::new(input);
    let n: i64 = run.param("n")?;
    let missing: Option<String> = run.param("absent")?;
    let ds: Input<Dataset> = run.input_artifact("ds")?;
    let model: Output<Model> = run.output_artifact("model")?;
    assert_eq!(ds.path(), Path::new("/gcs/b/ds"));
    assert_eq!(missing, None);
    std::fs::write(model.path(), "weights").unwrap();
    model.set_metadata("n", n);
    Ok(run.finish(vec![("Output", OutputValue::Parameter(json!(n * 2)))]))
}

#[test]
fn executes_and_writes_the_executor_output() {
    let dir = tempfile::tempdir().unwrap();
    let out = execute(&sample(dir.path()), component).unwrap();
    assert_eq!(out.parameter_values["Output"], json!(4));
    let written: Value = serde_json::from_str(
        &std::fs::read_to_string(dir.path().join("meta/executor_output.json")).unwrap(),
    )
    .unwrap();
    assert_eq!(
        written["artifacts"]["model"]["artifacts"][0]["metadata"]["n"],
        json!(2)
    );
    assert_eq!(written["parameterValues"]["Output"], json!(4));
    assert_eq!(
        std::fs::read_to_string(dir.path().join("out/model")).unwrap(),
        "weights"
    );
}

#[test]
fn classification_metrics_are_logged_as_kfp_shows_them() {
    let m: Output<ClassificationMetrics> = Output::new("m", "/tmp/m").unwrap();
    m.log_confusion_matrix(&["cat", "dog"], &[vec![9.0, 1.0], vec![2.0, 8.0]]);
    m.log_roc_data_point(0.1, 0.8, 0.5);
    m.log_roc_data_point(0.2, 0.9, 0.3);
    let meta = Value::Object(m.metadata());
    assert_eq!(
        meta["confusionMatrix"],
        json!({"annotationSpecs": [{"displayName": "cat"}, {"displayName": "dog"}],
               "rows": [{"row": [9.0, 1.0]}, {"row": [2.0, 8.0]}]})
    );
    assert_eq!(meta["confidenceMetrics"][1]["recall"], json!(0.9));
}

#[test]
fn a_roc_curve_is_logged_point_by_point_and_needs_lists_of_one_length() {
    let m: Output<ClassificationMetrics> = Output::new("m", "/tmp/m").unwrap();
    m.log_roc_curve(&[0.0, 0.5], &[0.4, 1.0], &[0.9, 0.1])
        .unwrap();
    let meta = Value::Object(m.metadata());
    assert_eq!(
        meta["confidenceMetrics"],
        json!([
            {"confidenceThreshold": 0.9, "falsePositiveRate": 0.0, "recall": 0.4},
            {"confidenceThreshold": 0.1, "falsePositiveRate": 0.5, "recall": 1.0}
        ])
    );
    let error = m
        .log_roc_curve(&[0.0], &[0.4, 1.0], &[0.9, 0.1])
        .unwrap_err();
    assert!(
        error.to_string().contains("false positive rates (1)"),
        "{error}"
    );
    assert_eq!(
        Value::Object(m.metadata())["confidenceMetrics"]
            .as_array()
            .unwrap()
            .len(),
        2
    );
}

#[test]
fn an_output_written_elsewhere_tells_the_launcher_where() {
    let data: Output<Dataset> = Output::new("data", "gs://b/run/data").unwrap();
    assert_eq!(data.written().custom_path, None);
    data.set_path("/tmp/data.csv");
    data.set_uri("gs://b/elsewhere");
    let written = data.written();
    assert_eq!(written.custom_path.as_deref(), Some("/tmp/data.csv"));
    assert_eq!(written.uri, "gs://b/elsewhere");
    assert_eq!(data.path(), Path::new("/tmp/data.csv"));
}

#[test]
fn a_custom_path_wins_over_the_uri() {
    let input: ExecutorInput = serde_json::from_value(json!({
        "inputs": {"artifacts": {"ds": {"artifacts": [
            {"name": "ds", "uri": "gs://b/ds", "custom_path": "/data/ds"}
        ]}}}
    }))
    .unwrap();
    let run = Run::new(&input);
    let ds: Input<Dataset> = run.input_artifact("ds").unwrap();
    assert_eq!(ds.path(), Path::new("/data/ds"));
    assert_eq!(ds.uri(), "gs://b/ds");
}

/// What kfp.local sends for a `List[int]` input, and a value with a
/// fraction where an integer belongs.
#[test]
fn integers_inside_values_may_come_as_whole_floats_only() {
    let input: ExecutorInput = serde_json::from_value(json!({
        "inputs": {"parameterValues": {"nums": [8.0, 10.0, 12.0], "bad": [1.0, 2.5]}}
    }))
    .unwrap();
    let run = Run::new(&input);
    assert_eq!(run.param::<Vec<i64>>("nums").unwrap(), [8, 10, 12]);
    let err = run.param::<Vec<i64>>("bad").unwrap_err();
    assert_eq!(
        err.to_string(),
        "the input parameter `bad` has the wrong type: at `bad[1]`: invalid type: floating point `2.5`, expected i64"
    );
}

#[test]
fn bad_input_is_a_clear_error() {
    let err = execute("{not json", component).unwrap_err();
    assert!(
        err.to_string()
            .starts_with("the executor input is not valid")
    );
    let err = execute(r#"{"outputs": {"outputFile": "/tmp/x"}}"#, component).unwrap_err();
    assert_eq!(
        err.to_string(),
        "the executor input has no value for the input parameter `n`"
    );
}

/// kfp's `gen_data` of `pythonic_artifacts_test_pipeline`: a `Dataset` made
/// at `get_uri()`, written, given metadata and returned.
fn gen_data(input: &ExecutorInput) -> Result<ExecutorOutput, ExecutorError> {
    let run = Run::new(input);
    let dataset = Output::<Dataset>::at(get_uri("Output")?)?;
    std::fs::write(dataset.path(), "some data").unwrap();
    dataset.set_metadata("length", "some data".len());
    Ok(run.finish(vec![("Output", OutputValue::Artifact(dataset.written()))]))
}

/// What kfp 2.17's executor writes for `gen_data` (run by its `Executor`
/// on the same executor input): the returned artifact replaces the one
/// handed for `Output`, with its own name (none), URI and metadata.
#[test]
fn a_returned_artifact_is_written_back_as_kfp_writes_it() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("task");
    let root = root.to_str().unwrap();
    let input = json!({
        "outputs": {
            "artifacts": {"Output": {"artifacts": [{"name": "Output",
                "type": {"schemaTitle": "system.Dataset", "schemaVersion": "0.0.1"},
                "uri": format!("{root}/artifacts/Output"), "metadata": {}}]}},
            "outputFile": format!("{root}/executor_output.json")
        }
    });
    execute(&input.to_string(), gen_data).unwrap();
    let written = std::fs::read_to_string(format!("{root}/executor_output.json")).unwrap();
    let kfp = format!(
        r#"{{"artifacts": {{"Output": {{"artifacts": [{{"name": "", "uri": "{root}/Output", "metadata": {{"length": 9}}}}]}}}}}}"#
    );
    // The same message: protojson leaves out the empty name kfp writes.
    let kfp: ExecutorOutput = serde_json::from_str(&kfp).unwrap();
    let ours: ExecutorOutput = serde_json::from_str(&written).unwrap();
    assert_eq!(ours, kfp);
    assert_eq!(
        serde_json::from_str::<Value>(&written).unwrap(),
        json!({"artifacts": {"Output": {"artifacts": [
            {"uri": format!("{root}/Output"), "metadata": {"length": 9}}
        ]}}})
    );
    assert_eq!(
        std::fs::read_to_string(format!("{root}/Output")).unwrap(),
        "some data"
    );
    assert!(
        matches!(get_uri("x"), Err(ExecutorError::NoTaskRoot)),
        "the task root ends with the run"
    );
}

/// A returned artifact replaces the handed one of its output only; an
/// `Output<A>` parameter is written back as before.
#[test]
fn returned_outputs_sit_beside_handed_ones() {
    let input: ExecutorInput = serde_json::from_value(json!({
        "outputs": {"artifacts": {
            "model": {"artifacts": [{"name": "model", "uri": "/tmp/kfp-rs-test/model"}]},
            "Output": {"artifacts": [{"name": "Output", "uri": "/tmp/kfp-rs-test/Output"}]}
        }}
    }))
    .unwrap();
    let mut run = Run::new(&input);
    let model: Output<Model> = run.output_artifact("model").unwrap();
    model.set_metadata("framework", "rust");
    let made = Output::<Dataset>::new("", "gs://b/made").unwrap();
    let out = run.finish(vec![
        ("Output", OutputValue::Artifact(made.written())),
        ("n", OutputValue::Parameter(json!(3))),
    ]);
    assert_eq!(out.artifacts["Output"].artifacts[0].uri, "gs://b/made");
    assert_eq!(out.artifacts["model"].artifacts[0].name, "model");
    assert_eq!(
        out.artifacts["model"].artifacts[0]
            .metadata
            .as_ref()
            .unwrap()["framework"],
        json!("rust")
    );
    assert_eq!(out.parameter_values["n"], json!(3));
}
