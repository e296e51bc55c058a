//! `DagSpec` and the tasks in it: `PipelineTaskSpec`, how task inputs are
//! wired, how DAG outputs are selected, and loop and retry policies.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use super::{ArtifactTypeSchema, InputParameterSpec, ValueOrRuntimeParameter};
use crate::proto_enum;
use crate::protojson::{self, is_default};
use crate::{CompactString, VecMap};

/// `DagSpec`: the tasks of a pipeline or a control-flow group, and the
/// outputs it exposes.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct DagSpec {
    /// The tasks, keyed by task name (unique pipeline-wide).
    #[serde(default, skip_serializing_if = "is_default")]
    pub tasks: VecMap<CompactString, PipelineTaskSpec>,
    /// Which task outputs become the DAG's outputs.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub outputs: Option<DagOutputsSpec>,
}

/// `DagOutputsSpec`: the outputs of a DAG, each taken from a task in it.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct DagOutputsSpec {
    /// Output artifacts by name.
    #[serde(default, skip_serializing_if = "is_default")]
    pub artifacts: VecMap<CompactString, DagOutputArtifactSpec>,
    /// Output parameters by name.
    #[serde(default, skip_serializing_if = "is_default")]
    pub parameters: VecMap<CompactString, DagOutputParameterSpec>,
}

/// `DagOutputsSpec.ArtifactSelectorSpec`: an output artifact of a task in
/// the DAG.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct ArtifactSelectorSpec {
    /// The producing task's name in the DAG.
    #[serde(default, skip_serializing_if = "is_default")]
    pub producer_subtask: CompactString,
    /// The output artifact's name in the producer's component.
    #[serde(default, skip_serializing_if = "is_default")]
    pub output_artifact_key: CompactString,
}

/// `DagOutputsSpec.DagOutputArtifactSpec`: where a DAG output artifact comes
/// from (several selectors for `dsl.OneOf` or collected loop outputs).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct DagOutputArtifactSpec {
    /// The task outputs the artifact is taken from.
    #[serde(default, skip_serializing_if = "is_default")]
    pub artifact_selectors: Vec<ArtifactSelectorSpec>,
}

/// `DagOutputsSpec.ParameterSelectorSpec`: an output parameter of a task in
/// the DAG.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct ParameterSelectorSpec {
    /// The producing task's name in the DAG.
    #[serde(default, skip_serializing_if = "is_default")]
    pub producer_subtask: CompactString,
    /// The output parameter's name in the producer's component.
    #[serde(default, skip_serializing_if = "is_default")]
    pub output_parameter_key: CompactString,
}

/// `DagOutputsSpec.ParameterSelectorsSpec`: candidate task outputs, the first
/// one produced wins (`dsl.OneOf`).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct ParameterSelectorsSpec {
    /// The candidates, in order.
    #[serde(default, skip_serializing_if = "is_default")]
    pub parameter_selectors: Vec<ParameterSelectorSpec>,
}

/// `DagOutputsSpec.MapParameterSelectorsSpec`: a map of task outputs (unused
/// by the SDK).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct MapParameterSelectorsSpec {
    /// The selected outputs by key.
    #[serde(default, skip_serializing_if = "is_default")]
    pub mapped_parameters: VecMap<CompactString, ParameterSelectorSpec>,
}

oneof_message! {
    /// `DagOutputsSpec.DagOutputParameterSpec`: where a DAG output parameter
    /// comes from (`oneof kind`).
    #[derive(Eq)]
    pub enum DagOutputParameterSpec {
        proto: "DagOutputParameterSpec",
        oneof: "kind",
        wire: DagOutputParameterSpecWire,
        /// One task output (`valueFromParameter`).
        ValueFromParameter(ParameterSelectorSpec) = value_from_parameter "valueFromParameter",
        /// The first produced of several task outputs, for `dsl.OneOf`
        /// (`valueFromOneof`).
        ValueFromOneof(ParameterSelectorsSpec) = value_from_oneof "valueFromOneof",
    }
}

/// `TaskInputsSpec`: where each input of a task takes its value from.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct TaskInputsSpec {
    /// Input parameters by the component's input name.
    #[serde(default, skip_serializing_if = "is_default")]
    pub parameters: VecMap<CompactString, InputParameterSpec>,
    /// Input artifacts by the component's input name.
    #[serde(default, skip_serializing_if = "is_default")]
    pub artifacts: VecMap<CompactString, InputArtifactSpec>,
}

oneof_message! {
    /// `TaskInputsSpec.InputArtifactSpec`: where a task input artifact comes
    /// from (`oneof kind`).
    #[derive(Eq)]
    pub enum InputArtifactSpec {
        proto: "InputArtifactSpec",
        oneof: "kind",
        wire: InputArtifactSpecWire,
        /// An output artifact of a task in the same DAG
        /// (`taskOutputArtifact`).
        TaskOutputArtifact(TaskOutputArtifactSpec) = task_output_artifact "taskOutputArtifact",
        /// An input artifact of the enclosing component
        /// (`componentInputArtifact`).
        ComponentInputArtifact(CompactString) = component_input_artifact "componentInputArtifact",
    }
}

/// `TaskInputsSpec.InputArtifactSpec.TaskOutputArtifactSpec`: an output
/// artifact of another task of the same DAG.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct TaskOutputArtifactSpec {
    /// The producing task's key in the DAG.
    #[serde(default, skip_serializing_if = "is_default")]
    pub producer_task: CompactString,
    /// The output artifact's name in the producer's component.
    #[serde(default, skip_serializing_if = "is_default")]
    pub output_artifact_key: CompactString,
}

/// `TaskOutputsSpec`: the outputs of a task (schema 2.0.0; unused by the
/// SDK).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct TaskOutputsSpec {
    /// Output parameters by name.
    #[serde(default, skip_serializing_if = "is_default")]
    pub parameters: VecMap<CompactString, OutputParameterSpec>,
    /// Output artifacts by name.
    #[serde(default, skip_serializing_if = "is_default")]
    pub artifacts: VecMap<CompactString, OutputArtifactSpec>,
}

/// `TaskOutputsSpec.OutputArtifactSpec`: an output artifact of a task.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct OutputArtifactSpec {
    /// The artifact's type.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub artifact_type: Option<ArtifactTypeSchema>,
    /// Typed properties to set on the artifact.
    #[serde(default, skip_serializing_if = "is_default")]
    pub properties: VecMap<CompactString, ValueOrRuntimeParameter>,
    /// Custom properties to set on the artifact.
    #[serde(default, skip_serializing_if = "is_default")]
    pub custom_properties: VecMap<CompactString, ValueOrRuntimeParameter>,
}

/// `TaskOutputsSpec.OutputParameterSpec`: an output parameter of a task.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct OutputParameterSpec {
    /// The parameter's primitive type.
    #[serde(default, rename = "type", skip_serializing_if = "is_default")]
    pub r#type: super::PrimitiveType,
}

/// `PipelineTaskSpec`: one task of a DAG, running a component.
///
/// ```
/// use kfp_ir_schema::{CachingOptions, ComponentRef, PipelineTaskInfo, PipelineTaskSpec};
///
/// let task = PipelineTaskSpec {
///     task_info: Some(PipelineTaskInfo { name: "train".into() }),
///     component_ref: Some(ComponentRef { name: "comp-train".into() }),
///     // Caching disabled: an empty message, still written.
///     caching_options: Some(CachingOptions::default()),
///     ..Default::default()
/// };
/// let json = serde_json::to_string(&task).unwrap();
/// assert_eq!(
///     json,
///     r#"{"taskInfo":{"name":"train"},"cachingOptions":{},"componentRef":{"name":"comp-train"}}"#
/// );
/// assert_eq!(serde_json::from_str::<PipelineTaskSpec>(&json).unwrap(), task);
/// ```
#[derive(Clone, Debug, Default, PartialEq, Deserialize, JsonSchema)]
#[serde(try_from = "wire::PipelineTaskSpec<'static>")]
#[schemars(with = "wire::PipelineTaskSpec<'static>")]
pub struct PipelineTaskSpec {
    /// The task's display name (`taskInfo`).
    pub task_info: Option<PipelineTaskInfo>,
    /// Where each input takes its value from.
    pub inputs: Option<TaskInputsSpec>,
    /// The tasks of the same DAG that must finish first, sorted.
    pub dependent_tasks: Vec<CompactString>,
    /// Caching: `{enableCache: true}` for leaf tasks, `{}` when disabled,
    /// absent on group tasks.
    pub caching_options: Option<CachingOptions>,
    /// The component the task runs, `comp-…`.
    pub component_ref: Option<ComponentRef>,
    /// When the task runs: a condition and/or an upstream strategy.
    pub trigger_policy: Option<TriggerPolicy>,
    /// The loop the task runs, for `dsl.ParallelFor` (`oneof iterator`).
    pub iterator: Option<TaskIterator>,
    /// How failures are retried.
    pub retry_policy: Option<RetryPolicy>,
    /// How many loop iterations run at once.
    pub iterator_policy: Option<IteratorPolicy>,
}

/// The `oneof iterator` of [`PipelineTaskSpec`].
#[derive(Clone, Debug, PartialEq)]
pub enum TaskIterator {
    /// A loop over a list of artifacts (`artifactIterator`).
    ArtifactIterator(ArtifactIteratorSpec),
    /// A loop over a list parameter or a literal list
    /// (`parameterIterator`).
    ParameterIterator(ParameterIteratorSpec),
}

/// `PipelineTaskSpec.CachingOptions`: whether the task's result may be
/// taken from the cache.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct CachingOptions {
    /// True to reuse a cached execution.
    #[serde(default, skip_serializing_if = "is_default")]
    pub enable_cache: bool,
    /// A custom cache key (`set_caching_options(cache_key=...)`).
    #[serde(default, skip_serializing_if = "is_default")]
    pub cache_key: CompactString,
}

/// `PipelineTaskSpec.TriggerPolicy`: when a task runs.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct TriggerPolicy {
    /// A CEL expression over `inputs.parameter_values[...]`; the task runs
    /// when it is true (`dsl.If`).
    #[serde(default, skip_serializing_if = "is_default")]
    pub condition: CompactString,
    /// Which upstream outcomes let the task run.
    #[serde(default, skip_serializing_if = "is_default")]
    pub strategy: TriggerStrategy,
}

proto_enum! {
    /// `PipelineTaskSpec.TriggerPolicy.TriggerStrategy`: which upstream
    /// outcomes let a task run.
    pub enum TriggerStrategy {
        /// Not set; the same as all succeeded
        /// (`TRIGGER_STRATEGY_UNSPECIFIED`).
        #[default]
        Unspecified = 0 => "TRIGGER_STRATEGY_UNSPECIFIED",
        /// Every upstream task succeeded (`ALL_UPSTREAM_TASKS_SUCCEEDED`).
        AllUpstreamTasksSucceeded = 1 => "ALL_UPSTREAM_TASKS_SUCCEEDED",
        /// Every upstream task finished, whatever its state; for exit
        /// handlers (`ALL_UPSTREAM_TASKS_COMPLETED`).
        AllUpstreamTasksCompleted = 2 => "ALL_UPSTREAM_TASKS_COMPLETED",
    }
}

/// `PipelineTaskSpec.RetryPolicy`: how a failed task is retried
/// (`set_retry`).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct RetryPolicy {
    /// How many times to retry.
    #[serde(default, skip_serializing_if = "is_default", with = "protojson::int32")]
    #[schemars(with = "protojson::Int32")]
    pub max_retry_count: i32,
    /// The wait before the first retry, a `google.protobuf.Duration` such
    /// as `"30s"`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub backoff_duration: Option<CompactString>,
    /// The factor the wait grows by at each retry.
    #[serde(
        default,
        skip_serializing_if = "is_default",
        with = "protojson::double"
    )]
    #[schemars(with = "protojson::Double")]
    pub backoff_factor: f64,
    /// The longest wait, a `google.protobuf.Duration` such as `"3600s"`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub backoff_max_duration: Option<CompactString>,
}

/// `PipelineTaskSpec.IteratorPolicy`: how a loop runs.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct IteratorPolicy {
    /// The most iterations running at once (`ParallelFor(parallelism=)`);
    /// 0 means no limit.
    #[serde(default, skip_serializing_if = "is_default", with = "protojson::int32")]
    #[schemars(with = "protojson::Int32")]
    pub parallelism_limit: i32,
}

/// `ArtifactIteratorSpec`: a loop over a list of artifacts.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct ArtifactIteratorSpec {
    /// The list iterated over.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub items: Option<ArtifactItemsSpec>,
    /// The name of the input that receives each item.
    #[serde(default, skip_serializing_if = "is_default")]
    pub item_input: CompactString,
}

/// `ArtifactIteratorSpec.ItemsSpec`: the artifact list a loop iterates over.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct ArtifactItemsSpec {
    /// The name of the task input holding the list.
    #[serde(default, skip_serializing_if = "is_default")]
    pub input_artifact: CompactString,
}

/// `ParameterIteratorSpec`: a loop over a list parameter or a literal list.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct ParameterIteratorSpec {
    /// The list iterated over.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub items: Option<ParameterItemsSpec>,
    /// The name of the input that receives each item.
    #[serde(default, skip_serializing_if = "is_default")]
    pub item_input: CompactString,
}

oneof_message! {
    /// `ParameterIteratorSpec.ItemsSpec`: the list a loop iterates over
    /// (`oneof kind`).
    #[derive(Eq)]
    pub enum ParameterItemsSpec {
        proto: "ParameterItemsSpec",
        oneof: "kind",
        wire: ParameterItemsSpecWire,
        /// A literal list, as JSON text, e.g. `'[1, 2, 3]'` (`raw`).
        Raw(CompactString) = raw "raw",
        /// The name of the task input holding the list (`inputParameter`).
        InputParameter(CompactString) = input_parameter "inputParameter",
    }
}

/// `ComponentRef`: the component a task runs.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct ComponentRef {
    /// The component's key in `components`, `comp-…`.
    #[serde(default, skip_serializing_if = "is_default")]
    pub name: CompactString,
}

/// `PipelineTaskInfo`: a task's identity.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct PipelineTaskInfo {
    /// The task's display name (`set_display_name`, or the task key).
    #[serde(default, skip_serializing_if = "is_default")]
    pub name: CompactString,
}

/// The wire form of [`PipelineTaskSpec`]: one `Option` per `oneof` key.
mod wire {
    use std::borrow::Cow;

    use schemars::JsonSchema;
    use serde::{Deserialize, Serialize};

    use crate::protojson::at_most_one;
    use crate::protojson::{OneOf, is_default, oneof};

    #[derive(Default, Serialize, Deserialize, JsonSchema)]
    #[serde(rename_all = "camelCase", deny_unknown_fields)]
    #[schemars(
        rename = "PipelineTaskSpec",
        description = "PipelineTaskSpec: one task of a DAG, running a component.",
        transform = oneof::<Self>
    )]
    pub struct PipelineTaskSpec<'a> {
        #[serde(default, skip_serializing_if = "Option::is_none")]
        task_info: Option<Cow<'a, super::PipelineTaskInfo>>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        inputs: Option<Cow<'a, super::TaskInputsSpec>>,
        #[serde(default, skip_serializing_if = "is_default")]
        dependent_tasks: Cow<'a, [crate::CompactString]>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        caching_options: Option<Cow<'a, super::CachingOptions>>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        component_ref: Option<Cow<'a, super::ComponentRef>>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        trigger_policy: Option<Cow<'a, super::TriggerPolicy>>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        artifact_iterator: Option<Cow<'a, super::ArtifactIteratorSpec>>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        parameter_iterator: Option<Cow<'a, super::ParameterIteratorSpec>>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        retry_policy: Option<Cow<'a, super::RetryPolicy>>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        iterator_policy: Option<Cow<'a, super::IteratorPolicy>>,
    }

    impl OneOf for PipelineTaskSpec<'_> {
        const KEYS: &'static [&'static str] = &["artifactIterator", "parameterIterator"];
    }

    impl TryFrom<PipelineTaskSpec<'_>> for super::PipelineTaskSpec {
        type Error = String;

        fn try_from(w: PipelineTaskSpec<'_>) -> Result<Self, String> {
            use super::TaskIterator as I;
            let iterator = at_most_one(
                "PipelineTaskSpec",
                "iterator",
                vec![
                    (
                        "artifactIterator",
                        w.artifact_iterator
                            .map(|x| I::ArtifactIterator(x.into_owned())),
                    ),
                    (
                        "parameterIterator",
                        w.parameter_iterator
                            .map(|x| I::ParameterIterator(x.into_owned())),
                    ),
                ],
            )?;
            Ok(Self {
                task_info: w.task_info.map(Cow::into_owned),
                inputs: w.inputs.map(Cow::into_owned),
                dependent_tasks: w.dependent_tasks.into_owned(),
                caching_options: w.caching_options.map(Cow::into_owned),
                component_ref: w.component_ref.map(Cow::into_owned),
                trigger_policy: w.trigger_policy.map(Cow::into_owned),
                iterator,
                retry_policy: w.retry_policy.map(Cow::into_owned),
                iterator_policy: w.iterator_policy.map(Cow::into_owned),
            })
        }
    }

    impl<'a> From<&'a super::PipelineTaskSpec> for PipelineTaskSpec<'a> {
        fn from(v: &'a super::PipelineTaskSpec) -> Self {
            use super::TaskIterator as I;
            let (artifact_iterator, parameter_iterator) = match &v.iterator {
                Some(I::ArtifactIterator(x)) => (Some(Cow::Borrowed(x)), None),
                Some(I::ParameterIterator(x)) => (None, Some(Cow::Borrowed(x))),
                None => (None, None),
            };
            PipelineTaskSpec {
                task_info: v.task_info.as_ref().map(Cow::Borrowed),
                inputs: v.inputs.as_ref().map(Cow::Borrowed),
                dependent_tasks: Cow::Borrowed(&v.dependent_tasks),
                caching_options: v.caching_options.as_ref().map(Cow::Borrowed),
                component_ref: v.component_ref.as_ref().map(Cow::Borrowed),
                trigger_policy: v.trigger_policy.as_ref().map(Cow::Borrowed),
                artifact_iterator,
                parameter_iterator,
                retry_policy: v.retry_policy.as_ref().map(Cow::Borrowed),
                iterator_policy: v.iterator_policy.as_ref().map(Cow::Borrowed),
            }
        }
    }

    /// Written through the borrowed wire form: nothing is copied.
    impl Serialize for super::PipelineTaskSpec {
        fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
            PipelineTaskSpec::from(self).serialize(s)
        }
    }
}
