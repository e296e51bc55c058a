//! Control-flow groups (loops): their kfp names, and the routing of values
//! across group boundaries.
//!
//! The tasks of a pipeline are first lowered as if they were all at the top
//! level: an input names the pipeline input, loop item or producer task it
//! reads, and the dependencies name producer tasks. [`Router`] then moves
//! each task into the DAG of its group and, as kfp's
//! `pipeline_spec_builder` does, never lets a reference cross a DAG:
//!
//! * a value from outside a group ("punched in") becomes an input
//!   `pipelinechannel--<full name>` of every group on the way in, and the
//!   outermost group task reads the value itself;
//! * an output collected after a loop ("punched out") becomes a `LIST` (or
//!   artifact list) output `pipelinechannel--<task>-<output>` of every group
//!   on the way out, and the consumer reads it from the outermost group
//!   task;
//! * a dependency on a task in another group becomes a dependency between
//!   the tasks (or group tasks) that are siblings in their closest common
//!   DAG.
//!
//! [`Scopes`] names the groups (`scopes`); the router builds each group's
//! task and component: loops (`loops`), conditions (`condition`), OneOf
//! outputs (`one_of`), and routes values in and out (`route`).

mod condition;
mod loops;
mod one_of;
mod route;
mod scopes;

use kfp_ir_schema::{self as ir, CompactString};

use crate::error::{CompileError, TaskError};
use crate::graph::{Binding, GroupId, GroupKind, Pipeline};
use crate::naming::NameMap;
use crate::to_ir;

pub(crate) use one_of::resolve as resolve_one_of;
pub(crate) use scopes::{Scopes, branches_of};

/// What is built for one group.
#[derive(Default)]
struct GroupBuild {
    inputs: ir::ComponentInputsSpec,
    outputs: ir::ComponentOutputsSpec,
    /// The group's DAG but for its tasks, which are in `tasks`.
    dag: ir::DagSpec,
    /// The group's tasks, in the order they were placed: sorted once, at
    /// the end (a sorted map would shift its entries at every insert).
    tasks: Vec<(CompactString, ir::PipelineTaskSpec)>,
    task: ir::PipelineTaskSpec,
}

/// Moves lowered tasks into their groups' DAGs (see the module docs).
pub(crate) struct Router<'p> {
    scopes: Scopes<'p>,
    /// The scope of each task, by task name.
    task_scopes: NameMap<&'p str, (usize, Option<GroupId>)>,
    names: &'p [CompactString],
    groups: Vec<GroupBuild>,
    /// The tasks of the pipeline's own DAG, as `GroupBuild::tasks`.
    root: Vec<(CompactString, ir::PipelineTaskSpec)>,
}

impl<'p> Router<'p> {
    /// A router of `pipeline`'s tasks (called `names`), with the task of
    /// every group built.
    pub(crate) fn new(
        pipeline: &'p Pipeline,
        names: &'p [CompactString],
    ) -> Result<Self, CompileError> {
        let scopes = Scopes::new(pipeline, names)?;
        let task_scopes = names
            .iter()
            .zip(&pipeline.tasks)
            .enumerate()
            .map(|(i, (name, task))| (name.as_str(), (i, task.group)))
            .collect();
        let mut router = Self {
            groups: (0..pipeline.groups.len())
                .map(|_| GroupBuild::default())
                .collect(),
            scopes,
            task_scopes,
            names,
            root: Vec::new(),
        };
        for index in 0..pipeline.groups.len() {
            router.open(GroupId(index))?;
        }
        Ok(router)
    }

    /// The pipeline being lowered.
    fn pipeline(&self) -> &'p Pipeline {
        self.scopes.pipeline()
    }

    /// Builds the task of `group`.
    fn open(&mut self, group: GroupId) -> Result<(), CompileError> {
        let g = &self.pipeline().groups[group.0];
        let name = self.scopes.name(group);
        self.groups[group.0].task.task_info = Some(ir::PipelineTaskInfo {
            name: g.display_name.as_deref().unwrap_or(name).into(),
        });
        match &g.kind {
            GroupKind::ParallelFor(parallel_for) => self.open_loop(group, parallel_for),
            GroupKind::Condition(_) | GroupKind::Else => self.open_condition(group),
            GroupKind::ConditionBranches | GroupKind::ExitHandler { .. } => Ok(()),
        }
    }

    /// The scope of the task called `task`: a task of the pipeline, or a
    /// group task (an If/Elif/Else chain publishing a OneOf).
    fn scope_of(&self, task: &str) -> Option<GroupId> {
        match self.task_scopes.get(task) {
            Some((_, scope)) => *scope,
            None => self.scopes.find(task).and_then(|g| self.scopes.parent(g)),
        }
    }

    /// Moves the lowered task `index` into its group's DAG.
    pub(crate) fn add_task(
        &mut self,
        index: usize,
        mut spec: ir::PipelineTaskSpec,
    ) -> Result<(), CompileError> {
        let name = self.names[index].clone();
        let task = &self.pipeline().tasks[index];
        let scope = task.group;
        self.punch_conditions(scope)?;
        for (input, binding) in &task.arguments {
            if let Binding::OneOf(id) = binding {
                self.publish_one_of(*id)
                    .map_err(|reason| CompileError::Task {
                        pipeline: self.pipeline().name.clone(),
                        task: name.to_string(),
                        error: Box::new(TaskError::OutOfScope {
                            input: input.to_string(),
                            reason,
                        }),
                    })?;
            }
        }
        let dependencies = std::mem::take(&mut spec.dependent_tasks);
        if let Some(inputs) = &mut spec.inputs {
            for p in inputs.parameters.values_mut() {
                if let Some(kind) = &mut p.kind {
                    self.route_parameter(scope, kind)?;
                }
            }
            for a in inputs.artifacts.values_mut() {
                self.route_artifact(scope, a)?;
            }
        }
        let mut own = Vec::new();
        for d in dependencies {
            if let Some(up) = self.depend(scope, &d) {
                own.push(up);
            }
        }
        own.sort();
        own.dedup();
        spec.dependent_tasks = own;
        self.dag_tasks(scope).push((name, spec));
        Ok(())
    }

    /// The tasks of the DAG of `scope` (`None`: the pipeline's own).
    fn dag_tasks(
        &mut self,
        scope: Option<GroupId>,
    ) -> &mut Vec<(CompactString, ir::PipelineTaskSpec)> {
        match scope {
            None => &mut self.root,
            Some(g) => &mut self.groups[g.0].tasks,
        }
    }

    /// Records that a task in `scope` depends on task `producer`; returns
    /// the name the task itself depends on, if the dependency stays at its
    /// level (else it is lifted onto an enclosing group task).
    fn depend(&mut self, scope: Option<GroupId>, producer: &str) -> Option<CompactString> {
        let from = self.scope_of(producer);
        let common = self.scopes.common(scope, from);
        let up = CompactString::from(match self.scopes.path(from, common).last() {
            None => producer,
            Some(&g) => self.scopes.name(g),
        });
        match self.scopes.path(scope, common).last() {
            None => Some(up),
            Some(&down) => {
                let deps = &mut self.groups[down.0].task.dependent_tasks;
                if !deps.contains(&up) {
                    deps.push(up);
                    deps.sort();
                }
                None
            }
        }
    }

    /// The top-level DAG tasks and the group components
    /// (`comp-for-loop-N`, with the group task's `componentRef` set by
    /// `component_key`), innermost groups last.
    pub(crate) fn finish(
        mut self,
        mut component_key: impl FnMut(GroupId) -> CompactString,
    ) -> (
        ir::VecMap<CompactString, ir::PipelineTaskSpec>,
        Vec<(CompactString, ir::ComponentSpec)>,
    ) {
        let mut components = Vec::new();
        // Inner groups first, so each is placed in its parent's DAG before
        // the parent is built.
        let mut order: Vec<usize> = (0..self.groups.len()).collect();
        order.sort_by_key(|&i| std::cmp::Reverse((self.scopes.depth(GroupId(i)), i)));
        for index in order {
            let mut build = std::mem::take(&mut self.groups[index]);
            build.dag.tasks = to_ir::sorted_map(build.tasks);
            let name = CompactString::from(self.scopes.name(GroupId(index)));
            let key = component_key(GroupId(index));
            let mut task = build.task;
            task.component_ref = Some(ir::ComponentRef { name: key.clone() });
            components.push((
                key,
                ir::ComponentSpec {
                    input_definitions: to_ir::non_empty_inputs(build.inputs),
                    output_definitions: to_ir::non_empty_outputs(build.outputs),
                    implementation: Some(ir::ComponentImplementation::Dag(build.dag)),
                    ..Default::default()
                },
            ));
            let parent = self.scopes.parent(GroupId(index));
            self.dag_tasks(parent).push((name, task));
        }
        components.reverse();
        (to_ir::sorted_map(self.root), components)
    }
}

/// The inputs of a group task, made when the first is added.
fn task_inputs(task: &mut ir::PipelineTaskSpec) -> &mut ir::TaskInputsSpec {
    task.inputs.get_or_insert_with(Default::default)
}
