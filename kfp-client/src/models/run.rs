//! Runs, their runtime config and their state.

use std::collections::BTreeMap;

use kfp_ir_schema::validate::UncheckedFile;
use kfp_ir_schema::{PipelineFile, PipelineSpec, PlatformSpec, proto_enum};
use serde::{Deserialize, Serialize};
use serde_json::Value;

use super::{Status, StorageState};

proto_enum! {
    /// The state of a run or a task (`v2beta1RuntimeState`).
    pub open enum RuntimeState {
        /// The zero value: the field was not set.
        #[default]
        Unspecified = 0 => "RUNTIME_STATE_UNSPECIFIED",
        /// Waiting to be scheduled.
        Pending = 1 => "PENDING",
        /// Running.
        Running = 2 => "RUNNING",
        /// Finished successfully.
        Succeeded = 3 => "SUCCEEDED",
        /// Skipped (a condition was false, or cached upstream).
        Skipped = 4 => "SKIPPED",
        /// Failed.
        Failed = 5 => "FAILED",
        /// Termination requested.
        Canceling = 6 => "CANCELING",
        /// Terminated.
        Canceled = 7 => "CANCELED",
        /// Paused.
        Paused = 8 => "PAUSED",
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

/// What a run or recurring run executes: an inline pipeline or a stored
/// version.
#[derive(Debug, Clone, PartialEq)]
pub enum PipelineSource {
    /// An inline pipeline, sent as `pipeline_spec`: the spec alone, or with
    /// platform settings the `{pipeline_spec, platform_spec}` wrapper, as
    /// kfp.Client sends them.
    PipelineSpec(Box<PipelineFile>),
    /// An inline pipeline read without its checks (`--no-validate`), sent
    /// as `pipeline_spec` the same way, its documents as they are.
    Unchecked(Box<UncheckedFile>),
    /// A stored pipeline version.
    PipelineVersionReference(PipelineVersionReference),
}

impl PipelineSource {
    /// An inline pipeline.
    pub fn inline(pipeline: PipelineFile) -> Self {
        Self::PipelineSpec(Box::new(pipeline))
    }

    /// A stored version; `None` runs the pipeline's latest version.
    pub fn version(pipeline_id: impl Into<String>, version_id: Option<String>) -> Self {
        Self::PipelineVersionReference(PipelineVersionReference {
            pipeline_id: pipeline_id.into(),
            pipeline_version_id: version_id.unwrap_or_default(),
        })
    }

    /// An inline pipeline read without its checks.
    pub fn unchecked(pipeline: UncheckedFile) -> Self {
        Self::Unchecked(Box::new(pipeline))
    }

    /// The inline pipeline, if this is one that was read as IR.
    pub fn pipeline(&self) -> Option<&PipelineFile> {
        match self {
            Self::PipelineSpec(pipeline) => Some(pipeline),
            Self::Unchecked(_) | Self::PipelineVersionReference(_) => None,
        }
    }

    /// Turns caching on or off for every task of an inline pipeline (see
    /// [`PipelineSpec::set_caching`](kfp_ir_schema::PipelineSpec::set_caching)).
    /// Returns false, changing nothing, for a stored version (the server
    /// has no caching switch for those) and for an unchecked pipeline
    /// (which is sent as it is).
    pub fn set_caching(&mut self, enable: bool) -> bool {
        match self {
            Self::PipelineSpec(pipeline) => {
                pipeline.spec.set_caching(enable);
                true
            }
            Self::Unchecked(_) | Self::PipelineVersionReference(_) => false,
        }
    }
}

impl Serialize for PipelineSource {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        /// The JSON of a [`PipelineSource`]: one key, named by the member
        /// of the request's `oneof pipeline_source`.
        #[derive(Serialize)]
        #[serde(rename_all = "snake_case")]
        enum Wire<'a> {
            PipelineSpec(Inline<'a>),
            PipelineVersionReference(&'a PipelineVersionReference),
        }
        #[derive(Serialize)]
        #[serde(untagged)]
        enum Inline<'a> {
            Spec(&'a PipelineSpec),
            WithPlatform {
                pipeline_spec: &'a PipelineSpec,
                platform_spec: &'a PlatformSpec,
            },
            Unchecked(&'a Value),
            UncheckedWithPlatform {
                pipeline_spec: &'a Value,
                platform_spec: &'a Value,
            },
        }
        let wire = match self {
            Self::PipelineSpec(pipeline) => {
                Wire::PipelineSpec(match pipeline.platform_settings() {
                    Some(platform_spec) => Inline::WithPlatform {
                        pipeline_spec: &pipeline.spec,
                        platform_spec,
                    },
                    None => Inline::Spec(&pipeline.spec),
                })
            }
            Self::Unchecked(pipeline) => Wire::PipelineSpec(match &pipeline.platform {
                Some(platform_spec) => Inline::UncheckedWithPlatform {
                    pipeline_spec: &pipeline.spec,
                    platform_spec,
                },
                None => Inline::Unchecked(&pipeline.spec),
            }),
            Self::PipelineVersionReference(reference) => Wire::PipelineVersionReference(reference),
        };
        wire.serialize(s)
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
    use kfp_ir_schema::ComponentImplementation;
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

    fn inline(spec: Value, platform: Option<Value>) -> PipelineSource {
        PipelineSource::inline(PipelineFile {
            spec: serde_json::from_value(spec).unwrap(),
            platform: platform.map(|p| serde_json::from_value(p).unwrap()),
            description: None,
        })
    }

    #[test]
    fn inline_source_wraps_only_with_platform_settings() {
        let spec = json!({"pipelineInfo": {"name": "p"}, "root": {}});
        for platform in [None, Some(json!({})), Some(json!({"platforms": {}}))] {
            assert_eq!(
                serde_json::to_value(NewRun::new("r", inline(spec.clone(), platform))).unwrap(),
                json!({"display_name": "r", "pipeline_spec": spec})
            );
        }
        let platform = json!({"platforms": {"kubernetes": {}}});
        let wrapped = inline(spec.clone(), Some(platform.clone()));
        assert_eq!(
            serde_json::to_value(NewRun::new("r", wrapped)).unwrap(),
            json!({"display_name": "r", "pipeline_spec": {"pipeline_spec": spec, "platform_spec": platform}})
        );
    }

    #[test]
    fn an_unchecked_source_is_sent_as_it_was_read() {
        let spec = json!({"pipelineInfo": {"name": "p"}, "futureField": {"x": 1}});
        let mut source = PipelineSource::unchecked(UncheckedFile {
            spec: spec.clone(),
            platform: None,
        });
        assert!(!source.set_caching(false), "sent as it is");
        assert!(source.pipeline().is_none());
        assert_eq!(
            serde_json::to_value(NewRun::new("r", source)).unwrap(),
            json!({"display_name": "r", "pipeline_spec": spec})
        );
        let platform = json!({"platforms": {"kubernetes": {}}});
        let source = PipelineSource::unchecked(UncheckedFile {
            spec: spec.clone(),
            platform: Some(platform.clone()),
        });
        assert_eq!(
            serde_json::to_value(NewRun::new("r", source)).unwrap(),
            json!({"display_name": "r", "pipeline_spec": {"pipeline_spec": spec, "platform_spec": platform}})
        );
    }

    #[test]
    fn caching_switch_reaches_every_dag_task() {
        let spec = json!({
            "root": {"dag": {"tasks": {"a": {"cachingOptions": {"enableCache": true, "cacheKey": "k"}}, "b": {}}}},
            "components": {"comp-sub": {"dag": {"tasks": {"c": {}}}}, "comp-x": {"executorLabel": "e"}}
        });
        let mut src = inline(spec, Some(json!({"platforms": {"kubernetes": {}}})));
        for enable in [true, false] {
            assert!(src.set_caching(enable));
            let spec = &src.pipeline().unwrap().spec;
            let dags = spec.root.iter().chain(spec.components.values());
            let mut tasks = 0;
            for component in dags {
                let Some(ComponentImplementation::Dag(dag)) = &component.implementation else {
                    continue;
                };
                for (name, task) in &dag.tasks {
                    let options = task.caching_options.as_ref().unwrap();
                    assert_eq!(options.enable_cache, enable, "{name}");
                    assert_eq!(options.cache_key, if name == "a" { "k" } else { "" });
                    tasks += 1;
                }
            }
            assert_eq!(tasks, 3);
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
