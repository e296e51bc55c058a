//! Where a task input or setting takes its value from: a constant, a
//! pipeline input, another task's output, a loop item, a OneOf.

use kfp_ir_schema::CompactString;
use serde_json::Value;

use super::{GroupId, OneOfId, TaskId};

/// Where a task input takes its value from.
#[derive(Clone, Debug, PartialEq)]
pub enum Binding {
    /// A constant (any JSON value; runtime placeholders such as
    /// `{{$.pipeline_job_name}}` are string constants).
    Constant(Value),
    /// An input parameter of the enclosing pipeline.
    PipelineParameter(CompactString),
    /// An input artifact of the enclosing pipeline.
    PipelineArtifact(CompactString),
    /// An output parameter of another task of the same pipeline.
    TaskOutputParameter {
        /// The producing task.
        task: TaskId,
        /// Its output's name.
        output: CompactString,
    },
    /// An output artifact of another task of the same pipeline.
    TaskOutputArtifact {
        /// The producing task.
        task: TaskId,
        /// Its output's name.
        output: CompactString,
    },
    /// The current item of the enclosing loop `group`.
    LoopItem(GroupId),
    /// A field of the current item of the enclosing loop `group`, whose
    /// items are objects (kfp's `item.field`): the task reads the item and
    /// selects the field when it runs.
    LoopItemField {
        /// The loop.
        group: GroupId,
        /// The field's name.
        field: CompactString,
    },
    /// A string with values formatted into it when the task runs (kfp's
    /// f-strings, `f'hi {name}'`): literal pieces and pipeline inputs, task
    /// output parameters or loop items, for a `STRING` input.
    Interpolated(Vec<ConfigValue>),
    /// A list or struct whose strings have values formatted into them when
    /// the task runs, for a `LIST` or `STRUCT` input: kfp reads pipeline
    /// inputs, task outputs and loop items anywhere in a list or dict
    /// argument (`[{'machine_type': task.output}]`), each as an f-string
    /// part (in values: kfp writes a key as it is).
    Structured(Structured),
    /// The value of whichever branch of an If/Elif/Else chain ran (kfp's
    /// `dsl.OneOf`), read where the chain is or inside groups there.
    OneOf(OneOfId),
    /// The values of an output of a task inside a loop, gathered after the
    /// loop (kfp's `dsl.Collected`): a `LIST` parameter, or a list of
    /// artifacts.
    Collected {
        /// The producing task, inside a loop the consumer is not in.
        task: TaskId,
        /// Its output's name.
        output: CompactString,
    },
}

impl Binding {
    /// A constant.
    pub fn constant(value: impl Into<Value>) -> Self {
        Binding::Constant(value.into())
    }

    /// An input parameter of the enclosing pipeline.
    pub fn pipeline_parameter(name: impl Into<CompactString>) -> Self {
        Binding::PipelineParameter(name.into())
    }

    /// An input artifact of the enclosing pipeline.
    pub fn pipeline_artifact(name: impl Into<CompactString>) -> Self {
        Binding::PipelineArtifact(name.into())
    }

    /// An output parameter of `task`.
    pub fn task_output_parameter(task: TaskId, output: impl Into<CompactString>) -> Self {
        Binding::TaskOutputParameter {
            task,
            output: output.into(),
        }
    }

    /// An output artifact of `task`.
    pub fn task_output_artifact(task: TaskId, output: impl Into<CompactString>) -> Self {
        Binding::TaskOutputArtifact {
            task,
            output: output.into(),
        }
    }

    /// The producing task, for bindings to a task output.
    pub fn producer(&self) -> Option<TaskId> {
        match self {
            Binding::TaskOutputParameter { task, .. }
            | Binding::TaskOutputArtifact { task, .. }
            | Binding::Collected { task, .. } => Some(*task),
            _ => None,
        }
    }
}

/// A list or struct constant whose strings may have values formatted into
/// them (see [`Binding::Structured`]).
#[derive(Clone, Debug, PartialEq)]
pub enum Structured {
    /// A value with no pipeline value in it.
    Constant(Value),
    /// A string: literal pieces and values, as in [`Binding::Interpolated`].
    Text(Vec<ConfigValue>),
    /// A list.
    List(Vec<Structured>),
    /// An object: each key and its value.
    Object(Vec<(String, Structured)>),
}

/// A task setting whose value is a literal or, as kfp allows for resources,
/// the accelerator, the image and the names of Kubernetes objects, a value
/// resolved at run time: a pipeline input, a task output parameter or the
/// item of an enclosing loop.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ConfigValue {
    /// A literal, e.g. `"500m"`, `"1Gi"`, `"nvidia.com/gpu"`, `"1"`.
    Literal(String),
    /// An input parameter of the enclosing pipeline.
    PipelineParameter(String),
    /// An output parameter of another task.
    TaskOutput {
        /// The producing task.
        task: TaskId,
        /// Its output's name.
        output: String,
    },
    /// The current item of the enclosing loop `group` (a `String` item for
    /// settings; of any type in an f-string).
    LoopItem(GroupId),
}

impl From<&str> for ConfigValue {
    fn from(s: &str) -> Self {
        ConfigValue::Literal(s.to_owned())
    }
}

impl From<String> for ConfigValue {
    fn from(s: String) -> Self {
        ConfigValue::Literal(s)
    }
}
