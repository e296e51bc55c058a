//! The pipeline's platform settings ([`graph::PipelineConfig`]) lowered to
//! the `PipelineConfig` of the `PlatformSpec`, as kfp's
//! `_merge_pipeline_config` writes it, and kfp's checks that a pipeline
//! using the workspace has one.

use kfp_ir_schema::{self as ir, workspace};
use serde_json::Value;

use crate::error::{CompileError, WorkspaceError};
use crate::graph::{self, Pipeline};

/// The `PipelineConfig` of `pipeline`, or `None` when it sets nothing (kfp
/// then writes none). A workspace is written with its size trimmed and a
/// PVC spec patch, empty when none is given.
///
/// # Errors
/// A workspace size kfp refuses, or a PVC spec patch that is not an object.
pub(crate) fn lower(pipeline: &Pipeline) -> Result<Option<ir::PipelineConfig>, CompileError> {
    let Some(ws) = &pipeline.config.workspace else {
        return Ok(None);
    };
    let workspace = lower_workspace(ws).map_err(|error| CompileError::Workspace {
        pipeline: pipeline.name.clone(),
        error,
    })?;
    Ok(Some(ir::PipelineConfig {
        workspace: Some(workspace),
        ..ir::PipelineConfig::default()
    }))
}

fn lower_workspace(ws: &graph::Workspace) -> Result<ir::WorkspaceConfig, WorkspaceError> {
    let size = workspace::check_size(&ws.size)?;
    let patch = match &ws.pvc_spec_patch {
        None => ir::Struct::new(),
        Some(Value::Object(patch)) => patch.clone(),
        Some(other) => return Err(WorkspaceError::PvcSpecPatch(other.to_string())),
    };
    Ok(ir::WorkspaceConfig {
        size: size.into(),
        kubernetes: Some(ir::KubernetesWorkspaceConfig {
            pvc_spec_patch: Some(patch),
        }),
    })
}

/// Checks that a compiled pipeline that uses the workspace (a task input
/// given `{{$.workspace_path}}` or a path under `/kfp-workspace`, or an
/// importer downloading into it, in its own DAG or any sub-pipeline's)
/// has one, as kfp's compiler does.
///
/// # Errors
/// [`WorkspaceError::UsedByTask`] or [`WorkspaceError::UsedByImporter`].
pub(crate) fn check_uses(
    pipeline: &Pipeline,
    spec: &ir::PipelineSpec,
    config: Option<&ir::PipelineConfig>,
) -> Result<(), CompileError> {
    if config.is_some_and(|c| c.workspace.is_some()) {
        return Ok(());
    }
    let error = match workspace::first_use(spec) {
        None => return Ok(()),
        Some(workspace::Use::TaskInput {
            component,
            task,
            input,
        }) => WorkspaceError::UsedByTask {
            component,
            task,
            input,
        },
        Some(workspace::Use::Importer { executor }) => WorkspaceError::UsedByImporter { executor },
    };
    Err(CompileError::Workspace {
        pipeline: pipeline.name.clone(),
        error,
    })
}
