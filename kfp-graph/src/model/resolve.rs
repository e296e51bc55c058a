//! Where each value a task reads comes from, across group boundaries, and
//! the edges that follow; what loops iterate over and conditions compare,
//! named readably.
//!
//! KFP never references a task of another DAG. A value enters a group as
//! one of the group task's inputs (`componentInputParameter:
//! pipelinechannel--…` inside), possibly as the item of the group's loop,
//! and leaves a group or nested pipeline as one of its DAG outputs
//! (`dag.outputs`, one selected task output, or the first of several for a
//! `OneOf`). Following inputs up and outputs down ends at a container or
//! importer task, a pipeline input, a loop's item, or a constant.

use std::collections::BTreeMap;

use kfp_ir_schema::{
    DagOutputParameterSpec, DagSpec, InputArtifactSpec, InputParameterKind, InputParameterSpec,
    ParameterItemsSpec, PipelineTaskSpec, TaskIterator,
};

use super::readable::{condition_inputs, readable_condition, without_channel_prefix};
use super::{Condition, Edge, EdgeKind, Loop, PipelineGraph, TaskId, TaskKind};

/// Where a value comes from.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Source<'a> {
    /// An output of a task: a container or importer, or a group whose DAG
    /// does not say which of its tasks produces it.
    Output { task: TaskId, key: &'a str },
    /// How a task ended (`taskFinalStatus`).
    FinalStatus(TaskId),
    /// An input of the pipeline.
    PipelineInput(&'a str),
    /// The item of a loop.
    LoopItem(TaskId),
}

/// Fills in what [`super::build`] could not know task by task: loop items,
/// conditions and the edges.
pub(super) fn finish(
    mut graph: PipelineGraph,
    specs: &[&PipelineTaskSpec],
    dags: &[Option<&DagSpec>],
) -> PipelineGraph {
    let resolver = Resolver {
        graph: &graph,
        specs,
        dags,
    };
    let mut labels = Vec::new();
    let mut edges = Edges::default();
    let mut dependencies = Vec::new();
    for task in graph.tasks() {
        let id = task.id;
        let spec = specs[id.index()];
        let items = match &task.kind {
            TaskKind::Loop(_) => Some(resolver.loop_items(id)),
            _ => None,
        };
        let condition = spec
            .trigger_policy
            .as_ref()
            .map(|p| p.condition.as_str())
            .filter(|c| !c.is_empty())
            .map(|cel| Condition {
                cel: cel.to_owned(),
                readable: resolver.readable(id, cel),
            });
        labels.push((items, condition));
        resolver.inputs_of(id, &mut edges);
        dependencies.extend(
            spec.dependent_tasks
                .iter()
                .filter_map(|d| graph.child(task.parent, d))
                .map(|d| (d, id)),
        );
    }
    let edges = edges.finish(&graph, dependencies);
    for (task, (items, condition)) in graph.tasks.iter_mut().zip(labels) {
        if let (TaskKind::Loop(l), Some(items)) = (&mut task.kind, items) {
            *l = items;
        }
        task.condition = condition;
    }
    graph.edges = edges;
    graph
}

/// The data edges found so far, by (from, to, kind), with their values.
#[derive(Default)]
struct Edges(BTreeMap<(TaskId, TaskId, EdgeKind), Vec<String>>);

impl Edges {
    fn add(&mut self, from: TaskId, to: TaskId, kind: EdgeKind, value: String) {
        let values = self.0.entry((from, to, kind)).or_default();
        if !values.contains(&value) {
            values.push(value);
        }
    }

    /// The edges, sorted: the data edges, plus an order edge for each
    /// dependency (`dependent_tasks`) between two tasks of one DAG that no
    /// data edge between them (or the tasks in them) explains. Edges
    /// between a group and a task inside it are left out.
    fn finish(self, graph: &PipelineGraph, dependencies: Vec<(TaskId, TaskId)>) -> Vec<Edge> {
        let mut data: BTreeMap<(TaskId, TaskId, EdgeKind), Vec<String>> = self
            .0
            .into_iter()
            .filter(|((from, to, _), _)| graph.siblings_holding(*from, *to).is_some())
            .collect();
        let explained: std::collections::BTreeSet<(TaskId, TaskId)> = data
            .keys()
            .filter_map(|&(from, to, _)| graph.siblings_holding(from, to))
            .map(|(a, b, _)| (a, b))
            .collect();
        for (from, to) in dependencies {
            if from != to && !explained.contains(&(from, to)) {
                data.entry((from, to, EdgeKind::Order)).or_default();
            }
        }
        data.into_iter()
            .map(|((from, to, kind), values)| Edge {
                from,
                to,
                kind,
                values,
            })
            .collect()
    }
}

struct Resolver<'g, 'a> {
    graph: &'g PipelineGraph,
    specs: &'g [&'a PipelineTaskSpec],
    dags: &'g [Option<&'a DagSpec>],
}

impl<'a> Resolver<'_, 'a> {
    /// Adds an edge for each value task `id` reads: all its inputs for a
    /// container or importer; for a group, only what it reads itself (what
    /// its loop iterates over, what its condition compares), since the
    /// tasks inside read the rest.
    fn inputs_of(&self, id: TaskId, edges: &mut Edges) {
        let spec = self.specs[id.index()];
        let Some(inputs) = &spec.inputs else {
            return;
        };
        let scope = self.graph.task(id).parent;
        let mut add = |sources: Vec<Source<'a>>, kind: EdgeKind, input: &str| {
            for source in sources {
                let (from, value) = match source {
                    Source::Output { task, key } => (task, format!("{key} → {input}")),
                    Source::FinalStatus(task) => (task, format!("final status → {input}")),
                    Source::PipelineInput(_) | Source::LoopItem(_) => continue,
                };
                edges.add(from, id, kind, value);
            }
        };
        if self.dags[id.index()].is_none() {
            for (name, input) in inputs.parameters.iter() {
                add(self.parameter(scope, input), EdgeKind::Parameter, name);
            }
            for (name, input) in inputs.artifacts.iter() {
                add(self.artifact(scope, input), EdgeKind::Artifact, name);
            }
            return;
        }
        match &spec.iterator {
            Some(TaskIterator::ParameterIterator(it)) => {
                if let Some(ParameterItemsSpec::InputParameter(name)) = &it.items
                    && let Some(input) = inputs.parameters.get(name.as_str())
                {
                    add(self.parameter(scope, input), EdgeKind::Parameter, "items");
                }
            }
            Some(TaskIterator::ArtifactIterator(it)) => {
                let name = it.items.as_ref().map_or("", |i| i.input_artifact.as_str());
                if let Some(input) = inputs.artifacts.get(name) {
                    add(self.artifact(scope, input), EdgeKind::Artifact, "items");
                }
            }
            None => {}
        }
        let cel = spec.trigger_policy.as_ref().map_or("", |p| &p.condition);
        for name in condition_inputs(cel) {
            if let Some(input) = inputs.parameters.get(name) {
                add(
                    self.parameter(scope, input),
                    EdgeKind::Parameter,
                    "condition",
                );
            }
        }
    }

    /// What loop `id` iterates over, and how many at once.
    fn loop_items(&self, id: TaskId) -> Loop {
        let spec = self.specs[id.index()];
        let scope = self.graph.task(id).parent;
        let inputs = spec.inputs.as_ref();
        let items = match &spec.iterator {
            Some(TaskIterator::ParameterIterator(it)) => match &it.items {
                Some(ParameterItemsSpec::Raw(raw)) => raw.to_string(),
                Some(ParameterItemsSpec::InputParameter(name)) => {
                    let sources = inputs
                        .and_then(|i| i.parameters.get(name.as_str()))
                        .map(|input| self.parameter(scope, input))
                        .unwrap_or_default();
                    self.name(&sources, name)
                }
                None => String::new(),
            },
            Some(TaskIterator::ArtifactIterator(it)) => {
                let name = it.items.as_ref().map_or("", |i| i.input_artifact.as_str());
                let sources = inputs
                    .and_then(|i| i.artifacts.get(name))
                    .map(|input| self.artifact(scope, input))
                    .unwrap_or_default();
                self.name(&sources, name)
            }
            None => String::new(),
        };
        let limit = spec
            .iterator_policy
            .as_ref()
            .map_or(0, |p| p.parallelism_limit);
        Loop {
            items,
            parallelism: u32::try_from(limit).ok().filter(|&l| l > 0),
        }
    }

    /// The condition of task `id`, each input it reads named by its source.
    fn readable(&self, id: TaskId, cel: &str) -> String {
        let scope = self.graph.task(id).parent;
        let inputs = self.specs[id.index()].inputs.as_ref();
        readable_condition(cel, |name| {
            let sources = inputs
                .and_then(|i| i.parameters.get(name))
                .map(|input| self.parameter(scope, input))
                .unwrap_or_default();
            self.name(&sources, name)
        })
    }

    /// A short name for a value: `task.output`, a pipeline input's name,
    /// `loop.item`; several (a `OneOf`) joined by ` | `; `input`
    /// without its `pipelinechannel--` prefix when nothing is known.
    fn name(&self, sources: &[Source<'_>], input: &str) -> String {
        let mut names: Vec<String> = Vec::new();
        for source in sources {
            let name = match *source {
                Source::Output { task, key } => {
                    format!("{}.{key}", self.graph.task(task).display_name)
                }
                Source::FinalStatus(task) => {
                    format!("{}.status", self.graph.task(task).display_name)
                }
                Source::PipelineInput(name) => name.to_owned(),
                Source::LoopItem(group) => {
                    format!("{}.item", self.graph.task(group).display_name)
                }
            };
            if !names.contains(&name) {
                names.push(name);
            }
        }
        if names.is_empty() {
            without_channel_prefix(input).to_owned()
        } else {
            names.join(" | ")
        }
    }

    /// Where a parameter input of a task of `scope`'s DAG comes from.
    fn parameter(&self, scope: Option<TaskId>, input: &'a InputParameterSpec) -> Vec<Source<'a>> {
        let mut out = Vec::new();
        self.parameter_into(scope, input, &mut out);
        out
    }

    fn parameter_into(
        &self,
        scope: Option<TaskId>,
        input: &'a InputParameterSpec,
        out: &mut Vec<Source<'a>>,
    ) {
        match &input.kind {
            Some(InputParameterKind::TaskOutputParameter(o)) => {
                if let Some(task) = self.graph.child(scope, &o.producer_task) {
                    self.output_parameter(task, &o.output_parameter_key, out);
                }
            }
            Some(InputParameterKind::ComponentInputParameter(name)) => {
                self.input_parameter(scope, name, out);
            }
            Some(InputParameterKind::TaskFinalStatus(status)) => {
                if let Some(task) = self.graph.child(scope, &status.producer_task) {
                    out.push(Source::FinalStatus(task));
                }
            }
            Some(InputParameterKind::RuntimeValue(_)) | None => {}
        }
    }

    /// Output parameter `key` of `task`: the task's own, or the one its
    /// DAG's outputs select.
    fn output_parameter(&self, task: TaskId, key: &'a str, out: &mut Vec<Source<'a>>) {
        let selected = self.dags[task.index()]
            .and_then(|dag| dag.outputs.as_ref())
            .and_then(|outputs| outputs.parameters.get(key));
        let selectors = match selected {
            Some(DagOutputParameterSpec::ValueFromParameter(one)) => std::slice::from_ref(one),
            Some(DagOutputParameterSpec::ValueFromOneof(many)) => &many.parameter_selectors[..],
            None => {
                out.push(Source::Output { task, key });
                return;
            }
        };
        for selector in selectors {
            match self.graph.child(Some(task), &selector.producer_subtask) {
                Some(inner) => self.output_parameter(inner, &selector.output_parameter_key, out),
                None => out.push(Source::Output { task, key }),
            }
        }
    }

    /// Input parameter `name` of `scope`'s component: the group's loop item,
    /// or what the group task passes in, or a pipeline input at the root.
    fn input_parameter(&self, scope: Option<TaskId>, name: &'a str, out: &mut Vec<Source<'a>>) {
        let Some(group) = scope else {
            out.push(Source::PipelineInput(name));
            return;
        };
        let spec = self.specs[group.index()];
        if let Some(TaskIterator::ParameterIterator(it)) = &spec.iterator
            && it.item_input == name
        {
            out.push(Source::LoopItem(group));
            return;
        }
        if let Some(input) = spec.inputs.as_ref().and_then(|i| i.parameters.get(name)) {
            self.parameter_into(self.graph.task(group).parent, input, out);
        }
    }

    /// Where an artifact input of a task of `scope`'s DAG comes from.
    fn artifact(&self, scope: Option<TaskId>, input: &'a InputArtifactSpec) -> Vec<Source<'a>> {
        let mut out = Vec::new();
        self.artifact_into(scope, input, &mut out);
        out
    }

    fn artifact_into(
        &self,
        scope: Option<TaskId>,
        input: &'a InputArtifactSpec,
        out: &mut Vec<Source<'a>>,
    ) {
        match input {
            InputArtifactSpec::TaskOutputArtifact(o) => {
                if let Some(task) = self.graph.child(scope, &o.producer_task) {
                    self.output_artifact(task, &o.output_artifact_key, out);
                }
            }
            InputArtifactSpec::ComponentInputArtifact(name) => {
                self.input_artifact(scope, name, out);
            }
        }
    }

    /// Output artifact `key` of `task`: the task's own, or those its DAG's
    /// outputs select.
    fn output_artifact(&self, task: TaskId, key: &'a str, out: &mut Vec<Source<'a>>) {
        let Some(selected) = self.dags[task.index()]
            .and_then(|dag| dag.outputs.as_ref())
            .and_then(|outputs| outputs.artifacts.get(key))
        else {
            out.push(Source::Output { task, key });
            return;
        };
        for selector in &selected.artifact_selectors {
            match self.graph.child(Some(task), &selector.producer_subtask) {
                Some(inner) => self.output_artifact(inner, &selector.output_artifact_key, out),
                None => out.push(Source::Output { task, key }),
            }
        }
    }

    /// Input artifact `name` of `scope`'s component.
    fn input_artifact(&self, scope: Option<TaskId>, name: &'a str, out: &mut Vec<Source<'a>>) {
        let Some(group) = scope else {
            out.push(Source::PipelineInput(name));
            return;
        };
        let spec = self.specs[group.index()];
        if let Some(TaskIterator::ArtifactIterator(it)) = &spec.iterator
            && it.item_input == name
        {
            out.push(Source::LoopItem(group));
            return;
        }
        if let Some(input) = spec.inputs.as_ref().and_then(|i| i.artifacts.get(name)) {
            self.artifact_into(self.graph.task(group).parent, input, out);
        }
    }
}
