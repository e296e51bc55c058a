//! The graph of a pipeline, read from its IR: its tasks, the groups and
//! nested pipelines that hold them, and the edges of data and order between
//! them.
//!
//! Every task of every DAG is a [`Task`], a group or nested pipeline
//! included (its [`TaskKind`] says which; its `children` are the tasks of its
//! DAG). An [`Edge`] goes from the task that produces a value to the task that
//! reads it, however many groups the value crosses on the way: KFP passes a
//! value into a group as one of the group's `pipelinechannel--…` inputs and
//! out of it as one of its DAG outputs, and the graph follows both. Where a
//! group itself reads a value (what a loop iterates over, what a condition
//! compares), the edge ends at the group.

mod build;
mod readable;
mod resolve;

use kfp_ir_schema::PipelineSpec;

/// A task's place in [`PipelineGraph::tasks`]: tasks are numbered from the
/// root DAG down, each before the tasks of its own DAG, each DAG's tasks in
/// the natural order of their keys (see [`natural_order`]).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct TaskId(u32);

impl TaskId {
    /// The task's index in [`PipelineGraph::tasks`].
    pub fn index(self) -> usize {
        self.0 as usize
    }

    fn new(index: usize) -> Self {
        Self(u32::try_from(index).expect("fewer than 2^32 tasks"))
    }
}

/// The tasks of a pipeline and the edges between them.
///
/// ```
/// use kfp_graph::{EdgeKind, PipelineGraph, TaskKind};
///
/// let spec: kfp_ir_schema::PipelineSpec = serde_json::from_value(serde_json::json!({
///     "pipelineInfo": {"name": "two-steps"},
///     "root": {"dag": {"tasks": {
///         "make": {"taskInfo": {"name": "make data"}, "componentRef": {"name": "comp-make"}},
///         "train": {
///             "taskInfo": {"name": "train"}, "componentRef": {"name": "comp-train"},
///             "dependentTasks": ["make"],
///             "inputs": {"artifacts": {"data": {"taskOutputArtifact":
///                 {"producerTask": "make", "outputArtifactKey": "data"}}}}
///         }
///     }}},
///     "components": {
///         "comp-make": {"executorLabel": "exec-make"},
///         "comp-train": {"executorLabel": "exec-train"}
///     },
///     "deploymentSpec": {"executors": {
///         "exec-make": {"container": {"image": "python:3.12"}},
///         "exec-train": {"container": {"image": "python:3.12"}}
///     }},
///     "schemaVersion": "2.1.0"
/// }))?;
/// let graph = PipelineGraph::from_spec(&spec);
/// let make = graph.find("make").unwrap();
/// assert_eq!(graph.task(make).display_name, "make data");
/// assert!(matches!(graph.task(make).kind, TaskKind::Container { .. }));
/// let [edge] = graph.edges() else { panic!() };
/// assert_eq!((edge.from, edge.kind), (make, EdgeKind::Artifact));
/// assert_eq!(edge.values, ["data → data"]);
/// # Ok::<(), serde_json::Error>(())
/// ```
#[derive(Clone, Debug, Default, PartialEq)]
pub struct PipelineGraph {
    /// The pipeline's name (`pipelineInfo.name`).
    pub name: String,
    /// The name to show: `pipelineInfo.displayName`, else the name.
    pub display_name: String,
    tasks: Vec<Task>,
    roots: Vec<TaskId>,
    edges: Vec<Edge>,
}

/// One task of a DAG of the pipeline.
#[derive(Clone, Debug, PartialEq)]
pub struct Task {
    /// The task itself.
    pub id: TaskId,
    /// Its key in its DAG (`train`, `for-loop-2`).
    pub key: String,
    /// The keys from the root DAG down to it, joined by `/`
    /// (`for-loop-2/train`): unique in the pipeline, and what a run's
    /// executions are named by (without their iteration numbers).
    pub path: String,
    /// Its name to show (`taskInfo.name`, else its key).
    pub display_name: String,
    /// The component it runs (`componentRef.name`, `comp-train`).
    pub component: String,
    /// What it is.
    pub kind: TaskKind,
    /// When its trigger policy has a condition: the task runs only when it
    /// holds.
    pub condition: Option<Condition>,
    /// True when it runs once its upstream tasks have finished however they
    /// ended (`ALL_UPSTREAM_TASKS_COMPLETED`: an exit task, or kfp's
    /// `ignore_upstream_failure`).
    pub ignores_upstream_failure: bool,
    /// The group or nested pipeline whose DAG it is in; `None` in the root
    /// DAG.
    pub parent: Option<TaskId>,
    /// The tasks of its DAG, for a group or nested pipeline, in the natural
    /// order of their keys.
    pub children: Vec<TaskId>,
}

/// What a task is.
#[derive(Clone, Debug, PartialEq)]
pub enum TaskKind {
    /// A container (`deploymentSpec.executors[…].container`).
    Container {
        /// Its image.
        image: String,
    },
    /// An importer of an existing artifact (`dsl.importer`).
    Importer,
    /// An executor this crate does not draw specially (a resolver or a
    /// custom job), or a component the file does not define.
    Other,
    /// A loop (`dsl.ParallelFor`, `for-loop-N`).
    Loop(Loop),
    /// A branch (`dsl.If`/`Elif`/`Else`, `condition-N`); its
    /// [`Task::condition`] says when it runs.
    Condition,
    /// The group of an If/Elif/Else chain (`condition-branches-N`).
    Branches,
    /// An exit handler's group (`dsl.ExitHandler`, `exit-handler-N`).
    ExitHandler,
    /// A pipeline used as a component of this one.
    Pipeline,
}

impl TaskKind {
    /// True for the tasks that hold a DAG: groups and nested pipelines.
    pub fn is_group(&self) -> bool {
        matches!(
            self,
            Self::Loop(_) | Self::Condition | Self::Branches | Self::ExitHandler | Self::Pipeline
        )
    }
}

/// What a loop iterates over.
#[derive(Clone, Debug, PartialEq)]
pub struct Loop {
    /// The items, readably: a literal list (`[1, 2, 3]`), a pipeline input
    /// (`epochs`) or a task's output (`split.Output`).
    pub items: String,
    /// The most iterations running at once, when limited.
    pub parallelism: Option<u32>,
}

/// A trigger condition.
#[derive(Clone, Debug, PartialEq)]
pub struct Condition {
    /// The CEL text, as in the IR
    /// (`int(inputs.parameter_values['pipelinechannel--n']) > 5`).
    pub cel: String,
    /// The same, with each input it reads named by where its value comes
    /// from (`n > 5`, `flip-coin.Output == 'heads'`).
    pub readable: String,
}

/// An edge of the graph: `from` must run before `to`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Edge {
    /// The task that produces the value, or that must finish first.
    pub from: TaskId,
    /// The task that reads it, or that waits.
    pub to: TaskId,
    /// What passes along it.
    pub kind: EdgeKind,
    /// The values, each as `output → input` (`model → model`,
    /// `final status → status`); empty for an [`EdgeKind::Order`] edge.
    pub values: Vec<String>,
}

/// What passes along an [`Edge`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum EdgeKind {
    /// One or more artifacts.
    Artifact,
    /// One or more parameters (a task's final status included).
    Parameter,
    /// Nothing: the task only runs after the other (`.after()`), and no
    /// value between them says so already.
    Order,
}

impl PipelineGraph {
    /// The graph of a pipeline spec. Any spec gives one: what the spec
    /// leaves out or gets wrong (a missing component, a reference to no
    /// task) leaves a task of kind [`TaskKind::Other`] or an edge out,
    /// never a panic.
    pub fn from_spec(spec: &PipelineSpec) -> Self {
        build::graph(spec)
    }

    /// Every task, groups included, numbered as [`TaskId`] says.
    pub fn tasks(&self) -> &[Task] {
        &self.tasks
    }

    /// The task `id`.
    ///
    /// # Panics
    /// When `id` is not of this graph.
    pub fn task(&self, id: TaskId) -> &Task {
        &self.tasks[id.index()]
    }

    /// The tasks of the root DAG, in the natural order of their keys.
    pub fn roots(&self) -> &[TaskId] {
        &self.roots
    }

    /// The tasks of the DAG of `parent`, or of the root DAG for `None`.
    pub fn children(&self, parent: Option<TaskId>) -> &[TaskId] {
        match parent {
            Some(id) => &self.task(id).children,
            None => &self.roots,
        }
    }

    /// The edges, sorted by `from`, then `to`, then kind.
    pub fn edges(&self) -> &[Edge] {
        &self.edges
    }

    /// The task at `path` (`for-loop-2/train`).
    pub fn find(&self, path: &str) -> Option<TaskId> {
        let mut scope = None;
        for key in path.split('/') {
            scope = Some(self.child(scope, key)?);
        }
        scope
    }

    /// The task `key` of the DAG of `parent` (the root DAG for `None`).
    pub fn child(&self, parent: Option<TaskId>, key: &str) -> Option<TaskId> {
        let children = self.children(parent);
        children
            .binary_search_by(|&c| natural_order(&self.task(c).key, key))
            .ok()
            .map(|i| children[i])
    }

    /// How many groups hold `id`: 0 in the root DAG.
    pub fn depth(&self, id: TaskId) -> usize {
        self.ancestors(id).count() - 1
    }

    /// `id`, then the group that holds it, and so on up to the root DAG.
    pub fn ancestors(&self, id: TaskId) -> impl Iterator<Item = TaskId> + '_ {
        std::iter::successors(Some(id), |&t| self.task(t).parent)
    }

    /// True when `inner` is `outer` or in its DAG, at any depth.
    pub fn contains(&self, outer: TaskId, inner: TaskId) -> bool {
        self.ancestors(inner).any(|t| t == outer)
    }

    /// The two tasks of one DAG that hold `a` and `b` (each the task itself
    /// or a group it is in), and that DAG's group (`None`: the root DAG);
    /// `None` when one holds the other.
    pub fn siblings_holding(
        &self,
        a: TaskId,
        b: TaskId,
    ) -> Option<(TaskId, TaskId, Option<TaskId>)> {
        let (mut x, mut y) = (a, b);
        let (mut dx, mut dy) = (self.depth(a), self.depth(b));
        while dx > dy {
            x = self.task(x).parent?;
            dx -= 1;
        }
        while dy > dx {
            y = self.task(y).parent?;
            dy -= 1;
        }
        if x == y {
            return None;
        }
        while self.task(x).parent != self.task(y).parent {
            x = self.task(x).parent?;
            y = self.task(y).parent?;
        }
        Some((x, y, self.task(x).parent))
    }
}

/// The order of task keys in a DAG: numbers in them compare as numbers, so
/// `for-loop-2` comes before `for-loop-10` (kfp numbers groups and repeated
/// tasks in the order the pipeline defines them); keys equal that way
/// (`a-01`, `a-1`) compare as text.
///
/// ```
/// use kfp_graph::natural_order;
/// use std::cmp::Ordering;
///
/// assert_eq!(natural_order("for-loop-2", "for-loop-10"), Ordering::Less);
/// assert_eq!(natural_order("train-2", "train"), Ordering::Greater);
/// assert_eq!(natural_order("a-01", "a-1"), Ordering::Less);
/// ```
pub fn natural_order(a: &str, b: &str) -> std::cmp::Ordering {
    use std::cmp::Ordering;
    let (x, y) = (a.as_bytes(), b.as_bytes());
    let (mut i, mut j) = (0, 0);
    while i < x.len() && j < y.len() {
        if x[i].is_ascii_digit() && y[j].is_ascii_digit() {
            let (n, next_i) = number_at(x, i);
            let (m, next_j) = number_at(y, j);
            let order = n.len().cmp(&m.len()).then_with(|| n.cmp(m));
            if order != Ordering::Equal {
                return order;
            }
            (i, j) = (next_i, next_j);
        } else if x[i] != y[j] {
            return x[i].cmp(&y[j]);
        } else {
            i += 1;
            j += 1;
        }
    }
    (x.len() - i).cmp(&(y.len() - j)).then_with(|| a.cmp(b))
}

/// The digits at `start` of `text` without leading zeros (`0` stays), and
/// where they end.
fn number_at(text: &[u8], start: usize) -> (&[u8], usize) {
    let end = start
        + text[start..]
            .iter()
            .take_while(|b| b.is_ascii_digit())
            .count();
    let mut first = start;
    while first + 1 < end && text[first] == b'0' {
        first += 1;
    }
    (&text[first..end], end)
}
