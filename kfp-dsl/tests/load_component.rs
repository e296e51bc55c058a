//! Components loaded from YAML: `load_component!` (read when the crate is
//! built, typed and checked by rustc) and `LoadedComponent` (read when the
//! program runs, wired by name and checked when the pipeline is recorded).
//! The compile errors are pinned by the `load_component_*` cases of
//! `tests/ui`.

use kfp_dsl::prelude::*;
use kfp_dsl::{LoadedComponent, compile};
use serde_json::json;

load_component!("tests/components/train.yaml");
load_component!(pub make = "tests/components/make_data.yaml");

#[pipeline(name = "typed")]
fn typed(name: String) -> f64 {
    let data = make().output();
    let task = train_model(data, name)
        .class(5)
        .r#type("resnet")
        .after_input(true)
        .set_cpu_limit("2");
    let _model: ArtifactOutput<Model> = task.outputs().model;
    task.outputs().accuracy
}

fn ir_json(entry: kfp_dsl::PipelineEntry) -> serde_json::Value {
    let file = compile(entry).unwrap_or_else(|e| panic!("{e}"));
    serde_json::to_value(&file.spec).unwrap()
}

/// The names of the file map to Rust names (`training-data` ->
/// `training_data`, `class` -> `class`, `type` -> `r#type`, an optional
/// input named like a task method -> `after_input`), and the IR has the
/// file's types and defaults and kfp's names (a v1 file's input names
/// sanitized, `model-name` -> `model_name`, as kfp's
/// `load_component_from_file` does).
#[test]
fn load_component_gives_a_typed_component_with_the_files_interface() {
    let ir = ir_json(typed::ENTRY);
    let component = &ir["components"]["comp-train-model"];
    let parameters = &component["inputDefinitions"]["parameters"];
    assert_eq!(parameters["model_name"]["parameterType"], "STRING");
    assert_eq!(parameters["class"]["parameterType"], "NUMBER_INTEGER");
    assert_eq!(parameters["class"]["defaultValue"], 3.0);
    assert_eq!(parameters["type"]["isOptional"], true);
    assert_eq!(
        component["inputDefinitions"]["artifacts"]["training_data"]["artifactType"]["schemaTitle"],
        "system.Dataset"
    );
    assert_eq!(
        component["outputDefinitions"]["parameters"]["accuracy"]["parameterType"],
        "NUMBER_DOUBLE"
    );
    let task = &ir["root"]["dag"]["tasks"]["train-model"];
    let inputs = &task["inputs"]["parameters"];
    assert_eq!(inputs["model_name"]["componentInputParameter"], "name");
    assert_eq!(inputs["class"]["runtimeValue"]["constant"], 5.0);
    assert_eq!(inputs["type"]["runtimeValue"]["constant"], "resnet");
    assert_eq!(inputs["after"]["runtimeValue"]["constant"], true);
    assert_eq!(
        task["inputs"]["artifacts"]["training_data"]["taskOutputArtifact"]["producerTask"],
        "make-data"
    );
    let executor = &ir["deploymentSpec"]["executors"]["exec-train-model"]["container"];
    assert_eq!(executor["image"], "python:3.11");
    assert_eq!(executor["command"], json!(["train"]));
    assert_eq!(
        executor["args"][3],
        r#"{"IfPresent": {"InputName": "type", "Then": ["--type", "{{$.inputs.parameters['type']}}"]}}"#
    );
    assert_eq!(
        executor["resources"]["cpuLimit"], 2.0,
        "task settings apply to a loaded component's task"
    );
    assert_eq!(
        ir["root"]["dag"]["outputs"]["parameters"]["Output"]["valueFromParameter"]["producerSubtask"],
        "train-model"
    );
}

/// A loaded component compiles on its own, as kfp compiles a component.
#[test]
fn a_loaded_component_compiles_on_its_own() {
    let ir = ir_json(make::ENTRY);
    assert_eq!(ir["pipelineInfo"]["name"], "make-data");
    assert!(ir["deploymentSpec"]["executors"]["exec-make-data"].is_object());
}

const TRAIN: &str = include_str!("components/train.yaml");

fn load(text: &str) -> LoadedComponent {
    LoadedComponent::from_yaml(text).unwrap_or_else(|e| panic!("{e}"))
}

#[pipeline(name = "runtime")]
fn runtime(name: String) {
    let make = load(include_str!("components/make_data.yaml"));
    let data = make.task().add().output_artifact::<Dataset>("data");
    let trained = load(TRAIN)
        .task()
        .artifact("training_data", data)
        .param::<String>("model_name", name)
        .param::<i64>("class", 4)
        .add();
    let _accuracy: ParamOutput<f64> = trained.output("accuracy");
}

#[test]
fn a_component_loaded_at_run_time_is_wired_by_name() {
    let ir = ir_json(runtime::ENTRY);
    let task = &ir["root"]["dag"]["tasks"]["train-model"];
    assert_eq!(
        task["inputs"]["parameters"]["model_name"]["componentInputParameter"],
        "name"
    );
    assert_eq!(
        task["inputs"]["parameters"]["class"]["runtimeValue"]["constant"],
        4.0
    );
    assert_eq!(
        task["inputs"]["artifacts"]["training_data"]["taskOutputArtifact"]["outputArtifactKey"],
        "data"
    );
}

#[pipeline(name = "miswired")]
fn miswired(name: String) {
    let make = load(include_str!("components/make_data.yaml"));
    let data = make.task().add().output_artifact::<Dataset>("data");
    load(TRAIN)
        .task()
        .artifact("training_data", data)
        .param::<i64>("model_name", 3)
        .param::<String>("clas", name)
        .add();
    let model = load(TRAIN).task().add().output_artifact::<Model>("model");
    load(TRAIN).task().artifact("training_data", model).add();
}

/// Each mistake is reported when the pipeline is recorded, naming the
/// input: a wrong type, an unknown name (with a suggestion), a missing
/// required input, an artifact of the wrong type.
#[test]
fn wiring_mistakes_of_a_runtime_loaded_component_name_the_input() {
    let error = compile(miswired::ENTRY).unwrap_err().to_string();
    for expected in [
        "input `model_name` of component `Train model` is a string (STRING), but it is given an integer (NUMBER_INTEGER) (`i64`)",
        "component `Train model` has no input `clas` (did you mean `class`?); its inputs are: model_name, class, type, after, training_data",
        "the required input `training_data` of component `Train model` is not set",
        "the required input `model_name` of component `Train model` is not set",
        "input `training_data` of component `Train model` takes a system.Dataset artifact, but it is given a system.Model artifact",
    ] {
        assert!(
            error.contains(expected),
            "missing {expected:?} in:\n{error}"
        );
    }
}

/// A file that is not a component is refused with the problem and its
/// line; a file that cannot be read names the file.
#[test]
fn malformed_component_files_are_refused_with_the_problem_and_its_line() {
    let error = LoadedComponent::from_yaml(include_str!("components/broken_placeholder.yaml"))
        .unwrap_err()
        .to_string();
    assert!(error.starts_with("<text>: "), "{error}");
    assert!(error.contains("\n  9:8: "), "{error}");
    assert!(error.contains("txt"), "{error}");

    let error = LoadedComponent::from_yaml("name: x\nimplementation: [unclosed\n")
        .unwrap_err()
        .to_string();
    assert!(error.contains("not valid YAML"), "{error}");

    let error = LoadedComponent::from_bytes(b"\xff\xfe")
        .unwrap_err()
        .to_string();
    assert!(error.starts_with("<bytes>: "), "{error}");
    assert!(error.contains("not UTF-8"), "{error}");

    let error = LoadedComponent::from_file("tests/components/no_such_file.yaml")
        .unwrap_err()
        .to_string();
    assert!(
        error.starts_with("cannot read tests/components/no_such_file.yaml: "),
        "{error}"
    );

    let error = LoadedComponent::from_yaml("name: x\ninputs:\n- {name: a, type: Integer, default: 'abc'}\nimplementation:\n  container: {image: alpine}\n")
        .unwrap_err()
        .to_string();
    assert!(error.contains("\n  3:"), "{error}");
}

#[container_component]
fn consume() -> ContainerSpec {
    ContainerSpec::new("alpine").command(["true"])
}

#[pipeline(name = "with-settings")]
fn with_settings() {
    use kfp_dsl::kubernetes::KubernetesSettings;
    consume().set_timeout(20);
}

thread_local! {
    /// The `with-settings` pipeline compiled, then loaded as a component.
    static WITH_SETTINGS: LoadedComponent = {
        let (_, yaml) = kfp_dsl::compile_to_string(with_settings::ENTRY, false).unwrap();
        load(&yaml)
    };
}

#[pipeline(name = "outer")]
fn outer() {
    use kfp_dsl::kubernetes::KubernetesSettings;
    consume().set_timeout(5);
    WITH_SETTINGS.with(|loaded| loaded.task().add());
}

/// A compiled pipeline loaded as a component is merged as kfp merges it:
/// its executors renamed on a clash, and its Kubernetes settings with
/// them.
#[test]
fn a_loaded_pipeline_brings_its_platform_spec_along() {
    let (_, yaml) = kfp_dsl::compile_to_string(outer::ENTRY, false).unwrap();
    let file = kfp_ir_schema::validate::validate_str(&yaml, kfp_ir_schema::validate::Format::Yaml)
        .unwrap_or_else(|e| panic!("{e}\n{yaml}"));
    let spec = serde_json::to_value(&file.spec).unwrap();
    assert_eq!(
        spec["components"]["comp-with-settings"]["dag"]["tasks"]["consume"]["componentRef"]["name"],
        "comp-consume-2",
        "{yaml}"
    );
    let platform = serde_json::to_value(file.platform.expect("a platform document")).unwrap();
    let executors = &platform["platforms"]["kubernetes"]["deploymentSpec"]["executors"];
    assert_eq!(
        executors["exec-consume"]["activeDeadlineSeconds"], "5",
        "{yaml}"
    );
    assert_eq!(
        executors["exec-consume-2"]["activeDeadlineSeconds"], "20",
        "{yaml}"
    );
}
