//! Pipeline-level settings of the platform (kfp's `dsl.PipelineConfig`):
//! the workspace shared by a run's tasks, how long the run's resources are
//! kept once it ends, and how long it may take.

use serde_json::Value;

/// A pipeline's platform settings (kfp's `dsl.PipelineConfig`), written to
/// `platforms.kubernetes.pipelineConfig` of the `PlatformSpec`. Only the
/// root pipeline's are written; a pipeline used as a component keeps none.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct PipelineConfig {
    /// The workspace, a volume every task of a run can use.
    pub workspace: Option<Workspace>,
    /// Seconds to keep the run's resources once it ends, however it ends
    /// (kfp's `ttl_seconds_after_finished`).
    pub ttl_seconds_after_finished: Option<u32>,
    /// Seconds to keep them once it succeeds (kfp's
    /// `ttl_seconds_after_success`).
    pub ttl_seconds_after_success: Option<u32>,
    /// Seconds to keep them once it fails (kfp's
    /// `ttl_seconds_after_failure`).
    pub ttl_seconds_after_failure: Option<u32>,
    /// The most seconds the run may take before it is stopped (kfp's
    /// `active_deadline_seconds`).
    pub active_deadline_seconds: Option<u32>,
}

/// The pipeline's workspace (kfp's `dsl.WorkspaceConfig`): a volume that
/// lives as long as the run, mounted in the tasks that use it.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Workspace {
    /// Its size, a Kubernetes quantity such as `1Gi` (checked when
    /// compiled, with kfp's rule).
    pub size: String,
    /// A patch merged into the `PersistentVolumeClaimSpec` the backend
    /// makes for it (kfp's `KubernetesWorkspaceConfig(pvcSpecPatch=...)`):
    /// a JSON object, checked when compiled. `None` writes an empty patch,
    /// as kfp does.
    pub pvc_spec_patch: Option<Value>,
}

impl Workspace {
    /// A workspace of `size`, with no PVC spec patch.
    pub fn new(size: impl Into<String>) -> Self {
        Self {
            size: size.into(),
            pvc_spec_patch: None,
        }
    }
}
