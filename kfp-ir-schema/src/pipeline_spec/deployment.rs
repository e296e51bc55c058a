//! `PipelineDeploymentConfig`: the executors of the leaf components
//! (`deploymentSpec`), their containers, importers and resolvers.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use super::{ArtifactTypeSchema, Struct, ValueOrRuntimeParameter};
use crate::protojson::{self, is_default};
use crate::{CompactString, VecMap};

/// `PipelineDeploymentConfig`: how each leaf component runs
/// (`PipelineSpec.deploymentSpec`).
///
/// ```
/// use kfp_ir_schema::{ExecutorSpec, PipelineContainerSpec, PipelineDeploymentConfig};
///
/// let mut config = PipelineDeploymentConfig::default();
/// config.executors.insert(
///     "exec-hello".into(),
///     ExecutorSpec::Container(PipelineContainerSpec {
///         image: "python:3.11".into(),
///         command: vec!["echo".into()],
///         args: vec!["hello".into()],
///         ..Default::default()
///     }),
/// );
/// assert_eq!(
///     serde_json::to_string(&config).unwrap(),
///     r#"{"executors":{"exec-hello":{"container":{"image":"python:3.11","command":["echo"],"args":["hello"]}}}}"#
/// );
/// ```
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct PipelineDeploymentConfig {
    /// The executors, keyed by executor label `exec-…`.
    #[serde(default, skip_serializing_if = "is_default")]
    pub executors: VecMap<CompactString, ExecutorSpec>,
}

oneof_message! {
    /// `PipelineDeploymentConfig.ExecutorSpec`: how one leaf component runs
    /// (`oneof spec`).
    pub enum ExecutorSpec {
        proto: "ExecutorSpec",
        oneof: "spec",
        wire: ExecutorSpecWire,
        /// A container (`container`).
        Container(PipelineContainerSpec) = container "container",
        /// An importer of an existing artifact, `dsl.importer` (`importer`).
        Importer(ImporterSpec) = importer "importer",
        /// A resolver of artifacts by query; not written by the OSS SDK
        /// (`resolver`).
        Resolver(ResolverSpec) = resolver "resolver",
        /// A Vertex AI custom job; deprecated (`customJob`).
        CustomJob(AiPlatformCustomJobSpec) = custom_job "customJob",
    }
}

/// `PipelineDeploymentConfig.PipelineContainerSpec`: the container of a
/// leaf component.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct PipelineContainerSpec {
    /// The container image.
    #[serde(default, skip_serializing_if = "is_default")]
    pub image: CompactString,
    /// The entrypoint, with placeholders such as `{{$}}`.
    #[serde(default, skip_serializing_if = "is_default")]
    pub command: Vec<CompactString>,
    /// The arguments, with placeholders.
    #[serde(default, skip_serializing_if = "is_default")]
    pub args: Vec<CompactString>,
    /// Lifecycle hooks (unused).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub lifecycle: Option<Lifecycle>,
    /// CPU, memory and accelerator requests and limits.
    // Boxed: most containers set none, and inline they would be over half
    // of every container spec.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub resources: Option<Box<ResourceSpec>>,
    /// Environment variables (`set_env_variable`).
    #[serde(default, skip_serializing_if = "is_default")]
    pub env: Vec<EnvVar>,
}

/// `PipelineContainerSpec.Lifecycle`: lifecycle hooks of a container
/// (unused).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Lifecycle {
    /// A command run before the cache is checked.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pre_cache_check: Option<LifecycleExec>,
}

/// `PipelineContainerSpec.Lifecycle.Exec`: a command of a lifecycle hook.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct LifecycleExec {
    /// The command.
    #[serde(default, skip_serializing_if = "is_default")]
    pub command: Vec<CompactString>,
    /// Its arguments.
    #[serde(default, skip_serializing_if = "is_default")]
    pub args: Vec<CompactString>,
}

/// `PipelineContainerSpec.ResourceSpec`: the resources of a container. The
/// backend uses the `resource*` strings first and falls back to the
/// deprecated doubles.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct ResourceSpec {
    /// CPU limit in cores; deprecated for `resourceCpuLimit`.
    #[serde(
        default,
        skip_serializing_if = "is_default",
        with = "protojson::double"
    )]
    #[schemars(with = "protojson::Double")]
    pub cpu_limit: f64,
    /// Memory limit in GB; deprecated for `resourceMemoryLimit`.
    #[serde(
        default,
        skip_serializing_if = "is_default",
        with = "protojson::double"
    )]
    #[schemars(with = "protojson::Double")]
    pub memory_limit: f64,
    /// CPU request in cores; deprecated for `resourceCpuRequest`.
    #[serde(
        default,
        skip_serializing_if = "is_default",
        with = "protojson::double"
    )]
    #[schemars(with = "protojson::Double")]
    pub cpu_request: f64,
    /// Memory request in GB; deprecated for `resourceMemoryRequest`.
    #[serde(
        default,
        skip_serializing_if = "is_default",
        with = "protojson::double"
    )]
    #[schemars(with = "protojson::Double")]
    pub memory_request: f64,
    /// CPU limit as a Kubernetes quantity (`"500m"`) or a placeholder.
    #[serde(default, skip_serializing_if = "is_default")]
    pub resource_cpu_limit: CompactString,
    /// Memory limit as a Kubernetes quantity (`"1G"`) or a placeholder.
    #[serde(default, skip_serializing_if = "is_default")]
    pub resource_memory_limit: CompactString,
    /// CPU request as a Kubernetes quantity or a placeholder.
    #[serde(default, skip_serializing_if = "is_default")]
    pub resource_cpu_request: CompactString,
    /// Memory request as a Kubernetes quantity or a placeholder.
    #[serde(default, skip_serializing_if = "is_default")]
    pub resource_memory_request: CompactString,
    /// The accelerator (GPU/TPU) the container needs.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub accelerator: Option<AcceleratorConfig>,
}

/// `ResourceSpec.AcceleratorConfig`: an accelerator request
/// (`set_accelerator_type`, `set_accelerator_limit`).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct AcceleratorConfig {
    /// The accelerator type, e.g. `nvidia.com/gpu`; deprecated for
    /// `resourceType`.
    #[serde(default, rename = "type", skip_serializing_if = "is_default")]
    pub r#type: CompactString,
    /// How many accelerators (an int64, written as a string); deprecated
    /// for `resourceCount`.
    #[serde(default, skip_serializing_if = "is_default", with = "protojson::int64")]
    #[schemars(with = "protojson::Int64")]
    pub count: i64,
    /// The accelerator type, a Kubernetes resource name or a placeholder.
    #[serde(default, skip_serializing_if = "is_default")]
    pub resource_type: CompactString,
    /// How many accelerators, a number or a placeholder.
    #[serde(default, skip_serializing_if = "is_default")]
    pub resource_count: CompactString,
}

/// `PipelineContainerSpec.EnvVar`: an environment variable of a container.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct EnvVar {
    /// The variable's name.
    #[serde(default, skip_serializing_if = "is_default")]
    pub name: CompactString,
    /// The variable's value.
    #[serde(default, skip_serializing_if = "is_default")]
    pub value: CompactString,
}

/// `PipelineDeploymentConfig.ImporterSpec`: an importer, which registers an
/// existing artifact by URI (`dsl.importer`).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct ImporterSpec {
    /// The artifact's URI: a constant or the `uri` runtime parameter.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub artifact_uri: Option<ValueOrRuntimeParameter>,
    /// The artifact's type.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub type_schema: Option<ArtifactTypeSchema>,
    /// Typed properties of schema 2.0.0; deprecated.
    #[serde(default, skip_serializing_if = "is_default")]
    pub properties: VecMap<CompactString, ValueOrRuntimeParameter>,
    /// Custom properties of schema 2.0.0; deprecated.
    #[serde(default, skip_serializing_if = "is_default")]
    pub custom_properties: VecMap<CompactString, ValueOrRuntimeParameter>,
    /// True to register a new artifact even when one with this URI exists.
    #[serde(default, skip_serializing_if = "is_default")]
    pub reimport: bool,
    /// Metadata of the imported artifact.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub metadata: Option<Struct>,
    /// True to download the artifact into the pipeline workspace.
    #[serde(default, skip_serializing_if = "is_default")]
    pub download_to_workspace: bool,
}

/// `PipelineDeploymentConfig.ResolverSpec`: a resolver, which finds
/// artifacts by query (not written by the OSS SDK).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct ResolverSpec {
    /// The query of each output artifact, by output name.
    #[serde(default, skip_serializing_if = "is_default")]
    pub output_artifact_queries: VecMap<CompactString, ArtifactQuerySpec>,
}

/// `ResolverSpec.ArtifactQuerySpec`: a query for artifacts.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct ArtifactQuerySpec {
    /// The filter, in the ML Metadata filter syntax.
    #[serde(default, skip_serializing_if = "is_default")]
    pub filter: CompactString,
    /// The most artifacts to return.
    #[serde(default, skip_serializing_if = "is_default", with = "protojson::int32")]
    #[schemars(with = "protojson::Int32")]
    pub limit: i32,
}

/// `PipelineDeploymentConfig.AIPlatformCustomJobSpec`: a Vertex AI custom
/// job (deprecated).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct AiPlatformCustomJobSpec {
    /// The job, as a Vertex AI `CustomJob` JSON object.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub custom_job: Option<Struct>,
}
