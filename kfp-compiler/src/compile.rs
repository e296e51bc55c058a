//! Lowering a [`Pipeline`] graph to a `kfp_ir_schema::PipelineSpec`, as kfp
//! 2.17's `pipeline_spec_builder` does.
//!
//! A pipeline is lowered task by task, in insertion order:
//!
//! * the task's name is its component's name made unique in the pipeline
//!   with `-2`, `-3`…;
//! * a container task gets its own executor `exec-<task>` and component
//!   `comp-<task>` (each made unique against the keys already used, with no
//!   dedup of equal contents);
//! * a task running a pipeline first lowers that pipeline, merges its
//!   executors and components into the outer ones (renaming collisions
//!   with `-2`…), then adds the inner root as `comp-<task>`;
//! * the root component holds the pipeline's inputs, outputs and DAG.
//!
//! Everything is validated on the way: an error names the pipeline, the
//! task and the input or setting at fault, and no partial spec is returned.
//! The output is deterministic: it depends only on the graph.
//!
//! # Modules
//!
//! * `lower`: one pipeline, its groups and tasks in kfp's build order
//!   (`order`), into its components and executors (`parts`, which also
//!   merges a sub-pipeline's);
//! * per task (`context`): its spec (`task`), bindings (`bind`), runtime
//!   settings and f-strings (`runtime`), exit handler and final status
//!   (`exit`), executor (`executor`, `resources`);
//! * `component`: components' interfaces; `outputs`: the pipeline's
//!   outputs.

mod bind;
mod component;
mod context;
mod executor;
mod exit;
mod lower;
mod order;
mod outputs;
mod parts;
mod resources;
mod runtime;
mod task;

use kfp_ir_schema::{self as ir, CompactString};

use crate::error::CompileError;
use crate::graph::Pipeline;
use crate::naming::{UniqueNames, maybe_rename_for_k8s};
use crate::to_ir::sorted_map;
use context::component_of;

/// The `sdkVersion` kfp-rs writes.
pub const SDK_VERSION: &str = concat!("kfp-rs-", env!("CARGO_PKG_VERSION"));

/// Compiles `pipeline` to the KFP IR, with the names and conventions of kfp
/// 2.17.
///
/// # Errors
/// A [`CompileError`] naming the pipeline, task and input at fault when the
/// graph is invalid: an unknown or missing input, a binding of the wrong
/// kind or type, a reference to an unknown or later task, an invalid
/// resource, retry or placeholder, an invalid pipeline name.
pub fn compile(pipeline: &Pipeline) -> Result<ir::PipelineSpec, CompileError> {
    compile_file(pipeline).map(|file| file.spec)
}

/// Compiles `pipeline` to a pipeline file: the IR, and the `PlatformSpec`
/// holding the tasks' Kubernetes settings when any task has some (see
/// [`platform`](crate::platform)) and the pipeline's
/// [`config`](Pipeline::config) when it sets anything.
///
/// # Errors
/// As [`compile`], when a Kubernetes setting or the workspace is invalid,
/// and when the pipeline uses the workspace and has none.
pub fn compile_file(pipeline: &Pipeline) -> Result<ir::PipelineFile, CompileError> {
    let lowered = lower::lower(pipeline)?;
    let parts = lowered.parts;
    let spec = ir::PipelineSpec {
        pipeline_info: Some(ir::PipelineInfo {
            name: lowered.name.into(),
            display_name: pipeline.display_name.as_deref().unwrap_or_default().into(),
            description: pipeline.description.as_deref().unwrap_or_default().into(),
        }),
        deployment_spec: Some(ir::PipelineDeploymentConfig {
            executors: sorted_map(parts.executors),
        }),
        sdk_version: SDK_VERSION.into(),
        schema_version: ir::SCHEMA_VERSION.into(),
        components: sorted_map(parts.components),
        root: Some(lowered.root),
        default_pipeline_root: pipeline.pipeline_root.as_deref().unwrap_or_default().into(),
    };
    let config = crate::pipeline_config::lower(pipeline)?;
    crate::pipeline_config::check_uses(pipeline, &spec, config.as_ref())?;
    Ok(ir::PipelineFile {
        spec,
        platform: crate::platform::platform_spec(parts.platform, config),
        description: None,
    })
}

/// The task names kfp gives the tasks of `pipeline`, in task order: the
/// component name, made unique with `-2`, `-3`… (`task` for an empty name).
///
/// # Errors
/// [`CompileError::UnknownComponent`] if a task calls a component id the
/// pipeline did not issue.
pub fn task_names(pipeline: &Pipeline) -> Result<Vec<CompactString>, CompileError> {
    let mut taken = UniqueNames::with_capacity(pipeline.tasks.len());
    // The base name of each component, made once: a component is usually
    // called by many tasks.
    let mut bases: Vec<Option<String>> = vec![None; pipeline.components.len()];
    pipeline
        .tasks
        .iter()
        .enumerate()
        .map(|(index, task)| {
            let component = component_of(pipeline, index, task)?;
            let base = bases[task.component.0]
                .get_or_insert_with(|| maybe_rename_for_k8s(&component.name));
            Ok(if base.is_empty() {
                taken.claim("task")
            } else {
                taken.claim(base)
            })
        })
        .collect()
}
