//! Resolving a task's inputs, as the KFP driver does (`resolveInputs`):
//! from constants, the enclosing DAG's inputs (pipeline inputs and the
//! `pipelinechannel--` inputs of groups), the outputs of upstream tasks of
//! the same DAG, and final statuses; then expression selectors, defaults,
//! and the type check that turns any value given to a `STRING` input into
//! its text.
//!
//! Deliberate differences from the backend, each a fix of a known gap:
//! * an f-string constant (`"{{$.inputs.parameters['pipelinechannel--x']}}-a"`)
//!   is resolved against the task's other inputs before the task runs, as
//!   kfp.local does, so a component reading it from `{{$}}` sees the text;
//! * a value given to an integer input must be a whole number, the rule of
//!   [`ParameterType::accepts`] that every part of kfp-rs follows.

use std::collections::BTreeMap;

use kfp_ir_schema::executor::RuntimeArtifact;
use kfp_ir_schema::{
    ComponentImplementation, ComponentSpec, InputArtifactSpec, InputParameterKind, ParameterType,
    PipelineTaskSpec, TaskIterator, TriggerStrategy, ValueOrRuntimeParameter,
};
use serde_json::Value;

use super::Values;
use super::cel::{self, CelError};
use super::value_text;
use crate::state::TaskState;
use kfp_ir_schema::placeholder::{self, Placeholder};

/// What the driver knows of a run: its names, ids and times.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct RunInfo {
    /// The run's id (`{{$.pipeline_job_uuid}}`).
    pub run_id: String,
    /// The run's display name (`{{$.pipeline_job_name}}`).
    pub run_name: String,
    /// The run's resource name (`{{$.pipeline_job_resource_name}}`).
    pub resource_name: String,
    /// When the run was created, RFC 3339 in UTC
    /// (`{{$.pipeline_job_create_time_utc}}`).
    pub create_time: String,
    /// When the run was scheduled; for a local run, when it was created
    /// (`{{$.pipeline_job_schedule_time_utc}}`).
    pub schedule_time: String,
    /// The folder `{{$.workspace_path}}` stands for.
    pub workspace_path: String,
    /// The pipeline root (`{{$.pipeline_root}}`, which kfp.local resolves
    /// in a command line).
    pub pipeline_root: String,
}

/// An upstream task of the same DAG, once it has ended.
#[derive(Clone, Copy, Debug)]
pub struct Upstream<'a> {
    /// How it ended.
    pub state: TaskState,
    /// What it produced (nothing unless it succeeded or was cached).
    pub outputs: &'a Values,
}

/// The tasks of the DAG that have ended, by task name.
pub trait UpstreamTasks {
    /// The task named `name`, when it has ended.
    fn get(&self, name: &str) -> Option<Upstream<'_>>;
}

impl UpstreamTasks for BTreeMap<String, (TaskState, Values)> {
    fn get(&self, name: &str) -> Option<Upstream<'_>> {
        BTreeMap::get(self, name).map(|(state, outputs)| Upstream {
            state: *state,
            outputs,
        })
    }
}

/// The task being resolved.
#[derive(Clone, Copy, Debug)]
pub struct Task<'a> {
    /// Its key in the DAG.
    pub name: &'a str,
    /// Its spec.
    pub spec: &'a PipelineTaskSpec,
    /// The component it runs.
    pub component: &'a ComponentSpec,
}

/// Why a task's inputs could not be resolved. Each names the input.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum ResolveError {
    /// The enclosing DAG has no such input.
    #[error("input `{input}`: the enclosing DAG has no input `{parent_input}`")]
    NoParentInput {
        /// The task's input.
        input: String,
        /// The DAG input it reads.
        parent_input: String,
    },
    /// The producing task is not an upstream task that has ended.
    #[error(
        "input `{input}`: task `{producer}` has not run before this task (is it in `dependentTasks`?)"
    )]
    ProducerNotRun {
        /// The task's input.
        input: String,
        /// The producer.
        producer: String,
    },
    /// The producer ended without the output.
    #[error("input `{input}`: task `{producer}` {} output `{output}`", match state {
        TaskState::Succeeded | TaskState::Cached => "has no",
        TaskState::Skipped => "was skipped, so it produced no",
        _ => "did not succeed, so it produced no",
    })]
    NoOutput {
        /// The task's input.
        input: String,
        /// The producer.
        producer: String,
        /// Its state.
        state: TaskState,
        /// The output.
        output: String,
    },
    /// A required input has no value and no default.
    #[error("input `{input}` has no value and no default")]
    Missing {
        /// The input.
        input: String,
    },
    /// The value is not of the input's type.
    #[error("input `{input}`: {error}")]
    WrongType {
        /// The input.
        input: String,
        /// What is wrong.
        error: kfp_ir_schema::parameter::ValueError,
    },
    /// A selector or a condition failed.
    #[error("input `{input}`: {error}")]
    Selector {
        /// The input.
        input: String,
        /// What CEL said.
        error: CelError,
    },
    /// Something the IR says that the runner does not take.
    #[error("input `{input}`: {message}")]
    Unsupported {
        /// The input.
        input: String,
        /// What it is.
        message: String,
    },
}

/// The tasks of the same DAG that `task` waits for: its `dependentTasks`
/// and, as the KFP backend's compiler adds them (`addImplicitDependencies`),
/// the producers of its task-output inputs, which the SDK does not always
/// list (a resource setting read from a task output adds none). A name may
/// come more than once.
pub fn upstream_tasks(task: &PipelineTaskSpec) -> impl Iterator<Item = &str> {
    let inputs = task.inputs.as_ref();
    let parameters = inputs
        .into_iter()
        .flat_map(|i| i.parameters.values())
        .filter_map(|p| match &p.kind {
            Some(InputParameterKind::TaskOutputParameter(out)) => Some(out.producer_task.as_str()),
            _ => None,
        });
    let artifacts = inputs
        .into_iter()
        .flat_map(|i| i.artifacts.values())
        .filter_map(|a| match a {
            InputArtifactSpec::TaskOutputArtifact(out) => Some(out.producer_task.as_str()),
            InputArtifactSpec::ComponentInputArtifact(_) => None,
        });
    task.dependent_tasks
        .iter()
        .map(|t| t.as_str())
        .chain(parameters)
        .chain(artifacts)
}

/// Resolves a task's inputs in the DAG whose own inputs are `dag_inputs`.
///
/// The result holds every input the task gives, checked against the
/// component's declarations, plus the defaults of inputs it leaves out (the
/// launcher adds those for a container; a DAG driver for a sub-DAG). An
/// optional input of a sub-DAG with neither is `null`, as the driver sets
/// it. A looped task's item input is left out; each iteration adds it.
///
/// # Errors
/// The first input that cannot be resolved, naming it.
pub fn resolve_inputs(
    task: Task<'_>,
    dag_inputs: &Values,
    upstream: &dyn UpstreamTasks,
    run: &RunInfo,
) -> Result<Values, ResolveError> {
    let mut values = Values::default();
    let lenient = task
        .spec
        .trigger_policy
        .as_ref()
        .is_some_and(|t| t.strategy == TriggerStrategy::AllUpstreamTasksCompleted);
    let inputs = task.spec.inputs.as_ref();
    for (name, spec) in inputs.iter().flat_map(|i| i.parameters.iter()) {
        let declared = declared_type(task.component, name);
        if declared == Some(ParameterType::TaskConfig) {
            continue; // filled in by the backend from the pod's configuration
        }
        let value = match &spec.kind {
            None => None,
            Some(kind) => parameter(name, kind, task, dag_inputs, upstream, run, lenient)?,
        };
        let Some(mut value) = value else { continue };
        if !spec.parameter_expression_selector.is_empty() {
            value = cel::select(&spec.parameter_expression_selector, &value).map_err(|error| {
                ResolveError::Selector {
                    input: name.to_string(),
                    error,
                }
            })?;
        }
        values.parameters.insert(name.to_string(), value);
    }
    for (name, spec) in inputs.iter().flat_map(|i| i.artifacts.iter()) {
        if let Some(list) = artifact(name, spec, dag_inputs, upstream, lenient)? {
            values.artifacts.insert(name.to_string(), list);
        }
    }
    resolve_f_strings(&mut values.parameters);
    complete(task, &mut values)?;
    Ok(values)
}

fn declared_type(component: &ComponentSpec, input: &str) -> Option<ParameterType> {
    component
        .input_definitions
        .as_ref()?
        .parameters
        .get(input)
        .map(|p| p.value_type())
}

/// One input parameter's value, `None` when it has none (an optional input
/// left null, or a producer that did not run under
/// `ALL_UPSTREAM_TASKS_COMPLETED`).
fn parameter(
    name: &str,
    kind: &InputParameterKind,
    task: Task<'_>,
    dag_inputs: &Values,
    upstream: &dyn UpstreamTasks,
    run: &RunInfo,
    lenient: bool,
) -> Result<Option<Value>, ResolveError> {
    match kind {
        InputParameterKind::ComponentInputParameter(parent) => {
            match dag_inputs.parameters.get(parent.as_str()) {
                Some(Value::Null) | None if optional(task.component, name) => Ok(None),
                Some(Value::Null) => Err(ResolveError::Missing {
                    input: name.to_owned(),
                }),
                Some(v) => Ok(Some(v.clone())),
                None => Err(ResolveError::NoParentInput {
                    input: name.to_owned(),
                    parent_input: parent.to_string(),
                }),
            }
        }
        InputParameterKind::TaskOutputParameter(out) => {
            let from = output(name, &out.producer_task, upstream)?;
            match from
                .outputs
                .parameters
                .get(out.output_parameter_key.as_str())
            {
                Some(v) => Ok(Some(v.clone())),
                None if lenient
                    || !from.state.produced_outputs() && optional(task.component, name) =>
                {
                    Ok(None)
                }
                None => Err(ResolveError::NoOutput {
                    input: name.to_owned(),
                    producer: out.producer_task.to_string(),
                    state: from.state,
                    output: out.output_parameter_key.to_string(),
                }),
            }
        }
        InputParameterKind::RuntimeValue(ValueOrRuntimeParameter::Constant(value)) => {
            Ok(Some(runtime_constant(value, task.name, run)))
        }
        InputParameterKind::RuntimeValue(_) => Err(ResolveError::Unsupported {
            input: name.to_owned(),
            message: "a runtime parameter of schema 2.0.0 is not supported; compile with kfp 2"
                .into(),
        }),
        InputParameterKind::TaskFinalStatus(status) => {
            let producer = status.producer_task.as_str();
            let from = upstream
                .get(producer)
                .ok_or_else(|| ResolveError::ProducerNotRun {
                    input: name.to_owned(),
                    producer: producer.to_owned(),
                })?;
            Ok(Some(serde_json::json!({
                "state": from.state.mlmd_state(),
                "pipelineJobResourceName": run.resource_name,
                "pipelineTaskName": producer,
                "error": {},
            })))
        }
    }
}

fn output<'a>(
    input: &str,
    producer: &str,
    upstream: &'a dyn UpstreamTasks,
) -> Result<Upstream<'a>, ResolveError> {
    upstream
        .get(producer)
        .ok_or_else(|| ResolveError::ProducerNotRun {
            input: input.to_owned(),
            producer: producer.to_owned(),
        })
}

fn optional(component: &ComponentSpec, input: &str) -> bool {
    component
        .input_definitions
        .as_ref()
        .and_then(|d| d.parameters.get(input))
        .is_some_and(|p| p.may_be_left_out())
}

fn artifact(
    name: &str,
    spec: &InputArtifactSpec,
    dag_inputs: &Values,
    upstream: &dyn UpstreamTasks,
    lenient: bool,
) -> Result<Option<Vec<RuntimeArtifact>>, ResolveError> {
    match spec {
        InputArtifactSpec::ComponentInputArtifact(parent) => {
            Ok(dag_inputs.artifacts.get(parent.as_str()).cloned())
        }
        InputArtifactSpec::TaskOutputArtifact(out) => {
            let from = output(name, &out.producer_task, upstream)?;
            match from.outputs.artifacts.get(out.output_artifact_key.as_str()) {
                Some(list) => Ok(Some(list.clone())),
                None if lenient || !from.state.produced_outputs() => Ok(None),
                None => Err(ResolveError::NoOutput {
                    input: name.to_owned(),
                    producer: out.producer_task.to_string(),
                    state: from.state,
                    output: out.output_artifact_key.to_string(),
                }),
            }
        }
    }
}

/// A constant as the driver gives it: KFP's runtime placeholders are
/// replaced when they are the whole value, `{{$.workspace_path}}` anywhere
/// in it.
fn runtime_constant(value: &Value, task_name: &str, run: &RunInfo) -> Value {
    let Some(text) = value.as_str() else {
        return value.clone();
    };
    if text.contains(placeholder::WORKSPACE_PATH) {
        return Value::String(text.replace(placeholder::WORKSPACE_PATH, &run.workspace_path));
    }
    match placeholder::parse(text) {
        Some(Placeholder::Runtime(name)) if name != "pipeline_root" => run
            .runtime_value(&name, task_name)
            .map_or_else(|| value.clone(), Value::String),
        _ => value.clone(),
    }
}

impl RunInfo {
    /// The value of the runtime placeholder `{{$.<name>}}` in task
    /// `task_name` (`pipeline_job_name`, `pipeline_task_uuid`, ...), if it
    /// is one.
    pub fn runtime_value(&self, name: &str, task_name: &str) -> Option<String> {
        Some(match name {
            "pipeline_job_name" => self.run_name.clone(),
            "pipeline_job_resource_name" => self.resource_name.clone(),
            "pipeline_job_uuid" => self.run_id.clone(),
            "pipeline_task_name" => task_name.to_owned(),
            "pipeline_task_uuid" => task_uuid(&self.run_id, task_name),
            "pipeline_job_create_time_utc" => self.create_time.clone(),
            "pipeline_job_schedule_time_utc" => self.schedule_time.clone(),
            "workspace_path" => self.workspace_path.clone(),
            "pipeline_root" => self.pipeline_root.clone(),
            _ => return None,
        })
    }
}

/// A task's id within a run, stable for the task's name (the backend
/// gives its execution id in ML Metadata).
fn task_uuid(run_id: &str, task_name: &str) -> String {
    use sha2::Digest;
    let digest = sha2::Sha256::digest(format!("{run_id}/{task_name}").as_bytes());
    super::cache::hex(&digest[..8])
}

/// Replaces `{{$.inputs.parameters['x']}}` inside string values with the
/// text of input `x` of the same task (one pass: a value is not resolved
/// again).
fn resolve_f_strings(parameters: &mut BTreeMap<String, Value>) {
    let snapshot = parameters.clone();
    for value in parameters.values_mut() {
        let Value::String(text) = value else { continue };
        if !text.contains("{{$.inputs.parameters['") {
            continue;
        }
        let mut resolved = text.clone();
        for (name, other) in &snapshot {
            let placeholder = kfp_ir_schema::placeholder::input_parameter(name);
            if resolved.contains(&placeholder) {
                resolved = resolved.replace(&placeholder, &value_text::text(other));
            }
        }
        *text = resolved;
    }
}

/// Checks the values against the component's declarations and adds the
/// defaults, as the driver's type check and the launcher's
/// `addDefaultParams` do.
fn complete(task: Task<'_>, values: &mut Values) -> Result<(), ResolveError> {
    let Some(definitions) = task.component.input_definitions.as_ref() else {
        return Ok(());
    };
    let is_dag = matches!(
        task.component.implementation,
        Some(ComponentImplementation::Dag(_))
    );
    let item_input = match &task.spec.iterator {
        Some(TaskIterator::ParameterIterator(it)) => Some(it.item_input.as_str()),
        Some(TaskIterator::ArtifactIterator(it)) => Some(it.item_input.as_str()),
        None => None,
    };
    for (name, spec) in definitions.parameters.iter() {
        if Some(name.as_str()) == item_input {
            continue; // each iteration gives it
        }
        let ty = spec.value_type();
        match values.parameters.get_mut(name.as_str()) {
            Some(value)
                if ty == ParameterType::String && !value.is_string() && !value.is_null() =>
            {
                *value = Value::String(value_text::text(value));
            }
            Some(Value::Null) if is_dag && spec.is_optional => {}
            Some(value) => ty.accepts(value).map_err(|error| ResolveError::WrongType {
                input: name.to_string(),
                error,
            })?,
            None => match &spec.default_value {
                Some(default) if !default.is_null() => {
                    values.parameters.insert(name.to_string(), default.clone());
                }
                _ if matches!(ty, ParameterType::TaskConfig) => {}
                _ if spec.is_optional && is_dag => {
                    values.parameters.insert(name.to_string(), Value::Null);
                }
                _ if spec.is_optional => {}
                _ => {
                    return Err(ResolveError::Missing {
                        input: name.to_string(),
                    });
                }
            },
        }
    }
    for (name, spec) in definitions.artifacts.iter() {
        if Some(name.as_str()) == item_input || values.artifacts.contains_key(name.as_str()) {
            continue;
        }
        if !spec.is_optional {
            return Err(ResolveError::Missing {
                input: name.to_string(),
            });
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests;
