//! What the store holds, as Rust values: what the engine writes (`New…`)
//! and what readers get back (`…Record`).

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use crate::driver::Values;
use crate::state::{RunState, TaskState};
use crate::task_path::TaskPath;

/// A run about to start.
#[derive(Clone, Debug)]
pub struct NewRun<'a> {
    /// Its id.
    pub id: &'a str,
    /// Its display name.
    pub name: &'a str,
    /// `pipelineInfo.name`.
    pub pipeline_name: &'a str,
    /// The file it was read from, if any.
    pub pipeline_file: Option<&'a str>,
    /// The pipeline spec, as JSON.
    pub pipeline_spec: &'a Value,
    /// The platform spec, as JSON, if any.
    pub platform_spec: Option<&'a Value>,
    /// The run's parameters (the arguments given, with defaults).
    pub parameters: &'a Map<String, Value>,
    /// When it was created.
    pub created_at: &'a str,
    /// Where its artifacts go.
    pub pipeline_root: &'a str,
    /// How it runs (parallelism, runner, cache), as JSON.
    pub options: &'a Value,
}

/// A run, as stored.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct RunRecord {
    /// Its id (a UUID).
    pub id: String,
    /// Its display name.
    pub name: String,
    /// `pipelineInfo.name`.
    pub pipeline_name: String,
    /// The file it was read from, if any.
    pub pipeline_file: Option<String>,
    /// Its state.
    pub state: RunState,
    /// Why it failed, when it did.
    pub error: Option<String>,
    /// Its parameters.
    pub parameters: Map<String, Value>,
    /// The pipeline's outputs, once it has ended.
    pub outputs: Option<Values>,
    /// When it was created (RFC 3339).
    pub created_at: String,
    /// When it ended.
    pub finished_at: Option<String>,
    /// Where its artifacts are.
    pub pipeline_root: String,
    /// How it ran.
    pub options: Value,
    /// The process that ran it.
    pub pid: u32,
}

impl RunRecord {
    /// How long it took, once it has ended.
    pub fn duration(&self) -> Option<std::time::Duration> {
        crate::time::between(&self.created_at, self.finished_at.as_deref()?)
    }
}

/// What kind of execution a task row is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum TaskKind {
    /// A container component (a command).
    Container,
    /// An importer.
    Importer,
    /// A DAG: a sub-pipeline or a control-flow group.
    Dag,
    /// A looped task: its iterations are its children.
    Loop,
    /// One iteration of a loop.
    Iteration,
}

impl TaskKind {
    const ALL: [TaskKind; 5] = [
        Self::Container,
        Self::Importer,
        Self::Dag,
        Self::Loop,
        Self::Iteration,
    ];

    /// The kind's name in the store.
    pub const fn as_str(self) -> &'static str {
        match self {
            Self::Container => "container",
            Self::Importer => "importer",
            Self::Dag => "dag",
            Self::Loop => "loop",
            Self::Iteration => "iteration",
        }
    }
}

impl fmt::Display for TaskKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for TaskKind {
    type Err = crate::state::UnknownState;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Self::ALL
            .into_iter()
            .find(|k| k.as_str() == s)
            .ok_or_else(|| crate::state::UnknownState(s.to_owned()))
    }
}

/// A task execution about to be recorded.
#[derive(Clone, Debug)]
pub struct NewTask<'a> {
    /// Where it sits in the run.
    pub path: &'a TaskPath,
    /// Its task name (its key in the DAG).
    pub task_name: &'a str,
    /// Its display name (`taskInfo.name`).
    pub display_name: &'a str,
    /// The component it runs (`comp-…`).
    pub component: &'a str,
    /// What kind of execution it is.
    pub kind: TaskKind,
}

/// A task execution, as stored.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct TaskRecord {
    /// Its row id.
    pub id: i64,
    /// Its run.
    pub run_id: String,
    /// Where it sits in the run.
    pub path: String,
    /// The DAG execution it belongs to (`""` for the root DAG's tasks).
    pub parent_path: String,
    /// Its task name.
    pub task_name: String,
    /// Its display name.
    pub display_name: String,
    /// Its component.
    pub component: String,
    /// What kind of execution.
    pub kind: TaskKind,
    /// Its iteration index, for an iteration.
    pub iteration: Option<i64>,
    /// Its state.
    pub state: TaskState,
    /// Why it failed or was skipped.
    pub message: Option<String>,
    /// Its cache fingerprint, for a container task.
    pub fingerprint: Option<String>,
    /// How many times its command was started.
    pub attempts: i64,
    /// When it was recorded.
    pub created_at: String,
    /// When it started running.
    pub started_at: Option<String>,
    /// When it ended.
    pub finished_at: Option<String>,
    /// Its resolved inputs.
    pub inputs: Option<Values>,
    /// Its outputs.
    pub outputs: Option<Values>,
    /// The command line of its last attempt.
    pub command: Option<Vec<String>>,
    /// Its log file.
    pub log_path: Option<String>,
}

impl TaskRecord {
    /// How long it ran, once it has ended (from when it started running,
    /// so waiting for its upstream tasks does not count).
    pub fn duration(&self) -> Option<std::time::Duration> {
        crate::time::between(self.started_at.as_deref()?, self.finished_at.as_deref()?)
    }
}

/// One state change of a task.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct EventRecord {
    /// The task.
    pub task_id: i64,
    /// When.
    pub at: String,
    /// The new state.
    pub state: TaskState,
    /// Why, if said.
    pub message: Option<String>,
}

/// An output artifact of a task.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ArtifactRecord {
    /// Its row id.
    pub id: i64,
    /// The task that produced it.
    pub task_id: i64,
    /// The output's name.
    pub output: String,
    /// Its position in the output's list.
    pub position: i64,
    /// Its URI.
    pub uri: String,
    /// Its type's schema title (`system.Model`).
    pub schema_title: Option<String>,
    /// Its type's schema version.
    pub schema_version: Option<String>,
    /// Its metadata.
    pub metadata: Map<String, Value>,
    /// The SHA-256 of its content.
    pub digest: Option<String>,
    /// Its size in bytes (a folder's: its files').
    pub size: Option<i64>,
}

/// What a metric row holds.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum MetricKind {
    /// A scalar of a `system.Metrics` artifact.
    Scalar,
    /// The confusion matrix of a `system.ClassificationMetrics` artifact.
    ConfusionMatrix,
    /// The ROC curve (confidence metrics) of a
    /// `system.ClassificationMetrics` artifact.
    RocCurve,
}

impl MetricKind {
    /// The kind's name in the store.
    pub const fn as_str(self) -> &'static str {
        match self {
            Self::Scalar => "scalar",
            Self::ConfusionMatrix => "confusion_matrix",
            Self::RocCurve => "roc_curve",
        }
    }

    pub(super) fn parse(s: &str) -> Option<Self> {
        [Self::Scalar, Self::ConfusionMatrix, Self::RocCurve]
            .into_iter()
            .find(|k| k.as_str() == s)
    }
}

/// A metric logged by a task.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct MetricRecord {
    /// The task that logged it.
    pub task_id: i64,
    /// The artifact it was logged in.
    pub artifact_id: i64,
    /// What it is.
    pub kind: MetricKind,
    /// Its name (for a scalar; the artifact's output name otherwise).
    pub name: String,
    /// A scalar's value.
    pub value: Option<f64>,
    /// A matrix's or curve's data, as KFP's UI reads it.
    pub data: Option<Value>,
}

/// A task's outputs kept under its cache fingerprint.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct CacheEntry {
    /// The outputs.
    pub outputs: Values,
    /// The local files and folders of its artifacts that existed when it
    /// ran: a hit needs every one still there.
    pub files: Vec<String>,
    /// The run that produced them.
    pub run_id: String,
    /// The task execution that produced them.
    pub task_path: String,
}
