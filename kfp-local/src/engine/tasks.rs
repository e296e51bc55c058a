//! Tasks of a DAG: when each starts (its upstream tasks have ended, and
//! the run is not failing unless it runs on `ALL_UPSTREAM_TASKS_COMPLETED`
//! or inside such a task),
//! what the driver does before it runs (inputs, condition), and how a DAG
//! ends (its outputs, and failed when any of its tasks failed).

use std::collections::BTreeMap;
use std::time::Instant;

use kfp_ir_schema::{
    ComponentImplementation, ComponentSpec, ExecutorSpec, PipelineTaskSpec, TaskIterator,
    TriggerStrategy,
};

use super::{Body, Engine, LoopItems, Node, NodeId, Work};
use crate::driver::resolve::{self, Task, Upstream, UpstreamTasks};
use crate::driver::{Values, cel, dag_outputs};
use crate::progress::Event;
use crate::state::TaskState;
use crate::store::{ArtifactRow, NewTask, StoreError};
use crate::task_path::TaskPath;

/// The ended tasks of one DAG, as the driver sees them.
struct Siblings<'e, 'a> {
    nodes: &'e [Node<'a>],
    children: &'e BTreeMap<&'a str, NodeId>,
}

impl UpstreamTasks for Siblings<'_, '_> {
    fn get(&self, name: &str) -> Option<Upstream<'_>> {
        let node = &self.nodes[*self.children.get(name)?];
        node.state.is_final().then_some(Upstream {
            state: node.state,
            outputs: &node.outputs,
        })
    }
}

impl<'a> Engine<'a, '_, '_> {
    /// Starts the root DAG with the run's inputs.
    pub(super) fn start_root(&mut self, inputs: Values) -> Result<NodeId, StoreError> {
        let spec = self.ctx.spec;
        let root = spec.root.as_ref().expect("the plan checked the root");
        let Some(ComponentImplementation::Dag(dag)) = &root.implementation else {
            unreachable!("the plan checked the root is a DAG")
        };
        let id = self.nodes.len();
        self.nodes.push(Node {
            parent: None,
            path: TaskPath::root(),
            task_name: String::new(),
            display_name: self.ctx.pipeline_name.clone(),
            task: None,
            component_name: "root",
            component: root,
            store_id: None,
            state: TaskState::Running,
            message: None,
            blocked: false,
            inputs,
            outputs: Values::default(),
            started: Some(Instant::now()),
            body: Body::Dag {
                dag,
                children: BTreeMap::new(),
            },
        });
        self.work.push_back(Work::Advance(id));
        Ok(id)
    }

    /// Starts what is ready in DAG `id`, and ends the DAG once all its
    /// tasks have ended.
    pub(super) fn advance_dag(&mut self, id: NodeId) -> Result<(), StoreError> {
        let Body::Dag { dag, .. } = self.nodes[id].body else {
            unreachable!("advance_dag on a DAG")
        };
        for (name, task) in dag.tasks.iter() {
            let name = name.as_str();
            let Body::Dag { children, .. } = &self.nodes[id].body else {
                unreachable!()
            };
            if children.contains_key(name) {
                continue;
            }
            let upstream_ended = resolve::upstream_tasks(task).all(|up| {
                children
                    .get(up)
                    .is_some_and(|&c| self.nodes[c].state.is_final())
            });
            if upstream_ended {
                self.start_task(id, name, task)?;
            }
        }
        let Body::Dag { children, .. } = &self.nodes[id].body else {
            unreachable!()
        };
        let all_ended = children.len() == dag.tasks.len()
            && children.values().all(|&c| self.nodes[c].state.is_final());
        if all_ended && !self.nodes[id].state.is_final() {
            let outputs = dag_outputs::dag_outputs(
                dag,
                &Siblings {
                    nodes: &self.nodes,
                    children,
                },
            );
            let failed = children.iter().find(|(_, c)| self.nodes[**c].failed());
            let (state, message) = match failed {
                _ if self.canceled => {
                    (TaskState::Canceled, Some("the run was canceled".to_owned()))
                }
                Some((name, _)) => (
                    TaskState::Failed,
                    Some(format!("task `{name}` did not succeed")),
                ),
                None => (TaskState::Succeeded, None),
            };
            self.finish(id, state, message, outputs)?;
        }
        Ok(())
    }

    /// Starts task `name` of DAG `dag_id`: records it, then decides whether
    /// it runs, resolves its inputs and evaluates its condition.
    fn start_task(
        &mut self,
        dag_id: NodeId,
        name: &'a str,
        task: &'a PipelineTaskSpec,
    ) -> Result<(), StoreError> {
        let reference = task
            .component_ref
            .as_ref()
            .map(|r| r.name.as_str())
            .unwrap_or_default();
        let (component_name, component) = self
            .ctx
            .spec
            .components
            .get_key_value(reference)
            .map(|(k, c)| (k.as_str(), c))
            .expect("the plan checked every component reference");
        let body = self.body(task, component, false);
        let path = self.nodes[dag_id].path.task(name);
        let display = task.task_info.as_ref().map_or(name, |i| i.name.as_str());
        let id = self.add_node(
            dag_id,
            path,
            name,
            display,
            Some(task),
            component_name,
            component,
            body,
        )?;
        if let Body::Dag { children, .. } = &mut self.nodes[dag_id].body {
            children.insert(name, id);
        }

        // Whether it runs at all.
        let all_upstream = task
            .trigger_policy
            .as_ref()
            .is_some_and(|t| t.strategy == TriggerStrategy::AllUpstreamTasksCompleted);
        if self.canceled {
            return self.finish(
                id,
                TaskState::Canceled,
                Some("not started: the run was canceled".into()),
                Values::default(),
            );
        }
        if !all_upstream {
            let not_cleared = resolve::upstream_tasks(task).find(|up| {
                let Body::Dag { children, .. } = &self.nodes[dag_id].body else {
                    unreachable!()
                };
                !self.nodes[children[up]].cleared()
            });
            let reason = match (not_cleared, self.held_by_failure(dag_id)) {
                (Some(up), _) => Some(format!("not run: upstream task `{up}` did not succeed")),
                (None, Some(why)) => Some(format!("not started: {why}")),
                (None, None) => None,
            };
            if let Some(reason) = reason {
                self.nodes[id].blocked = true;
                return self.finish(id, TaskState::Skipped, Some(reason), Values::default());
            }
        }

        // The driver: inputs, then the condition.
        let resolved = {
            let dag = &self.nodes[dag_id];
            let Body::Dag { children, .. } = &dag.body else {
                unreachable!()
            };
            let siblings = Siblings {
                nodes: &self.nodes,
                children,
            };
            resolve::resolve_inputs(
                Task {
                    name,
                    spec: task,
                    component,
                },
                &dag.inputs,
                &siblings,
                &self.ctx.run,
            )
        };
        let inputs = match resolved {
            Ok(inputs) => inputs,
            Err(e) => return self.fail(id, format!("could not resolve its inputs: {e}")),
        };
        self.store
            .set_task_inputs(self.nodes[id].store_id.expect("a task has a row"), &inputs)?;
        if let Some(condition) = task
            .trigger_policy
            .as_ref()
            .map(|t| t.condition.as_str())
            .filter(|c| !c.is_empty())
        {
            match cel::condition(condition, &inputs.parameters) {
                Ok(true) => {}
                Ok(false) => {
                    self.nodes[id].inputs = inputs;
                    return self.finish(
                        id,
                        TaskState::Skipped,
                        Some(format!("condition `{condition}` is false")),
                        Values::default(),
                    );
                }
                Err(e) => {
                    self.nodes[id].inputs = inputs;
                    return self.fail(id, format!("its condition could not be evaluated: {e}"));
                }
            }
        }
        self.nodes[id].inputs = inputs;
        self.launch(id)
    }

    /// Why nothing new may start in DAG or loop `id`: the run is failing,
    /// unless `id` is, or runs inside, a task that runs on
    /// `ALL_UPSTREAM_TASKS_COMPLETED` (an exit handler's task, which may be
    /// a whole pipeline), whose tasks a failure elsewhere does not stop.
    pub(super) fn held_by_failure(&self, id: NodeId) -> Option<&str> {
        let why = self.failing.as_deref()?;
        let in_exit_task = std::iter::successors(Some(id), |&n| self.nodes[n].parent).any(|n| {
            self.nodes[n]
                .task
                .and_then(|t| t.trigger_policy.as_ref())
                .is_some_and(|t| t.strategy == TriggerStrategy::AllUpstreamTasksCompleted)
        });
        (!in_exit_task).then_some(why)
    }

    /// What an execution of `component` for `task` does.
    pub(super) fn body(
        &self,
        task: &'a PipelineTaskSpec,
        component: &'a ComponentSpec,
        iteration: bool,
    ) -> Body<'a> {
        let iterated = match &task.iterator {
            Some(TaskIterator::ParameterIterator(iterator)) => Some((
                iterator.item_input.as_str(),
                match &iterator.items {
                    Some(kfp_ir_schema::ParameterItemsSpec::InputParameter(name)) => {
                        Some(name.as_str())
                    }
                    _ => None,
                },
            )),
            Some(TaskIterator::ArtifactIterator(iterator)) => Some((
                iterator.item_input.as_str(),
                iterator.items.as_ref().map(|i| i.input_artifact.as_str()),
            )),
            None => None,
        };
        if !iteration && let Some((item_input, items_input)) = iterated {
            return Body::Loop {
                items: LoopItems::Parameters(Vec::new()),
                item_input,
                items_input,
                limit: task
                    .iterator_policy
                    .as_ref()
                    .map_or(0, |p| p.parallelism_limit.max(0) as usize),
                children: Vec::new(),
            };
        }
        match &component.implementation {
            Some(ComponentImplementation::Dag(dag)) => Body::Dag {
                dag,
                children: BTreeMap::new(),
            },
            Some(ComponentImplementation::ExecutorLabel(label)) => {
                let executor = self
                    .ctx
                    .spec
                    .deployment_spec
                    .as_ref()
                    .and_then(|d| d.executors.get(label.as_str()));
                match executor {
                    Some(ExecutorSpec::Importer(importer)) => Body::Importer { importer },
                    Some(ExecutorSpec::Container(container)) => Body::Container {
                        container,
                        label: label.as_str(),
                        attempt: 0,
                        input: None,
                        argv: Vec::new(),
                        fingerprint: None,
                    },
                    _ => unreachable!("the plan checked every executor"),
                }
            }
            None => unreachable!("the plan checked every component has an implementation"),
        }
    }

    /// Records a new execution under `parent`.
    #[allow(clippy::too_many_arguments)]
    pub(super) fn add_node(
        &mut self,
        parent: NodeId,
        path: TaskPath,
        task_name: &str,
        display_name: &str,
        task: Option<&'a PipelineTaskSpec>,
        component_name: &'a str,
        component: &'a ComponentSpec,
        body: Body<'a>,
    ) -> Result<NodeId, StoreError> {
        let iteration = matches!(path.segments().last(), Some(crate::Segment::Iteration(_)));
        let store_id = self.store.create_task(
            &self.ctx.run.run_id,
            &NewTask {
                path: &path,
                task_name,
                display_name,
                component: component_name,
                kind: body.kind(iteration),
            },
        )?;
        let id = self.nodes.len();
        self.nodes.push(Node {
            parent: Some(parent),
            path,
            task_name: task_name.to_owned(),
            display_name: display_name.to_owned(),
            task,
            component_name,
            component,
            store_id: Some(store_id),
            state: TaskState::Pending,
            message: None,
            blocked: false,
            inputs: Values::default(),
            outputs: Values::default(),
            started: None,
            body,
        });
        Ok(id)
    }

    /// Runs an execution whose inputs are resolved.
    pub(super) fn launch(&mut self, id: NodeId) -> Result<(), StoreError> {
        match self.nodes[id].body {
            Body::Dag { .. } => {
                self.set_running(id)?;
                self.work.push_back(Work::Advance(id));
                Ok(())
            }
            Body::Loop { .. } => self.start_loop(id),
            Body::Container { .. } => self.prepare_container(id),
            Body::Importer { .. } => self.run_importer(id),
        }
    }

    /// Marks an execution as running.
    pub(super) fn set_running(&mut self, id: NodeId) -> Result<(), StoreError> {
        let node = &mut self.nodes[id];
        if node.state == TaskState::Running {
            return Ok(());
        }
        node.state = TaskState::Running;
        node.started = Some(Instant::now());
        if let Some(row) = node.store_id {
            self.store.set_task_state(row, TaskState::Running, None)?;
        }
        let node = &self.nodes[id];
        self.progress.event(&Event::TaskStarted {
            path: &node.path,
            display_name: &node.display_name,
            kind: node.body.kind(false),
        });
        Ok(())
    }

    /// Ends an execution: records its state and outputs (and, for a
    /// container or importer, its artifacts), then lets its DAG or loop
    /// see what became ready.
    pub(super) fn finish(
        &mut self,
        id: NodeId,
        state: TaskState,
        message: Option<String>,
        outputs: Values,
    ) -> Result<(), StoreError> {
        let node = &mut self.nodes[id];
        node.state = state;
        node.message = message;
        node.outputs = outputs;
        let duration = node.started.map(|s| s.elapsed()).unwrap_or_default();
        let node = &self.nodes[id];
        if let Some(row) = node.store_id {
            let leaf = matches!(node.body, Body::Container { .. } | Body::Importer { .. });
            let artifacts = if leaf && state.produced_outputs() {
                artifact_rows(&node.outputs, &self.digests)
            } else {
                Vec::new()
            };
            self.store.finish_task(
                &self.ctx.run.run_id,
                row,
                state,
                node.message.as_deref(),
                Some(&node.outputs),
                &artifacts,
            )?;
        }
        self.progress.event(&Event::TaskFinished {
            path: &node.path,
            display_name: &node.display_name,
            kind: node.body.kind(matches!(
                node.path.segments().last(),
                Some(crate::Segment::Iteration(_))
            )),
            state,
            message: node.message.as_deref(),
            duration,
        });
        if let Some(parent) = node.parent {
            self.work.push_back(Work::Advance(parent));
        }
        Ok(())
    }

    /// Ends an execution that failed for a reason of its own (its
    /// command, its inputs, its condition): from now on only tasks that run
    /// on `ALL_UPSTREAM_TASKS_COMPLETED`, and the tasks inside them, start
    /// ([`held_by_failure`](Self::held_by_failure)).
    pub(super) fn fail(&mut self, id: NodeId, message: String) -> Result<(), StoreError> {
        if self.failing.is_none() {
            self.failing = Some(format!("task `{}` failed", self.nodes[id].path));
        }
        self.finish(id, TaskState::Failed, Some(message), Values::default())
    }
}

/// The store rows of an execution's output artifacts, with the digests
/// known for their URIs.
fn artifact_rows<'v>(
    outputs: &'v Values,
    digests: &'v std::collections::HashMap<String, (String, u64)>,
) -> Vec<ArtifactRow<'v>> {
    outputs
        .artifacts
        .iter()
        .flat_map(|(output, list)| {
            list.iter().enumerate().map(move |(position, artifact)| {
                let known = digests.get(&artifact.uri);
                ArtifactRow {
                    output,
                    position,
                    artifact,
                    digest: known.map(|(d, _)| d.as_str()),
                    size: known.map(|(_, s)| *s),
                }
            })
        })
        .collect()
}
