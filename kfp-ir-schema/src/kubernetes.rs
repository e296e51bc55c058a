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

use std::collections::BTreeMap;

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::pipeline_spec::{InputParameterSpec, Struct, TaskOutputParameterSpec};
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

/// `EnabledSharedMemory`: a memory-backed volume for `/dev/shm`.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct EnabledSharedMemory {
    /// The name of the volume.
    #[serde(default, skip_serializing_if = "is_default")]
    pub volume_name: String,
    /// The size limit of the volume, e.g. `1Gi`.
    #[serde(default, skip_serializing_if = "is_default")]
    pub size: String,
}

/// `SecretAsVolume`: a Kubernetes secret mounted as a volume.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct SecretAsVolume {
    /// The secret's name as a literal; deprecated for `secretNameParameter`,
    /// still written by the SDK.
    #[serde(default, skip_serializing_if = "is_default")]
    pub secret_name: String,
    /// Where the secret is mounted in the container.
    #[serde(default, skip_serializing_if = "is_default")]
    pub mount_path: String,
    /// Whether the pod may start without the secret (proto3 `optional`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub optional: Option<bool>,
    /// The secret's name, a constant or a pipeline parameter.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub secret_name_parameter: Option<InputParameterSpec>,
}

/// `SecretAsEnv`: keys of a Kubernetes secret exposed as environment
/// variables.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct SecretAsEnv {
    /// The secret's name as a literal; deprecated for `secretNameParameter`,
    /// still written by the SDK.
    #[serde(default, skip_serializing_if = "is_default")]
    pub secret_name: String,
    /// Which secret key goes to which variable.
    #[serde(default, skip_serializing_if = "is_default")]
    pub key_to_env: Vec<SecretKeyToEnvMap>,
    /// Whether the pod may start without the secret (proto3 `optional`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub optional: Option<bool>,
    /// The secret's name, a constant or a pipeline parameter.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub secret_name_parameter: Option<InputParameterSpec>,
}

/// `SecretAsEnv.SecretKeyToEnvMap`: one secret key and the environment
/// variable that receives it.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct SecretKeyToEnvMap {
    /// The key in the secret.
    #[serde(default, skip_serializing_if = "is_default")]
    pub secret_key: String,
    /// The environment variable's name.
    #[serde(default, skip_serializing_if = "is_default")]
    pub env_var: String,
}

/// `PvcMount`: a persistent volume claim mounted into the container.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(try_from = "wire::PvcMount", into = "wire::PvcMount")]
pub struct PvcMount {
    /// The claim, the deprecated way (`oneof pvc_reference`); the SDK still
    /// writes it next to `pvcNameParameter`.
    pub pvc_reference: Option<PvcReference>,
    /// Where the claim is mounted in the container.
    pub mount_path: String,
    /// The claim's name, a constant or a pipeline parameter.
    pub pvc_name_parameter: Option<InputParameterSpec>,
    /// The sub-path of the volume to mount.
    pub sub_path: String,
}

/// The `oneof pvc_reference` of [`PvcMount`] and [`DeletePvc`]: which
/// persistent volume claim.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum PvcReference {
    /// The claim named by an upstream task's output
    /// (`taskOutputParameter`).
    TaskOutputParameter(TaskOutputParameterSpec),
    /// A claim name given as a literal (`constant`).
    Constant(String),
    /// The claim named by an input parameter of the enclosing component
    /// (`componentInputParameter`).
    ComponentInputParameter(String),
}

/// `TypedLocalObjectReference`: a Kubernetes object in the same namespace,
/// used as the data source of a new claim.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct TypedLocalObjectReference {
    /// The object's API group (proto3 `optional`; none for the core group).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub api_group: Option<String>,
    /// The object's kind, e.g. `VolumeSnapshot`.
    #[serde(default, skip_serializing_if = "is_default")]
    pub kind: String,
    /// The object's name.
    #[serde(default, skip_serializing_if = "is_default")]
    pub name: String,
}

/// `CreatePvc`: the inputs of the `CreatePVC` component, which creates a
/// persistent volume claim.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(try_from = "wire::CreatePvc", into = "wire::CreatePvc")]
pub struct CreatePvc {
    /// How the claim is named (`oneof name`).
    pub name: Option<CreatePvcName>,
    /// The claim's access modes, e.g. `ReadWriteOnce`.
    pub access_modes: Vec<String>,
    /// The requested size, e.g. `5Gi`.
    pub size: String,
    /// Whether to use the cluster's default storage class.
    pub default_storage_class: bool,
    /// The storage class, when not the default.
    pub storage_class_name: String,
    /// An existing persistent volume to bind.
    pub volume_name: String,
    /// Annotations of the claim.
    pub annotations: Option<Struct>,
    /// The object to fill the claim from, e.g. a volume snapshot.
    pub data_source: Option<TypedLocalObjectReference>,
}

/// The `oneof name` of [`CreatePvc`].
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum CreatePvcName {
    /// The full name of the claim (`pvcName`).
    PvcName(String),
    /// A suffix appended to a generated name (`pvcNameSuffix`).
    PvcNameSuffix(String),
}

/// `DeletePvc`: the input of the `DeletePVC` component, which deletes a
/// persistent volume claim.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(try_from = "wire::DeletePvc", into = "wire::DeletePvc")]
pub struct DeletePvc {
    /// The claim to delete (`oneof pvc_reference`).
    pub pvc_reference: Option<PvcReference>,
}

/// `NodeSelector`: the node labels a pod must be scheduled on.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct NodeSelector {
    /// Required node labels.
    #[serde(default, skip_serializing_if = "is_default")]
    pub labels: BTreeMap<String, String>,
    /// The whole node selector as JSON, from a constant or a parameter
    /// (`add_node_selector_json`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub node_selector_json: Option<InputParameterSpec>,
}

/// `PodMetadata`: labels and annotations of a pod (or of an ephemeral
/// volume's claim).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct PodMetadata {
    /// The labels.
    #[serde(default, skip_serializing_if = "is_default")]
    pub labels: BTreeMap<String, String>,
    /// The annotations.
    #[serde(default, skip_serializing_if = "is_default")]
    pub annotations: BTreeMap<String, String>,
}

/// `ConfigMapAsVolume`: a config map mounted as a volume.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct ConfigMapAsVolume {
    /// The config map's name as a literal; deprecated for
    /// `configMapNameParameter`, still written by the SDK.
    #[serde(default, skip_serializing_if = "is_default")]
    pub config_map_name: String,
    /// Where the config map is mounted in the container.
    #[serde(default, skip_serializing_if = "is_default")]
    pub mount_path: String,
    /// Whether the pod may start without the config map (proto3 `optional`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub optional: Option<bool>,
    /// The config map's name, a constant or a pipeline parameter.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub config_map_name_parameter: Option<InputParameterSpec>,
}

/// `ConfigMapAsEnv`: keys of a config map exposed as environment variables.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct ConfigMapAsEnv {
    /// The config map's name as a literal; deprecated for
    /// `configMapNameParameter`, still written by the SDK.
    #[serde(default, skip_serializing_if = "is_default")]
    pub config_map_name: String,
    /// Which config map key goes to which variable.
    #[serde(default, skip_serializing_if = "is_default")]
    pub key_to_env: Vec<ConfigMapKeyToEnvMap>,
    /// The config map's name, a constant or a pipeline parameter.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub config_map_name_parameter: Option<InputParameterSpec>,
    /// Whether the pod may start without the config map (proto3 `optional`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub optional: Option<bool>,
}

/// `ConfigMapAsEnv.ConfigMapKeyToEnvMap`: one config map key and the
/// environment variable that receives it.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct ConfigMapKeyToEnvMap {
    /// The key in the config map.
    #[serde(default, skip_serializing_if = "is_default")]
    pub config_map_key: String,
    /// The environment variable's name.
    #[serde(default, skip_serializing_if = "is_default")]
    pub env_var: String,
}

/// `GenericEphemeralVolume`: a volume backed by a claim that lives as long as
/// the pod.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct GenericEphemeralVolume {
    /// The name of the volume.
    #[serde(default, skip_serializing_if = "is_default")]
    pub volume_name: String,
    /// Where the volume is mounted in the container.
    #[serde(default, skip_serializing_if = "is_default")]
    pub mount_path: String,
    /// The claim's access modes, e.g. `ReadWriteOnce`.
    #[serde(default, skip_serializing_if = "is_default")]
    pub access_modes: Vec<String>,
    /// The requested size, e.g. `5Gi`.
    #[serde(default, skip_serializing_if = "is_default")]
    pub size: String,
    /// Whether to use the cluster's default storage class.
    #[serde(default, skip_serializing_if = "is_default")]
    pub default_storage_class: bool,
    /// The storage class, when not the default.
    #[serde(default, skip_serializing_if = "is_default")]
    pub storage_class_name: String,
    /// Labels and annotations of the claim.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub metadata: Option<PodMetadata>,
}

/// `ImagePullSecret`: a secret used to pull the container image.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct ImagePullSecret {
    /// The secret's name as a literal; deprecated for `secretNameParameter`,
    /// still written by the SDK.
    #[serde(default, skip_serializing_if = "is_default")]
    pub secret_name: String,
    /// The secret's name, a constant or a pipeline parameter.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub secret_name_parameter: Option<InputParameterSpec>,
}

/// `FieldPathAsEnv`: a pod field (downward API) exposed as an environment
/// variable.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct FieldPathAsEnv {
    /// The environment variable's name.
    #[serde(default, skip_serializing_if = "is_default")]
    pub name: String,
    /// The field's path, e.g. `metadata.name`.
    #[serde(default, skip_serializing_if = "is_default")]
    pub field_path: String,
}

/// `Toleration`: a pod toleration of node taints.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Toleration {
    /// The taint key.
    #[serde(default, skip_serializing_if = "is_default")]
    pub key: String,
    /// `Equal` or `Exists`.
    #[serde(default, skip_serializing_if = "is_default")]
    pub operator: String,
    /// The taint value.
    #[serde(default, skip_serializing_if = "is_default")]
    pub value: String,
    /// The taint effect, e.g. `NoExecute`.
    #[serde(default, skip_serializing_if = "is_default")]
    pub effect: String,
    /// How long a `NoExecute` taint is tolerated (proto3 `optional` int64,
    /// written as a string).
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        with = "protojson::opt_int64"
    )]
    #[schemars(with = "Option<protojson::Int64>")]
    pub toleration_seconds: Option<i64>,
    /// The whole toleration as JSON, from a constant or a parameter
    /// (`add_toleration_json`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub toleration_json: Option<InputParameterSpec>,
}

/// `SelectorRequirement`: one label or field requirement of an affinity term.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct SelectorRequirement {
    /// The label or field key.
    #[serde(default, skip_serializing_if = "is_default")]
    pub key: String,
    /// `In`, `NotIn`, `Exists`, `DoesNotExist`, `Gt` or `Lt`.
    #[serde(default, skip_serializing_if = "is_default")]
    pub operator: String,
    /// The values the operator compares with.
    #[serde(default, skip_serializing_if = "is_default")]
    pub values: Vec<String>,
}

/// `NodeAffinityTerm`: a node affinity term, required or (with a weight)
/// preferred.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct NodeAffinityTerm {
    /// Requirements on node labels.
    #[serde(default, skip_serializing_if = "is_default")]
    pub match_expressions: Vec<SelectorRequirement>,
    /// Requirements on node fields.
    #[serde(default, skip_serializing_if = "is_default")]
    pub match_fields: Vec<SelectorRequirement>,
    /// The weight (1-100) of a preferred term; none for a required term
    /// (proto3 `optional` int32).
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        with = "protojson::opt_int32"
    )]
    #[schemars(with = "Option<protojson::Int32>")]
    pub weight: Option<i32>,
    /// The whole node affinity as JSON, from a constant or a parameter
    /// (`add_node_affinity_json`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub node_affinity_json: Option<InputParameterSpec>,
}

/// `PodAffinityTerm`: a pod affinity or anti-affinity term.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct PodAffinityTerm {
    /// Requirements on the labels of the other pods.
    #[serde(default, skip_serializing_if = "is_default")]
    pub match_pod_expressions: Vec<SelectorRequirement>,
    /// Exact labels of the other pods.
    #[serde(default, skip_serializing_if = "is_default")]
    pub match_pod_labels: BTreeMap<String, String>,
    /// The node label that defines "the same place", e.g.
    /// `kubernetes.io/hostname`.
    #[serde(default, skip_serializing_if = "is_default")]
    pub topology_key: String,
    /// The namespaces of the other pods.
    #[serde(default, skip_serializing_if = "is_default")]
    pub namespaces: Vec<String>,
    /// Requirements on the labels of those namespaces.
    #[serde(default, skip_serializing_if = "is_default")]
    pub match_namespace_expressions: Vec<SelectorRequirement>,
    /// Exact labels of those namespaces.
    #[serde(default, skip_serializing_if = "is_default")]
    pub match_namespace_labels: BTreeMap<String, String>,
    /// The weight (1-100) of a preferred term (proto3 `optional` int32).
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        with = "protojson::opt_int32"
    )]
    #[schemars(with = "Option<protojson::Int32>")]
    pub weight: Option<i32>,
    /// True for anti-affinity (proto3 `optional`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub anti: Option<bool>,
}

/// `SecurityContext`: the user, group and non-root rule the container runs
/// with.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct SecurityContext {
    /// The user id (proto3 `optional` int64, written as a string).
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        with = "protojson::opt_int64"
    )]
    #[schemars(with = "Option<protojson::Int64>")]
    pub run_as_user: Option<i64>,
    /// The group id (proto3 `optional` int64, written as a string).
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        with = "protojson::opt_int64"
    )]
    #[schemars(with = "Option<protojson::Int64>")]
    pub run_as_group: Option<i64>,
    /// Whether the container must run as a non-root user (proto3 `optional`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub run_as_non_root: Option<bool>,
}

/// `EmptyDirMount`: an `emptyDir` volume mounted into the container.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct EmptyDirMount {
    /// The name of the volume.
    #[serde(default, skip_serializing_if = "is_default")]
    pub volume_name: String,
    /// Where the volume is mounted in the container.
    #[serde(default, skip_serializing_if = "is_default")]
    pub mount_path: String,
    /// The storage medium, e.g. `Memory` (proto3 `optional`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub medium: Option<String>,
    /// The size limit, e.g. `1Gi` (proto3 `optional`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub size_limit: Option<String>,
}

/// `InitContainer`: a container run to completion before the task's own.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct InitContainer {
    /// The container's name.
    #[serde(default, skip_serializing_if = "is_default")]
    pub name: String,
    /// The container image.
    #[serde(default, skip_serializing_if = "is_default")]
    pub image: String,
    /// The entry point.
    #[serde(default, skip_serializing_if = "is_default")]
    pub command: Vec<String>,
    /// The arguments of the entry point.
    #[serde(default, skip_serializing_if = "is_default")]
    pub args: Vec<String>,
    /// Environment variables.
    #[serde(default, skip_serializing_if = "is_default")]
    pub env: Vec<InitContainerEnvVar>,
    /// Volumes of the pod mounted into the container.
    #[serde(default, skip_serializing_if = "is_default")]
    pub volume_mounts: Vec<InitContainerVolumeMount>,
    /// The restart policy, e.g. `Always` for a sidecar (proto3 `optional`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub restart_policy: Option<String>,
    /// Resource requests and limits.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub resources: Option<InitContainerResources>,
}

/// `InitContainer.EnvVar`: one environment variable of an init container.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct InitContainerEnvVar {
    /// The variable's name.
    #[serde(default, skip_serializing_if = "is_default")]
    pub name: String,
    /// Its value.
    #[serde(default, skip_serializing_if = "is_default")]
    pub value: String,
}

/// `InitContainer.VolumeMount`: a pod volume mounted into an init container.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct InitContainerVolumeMount {
    /// The volume's name in the pod.
    #[serde(default, skip_serializing_if = "is_default")]
    pub volume_name: String,
    /// Where it is mounted.
    #[serde(default, skip_serializing_if = "is_default")]
    pub mount_path: String,
}

/// `InitContainer.ResourceRequirements`: requests and limits by resource name.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct InitContainerResources {
    /// Requests, e.g. `cpu: 100m`.
    #[serde(default, skip_serializing_if = "is_default")]
    pub requests: BTreeMap<String, String>,
    /// Limits, e.g. `memory: 1Gi`.
    #[serde(default, skip_serializing_if = "is_default")]
    pub limits: BTreeMap<String, String>,
}

/// Wire forms of the messages that hold a `oneof`: one `Option` per key, as
/// the JSON has them. Conversions check that at most one key is set.
///
/// In here a bare message name is the wire form; `super::X` is the domain type.
mod wire {
    use schemars::JsonSchema;
    use serde::{Deserialize, Serialize};

    use crate::pipeline_spec::{InputParameterSpec, Struct, TaskOutputParameterSpec};
    use crate::protojson::{OneOf, at_most_one, is_default, oneof};

    /// The keys of `oneof pvc_reference`, shared by `PvcMount` and
    /// `DeletePvc`.
    const PVC_REFERENCE_KEYS: &[&str] =
        &["taskOutputParameter", "constant", "componentInputParameter"];

    /// Reads `oneof pvc_reference` from its three keys.
    fn pvc_reference(
        message: &str,
        task_output_parameter: Option<TaskOutputParameterSpec>,
        constant: Option<String>,
        component_input_parameter: Option<String>,
    ) -> Result<Option<super::PvcReference>, String> {
        use super::PvcReference as R;
        at_most_one(
            message,
            "pvc_reference",
            vec![
                (
                    "taskOutputParameter",
                    task_output_parameter.map(R::TaskOutputParameter),
                ),
                ("constant", constant.map(R::Constant)),
                (
                    "componentInputParameter",
                    component_input_parameter.map(R::ComponentInputParameter),
                ),
            ],
        )
    }

    /// The three keys of `oneof pvc_reference`, with the member's one set.
    type PvcReferenceKeys = (
        Option<TaskOutputParameterSpec>,
        Option<String>,
        Option<String>,
    );

    /// Writes `oneof pvc_reference` as its three keys.
    fn pvc_reference_keys(reference: Option<super::PvcReference>) -> PvcReferenceKeys {
        use super::PvcReference as R;
        match reference {
            Some(R::TaskOutputParameter(x)) => (Some(x), None, None),
            Some(R::Constant(x)) => (None, Some(x), None),
            Some(R::ComponentInputParameter(x)) => (None, None, Some(x)),
            None => (None, None, None),
        }
    }

    #[derive(Default, Serialize, Deserialize, JsonSchema)]
    #[serde(rename_all = "camelCase", deny_unknown_fields)]
    #[schemars(
        rename = "PvcMount",
        description = "PvcMount: a persistent volume claim mounted into the container.",
        transform = oneof::<Self>
    )]
    pub struct PvcMount {
        #[serde(default, skip_serializing_if = "Option::is_none")]
        task_output_parameter: Option<TaskOutputParameterSpec>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        constant: Option<String>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        component_input_parameter: Option<String>,
        #[serde(default, skip_serializing_if = "is_default")]
        mount_path: String,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pvc_name_parameter: Option<InputParameterSpec>,
        #[serde(default, skip_serializing_if = "is_default")]
        sub_path: String,
    }

    impl OneOf for PvcMount {
        const KEYS: &'static [&'static str] = PVC_REFERENCE_KEYS;
    }

    impl TryFrom<PvcMount> for super::PvcMount {
        type Error = String;

        fn try_from(w: PvcMount) -> Result<Self, String> {
            Ok(Self {
                pvc_reference: pvc_reference(
                    "PvcMount",
                    w.task_output_parameter,
                    w.constant,
                    w.component_input_parameter,
                )?,
                mount_path: w.mount_path,
                pvc_name_parameter: w.pvc_name_parameter,
                sub_path: w.sub_path,
            })
        }
    }

    impl From<super::PvcMount> for PvcMount {
        fn from(v: super::PvcMount) -> Self {
            let (task_output_parameter, constant, component_input_parameter) =
                pvc_reference_keys(v.pvc_reference);
            PvcMount {
                task_output_parameter,
                constant,
                component_input_parameter,
                mount_path: v.mount_path,
                pvc_name_parameter: v.pvc_name_parameter,
                sub_path: v.sub_path,
            }
        }
    }

    #[derive(Default, Serialize, Deserialize, JsonSchema)]
    #[serde(rename_all = "camelCase", deny_unknown_fields)]
    #[schemars(
        rename = "DeletePvc",
        description = "DeletePvc: the input of the DeletePVC component.",
        transform = oneof::<Self>
    )]
    pub struct DeletePvc {
        #[serde(default, skip_serializing_if = "Option::is_none")]
        task_output_parameter: Option<TaskOutputParameterSpec>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        constant: Option<String>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        component_input_parameter: Option<String>,
    }

    impl OneOf for DeletePvc {
        const KEYS: &'static [&'static str] = PVC_REFERENCE_KEYS;
    }

    impl TryFrom<DeletePvc> for super::DeletePvc {
        type Error = String;

        fn try_from(w: DeletePvc) -> Result<Self, String> {
            Ok(Self {
                pvc_reference: pvc_reference(
                    "DeletePvc",
                    w.task_output_parameter,
                    w.constant,
                    w.component_input_parameter,
                )?,
            })
        }
    }

    impl From<super::DeletePvc> for DeletePvc {
        fn from(v: super::DeletePvc) -> Self {
            let (task_output_parameter, constant, component_input_parameter) =
                pvc_reference_keys(v.pvc_reference);
            DeletePvc {
                task_output_parameter,
                constant,
                component_input_parameter,
            }
        }
    }

    #[derive(Default, Serialize, Deserialize, JsonSchema)]
    #[serde(rename_all = "camelCase", deny_unknown_fields)]
    #[schemars(
        rename = "CreatePvc",
        description = "CreatePvc: the inputs of the CreatePVC component.",
        transform = oneof::<Self>
    )]
    pub struct CreatePvc {
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pvc_name: Option<String>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pvc_name_suffix: Option<String>,
        #[serde(default, skip_serializing_if = "is_default")]
        access_modes: Vec<String>,
        #[serde(default, skip_serializing_if = "is_default")]
        size: String,
        #[serde(default, skip_serializing_if = "is_default")]
        default_storage_class: bool,
        #[serde(default, skip_serializing_if = "is_default")]
        storage_class_name: String,
        #[serde(default, skip_serializing_if = "is_default")]
        volume_name: String,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        annotations: Option<Struct>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        data_source: Option<super::TypedLocalObjectReference>,
    }

    impl OneOf for CreatePvc {
        const KEYS: &'static [&'static str] = &["pvcName", "pvcNameSuffix"];
    }

    impl TryFrom<CreatePvc> for super::CreatePvc {
        type Error = String;

        fn try_from(w: CreatePvc) -> Result<Self, String> {
            use super::CreatePvcName as N;
            let name = at_most_one(
                "CreatePvc",
                "name",
                vec![
                    ("pvcName", w.pvc_name.map(N::PvcName)),
                    ("pvcNameSuffix", w.pvc_name_suffix.map(N::PvcNameSuffix)),
                ],
            )?;
            Ok(Self {
                name,
                access_modes: w.access_modes,
                size: w.size,
                default_storage_class: w.default_storage_class,
                storage_class_name: w.storage_class_name,
                volume_name: w.volume_name,
                annotations: w.annotations,
                data_source: w.data_source,
            })
        }
    }

    impl From<super::CreatePvc> for CreatePvc {
        fn from(v: super::CreatePvc) -> Self {
            use super::CreatePvcName as N;
            let (pvc_name, pvc_name_suffix) = match v.name {
                Some(N::PvcName(x)) => (Some(x), None),
                Some(N::PvcNameSuffix(x)) => (None, Some(x)),
                None => (None, None),
            };
            CreatePvc {
                pvc_name,
                pvc_name_suffix,
                access_modes: v.access_modes,
                size: v.size,
                default_storage_class: v.default_storage_class,
                storage_class_name: v.storage_class_name,
                volume_name: v.volume_name,
                annotations: v.annotations,
                data_source: v.data_source,
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use serde_json::{Value, json};

    use super::*;
    use crate::pipeline_spec::{InputParameterKind, ValueOrRuntimeParameter};

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
        let err = serde_json::from_value::<DeletePvc>(
            json!({"constant": "a", "taskOutputParameter": {}}),
        )
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
        let err =
            serde_json::from_value::<CreatePvc>(json!({"pvcName": "p", "pvcNameSuffix": "s"}))
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
}
