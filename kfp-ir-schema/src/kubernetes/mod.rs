//! The Kubernetes executor config of kfp-kubernetes
//! (`kubernetes_platform/proto/kubernetes_executor_config.proto`, package
//! `kfp_kubernetes`), as kfp-kubernetes 2.17.3 defines it.
//!
//! A [`KubernetesExecutorConfig`] is what `kfp.kubernetes` writes for one
//! executor under `platforms.kubernetes.deploymentSpec.executors.<exec-label>`
//! in the second YAML document of a compiled pipeline. The conventions are
//! those of [`crate::pipeline_spec`]; in addition a singular message field is
//! an `Option`, so that an empty message (`nodeSelector: {}`) survives a round
//! trip.
//!
//! The IR stores each config as a `google.protobuf.Struct`, in which every
//! number is a double: [`KubernetesExecutorConfig::to_struct`] writes that
//! form (`weight: 50.0`, as the goldens have it) and
//! [`KubernetesExecutorConfig::from_struct`] reads it back.
//!
//! `initContainers` (field 19, [`InitContainer`]) is newer than kfp-kubernetes
//! 2.17.3 (it exists on KFP master, kubeflow/pipelines#13651). KFP's own
//! snapshot corpus uses it, so kfp-rs reads and writes it; a backend at 2.17
//! does not know the field and refuses a pipeline that sets it.
//! `CreatePvc` and `DeletePvc` are not part of the executor config: they
//! describe the inputs of the `CreatePVC`/`DeletePVC` components.

mod mounts;
mod pod;
mod pvc;
#[cfg(test)]
mod tests;

pub use mounts::{
    ConfigMapAsEnv, ConfigMapAsVolume, ConfigMapKeyToEnvMap, EmptyDirMount, EnabledSharedMemory,
    FieldPathAsEnv, GenericEphemeralVolume, SecretAsEnv, SecretAsVolume, SecretKeyToEnvMap,
};
pub use pod::{
    ImagePullSecret, InitContainer, InitContainerEnvVar, InitContainerResources,
    InitContainerVolumeMount, NodeAffinityTerm, NodeSelector, PodAffinityTerm, PodMetadata,
    SecurityContext, SelectorRequirement, Toleration,
};
pub use pvc::{
    CreatePvc, CreatePvcName, DeletePvc, PvcMount, PvcReference, TypedLocalObjectReference,
};

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::pipeline_spec::Struct;
use crate::protojson::{self, is_default};

/// `KubernetesExecutorConfig`: the Kubernetes settings of one executor
/// (secrets, volumes, scheduling, pod metadata, timeout, security context).
///
/// ```
/// use kfp_ir_schema::kubernetes::{KubernetesExecutorConfig, SecretAsEnv, SecretKeyToEnvMap};
///
/// let json = r#"{
///     "activeDeadlineSeconds": "20",
///     "secretAsEnv": [{
///         "secretName": "my-secret",
///         "keyToEnv": [{"secretKey": "password", "envVar": "PASSWORD"}],
///         "optional": false
///     }]
/// }"#;
/// let config: KubernetesExecutorConfig = serde_json::from_str(json).unwrap();
/// assert_eq!(config.active_deadline_seconds, 20);
/// assert_eq!(config.secret_as_env[0].optional, Some(false));
///
/// // int64 is written as a string, and a proto3 `optional` field whenever it
/// // is set, even to `false`.
/// let written = serde_json::to_value(&config).unwrap();
/// assert_eq!(written["activeDeadlineSeconds"], "20");
/// assert_eq!(written["secretAsEnv"][0]["optional"], false);
///
/// // A field that kfp-kubernetes does not know is an error.
/// assert!(serde_json::from_str::<KubernetesExecutorConfig>(r#"{"sidecars": []}"#).is_err());
/// # let _ = (SecretAsEnv::default(), SecretKeyToEnvMap::default());
/// ```
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct KubernetesExecutorConfig {
    /// Secrets mounted as volumes (`use_secret_as_volume`).
    #[serde(default, skip_serializing_if = "is_default")]
    pub secret_as_volume: Vec<SecretAsVolume>,
    /// Secret keys exposed as environment variables (`use_secret_as_env`).
    #[serde(default, skip_serializing_if = "is_default")]
    pub secret_as_env: Vec<SecretAsEnv>,
    /// Persistent volume claims mounted into the container (`mount_pvc`).
    #[serde(default, skip_serializing_if = "is_default")]
    pub pvc_mount: Vec<PvcMount>,
    /// The pod's node selector (`add_node_selector`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub node_selector: Option<NodeSelector>,
    /// Labels and annotations of the pod (`add_pod_label`,
    /// `add_pod_annotation`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pod_metadata: Option<PodMetadata>,
    /// Secrets used to pull the image (`set_image_pull_secrets`).
    #[serde(default, skip_serializing_if = "is_default")]
    pub image_pull_secret: Vec<ImagePullSecret>,
    /// The image pull policy: `Always`, `Never` or `IfNotPresent`
    /// (`set_image_pull_policy`).
    #[serde(default, skip_serializing_if = "is_default")]
    pub image_pull_policy: String,
    /// Config maps mounted as volumes (`use_config_map_as_volume`).
    #[serde(default, skip_serializing_if = "is_default")]
    pub config_map_as_volume: Vec<ConfigMapAsVolume>,
    /// Config map keys exposed as environment variables
    /// (`use_config_map_as_env`).
    #[serde(default, skip_serializing_if = "is_default")]
    pub config_map_as_env: Vec<ConfigMapAsEnv>,
    /// The pod's `activeDeadlineSeconds` (`set_timeout`); an int64, written as
    /// a string.
    #[serde(default, skip_serializing_if = "is_default", with = "protojson::int64")]
    #[schemars(with = "protojson::Int64")]
    pub active_deadline_seconds: i64,
    /// Pod fields exposed as environment variables (`use_field_path_as_env`).
    #[serde(default, skip_serializing_if = "is_default")]
    pub field_path_as_env: Vec<FieldPathAsEnv>,
    /// The pod's tolerations (`add_toleration`, `add_toleration_json`).
    #[serde(default, skip_serializing_if = "is_default")]
    pub tolerations: Vec<Toleration>,
    /// Generic ephemeral volumes (`add_ephemeral_volume`).
    #[serde(default, skip_serializing_if = "is_default")]
    pub generic_ephemeral_volume: Vec<GenericEphemeralVolume>,
    /// Node affinity terms (`add_node_affinity`, `add_node_affinity_json`).
    #[serde(default, skip_serializing_if = "is_default")]
    pub node_affinity: Vec<NodeAffinityTerm>,
    /// Pod (anti-)affinity terms; in the proto only, the driver ignores them.
    #[serde(default, skip_serializing_if = "is_default")]
    pub pod_affinity: Vec<PodAffinityTerm>,
    /// A shared-memory volume; in the proto only, the driver ignores it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub enabled_shared_memory: Option<EnabledSharedMemory>,
    /// `emptyDir` volumes (`empty_dir_mount`).
    #[serde(default, skip_serializing_if = "is_default")]
    pub empty_dir_mounts: Vec<EmptyDirMount>,
    /// The container's security context (`set_security_context`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub security_context: Option<SecurityContext>,
    /// Containers run before the task's container (`add_init_container`;
    /// newer than kfp-kubernetes 2.17.3, see the module doc).
    #[serde(default, skip_serializing_if = "is_default")]
    pub init_containers: Vec<InitContainer>,
}

/// The error of reading a [`KubernetesExecutorConfig`] from a
/// `google.protobuf.Struct`.
#[derive(Debug, thiserror::Error)]
#[error("invalid Kubernetes executor config at `{path}`: {message}")]
pub struct ExecutorConfigError {
    /// Where in the config the error is, as a dotted path (`.` for the top).
    pub path: String,
    /// What is wrong there.
    pub message: String,
}

impl KubernetesExecutorConfig {
    /// Writes the config as the `google.protobuf.Struct` that the IR stores,
    /// in which every number is a double (`weight: 50.0`), as KFP writes it.
    pub fn to_struct(&self) -> Struct {
        match serde_json::to_value(self) {
            Ok(serde_json::Value::Object(map)) => map
                .into_iter()
                .map(|(k, v)| (k, numbers_as_doubles(v)))
                .collect(),
            // A struct with only string keys always serializes to an object.
            _ => Struct::new(),
        }
    }

    /// Reads the config from the `google.protobuf.Struct` that the IR stores.
    pub fn from_struct(value: &Struct) -> Result<Self, ExecutorConfigError> {
        serde_path_to_error::deserialize(serde_json::Value::Object(value.clone())).map_err(|e| {
            ExecutorConfigError {
                path: e.path().to_string(),
                message: e.into_inner().to_string(),
            }
        })
    }
}

/// Turns every number into a double, as a `google.protobuf.Struct` holds it.
fn numbers_as_doubles(value: serde_json::Value) -> serde_json::Value {
    use serde_json::Value as V;
    match value {
        V::Number(n) => n
            .as_f64()
            .and_then(serde_json::Number::from_f64)
            .map_or(V::Number(n), V::Number),
        V::Array(items) => V::Array(items.into_iter().map(numbers_as_doubles).collect()),
        V::Object(map) => V::Object(
            map.into_iter()
                .map(|(k, v)| (k, numbers_as_doubles(v)))
                .collect(),
        ),
        other => other,
    }
}
