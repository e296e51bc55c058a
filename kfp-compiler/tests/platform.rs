//! The Kubernetes settings of tasks, lowered to the `PlatformSpec` as
//! kfp-kubernetes 2.17 writes it.

use kfp_compiler::graph::kubernetes::{
    EmptyDirMount, EphemeralVolume, FieldPathAsEnv, ImagePullPolicy, JsonSetting, KeysAsEnv,
    KubernetesConfig, MountedObject, NodeAffinityTerm, OrJson, PvcMount, SecurityContext,
    SelectorOperator, TaintEffect, Toleration,
};
use kfp_compiler::graph::{
    Component, ConfigValue, ContainerSpec, Group, InputParameter, LoopItems, OutputParameter,
    ParallelFor, ParameterType, Pipeline, Task, TaskId,
};
use kfp_compiler::{CompileError, TaskError, compile, compile_file};
use serde_json::{Value, json};

fn container(name: &str) -> Component {
    Component::from_function_name(name)
        .with_implementation(ContainerSpec::new("alpine").command(["true"]))
}

fn producer() -> Component {
    container("make_name").with_output(OutputParameter::new("name", ParameterType::String))
}

/// The Kubernetes config of executor `label`, as JSON.
fn executor(pipeline: &Pipeline, label: &str) -> Value {
    let file = compile_file(pipeline).unwrap_or_else(|e| panic!("{e}"));
    kfp_ir_schema::validate::validate_spec(&file.spec, file.platform.as_ref())
        .unwrap_or_else(|e| panic!("{e}"));
    let platform = serde_json::to_value(file.platform.expect("a platform spec")).unwrap();
    platform["platforms"]["kubernetes"]["deploymentSpec"]["executors"][label].clone()
}

fn task_error(pipeline: &Pipeline) -> TaskError {
    match compile_file(pipeline) {
        Err(CompileError::Task { error, .. }) => *error,
        other => panic!("expected a task error, got {other:?}"),
    }
}

#[test]
fn a_task_without_settings_gives_no_platform_spec() {
    let mut p = Pipeline::new("plain");
    let c = p.add_component(container("comp"));
    p.add_task(Task::new(c));
    let file = compile_file(&p).unwrap();
    assert_eq!(file.platform, None);
    assert_eq!(file.spec, compile(&p).unwrap());
    assert!(file.to_json().is_some());
}

#[test]
fn every_setting_is_written_as_kfp_kubernetes_writes_it() {
    let mut p = Pipeline::new("all-settings");
    p.inputs
        .push(InputParameter::new("secret_name", ParameterType::String));
    p.inputs
        .push(InputParameter::new("selector", ParameterType::Struct));
    let make = p.add_component(producer());
    let c = p.add_component(container("comp"));
    let made = p.add_task(Task::new(make));
    let task = p.add_task(Task::new(c));
    let name_output = ConfigValue::TaskOutput {
        task: made,
        output: "name".into(),
    };
    let k = KubernetesConfig {
        secret_as_env: vec![
            KeysAsEnv {
                name: "my-secret".into(),
                key_to_env: vec![("password".into(), "PASSWORD".into())],
                optional: false,
            },
            KeysAsEnv {
                name: ConfigValue::PipelineParameter("secret_name".into()),
                key_to_env: vec![("user".into(), "USER".into())],
                optional: true,
            },
        ],
        secret_as_volume: vec![MountedObject {
            name: name_output.clone(),
            mount_path: "/mnt/secret".into(),
            optional: false,
        }],
        config_map_as_env: vec![KeysAsEnv {
            name: "cm".into(),
            key_to_env: vec![("k".into(), "K".into())],
            optional: false,
        }],
        config_map_as_volume: vec![MountedObject {
            name: "cm".into(),
            mount_path: "/mnt/cm".into(),
            optional: true,
        }],
        pvc_mounts: vec![
            PvcMount {
                pvc_name: "claim".into(),
                mount_path: "/a".into(),
                sub_path: "models".into(),
            },
            PvcMount {
                pvc_name: ConfigValue::PipelineParameter("secret_name".into()),
                mount_path: "/b".into(),
                sub_path: String::new(),
            },
            PvcMount {
                pvc_name: name_output,
                mount_path: "/c".into(),
                sub_path: String::new(),
            },
        ],
        ephemeral_volumes: vec![
            EphemeralVolume::new("scratch", "/scratch", ["ReadWriteOnce"], "5Gi")
                .annotation("a", "1"),
            EphemeralVolume::new("fast", "/fast", ["ReadWriteOnce"], "1Gi")
                .storage_class_name("ssd"),
        ],
        empty_dir_mounts: vec![EmptyDirMount::new("tmp", "/tmp").medium("Memory")],
        node_selector: [("disk".to_owned(), "ssd".to_owned())].into(),
        node_selector_json: Some(JsonSetting::PipelineParameter("selector".into())),
        tolerations: vec![
            Toleration::equal("key1", "value1")
                .effect(TaintEffect::NoExecute)
                .toleration_seconds(10)
                .into(),
            OrJson::Json(JsonSetting::PipelineParameter("selector".into())),
        ],
        node_affinity: vec![
            NodeAffinityTerm::new()
                .match_expression("zone", SelectorOperator::In, ["us-west-1"])
                .weight(50)
                .into(),
            OrJson::Json(JsonSetting::Constant(
                json!({"requiredDuringSchedulingIgnoredDuringExecution": {"nodeSelectorTerms": [{"weight": 1}]}}),
            )),
        ],
        pod_labels: [("team".to_owned(), "vision".to_owned())].into(),
        pod_annotations: [("note".to_owned(), "x".to_owned())].into(),
        image_pull_secrets: vec!["regcred".into()],
        image_pull_policy: Some(ImagePullPolicy::IfNotPresent),
        field_path_as_env: vec![FieldPathAsEnv {
            name: "POD".into(),
            field_path: "metadata.name".into(),
        }],
        active_deadline_seconds: 20,
        security_context: Some(SecurityContext::new().run_as_user(65534).run_as_group(0)),
    };
    let t = p.task_mut(task);
    t.config.kubernetes = k;
    t.config.after.push(made);

    let constant = |v: &str| json!({"runtimeValue": {"constant": v}});
    let from_task =
        json!({"taskOutputParameter": {"producerTask": "make-name", "outputParameterKey": "name"}});
    assert_eq!(
        executor(&p, "exec-comp"),
        json!({
            "secretAsEnv": [
                {"secretName": "my-secret", "secretNameParameter": constant("my-secret"),
                 "keyToEnv": [{"secretKey": "password", "envVar": "PASSWORD"}], "optional": false},
                {"secretNameParameter": {"componentInputParameter": "secret_name"},
                 "keyToEnv": [{"secretKey": "user", "envVar": "USER"}], "optional": true}
            ],
            "secretAsVolume": [
                {"secretNameParameter": from_task, "mountPath": "/mnt/secret", "optional": false}
            ],
            "configMapAsEnv": [
                {"configMapName": "cm", "configMapNameParameter": constant("cm"),
                 "keyToEnv": [{"configMapKey": "k", "envVar": "K"}], "optional": false}
            ],
            "configMapAsVolume": [
                {"configMapName": "cm", "configMapNameParameter": constant("cm"),
                 "mountPath": "/mnt/cm", "optional": true}
            ],
            "pvcMount": [
                {"constant": "claim", "pvcNameParameter": constant("claim"), "mountPath": "/a",
                 "subPath": "models"},
                {"componentInputParameter": "secret_name",
                 "pvcNameParameter": {"componentInputParameter": "secret_name"}, "mountPath": "/b"},
                {"taskOutputParameter": from_task["taskOutputParameter"],
                 "pvcNameParameter": from_task, "mountPath": "/c"}
            ],
            "genericEphemeralVolume": [
                {"volumeName": "scratch", "mountPath": "/scratch", "accessModes": ["ReadWriteOnce"],
                 "size": "5Gi", "defaultStorageClass": true, "metadata": {"annotations": {"a": "1"}}},
                {"volumeName": "fast", "mountPath": "/fast", "accessModes": ["ReadWriteOnce"],
                 "size": "1Gi", "storageClassName": "ssd"}
            ],
            "emptyDirMounts": [{"volumeName": "tmp", "mountPath": "/tmp", "medium": "Memory"}],
            "nodeSelector": {"labels": {"disk": "ssd"},
                             "nodeSelectorJson": {"componentInputParameter": "selector"}},
            "tolerations": [
                {"key": "key1", "operator": "Equal", "value": "value1", "effect": "NoExecute",
                 "tolerationSeconds": "10"},
                {"tolerationJson": {"componentInputParameter": "selector"}}
            ],
            // A google.protobuf.Struct holds every number as a double.
            "nodeAffinity": [
                {"matchExpressions": [{"key": "zone", "operator": "In", "values": ["us-west-1"]}],
                 "weight": 50.0},
                {"nodeAffinityJson": {"runtimeValue": {"constant":
                    {"requiredDuringSchedulingIgnoredDuringExecution": {"nodeSelectorTerms": [{"weight": 1.0}]}}}}}
            ],
            "podMetadata": {"labels": {"team": "vision"}, "annotations": {"note": "x"}},
            "imagePullSecret": [{"secretName": "regcred", "secretNameParameter": constant("regcred")}],
            "imagePullPolicy": "IfNotPresent",
            "fieldPathAsEnv": [{"name": "POD", "fieldPath": "metadata.name"}],
            "activeDeadlineSeconds": "20",
            "securityContext": {"runAsUser": "65534", "runAsGroup": "0"}
        })
    );
    // The spec still compiles on its own, without the platform.
    assert!(compile(&p).is_ok());
    assert!(compile_file(&p).unwrap().to_json().is_none());
}

#[test]
fn settings_of_an_inner_pipeline_follow_its_renamed_executors() {
    let mut inner = Pipeline::new("inner");
    let c = inner.add_component(container("comp"));
    let t = inner.add_task(Task::new(c));
    inner.task_mut(t).config.kubernetes.active_deadline_seconds = 5;

    let mut outer = Pipeline::new("outer");
    let c = outer.add_component(container("comp"));
    let first = outer.add_task(Task::new(c));
    outer.task_mut(first).config.kubernetes.pod_labels =
        [("outer".to_owned(), "yes".to_owned())].into();
    let inner = outer.add_component(Component::from_pipeline(inner));
    outer.add_task(Task::new(inner));

    // The outer task took `exec-comp`; the inner one became `exec-comp-2`.
    assert_eq!(
        executor(&outer, "exec-comp"),
        json!({"podMetadata": {"labels": {"outer": "yes"}}})
    );
    assert_eq!(
        executor(&outer, "exec-comp-2"),
        json!({"activeDeadlineSeconds": "5"})
    );
}

#[test]
fn a_pipeline_task_cannot_have_kubernetes_settings() {
    let mut inner = Pipeline::new("inner");
    let c = inner.add_component(container("comp"));
    inner.add_task(Task::new(c));
    let mut outer = Pipeline::new("outer");
    let inner = outer.add_component(Component::from_pipeline(inner));
    let t = outer.add_task(Task::new(inner));
    outer.task_mut(t).config.kubernetes.active_deadline_seconds = 5;
    assert!(matches!(
        task_error(&outer),
        TaskError::ContainerSettingOnPipeline { .. }
    ));
}

/// A pipeline with a producer task and a consumer whose settings are
/// `config`.
fn consumer_with(config: KubernetesConfig, after: bool) -> Pipeline {
    let mut p = Pipeline::new("p");
    p.inputs
        .push(InputParameter::new("name", ParameterType::String));
    let make = p.add_component(producer());
    let c = p.add_component(container("comp"));
    let made = p.add_task(Task::new(make));
    let t = p.add_task(Task::new(c));
    p.task_mut(t).config.kubernetes = config;
    if after {
        p.task_mut(t).config.after.push(made);
    }
    p
}

fn secret_volume(name: ConfigValue) -> KubernetesConfig {
    KubernetesConfig {
        secret_as_volume: vec![MountedObject {
            name,
            mount_path: "/s".into(),
            optional: false,
        }],
        ..KubernetesConfig::default()
    }
}

#[test]
fn references_are_checked() {
    let unknown_input = consumer_with(
        secret_volume(ConfigValue::PipelineParameter("nope".into())),
        false,
    );
    assert!(matches!(
        task_error(&unknown_input),
        TaskError::UnknownPipelineInput { name, .. } if name == "nope"
    ));

    let output = |output: &str, task: usize| ConfigValue::TaskOutput {
        task: TaskId(task),
        output: output.into(),
    };
    let unknown_output = consumer_with(secret_volume(output("nope", 0)), true);
    assert!(matches!(
        task_error(&unknown_output),
        TaskError::UnknownTaskOutput { output, .. } if output == "nope"
    ));
    let itself = consumer_with(secret_volume(output("name", 1)), true);
    assert!(matches!(
        task_error(&itself),
        TaskError::ForwardReference { .. }
    ));
    let unknown_task = consumer_with(secret_volume(output("name", 7)), true);
    assert!(matches!(
        task_error(&unknown_task),
        TaskError::UnknownTask { .. }
    ));
    let not_after = consumer_with(secret_volume(output("name", 0)), false);
    let error = task_error(&not_after);
    assert!(error.to_string().contains("must run after it"), "{error}");
    assert!(compile_file(&consumer_with(secret_volume(output("name", 0)), true)).is_ok());

    let empty = consumer_with(secret_volume("".into()), false);
    assert!(matches!(
        task_error(&empty),
        TaskError::InvalidSetting { .. }
    ));
}

#[test]
fn values_out_of_range_are_refused() {
    let weight = KubernetesConfig {
        node_affinity: vec![NodeAffinityTerm::new().weight(101).into()],
        ..KubernetesConfig::default()
    };
    let error = task_error(&consumer_with(weight, false));
    assert!(error.to_string().contains("between 1 and 100"), "{error}");

    let key = KubernetesConfig {
        node_affinity: vec![
            NodeAffinityTerm::new()
                .match_field("", SelectorOperator::Exists, Vec::<String>::new())
                .into(),
        ],
        ..KubernetesConfig::default()
    };
    let error = task_error(&consumer_with(key, false));
    assert!(error.to_string().contains("non-empty key"), "{error}");

    let security = KubernetesConfig {
        security_context: Some(SecurityContext::new()),
        ..KubernetesConfig::default()
    };
    let error = task_error(&consumer_with(security, false));
    assert!(error.to_string().contains("at least one"), "{error}");
    let negative = KubernetesConfig {
        security_context: Some(SecurityContext::new().run_as_user(-1)),
        ..KubernetesConfig::default()
    };
    let error = task_error(&consumer_with(negative, false));
    assert!(error.to_string().contains("0 or more"), "{error}");

    let timeout = KubernetesConfig {
        active_deadline_seconds: u64::MAX,
        ..KubernetesConfig::default()
    };
    let error = task_error(&consumer_with(timeout, false));
    assert!(error.to_string().contains("int64"), "{error}");
}

#[test]
fn inside_a_loop_only_literals_are_supported_for_now() {
    let mut p = consumer_with(
        secret_volume(ConfigValue::PipelineParameter("name".into())),
        false,
    );
    let group = p.add_group(Group::parallel_for(
        None,
        ParallelFor {
            items: LoopItems::Raw(vec![json!(1), json!(2)]),
            item_kind: ParameterType::Integer,
            parallelism: None,
        },
    ));
    p.task_mut(TaskId(1)).group = Some(group);
    let error = task_error(&p);
    assert!(
        matches!(error, TaskError::OutOfScope { .. }) && error.to_string().contains("loop"),
        "{error}"
    );

    // A literal name is fine in a loop.
    p.task_mut(TaskId(1)).config.kubernetes = secret_volume("literal".into());
    assert_eq!(
        executor(&p, "exec-comp")["secretAsVolume"][0]["secretName"],
        "literal"
    );
}
