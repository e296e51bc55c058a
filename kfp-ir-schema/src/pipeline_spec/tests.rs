//! Unit tests of the `PipelineSpec` types on small inline JSON.

use serde::Serialize;
use serde::de::DeserializeOwned;
use serde_json::{Value as Json, json};

use super::*;

/// Reads `json` as a `T`, writes it back and checks the JSON is unchanged.
fn round_trip<T: DeserializeOwned + Serialize>(json: Json) -> T {
    let value: T = serde_json::from_value(json.clone()).expect("reads");
    assert_eq!(serde_json::to_value(&value).expect("writes"), json);
    value
}

/// Reads `json` as a `T`, expecting an error that mentions every one of
/// `words`.
fn rejects<T: DeserializeOwned + std::fmt::Debug>(json: Json, words: &[&str]) {
    let text = json.to_string();
    let mut de = serde_json::Deserializer::from_str(&text);
    let err = serde_path_to_error::deserialize::<_, T>(&mut de)
        .expect_err("should be rejected")
        .to_string();
    for word in words {
        assert!(err.contains(word), "{word:?} not in error: {err}");
    }
}

#[test]
fn component_implementation_is_dag_or_executor_or_none() {
    let c: ComponentSpec = round_trip(json!({"dag": {}}));
    assert_eq!(
        c.implementation,
        Some(ComponentImplementation::Dag(DagSpec::default()))
    );
    let c: ComponentSpec = round_trip(json!({"executorLabel": "exec-a"}));
    assert_eq!(
        c.implementation,
        Some(ComponentImplementation::ExecutorLabel("exec-a".into()))
    );
    let c: ComponentSpec = round_trip(json!({"inputDefinitions": {}}));
    assert_eq!(c.implementation, None);
    assert_eq!(c.input_definitions, Some(ComponentInputsSpec::default()));
    rejects::<ComponentSpec>(
        json!({"dag": {}, "executorLabel": "exec-a"}),
        &["`dag`", "`executorLabel`", "implementation"],
    );
}

#[test]
fn task_iterator_is_artifact_or_parameter_or_none() {
    let t: PipelineTaskSpec = round_trip(json!({
        "parameterIterator": {"items": {"raw": "[1, 2]"}, "itemInput": "x"}
    }));
    assert_eq!(
        t.iterator,
        Some(TaskIterator::ParameterIterator(ParameterIteratorSpec {
            items: Some(ParameterItemsSpec::Raw("[1, 2]".into())),
            item_input: "x".into(),
        }))
    );
    let t: PipelineTaskSpec = round_trip(json!({
        "artifactIterator": {"items": {"inputArtifact": "a"}, "itemInput": "x"}
    }));
    assert!(matches!(
        t.iterator,
        Some(TaskIterator::ArtifactIterator(_))
    ));
    let t: PipelineTaskSpec = round_trip(json!({"taskInfo": {"name": "t"}}));
    assert_eq!(t.iterator, None);
    rejects::<PipelineTaskSpec>(
        json!({"artifactIterator": {}, "parameterIterator": {}}),
        &["`artifactIterator`", "`parameterIterator`"],
    );
}

#[test]
fn artifact_type_kind_is_optional_and_exclusive() {
    let t: ArtifactTypeSchema = round_trip(json!({"instanceSchema": "title: x"}));
    assert_eq!(
        t.kind,
        Some(ArtifactTypeKind::InstanceSchema("title: x".into()))
    );
    let t: ArtifactTypeSchema = round_trip(json!({"schemaVersion": "0.0.1"}));
    assert_eq!(t.kind, None);
    // A oneof member holding its default is still written.
    round_trip::<ArtifactTypeSchema>(json!({"schemaTitle": ""}));
    rejects::<ArtifactTypeSchema>(
        json!({"schemaTitle": "system.Model", "schemaUri": "gs://x"}),
        &["`schemaTitle`", "`schemaUri`"],
    );
}

#[test]
fn executor_spec_needs_exactly_one_member() {
    let e: ExecutorSpec = round_trip(json!({"importer": {"reimport": true}}));
    assert_eq!(
        e,
        ExecutorSpec::Importer(ImporterSpec {
            reimport: true,
            ..Default::default()
        })
    );
    round_trip::<ExecutorSpec>(json!({"resolver": {}}));
    round_trip::<ExecutorSpec>(json!({"customJob": {"customJob": {"a": 1}}}));
    rejects::<ExecutorSpec>(json!({}), &["ExecutorSpec", "`container`", "required"]);
    rejects::<ExecutorSpec>(
        json!({"container": {}, "importer": {}}),
        &["`container`", "`importer`", "spec"],
    );
}

#[test]
fn input_artifact_and_dag_output_and_items_need_exactly_one_member() {
    let a: InputArtifactSpec = round_trip(json!({"componentInputArtifact": "data"}));
    assert_eq!(a, InputArtifactSpec::ComponentInputArtifact("data".into()));
    round_trip::<InputArtifactSpec>(json!({
        "taskOutputArtifact": {"producerTask": "t", "outputArtifactKey": "o"}
    }));
    rejects::<InputArtifactSpec>(json!({}), &["required"]);
    rejects::<InputArtifactSpec>(
        json!({"componentInputArtifact": "a", "taskOutputArtifact": {}}),
        &["`taskOutputArtifact`", "`componentInputArtifact`"],
    );

    round_trip::<DagOutputParameterSpec>(json!({
        "valueFromOneof": {"parameterSelectors": [{"producerSubtask": "t", "outputParameterKey": "o"}]}
    }));
    rejects::<DagOutputParameterSpec>(
        json!({"valueFromParameter": {}, "valueFromOneof": {}}),
        &["`valueFromParameter`", "`valueFromOneof`"],
    );

    let i: ParameterItemsSpec = round_trip(json!({"inputParameter": "xs"}));
    assert_eq!(i, ParameterItemsSpec::InputParameter("xs".into()));
    rejects::<ParameterItemsSpec>(
        json!({"raw": "[]", "inputParameter": "xs"}),
        &["`raw`", "`inputParameter`"],
    );
}

#[test]
fn unknown_field_is_rejected_deep_inside_with_its_path() {
    rejects::<PipelineSpec>(
        json!({
            "root": {"dag": {"tasks": {"t": {"cachingOptions": {"enableCache": true, "bogus": 1}}}}}
        }),
        &["bogus", "root", "t"],
    );
    rejects::<PipelineSpec>(
        json!({"deploymentSpec": {"executors": {"exec-a": {"container": {"imag": "x"}}}}}),
        &["imag"],
    );
}

#[test]
fn int64_is_read_from_string_or_number_and_written_as_string() {
    let from_string: AcceleratorConfig = round_trip(json!({"count": "2", "type": "TPU"}));
    let from_number: AcceleratorConfig =
        serde_json::from_value(json!({"count": 2, "type": "TPU"})).unwrap();
    assert_eq!(from_string, from_number);
    assert_eq!(from_number.count, 2);
    assert_eq!(serde_json::to_value(&from_number).unwrap()["count"], "2");
}

#[test]
fn int32_is_written_as_number() {
    let p: IteratorPolicy = serde_json::from_value(json!({"parallelismLimit": "3"})).unwrap();
    assert_eq!(p.parallelism_limit, 3);
    assert_eq!(
        serde_json::to_value(&p).unwrap(),
        json!({"parallelismLimit": 3})
    );
}

#[test]
fn enums_are_read_by_name_or_number_and_written_by_name() {
    let by_name: ComponentInputParameterSpec =
        round_trip(json!({"parameterType": "NUMBER_INTEGER"}));
    let by_number: ComponentInputParameterSpec =
        serde_json::from_value(json!({"parameterType": 2})).unwrap();
    assert_eq!(by_name, by_number);
    assert_eq!(by_number.parameter_type, ParameterType::NumberInteger);
    let t: TriggerPolicy = round_trip(json!({"strategy": "ALL_UPSTREAM_TASKS_COMPLETED"}));
    assert_eq!(t.strategy, TriggerStrategy::AllUpstreamTasksCompleted);
    rejects::<TriggerPolicy>(json!({"strategy": "SOMETIMES"}), &["SOMETIMES"]);
}

#[test]
fn empty_messages_survive_a_round_trip() {
    let t: PipelineTaskSpec = round_trip(json!({"cachingOptions": {}}));
    assert_eq!(t.caching_options, Some(CachingOptions::default()));
    let p: PlatformSpec = round_trip(json!({
        "platforms": {"kubernetes": {"pipelineConfig": {"workspace": {"kubernetes": {"pvcSpecPatch": {}}}}}}
    }));
    let workspace = p.platforms["kubernetes"]
        .pipeline_config
        .as_ref()
        .and_then(|c| c.workspace.as_ref())
        .unwrap();
    assert_eq!(
        workspace.kubernetes,
        Some(KubernetesWorkspaceConfig {
            pvc_spec_patch: Some(Struct::new())
        })
    );
    round_trip::<ComponentSpec>(json!({"dag": {"outputs": {}}, "outputDefinitions": {}}));
}

#[test]
fn values_keep_their_json_form() {
    // `google.protobuf.Value` numbers stay as written: `3.0` is not `3`.
    let p: ComponentInputParameterSpec =
        round_trip(json!({"defaultValue": 3.0, "parameterType": "NUMBER_INTEGER"}));
    assert_eq!(p.default_value, Some(json!(3.0)));
    let p: ComponentInputParameterSpec = round_trip(json!({"defaultValue": null}));
    assert_eq!(p.default_value, Some(Json::Null));
    round_trip::<RetryPolicy>(
        json!({"backoffDuration": "0s", "backoffFactor": 2.0, "maxRetryCount": 1}),
    );
}

#[test]
fn json_schema_makes_oneof_keys_exclusive() {
    let schema = serde_json::to_value(schemars::schema_for!(PipelineSpec)).unwrap();
    let defs = &schema["$defs"];
    for name in [
        "ComponentSpec",
        "PipelineTaskSpec",
        "ExecutorSpec",
        "ArtifactTypeSchema",
    ] {
        assert!(
            defs[name]["not"]["anyOf"].is_array(),
            "{name}: {}",
            defs[name]
        );
    }
    assert_eq!(defs["ExecutorSpec"]["minProperties"], 1);
}
