//! Invalid pipeline files: each is rejected, and the message names the JSON
//! path of the problem and says what was expected.
//!
//! Most cases start from one small valid pipeline (two tasks, a platform
//! document) and break one thing in it.

use kfp_ir_schema::diagnostic::Document;
use kfp_ir_schema::validate::{Format, ValidationError, validate_str};
use kfp_ir_schema::yaml;
use serde_json::{Value, json};

const BASE: &str = r#"# PIPELINE DEFINITION
# Name: base-pipeline
components:
  comp-consumer:
    executorLabel: exec-consumer
    inputDefinitions:
      artifacts:
        data:
          artifactType:
            schemaTitle: system.Dataset
            schemaVersion: 0.0.1
      parameters:
        count:
          defaultValue: 1.0
          isOptional: true
          parameterType: NUMBER_INTEGER
        message:
          parameterType: STRING
  comp-producer:
    executorLabel: exec-producer
    inputDefinitions:
      parameters:
        text:
          parameterType: STRING
    outputDefinitions:
      artifacts:
        data:
          artifactType:
            schemaTitle: system.Dataset
            schemaVersion: 0.0.1
      parameters:
        Output:
          parameterType: STRING
deploymentSpec:
  executors:
    exec-consumer:
      container:
        command:
        - cat
        image: python:3.12
    exec-producer:
      container:
        args:
        - '{{$.inputs.parameters[''text'']}}'
        command:
        - echo
        image: python:3.12
        resources:
          accelerator:
            count: '1'
            type: nvidia.com/gpu
pipelineInfo:
  name: base-pipeline
root:
  dag:
    tasks:
      consumer:
        cachingOptions: {}
        componentRef:
          name: comp-consumer
        dependentTasks:
        - producer
        inputs:
          artifacts:
            data:
              taskOutputArtifact:
                outputArtifactKey: data
                producerTask: producer
          parameters:
            message:
              taskOutputParameter:
                outputParameterKey: Output
                producerTask: producer
        taskInfo:
          name: consumer
      producer:
        cachingOptions:
          enableCache: true
        componentRef:
          name: comp-producer
        inputs:
          parameters:
            text:
              componentInputParameter: text
        retryPolicy:
          maxRetryCount: 2
        taskInfo:
          name: producer
  inputDefinitions:
    parameters:
      text:
        defaultValue: hello
        parameterType: STRING
schemaVersion: 2.1.0
sdkVersion: kfp-rs-0.1.0
---
platforms:
  kubernetes:
    deploymentSpec:
      executors:
        exec-producer:
          activeDeadlineSeconds: '120'
          nodeSelector:
            labels:
              disk: ssd
"#;

fn base() -> (Value, Value) {
    let mut docs = yaml::load(BASE).expect("the base loads").into_iter();
    let spec = docs.next().unwrap().value;
    let platform = docs.next().unwrap().value;
    (spec, platform)
}

/// Sets the value at a JSON pointer, creating objects on the way.
fn set(doc: &mut Value, pointer: &str, value: Value) {
    let mut node = doc;
    let tokens: Vec<&str> = pointer.split('/').skip(1).collect();
    let (last, parents) = tokens.split_last().unwrap();
    for token in parents {
        node = node
            .as_object_mut()
            .unwrap_or_else(|| panic!("{pointer}: not an object at {token}"))
            .entry(token.to_string())
            .or_insert_with(|| json!({}));
    }
    node.as_object_mut()
        .unwrap()
        .insert(last.to_string(), value);
}

fn remove(doc: &mut Value, pointer: &str) {
    let (parent, last) = pointer.rsplit_once('/').unwrap();
    doc.pointer_mut(parent)
        .and_then(Value::as_object_mut)
        .unwrap_or_else(|| panic!("{pointer}: no parent"))
        .remove(last)
        .unwrap_or_else(|| panic!("{pointer}: nothing to remove"));
}

fn reject(text: &str) -> ValidationError {
    match validate_str(text, Format::Yaml) {
        Ok(_) => panic!("accepted:\n{text}"),
        Err(e) => e,
    }
}

/// Breaks the base pipeline with `edit`, and checks that the error names
/// `path` (in `document`) and says `words`.
fn case(document: Document, path: &str, words: &str, edit: impl FnOnce(&mut Value, &mut Value)) {
    let (mut spec, mut platform) = base();
    edit(&mut spec, &mut platform);
    let text = yaml::dump(&[&spec, &platform]);
    let error = reject(&text);
    let found = error
        .diagnostics
        .iter()
        .any(|d| d.document == document && d.path == path && d.message.contains(words));
    assert!(
        found,
        "expected a problem at {document} {path} saying {words:?}, got:\n{error}"
    );
}

fn spec_case(path: &str, words: &str, edit: impl FnOnce(&mut Value)) {
    case(Document::PipelineSpec, path, words, |spec, _| edit(spec));
}

fn platform_case(path: &str, words: &str, edit: impl FnOnce(&mut Value)) {
    case(Document::PlatformSpec { index: 2 }, path, words, |_, p| {
        edit(p)
    });
}

const PRODUCER: &str = "/root/dag/tasks/producer";
const CONSUMER: &str = "/root/dag/tasks/consumer";
const EXEC: &str = "/deploymentSpec/executors/exec-producer/container";
const K8S: &str = "/platforms/kubernetes/deploymentSpec/executors/exec-producer";

#[test]
fn the_base_pipeline_is_valid() {
    let file = validate_str(BASE, Format::Yaml).unwrap();
    assert!(file.platform.is_some());
    // And stays valid through the writer the cases use.
    let (spec, platform) = base();
    validate_str(&yaml::dump(&[&spec, &platform]), Format::Yaml).unwrap();
}

// Unknown fields, at every depth.

#[test]
fn unknown_top_level_field() {
    spec_case("", "unknown field `pipelineSpec`", |s| {
        set(s, "/pipelineSpec", json!({}))
    });
}

#[test]
fn unknown_field_in_pipeline_info_suggests_the_right_one() {
    spec_case("/pipelineInfo", "did you mean `displayName`", |s| {
        set(s, "/pipelineInfo/display_name", json!("x"))
    });
}

#[test]
fn unknown_field_in_a_component() {
    spec_case(
        "/components/comp-producer",
        "did you mean `executorLabel`",
        |s| set(s, "/components/comp-producer/executorLable", json!("x")),
    );
}

#[test]
fn unknown_field_in_a_task() {
    spec_case(PRODUCER, "did you mean `componentRef`", |s| {
        set(s, &format!("{PRODUCER}/componentRf"), json!({"name": "x"}))
    });
}

#[test]
fn unknown_field_in_a_task_input() {
    spec_case(
        &format!("{CONSUMER}/inputs/parameters/message/taskOutputParameter"),
        "unknown field `producer`",
        |s| {
            set(
                s,
                &format!("{CONSUMER}/inputs/parameters/message/taskOutputParameter/producer"),
                json!("producer"),
            )
        },
    );
}

#[test]
fn unknown_field_in_a_container() {
    spec_case(EXEC, "did you mean `image`", |s| {
        set(s, &format!("{EXEC}/imagee"), json!("x"))
    });
}

#[test]
fn unknown_field_in_an_accelerator() {
    spec_case(
        &format!("{EXEC}/resources/accelerator"),
        "unknown field `gpus`",
        |s| set(s, &format!("{EXEC}/resources/accelerator/gpus"), json!(1)),
    );
}

#[test]
fn unknown_field_in_a_parameter_definition() {
    spec_case(
        "/root/inputDefinitions/parameters/text",
        "did you mean `defaultValue`",
        |s| {
            set(
                s,
                "/root/inputDefinitions/parameters/text/default_value",
                json!("x"),
            )
        },
    );
}

#[test]
fn unknown_field_in_a_retry_policy() {
    spec_case(
        &format!("{PRODUCER}/retryPolicy"),
        "unknown field `retries`",
        |s| set(s, &format!("{PRODUCER}/retryPolicy/retries"), json!(3)),
    );
}

#[test]
fn unknown_field_in_a_kubernetes_executor_config() {
    platform_case(K8S, "did you mean `nodeSelector`", |p| {
        set(p, &format!("{K8S}/nodeSelectors"), json!({}))
    });
}

// Wrong enum values.

#[test]
fn wrong_parameter_type() {
    spec_case(
        "/root/inputDefinitions/parameters/text/parameterType",
        "NUMBER_INTEGER",
        |s| {
            set(
                s,
                "/root/inputDefinitions/parameters/text/parameterType",
                json!("STR"),
            )
        },
    );
}

#[test]
fn wrong_trigger_strategy() {
    spec_case(
        &format!("{PRODUCER}/triggerPolicy/strategy"),
        "ALL_UPSTREAM_TASKS_COMPLETED",
        |s| {
            set(
                s,
                &format!("{PRODUCER}/triggerPolicy/strategy"),
                json!("SOMETIMES"),
            )
        },
    );
}

// Values of the wrong JSON type.

#[test]
fn number_where_a_string_is_required() {
    spec_case("/schemaVersion", "expected a string", |s| {
        set(s, "/schemaVersion", json!(2))
    });
}

#[test]
fn string_where_an_object_is_required() {
    spec_case(
        &format!("{PRODUCER}/componentRef"),
        "expected an object",
        |s| {
            set(
                s,
                &format!("{PRODUCER}/componentRef"),
                json!("comp-producer"),
            )
        },
    );
}

#[test]
fn string_where_an_int32_is_required() {
    spec_case(
        &format!("{PRODUCER}/retryPolicy/maxRetryCount"),
        "int32",
        |s| {
            set(
                s,
                &format!("{PRODUCER}/retryPolicy/maxRetryCount"),
                json!("two"),
            )
        },
    );
}

#[test]
fn malformed_int64() {
    spec_case(
        &format!("{EXEC}/resources/accelerator/count"),
        "int64",
        |s| {
            set(
                s,
                &format!("{EXEC}/resources/accelerator/count"),
                json!("one"),
            )
        },
    );
}

#[test]
fn string_where_a_boolean_is_required() {
    spec_case(
        &format!("{PRODUCER}/cachingOptions/enableCache"),
        "expected a boolean",
        |s| {
            set(
                s,
                &format!("{PRODUCER}/cachingOptions/enableCache"),
                json!("yes"),
            )
        },
    );
}

#[test]
fn string_where_a_list_is_required() {
    spec_case(
        &format!("{CONSUMER}/dependentTasks"),
        "expected an array",
        |s| set(s, &format!("{CONSUMER}/dependentTasks"), json!("producer")),
    );
}

#[test]
fn object_where_a_string_is_required() {
    spec_case(
        &format!("{PRODUCER}/taskInfo/name"),
        "expected a string",
        |s| set(s, &format!("{PRODUCER}/taskInfo/name"), json!({"a": 1})),
    );
}

#[test]
fn wrong_type_in_the_platform_document() {
    platform_case(
        &format!("{K8S}/nodeSelector/labels/disk"),
        "expected a string",
        |p| set(p, &format!("{K8S}/nodeSelector/labels/disk"), json!(5)),
    );
}

// Two members of one oneof.

#[test]
fn two_sources_for_one_input_parameter() {
    spec_case(
        &format!("{PRODUCER}/inputs/parameters/text"),
        "set only one of",
        |s| {
            set(
                s,
                &format!("{PRODUCER}/inputs/parameters/text/runtimeValue"),
                json!({"constant": "x"}),
            )
        },
    );
}

#[test]
fn component_with_both_dag_and_executor() {
    spec_case(
        "/components/comp-producer",
        "`dag` and `executorLabel`",
        |s| set(s, "/components/comp-producer/dag", json!({"tasks": {}})),
    );
}

#[test]
fn executor_with_both_container_and_importer() {
    spec_case(
        "/deploymentSpec/executors/exec-producer",
        "set only one of",
        |s| {
            set(
                s,
                "/deploymentSpec/executors/exec-producer/importer",
                json!({"artifactUri": {"constant": "gs://x"}}),
            )
        },
    );
}

#[test]
fn artifact_type_with_title_and_instance_schema() {
    let at = "/components/comp-consumer/inputDefinitions/artifacts/data/artifactType";
    spec_case(at, "set only one of", |s| {
        set(s, &format!("{at}/instanceSchema"), json!("title: x"))
    });
}

// References that do not resolve.

#[test]
fn missing_executor() {
    spec_case(
        "/components/comp-producer/executorLabel",
        "executor `exec-produce` is not in `deploymentSpec.executors` (did you mean `exec-producer`?)",
        |s| {
            set(
                s,
                "/components/comp-producer/executorLabel",
                json!("exec-produce"),
            )
        },
    );
}

#[test]
fn missing_component() {
    spec_case(
        &format!("{PRODUCER}/componentRef/name"),
        "component `comp-nope` is not in `components`",
        |s| {
            set(
                s,
                &format!("{PRODUCER}/componentRef/name"),
                json!("comp-nope"),
            )
        },
    );
}

#[test]
fn dangling_producer_task() {
    spec_case(
        &format!("{CONSUMER}/inputs/parameters/message/taskOutputParameter/producerTask"),
        "producer task `producr` is not a task of this DAG (did you mean `producer`?)",
        |s| {
            set(
                s,
                &format!("{CONSUMER}/inputs/parameters/message/taskOutputParameter/producerTask"),
                json!("producr"),
            )
        },
    );
}

#[test]
fn dangling_dependent_task() {
    spec_case(
        &format!("{CONSUMER}/dependentTasks/0"),
        "dependent task `ghost` is not a task of this DAG",
        |s| set(s, &format!("{CONSUMER}/dependentTasks"), json!(["ghost"])),
    );
}

#[test]
fn dangling_output_key() {
    spec_case(
        &format!("{CONSUMER}/inputs/parameters/message/taskOutputParameter"),
        "has no output parameter `Outputs`",
        |s| {
            set(
                s,
                &format!(
                    "{CONSUMER}/inputs/parameters/message/taskOutputParameter/outputParameterKey"
                ),
                json!("Outputs"),
            )
        },
    );
}

#[test]
fn dangling_dag_output_producer() {
    spec_case(
        "/root/dag/outputs/parameters/result/valueFromParameter/producerSubtask",
        "producer subtask `nobody` is not a task of this DAG",
        |s| {
            set(
                s,
                "/root/dag/outputs/parameters/result/valueFromParameter",
                json!({"producerSubtask": "nobody", "outputParameterKey": "Output"}),
            )
        },
    );
}

#[test]
fn platform_config_for_a_missing_executor() {
    platform_case(
        "/platforms/kubernetes/deploymentSpec/executors/exec-ghost",
        "not in the pipeline's `deploymentSpec.executors`",
        |p| {
            set(
                p,
                "/platforms/kubernetes/deploymentSpec/executors/exec-ghost",
                json!({"activeDeadlineSeconds": "5"}),
            )
        },
    );
}

#[test]
fn dependency_cycle() {
    spec_case(
        CONSUMER,
        "dependency cycle: `consumer` → `producer` → `consumer`",
        |s| {
            set(
                s,
                &format!("{PRODUCER}/dependentTasks"),
                json!(["consumer"]),
            )
        },
    );
}

#[test]
fn self_dependency() {
    spec_case(
        PRODUCER,
        "dependency cycle: `producer` → `producer`",
        |s| {
            set(
                s,
                &format!("{PRODUCER}/dependentTasks"),
                json!(["producer"]),
            )
        },
    );
}

// The backend's header rules.

#[test]
fn invalid_pipeline_name() {
    spec_case(
        "/pipelineInfo/name",
        "must match ^[a-z0-9][a-z0-9-]{0,127}$",
        |s| set(s, "/pipelineInfo/name", json!("Base_Pipeline")),
    );
}

#[test]
fn empty_pipeline_name() {
    spec_case("/pipelineInfo/name", "missing pipeline name", |s| {
        set(s, "/pipelineInfo/name", json!(""))
    });
}

#[test]
fn wrong_schema_version() {
    spec_case(
        "/schemaVersion",
        "KFP only supports schema version 2.1.0",
        |s| set(s, "/schemaVersion", json!("2.0.0")),
    );
}

#[test]
fn missing_root() {
    spec_case("/root", "missing `root`", |s| remove(s, "/root"));
}

#[test]
fn root_that_is_not_a_dag() {
    spec_case("/root", "must be a DAG", |s| {
        set(s, "/root", json!({"executorLabel": "exec-producer"}))
    });
}

#[test]
fn dag_with_only_exit_tasks() {
    spec_case("/root/dag/tasks", "one or more non-exit tasks", |s| {
        for task in [PRODUCER, CONSUMER] {
            set(
                s,
                &format!("{task}/triggerPolicy/strategy"),
                json!("ALL_UPSTREAM_TASKS_COMPLETED"),
            );
        }
    });
}

#[test]
fn executor_kind_the_backend_cannot_run() {
    spec_case(
        "/components/comp-producer/executorLabel",
        "does not run",
        |s| {
            set(
                s,
                "/deploymentSpec/executors/exec-producer",
                json!({"resolver": {}}),
            )
        },
    );
}

// Task inputs against the component's declarations.

#[test]
fn misspelt_input_name() {
    spec_case(
        &format!("{PRODUCER}/inputs"),
        "required input `text` of component `comp-producer` is not bound (the task binds `txt`, which the component does not declare)",
        |s| {
            let inputs = format!("{PRODUCER}/inputs/parameters");
            remove(s, &format!("{inputs}/text"));
            set(
                s,
                &format!("{inputs}/txt"),
                json!({"componentInputParameter": "text"}),
            );
        },
    );
}

#[test]
fn artifact_the_component_does_not_declare() {
    spec_case(
        &format!("{CONSUMER}/inputs/artifacts/model"),
        "component `comp-consumer` has no input artifact `model`",
        |s| {
            set(
                s,
                &format!("{CONSUMER}/inputs/artifacts/model"),
                json!({"taskOutputArtifact": {"producerTask": "producer", "outputArtifactKey": "data"}}),
            )
        },
    );
}

#[test]
fn artifact_bound_as_a_parameter() {
    spec_case(
        &format!("{CONSUMER}/inputs/parameters/data"),
        "is an input artifact of component `comp-consumer`, but the task binds it as a parameter",
        |s| {
            set(
                s,
                &format!("{CONSUMER}/inputs/parameters/data"),
                json!({"runtimeValue": {"constant": "x"}}),
            )
        },
    );
}

#[test]
fn required_input_left_unbound() {
    spec_case(
        &format!("{CONSUMER}/inputs"),
        "required input `message` of component `comp-consumer` is not bound",
        |s| remove(s, &format!("{CONSUMER}/inputs/parameters/message")),
    );
}

#[test]
fn loop_item_input_not_declared() {
    spec_case(
        &format!("{PRODUCER}/parameterIterator/itemInput"),
        "loop item input `item` is not an input parameter",
        |s| {
            set(
                s,
                &format!("{PRODUCER}/parameterIterator"),
                json!({"itemInput": "item", "items": {"raw": "[1, 2]"}}),
            )
        },
    );
}

#[test]
fn loop_over_an_unbound_input() {
    spec_case(
        &format!("{PRODUCER}/parameterIterator/items/inputParameter"),
        "the loop iterates over `list`",
        |s| {
            set(
                s,
                &format!("{PRODUCER}/parameterIterator"),
                json!({"itemInput": "text", "items": {"inputParameter": "list"}}),
            )
        },
    );
}

// Text that is not a pipeline at all.

#[test]
fn malformed_yaml_names_the_line() {
    let error = reject("pipelineInfo:\n  name: x\nroot: [unclosed\n");
    let d = &error.diagnostics[0];
    assert_eq!(d.document, Document::File);
    assert!(d.message.contains("not valid YAML"), "{error}");
    assert!(d.location.is_some_and(|l| l.line >= 3), "{error}");
}

#[test]
fn duplicate_keys_are_refused() {
    let error = reject("schemaVersion: 2.1.0\nschemaVersion: 2.1.0\n");
    assert!(error.to_string().contains("duplicate"), "{error}");
}

#[test]
fn empty_file() {
    for text in [
        "",
        "\n",
        "# PIPELINE DEFINITION\n# Name: echo\n",
        "---\n...\n",
    ] {
        let error = reject(text);
        assert!(
            error.to_string().contains("no document"),
            "{text:?}: {error}"
        );
    }
}

#[test]
fn a_document_that_is_not_a_mapping() {
    let error = reject("- a\n- b\n");
    assert!(error.to_string().contains("expected an object"), "{error}");
}

#[test]
fn fifty_megabyte_file() {
    let line = "# padding padding padding padding padding padding padding padding\n";
    let text = line.repeat(50 * 1024 * 1024 / line.len() + 1);
    assert!(text.len() > 50 * 1024 * 1024);
    let error = reject(&text);
    assert!(error.to_string().contains("32 MiB"), "{error}");
}

#[test]
fn malformed_json() {
    let error = validate_str("{\"pipelineInfo\": ", Format::Json).unwrap_err();
    let d = &error.diagnostics[0];
    assert!(d.message.contains("not valid JSON"), "{error}");
    assert_eq!(d.location.map(|l| l.line), Some(1));
}

// Reporting.

#[test]
fn every_problem_is_reported_not_only_the_first() {
    let (mut spec, platform) = base();
    set(&mut spec, "/pipelineInfo/nme", json!("x"));
    set(&mut spec, "/schemaVersion", json!(3));
    set(&mut spec, &format!("{EXEC}/imag"), json!("x"));
    let error = reject(&yaml::dump(&[&spec, &platform]));
    assert_eq!(error.diagnostics.len(), 3, "{error}");

    let (mut spec, platform) = base();
    set(&mut spec, "/pipelineInfo/name", json!("Bad"));
    set(&mut spec, "/schemaVersion", json!("2.0.0"));
    set(
        &mut spec,
        &format!("{PRODUCER}/componentRef/name"),
        json!("comp-nope"),
    );
    let error = reject(&yaml::dump(&[&spec, &platform]));
    assert_eq!(error.diagnostics.len(), 3, "{error}");
}

#[test]
fn yaml_errors_carry_the_line_of_the_path() {
    let text = BASE.replace("          name: comp-producer", "          name: comp-nope");
    let error = reject(&text);
    let d = &error.diagnostics[0];
    let line = BASE
        .lines()
        .position(|l| l == "          name: comp-producer")
        .unwrap()
        + 1;
    assert_eq!(d.location.map(|l| l.line), Some(line), "{error}");
    assert!(
        error
            .to_string()
            .starts_with(&format!("1 problem:\n  {line}:")),
        "{error}"
    );
}
