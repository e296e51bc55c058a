//! The Kubernetes settings of tasks, lowered to the `PlatformSpec` as
//! kfp-kubernetes 2.17 writes it.

mod common;

use kfp_compiler::graph::kubernetes::{
    EmptyDirMount, EphemeralVolume, FieldPathAsEnv, ImagePullPolicy, JsonSetting, KeysAsEnv,
    KubernetesConfig, MountedObject, NodeAffinityTerm, OrJson, PvcMount, SecurityContext,
    SelectorOperator, TaintEffect, Toleration,
};
use kfp_compiler::graph::{
    Binding, Comparison, Component, Condition, ConfigValue, ContainerSpec, Group, InputParameter,
    LoopItemKind, LoopItems, OutputParameter, ParallelFor, ParameterType, Pipeline, Task, TaskId,
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
    t.config.kubernetes = k.into();
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
    p.task_mut(t).config.kubernetes = config.into();
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

/// `p` with task 1 moved into a new loop over `[1, 2]`.
fn in_a_loop(mut p: Pipeline) -> Pipeline {
    let group = p.add_group(Group::parallel_for(
        None,
        ParallelFor {
            items: LoopItems::Raw(vec![json!(1), json!(2)]),
            item_kind: LoopItemKind::Parameter(ParameterType::Integer),
            parallelism: None,
        },
    ));
    p.task_mut(TaskId(1)).group = Some(group);
    p
}

/// The compiled spec of `p`, as JSON.
fn spec(p: &Pipeline) -> Value {
    serde_json::to_value(compile(p).unwrap_or_else(|e| panic!("{e}"))).unwrap()
}

#[test]
fn inside_a_loop_names_are_punched_into_the_group() {
    // kfp's nested_parallel_for_secret and parallel_for_secret goldens: a
    // name from a pipeline input or an outer task's output reaches the loop
    // as a `pipelinechannel--` input, which the setting reads; the task
    // itself gets no extra input, and the loop runs after the producer.
    let mut config = secret_volume(ConfigValue::PipelineParameter("name".into()));
    config.secret_as_env = vec![KeysAsEnv {
        name: ConfigValue::TaskOutput {
            task: TaskId(0),
            output: "name".into(),
        },
        key_to_env: vec![("username".into(), "MY_SECRET_KEY".into())],
        optional: false,
    }];
    let p = in_a_loop(consumer_with(config, true));
    assert_eq!(
        executor(&p, "exec-comp"),
        json!({
            "secretAsVolume": [{
                "secretNameParameter": {"componentInputParameter": "pipelinechannel--name"},
                "mountPath": "/s",
                "optional": false
            }],
            "secretAsEnv": [{
                "secretNameParameter": {
                    "componentInputParameter": "pipelinechannel--make-name-name"
                },
                "keyToEnv": [{"secretKey": "username", "envVar": "MY_SECRET_KEY"}],
                "optional": false
            }]
        })
    );
    let spec = spec(&p);
    let for_loop = &spec["components"]["comp-for-loop-2"];
    assert_eq!(
        for_loop["inputDefinitions"]["parameters"],
        json!({
            "pipelinechannel--loop-item-param-1": {"parameterType": "NUMBER_INTEGER"},
            "pipelinechannel--make-name-name": {"parameterType": "STRING"},
            "pipelinechannel--name": {"parameterType": "STRING"}
        })
    );
    let inner = &for_loop["dag"]["tasks"]["comp"];
    assert_eq!(inner.get("inputs"), None, "{inner}");
    assert_eq!(inner.get("dependentTasks"), None, "{inner}");
    let group_task = &spec["root"]["dag"]["tasks"]["for-loop-2"];
    assert_eq!(group_task["dependentTasks"], json!(["make-name"]));
    assert_eq!(
        group_task["inputs"]["parameters"],
        json!({
            "pipelinechannel--make-name-name": {
                "taskOutputParameter": {"producerTask": "make-name", "outputParameterKey": "name"}
            },
            "pipelinechannel--name": {"componentInputParameter": "name"}
        })
    );

    // A literal name stays as it is.
    let p = in_a_loop(consumer_with(secret_volume("literal".into()), false));
    assert_eq!(
        executor(&p, "exec-comp")["secretAsVolume"][0]["secretName"],
        "literal"
    );
}

#[test]
fn inside_nested_groups_a_claim_name_is_punched_through_each() {
    // kfp's parallel_for_mount_pvc golden, one condition deeper: the
    // deprecated `componentInputParameter` of the mount follows the
    // parameter.
    let mut p = consumer_with(
        KubernetesConfig {
            pvc_mounts: vec![PvcMount {
                pvc_name: ConfigValue::PipelineParameter("name".into()),
                mount_path: "/data".into(),
                sub_path: String::new(),
            }],
            node_selector_json: Some(JsonSetting::TaskOutput {
                task: TaskId(0),
                output: "name".into(),
            }),
            ..KubernetesConfig::default()
        },
        true,
    );
    let condition = p.add_group(Group::condition(
        None,
        Condition {
            left: Binding::PipelineParameter("name".into()),
            op: Comparison::Ne,
            right: Binding::Constant(json!("")),
        },
    ));
    let for_loop = p.add_group(Group::parallel_for(
        Some(condition),
        ParallelFor {
            items: LoopItems::Raw(vec![json!("a")]),
            item_kind: LoopItemKind::Parameter(ParameterType::String),
            parallelism: None,
        },
    ));
    p.task_mut(TaskId(1)).group = Some(for_loop);
    insta::assert_json_snapshot!(
        "claim_name_punched_through_nested_groups",
        common::snapshot(&compile_file(&p).unwrap())
    );
    assert_eq!(
        executor(&p, "exec-comp"),
        json!({
            "pvcMount": [{
                "componentInputParameter": "pipelinechannel--name",
                "pvcNameParameter": {"componentInputParameter": "pipelinechannel--name"},
                "mountPath": "/data"
            }],
            "nodeSelector": {
                "nodeSelectorJson": {"componentInputParameter": "pipelinechannel--make-name-name"}
            }
        })
    );
    let spec = spec(&p);
    let components = &spec["components"];
    for group in ["comp-condition-1", "comp-for-loop-3"] {
        let inputs = &components[group]["inputDefinitions"]["parameters"];
        assert_eq!(inputs["pipelinechannel--name"]["parameterType"], "STRING");
        assert_eq!(
            inputs["pipelinechannel--make-name-name"]["parameterType"], "STRING",
            "{group}: {inputs}"
        );
    }
    assert_eq!(
        components["comp-condition-1"]["dag"]["tasks"]["for-loop-3"]["inputs"]["parameters"]["pipelinechannel--make-name-name"],
        json!({"componentInputParameter": "pipelinechannel--make-name-name"})
    );
    assert_eq!(
        spec["root"]["dag"]["tasks"]["condition-1"]["dependentTasks"],
        json!(["make-name"])
    );
}

#[test]
fn a_name_from_inside_a_loop_is_refused_outside_it() {
    // Out of the loop the output would be a list of names.
    let mut p = consumer_with(
        secret_volume(ConfigValue::PipelineParameter("name".into())),
        true,
    );
    let group = p.add_group(Group::parallel_for(
        None,
        ParallelFor {
            items: LoopItems::Raw(vec![json!(1)]),
            item_kind: LoopItemKind::Parameter(ParameterType::Integer),
            parallelism: None,
        },
    ));
    p.task_mut(TaskId(0)).group = Some(group);
    p.task_mut(TaskId(1)).config.kubernetes = secret_volume(ConfigValue::TaskOutput {
        task: TaskId(0),
        output: "name".into(),
    })
    .into();
    let error = task_error(&p);
    assert!(
        matches!(error, TaskError::OutOfScope { .. })
            && error.to_string().contains("that this task is not in"),
        "{error}"
    );

    // Within the same loop the output is read directly.
    p.task_mut(TaskId(1)).group = Some(group);
    assert_eq!(
        executor(&p, "exec-comp")["secretAsVolume"][0]["secretNameParameter"],
        json!({"taskOutputParameter": {"producerTask": "make-name", "outputParameterKey": "name"}})
    );
}
