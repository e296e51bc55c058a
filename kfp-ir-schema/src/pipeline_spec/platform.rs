//! `PlatformSpec`: the optional second YAML document, with platform-specific
//! (today only Kubernetes) configuration of executors and of the pipeline.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use super::Struct;
use crate::protojson::{self, is_default};
use crate::{CompactString, VecMap};

/// `PlatformSpec`: platform configuration by platform name; KFP writes only
/// `kubernetes`.
///
/// ```
/// use kfp_ir_schema::{PipelineConfig, PlatformSpec, SinglePlatformSpec};
///
/// let json = r#"{"platforms":{"kubernetes":{"pipelineConfig":{"activeDeadlineSeconds":600}}}}"#;
/// let spec: PlatformSpec = serde_json::from_str(json).unwrap();
/// let k8s = &spec.platforms["kubernetes"];
/// assert_eq!(k8s.pipeline_config.as_ref().unwrap().active_deadline_seconds, 600);
/// assert_eq!(serde_json::to_string(&spec).unwrap(), json);
/// ```
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct PlatformSpec {
    /// The configuration of each platform, keyed by platform (`kubernetes`).
    #[serde(default, skip_serializing_if = "is_default")]
    pub platforms: VecMap<CompactString, SinglePlatformSpec>,
}

/// `SinglePlatformSpec`: the configuration for one platform.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct SinglePlatformSpec {
    /// Per-executor configuration (for Kubernetes, a
    /// `KubernetesExecutorConfig` per `exec-…`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub deployment_spec: Option<PlatformDeploymentConfig>,
    /// The platform's name (unused by the SDK).
    #[serde(default, skip_serializing_if = "is_default")]
    pub platform: CompactString,
    /// Free-form platform configuration (unused by the SDK).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub config: Option<Struct>,
    /// Pipeline-level configuration: TTLs, deadline, workspace.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pipeline_config: Option<PipelineConfig>,
}

/// `PlatformDeploymentConfig`: platform configuration of each executor.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct PlatformDeploymentConfig {
    /// The configuration by executor label `exec-…`, as untyped JSON (see
    /// the Kubernetes types for its content).
    #[serde(default, skip_serializing_if = "is_default")]
    pub executors: VecMap<CompactString, Struct>,
}

/// `PipelineConfig`: pipeline-level settings of a platform
/// (`dsl.PipelineConfig`).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct PipelineConfig {
    /// Seconds to keep the run's resources after it completes.
    #[serde(default, skip_serializing_if = "is_default", with = "protojson::int32")]
    #[schemars(with = "protojson::Int32")]
    pub resource_ttl_on_completion: i32,
    /// The workspace volume shared by the tasks; written whenever set.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub workspace: Option<WorkspaceConfig>,
    /// Seconds to keep the run's resources after it succeeds.
    #[serde(default, skip_serializing_if = "is_default", with = "protojson::int32")]
    #[schemars(with = "protojson::Int32")]
    pub resource_ttl_on_success: i32,
    /// Seconds to keep the run's resources after it fails.
    #[serde(default, skip_serializing_if = "is_default", with = "protojson::int32")]
    #[schemars(with = "protojson::Int32")]
    pub resource_ttl_on_failure: i32,
    /// The most seconds the run may take.
    #[serde(default, skip_serializing_if = "is_default", with = "protojson::int32")]
    #[schemars(with = "protojson::Int32")]
    pub active_deadline_seconds: i32,
}

/// `WorkspaceConfig`: the pipeline workspace, a volume shared by all tasks.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct WorkspaceConfig {
    /// The volume size, a Kubernetes quantity such as `1Gi`.
    #[serde(default, skip_serializing_if = "is_default")]
    pub size: CompactString,
    /// Kubernetes settings of the volume; written whenever set.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub kubernetes: Option<KubernetesWorkspaceConfig>,
}

/// `KubernetesWorkspaceConfig`: Kubernetes settings of the workspace volume.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct KubernetesWorkspaceConfig {
    /// A patch merged into the workspace's `PersistentVolumeClaimSpec`;
    /// written whenever set.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pvc_spec_patch: Option<Struct>,
}
