//! Lowering one pipeline: its groups and tasks in kfp's build order
//! ([`claim_order`]), each task to its task spec, executor and component (a
//! sub-pipeline lowered first and merged in), then the groups' components
//! and the root with the pipeline's interface and outputs.

use kfp_ir_schema::{self as ir, CompactString};

use super::component::{interface, pipeline_interface};
use super::context::{TaskCx, component_of};
use super::order::{Claim, claim_order};
use super::outputs::dag_outputs;
use super::parts::{Lowered, Parts};
use crate::error::{CompileError, TaskError};
use crate::graph::{GroupId, GroupKind, Implementation, Pipeline};
use crate::groups::{Router, Scopes};
use crate::naming::maybe_rename_for_k8s;
use crate::platform::{self, TaskRef};
use crate::to_ir::sorted_map;

/// Lowers `pipeline` (and the pipelines its tasks run) to its root
/// component and the components and executors it needs.
pub(super) fn lower(pipeline: &Pipeline) -> Result<Lowered, CompileError> {
    let name = pipeline_name(pipeline)?;
    if pipeline.tasks.is_empty() {
        return Err(CompileError::EmptyPipeline {
            pipeline: pipeline.name.clone(),
        });
    }
    let names = super::task_names(pipeline)?;
    let mut lowering = Lowering::new(pipeline, &names)?;
    // kfp names components (and executors) as it meets them; the first
    // takes a name, a later one gets `-2`.
    for claim in claim_order(pipeline) {
        match claim {
            Claim::Group(group) => lowering.claim_group(group),
            Claim::Task(index) => lowering.lower_task(index)?,
        }
    }
    lowering.finish(name)
}

/// kfp's `validate_pipeline_name` after `maybe_rename_for_k8s`.
fn pipeline_name(pipeline: &Pipeline) -> Result<String, CompileError> {
    let renamed = maybe_rename_for_k8s(&pipeline.name);
    if kfp_ir_schema::validate::valid_pipeline_name(&renamed) {
        Ok(renamed)
    } else {
        Err(CompileError::InvalidPipelineName {
            name: pipeline.name.clone(),
            renamed,
        })
    }
}

/// A pipeline being lowered.
struct Lowering<'p> {
    pipeline: &'p Pipeline,
    /// The kfp names of its tasks.
    names: &'p [CompactString],
    scopes: Scopes<'p>,
    /// Places the tasks in their groups' DAGs, when there are groups.
    router: Option<Router<'p>>,
    parts: Parts,
    /// The root DAG's tasks when there are no groups (else the router
    /// places them), in task order.
    tasks: Vec<(CompactString, ir::PipelineTaskSpec)>,
    /// The component key of each group, once claimed.
    group_keys: Vec<Option<CompactString>>,
}

impl<'p> Lowering<'p> {
    fn new(pipeline: &'p Pipeline, names: &'p [CompactString]) -> Result<Self, CompileError> {
        let n = pipeline.tasks.len();
        let no_groups = pipeline.groups.is_empty();
        Ok(Lowering {
            pipeline,
            names,
            scopes: Scopes::new(pipeline, names)?,
            router: if no_groups {
                None
            } else {
                Some(Router::new(pipeline, names)?)
            },
            parts: Parts::with_capacity(n),
            tasks: Vec::with_capacity(if no_groups { n } else { 0 }),
            group_keys: vec![None; pipeline.groups.len()],
        })
    }

    /// Takes the component key of `group`.
    fn claim_group(&mut self, group: GroupId) {
        let key = self.parts.claim_component_key(self.scopes.name(group));
        self.group_keys[group.0] = Some(key);
    }

    /// Lowers task `index`: its executor and component (after those of the
    /// pipeline it runs), and its task spec, placed in its group's DAG.
    fn lower_task(&mut self, index: usize) -> Result<(), CompileError> {
        let pipeline = self.pipeline;
        let task = &pipeline.tasks[index];
        let cx = TaskCx {
            pipeline,
            names: self.names,
            index,
            task,
            component: component_of(pipeline, index, task)?,
            scopes: &self.scopes,
        };
        check_task_group(&cx)?;
        let mut task_spec = cx.task_spec()?;
        let kubernetes = kubernetes_config(&cx, self.router.as_mut())?;
        let component_spec = implement(&cx, &mut self.parts, kubernetes)?;
        let key = self.parts.claim_component_key(cx.name());
        task_spec.component_ref = Some(ir::ComponentRef { name: key.clone() });
        self.parts.add_component(key, component_spec);
        match &mut self.router {
            Some(router) => router.add_task(index, task_spec),
            None => {
                self.tasks.push((cx.name().clone(), task_spec));
                Ok(())
            }
        }
    }

    /// The root (interface, DAG and outputs) and, after the tasks', the
    /// groups' components.
    fn finish(self, name: String) -> Result<Lowered, CompileError> {
        let Lowering {
            pipeline,
            names,
            scopes,
            mut router,
            mut parts,
            tasks,
            mut group_keys,
        } = self;
        let mut root = pipeline_interface(pipeline)?;
        let outputs = dag_outputs(pipeline, names, &scopes, &mut root, router.as_mut())?;
        let tasks = match router {
            Some(router) => {
                let (top, groups) = router.finish(|group| {
                    group_keys[group.0]
                        .take()
                        .expect("every group is in the claim order")
                });
                parts.components.extend(groups);
                top
            }
            None => sorted_map(tasks),
        };
        root.implementation = Some(ir::ComponentImplementation::Dag(ir::DagSpec {
            tasks,
            outputs,
        }));
        Ok(Lowered { name, root, parts })
    }
}

/// Checks that the task's group exists and is not an If/Elif/Else chain
/// (whose tasks go in its branches).
fn check_task_group(cx: &TaskCx<'_>) -> Result<(), CompileError> {
    let Some(group) = cx.task.group else {
        return Ok(());
    };
    if !cx.scopes.exists(group) {
        return Err(cx.err(TaskError::UnknownGroup { group: group.0 }));
    }
    if cx.pipeline.groups[group.0].kind == GroupKind::ConditionBranches {
        return Err(CompileError::Component {
            component: cx.pipeline.name.clone(),
            reason: format!(
                "task `{}` is directly in the If/Elif/Else chain `{}`; tasks go in its branches",
                cx.name(),
                cx.scopes.name(group)
            ),
        });
    }
    Ok(())
}

/// The task's Kubernetes config; a setting of a task in a group reads a
/// pipeline input or an outer task's output through the groups, as its
/// inputs do.
fn kubernetes_config(
    cx: &TaskCx<'_>,
    mut router: Option<&mut Router<'_>>,
) -> Result<Option<ir::Struct>, CompileError> {
    let group = cx.task.group;
    let mut route = |kind: &mut ir::InputParameterKind| match (router.as_deref_mut(), group) {
        (Some(router), Some(group)) => router.route_parameter(Some(group), kind),
        _ => Ok(()),
    };
    let task = TaskRef {
        pipeline: cx.pipeline,
        names: cx.names,
        scopes: cx.scopes,
        index: cx.index,
        task: cx.task,
    };
    platform::executor_config(task, cx.component, &mut route)
}

/// The task's component: its interface and executor, or the root of the
/// pipeline it runs, lowered and merged into `parts`.
fn implement(
    cx: &TaskCx<'_>,
    parts: &mut Parts,
    kubernetes: Option<ir::Struct>,
) -> Result<ir::ComponentSpec, CompileError> {
    let executor = match &cx.component.implementation {
        Implementation::Container(container) => {
            ir::ExecutorSpec::Container(cx.container(container)?)
        }
        Implementation::Importer(importer) => ir::ExecutorSpec::Importer(cx.importer(importer)?),
        Implementation::Pipeline(inner) => {
            cx.check_pipeline_task(Some(inner))?;
            let lowered = lower(inner)?;
            return Ok(parts.merge(lowered));
        }
        Implementation::Compiled(file) => {
            cx.check_pipeline_task(None)?;
            return Ok(parts.merge(Lowered::compiled(file)));
        }
    };
    let label = parts.add_executor(cx.name(), executor, kubernetes);
    interface(
        cx.component,
        ir::ComponentImplementation::ExecutorLabel(label),
    )
}
