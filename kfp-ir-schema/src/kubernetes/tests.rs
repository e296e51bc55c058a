//! The Kubernetes executor config on the wire.

use serde_json::{Value, json};

use super::*;
use crate::pipeline_spec::{InputParameterKind, TaskOutputParameterSpec, ValueOrRuntimeParameter};

/// Reads `value` as a `T`, writes it back and checks the JSON is the same.
fn round_trip<T>(value: serde_json::Value) -> T
where
    T: Serialize + for<'de> Deserialize<'de>,
{
    let parsed: T = serde_json::from_value(value.clone())
        .unwrap_or_else(|e| panic!("{value} did not parse: {e}"));
    assert_eq!(serde_json::to_value(&parsed).unwrap(), value);
    parsed
}

#[test]
fn a_full_config_round_trips() {
    let config: KubernetesExecutorConfig = round_trip(json!({
        "secretAsVolume": [{
            "secretName": "s", "mountPath": "/mnt/s", "optional": true,
            "secretNameParameter": {"runtimeValue": {"constant": "s"}}
        }],
        "secretAsEnv": [{
            "secretName": "s", "keyToEnv": [{"secretKey": "k", "envVar": "K"}],
            "optional": false,
            "secretNameParameter": {"componentInputParameter": "secret_name"}
        }],
        "pvcMount": [{
            "mountPath": "/data", "constant": "my-pvc", "subPath": "x",
            "pvcNameParameter": {"runtimeValue": {"constant": "my-pvc"}}
        }],
        "nodeSelector": {"labels": {"accelerator": "nvidia-tesla-k80"}},
        "podMetadata": {"labels": {"a": "b"}, "annotations": {"c": "d"}},
        "imagePullSecret": [{"secretName": "regcred"}],
        "imagePullPolicy": "Always",
        "configMapAsVolume": [{"configMapName": "cm", "mountPath": "/cm", "optional": false}],
        "configMapAsEnv": [{
            "configMapName": "cm", "keyToEnv": [{"configMapKey": "k", "envVar": "K"}],
            "optional": false
        }],
        "activeDeadlineSeconds": "20",
        "fieldPathAsEnv": [{"name": "RUN", "fieldPath": "metadata.name"}],
        "tolerations": [{
            "key": "k", "operator": "Equal", "value": "v", "effect": "NoExecute",
            "tolerationSeconds": "10"
        }],
        "genericEphemeralVolume": [{
            "volumeName": "v", "mountPath": "/v", "accessModes": ["ReadWriteOnce"],
            "size": "5Gi", "defaultStorageClass": true,
            "metadata": {"annotations": {"x": "y"}}
        }],
        "nodeAffinity": [{
            "matchExpressions": [{"key": "zone", "operator": "In", "values": ["us-west-1"]}],
            "weight": 50
        }],
        "podAffinity": [{
            "matchPodLabels": {"app": "x"}, "topologyKey": "kubernetes.io/hostname",
            "anti": false, "weight": 1
        }],
        "enabledSharedMemory": {"volumeName": "shm", "size": "1Gi"},
        "emptyDirMounts": [{"volumeName": "e", "mountPath": "/e", "medium": "Memory", "sizeLimit": "1Gi"}],
        "securityContext": {"runAsUser": "65534", "runAsGroup": "0", "runAsNonRoot": true}
    }));
    assert_eq!(config.active_deadline_seconds, 20);
    assert_eq!(config.tolerations[0].toleration_seconds, Some(10));
    assert_eq!(config.node_affinity[0].weight, Some(50));
    assert_eq!(config.pod_affinity[0].anti, Some(false));
    let security = config.security_context.as_ref().unwrap();
    assert_eq!(
        (security.run_as_user, security.run_as_group),
        (Some(65534), Some(0))
    );
}

#[test]
fn proto3_optional_false_and_zero_are_written() {
    let config = KubernetesExecutorConfig {
        secret_as_env: vec![SecretAsEnv {
            secret_name: "s".into(),
            optional: Some(false),
            ..Default::default()
        }],
        security_context: Some(SecurityContext {
            run_as_group: Some(0),
            run_as_non_root: Some(false),
            ..Default::default()
        }),
        ..Default::default()
    };
    assert_eq!(
        serde_json::to_value(&config).unwrap(),
        json!({
            "secretAsEnv": [{"secretName": "s", "optional": false}],
            "securityContext": {"runAsGroup": "0", "runAsNonRoot": false}
        })
    );
    // Unset proto3 optionals and plain defaults are left out.
    let secret = SecretAsEnv {
        secret_name: "s".into(),
        ..Default::default()
    };
    assert_eq!(
        serde_json::to_value(&secret).unwrap(),
        json!({"secretName": "s"})
    );
}

#[test]
fn int64_fields_are_strings_on_the_wire_and_read_from_numbers() {
    let config: KubernetesExecutorConfig = serde_json::from_value(json!({
        "activeDeadlineSeconds": 120,
        "tolerations": [{"tolerationSeconds": 3600}],
        "securityContext": {"runAsUser": 1000}
    }))
    .unwrap();
    assert_eq!(
        serde_json::to_value(&config).unwrap(),
        json!({
            "activeDeadlineSeconds": "120",
            "tolerations": [{"tolerationSeconds": "3600"}],
            "securityContext": {"runAsUser": "1000"}
        })
    );
    for bad in [
        json!({"activeDeadlineSeconds": "1.5"}),
        json!({"activeDeadlineSeconds": true}),
        json!({"securityContext": {"runAsUser": "x"}}),
    ] {
        assert!(
            serde_json::from_value::<KubernetesExecutorConfig>(bad.clone()).is_err(),
            "{bad} was accepted"
        );
    }
}

#[test]
fn struct_form_writes_numbers_as_doubles_and_reads_back() {
    let config: KubernetesExecutorConfig = serde_json::from_value(json!({
        "nodeAffinity": [{"weight": 50.0}],
        "activeDeadlineSeconds": "20"
    }))
    .unwrap();
    let s = config.to_struct();
    assert_eq!(
        serde_json::Value::Object(s.clone()),
        json!({"nodeAffinity": [{"weight": 50.0}], "activeDeadlineSeconds": "20"})
    );
    assert_eq!(KubernetesExecutorConfig::from_struct(&s).unwrap(), config);
}

#[test]
fn unknown_fields_are_rejected_at_any_depth_with_their_path() {
    for (bad, path) in [
        (json!({"sidecars": []}), "sidecars"),
        (
            json!({"initContainers": [{"name": "x", "volumeMount": []}]}),
            "initContainers[0].volumeMount",
        ),
        (
            json!({"secretAsEnv": [{"keyToEnv": [{"secretKey": "k", "envVarr": "K"}]}]}),
            "secretAsEnv[0].keyToEnv[0].envVarr",
        ),
        (
            json!({"pvcMount": [{"pvcNameParameter": {"runtimeValue": {"constant": "p"}, "extra": 1}}]}),
            "pvcMount[0].pvcNameParameter.extra",
        ),
        (
            json!({"securityContext": {"runAsUser": "1", "privileged": true}}),
            "securityContext.privileged",
        ),
    ] {
        let Value::Object(map) = bad else {
            unreachable!()
        };
        let err = KubernetesExecutorConfig::from_struct(&map).unwrap_err();
        assert_eq!(err.path, path, "{err}");
        assert!(err.to_string().contains("unknown field"), "{err}");
    }
}

#[test]
fn pvc_mount_oneof_reads_each_member_and_rejects_two() {
    let cases = [
        (
            json!({"mountPath": "/d", "taskOutputParameter": {"producerTask": "create", "outputParameterKey": "name"}}),
            PvcReference::TaskOutputParameter(TaskOutputParameterSpec {
                producer_task: "create".into(),
                output_parameter_key: "name".into(),
            }),
        ),
        (
            json!({"mountPath": "/d", "constant": "pvc"}),
            PvcReference::Constant("pvc".into()),
        ),
        (
            json!({"mountPath": "/d", "componentInputParameter": "pvc_name"}),
            PvcReference::ComponentInputParameter("pvc_name".into()),
        ),
    ];
    for (value, expected) in cases {
        let mount: PvcMount = round_trip(value);
        assert_eq!(mount.pvc_reference, Some(expected));
        assert_eq!(mount.mount_path, "/d");
    }
    let none: PvcMount = round_trip(json!({"mountPath": "/d"}));
    assert_eq!(none.pvc_reference, None);

    let err = serde_json::from_value::<PvcMount>(
        json!({"constant": "a", "componentInputParameter": "b"}),
    )
    .unwrap_err();
    assert!(err.to_string().contains("oneof pvc_reference"), "{err}");
    assert!(serde_json::from_value::<PvcMount>(json!({"constant": "a", "bogus": 1})).is_err());
}

#[test]
fn delete_pvc_oneof_reads_each_member_and_rejects_two() {
    let d: DeletePvc = round_trip(json!({"constant": "pvc"}));
    assert_eq!(d.pvc_reference, Some(PvcReference::Constant("pvc".into())));
    let d: DeletePvc = round_trip(json!({"componentInputParameter": "p"}));
    assert_eq!(
        d.pvc_reference,
        Some(PvcReference::ComponentInputParameter("p".into()))
    );
    let d: DeletePvc = round_trip(json!({"taskOutputParameter": {"producerTask": "t"}}));
    assert!(matches!(
        d.pvc_reference,
        Some(PvcReference::TaskOutputParameter(_))
    ));
    let err =
        serde_json::from_value::<DeletePvc>(json!({"constant": "a", "taskOutputParameter": {}}))
            .unwrap_err();
    assert!(
        err.to_string()
            .contains("`taskOutputParameter`, `constant`"),
        "{err}"
    );
}

#[test]
fn create_pvc_oneof_reads_each_member_and_rejects_two() {
    let c: CreatePvc = round_trip(json!({
        "pvcNameSuffix": "-my-pvc",
        "accessModes": ["ReadWriteOnce"],
        "size": "5Gi",
        "storageClassName": "standard",
        "annotations": {"a": "b"},
        "dataSource": {"apiGroup": "snapshot.storage.k8s.io", "kind": "VolumeSnapshot", "name": "snap"}
    }));
    assert_eq!(c.name, Some(CreatePvcName::PvcNameSuffix("-my-pvc".into())));
    assert_eq!(
        c.data_source.unwrap().api_group.as_deref(),
        Some("snapshot.storage.k8s.io")
    );
    let c: CreatePvc = round_trip(json!({"pvcName": "p", "defaultStorageClass": true}));
    assert_eq!(c.name, Some(CreatePvcName::PvcName("p".into())));
    let err = serde_json::from_value::<CreatePvc>(json!({"pvcName": "p", "pvcNameSuffix": "s"}))
        .unwrap_err();
    assert!(err.to_string().contains("oneof name"), "{err}");
}

#[test]
fn name_parameters_use_the_ir_input_parameter_spec() {
    let secret: ImagePullSecret = round_trip(json!({
        "secretName": "regcred",
        "secretNameParameter": {"runtimeValue": {"constant": "regcred"}}
    }));
    assert_eq!(
        secret.secret_name_parameter.unwrap().kind,
        Some(InputParameterKind::RuntimeValue(
            ValueOrRuntimeParameter::Constant(json!("regcred"))
        ))
    );
}

#[test]
fn schema_makes_oneof_keys_exclusive() {
    let schema = serde_json::to_value(schemars::schema_for!(KubernetesExecutorConfig)).unwrap();
    let pvc_mount = &schema["$defs"]["PvcMount"];
    assert_eq!(pvc_mount["additionalProperties"], json!(false));
    assert!(pvc_mount["not"]["anyOf"].as_array().unwrap().len() == 3);
    assert_eq!(
        schema["$defs"]["SecurityContext"]["additionalProperties"],
        json!(false)
    );
}
