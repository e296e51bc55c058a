//! The pipeline's outputs: the root's `outputDefinitions` and the DAG's
//! `outputs`, each selecting a task's output, the list collected out of the
//! loops or conditions the task runs in, or a OneOf published by its chain.

use kfp_ir_schema::{self as ir, CompactString};

use crate::error::CompileError;
use crate::graph::{OneOfId, OutputRef, OutputSource, Pipeline, PipelineOutput, TaskId};
use crate::groups::{Router, Scopes, resolve_one_of};
use crate::to_ir;

/// Where a pipeline output is read in the root DAG.
struct Selected<'p> {
    /// The task (or group task) of the root DAG that has it.
    producer: CompactString,
    /// Its output there.
    key: CompactString,
    /// The declaration of the value.
    declared: OutputRef<'p>,
    /// Whether it is collected out of a group into a list.
    collected: bool,
}

/// The pipeline's outputs: fills the root's `outputDefinitions` and
/// returns `dag.outputs`.
pub(super) fn dag_outputs(
    pipeline: &Pipeline,
    names: &[CompactString],
    scopes: &Scopes<'_>,
    root: &mut ir::ComponentSpec,
    mut router: Option<&mut Router<'_>>,
) -> Result<Option<ir::DagOutputsSpec>, CompileError> {
    let mut definitions = ir::ComponentOutputsSpec::default();
    let mut dag = ir::DagOutputsSpec::default();
    for out in &pipeline.outputs {
        let err = |reason: String| CompileError::PipelineOutput {
            pipeline: pipeline.name.clone(),
            output: out.name.clone(),
            reason,
        };
        let selected = match &out.source {
            OutputSource::Task { task, output } => {
                task_output(pipeline, names, router.as_deref_mut(), *task, output)
            }
            OutputSource::OneOf(id) => one_of(pipeline, scopes, router.as_deref_mut(), *id),
        }
        .map_err(err)?;
        publish(out, selected, &mut definitions, &mut dag);
    }
    root.output_definitions = to_ir::non_empty_outputs(definitions);
    Ok((!dag.parameters.is_empty() || !dag.artifacts.is_empty()).then_some(dag))
}

/// Output `output` of task `task`; the output of a task inside a group is
/// published collected.
fn task_output<'p>(
    pipeline: &'p Pipeline,
    names: &[CompactString],
    router: Option<&mut Router<'_>>,
    task: TaskId,
    output: &str,
) -> Result<Selected<'p>, String> {
    let producer = names
        .get(task.0)
        .ok_or_else(|| format!("task #{} is not in the pipeline", task.0))?;
    let declared = pipeline
        .task_output(task, output)
        .ok_or_else(|| format!("task `{producer}` has no output `{output}`"))?;
    Ok(match (router, pipeline.tasks[task.0].group) {
        (Some(router), Some(_)) => {
            let (top, channel) = router.collect(producer, output, None);
            Selected {
                producer: top,
                key: channel,
                declared,
                collected: true,
            }
        }
        _ => Selected {
            producer: producer.clone(),
            key: output.into(),
            declared,
            collected: false,
        },
    })
}

/// OneOf `id`, published by its chain's group, which must be at the
/// pipeline's top level.
fn one_of<'p>(
    pipeline: &'p Pipeline,
    scopes: &Scopes<'_>,
    router: Option<&mut Router<'_>>,
    id: OneOfId,
) -> Result<Selected<'p>, String> {
    let resolved = resolve_one_of(pipeline, scopes, id)?;
    let Some(router) = router else {
        return Err(format!("OneOf #{} has no chain", id.0));
    };
    if scopes.parent(resolved.branches).is_some() {
        return Err(format!(
            "a OneOf of `{}`, which runs inside a loop or condition, cannot be published: \
             publish it from that group's pipeline level",
            resolved.group
        ));
    }
    let (group, key) = router.publish_one_of(id)?;
    Ok(Selected {
        producer: group,
        key,
        declared: resolved.output,
        collected: false,
    })
}

/// Declares `out` and selects it in the DAG's outputs.
fn publish(
    out: &PipelineOutput,
    selected: Selected<'_>,
    definitions: &mut ir::ComponentOutputsSpec,
    dag: &mut ir::DagOutputsSpec,
) {
    let description = out.description.as_deref().unwrap_or_default();
    match selected.declared {
        OutputRef::Parameter(p) => {
            definitions.parameters.insert(
                out.name.as_str().into(),
                ir::ComponentOutputParameterSpec {
                    parameter_type: if selected.collected {
                        ir::ParameterType::List
                    } else {
                        to_ir::parameter_type(p.kind)
                    },
                    description: description.into(),
                    ..Default::default()
                },
            );
            dag.parameters.insert(
                out.name.as_str().into(),
                ir::DagOutputParameterSpec::ValueFromParameter(ir::ParameterSelectorSpec {
                    producer_subtask: selected.producer,
                    output_parameter_key: selected.key,
                }),
            );
        }
        OutputRef::Artifact(a) => {
            definitions.artifacts.insert(
                out.name.as_str().into(),
                ir::ComponentOutputArtifactSpec {
                    is_artifact_list: a.is_list || selected.collected,
                    description: description.into(),
                    ..to_ir::output_artifact(a)
                },
            );
            dag.artifacts.insert(
                out.name.as_str().into(),
                ir::DagOutputArtifactSpec {
                    artifact_selectors: vec![ir::ArtifactSelectorSpec {
                        producer_subtask: selected.producer,
                        output_artifact_key: selected.key,
                    }],
                },
            );
        }
    }
}
