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
/// PVC spec patch, empty when none is given; a number of seconds only when
/// it is above zero, as kfp writes them.
///
/// # Errors
/// A workspace size kfp refuses, a PVC spec patch that is not an object,
/// or a number of seconds above the int32 maximum.
pub(crate) fn lower(pipeline: &Pipeline) -> Result<Option<ir::PipelineConfig>, CompileError> {
    let config = &pipeline.config;
    let workspace = match &config.workspace {
        None => None,
        Some(ws) => Some(
            lower_workspace(ws).map_err(|error| CompileError::Workspace {
                pipeline: pipeline.name.clone(),
                error,
            })?,
        ),
    };
    let seconds = |setting: &'static str, value: Option<u32>| match value {
        None => Ok(0),
        Some(value) => i32::try_from(value).map_err(|_| CompileError::ConfigSeconds {
            pipeline: pipeline.name.clone(),
            setting,
            value,
        }),
    };
    let lowered = ir::PipelineConfig {
        workspace,
        resource_ttl_on_completion: seconds(
            "ttl_seconds_after_finished",
            config.ttl_seconds_after_finished,
        )?,
        resource_ttl_on_success: seconds(
            "ttl_seconds_after_success",
            config.ttl_seconds_after_success,
        )?,
        resource_ttl_on_failure: seconds(
            "ttl_seconds_after_failure",
            config.ttl_seconds_after_failure,
        )?,
        active_deadline_seconds: seconds(
            "active_deadline_seconds",
            config.active_deadline_seconds,
        )?,
    };
    Ok((lowered != ir::PipelineConfig::default()).then_some(lowered))
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
