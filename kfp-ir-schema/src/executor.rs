//! The executor protocol: what the KFP launcher hands a component container
//! (`{{$}}`, an [`ExecutorInput`]) and what the container may write back (an
//! [`ExecutorOutput`] at `outputs.outputFile`), from
//! `api/v2alpha1/pipeline_spec.proto`.
//!
//! The conventions are those of [`crate::pipeline_spec`]; a singular message
//! field is an `Option`, so that an empty message (`"metadata": {}`, which
//! the launcher always sends) survives a round trip.
//!
//! What the launcher of KFP 2.17 does with these messages:
//!
//! * it sends `inputs.parameterValues` as `google.protobuf.Value`s (an int may
//!   arrive as `2` or `2.0`, an optional input with no value as `null` or not
//!   at all) and may add output artifacts the component did not declare
//!   (`executor-logs`);
//! * it reads the [`ExecutorOutput`] with `protojson.Unmarshal`, which
//!   rejects unknown keys: everything written here is a field the 2.17
//!   launcher knows, and [`RuntimeArtifact::custom_path`] is written only when
//!   set (older launchers reject it);
//! * a value in [`ExecutorOutput::parameter_values`] wins over the output
//!   parameter's file; a parameter missing from it is read from
//!   `outputs.parameters[name].outputFile`.

use std::collections::BTreeMap;

use schemars::{JsonSchema, Schema};
use serde::{Deserialize, Serialize};

use crate::pipeline_spec::{ArtifactTypeSchema, Struct, Value};
use crate::proto_enum;
use crate::protojson::{self, is_default};

/// `ExecutorInput`: everything a component container is given through the
/// `{{$}}` placeholder: its input values and artifacts, and where to put its
/// outputs.
///
/// ```
/// use kfp_ir_schema::executor::{ExecutorInput, ExecutorOutput};
///
/// let json = r#"{
///   "inputs": {"parameterValues": {"n": 2, "tag": "t1"}},
///   "outputs": {
///     "parameters": {"count": {"outputFile": "/tmp/kfp/outputs/count"}},
///     "artifacts": {"ds": {"artifacts": [{
///       "name": "ds",
///       "type": {"schemaTitle": "system.Dataset", "schemaVersion": "0.0.1"},
///       "uri": "minio://mlpipeline/v2/artifacts/p/run/produce/1/ds",
///       "metadata": {}
///     }]}},
///     "outputFile": "/minio/mlpipeline/v2/artifacts/p/run/produce/1/output_metadata.json"
///   }
/// }"#;
/// let input: ExecutorInput = serde_json::from_str(json).unwrap();
/// let inputs = input.inputs.as_ref().unwrap();
/// assert_eq!(inputs.parameter_values["n"], 2);
/// let outputs = input.outputs.as_ref().unwrap();
/// assert_eq!(outputs.artifacts["ds"].artifacts[0].name, "ds");
///
/// // The answer: output parameters as native JSON, artifacts with metadata.
/// let mut output = ExecutorOutput::default();
/// output.parameter_values.insert("count".into(), serde_json::json!(2));
/// output.artifacts.insert("ds".into(), outputs.artifacts["ds"].clone());
/// let written = serde_json::to_value(&output).unwrap();
/// assert_eq!(written["parameterValues"]["count"], 2);
/// assert!(written["artifacts"]["ds"]["artifacts"][0].get("customPath").is_none());
/// ```
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct ExecutorInput {
    /// The resolved inputs.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub inputs: Option<Inputs>,
    /// Where the outputs go.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub outputs: Option<Outputs>,
}

/// `ExecutorInput.Inputs`: the input values and artifacts of one execution.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Inputs {
    /// Typed input values of schema 2.0.0; deprecated for `parameterValues`.
    #[serde(default, skip_serializing_if = "is_default")]
    pub parameters: BTreeMap<String, Value>,
    /// The input artifacts, by input name.
    #[serde(default, skip_serializing_if = "is_default")]
    pub artifacts: BTreeMap<String, ArtifactList>,
    /// The input parameter values (`google.protobuf.Value`), by input name.
    #[serde(default, skip_serializing_if = "is_default")]
    pub parameter_values: BTreeMap<String, serde_json::Value>,
}

/// `ExecutorInput.OutputParameter`: where to write one output parameter.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct OutputParameter {
    /// The file that receives the value as text, e.g. `/tmp/kfp/outputs/n`.
    #[serde(default, skip_serializing_if = "is_default")]
    pub output_file: String,
}

/// `ExecutorInput.Outputs`: where the outputs of one execution go.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Outputs {
    /// The output parameters' files, by output name.
    #[serde(default, skip_serializing_if = "is_default")]
    pub parameters: BTreeMap<String, OutputParameter>,
    /// The output artifacts to produce (with their URIs), by output name.
    #[serde(default, skip_serializing_if = "is_default")]
    pub artifacts: BTreeMap<String, ArtifactList>,
    /// The path where the component writes its [`ExecutorOutput`].
    #[serde(default, skip_serializing_if = "is_default")]
    pub output_file: String,
}

/// `ExecutorOutput`: what a component writes to `outputs.outputFile`: its
/// output values and the final state of its output artifacts.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct ExecutorOutput {
    /// Typed output values of schema 2.0.0; deprecated for `parameterValues`.
    #[serde(default, skip_serializing_if = "is_default")]
    pub parameters: BTreeMap<String, Value>,
    /// The output artifacts, whose `uri`, `metadata` and `customPath` the
    /// launcher merges into what it records.
    #[serde(default, skip_serializing_if = "is_default")]
    pub artifacts: BTreeMap<String, ArtifactList>,
    /// The output parameter values (`google.protobuf.Value`), by output name.
    #[serde(default, skip_serializing_if = "is_default")]
    pub parameter_values: BTreeMap<String, serde_json::Value>,
}

/// `RuntimeArtifact`: one artifact as an execution sees it: its name, type,
/// remote URI and metadata.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
#[schemars(transform = accept_snake_case_custom_path)]
pub struct RuntimeArtifact {
    /// The artifact's name: the output key for an output artifact.
    #[serde(default, skip_serializing_if = "is_default")]
    pub name: String,
    /// The artifact's type, e.g. `system.Dataset@0.0.1`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub r#type: Option<ArtifactTypeSchema>,
    /// Where the artifact is stored, e.g. `minio://mlpipeline/v2/artifacts/…`.
    #[serde(default, skip_serializing_if = "is_default")]
    pub uri: String,
    /// Typed properties of schema 2.0.0; deprecated for `metadata`.
    #[serde(default, skip_serializing_if = "is_default")]
    pub properties: BTreeMap<String, Value>,
    /// Typed custom properties of schema 2.0.0; deprecated for `metadata`.
    #[serde(default, skip_serializing_if = "is_default")]
    pub custom_properties: BTreeMap<String, Value>,
    /// The artifact's metadata, e.g. logged metrics.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub metadata: Option<Struct>,
    /// A local path that overrides the one derived from the URI (proto3
    /// `optional`, KFP 2.15+). Written only when set, and read from
    /// `customPath` or from `custom_path`, which the Python SDK writes.
    #[serde(
        default,
        alias = "custom_path",
        skip_serializing_if = "Option::is_none"
    )]
    pub custom_path: Option<String>,
}

/// Makes the schema of [`RuntimeArtifact`] accept `custom_path` as serde
/// does (protojson reads a field by its proto name too), but not both keys.
fn accept_snake_case_custom_path(schema: &mut Schema) {
    let Some(properties) = schema
        .get_mut("properties")
        .and_then(serde_json::Value::as_object_mut)
    else {
        return;
    };
    let Some(custom_path) = properties.get("customPath").cloned() else {
        return;
    };
    properties.insert("custom_path".to_owned(), custom_path);
    schema.insert(
        "not".to_owned(),
        serde_json::json!({ "required": ["customPath", "custom_path"] }),
    );
}

/// `ArtifactList`: the artifacts of one input or output (a list for
/// `List[Artifact]` inputs, otherwise one).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct ArtifactList {
    /// The artifacts.
    #[serde(default, skip_serializing_if = "is_default")]
    pub artifacts: Vec<RuntimeArtifact>,
}

/// `PipelineTaskFinalStatus`: the final status of an upstream task, given to
/// an exit task as a `dsl.PipelineTaskFinalStatus` input parameter.
///
/// The backend's driver writes its keys in camelCase; kfp.local writes them
/// in snake_case (`pipeline_job_resource_name`), which kfp's Python
/// executor reads as well, so both are read (protojson reads a field by its
/// proto name too); camelCase is written.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct PipelineTaskFinalStatus {
    /// The task's final state as the backend records it, e.g. `COMPLETE` or
    /// `FAILED`.
    #[serde(default, skip_serializing_if = "is_default")]
    pub state: String,
    /// The error, when the task failed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub error: Option<Status>,
    /// The run's numeric id; deprecated (an int64, written as a string).
    #[serde(
        default,
        alias = "pipeline_job_uuid",
        skip_serializing_if = "is_default",
        with = "protojson::int64"
    )]
    #[schemars(with = "protojson::Int64")]
    pub pipeline_job_uuid: i64,
    /// The run's name; deprecated for `pipelineJobResourceName`.
    #[serde(
        default,
        alias = "pipeline_job_name",
        skip_serializing_if = "is_default"
    )]
    pub pipeline_job_name: String,
    /// The run's resource name (its run id on the KFP backend).
    #[serde(
        default,
        alias = "pipeline_job_resource_name",
        skip_serializing_if = "is_default"
    )]
    pub pipeline_job_resource_name: String,
    /// The name of the task whose status this is.
    #[serde(
        default,
        alias = "pipeline_task_name",
        skip_serializing_if = "is_default"
    )]
    pub pipeline_task_name: String,
}

/// `google.rpc.Status`: an error code, its message and details.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Status {
    /// The `google.rpc.Code` (an int32).
    #[serde(default, skip_serializing_if = "is_default", with = "protojson::int32")]
    #[schemars(with = "protojson::Int32")]
    pub code: i32,
    /// The error message.
    #[serde(default, skip_serializing_if = "is_default")]
    pub message: String,
    /// Details, each a `google.protobuf.Any` in its JSON form (with `@type`).
    #[serde(default, skip_serializing_if = "is_default")]
    pub details: Vec<Struct>,
}

proto_enum! {
    /// `PipelineStateEnum.PipelineTaskState`: the lifecycle state of a task.
    pub enum PipelineTaskState {
        /// The state is not known.
        #[default]
        Unspecified = 0 => "TASK_STATE_UNSPECIFIED",
        /// Waiting to run.
        Pending = 1 => "PENDING",
        /// The driver is running.
        RunningDriver = 2 => "RUNNING_DRIVER",
        /// The driver has finished.
        DriverSucceeded = 3 => "DRIVER_SUCCEEDED",
        /// The executor is running.
        RunningExecutor = 4 => "RUNNING_EXECUTOR",
        /// The task has succeeded.
        Succeeded = 5 => "SUCCEEDED",
        /// A cancellation has been requested.
        CancelPending = 6 => "CANCEL_PENDING",
        /// The task is being cancelled.
        Cancelling = 7 => "CANCELLING",
        /// The task was cancelled.
        Cancelled = 8 => "CANCELLED",
        /// The task has failed.
        Failed = 9 => "FAILED",
        /// The task was skipped, e.g. a cache hit.
        Skipped = 10 => "SKIPPED",
        /// The task is queued.
        Queued = 11 => "QUEUED",
        /// The task's trigger condition was false.
        NotTriggered = 12 => "NOT_TRIGGERED",
        /// The task cannot be scheduled.
        Unschedulable = 13 => "UNSCHEDULABLE",
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;
    use crate::pipeline_spec::ArtifactTypeKind;

    /// `remote_uri` undoes `local_path` for every mounted storage, and
    /// leaves a path no storage is mounted at as it is.
    #[test]
    fn remote_uris_and_local_paths_are_inverses() {
        for (uri, path) in [
            ("gs://b/run/task/model", "/gcs/b/run/task/model"),
            (
                "minio://mlpipeline/v2/artifacts/p",
                "/minio/mlpipeline/v2/artifacts/p",
            ),
            ("s3://bucket/k", "/s3/bucket/k"),
            (
                "oci://registry.example.com/org/llm:v1",
                "/oci/registry.example.com_org_llm:v1/models",
            ),
            (
                "/tmp/kfp-local/runs/7/train/model",
                "/tmp/kfp-local/runs/7/train/model",
            ),
        ] {
            assert_eq!(
                local_path(uri).unwrap(),
                std::path::Path::new(path),
                "{uri}"
            );
            assert_eq!(remote_uri(path), uri, "{path}");
        }
        // kfp's rule reads every `_` of an OCI path as `/`, and a path
        // under no mount is left alone, even one that looks like a mount.
        assert_eq!(remote_uri("/oci/r_my_model:1/models"), "oci://r/my/model:1");
        assert_eq!(remote_uri("/gcsx/b"), "/gcsx/b");
        assert_eq!(remote_uri("relative/p"), "relative/p");
    }

    /// Reads `value` as a `T`, writes it back and checks the JSON is the same.
    fn round_trip<T>(value: serde_json::Value) -> T
    where
        T: Serialize + for<'de> Deserialize<'de>,
    {
        let parsed: T = serde_json::from_value(value.clone())
            .unwrap_or_else(|e| panic!("{value} did not parse: {e}"));
        assert_eq!(serde_json::to_value(&parsed).unwrap(), value);
        parsed
    }

    /// The `{{$}}` of `produce` in the reference's `kfp.local` capture (§3.2).
    fn produce_input() -> serde_json::Value {
        json!({
            "inputs": {"parameterValues": {"tag": "t1", "n": 2}},
            "outputs": {
                "parameters": {
                    "cfg": {"outputFile": "<root>/produce/cfg"},
                    "count": {"outputFile": "<root>/produce/count"},
                    "note": {"outputFile": "<root>/produce/note"}
                },
                "artifacts": {
                    "ds": {"artifacts": [{"name": "ds", "type": {"schemaTitle": "system.Dataset", "schemaVersion": "0.0.1"}, "uri": "<root>/produce/ds", "metadata": {}}]},
                    "m": {"artifacts": [{"name": "m", "type": {"schemaTitle": "system.Metrics", "schemaVersion": "0.0.1"}, "uri": "<root>/produce/m", "metadata": {}}]}
                },
                "outputFile": "<root>/produce/executor_output.json"
            }
        })
    }

    #[test]
    fn the_reference_executor_input_round_trips() {
        let input: ExecutorInput = round_trip(produce_input());
        let inputs = input.inputs.unwrap();
        assert_eq!(inputs.parameter_values["n"], json!(2));
        assert_eq!(inputs.parameter_values["tag"], json!("t1"));
        let outputs = input.outputs.unwrap();
        assert_eq!(
            outputs.parameters["note"].output_file,
            "<root>/produce/note"
        );
        assert_eq!(outputs.output_file, "<root>/produce/executor_output.json");
        let ds = &outputs.artifacts["ds"].artifacts[0];
        assert_eq!(
            ds.r#type.as_ref().unwrap().kind,
            Some(ArtifactTypeKind::SchemaTitle("system.Dataset".into()))
        );
        assert_eq!(ds.metadata, Some(Struct::new()));
        assert_eq!(ds.custom_path, None);
    }

    #[test]
    fn a_downstream_input_with_artifacts_and_null_parameters_round_trips() {
        let input: ExecutorInput = round_trip(json!({
            "inputs": {
                "artifacts": {"ds": {"artifacts": [{
                    "name": "ds",
                    "type": {"schemaTitle": "system.Dataset", "schemaVersion": "0.0.1"},
                    "uri": ".../produce/ds",
                    "metadata": {"rows": 2.0}
                }]}},
                "parameterValues": {"count": 2.0, "flag": true, "maybe": null},
                "parameters": {"legacy": {"intValue": "3"}}
            }
        }));
        let inputs = input.inputs.unwrap();
        assert_eq!(inputs.parameter_values["maybe"], serde_json::Value::Null);
        assert_eq!(inputs.parameters["legacy"], Value::IntValue(3));
    }

    #[test]
    fn the_reference_executor_output_round_trips() {
        let output: ExecutorOutput = round_trip(json!({
            "parameterValues": {"count": 2, "cfg": {"a": 1}},
            "artifacts": {
                "ds": {"artifacts": [{"name": "ds", "uri": ".../produce/ds", "metadata": {"rows": 2}}]},
                "m": {"artifacts": [{"name": "m", "uri": ".../produce/m", "metadata": {"acc": 0.9}}]}
            }
        }));
        assert_eq!(output.parameter_values["cfg"], json!({"a": 1}));
        // The file is written even when there is nothing to say.
        assert_eq!(
            serde_json::to_string(&ExecutorOutput::default()).unwrap(),
            "{}"
        );
    }

    #[test]
    fn custom_path_is_written_only_when_set_and_read_in_either_case() {
        let mut artifact = RuntimeArtifact {
            name: "model".into(),
            uri: "minio://b/model".into(),
            ..Default::default()
        };
        assert_eq!(
            serde_json::to_value(&artifact).unwrap(),
            json!({"name": "model", "uri": "minio://b/model"})
        );
        artifact.custom_path = Some("/data/model".into());
        assert_eq!(
            serde_json::to_value(&artifact).unwrap()["customPath"],
            "/data/model"
        );
        // What the Python SDK writes.
        let read: RuntimeArtifact = serde_json::from_value(
            json!({"name": "model", "uri": "minio://b/model", "custom_path": "/data/model"}),
        )
        .unwrap();
        assert_eq!(read, artifact);
        assert!(
            serde_json::from_value::<RuntimeArtifact>(
                json!({"customPath": "/a", "custom_path": "/b"})
            )
            .is_err()
        );
    }

    #[test]
    fn unknown_fields_are_rejected_at_any_depth() {
        let mut input = produce_input();
        input["outputs"]["artifacts"]["ds"]["artifacts"][0]["type"]["bogus"] = json!(1);
        let err = serde_path_to_error::deserialize::<_, ExecutorInput>(input).unwrap_err();
        assert_eq!(
            err.path().to_string(),
            "outputs.artifacts.ds.artifacts[0].type.bogus"
        );

        let mut input = produce_input();
        input["outputs"]["parameters"]["cfg"]["path"] = json!("/x");
        assert!(serde_json::from_value::<ExecutorInput>(input).is_err());

        let err = serde_path_to_error::deserialize::<_, ExecutorOutput>(
            json!({"artifacts": {"m": {"artifacts": [{"name": "m", "path": "/x"}]}}}),
        )
        .unwrap_err();
        assert_eq!(err.path().to_string(), "artifacts.m.artifacts[0].path");
        assert!(serde_json::from_value::<ExecutorOutput>(json!({"outputs": {}})).is_err());
    }

    #[test]
    fn task_final_status_reads_what_the_driver_sends() {
        let status: PipelineTaskFinalStatus = serde_json::from_value(json!({
            "state": "FAILED",
            "pipelineJobResourceName": "run-1",
            "pipelineTaskName": "train",
            "error": {"code": 2.0, "message": "boom", "details": [{"@type": "type.googleapis.com/x", "a": 1}]}
        }))
        .unwrap();
        let error = status.error.as_ref().unwrap();
        assert_eq!((error.code, error.message.as_str()), (2, "boom"));
        assert_eq!(error.details[0]["@type"], "type.googleapis.com/x");
        assert_eq!(
            serde_json::to_value(&status).unwrap(),
            json!({
                "state": "FAILED",
                "pipelineJobResourceName": "run-1",
                "pipelineTaskName": "train",
                "error": {"code": 2, "message": "boom", "details": [{"@type": "type.googleapis.com/x", "a": 1}]}
            })
        );
        let legacy: PipelineTaskFinalStatus =
            round_trip(json!({"pipelineJobUuid": "42", "pipelineJobName": "old"}));
        assert_eq!(legacy.pipeline_job_uuid, 42);
    }

    /// What kfp.local sends an exit task (`orchestrator_utils.py`).
    #[test]
    fn task_final_status_reads_what_kfp_local_sends() {
        let status: PipelineTaskFinalStatus = serde_json::from_value(json!({
            "state": "FAILED",
            "pipeline_job_resource_name": "local-pipeline-exit-handler-1",
            "pipeline_task_name": "exit-handler-1",
            "error": {"code": 1, "message": "Task exit-handler-1 failed."}
        }))
        .unwrap();
        assert_eq!(
            status.pipeline_job_resource_name,
            "local-pipeline-exit-handler-1"
        );
        assert_eq!(status.pipeline_task_name, "exit-handler-1");
        assert_eq!(
            serde_json::to_value(&status).unwrap()["pipelineTaskName"],
            "exit-handler-1"
        );
    }

    #[test]
    fn task_states_read_names_and_numbers() {
        assert_eq!(PipelineTaskState::ALL.len(), 14);
        for state in PipelineTaskState::ALL {
            let name = serde_json::to_value(state).unwrap();
            assert_eq!(
                serde_json::from_value::<PipelineTaskState>(name).unwrap(),
                *state
            );
            assert_eq!(
                serde_json::from_value::<PipelineTaskState>(json!(state.number())).unwrap(),
                *state
            );
        }
        assert_eq!(
            PipelineTaskState::from_name("NOT_TRIGGERED"),
            Some(PipelineTaskState::NotTriggered)
        );
        assert!(serde_json::from_value::<PipelineTaskState>(json!("DONE")).is_err());
    }

    #[test]
    fn schema_accepts_either_custom_path_key_but_not_both() {
        let schema = serde_json::to_value(schemars::schema_for!(RuntimeArtifact)).unwrap();
        assert!(schema["properties"]["custom_path"].is_object());
        assert_eq!(
            schema["not"],
            json!({"required": ["customPath", "custom_path"]})
        );
        assert_eq!(schema["additionalProperties"], json!(false));
    }
}

/// Why an artifact URI has no local path.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum UriError {
    /// A scheme the KFP launcher does not map.
    #[error(
        "artifact URI `{0}` has a storage scheme KFP cannot mount (expected gs://, s3://, minio://, oci://, file:// or an absolute path)"
    )]
    UnsupportedScheme(String),
    /// A `..` segment, which would leave the storage's mount.
    #[error("artifact URI `{0}` has a `..` segment; KFP paths never go up")]
    Traversal(String),
    /// An `oci://` URI, which the pipeline workspace does not take
    /// ([`workspace::artifact_path`](crate::workspace::artifact_path)).
    #[error("artifact URI `{0}` is an OCI image, which the workspace does not take")]
    OciInWorkspace(String),
}

/// The local path of an artifact URI, as the KFP launcher mounts object
/// storage (`LocalPathForURI`): `gs://b/p` → `/gcs/b/p`, `s3://b/p` →
/// `/s3/b/p`, `minio://b/p` → `/minio/b/p`, `oci://reg/repo:tag` →
/// `/oci/reg_repo:tag/models`. A local run's artifacts are files: an
/// absolute path (kfp.local's URIs) is its own path, and so is a
/// `file://` URI's.
///
/// An artifact's `custom_path`, when set, takes the place of this path;
/// that is the caller's to check.
///
/// ```
/// use std::path::Path;
/// use kfp_ir_schema::executor::{local_path, UriError};
///
/// assert_eq!(local_path("gs://b/a/m").unwrap(), Path::new("/gcs/b/a/m"));
/// assert_eq!(local_path("oci://ghcr.io/acme/m:1").unwrap(), Path::new("/oci/ghcr.io_acme_m:1/models"));
/// assert_eq!(local_path("file:///data/x.csv").unwrap(), Path::new("/data/x.csv"));
/// assert_eq!(local_path("/tmp/run/ds").unwrap(), Path::new("/tmp/run/ds"));
/// assert!(matches!(local_path("http://x/y"), Err(UriError::UnsupportedScheme(_))));
/// assert!(matches!(local_path("gs://b/../../etc/passwd"), Err(UriError::Traversal(_))));
/// ```
///
/// # Errors
/// A scheme the launcher does not map, or a `..` segment.
pub fn local_path(uri: &str) -> Result<std::path::PathBuf, UriError> {
    let path = if let Some(rest) = uri.strip_prefix("oci://") {
        format!("/oci/{}/models", rest.replace('/', "_"))
    } else if let Some(rest) = uri.strip_prefix("file://") {
        rest.to_owned()
    } else if let Some((root, rest)) = [
        ("gs://", "/gcs/"),
        ("s3://", "/s3/"),
        ("minio://", "/minio/"),
    ]
    .into_iter()
    .find_map(|(scheme, root)| uri.strip_prefix(scheme).map(|rest| (root, rest)))
    {
        format!("{root}{rest}")
    } else if uri.starts_with('/') {
        uri.to_owned()
    } else {
        return Err(UriError::UnsupportedScheme(uri.to_owned()));
    };
    if path.split('/').any(|segment| segment == "..") {
        return Err(UriError::Traversal(uri.to_owned()));
    }
    Ok(path.into())
}

/// The remote URI of a local path, the inverse of [`local_path`] (kfp's
/// `convert_local_path_to_remote_path`, which `dsl.get_uri` applies to the
/// task root): `/gcs/b/p` → `gs://b/p`, `/minio/b/p` → `minio://b/p`,
/// `/s3/b/p` → `s3://b/p`, `/oci/reg_repo:tag/models` → `oci://reg/repo:tag`
/// (every `_` read back as `/`, as kfp reads it); any other path, such as a
/// local run's, is its own URI.
///
/// ```
/// use kfp_ir_schema::executor::{local_path, remote_uri};
///
/// assert_eq!(remote_uri("/gcs/b/run/task/model"), "gs://b/run/task/model");
/// assert_eq!(remote_uri("/minio/mlpipeline/v2/x"), "minio://mlpipeline/v2/x");
/// assert_eq!(remote_uri("/tmp/kfp-local/runs/1/task/Output"), "/tmp/kfp-local/runs/1/task/Output");
/// let uri = "s3://bucket/run/task/data";
/// assert_eq!(remote_uri(local_path(uri).unwrap().to_str().unwrap()), uri);
/// ```
pub fn remote_uri(path: &str) -> String {
    if let Some(rest) = path.strip_prefix("/oci/") {
        let rest = rest.replace('_', "/");
        let rest = rest.strip_suffix("/models").unwrap_or(&rest);
        return format!("oci://{rest}");
    }
    [
        ("/gcs/", "gs://"),
        ("/minio/", "minio://"),
        ("/s3/", "s3://"),
    ]
    .into_iter()
    .find_map(|(root, scheme)| {
        path.strip_prefix(root)
            .map(|rest| format!("{scheme}{rest}"))
    })
    .unwrap_or_else(|| path.to_owned())
}
