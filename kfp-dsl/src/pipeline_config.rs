//! Pipeline-level settings (kfp's `dsl.PipelineConfig`), given to
//! `#[pipeline(pipeline_config = ...)]`: the workspace, a volume that every
//! task of a run can use.
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
/// one's workspace.
#[derive(Clone, Debug, Default, PartialEq)]
#[must_use]
pub struct PipelineConfig {
    workspace: Option<WorkspaceConfig>,
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

    /// The settings as the compiler's graph holds them.
    #[doc(hidden)]
    pub fn __into_graph(self) -> graph::PipelineConfig {
        graph::PipelineConfig {
            workspace: self.workspace.map(|w| w.0),
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
