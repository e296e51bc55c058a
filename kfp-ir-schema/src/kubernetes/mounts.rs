//! What the container sees of the cluster: secrets, config maps and pod
//! fields as environment variables or volumes, and the pod's other
//! volumes.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use super::pod::PodMetadata;
use crate::pipeline_spec::InputParameterSpec;
use crate::protojson::is_default;

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
