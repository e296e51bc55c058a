//! What can go wrong when a pipeline graph is compiled.

use kfp_ir_schema::parameter::ValueError;
use kfp_ir_schema::workspace::SizeError;

use crate::graph::{ParameterType, TaskId};
use crate::placeholders::PlaceholderError;

/// Why a [`Pipeline`](crate::graph::Pipeline) cannot be compiled. Each
/// error names the pipeline and, where there is one, the task (by its kfp
/// task name) and the input or setting at fault.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum CompileError {
    /// The pipeline name is not a valid kfp pipeline name, even after kfp's
    /// renaming.
    #[error(
        "invalid pipeline name `{name}`: after kfp's renaming it is `{renamed}`, which does not match ^[a-z0-9][a-z0-9-]{{0,127}}$"
    )]
    InvalidPipelineName {
        /// The name as given.
        name: String,
        /// The name after `maybe_rename_for_k8s`.
        renamed: String,
    },
    /// The pipeline has no task (kfp: "Task is missing from pipeline.").
    #[error("pipeline `{pipeline}` has no tasks")]
    EmptyPipeline {
        /// The pipeline.
        pipeline: String,
    },
    /// A task calls a component id that its pipeline did not issue.
    #[error(
        "pipeline `{pipeline}`: task #{index} calls component #{component}, which is not in the pipeline"
    )]
    UnknownComponent {
        /// The pipeline.
        pipeline: String,
        /// The task's index in the pipeline.
        index: usize,
        /// The unknown component index.
        component: usize,
    },
    /// A pipeline input is declared wrongly.
    #[error("pipeline `{pipeline}`, input `{input}`: {reason}")]
    PipelineInput {
        /// The pipeline.
        pipeline: String,
        /// The input.
        input: String,
        /// What is wrong.
        reason: String,
    },
    /// A pipeline output is wired wrongly.
    #[error("pipeline `{pipeline}`, output `{output}`: {reason}")]
    PipelineOutput {
        /// The pipeline.
        pipeline: String,
        /// The output.
        output: String,
        /// What is wrong.
        reason: String,
    },
    /// A component declaration is wrong.
    #[error("component `{component}`: {reason}")]
    Component {
        /// The component.
        component: String,
        /// What is wrong.
        reason: String,
    },
    /// A container placeholder cannot be written.
    #[error("component `{component}`: {source}")]
    Placeholder {
        /// The component.
        component: String,
        /// What is wrong.
        source: PlaceholderError,
    },
    /// A task is wired or configured wrongly.
    #[error("pipeline `{pipeline}`, task `{task}`: {error}")]
    Task {
        /// The pipeline.
        pipeline: String,
        /// The task's name (its key in the DAG).
        task: String,
        /// What is wrong (boxed to keep the error small).
        error: Box<TaskError>,
    },
    /// The pipeline's workspace is set wrongly, or used and not set.
    #[error("pipeline `{pipeline}`: {error}")]
    Workspace {
        /// The pipeline.
        pipeline: String,
        /// What is wrong.
        error: WorkspaceError,
    },
    /// A number of seconds of the pipeline's config that the IR cannot hold
    /// (kfp's message).
    #[error(
        "pipeline `{pipeline}`: {setting} must not exceed the int32 maximum (2147483647). Got: {value}"
    )]
    ConfigSeconds {
        /// The pipeline.
        pipeline: String,
        /// The setting, as kfp names it (`active_deadline_seconds`).
        setting: &'static str,
        /// The number given.
        value: u32,
    },
}

/// What is wrong with a pipeline's workspace (kfp's
/// `dsl.PipelineConfig(workspace=...)`).
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum WorkspaceError {
    /// A size kfp refuses.
    #[error(transparent)]
    Size(#[from] SizeError),
    /// A PVC spec patch that is not a JSON object.
    #[error("the PVC spec patch of the workspace is a JSON object, not {0}")]
    PvcSpecPatch(String),
    /// A task input uses the workspace and the pipeline has none (kfp:
    /// "Workspace features are used (e.g., dsl.WORKSPACE_PATH_PLACEHOLDER)
    /// but PipelineConfig.workspace.size is not set.").
    #[error(
        "task `{task}`{within} gives input `{input}` the workspace (`{{{{$.workspace_path}}}}` or a path under /kfp-workspace), but the pipeline has no workspace: give it one in its config (kfp's `PipelineConfig(workspace=WorkspaceConfig(size=...))`)",
        within = in_component(component)
    )]
    UsedByTask {
        /// The key of the component whose DAG has the task (`root` for
        /// the pipeline's own).
        component: String,
        /// The task.
        task: String,
        /// The input.
        input: String,
    },
    /// An importer downloads into the workspace and the pipeline has none
    /// (kfp: "dsl.importer(download_to_workspace=True) requires
    /// PipelineConfig(workspace=...) on the pipeline.").
    #[error(
        "importer `{executor}` downloads its artifact into the workspace (`download_to_workspace`), but the pipeline has no workspace: give it one in its config (kfp's `PipelineConfig(workspace=WorkspaceConfig(size=...))`)"
    )]
    UsedByImporter {
        /// The importer's executor label.
        executor: String,
    },
}

/// ` (in `comp-x`)` for a task of a sub-DAG, nothing for the root's.
fn in_component(component: &str) -> String {
    if component == "root" {
        String::new()
    } else {
        format!(" (in `{component}`)")
    }
}

/// What is wrong with one task.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum TaskError {
    /// The task binds an input its component does not have.
    #[error("component `{component}` has no input `{input}`")]
    UnknownInput {
        /// The component.
        component: String,
        /// The input.
        input: String,
    },
    /// A required input is not bound.
    #[error("required input `{input}` is not set")]
    MissingInput {
        /// The input.
        input: String,
    },
    /// A parameter value is bound to an artifact input.
    #[error("input `{input}` is an artifact, but it is given a parameter value")]
    ExpectedArtifact {
        /// The input.
        input: String,
    },
    /// An artifact is bound to a parameter input.
    #[error("input `{input}` is a parameter, but it is given an artifact")]
    ExpectedParameter {
        /// The input.
        input: String,
    },
    /// A binding names a pipeline input that does not exist.
    #[error("input `{input}` takes pipeline input `{name}`, which the pipeline does not declare")]
    UnknownPipelineInput {
        /// The input.
        input: String,
        /// The missing pipeline input.
        name: String,
    },
    /// A binding or `after` names a task id the pipeline did not issue.
    #[error("`{input}` refers to task #{}, which is not in the pipeline", task.0)]
    UnknownTask {
        /// The input or setting.
        input: String,
        /// The unknown id.
        task: TaskId,
    },
    /// An input reads the task itself or a later task, or a setting or
    /// `after` names the task itself.
    #[error(
        "`{input}` refers to task `{producer}`, which is this task or, for an input, a task \
         added after it (an input reads tasks added before its task, as in kfp; a setting or \
         `after` may name any other task)"
    )]
    ForwardReference {
        /// The input or setting.
        input: String,
        /// The referenced task.
        producer: String,
    },
    /// A binding names an output the producing task does not have.
    #[error(
        "input `{input}` takes output `{output}` of task `{producer}`, which has no such {kind}"
    )]
    UnknownTaskOutput {
        /// The input.
        input: String,
        /// The producing task.
        producer: String,
        /// The missing output.
        output: String,
        /// `parameter` or `artifact`.
        kind: &'static str,
    },
    /// A parameter of one type is bound to an input of another.
    #[error("input `{input}` has type {expected:?}, but it is given a {found:?}")]
    ParameterTypeMismatch {
        /// The input.
        input: String,
        /// The input's type.
        expected: ParameterType,
        /// The given value's type.
        found: ParameterType,
    },
    /// A field is read from the item of a loop whose items are not objects.
    #[error(
        "input `{input}` takes field `{field}` of a loop item, but the loop's items are \
         {found:?}, not objects (STRUCT, or the STRING items of a list of unknown element type)"
    )]
    NotAnObjectItem {
        /// The input.
        input: String,
        /// The field.
        field: String,
        /// The type of the loop's items.
        found: ParameterType,
    },
    /// A loop item field's name is not one kfp allows.
    #[error(
        "input `{input}` takes field {field:?} of a loop item, but kfp allows only field names \
         that are identifiers (^[a-zA-Z_][0-9a-zA-Z_]*$)"
    )]
    InvalidItemField {
        /// The input.
        input: String,
        /// The field.
        field: String,
    },
    /// A constant does not fit the input's type (KFP's rule,
    /// `kfp_ir_schema::ParameterType::check_given`).
    #[error("input `{input}` is given a constant that does not fit: {error}")]
    ConstantTypeMismatch {
        /// The input.
        input: String,
        /// The input's type, the constant, and why it does not fit.
        error: ValueError,
    },
    /// An artifact of one type is bound to an input of another.
    #[error("input `{input}` takes {expected}, but it is given {found}")]
    ArtifactTypeMismatch {
        /// The input.
        input: String,
        /// The input's artifact type.
        expected: String,
        /// The given artifact type.
        found: String,
    },
    /// A task setting has an invalid value.
    #[error("{setting} `{value}` is invalid: {reason}")]
    InvalidSetting {
        /// The setting, e.g. `cpu_limit`.
        setting: &'static str,
        /// The value given.
        value: String,
        /// What a valid value looks like.
        reason: &'static str,
    },
    /// A container-only setting is used on a task running a pipeline.
    #[error(
        "{setting} can only be set on container components, not on a pipeline used as a component"
    )]
    ContainerSettingOnPipeline {
        /// The setting.
        setting: &'static str,
    },
    /// A container setting is made on an importer task.
    #[error("{setting} can only be set on container components, not on an importer")]
    ContainerSettingOnImporter {
        /// The setting.
        setting: &'static str,
    },
    /// A component input has the name kfp gives an injected input.
    #[error("input `{input}` collides with the input kfp injects for a runtime task setting")]
    InjectedInputCollision {
        /// The input.
        input: String,
    },
    /// An input refers to a value that does not exist where the task runs
    /// (a loop item outside its loop, a task output inside a loop the task
    /// is not in, a collected output of a task not inside a loop).
    #[error("input `{input}`: {reason}")]
    OutOfScope {
        /// The input (or `after`).
        input: String,
        /// What is wrong, and what to do instead.
        reason: String,
    },
    /// The task is in a group its pipeline did not issue.
    #[error("the task is in group #{group}, which is not in the pipeline")]
    UnknownGroup {
        /// The unknown group index.
        group: usize,
    },
}
