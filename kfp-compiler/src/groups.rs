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

mod condition;
mod one_of;

use kfp_ir_schema::{self as ir, CompactString, format_compact};
use serde_json::Value;

use crate::compile::sorted_map;
use crate::error::{CompileError, TaskError};
use crate::graph::{
    Binding, GroupId, GroupKind, LoopItems, OutputRef, ParallelFor, ParameterType, Pipeline,
};
use crate::naming::NameMap;

pub(crate) use one_of::resolve as resolve_one_of;

/// The kfp names of a pipeline's groups, and their nesting.
pub(crate) struct Scopes<'p> {
    pipeline: &'p Pipeline,
    /// `for-loop-N`, by group.
    names: Vec<String>,
    /// The name of the loop item input, by group.
    items: Vec<String>,
}

impl<'p> Scopes<'p> {
    /// Numbers the groups as kfp does: one counter per pipeline, in the
    /// order the groups were opened; a loop over a static list takes one
    /// number for its item first; an If/Elif/Else wrapper swaps numbers
    /// with its first branch, opened before it.
    pub(crate) fn new(
        pipeline: &'p Pipeline,
        names: &[CompactString],
    ) -> Result<Self, CompileError> {
        check_nesting(pipeline)?;
        let mut next = 1;
        let mut numbers = Vec::with_capacity(pipeline.groups.len());
        let mut items = Vec::with_capacity(pipeline.groups.len());
        for group in &pipeline.groups {
            let item = match &group.kind {
                GroupKind::ParallelFor(parallel_for) => match &parallel_for.items {
                    LoopItems::Raw(_) => {
                        next += 1;
                        format!("pipelinechannel--loop-item-param-{}", next - 1)
                    }
                    LoopItems::PipelineParameter(name) => {
                        format!("pipelinechannel--{name}-loop-item")
                    }
                    LoopItems::TaskOutput { task, output } => {
                        let producer =
                            names.get(task.0).ok_or_else(|| CompileError::Component {
                                component: pipeline.name.clone(),
                                reason: format!(
                                    "a loop iterates over output `{output}` of task #{}, which \
                                     is not in the pipeline",
                                    task.0
                                ),
                            })?;
                        format!("pipelinechannel--{producer}-{output}-loop-item")
                    }
                },
                // Other groups have no item: an empty name matches no input.
                _ => String::new(),
            };
            numbers.push(next);
            items.push(item);
            next += 1;
        }
        // kfp opens the wrapper of an If when an Elif or Else follows it,
        // then swaps their numbers so the wrapper reads first.
        for (index, group) in pipeline.groups.iter().enumerate() {
            if group.kind == GroupKind::ConditionBranches
                && let Some(first) = branches_of(pipeline, GroupId(index)).first()
                && first.0 < index
            {
                numbers.swap(first.0, index);
            }
        }
        let names = pipeline
            .groups
            .iter()
            .zip(&numbers)
            .map(|(group, number)| {
                let kind = match group.kind {
                    GroupKind::ParallelFor(_) => "for-loop",
                    GroupKind::Condition(_) | GroupKind::Else => "condition",
                    GroupKind::ConditionBranches => "condition-branches",
                    GroupKind::ExitHandler { .. } => "exit-handler",
                };
                format!("{kind}-{number}")
            })
            .collect();
        Ok(Self {
            pipeline,
            names,
            items,
        })
    }

    /// The group's task and component name (`for-loop-N`).
    pub(crate) fn name(&self, group: GroupId) -> &str {
        &self.names[group.0]
    }

    /// The name of the group's loop item input.
    pub(crate) fn item(&self, group: GroupId) -> &str {
        &self.items[group.0]
    }

    /// The type of the item of loop `group`, which `input` of a task in
    /// group `at` reads: the loop must enclose the task.
    pub(crate) fn loop_item(
        &self,
        input: &str,
        group: GroupId,
        at: Option<GroupId>,
    ) -> Result<ParameterType, TaskError> {
        let Some(g) = self.pipeline.get_group(group) else {
            return Err(TaskError::UnknownGroup { group: group.0 });
        };
        if !self.contains(Some(group), at) {
            return Err(TaskError::OutOfScope {
                input: input.to_owned(),
                reason: format!(
                    "it reads the item of `{}` outside that loop",
                    self.name(group)
                ),
            });
        }
        match &g.kind {
            GroupKind::ParallelFor(p) => Ok(p.item_kind),
            _ => Err(TaskError::OutOfScope {
                input: input.to_owned(),
                reason: format!("`{}` is not a loop: it has no item", self.name(group)),
            }),
        }
    }

    /// Whether `group` is known.
    pub(crate) fn exists(&self, group: GroupId) -> bool {
        group.0 < self.names.len()
    }

    pub(crate) fn parent(&self, group: GroupId) -> Option<GroupId> {
        self.pipeline.groups[group.0].parent
    }

    /// The group called `name` (`for-loop-2`, `condition-branches-1`).
    pub(crate) fn find(&self, name: &str) -> Option<GroupId> {
        self.names.iter().position(|n| n == name).map(GroupId)
    }

    /// How deep `group` is: 1 for a group at the top level.
    fn depth(&self, group: GroupId) -> usize {
        self.path(Some(group), None).len()
    }

    /// Whether scope `outer` is scope `inner` or encloses it (`None` is the
    /// pipeline's top level).
    pub(crate) fn contains(&self, outer: Option<GroupId>, inner: Option<GroupId>) -> bool {
        let mut scope = inner;
        loop {
            if scope == outer {
                return true;
            }
            match scope {
                Some(g) => scope = self.parent(g),
                None => return false,
            }
        }
    }

    /// The groups from `inner` out to `outer` (which must contain it),
    /// innermost first, `outer` excluded.
    fn path(&self, inner: Option<GroupId>, outer: Option<GroupId>) -> Vec<GroupId> {
        let mut path = Vec::new();
        let mut scope = inner;
        while scope != outer {
            let Some(g) = scope else { break };
            path.push(g);
            scope = self.parent(g);
        }
        path
    }

    /// The closest scope containing both.
    fn common(&self, a: Option<GroupId>, b: Option<GroupId>) -> Option<GroupId> {
        let mut scope = a;
        while !self.contains(scope, b) {
            scope = scope.and_then(|g| self.parent(g));
        }
        scope
    }
}

/// The branches of the chain `branches`, in the order they were opened.
pub(crate) fn branches_of(pipeline: &Pipeline, branches: GroupId) -> Vec<GroupId> {
    (0..pipeline.groups.len())
        .filter(|&i| pipeline.groups[i].parent == Some(branches))
        .map(GroupId)
        .collect()
}

/// Checks that the groups form a tree (every parent exists, no cycle, a
/// parent opened before its child but for the first branch of a chain) and
/// that chains hold branches only, with the `Else` last.
fn check_nesting(pipeline: &Pipeline) -> Result<(), CompileError> {
    let bad = |reason: String| CompileError::Component {
        component: pipeline.name.clone(),
        reason,
    };
    let groups = &pipeline.groups;
    for (index, group) in groups.iter().enumerate() {
        if let GroupKind::ExitHandler { exit_task } = group.kind
            && exit_task.0 >= pipeline.tasks.len()
        {
            return Err(bad(format!(
                "exit handler #{index} ends with task #{}, which is not in the pipeline",
                exit_task.0
            )));
        }
        let Some(parent) = group.parent else {
            if group.kind == GroupKind::Else {
                return Err(bad(format!(
                    "group #{index} is an `Else` outside an If/Elif/Else chain"
                )));
            }
            continue;
        };
        let Some(parent_group) = groups.get(parent.0) else {
            return Err(bad(format!(
                "group #{index} is inside group #{}, which does not exist",
                parent.0
            )));
        };
        let in_chain = parent_group.kind == GroupKind::ConditionBranches;
        let first_branch =
            in_chain && branches_of(pipeline, parent).first() == Some(&GroupId(index));
        if parent.0 >= index && !first_branch {
            return Err(bad(format!(
                "group #{index} is inside group #{}, which is not opened before it",
                parent.0
            )));
        }
        match (&group.kind, in_chain) {
            (GroupKind::Condition(_), _) | (GroupKind::Else, true) => {}
            (GroupKind::Else, false) => {
                return Err(bad(format!(
                    "group #{index} is an `Else` outside an If/Elif/Else chain"
                )));
            }
            (_, true) => {
                return Err(bad(format!(
                    "group #{index} is inside the If/Elif/Else chain #{}, whose groups are \
                     its branches (conditions and a last `Else`)",
                    parent.0
                )));
            }
            (_, false) => {}
        }
    }
    for (index, group) in groups.iter().enumerate() {
        if group.kind != GroupKind::ConditionBranches {
            continue;
        }
        let branches = branches_of(pipeline, GroupId(index));
        let else_at = branches
            .iter()
            .position(|b| groups[b.0].kind == GroupKind::Else);
        if let Some(at) = else_at
            && at + 1 != branches.len()
        {
            return Err(bad(format!(
                "the If/Elif/Else chain #{index} has a branch after its `Else`"
            )));
        }
        if branches
            .first()
            .is_some_and(|b| groups[b.0].kind == GroupKind::Else)
        {
            return Err(bad(format!(
                "the If/Elif/Else chain #{index} starts with an `Else`"
            )));
        }
        // A cycle would pass through the wrapper: its first branch is
        // the only child allowed before it.
        let mut scope = group.parent;
        let mut steps = 0;
        while let Some(g) = scope {
            steps += 1;
            if g.0 == index || steps > groups.len() {
                return Err(bad(format!("group #{index} is inside itself")));
            }
            scope = groups[g.0].parent;
        }
    }
    Ok(())
}

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

    fn pipeline(&self) -> &'p Pipeline {
        self.scopes.pipeline
    }

    /// Builds the task of `group`.
    fn open(&mut self, group: GroupId) -> Result<(), CompileError> {
        let g = &self.pipeline().groups[group.0];
        let name = self.scopes.name(group).to_owned();
        self.groups[group.0].task.task_info = Some(ir::PipelineTaskInfo {
            name: g.display_name.clone().unwrap_or(name).into(),
        });
        match &g.kind {
            GroupKind::ParallelFor(parallel_for) => self.open_loop(group, parallel_for),
            GroupKind::Condition(_) | GroupKind::Else => self.open_condition(group),
            GroupKind::ConditionBranches | GroupKind::ExitHandler { .. } => Ok(()),
        }
    }

    /// Builds the task of loop `group` and declares its item input.
    fn open_loop(
        &mut self,
        group: GroupId,
        parallel_for: &ParallelFor,
    ) -> Result<(), CompileError> {
        let g = &self.pipeline().groups[group.0];
        let item = self.scopes.item(group).to_owned();
        self.groups[group.0].inputs.parameters.insert(
            item.as_str().into(),
            param_input(ir_parameter_type(parallel_for.item_kind)),
        );
        let items = match &parallel_for.items {
            LoopItems::Raw(values) => {
                ir::ParameterItemsSpec::Raw(python_json(&Value::Array(values.clone())).into())
            }
            LoopItems::PipelineParameter(list) => {
                let channel = format!("pipelinechannel--{list}");
                self.groups[group.0].inputs.parameters.insert(
                    channel.as_str().into(),
                    param_input(ir::ParameterType::List),
                );
                let source = match g.parent {
                    None => ir::InputParameterKind::ComponentInputParameter(list.as_str().into()),
                    Some(parent) => {
                        self.punch_parameter(
                            Some(parent),
                            None,
                            &channel,
                            ir::ParameterType::List,
                            ir::InputParameterKind::ComponentInputParameter(list.as_str().into()),
                        );
                        ir::InputParameterKind::ComponentInputParameter(channel.as_str().into())
                    }
                };
                task_inputs(&mut self.groups[group.0].task)
                    .parameters
                    .insert(channel.as_str().into(), parameter_spec(source));
                ir::ParameterItemsSpec::InputParameter(channel.into())
            }
            LoopItems::TaskOutput { task, output } => {
                let producer = self.names[task.0].clone();
                self.loop_over_task_output(group, &producer, output)?
            }
        };
        let task = &mut self.groups[group.0].task;
        task.iterator = Some(ir::TaskIterator::ParameterIterator(
            ir::ParameterIteratorSpec {
                items: Some(items),
                item_input: item.into(),
            },
        ));
        task.iterator_policy =
            parallel_for
                .parallelism
                .filter(|&p| p > 0)
                .map(|p| ir::IteratorPolicy {
                    parallelism_limit: i32::try_from(p).unwrap_or(i32::MAX),
                });
        Ok(())
    }

    /// Gives loop `group` the list output `output` of task `producer` as
    /// its input `pipelinechannel--<producer>-<output>` (through the
    /// groups between, if the producer is further out), makes the loop run
    /// after the producer, and returns what the loop iterates over.
    fn loop_over_task_output(
        &mut self,
        group: GroupId,
        producer: &str,
        output: &str,
    ) -> Result<ir::ParameterItemsSpec, CompileError> {
        let parent = self.scopes.parent(group);
        let from = self.scope_of(producer);
        if !self.scopes.contains(from, parent) {
            return Err(CompileError::Component {
                component: self.pipeline().name.clone(),
                reason: format!(
                    "loop `{}` iterates over output `{output}` of task `{producer}`, which runs \
                     in another loop or condition; a loop can iterate over the outputs of tasks \
                     in its own scope or an enclosing one",
                    self.scopes.name(group)
                ),
            });
        }
        let ty = self.output_parameter_type(producer, output);
        if ty != ir::ParameterType::List {
            return Err(CompileError::Component {
                component: self.pipeline().name.clone(),
                reason: format!(
                    "loop `{}` iterates over output `{output}` of task `{producer}`, which is \
                     not a list (it is {ty})",
                    self.scopes.name(group)
                ),
            });
        }
        let channel = format_compact!("pipelinechannel--{producer}-{output}");
        self.groups[group.0]
            .inputs
            .parameters
            .insert(channel.clone(), param_input(ir::ParameterType::List));
        let mut source = ir::InputParameterKind::TaskOutputParameter(ir::TaskOutputParameterSpec {
            producer_task: producer.into(),
            output_parameter_key: output.into(),
        });
        self.route_parameter(parent, &mut source)?;
        task_inputs(&mut self.groups[group.0].task)
            .parameters
            .insert(channel.clone(), parameter_spec(source));
        // Seen from inside the loop, the producer is outside it: the loop
        // task (or the group around it that the producer is beside)
        // depends on it, as a condition's task does on what it compares.
        self.depend(Some(group), producer);
        Ok(ir::ParameterItemsSpec::InputParameter(channel))
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
                        error: Box::new(crate::error::TaskError::OutOfScope {
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

    /// Declares `channel` as an input of every group from `inner` out to
    /// `outer`; the outermost group task reads it from `source`.
    fn punch_parameter(
        &mut self,
        inner: Option<GroupId>,
        outer: Option<GroupId>,
        channel: &str,
        kind: ir::ParameterType,
        source: ir::InputParameterKind,
    ) {
        let path = self.scopes.path(inner, outer);
        for (j, g) in path.iter().enumerate() {
            let build = &mut self.groups[g.0];
            build
                .inputs
                .parameters
                .insert(channel.into(), param_input(kind));
            let from = if j + 1 == path.len() {
                source.clone()
            } else {
                ir::InputParameterKind::ComponentInputParameter(channel.into())
            };
            task_inputs(&mut build.task)
                .parameters
                .insert(channel.into(), parameter_spec(from));
        }
    }

    /// As [`punch_parameter`](Self::punch_parameter), for an artifact.
    fn punch_artifact(
        &mut self,
        inner: Option<GroupId>,
        outer: Option<GroupId>,
        channel: &str,
        spec: ir::ComponentInputArtifactSpec,
        source: ir::InputArtifactSpec,
    ) {
        let path = self.scopes.path(inner, outer);
        for (j, g) in path.iter().enumerate() {
            let build = &mut self.groups[g.0];
            build.inputs.artifacts.insert(channel.into(), spec.clone());
            let from = if j + 1 == path.len() {
                source.clone()
            } else {
                ir::InputArtifactSpec::ComponentInputArtifact(channel.into())
            };
            task_inputs(&mut build.task)
                .artifacts
                .insert(channel.into(), from);
        }
    }

    /// Publishes output `output` of task `producer` (inside a loop) out to
    /// scope `outer`; returns the outermost group's name and the output
    /// name there.
    pub(crate) fn collect(
        &mut self,
        producer: &str,
        output: &str,
        outer: Option<GroupId>,
    ) -> (CompactString, CompactString) {
        let channel = format_compact!("pipelinechannel--{producer}-{output}");
        let path = self.scopes.path(self.scope_of(producer), outer);
        let artifact = self.output_artifact(producer, output);
        for (j, g) in path.iter().enumerate() {
            let (subtask, key): (CompactString, CompactString) = match j {
                0 => (producer.into(), output.into()),
                _ => (self.scopes.name(path[j - 1]).into(), channel.clone()),
            };
            let build = &mut self.groups[g.0];
            let dag_outputs = build.dag.outputs.get_or_insert_with(Default::default);
            match &artifact {
                Some(a) => {
                    build.outputs.artifacts.insert(
                        channel.clone(),
                        ir::ComponentOutputArtifactSpec {
                            artifact_type: a.artifact_type.clone(),
                            is_artifact_list: true,
                            ..Default::default()
                        },
                    );
                    dag_outputs.artifacts.insert(
                        channel.clone(),
                        ir::DagOutputArtifactSpec {
                            artifact_selectors: vec![ir::ArtifactSelectorSpec {
                                producer_subtask: subtask,
                                output_artifact_key: key,
                            }],
                        },
                    );
                }
                None => {
                    build.outputs.parameters.insert(
                        channel.clone(),
                        ir::ComponentOutputParameterSpec {
                            parameter_type: ir::ParameterType::List,
                            ..Default::default()
                        },
                    );
                    dag_outputs.parameters.insert(
                        channel.clone(),
                        ir::DagOutputParameterSpec::ValueFromParameter(ir::ParameterSelectorSpec {
                            producer_subtask: subtask,
                            output_parameter_key: key,
                        }),
                    );
                }
            }
        }
        let top = path
            .last()
            .map_or_else(|| producer.to_owned(), |g| self.scopes.name(*g).to_owned());
        (top.into(), channel)
    }

    /// The declaration of `producer`'s output artifact `output`, as an IR
    /// output spec; `None` for an output parameter.
    fn output_artifact(
        &self,
        producer: &str,
        output: &str,
    ) -> Option<ir::ComponentOutputArtifactSpec> {
        match self.declared_output(producer, output)? {
            OutputRef::Artifact(a) => Some(ir::ComponentOutputArtifactSpec {
                artifact_type: Some(crate::compile::ir_artifact_type(&a.artifact_type)),
                is_artifact_list: a.is_list,
                ..Default::default()
            }),
            OutputRef::Parameter(_) => None,
        }
    }

    /// The declaration of output `output` of `producer`: a task, or the
    /// group task of an If/Elif/Else chain publishing a OneOf.
    fn declared_output(&self, producer: &str, output: &str) -> Option<OutputRef<'p>> {
        match self.task_scopes.get(producer) {
            Some((index, _)) => self
                .pipeline()
                .task_output(crate::graph::TaskId(*index), output),
            None => self.one_of_output(producer, output),
        }
    }

    /// The name of the input that carries output `output` of `producer`
    /// into a group: `pipelinechannel--<producer>-<output>`, or the name of
    /// a OneOf's output itself.
    fn channel_of(&self, producer: &str, output: &str) -> CompactString {
        if self.task_scopes.contains_key(producer) {
            format_compact!("pipelinechannel--{producer}-{output}")
        } else {
            output.into()
        }
    }

    fn output_parameter_type(&self, producer: &str, output: &str) -> ir::ParameterType {
        match self.declared_output(producer, output) {
            Some(OutputRef::Parameter(p)) => ir_parameter_type(p.kind),
            _ => ir::ParameterType::Unspecified,
        }
    }

    /// Rewrites `kind`, read by a task in `scope`, to what the task can
    /// read in its own DAG: a pipeline input or an outer task's output is
    /// punched in as a `pipelinechannel--…` input of each group on the way,
    /// an output from inside a loop is collected out to the common scope.
    pub(crate) fn route_parameter(
        &mut self,
        scope: Option<GroupId>,
        kind: &mut ir::InputParameterKind,
    ) -> Result<(), CompileError> {
        match kind {
            ir::InputParameterKind::ComponentInputParameter(name) => {
                if let Some(declared) = self.pipeline().inputs.iter().find(|p| p.name == *name) {
                    if scope.is_some() {
                        let channel = format!("pipelinechannel--{name}");
                        self.punch_parameter(
                            scope,
                            None,
                            &channel,
                            ir_parameter_type(declared.kind),
                            ir::InputParameterKind::ComponentInputParameter(name.clone()),
                        );
                        *name = channel.into();
                    }
                } else if let Some(g) = self
                    .scopes
                    .path(scope, None)
                    .into_iter()
                    .find(|g| self.scopes.item(*g) == name.as_str())
                {
                    // The innermost enclosing loop with this item name (two
                    // loops over one pipeline input share it).
                    let GroupKind::ParallelFor(p) = &self.pipeline().groups[g.0].kind else {
                        return Ok(());
                    };
                    let item_kind = ir_parameter_type(p.item_kind);
                    let channel = name.clone();
                    self.punch_parameter(
                        scope,
                        Some(g),
                        &channel,
                        item_kind,
                        ir::InputParameterKind::ComponentInputParameter(channel.clone()),
                    );
                }
            }
            ir::InputParameterKind::TaskOutputParameter(t) => {
                let from = self.scope_of(&t.producer_task);
                if from == scope {
                    return Ok(());
                }
                if self.scopes.contains(from, scope) {
                    let channel = self.channel_of(&t.producer_task, &t.output_parameter_key);
                    let ty = self.output_parameter_type(&t.producer_task, &t.output_parameter_key);
                    self.punch_parameter(scope, from, &channel, ty, kind.clone());
                    *kind = ir::InputParameterKind::ComponentInputParameter(channel);
                } else {
                    // Collected out to the closest common scope, then
                    // punched in from there if this task is deeper.
                    let common = self.scopes.common(scope, from);
                    let (top, channel) =
                        self.collect(&t.producer_task, &t.output_parameter_key, common);
                    t.producer_task = top.clone();
                    t.output_parameter_key = channel.clone();
                    if common != scope {
                        let punched = format!("pipelinechannel--{top}-{channel}");
                        self.punch_parameter(
                            scope,
                            common,
                            &punched,
                            ir::ParameterType::List,
                            kind.clone(),
                        );
                        *kind = ir::InputParameterKind::ComponentInputParameter(punched.into());
                    }
                }
            }
            _ => {}
        }
        Ok(())
    }

    fn route_artifact(
        &mut self,
        scope: Option<GroupId>,
        spec: &mut ir::InputArtifactSpec,
    ) -> Result<(), CompileError> {
        match spec {
            ir::InputArtifactSpec::ComponentInputArtifact(name) => {
                if scope.is_some()
                    && let Some(declared) = self
                        .pipeline()
                        .input_artifacts
                        .iter()
                        .find(|a| a.name == *name)
                {
                    let channel = format!("pipelinechannel--{name}");
                    let input = ir::ComponentInputArtifactSpec {
                        artifact_type: Some(crate::compile::ir_artifact_type(
                            &declared.artifact_type,
                        )),
                        is_artifact_list: declared.is_list,
                        ..Default::default()
                    };
                    let source = ir::InputArtifactSpec::ComponentInputArtifact(name.clone());
                    self.punch_artifact(scope, None, &channel, input, source);
                    *name = channel.into();
                }
            }
            ir::InputArtifactSpec::TaskOutputArtifact(t) => {
                let from = self.scope_of(&t.producer_task);
                if from == scope {
                    return Ok(());
                }
                if self.scopes.contains(from, scope) {
                    let channel = self.channel_of(&t.producer_task, &t.output_artifact_key);
                    let declared = self
                        .output_artifact(&t.producer_task, &t.output_artifact_key)
                        .unwrap_or_default();
                    let input = ir::ComponentInputArtifactSpec {
                        artifact_type: declared.artifact_type,
                        is_artifact_list: declared.is_artifact_list,
                        ..Default::default()
                    };
                    self.punch_artifact(scope, from, &channel, input, spec.clone());
                    *spec = ir::InputArtifactSpec::ComponentInputArtifact(channel);
                } else {
                    let common = self.scopes.common(scope, from);
                    let declared = self
                        .output_artifact(&t.producer_task, &t.output_artifact_key)
                        .unwrap_or_default();
                    let (top, channel) =
                        self.collect(&t.producer_task, &t.output_artifact_key, common);
                    t.producer_task = top.clone();
                    t.output_artifact_key = channel.clone();
                    if common != scope {
                        let punched = format!("pipelinechannel--{top}-{channel}");
                        let input = ir::ComponentInputArtifactSpec {
                            artifact_type: declared.artifact_type,
                            is_artifact_list: true,
                            ..Default::default()
                        };
                        self.punch_artifact(scope, common, &punched, input, spec.clone());
                        *spec = ir::InputArtifactSpec::ComponentInputArtifact(punched.into());
                    }
                }
            }
        }
        Ok(())
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
            build.dag.tasks = sorted_map(build.tasks);
            let name = self.scopes.name(GroupId(index)).to_owned();
            let key = component_key(GroupId(index));
            let mut task = build.task;
            task.component_ref = Some(ir::ComponentRef { name: key.clone() });
            let non_empty_in = (!build.inputs.parameters.is_empty()
                || !build.inputs.artifacts.is_empty())
            .then_some(build.inputs);
            let non_empty_out = (!build.outputs.parameters.is_empty()
                || !build.outputs.artifacts.is_empty())
            .then_some(build.outputs);
            components.push((
                key,
                ir::ComponentSpec {
                    input_definitions: non_empty_in,
                    output_definitions: non_empty_out,
                    implementation: Some(ir::ComponentImplementation::Dag(build.dag)),
                    ..Default::default()
                },
            ));
            let parent = self.scopes.parent(GroupId(index));
            self.dag_tasks(parent).push((name.into(), task));
        }
        components.reverse();
        (sorted_map(self.root), components)
    }
}

fn task_inputs(task: &mut ir::PipelineTaskSpec) -> &mut ir::TaskInputsSpec {
    task.inputs.get_or_insert_with(Default::default)
}

fn param_input(kind: ir::ParameterType) -> ir::ComponentInputParameterSpec {
    ir::ComponentInputParameterSpec {
        parameter_type: kind,
        ..Default::default()
    }
}

fn parameter_spec(kind: ir::InputParameterKind) -> ir::InputParameterSpec {
    crate::compile::parameter_spec(kind)
}

fn ir_parameter_type(kind: ParameterType) -> ir::ParameterType {
    crate::compile::ir_parameter_type(kind)
}

/// JSON as Python's `json.dumps(value, sort_keys=True)` writes it: `", "`
/// and `": "` separators, non-ASCII characters escaped.
pub(crate) fn python_json(value: &Value) -> String {
    let mut out = String::new();
    write_python_json(value, &mut out);
    out
}

fn write_python_json(value: &Value, out: &mut String) {
    match value {
        Value::Array(items) => {
            out.push('[');
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    out.push_str(", ");
                }
                write_python_json(item, out);
            }
            out.push(']');
        }
        Value::Object(map) => {
            // serde_json's map is ordered by key (no `preserve_order`).
            out.push('{');
            for (i, (k, v)) in map.iter().enumerate() {
                if i > 0 {
                    out.push_str(", ");
                }
                write_python_string(k, out);
                out.push_str(": ");
                write_python_json(v, out);
            }
            out.push('}');
        }
        Value::String(s) => write_python_string(s, out),
        other => out.push_str(&other.to_string()),
    }
}

fn write_python_string(s: &str, out: &mut String) {
    let escaped = Value::String(s.to_owned()).to_string();
    for c in escaped.chars() {
        if c.is_ascii() {
            out.push(c);
        } else {
            let mut units = [0u16; 2];
            for unit in c.encode_utf16(&mut units) {
                out.push_str(&format!("\\u{unit:04x}"));
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn raw_items_are_written_as_python_json_dumps() {
        let v = serde_json::json!([1, {"b": "é", "a": [2.5, true, null]}, "x"]);
        assert_eq!(
            python_json(&v),
            r#"[1, {"a": [2.5, true, null], "b": "\u00e9"}, "x"]"#
        );
    }
}
