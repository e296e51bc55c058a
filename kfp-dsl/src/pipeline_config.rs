//! Pipeline-level settings (kfp's `dsl.PipelineConfig`), given to
//! `#[pipeline(pipeline_config = ...)]`: the workspace, a volume that every
//! task of a run can use; how long a cluster keeps a run's resources once
//! it ends; and how long a run may take.
//!
//! A task reaches the workspace through [`placeholders::WORKSPACE_PATH`]
//! given to a `String` input (the backend mounts it at `/kfp-workspace`;
//! the local runner gives each run its own folder), and an importer with
//! [`download_to_workspace`](crate::ImporterTask::download_to_workspace)
//! downloads its artifact into it. A pipeline that does either and has no
//! workspace is refused when compiled, as kfp refuses it.
//!
//! ```
//! use kfp_dsl::placeholders;
//! use kfp_dsl::prelude::*;
//! use serde_json::json;
//!
//! #[component]
//! fn write(workspace_path: String) -> std::io::Result<String> {
//!     let path = format!("{workspace_path}/note.txt");
//!     std::fs::write(&path, "hello")?;
//!     Ok(path)
//! }
//!
//! #[pipeline(pipeline_config = PipelineConfig::new().workspace(
//!     WorkspaceConfig::new("1Gi").pvc_spec_patch(json!({"storageClassName": "standard"})),
//! ))]
//! fn shared() {
//!     write(placeholders::WORKSPACE_PATH);
//! }
//!
//! fn main() {
//!     let (_, yaml) = kfp_dsl::compile_to_string(shared::ENTRY, false).unwrap();
//!     assert!(yaml.contains("constant: '{{$.workspace_path}}'"));
//!     assert!(yaml.contains("storageClassName: standard"));
//!     assert!(yaml.contains("size: 1Gi"));
//! }
//! ```
//!
//! [`placeholders::WORKSPACE_PATH`]: crate::placeholders::WORKSPACE_PATH

use kfp_compiler::graph;
use serde_json::Value;

/// A pipeline's platform settings (kfp's `dsl.PipelineConfig`), given to
/// `#[pipeline(pipeline_config = ...)]`. Only the settings of the pipeline
/// compiled are written: a pipeline used inside another uses the outer
/// one's.
///
/// The numbers of seconds are written only when above zero, as kfp writes
/// them; one above the int32 maximum is reported when the pipeline is
/// compiled, with kfp's message. They are a cluster's (Argo's
/// `ttlStrategy` and `activeDeadlineSeconds`): a local run notes them and
/// goes without them.
///
/// ```
/// use kfp_dsl::prelude::*;
///
/// #[container_component]
/// fn hello() -> ContainerSpec {
///     ContainerSpec::new("alpine").command(("echo", "hello"))
/// }
///
/// #[pipeline(pipeline_config = PipelineConfig::new()
///     .ttl_seconds_after_finished(3600)
///     .active_deadline_seconds(600))]
/// fn short_lived() {
///     hello();
/// }
///
/// fn main() {
///     let (_, yaml) = kfp_dsl::compile_to_string(short_lived::ENTRY, false).unwrap();
///     assert!(yaml.contains("resourceTtlOnCompletion: 3600"));
///     assert!(yaml.contains("activeDeadlineSeconds: 600"));
/// }
/// ```
#[derive(Clone, Debug, Default, PartialEq)]
#[must_use]
pub struct PipelineConfig {
    workspace: Option<WorkspaceConfig>,
    ttl_seconds_after_finished: Option<u32>,
    ttl_seconds_after_success: Option<u32>,
    ttl_seconds_after_failure: Option<u32>,
    active_deadline_seconds: Option<u32>,
}

impl PipelineConfig {
    /// No settings.
    pub fn new() -> Self {
        Self::default()
    }

    /// Gives the pipeline a workspace (kfp's `workspace=`).
    pub fn workspace(mut self, workspace: WorkspaceConfig) -> Self {
        self.workspace = Some(workspace);
        self
    }

    /// Seconds a cluster keeps the run's resources once it ends, however it
    /// ends (kfp's `ttl_seconds_after_finished`, Argo's
    /// `ttlStrategy.secondsAfterCompletion`).
    pub fn ttl_seconds_after_finished(mut self, seconds: u32) -> Self {
        self.ttl_seconds_after_finished = Some(seconds);
        self
    }

    /// Seconds a cluster keeps them once the run succeeds (kfp's
    /// `ttl_seconds_after_success`; before
    /// [`ttl_seconds_after_finished`](Self::ttl_seconds_after_finished)).
    pub fn ttl_seconds_after_success(mut self, seconds: u32) -> Self {
        self.ttl_seconds_after_success = Some(seconds);
        self
    }

    /// Seconds a cluster keeps them once the run fails (kfp's
    /// `ttl_seconds_after_failure`; before
    /// [`ttl_seconds_after_finished`](Self::ttl_seconds_after_finished)).
    pub fn ttl_seconds_after_failure(mut self, seconds: u32) -> Self {
        self.ttl_seconds_after_failure = Some(seconds);
        self
    }

    /// The most seconds the run may take on a cluster before it is stopped
    /// (kfp's `active_deadline_seconds`, Argo's `activeDeadlineSeconds`).
    pub fn active_deadline_seconds(mut self, seconds: u32) -> Self {
        self.active_deadline_seconds = Some(seconds);
        self
    }

    /// The settings as the compiler's graph holds them.
    #[doc(hidden)]
    pub fn __into_graph(self) -> graph::PipelineConfig {
        graph::PipelineConfig {
            workspace: self.workspace.map(|w| w.0),
            ttl_seconds_after_finished: self.ttl_seconds_after_finished,
            ttl_seconds_after_success: self.ttl_seconds_after_success,
            ttl_seconds_after_failure: self.ttl_seconds_after_failure,
            active_deadline_seconds: self.active_deadline_seconds,
        }
    }
}

/// The pipeline's workspace (kfp's `dsl.WorkspaceConfig`): a volume that
/// lives as long as the run.
#[derive(Clone, Debug, PartialEq)]
#[must_use]
pub struct WorkspaceConfig(graph::Workspace);

impl WorkspaceConfig {
    /// A workspace of `size`, a Kubernetes quantity such as `"1Gi"` or
    /// `"500Mi"`. A size kfp refuses is reported, with kfp's message, when
    /// the pipeline is compiled.
    pub fn new(size: impl Into<String>) -> Self {
        Self(graph::Workspace::new(size))
    }

    /// A patch merged into the `PersistentVolumeClaimSpec` that the backend
    /// makes for the workspace (kfp's
    /// `KubernetesWorkspaceConfig(pvcSpecPatch=...)`), such as
    /// `json!({"storageClassName": "standard", "accessModes": ["ReadWriteOnce"]})`.
    /// Anything but a JSON object is reported when the pipeline is
    /// compiled.
    pub fn pvc_spec_patch(mut self, patch: Value) -> Self {
        self.0.pvc_spec_patch = Some(patch);
        self
    }
}
