//! Loading component files (`kfp_ir_schema::component`): legacy v1
//! components converted as kfp converts them, compiled v2 components and
//! pipelines, the fetch header, and every kind of bad file reported with
//! its line.
//!
//! `v1_conversion_is_kfps` converts the v1 files here with Python kfp too
//! (`$KFP_PYTHON`, else the workspace's `.venv`) and compares; it prints
//! `skipped: ...` where there is no Python with kfp.

use std::path::{Path, PathBuf};
use std::process::Command;

use kfp_ir_schema::component::{
    self, ComponentInput, ComponentOutput, Format, Implementation, LoadedComponent, provenance,
};
use kfp_ir_schema::{ParameterType, PipelineContainerSpec};
use serde_json::{Value, json};

/// A v1 component with every kind of input, output and placeholder kfp
/// converts.
const TRAIN_V1: &str = r#"
name: Train model
description: Trains a model on a table.
inputs:
- {name: Training data, type: CSV, description: The rows.}
- {name: Starting model, type: Model, optional: true}
- {name: label-column, type: Integer, default: '0'}
- {name: learning_rate, type: Float, default: '0.3'}
- {name: objective, type: String, default: reg:squarederror}
- {name: verbose, type: Boolean, default: 'False'}
- {name: booster_params, type: JsonObject, optional: true}
- {name: tags, type: JsonArray, default: '["a", "b"]'}
- {name: notes, optional: true}
outputs:
- {name: model, type: Model}
- {name: Metrics report, type: Metrics}
- {name: best_score, type: Float}
implementation:
  container:
    image: python:3.11
    command: [python3, -m, train]
    args:
    - --data
    - {inputPath: Training data}
    - if:
        cond: {isPresent: Starting model}
        then: [--start, {inputPath: Starting model}]
    - --label
    - {inputValue: label-column}
    - concat: [--lr=, {inputValue: learning_rate}]
    - if:
        cond: {isPresent: booster_params}
        then: --params
        else: ''
    - concat:
      - --objective=
      - if:
          cond: {isPresent: objective}
          then: {inputValue: objective}
          else: none
    - --model
    - {outputPath: model}
    - {outputUri: Metrics report}
    - {outputPath: best_score}
    - {executorInput: null}
    env:
      ZETA: last
      ALPHA: first
"#;

fn container(loaded: &LoadedComponent) -> &PipelineContainerSpec {
    match &loaded.implementation {
        Implementation::Container(c) => c,
        Implementation::Pipeline(_) => panic!("{} is not a container", loaded.name),
    }
}

fn names<T>(list: &[(kfp_ir_schema::CompactString, T)]) -> Vec<&str> {
    list.iter().map(|(n, _)| n.as_str()).collect()
}

#[test]
fn v1_names_types_defaults_and_placeholders_are_converted_as_kfp_converts_them() {
    let loaded = component::load_str(TRAIN_V1).unwrap();
    assert_eq!(loaded.format, Format::V1);
    assert_eq!(loaded.name, "Train model");
    assert_eq!(
        loaded.description.as_deref(),
        Some("Trains a model on a table.")
    );
    assert_eq!(
        names(&loaded.inputs),
        [
            "training_data",
            "starting_model",
            "label_column",
            "learning_rate",
            "objective",
            "verbose",
            "booster_params",
            "tags",
            "notes"
        ]
    );
    assert_eq!(
        names(&loaded.outputs),
        ["model", "metrics_report", "best_score"]
    );
    let param = |name: &str| match &loaded.inputs.iter().find(|(n, _)| n == name).unwrap().1 {
        ComponentInput::Parameter(p) => p.clone(),
        ComponentInput::Artifact(_) => panic!("{name} is an artifact"),
    };
    assert_eq!(param("label_column").default_value, Some(json!(0.0)));
    assert_eq!(
        param("label_column").parameter_type,
        ParameterType::NumberInteger
    );
    assert_eq!(param("learning_rate").default_value, Some(json!(0.3)));
    assert_eq!(param("verbose").default_value, Some(json!(false)));
    assert_eq!(param("tags").default_value, Some(json!(["a", "b"])));
    assert_eq!(param("tags").parameter_type, ParameterType::List);
    assert!(param("booster_params").is_optional);
    assert_eq!(param("booster_params").default_value, None);
    let ComponentInput::Artifact(data) = &loaded.inputs[0].1 else {
        panic!()
    };
    assert_eq!(
        component::schema_title(data.artifact_type.as_ref()),
        "system.Artifact"
    );
    assert_eq!(data.description, "The rows.");
    let ComponentInput::Artifact(start) = &loaded.inputs[1].1 else {
        panic!()
    };
    assert_eq!(
        component::schema_title(start.artifact_type.as_ref()),
        "system.Model"
    );
    assert!(start.is_optional);
    assert!(matches!(loaded.inputs[8].1, ComponentInput::Artifact(_)));
    assert!(matches!(loaded.outputs[2].1, ComponentOutput::Parameter(_)));

    let c = container(&loaded);
    assert_eq!(c.image, "python:3.11");
    let args: Vec<&str> = c.args.iter().map(|a| a.as_str()).collect();
    assert_eq!(
        args,
        [
            "--data",
            "{{$.inputs.artifacts['training_data'].path}}",
            r#"{"IfPresent": {"InputName": "starting_model", "Then": ["--start", "{{$.inputs.artifacts['starting_model'].path}}"]}}"#,
            "--label",
            "{{$.inputs.parameters['label_column']}}",
            r#"{"Concat": ["--lr=", "{{$.inputs.parameters['learning_rate']}}"]}"#,
            r#"{"IfPresent": {"InputName": "booster_params", "Then": "--params"}}"#,
            r#"{"Concat": ["--objective=", {"IfPresent": {"InputName": "objective", "Then": "{{$.inputs.parameters['objective']}}", "Else": "none"}}]}"#,
            "--model",
            "{{$.outputs.artifacts['model'].path}}",
            "{{$.outputs.artifacts['metrics_report'].uri}}",
            "{{$.outputs.parameters['best_score'].output_file}}",
            "{{$}}",
        ]
    );
    let env: Vec<(&str, &str)> = c
        .env
        .iter()
        .map(|e| (e.name.as_str(), e.value.as_str()))
        .collect();
    assert_eq!(
        env,
        [("ZETA", "last"), ("ALPHA", "first")],
        "the file's order"
    );
}

#[test]
fn v1_types_map_to_kfp_types() {
    let text = r#"
name: types
inputs:
- {name: a, type: google.VertexModel}
- {name: b, type: HTML}
- {name: c, type: {GCSPath: {data_type: CSV}}}
- {name: d, type: PipelineTaskFinalStatus}
- {name: e, type: 'Dict[str, int]'}
- {name: f, type: text}
implementation:
  container: {image: busybox}
"#;
    let loaded = component::load_str(text).unwrap();
    let title = |i: usize| match &loaded.inputs[i].1 {
        ComponentInput::Artifact(a) => component::schema_title(a.artifact_type.as_ref()).to_owned(),
        ComponentInput::Parameter(p) => p.parameter_type.as_str().to_owned(),
    };
    assert_eq!(title(0), "google.VertexModel");
    assert_eq!(title(1), "system.HTML");
    assert_eq!(title(2), "system.Artifact");
    assert_eq!(title(3), "TASK_FINAL_STATUS");
    assert!(loaded.inputs[3].1.is_optional());
    assert_eq!(title(4), "STRUCT");
    assert_eq!(title(5), "STRING");
}

/// kfp casts the default of a `typing.List[str]` input by its raw type
/// name, which it does not know, so it keeps the text and writes a `LIST`
/// parameter with a string default; the default is parsed here.
#[test]
fn a_generic_list_default_is_parsed_where_kfp_keeps_the_text() {
    let text = "name: x\ninputs:\n- {name: tags, type: 'typing.List[str]', default: '[\"a\"]'}\nimplementation:\n  container: {image: i}\n";
    let loaded = component::load_str(text).unwrap();
    let ComponentInput::Parameter(tags) = &loaded.inputs[0].1 else {
        panic!()
    };
    assert_eq!(tags.parameter_type, ParameterType::List);
    assert_eq!(tags.default_value, Some(json!(["a"])));
}

/// The message of loading `text`, which must fail.
fn error(text: &str) -> String {
    component::load_str(text).unwrap_err().to_string()
}

#[test]
fn bad_v1_files_are_reported_with_their_lines() {
    let unknown = "name: x\ninputs:\n- {name: a, type: String}\nimplementation:\n  container:\n    image: i\n    args:\n    - {inputValu: a}\n";
    let message = error(unknown);
    assert!(message.contains("8:8: /implementation/container/args/0/inputValu: unknown placeholder `inputValu` (did you mean `inputValue`?)"), "{message}");

    let artifact_value = "name: x\ninputs:\n- {name: data, type: Dataset}\nimplementation:\n  container:\n    image: i\n    args: [{inputValue: data}]\n";
    let message = error(artifact_value);
    assert!(
        message.contains(
            "7:13: /implementation/container/args/0/inputValue: `data` is an artifact input"
        ),
        "{message}"
    );

    let missing = "name: x\ninputs:\n- {name: text, type: String}\nimplementation:\n  container:\n    image: i\n    args: [{inputValue: txt}]\n";
    let message = error(missing);
    assert!(
        message.contains("`txt` is not an input of this component (did you mean `text`?)"),
        "{message}"
    );

    let number = "name: x\nimplementation:\n  container:\n    image: i\n    args: [--n, 3]\n";
    let message = error(number);
    assert!(message.contains("5:17: /implementation/container/args/1: expected a string or a placeholder, not a number"), "{message}");

    let field =
        "name: x\ninputs:\n- {name: a, typ: String}\nimplementation:\n  container: {image: i}\n";
    let message = error(field);
    assert!(
        message.contains("3:13: /inputs/0/typ: unknown field `typ`"),
        "{message}"
    );

    let default = "name: x\ninputs:\n- {name: n, type: Integer, default: ten}\nimplementation:\n  container: {image: i}\n";
    let message = error(default);
    assert!(
        message.contains("/inputs/0/default: the default \"ten\" is not an integer"),
        "{message}"
    );

    let graph = "name: x\nimplementation:\n  graph: {tasks: {}}\n";
    assert!(error(graph).contains("a v1 graph component cannot be loaded"));

    let lists = "name: x\ninputs:\n- {name: a, optional: true}\nimplementation:\n  container:\n    image: i\n    args:\n    - concat: [{if: {cond: {isPresent: a}, then: [x, y]}}]\n";
    assert!(error(lists).contains("an `if` inside a `concat` must have one `then` element"));
}

#[test]
fn bad_files_are_reported_with_their_lines() {
    let message = error("name: x\n  bad: [\n");
    assert!(message.contains("not valid YAML"), "{message}");
    assert!(message.contains("2:"), "{message}");
    assert!(error("").contains("holds no document"));
    assert!(error("a: 1\n---\nb: 2\n---\nc: 3\n").contains("expected one or two YAML documents"));
    // A v2 file is validated in full first.
    let message = error(
        "pipelineInfo: {name: x}\nroot: {dag: {tasks: {}}}\nschemaVersion: 2.1.0\nsdkVersion: kfp\nroot2: 1\n",
    );
    assert!(
        message.contains("1:1: /: unknown field `root2` (did you mean `root`?)"),
        "{message}"
    );
    assert!(
        component::load_bytes(b"name: \xff\n")
            .unwrap_err()
            .to_string()
            .contains("not UTF-8")
    );
}

/// `../shared/kfp-golden/sdk_compiled_pipelines/valid/<path>`, or `None`
/// (with a message) when `../shared` is absent.
fn golden(path: &str) -> Option<String> {
    let file = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../shared/kfp-golden/sdk_compiled_pipelines/valid")
        .join(path);
    let file = if file.exists() {
        file
    } else {
        Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("../shared/kfp-golden/sdk_compiled_pipelines/valid")
            .join(path)
    };
    match std::fs::read_to_string(&file) {
        Ok(text) => Some(text),
        Err(_) => {
            println!(
                "skipped: {} not found (../shared is absent)",
                file.display()
            );
            None
        }
    }
}

#[test]
fn a_compiled_component_is_its_container_and_a_compiled_pipeline_is_a_pipeline() {
    let Some(add) = golden("critical/add_numbers.yaml") else {
        return;
    };
    let loaded = component::load_str(&add).unwrap();
    assert_eq!(loaded.format, Format::Ir);
    assert_eq!(loaded.name, "add-numbers");
    assert_eq!(names(&loaded.inputs), ["a", "b"]);
    assert_eq!(names(&loaded.outputs), ["Output"]);
    assert_eq!(container(&loaded).args[3], "add_numbers");

    let Some(nested) = golden("essential/pipeline_with_outputs.yaml") else {
        return;
    };
    let loaded = component::load_str(&nested).unwrap();
    assert_eq!(loaded.name, "pipeline-in-pipeline");
    assert!(matches!(loaded.implementation, Implementation::Pipeline(_)));
    assert_eq!(names(&loaded.inputs), ["msg"]);
    assert!(loaded.inputs[0].1.is_optional());
    assert_eq!(names(&loaded.outputs), ["Output"]);
}

#[test]
fn a_component_compiled_with_an_importer_or_a_task_config_is_refused() {
    let importer = r#"
components:
  comp-importer:
    executorLabel: exec-importer
    inputDefinitions: {parameters: {uri: {parameterType: STRING}}}
    outputDefinitions: {artifacts: {artifact: {artifactType: {schemaTitle: system.Dataset, schemaVersion: 0.0.1}}}}
deploymentSpec:
  executors:
    exec-importer:
      importer:
        artifactUri: {runtimeParameter: uri}
        typeSchema: {schemaTitle: system.Dataset, schemaVersion: 0.0.1}
pipelineInfo: {name: importer}
root:
  dag:
    tasks:
      importer:
        componentRef: {name: comp-importer}
        inputs: {parameters: {uri: {componentInputParameter: uri}}}
        taskInfo: {name: importer}
  inputDefinitions: {parameters: {uri: {parameterType: STRING}}}
schemaVersion: 2.1.0
sdkVersion: kfp-2.17.3
"#;
    let message = error(importer);
    assert!(
        message.contains(
            "/deploymentSpec/executors/exec-importer: `exec-importer` is not a container"
        ),
        "{message}"
    );
    assert!(message.starts_with("1 problem:\n  9:5:"), "{message}");
}

#[test]
fn a_fetched_file_keeps_its_digest_and_an_edit_is_refused() {
    let stamped = provenance::stamp(TRAIN_V1, "https://example.com/train.yaml");
    let loaded = component::load_str(&stamped).unwrap();
    assert_eq!(loaded.name, "Train model");
    let (recorded, original) = provenance::split(&stamped).unwrap();
    assert_eq!(original, TRAIN_V1);
    assert_eq!(recorded.url, "https://example.com/train.yaml");

    let edited = stamped.replace("python:3.11", "python:3.12");
    let message = error(&edited);
    assert!(
        message.contains(
            "2:1: /: the file was changed after it was fetched from https://example.com/train.yaml"
        ),
        "{message}"
    );

    // The description kfp reads by line number stays on its line.
    let compiled = "# PIPELINE DEFINITION\n# Name: x\n# Description: Says hi.\nname: x\n";
    let stamped = provenance::stamp(compiled, "u");
    assert_eq!(stamped.lines().nth(2), Some("# Description: Says hi."));
    assert_eq!(stamped.lines().nth(3), Some("# Fetched from: u"));
}

/// A Python with kfp: `$KFP_PYTHON`, else the workspace's `.venv`.
fn python() -> Option<PathBuf> {
    let python = std::env::var_os("KFP_PYTHON")
        .map(PathBuf::from)
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("../.venv/bin/python"));
    let ok = Command::new(&python)
        .args(["-c", "import kfp"])
        .output()
        .is_ok_and(|o| o.status.success());
    if ok {
        Some(python)
    } else {
        println!(
            "skipped: no Python with kfp at {} (set KFP_PYTHON; CI's venv has one)",
            python.display()
        );
        None
    }
}

/// What Python kfp compiles a v1 component to on its own: its component
/// spec (interface) and container.
fn kfp_conversion(python: &Path, text: &str) -> (Value, Value) {
    let script = r#"
import json, sys
from google.protobuf import json_format
from kfp import components
from kfp.dsl import utils
c = components.load_component_from_text(sys.stdin.read())
spec = json_format.MessageToDict(c.pipeline_spec)
name = utils.maybe_rename_for_k8s(c.component_spec.name)
print(json.dumps([spec['components']['comp-' + name], spec['deploymentSpec']['executors']['exec-' + name]['container']]))
"#;
    let mut child = Command::new(python)
        .args(["-c", script])
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    use std::io::Write;
    child
        .stdin
        .take()
        .unwrap()
        .write_all(text.as_bytes())
        .unwrap();
    let out = child.wait_with_output().unwrap();
    assert!(out.status.success(), "kfp failed on\n{text}");
    let both: Vec<Value> = serde_json::from_slice(&out.stdout).unwrap();
    (both[0].clone(), both[1].clone())
}

/// Our conversion in the same form: the interface as kfp writes a
/// component's (without descriptions, which kfp drops), the container.
fn our_conversion(loaded: &LoadedComponent) -> (Value, Value) {
    let mut interface = json!({});
    for (name, input) in &loaded.inputs {
        match input {
            ComponentInput::Parameter(p) => {
                let mut p = p.clone();
                p.description = Default::default();
                interface["inputDefinitions"]["parameters"][name.as_str()] =
                    serde_json::to_value(p).unwrap();
            }
            ComponentInput::Artifact(a) => {
                let mut a = a.clone();
                a.description = Default::default();
                interface["inputDefinitions"]["artifacts"][name.as_str()] =
                    serde_json::to_value(a).unwrap();
            }
        }
    }
    for (name, output) in &loaded.outputs {
        match output {
            ComponentOutput::Parameter(p) => {
                let mut p = p.clone();
                p.description = Default::default();
                interface["outputDefinitions"]["parameters"][name.as_str()] =
                    serde_json::to_value(p).unwrap();
            }
            ComponentOutput::Artifact(a) => {
                let mut a = a.clone();
                a.description = Default::default();
                interface["outputDefinitions"]["artifacts"][name.as_str()] =
                    serde_json::to_value(a).unwrap();
            }
        }
    }
    let label = kfp_ir_schema::naming::maybe_rename_for_k8s(&loaded.name);
    interface["executorLabel"] = json!(format!("exec-{label}"));
    (interface, serde_json::to_value(container(loaded)).unwrap())
}

#[test]
fn v1_conversion_is_kfps() {
    let Some(python) = python() else {
        return;
    };
    let types = r#"
name: Types and defaults
inputs:
- {name: An int, type: int, default: 7}
- {name: a_float, type: Double, default: 2}
- {name: a_bool, type: Bool, default: 'yes'}
- {name: a_list, type: JsonArray, default: '[1, 2]'}
- {name: a_dict, type: dict, default: '{"k": "v"}'}
- {name: a_str, type: String, default: 10}
- {name: vertex, type: google.VertexDataset}
- {name: status, type: PipelineTaskFinalStatus}
- {name: html, type: HTML, optional: true}
outputs:
- {name: Out Text, type: String}
- {name: table}
implementation:
  container:
    image: alpine
    command: [sh, -c, {inputValue: An int}, {inputUri: vertex}]
    args: [{outputPath: Out Text}, {outputPath: table}, {if: {cond: {isPresent: html}, then: {inputPath: html}, else: [a, b]}}]
"#;
    for text in [TRAIN_V1, types] {
        let loaded = component::load_str(text).unwrap();
        let (interface, container) = our_conversion(&loaded);
        let (kfp_interface, kfp_container) = kfp_conversion(&python, text);
        assert_eq!(container, kfp_container, "container of {}", loaded.name);
        assert_eq!(interface, kfp_interface, "interface of {}", loaded.name);
    }
}
