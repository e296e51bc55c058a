use super::*;
use serde_json::json;

fn component() -> ComponentSpec {
    serde_json::from_value(json!({
        "executorLabel": "exec-t",
        "inputDefinitions": {
            "parameters": {
                "n": {"parameterType": "NUMBER_INTEGER"},
                "msg": {"parameterType": "STRING", "isOptional": true},
                "cfg": {"parameterType": "STRUCT"}
            },
            "artifacts": {"data": {"artifactType": {"schemaTitle": "system.Dataset"}}}
        },
        "outputDefinitions": {
            "parameters": {"sum": {"parameterType": "NUMBER_INTEGER"}},
            "artifacts": {"model": {"artifactType": {"schemaTitle": "system.Model", "schemaVersion": "0.0.1"}}}
        }
    }))
    .unwrap()
}

fn input() -> ExecutorInput {
    let mut inputs = Values::default();
    inputs.parameters.insert("n".into(), json!(3.0));
    inputs
        .parameters
        .insert("cfg".into(), json!({"k": [1, "<a>"]}));
    inputs.artifacts.insert(
        "data".into(),
        vec![RuntimeArtifact {
            name: "data".into(),
            uri: "gs://bucket/data".into(),
            metadata: Some(serde_json::from_value(json!({"rows": 2.0})).unwrap()),
            ..Default::default()
        }],
    );
    executor_input(
        &component(),
        &inputs,
        &OutputLocations {
            task_dir: "/runs/r/t".into(),
            artifact_dir: "/root/p/r/t".into(),
        },
    )
}

fn no_runtime(_: &str) -> Option<String> {
    None
}

#[test]
fn the_executor_input_names_every_output() {
    let ei = input();
    let json = serde_json::to_value(&ei).unwrap();
    assert_eq!(json["inputs"]["parameterValues"]["n"], json!(3));
    assert!(json["inputs"]["parameterValues"]["n"].is_i64());
    assert!(json["inputs"]["parameterValues"].get("msg").is_none());
    assert_eq!(
        json["outputs"],
        json!({
            "parameters": {"sum": {"outputFile": "/runs/r/t/outputs/sum"}},
            "artifacts": {"model": {"artifacts": [{
                "name": "model",
                "type": {"schemaTitle": "system.Model", "schemaVersion": "0.0.1"},
                "uri": "/root/p/r/t/model",
                "metadata": {}
            }]}},
            "outputFile": "/root/p/r/t/executor_output.json"
        })
    );
}

#[test]
fn placeholders_are_substituted_as_the_launcher_does() {
    let ei = input();
    let args = [
        "--n={{$.inputs.parameters['n']}}",
        "{{$.inputs.parameters['cfg']}}",
        "{{$.inputs.artifacts['data'].path}}",
        "{{$.inputs.artifacts['data'].uri}}",
        "{{$.inputs.artifacts['data'].metadata}}",
        "{{$.inputs.artifacts['data'].metadata['rows']}}",
        "{{$.outputs.artifacts['model'].path}}",
        "{{$.outputs.parameters['sum'].output_file}}",
        "{{$.outputs.output_file}}",
        "{{$.pipeline_job_name}}",
        "{{$.inputs.parameters['cfg'].json_escape[1]}}",
    ];
    let line = command_line(&["prog"], &args, &ei, &no_runtime).unwrap();
    assert_eq!(
        line,
        [
            "prog",
            "--n=3",
            r#"{"k":[1,"\u003ca\u003e"]}"#,
            "/gcs/bucket/data",
            "gs://bucket/data",
            r#"{"rows":2}"#,
            "2",
            "/root/p/r/t/model",
            "/runs/r/t/outputs/sum",
            "/root/p/r/t/executor_output.json",
            "{{$.pipeline_job_name}}",
            r#"{\"k\":[1,\"\\u003ca\\u003e\"]}"#,
        ]
    );
    let runtime = |name: &str| (name == "pipeline_job_name").then(|| "my-run".to_owned());
    let line = command_line(&["{{$.pipeline_job_name}}"], &[] as &[&str], &ei, &runtime).unwrap();
    assert_eq!(line, ["my-run"]);
}

#[test]
fn the_executor_input_placeholder_is_its_protojson() {
    let ei = input();
    let line = command_line(&["run", "{{$}}"], &[] as &[&str], &ei, &no_runtime).unwrap();
    let parsed: Value = serde_json::from_str(&line[1]).unwrap();
    // protojson writes every whole number as an integer (`2.0` as `2`).
    let expected = value_text::whole_numbers_as_integers(&serde_json::to_value(&ei).unwrap());
    assert_eq!(parsed, expected);
    assert!(line[1].contains(r#""n":3"#), "{}", line[1]);
}

#[test]
fn if_present_and_concat_expand() {
    let ei = input();
    let args = [
        r#"{"IfPresent": {"InputName": "msg", "Then": ["--msg", "{{$.inputs.parameters['msg']}}"]}}"#,
        r#"{"IfPresent": {"InputName": "n", "Then": ["--n", "{{$.inputs.parameters['n']}}"], "Else": "none"}}"#,
        r#"{"IfPresent": {"InputName": "msg", "Then": "x", "Else": ["--no-msg"]}}"#,
        r#"{"Concat": ["a-", "{{$.inputs.parameters['n']}}", {"IfPresent": {"InputName": "data", "Then": "-d"}}]}"#,
    ];
    let line = command_line(&[] as &[&str], &args, &ei, &no_runtime).unwrap();
    assert_eq!(line, ["--n", "3", "--no-msg", "a-3-d"]);
}

#[test]
fn a_placeholder_without_a_value_is_an_error() {
    let ei = input();
    let err = command_line(
        &["{{$.inputs.parameters['msg']}}"],
        &[] as &[&str],
        &ei,
        &no_runtime,
    )
    .unwrap_err();
    assert_eq!(
        err.to_string(),
        "`{{$.inputs.parameters['msg']}}` has no value: the task has no input parameter `msg`"
    );
    let err = command_line(
        &[r#"{"IfPresent": {"Then": []}}"#],
        &[] as &[&str],
        &ei,
        &no_runtime,
    )
    .unwrap_err();
    assert!(err.to_string().contains("needs an `InputName`"), "{err}");
    let mut ei = input();
    ei.inputs
        .as_mut()
        .unwrap()
        .artifacts
        .get_mut("data")
        .unwrap()
        .artifacts[0]
        .uri = "http://x/y".into();
    let err = command_line(
        &["{{$.inputs.artifacts['data'].path}}"],
        &[] as &[&str],
        &ei,
        &no_runtime,
    )
    .unwrap_err();
    assert!(matches!(err, CommandError::Uri(_)), "{err}");
}

#[test]
fn outputs_are_read_with_the_launchers_precedence() {
    let dir = tempfile::tempdir().unwrap();
    let at = OutputLocations {
        task_dir: dir.path().join("task"),
        artifact_dir: dir.path().join("artifacts"),
    };
    let ei = executor_input(&component(), &Values::default(), &at);
    std::fs::create_dir_all(at.task_dir.join("outputs")).unwrap();
    std::fs::create_dir_all(&at.artifact_dir).unwrap();

    // No file and no executor output: the parameter is missing.
    let err = super::super::outputs::read_outputs(&component(), &ei).unwrap_err();
    assert!(
        err.to_string()
            .starts_with("output parameter `sum` was not written"),
        "{err}"
    );

    // The file alone is read by the declared type.
    std::fs::write(at.parameter_file("sum"), " 41\n").unwrap();
    let got = super::super::outputs::read_outputs(&component(), &ei).unwrap();
    assert_eq!(got.parameters["sum"], json!(41));
    // The declared artifact is registered although nothing named it.
    assert_eq!(
        got.artifacts["model"][0].uri,
        at.artifact_dir.join("model").display().to_string()
    );

    // The executor output wins, and its artifact fields are merged in.
    std::fs::write(
        at.executor_output(),
        r#"{"parameterValues": {"sum": 42}, "artifacts": {"model": {"artifacts": [{"name": "model", "metadata": {"acc": 0.9}}]}}}"#,
    )
    .unwrap();
    let got = super::super::outputs::read_outputs(&component(), &ei).unwrap();
    assert_eq!(got.parameters["sum"], json!(42));
    let model = &got.artifacts["model"][0];
    assert_eq!(model.metadata.as_ref().unwrap()["acc"], json!(0.9));
    assert_eq!(
        model.r#type.as_ref().unwrap(),
        component().output_definitions.unwrap().artifacts["model"]
            .artifact_type
            .as_ref()
            .unwrap()
    );

    std::fs::write(
        at.executor_output(),
        r#"{"parameterValues": {}, "unknown": 1}"#,
    )
    .unwrap();
    let err = super::super::outputs::read_outputs(&component(), &ei).unwrap_err();
    assert!(err.to_string().contains("is not valid"), "{err}");

    std::fs::remove_file(at.executor_output()).unwrap();
    std::fs::write(at.parameter_file("sum"), "4.5").unwrap();
    let err = super::super::outputs::read_outputs(&component(), &ei).unwrap_err();
    assert!(err.to_string().contains("expected an integer"), "{err}");
}
