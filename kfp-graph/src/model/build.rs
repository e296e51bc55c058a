//! Building a [`PipelineGraph`]: the tasks of every DAG, from the root down
//! (this module), then what each reads and waits for ([`super::resolve`]).

use kfp_ir_schema::{
    ComponentImplementation, DagSpec, ExecutorSpec, PipelineSpec, PipelineTaskSpec, TriggerStrategy,
};

use super::{PipelineGraph, Task, TaskId, TaskKind};
use kfp_ir_schema::naming::GroupType;

/// The graph of `spec` (see [`PipelineGraph::from_spec`]).
pub(super) fn graph(spec: &PipelineSpec) -> PipelineGraph {
    let info = spec.pipeline_info.as_ref();
    let name = info.map(|i| i.name.to_string()).unwrap_or_default();
    let display_name = info
        .map(|i| i.display_name.as_str())
        .filter(|d| !d.is_empty())
        .map_or_else(|| name.clone(), str::to_owned);
    let mut tree = Tree {
        spec,
        graph: PipelineGraph {
            name,
            display_name,
            ..PipelineGraph::default()
        },
        specs: Vec::new(),
        dags: Vec::new(),
    };
    if let Some(root) = spec.root.as_ref().and_then(dag_of_component) {
        let mut open = Vec::new();
        tree.add_dag(None, root, &mut open);
    }
    let Tree {
        graph, specs, dags, ..
    } = tree;
    super::resolve::finish(graph, &specs, &dags)
}

/// The tasks found so far, with the IR each was read from.
struct Tree<'a> {
    spec: &'a PipelineSpec,
    graph: PipelineGraph,
    /// The spec of each task, by [`TaskId`].
    specs: Vec<&'a PipelineTaskSpec>,
    /// The DAG of each group task's component, by [`TaskId`].
    dags: Vec<Option<&'a DagSpec>>,
}

impl<'a> Tree<'a> {
    /// Adds the tasks of `dag` (the DAG of `parent`'s component) and, under
    /// each group, the tasks of its DAG. `open` holds the components being
    /// expanded, so that a component holding itself (which no valid spec
    /// has) ends as a task of kind `Other` instead of never ending.
    fn add_dag(&mut self, parent: Option<TaskId>, dag: &'a DagSpec, open: &mut Vec<&'a str>) {
        let mut tasks: Vec<(&'a str, &'a PipelineTaskSpec)> =
            dag.tasks.iter().map(|(k, t)| (k.as_str(), t)).collect();
        tasks.sort_by(|a, b| super::natural_order(a.0, b.0));
        for (key, task) in tasks {
            let id = TaskId::new(self.graph.tasks.len());
            let component = task.component_ref.as_ref().map_or("", |r| r.name.as_str());
            let inner = self
                .spec
                .components
                .get(component)
                .and_then(dag_of_component)
                .filter(|_| !open.contains(&component));
            let path = match parent {
                Some(p) => format!("{}/{key}", self.graph.task(p).path),
                None => key.to_string(),
            };
            let display_name = task
                .task_info
                .as_ref()
                .map(|i| i.name.as_str())
                .filter(|n| !n.is_empty())
                .unwrap_or(key);
            self.graph.tasks.push(Task {
                id,
                key: key.to_string(),
                path,
                display_name: display_name.to_owned(),
                component: component.to_owned(),
                kind: self.kind(key, task, component, inner.is_some()),
                condition: None,
                ignores_upstream_failure: task
                    .trigger_policy
                    .as_ref()
                    .is_some_and(|p| p.strategy == TriggerStrategy::AllUpstreamTasksCompleted),
                parent,
                children: Vec::new(),
            });
            self.specs.push(task);
            self.dags.push(inner);
            match parent {
                Some(p) => self.graph.tasks[p.index()].children.push(id),
                None => self.graph.roots.push(id),
            }
            if let Some(inner) = inner {
                open.push(component);
                self.add_dag(Some(id), inner, open);
                open.pop();
            }
        }
    }

    /// What the task `key` is. A loop's items are filled in later, once
    /// every task is known.
    fn kind(&self, key: &str, task: &PipelineTaskSpec, component: &str, has_dag: bool) -> TaskKind {
        if has_dag {
            return if task.iterator.is_some() {
                TaskKind::Loop(super::Loop {
                    items: String::new(),
                    parallelism: None,
                })
            } else {
                group_kind_of_key(key).unwrap_or(TaskKind::Pipeline)
            };
        }
        let label = match self
            .spec
            .components
            .get(component)
            .and_then(|c| c.implementation.as_ref())
        {
            Some(ComponentImplementation::ExecutorLabel(label)) => label.as_str(),
            _ => return TaskKind::Other,
        };
        let executor = self
            .spec
            .deployment_spec
            .as_ref()
            .and_then(|d| d.executors.get(label));
        match executor {
            Some(ExecutorSpec::Container(container)) => TaskKind::Container {
                image: container.image.to_string(),
            },
            Some(ExecutorSpec::Importer(_)) => TaskKind::Importer,
            _ => TaskKind::Other,
        }
    }
}

/// The DAG of a component, if it has one.
fn dag_of_component(component: &kfp_ir_schema::ComponentSpec) -> Option<&DagSpec> {
    match &component.implementation {
        Some(ComponentImplementation::Dag(dag)) => Some(dag),
        _ => None,
    }
}

/// The kind of a group task that is not a loop, from its key
/// (`kfp_ir_schema::naming::GroupType`: `condition-3`,
/// `condition-branches-1`, `exit-handler-2`). Any other key is a nested
/// pipeline's task.
fn group_kind_of_key(key: &str) -> Option<TaskKind> {
    match GroupType::of_key(key)?.0 {
        GroupType::ConditionBranches => Some(TaskKind::Branches),
        GroupType::Condition => Some(TaskKind::Condition),
        GroupType::ExitHandler => Some(TaskKind::ExitHandler),
        GroupType::ForLoop => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn groups_are_known_by_their_numbered_keys() {
        assert_eq!(group_kind_of_key("condition-3"), Some(TaskKind::Condition));
        assert_eq!(
            group_kind_of_key("condition-branches-10"),
            Some(TaskKind::Branches)
        );
        assert_eq!(
            group_kind_of_key("exit-handler-1"),
            Some(TaskKind::ExitHandler)
        );
        for other in [
            "condition",
            "condition-",
            "condition-x",
            "train",
            "exit-handler-1a",
        ] {
            assert_eq!(group_kind_of_key(other), None, "{other}");
        }
    }
}
