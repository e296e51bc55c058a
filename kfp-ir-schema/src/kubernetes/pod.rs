//! The pod and where it runs: node selection, tolerations, affinity,
//! metadata, image pull secrets, the security context and init
//! containers.

use std::collections::BTreeMap;

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::pipeline_spec::InputParameterSpec;
use crate::protojson::{self, is_default};

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
