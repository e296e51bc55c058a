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

use std::collections::{BTreeMap, HashMap};

use kfp_ir_schema as ir;
use serde_json::Value;

use crate::error::CompileError;
use crate::graph::{
    Binding, Comparison, Condition, GroupId, GroupKind, LoopItems, OutputRef, ParallelFor,
    ParameterType, Pipeline,
};

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
    /// number for its item first.
    pub(crate) fn new(pipeline: &'p Pipeline) -> Result<Self, CompileError> {
        let mut next = 1;
        let mut names = Vec::with_capacity(pipeline.groups.len());
        let mut items = Vec::with_capacity(pipeline.groups.len());
        for (index, group) in pipeline.groups.iter().enumerate() {
            if let Some(parent) = group.parent
                && parent.0 >= index
            {
                return Err(CompileError::Component {
                    component: pipeline.name.clone(),
                    reason: format!(
                        "group #{index} is inside group #{}, which is not opened before it",
                        parent.0
                    ),
                });
            }
            let (kind, item) = match &group.kind {
                GroupKind::ParallelFor(parallel_for) => match &parallel_for.items {
                    LoopItems::Raw(_) => {
                        next += 1;
                        (
                            "for-loop",
                            format!("pipelinechannel--loop-item-param-{}", next - 1),
                        )
                    }
                    LoopItems::PipelineParameter(name) => {
                        ("for-loop", format!("pipelinechannel--{name}-loop-item"))
                    }
                },
                // A condition has no item: an empty name matches no input.
                GroupKind::Condition(_) => ("condition", String::new()),
            };
            names.push(format!("{kind}-{next}"));
            items.push(item);
            next += 1;
        }
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

    /// Whether `group` is known.
    pub(crate) fn exists(&self, group: GroupId) -> bool {
        group.0 < self.names.len()
    }

    fn parent(&self, group: GroupId) -> Option<GroupId> {
        self.pipeline.groups[group.0].parent
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

/// What is built for one group.
#[derive(Default)]
struct GroupBuild {
    inputs: ir::ComponentInputsSpec,
    outputs: ir::ComponentOutputsSpec,
    dag: ir::DagSpec,
    task: ir::PipelineTaskSpec,
}

/// Moves lowered tasks into their groups' DAGs (see the module docs).
pub(crate) struct Router<'p> {
    scopes: Scopes<'p>,
    /// The scope of each task, by task name.
    task_scopes: HashMap<&'p str, (usize, Option<GroupId>)>,
    names: &'p [String],
    groups: Vec<GroupBuild>,
    root: BTreeMap<String, ir::PipelineTaskSpec>,
}

impl<'p> Router<'p> {
    pub(crate) fn new(pipeline: &'p Pipeline, names: &'p [String]) -> Result<Self, CompileError> {
        let scopes = Scopes::new(pipeline)?;
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
            root: BTreeMap::new(),
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
            name: g.display_name.clone().unwrap_or(name),
        });
        match &g.kind {
            GroupKind::ParallelFor(parallel_for) => {
                self.open_loop(group, parallel_for);
                Ok(())
            }
            GroupKind::Condition(condition) => self.open_condition(group, condition),
        }
    }

    /// Declares the operands of a condition as inputs of its group (read
    /// from where they are) and sets the trigger policy.
    fn open_condition(
        &mut self,
        group: GroupId,
        condition: &Condition,
    ) -> Result<(), CompileError> {
        let left = self.operand(group, &condition.left)?;
        let right = self.operand(group, &condition.right)?;
        let cel = cel_condition(left, condition.op, right);
        self.groups[group.0].task.trigger_policy = Some(ir::TriggerPolicy {
            condition: cel,
            strategy: Default::default(),
        });
        Ok(())
    }

    /// One operand of the condition of `group`: punched into the group
    /// (a constant is written as is); its CEL form and type.
    fn operand(
        &mut self,
        group: GroupId,
        operand: &Binding,
    ) -> Result<(String, Option<ParameterType>), CompileError> {
        let parent = self.scopes.parent(group);
        let (pipeline_name, group_name) = (
            self.scopes.pipeline.name.clone(),
            self.scopes.name(group).to_owned(),
        );
        let bad = |reason: String| CompileError::Component {
            component: pipeline_name.clone(),
            reason: format!("the condition of `{group_name}`: {reason}"),
        };
        let (channel, kind, from, source) = match operand {
            Binding::Constant(v) => {
                return Ok((
                    cel_constant(v)
                        .ok_or_else(|| bad(format!("the constant {v} cannot be compared")))?,
                    None,
                ));
            }
            Binding::PipelineParameter(name) => {
                let declared = self
                    .pipeline()
                    .inputs
                    .iter()
                    .find(|p| p.name == *name)
                    .ok_or_else(|| bad(format!("the pipeline has no input `{name}`")))?;
                (
                    format!("pipelinechannel--{name}"),
                    declared.kind,
                    None,
                    ir::InputParameterKind::ComponentInputParameter(name.clone()),
                )
            }
            Binding::LoopItem(g) => {
                let Some(GroupKind::ParallelFor(p)) =
                    self.pipeline().get_group(*g).map(|g| &g.kind)
                else {
                    return Err(bad(format!("group #{} is not a loop", g.0)));
                };
                if !self.scopes.contains(Some(*g), parent) {
                    return Err(bad(format!(
                        "it reads the item of `{}` outside that loop",
                        self.scopes.name(*g)
                    )));
                }
                let item = self.scopes.item(*g).to_owned();
                (
                    item.clone(),
                    p.item_kind,
                    Some(*g),
                    ir::InputParameterKind::ComponentInputParameter(item),
                )
            }
            Binding::TaskOutputParameter { task, output } => {
                let producer = self
                    .names
                    .get(task.0)
                    .ok_or_else(|| bad(format!("task #{} is not in the pipeline", task.0)))?
                    .clone();
                let Some(OutputRef::Parameter(out)) = self.pipeline().task_output(*task, output)
                else {
                    return Err(bad(format!(
                        "task `{producer}` has no output parameter `{output}`"
                    )));
                };
                let from = self.pipeline().tasks[task.0].group;
                if !self.scopes.contains(from, parent) {
                    return Err(bad(format!(
                        "task `{producer}` runs in a group the condition is not in"
                    )));
                }
                let kind = out.kind;
                self.depend(Some(group), &producer);
                (
                    format!("pipelinechannel--{producer}-{output}"),
                    kind,
                    from,
                    ir::InputParameterKind::TaskOutputParameter(ir::TaskOutputParameterSpec {
                        producer_task: producer,
                        output_parameter_key: output.clone(),
                    }),
                )
            }
            other => return Err(bad(format!("{other:?} cannot be compared"))),
        };
        if matches!(kind, ParameterType::List | ParameterType::Struct) {
            return Err(bad(format!(
                "`{channel}` is a {kind:?}, which cannot be compared"
            )));
        }
        self.punch_parameter(Some(group), from, &channel, ir_parameter_type(kind), source);
        Ok((format!("inputs.parameter_values['{channel}']"), Some(kind)))
    }

    /// Builds the task of loop `group` and declares its item input.
    fn open_loop(&mut self, group: GroupId, parallel_for: &ParallelFor) {
        let g = &self.pipeline().groups[group.0];
        let item = self.scopes.item(group).to_owned();
        self.groups[group.0].inputs.parameters.insert(
            item.clone(),
            param_input(ir_parameter_type(parallel_for.item_kind)),
        );
        let items = match &parallel_for.items {
            LoopItems::Raw(values) => {
                ir::ParameterItemsSpec::Raw(python_json(&Value::Array(values.clone())))
            }
            LoopItems::PipelineParameter(list) => {
                let channel = format!("pipelinechannel--{list}");
                self.groups[group.0]
                    .inputs
                    .parameters
                    .insert(channel.clone(), param_input(ir::ParameterType::List));
                let source = match g.parent {
                    None => ir::InputParameterKind::ComponentInputParameter(list.clone()),
                    Some(parent) => {
                        self.punch_parameter(
                            Some(parent),
                            None,
                            &channel,
                            ir::ParameterType::List,
                            ir::InputParameterKind::ComponentInputParameter(list.clone()),
                        );
                        ir::InputParameterKind::ComponentInputParameter(channel.clone())
                    }
                };
                task_inputs(&mut self.groups[group.0].task)
                    .parameters
                    .insert(channel.clone(), parameter_spec(source));
                ir::ParameterItemsSpec::InputParameter(channel)
            }
        };
        let task = &mut self.groups[group.0].task;
        task.iterator = Some(ir::TaskIterator::ParameterIterator(
            ir::ParameterIteratorSpec {
                items: Some(items),
                item_input: item,
            },
        ));
        task.iterator_policy =
            parallel_for
                .parallelism
                .filter(|&p| p > 0)
                .map(|p| ir::IteratorPolicy {
                    parallelism_limit: i32::try_from(p).unwrap_or(i32::MAX),
                });
    }

    fn scope_of(&self, task: &str) -> Option<GroupId> {
        self.task_scopes.get(task).and_then(|(_, s)| *s)
    }

    /// Moves the lowered task `index` into its group's DAG.
    pub(crate) fn add_task(
        &mut self,
        index: usize,
        mut spec: ir::PipelineTaskSpec,
    ) -> Result<(), CompileError> {
        let name = self.names[index].clone();
        let scope = self.pipeline().tasks[index].group;
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
        self.dag_tasks(scope).insert(name, spec);
        Ok(())
    }

    fn dag_tasks(&mut self, scope: Option<GroupId>) -> &mut BTreeMap<String, ir::PipelineTaskSpec> {
        match scope {
            None => &mut self.root,
            Some(g) => &mut self.groups[g.0].dag.tasks,
        }
    }

    /// Records that a task in `scope` depends on task `producer`; returns
    /// the name the task itself depends on, if the dependency stays at its
    /// level (else it is lifted onto an enclosing group task).
    fn depend(&mut self, scope: Option<GroupId>, producer: &str) -> Option<String> {
        let from = self.scope_of(producer);
        let common = self.scopes.common(scope, from);
        let up = match self.scopes.path(from, common).last() {
            None => producer.to_owned(),
            Some(&g) => self.scopes.name(g).to_owned(),
        };
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
                .insert(channel.to_owned(), param_input(kind));
            let from = if j + 1 == path.len() {
                source.clone()
            } else {
                ir::InputParameterKind::ComponentInputParameter(channel.to_owned())
            };
            task_inputs(&mut build.task)
                .parameters
                .insert(channel.to_owned(), parameter_spec(from));
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
            build
                .inputs
                .artifacts
                .insert(channel.to_owned(), spec.clone());
            let from = if j + 1 == path.len() {
                source.clone()
            } else {
                ir::InputArtifactSpec::ComponentInputArtifact(channel.to_owned())
            };
            task_inputs(&mut build.task)
                .artifacts
                .insert(channel.to_owned(), from);
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
    ) -> (String, String) {
        let channel = format!("pipelinechannel--{producer}-{output}");
        let path = self.scopes.path(self.scope_of(producer), outer);
        let artifact = self.output_artifact(producer, output);
        for (j, g) in path.iter().enumerate() {
            let (subtask, key) = match j {
                0 => (producer.to_owned(), output.to_owned()),
                _ => (self.scopes.name(path[j - 1]).to_owned(), channel.clone()),
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
        (top, channel)
    }

    /// The declaration of `producer`'s output artifact `output`, as an IR
    /// output spec; `None` for an output parameter.
    fn output_artifact(
        &self,
        producer: &str,
        output: &str,
    ) -> Option<ir::ComponentOutputArtifactSpec> {
        let (index, _) = self.task_scopes.get(producer)?;
        match self
            .pipeline()
            .task_output(crate::graph::TaskId(*index), output)?
        {
            OutputRef::Artifact(a) => Some(ir::ComponentOutputArtifactSpec {
                artifact_type: Some(crate::compile::ir_artifact_type(&a.artifact_type)),
                is_artifact_list: a.is_list,
                ..Default::default()
            }),
            OutputRef::Parameter(_) => None,
        }
    }

    fn output_parameter_type(&self, producer: &str, output: &str) -> ir::ParameterType {
        let kind = self.task_scopes.get(producer).and_then(|(i, _)| {
            self.pipeline()
                .task_output(crate::graph::TaskId(*i), output)
        });
        match kind {
            Some(OutputRef::Parameter(p)) => ir_parameter_type(p.kind),
            _ => ir::ParameterType::Unspecified,
        }
    }

    fn route_parameter(
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
                        *name = channel;
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
                    let channel = format!(
                        "pipelinechannel--{}-{}",
                        t.producer_task, t.output_parameter_key
                    );
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
                        *kind = ir::InputParameterKind::ComponentInputParameter(punched);
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
                    *name = channel;
                }
            }
            ir::InputArtifactSpec::TaskOutputArtifact(t) => {
                let from = self.scope_of(&t.producer_task);
                if from == scope {
                    return Ok(());
                }
                if self.scopes.contains(from, scope) {
                    let channel = format!(
                        "pipelinechannel--{}-{}",
                        t.producer_task, t.output_artifact_key
                    );
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
                        *spec = ir::InputArtifactSpec::ComponentInputArtifact(punched);
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
        mut component_key: impl FnMut(&str) -> String,
    ) -> (
        BTreeMap<String, ir::PipelineTaskSpec>,
        Vec<(String, ir::ComponentSpec)>,
    ) {
        let mut components = Vec::new();
        // Inner groups were opened after their parents: place them first.
        for index in (0..self.groups.len()).rev() {
            let build = std::mem::take(&mut self.groups[index]);
            let name = self.scopes.name(GroupId(index)).to_owned();
            let key = component_key(&format!("comp-{name}"));
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
            self.dag_tasks(parent).insert(name, task);
        }
        components.reverse();
        (self.root, components)
    }
}

/// A constant operand as kfp writes it in CEL: strings in single quotes,
/// booleans `true`/`false`, numbers as Python prints them.
fn cel_constant(value: &Value) -> Option<String> {
    match value {
        Value::String(s) => Some(format!("'{s}'")),
        Value::Bool(b) => Some(b.to_string()),
        Value::Number(n) => Some(n.to_string()),
        _ => None,
    }
}

/// kfp's `_single_binary_operation_to_cel_condition`: integer inputs are
/// wrapped in `int(...)`, or `double(...)` when compared with a double.
fn cel_condition(
    left: (String, Option<ParameterType>),
    op: Comparison,
    right: (String, Option<ParameterType>),
) -> String {
    let doubles = [left.1, right.1].contains(&Some(ParameterType::Double));
    let wrap = |(text, kind): (String, Option<ParameterType>)| match kind {
        Some(ParameterType::Integer) if doubles => format!("double({text})"),
        Some(ParameterType::Integer) => format!("int({text})"),
        Some(ParameterType::Double) => format!("double({text})"),
        _ => text,
    };
    format!("{} {} {}", wrap(left), op.as_str(), wrap(right))
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
