//! Runs, their runtime config and their state.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use serde_json::Value;

use super::wire_enum::wire_enum;
use super::{Status, StorageState};

wire_enum! {
    /// The state of a run or a task (`v2beta1RuntimeState`).
    pub enum RuntimeState ("RUNTIME_STATE_UNSPECIFIED") {
        /// Waiting to be scheduled.
        Pending = (1, "PENDING"),
        /// Running.
        Running = (2, "RUNNING"),
        /// Finished successfully.
        Succeeded = (3, "SUCCEEDED"),
        /// Skipped (a condition was false, or cached upstream).
        Skipped = (4, "SKIPPED"),
        /// Failed.
        Failed = (5, "FAILED"),
        /// Termination requested.
        Canceling = (6, "CANCELING"),
        /// Terminated.
        Canceled = (7, "CANCELED"),
        /// Paused.
        Paused = (8, "PAUSED"),
    }
}

impl RuntimeState {
    /// True for the states a run never leaves on its own: SUCCEEDED,
    /// SKIPPED, FAILED and CANCELED.
    pub fn is_terminal(&self) -> bool {
        matches!(
            self,
            Self::Succeeded | Self::Skipped | Self::Failed | Self::Canceled
        )
    }
}

/// A reference to a stored pipeline version. With only `pipeline_id` the
/// server runs the pipeline's latest version.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct PipelineVersionReference {
    /// The pipeline.
    pub pipeline_id: String,
    /// The version; empty for the latest.
    #[serde(skip_serializing_if = "String::is_empty")]
    pub pipeline_version_id: String,
}

/// Run-time parameters and pipeline root (`v2beta1RuntimeConfig`).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct RuntimeConfig {
    /// Values of the pipeline's root input parameters, typed as JSON
    /// (see [`crate::check_arguments`]).
    pub parameters: BTreeMap<String, Value>,
    /// Where artifacts go, e.g. `minio://mlpipeline/v2`; empty for the
    /// server's default.
    #[serde(skip_serializing_if = "String::is_empty")]
    pub pipeline_root: String,
}

/// A state change of a run or task.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct RuntimeStatus {
    /// When, RFC 3339.
    pub update_time: Option<String>,
    /// The new state.
    pub state: RuntimeState,
    /// The error, for failures.
    pub error: Option<Status>,
}

/// A task of a run (`v2beta1PipelineTaskDetail`); inputs and outputs are
/// kept as JSON.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct PipelineTaskDetail {
    /// The run.
    pub run_id: String,
    /// The task id.
    pub task_id: String,
    /// The task's name in the graph.
    pub display_name: String,
    /// Creation time, RFC 3339.
    pub create_time: Option<String>,
    /// Start time, RFC 3339.
    pub start_time: Option<String>,
    /// End time, RFC 3339.
    pub end_time: Option<String>,
    /// The task state.
    pub state: RuntimeState,
    /// The MLMD execution id (int64, sent as a string).
    #[serde(with = "super::lenient_int64", skip_serializing_if = "Option::is_none")]
    pub execution_id: Option<i64>,
    /// The error, for failed tasks.
    pub error: Option<Status>,
    /// The parent task (a sub-DAG or loop).
    pub parent_task_id: String,
    /// The pod that ran it.
    pub pod_name: String,
    /// State changes.
    pub state_history: Vec<RuntimeStatus>,
    /// Inputs, as the server sends them.
    pub inputs: Option<Value>,
    /// Outputs, as the server sends them.
    pub outputs: Option<Value>,
}

/// Details of a run (`v2beta1RunDetails`).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct RunDetails {
    /// MLMD pipeline context id.
    #[serde(with = "super::lenient_int64", skip_serializing_if = "Option::is_none")]
    pub pipeline_context_id: Option<i64>,
    /// MLMD pipeline run context id.
    #[serde(with = "super::lenient_int64", skip_serializing_if = "Option::is_none")]
    pub pipeline_run_context_id: Option<i64>,
    /// The tasks of the run.
    pub task_details: Vec<PipelineTaskDetail>,
}

/// A run (`v2beta1Run`) as the server returns it.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct Run {
    /// The experiment the run belongs to.
    pub experiment_id: String,
    /// Server-assigned id.
    pub run_id: String,
    /// The run name.
    pub display_name: String,
    /// Available or archived.
    pub storage_state: StorageState,
    /// Free text.
    pub description: String,
    /// Deprecated: the version id, for runs of stored versions.
    pub pipeline_version_id: String,
    /// The inline spec, for runs created from one.
    pub pipeline_spec: Option<Value>,
    /// The stored version, for runs created from one.
    pub pipeline_version_reference: Option<PipelineVersionReference>,
    /// Parameters and pipeline root.
    pub runtime_config: Option<RuntimeConfig>,
    /// The Kubernetes service account of the run's pods.
    pub service_account: String,
    /// Creation time, RFC 3339.
    pub created_at: Option<String>,
    /// Scheduling time, RFC 3339.
    pub scheduled_at: Option<String>,
    /// End time, RFC 3339.
    pub finished_at: Option<String>,
    /// The run state.
    pub state: RuntimeState,
    /// The error, for failed runs.
    pub error: Option<Status>,
    /// Tasks and MLMD contexts.
    pub run_details: Option<RunDetails>,
    /// The recurring run that started this run, if any.
    pub recurring_run_id: String,
    /// State changes.
    pub state_history: Vec<RuntimeStatus>,
}

/// A page of runs.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct ListRunsResponse {
    /// The runs of this page.
    pub runs: Vec<Run>,
    /// The number of runs matching the filter, over all pages.
    pub total_size: i32,
    /// The token of the next page; empty on the last page.
    pub next_page_token: String,
}

/// What a run or recurring run executes: an inline spec or a stored
/// version.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum PipelineSource {
    /// An inline `PipelineSpec` as protojson (camelCase keys), or the
    /// `{pipeline_spec, platform_spec}` wrapper; see [`PipelineSource::inline`].
    PipelineSpec(Value),
    /// A stored pipeline version.
    PipelineVersionReference(PipelineVersionReference),
}

impl PipelineSource {
    /// An inline spec. With a non-empty platform document (the second YAML
    /// document, Kubernetes settings) it sends
    /// `{"pipeline_spec": .., "platform_spec": ..}`, as kfp.Client does;
    /// otherwise the spec alone.
    pub fn inline(pipeline_spec: Value, platform_spec: Option<Value>) -> Self {
        match platform_spec {
            Some(platform) if !is_empty_json(&platform) => {
                let mut wrapper = serde_json::Map::new();
                wrapper.insert("pipeline_spec".into(), pipeline_spec);
                wrapper.insert("platform_spec".into(), platform);
                Self::PipelineSpec(Value::Object(wrapper))
            }
            _ => Self::PipelineSpec(pipeline_spec),
        }
    }

    /// A stored version; `None` runs the pipeline's latest version.
    pub fn version(pipeline_id: impl Into<String>, version_id: Option<String>) -> Self {
        Self::PipelineVersionReference(PipelineVersionReference {
            pipeline_id: pipeline_id.into(),
            pipeline_version_id: version_id.unwrap_or_default(),
        })
    }

    /// The `PipelineSpec` itself, inside the wrapper if there is one.
    pub fn spec(&self) -> Option<&Value> {
        match self {
            Self::PipelineSpec(v) if is_wrapper(v) => v.get("pipeline_spec"),
            Self::PipelineSpec(v) => Some(v),
            Self::PipelineVersionReference(_) => None,
        }
    }

    fn spec_mut(&mut self) -> Option<&mut Value> {
        match self {
            Self::PipelineSpec(v) => {
                if is_wrapper(v) {
                    v.get_mut("pipeline_spec")
                } else {
                    Some(v)
                }
            }
            Self::PipelineVersionReference(_) => None,
        }
    }

    /// Sets `cachingOptions.enableCache` on every task of every DAG of an
    /// inline spec (kfp.Client does it on the root DAG's tasks only). Returns
    /// false, changing nothing, for a stored version: the server has no
    /// caching switch for those.
    pub fn set_caching(&mut self, enable: bool) -> bool {
        let Some(spec) = self.spec_mut() else {
            return false;
        };
        let mut dags: Vec<&mut Value> = Vec::new();
        let Value::Object(spec) = spec else {
            return true;
        };
        let (root, components) = split_root_components(spec);
        if let Some(dag) = root.and_then(|r| r.get_mut("dag")) {
            dags.push(dag);
        }
        if let Some(Value::Object(components)) = components {
            dags.extend(components.values_mut().filter_map(|c| c.get_mut("dag")));
        }
        for dag in dags {
            let Some(Value::Object(tasks)) = dag.get_mut("tasks") else {
                continue;
            };
            for task in tasks.values_mut() {
                if let Value::Object(task) = task {
                    let options = task
                        .entry("cachingOptions")
                        .or_insert_with(|| Value::Object(serde_json::Map::new()));
                    if let Value::Object(options) = options {
                        options.insert("enableCache".into(), Value::Bool(enable));
                    }
                }
            }
        }
        true
    }
}

fn split_root_components(
    spec: &mut serde_json::Map<String, Value>,
) -> (Option<&mut Value>, Option<&mut Value>) {
    let mut root = None;
    let mut components = None;
    for (k, v) in spec.iter_mut() {
        match k.as_str() {
            "root" => root = Some(v),
            "components" => components = Some(v),
            _ => {}
        }
    }
    (root, components)
}

fn is_wrapper(v: &Value) -> bool {
    v.get("pipeline_spec").is_some() && v.get("root").is_none()
}

fn is_empty_json(v: &Value) -> bool {
    match v {
        Value::Null => true,
        Value::Object(m) => m.is_empty(),
        _ => false,
    }
}

/// The body of `CreateRun`: only the fields a client may set.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct NewRun {
    /// The run name (required by the server).
    pub display_name: String,
    /// Free text.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// The experiment; required in multi-user mode, else the server's
    /// default experiment is used. The run's namespace is the experiment's.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub experiment_id: Option<String>,
    /// What to run.
    #[serde(flatten)]
    pub pipeline: PipelineSource,
    /// Parameters and pipeline root.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub runtime_config: Option<RuntimeConfig>,
    /// The Kubernetes service account of the run's pods.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub service_account: Option<String>,
}

impl NewRun {
    /// A run of `pipeline` named `display_name`, with nothing else set.
    pub fn new(display_name: impl Into<String>, pipeline: PipelineSource) -> Self {
        Self {
            display_name: display_name.into(),
            description: None,
            experiment_id: None,
            pipeline,
            runtime_config: None,
            service_account: None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn unknown_states_and_fields_are_kept_not_fatal() {
        let run: Run = serde_json::from_value(json!({
            "run_id": "r", "state": "HIBERNATING", "brand_new_field": {"x": 1},
            "run_details": {"pipeline_context_id": "12", "task_details": [{"task_id": "t", "state": 3, "execution_id": "7"}]}
        }))
        .unwrap();
        assert_eq!(run.state, RuntimeState::Unknown("HIBERNATING".into()));
        let details = run.run_details.unwrap();
        assert_eq!(details.pipeline_context_id, Some(12));
        assert_eq!(details.task_details[0].state, RuntimeState::Succeeded);
        assert_eq!(details.task_details[0].execution_id, Some(7));
    }

    #[test]
    fn terminal_states_include_canceled() {
        assert!(RuntimeState::Canceled.is_terminal());
        assert!(RuntimeState::Skipped.is_terminal());
        assert!(!RuntimeState::Canceling.is_terminal());
        assert!(!RuntimeState::Unknown("X".into()).is_terminal());
    }

    #[test]
    fn inline_source_wraps_only_with_a_platform_doc() {
        let spec = json!({"root": {}});
        let bare = PipelineSource::inline(spec.clone(), Some(json!({})));
        assert_eq!(bare, PipelineSource::PipelineSpec(spec.clone()));
        let wrapped = PipelineSource::inline(spec.clone(), Some(json!({"platforms": {}})));
        assert_eq!(
            serde_json::to_value(NewRun::new("r", wrapped)).unwrap(),
            json!({"display_name": "r", "pipeline_spec": {"pipeline_spec": {"root": {}}, "platform_spec": {"platforms": {}}}})
        );
    }

    #[test]
    fn caching_switch_reaches_every_dag_task() {
        let spec = json!({
            "root": {"dag": {"tasks": {"a": {"cachingOptions": {"enableCache": true}}, "b": {}}}},
            "components": {"comp-sub": {"dag": {"tasks": {"c": {}}}}, "comp-x": {"executorLabel": "e"}}
        });
        let mut src = PipelineSource::inline(spec, Some(json!({"platforms": {"kubernetes": {}}})));
        assert!(src.set_caching(false));
        let spec = src.spec().unwrap();
        for path in [
            "/root/dag/tasks/a",
            "/root/dag/tasks/b",
            "/components/comp-sub/dag/tasks/c",
        ] {
            assert_eq!(
                spec.pointer(&format!("{path}/cachingOptions/enableCache")),
                Some(&json!(false)),
                "{path}"
            );
        }
        assert!(!PipelineSource::version("p", None).set_caching(false));
    }

    #[test]
    fn version_reference_leaves_out_an_empty_version() {
        let run = NewRun::new("r", PipelineSource::version("p", None));
        assert_eq!(
            serde_json::to_value(run).unwrap(),
            json!({"display_name": "r", "pipeline_version_reference": {"pipeline_id": "p"}})
        );
    }
}
