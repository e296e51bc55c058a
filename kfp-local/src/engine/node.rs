//! The tree of executions of a run: the root DAG, the tasks of each DAG,
//! the iterations of each loop.

use std::collections::BTreeMap;
use std::time::Instant;

use kfp_ir_schema::executor::{ExecutorInput, RuntimeArtifact};
use kfp_ir_schema::{
    ComponentSpec, DagSpec, ImporterSpec, PipelineContainerSpec, PipelineTaskSpec,
};
use serde_json::Value;

use crate::driver::Values;
use crate::state::TaskState;
use crate::store::TaskKind;
use crate::task_path::TaskPath;

/// An execution's index in the engine's list.
pub(crate) type NodeId = usize;

/// One execution.
pub(crate) struct Node<'a> {
    /// The DAG or loop it belongs to (none for the root).
    pub parent: Option<NodeId>,
    pub path: TaskPath,
    /// Its key in the DAG (a loop's, for an iteration).
    pub task_name: String,
    pub display_name: String,
    /// The task spec (the loop's, for an iteration; none for the root).
    pub task: Option<&'a PipelineTaskSpec>,
    pub component_name: &'a str,
    pub component: &'a ComponentSpec,
    /// Its row in the store (none for the root).
    pub store_id: Option<i64>,
    pub state: TaskState,
    /// Why it failed or was skipped.
    pub message: Option<String>,
    /// True when it did not run because of a failure elsewhere: such a
    /// task counts as a failure for its DAG, unlike one whose condition
    /// was false.
    pub blocked: bool,
    pub inputs: Values,
    pub outputs: Values,
    pub started: Option<Instant>,
    pub body: Body<'a>,
}

/// What kind of execution it is, and its own state.
pub(crate) enum Body<'a> {
    /// A DAG: the execution of each of its tasks, once started.
    Dag {
        dag: &'a DagSpec,
        children: BTreeMap<&'a str, NodeId>,
    },
    /// A looped task: its items, and its iterations so far.
    Loop {
        items: LoopItems,
        /// The input each iteration's item goes to.
        item_input: &'a str,
        /// The input the items came from, which iterations do not get.
        items_input: Option<&'a str>,
        /// At most this many iterations at once (0: no limit).
        limit: usize,
        children: Vec<NodeId>,
    },
    /// A container task.
    Container {
        container: &'a PipelineContainerSpec,
        label: &'a str,
        /// Attempts started so far.
        attempt: u32,
        input: Option<Box<ExecutorInput>>,
        argv: Vec<String>,
        fingerprint: Option<String>,
    },
    /// An importer.
    Importer { importer: &'a ImporterSpec },
}

impl Body<'_> {
    /// How the store names this kind of execution; an iteration is a DAG
    /// or container run for one item.
    pub fn kind(&self, iteration: bool) -> TaskKind {
        match self {
            Body::Dag { .. } if iteration => TaskKind::Iteration,
            Body::Dag { .. } => TaskKind::Dag,
            Body::Loop { .. } => TaskKind::Loop,
            Body::Container { .. } => TaskKind::Container,
            Body::Importer { .. } => TaskKind::Importer,
        }
    }
}

/// The items of a loop, as its driver read them.
#[derive(Debug)]
pub(crate) enum LoopItems {
    /// Parameter values (`parameterIterator`).
    Parameters(Vec<Value>),
    /// Artifacts (`artifactIterator`).
    Artifacts(Vec<RuntimeArtifact>),
}

impl LoopItems {
    /// How many there are.
    pub fn count(&self) -> usize {
        match self {
            LoopItems::Parameters(items) => items.len(),
            LoopItems::Artifacts(items) => items.len(),
        }
    }
}

impl Node<'_> {
    /// True once it ended well or was skipped by its own condition: its
    /// downstream tasks may run.
    pub fn cleared(&self) -> bool {
        self.state.produced_outputs() || (self.state == TaskState::Skipped && !self.blocked)
    }

    /// True when it counts as a failure for its DAG.
    pub fn failed(&self) -> bool {
        matches!(self.state, TaskState::Failed | TaskState::Canceled) || self.blocked
    }
}
