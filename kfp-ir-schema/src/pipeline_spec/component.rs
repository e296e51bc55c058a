//! `ComponentSpec` and its interface: the inputs and outputs a component
//! declares, and the type enums of parameters.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use super::{ArtifactTypeSchema, DagSpec, SinglePlatformSpec, Struct, ValueOrRuntimeParameter};
use crate::proto_enum;
use crate::protojson::is_default;
use crate::{CompactString, VecMap};

/// `ComponentSpec`: a component's interface and its implementation, either a
/// DAG of tasks (pipelines and control-flow groups) or an executor (leaf
/// components).
///
/// ```
/// use kfp_ir_schema::{ComponentImplementation, ComponentSpec};
///
/// let leaf = ComponentSpec {
///     implementation: Some(ComponentImplementation::ExecutorLabel("exec-train".into())),
///     ..Default::default()
/// };
/// assert_eq!(
///     serde_json::to_string(&leaf).unwrap(),
///     r#"{"executorLabel":"exec-train"}"#
/// );
/// ```
#[derive(Clone, Debug, Default, PartialEq, Deserialize, JsonSchema)]
#[serde(try_from = "wire::ComponentSpec<'static>")]
#[schemars(with = "wire::ComponentSpec<'static>")]
pub struct ComponentSpec {
    /// The component's inputs (`inputDefinitions`).
    pub input_definitions: Option<ComponentInputsSpec>,
    /// The component's outputs (`outputDefinitions`).
    pub output_definitions: Option<ComponentOutputsSpec>,
    /// How the component runs (`oneof implementation`).
    pub implementation: Option<ComponentImplementation>,
    /// Platform-specific configuration of the component (never written by
    /// the SDK).
    pub single_platform_specs: Vec<SinglePlatformSpec>,
    /// Task configuration that is passed through to the task instead of
    /// being applied to the component's pod (KFP 2.15+).
    pub task_config_passthroughs: Vec<TaskConfigPassthrough>,
}

/// The `oneof implementation` of [`ComponentSpec`].
#[derive(Clone, Debug, PartialEq)]
pub enum ComponentImplementation {
    /// A DAG of tasks: a pipeline or a control-flow group (`dag`).
    Dag(DagSpec),
    /// The key of the component's executor in
    /// `deploymentSpec.executors`, `exec-…` (`executorLabel`).
    ExecutorLabel(CompactString),
}

/// `ComponentInputsSpec`: the inputs a component declares
/// (`inputDefinitions`).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct ComponentInputsSpec {
    /// Input artifacts by name.
    #[serde(default, skip_serializing_if = "is_default")]
    pub artifacts: VecMap<CompactString, ComponentInputArtifactSpec>,
    /// Input parameters by name (for `root`, the pipeline parameters).
    #[serde(default, skip_serializing_if = "is_default")]
    pub parameters: VecMap<CompactString, ComponentInputParameterSpec>,
}

/// `ComponentInputsSpec.ArtifactSpec`: a declared input artifact.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct ComponentInputArtifactSpec {
    /// The artifact's type, e.g. `system.Dataset@0.0.1`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub artifact_type: Option<ArtifactTypeSchema>,
    /// True for an `Input[List[T]]` input: a list of artifacts.
    #[serde(default, skip_serializing_if = "is_default")]
    pub is_artifact_list: bool,
    /// True when the input may be left unconnected.
    #[serde(default, skip_serializing_if = "is_default")]
    pub is_optional: bool,
    /// The input's description, from the docstring.
    #[serde(default, skip_serializing_if = "is_default")]
    pub description: CompactString,
}

/// `ComponentInputsSpec.ParameterSpec`: a declared input parameter.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct ComponentInputParameterSpec {
    /// The schema 2.0.0 primitive type; deprecated for `parameterType`.
    #[serde(default, rename = "type", skip_serializing_if = "is_default")]
    pub r#type: PrimitiveType,
    /// The parameter's type.
    #[serde(default, skip_serializing_if = "is_default")]
    pub parameter_type: ParameterType,
    /// The default value, a `google.protobuf.Value` (numbers are doubles:
    /// KFP writes `3.0`).
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "super::wire::present"
    )]
    pub default_value: Option<serde_json::Value>,
    /// True when the parameter may be left unset.
    #[serde(default, skip_serializing_if = "is_default")]
    pub is_optional: bool,
    /// The parameter's description, from the docstring.
    #[serde(default, skip_serializing_if = "is_default")]
    pub description: CompactString,
    /// The values the parameter is restricted to (`Literal[...]`; never
    /// written by the SDK).
    #[serde(default, skip_serializing_if = "is_default")]
    pub literals: Vec<serde_json::Value>,
}

/// `ComponentOutputsSpec`: the outputs a component declares
/// (`outputDefinitions`).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct ComponentOutputsSpec {
    /// Output artifacts by name.
    #[serde(default, skip_serializing_if = "is_default")]
    pub artifacts: VecMap<CompactString, ComponentOutputArtifactSpec>,
    /// Output parameters by name (`Output` for a single return value).
    #[serde(default, skip_serializing_if = "is_default")]
    pub parameters: VecMap<CompactString, ComponentOutputParameterSpec>,
}

/// `ComponentOutputsSpec.ArtifactSpec`: a declared output artifact.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct ComponentOutputArtifactSpec {
    /// The artifact's type, e.g. `system.Model@0.0.1`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub artifact_type: Option<ArtifactTypeSchema>,
    /// Typed properties of schema 2.0.0; deprecated.
    #[serde(default, skip_serializing_if = "is_default")]
    pub properties: VecMap<CompactString, ValueOrRuntimeParameter>,
    /// Custom properties of schema 2.0.0; deprecated.
    #[serde(default, skip_serializing_if = "is_default")]
    pub custom_properties: VecMap<CompactString, ValueOrRuntimeParameter>,
    /// Metadata to attach to the artifact (unused by the SDK).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub metadata: Option<Struct>,
    /// True for an `Output[List[T]]` output: a list of artifacts.
    #[serde(default, skip_serializing_if = "is_default")]
    pub is_artifact_list: bool,
    /// The output's description, from the docstring.
    #[serde(default, skip_serializing_if = "is_default")]
    pub description: CompactString,
}

/// `ComponentOutputsSpec.ParameterSpec`: a declared output parameter.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct ComponentOutputParameterSpec {
    /// The schema 2.0.0 primitive type; deprecated for `parameterType`.
    #[serde(default, rename = "type", skip_serializing_if = "is_default")]
    pub r#type: PrimitiveType,
    /// The parameter's type.
    #[serde(default, skip_serializing_if = "is_default")]
    pub parameter_type: ParameterType,
    /// The output's description, from the docstring.
    #[serde(default, skip_serializing_if = "is_default")]
    pub description: CompactString,
}

proto_enum! {
    /// `PrimitiveType.PrimitiveTypeEnum`: the parameter types of schema
    /// 2.0.0; deprecated for [`ParameterType`].
    pub enum PrimitiveType {
        /// Not set (`PRIMITIVE_TYPE_UNSPECIFIED`).
        #[default]
        Unspecified = 0 => "PRIMITIVE_TYPE_UNSPECIFIED",
        /// An integer (`INT`).
        Int = 1 => "INT",
        /// A floating-point number (`DOUBLE`).
        Double = 2 => "DOUBLE",
        /// A string; also bools, lists and dicts in schema 2.0.0 (`STRING`).
        String = 3 => "STRING",
    }
}

proto_enum! {
    /// `ParameterType.ParameterTypeEnum`: the type of a parameter.
    pub enum ParameterType {
        /// Not set (`PARAMETER_TYPE_ENUM_UNSPECIFIED`).
        #[default]
        Unspecified = 0 => "PARAMETER_TYPE_ENUM_UNSPECIFIED",
        /// A Python `float` (`NUMBER_DOUBLE`).
        NumberDouble = 1 => "NUMBER_DOUBLE",
        /// A Python `int` (`NUMBER_INTEGER`).
        NumberInteger = 2 => "NUMBER_INTEGER",
        /// A Python `str` (`STRING`).
        String = 3 => "STRING",
        /// A Python `bool` (`BOOLEAN`).
        Boolean = 4 => "BOOLEAN",
        /// A Python `list` (`LIST`).
        List = 5 => "LIST",
        /// A Python `dict` (`STRUCT`).
        Struct = 6 => "STRUCT",
        /// A `dsl.PipelineTaskFinalStatus`, given to exit tasks
        /// (`TASK_FINAL_STATUS`).
        TaskFinalStatus = 7 => "TASK_FINAL_STATUS",
        /// A `dsl.TaskConfig`, the configuration passed through to a task
        /// (`TASK_CONFIG`).
        TaskConfig = 8 => "TASK_CONFIG",
    }
}

proto_enum! {
    /// `TaskConfigPassthroughType.TaskConfigPassthroughTypeEnum`: a part of
    /// the task configuration that can be passed through.
    pub enum TaskConfigPassthroughType {
        /// Nothing (`NONE`).
        #[default]
        None = 0 => "NONE",
        /// CPU, memory and accelerator resources (`RESOURCES`).
        Resources = 1 => "RESOURCES",
        /// Environment variables (`ENV`).
        Env = 2 => "ENV",
        /// Kubernetes affinity (`KUBERNETES_AFFINITY`).
        KubernetesAffinity = 3 => "KUBERNETES_AFFINITY",
        /// Kubernetes tolerations (`KUBERNETES_TOLERATIONS`).
        KubernetesTolerations = 4 => "KUBERNETES_TOLERATIONS",
        /// The Kubernetes node selector (`KUBERNETES_NODE_SELECTOR`).
        KubernetesNodeSelector = 5 => "KUBERNETES_NODE_SELECTOR",
        /// Kubernetes volumes (`KUBERNETES_VOLUMES`).
        KubernetesVolumes = 6 => "KUBERNETES_VOLUMES",
    }
}

/// `TaskConfigPassthrough`: one part of the task configuration that the
/// component receives through its `TASK_CONFIG` input.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct TaskConfigPassthrough {
    /// Which part of the configuration is passed.
    #[serde(default, skip_serializing_if = "is_default")]
    pub field: TaskConfigPassthroughType,
    /// True when KFP also applies it to the task's own pod.
    #[serde(default, skip_serializing_if = "is_default")]
    pub apply_to_task: bool,
}

/// The wire form of [`ComponentSpec`]: one `Option` per `oneof` key.
mod wire {
    use std::borrow::Cow;

    use schemars::JsonSchema;
    use serde::{Deserialize, Serialize};

    use crate::protojson::at_most_one;
    use crate::protojson::{OneOf, is_default, oneof};

    #[derive(Default, Serialize, Deserialize, JsonSchema)]
    #[serde(rename_all = "camelCase", deny_unknown_fields)]
    #[schemars(
        rename = "ComponentSpec",
        description = "ComponentSpec: a component's interface and its implementation (a DAG or an executor).",
        transform = oneof::<Self>
    )]
    pub struct ComponentSpec<'a> {
        #[serde(default, skip_serializing_if = "Option::is_none")]
        input_definitions: Option<Cow<'a, super::ComponentInputsSpec>>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        output_definitions: Option<Cow<'a, super::ComponentOutputsSpec>>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        dag: Option<Cow<'a, super::DagSpec>>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        executor_label: Option<Cow<'a, str>>,
        #[serde(default, skip_serializing_if = "is_default")]
        single_platform_specs: Cow<'a, [super::SinglePlatformSpec]>,
        #[serde(default, skip_serializing_if = "is_default")]
        task_config_passthroughs: Cow<'a, [super::TaskConfigPassthrough]>,
    }

    impl OneOf for ComponentSpec<'_> {
        const KEYS: &'static [&'static str] = &["dag", "executorLabel"];
    }

    impl TryFrom<ComponentSpec<'_>> for super::ComponentSpec {
        type Error = String;

        fn try_from(w: ComponentSpec<'_>) -> Result<Self, String> {
            use super::ComponentImplementation as I;
            let implementation = at_most_one(
                "ComponentSpec",
                "implementation",
                vec![
                    ("dag", w.dag.map(|x| I::Dag(x.into_owned()))),
                    (
                        "executorLabel",
                        w.executor_label.map(|x| I::ExecutorLabel(x.into())),
                    ),
                ],
            )?;
            Ok(Self {
                input_definitions: w.input_definitions.map(Cow::into_owned),
                output_definitions: w.output_definitions.map(Cow::into_owned),
                implementation,
                single_platform_specs: w.single_platform_specs.into_owned(),
                task_config_passthroughs: w.task_config_passthroughs.into_owned(),
            })
        }
    }

    impl<'a> From<&'a super::ComponentSpec> for ComponentSpec<'a> {
        fn from(v: &'a super::ComponentSpec) -> Self {
            use super::ComponentImplementation as I;
            let (dag, executor_label) = match &v.implementation {
                Some(I::Dag(x)) => (Some(Cow::Borrowed(x)), None),
                Some(I::ExecutorLabel(x)) => (None, Some(Cow::Borrowed(x.as_str()))),
                None => (None, None),
            };
            ComponentSpec {
                input_definitions: v.input_definitions.as_ref().map(Cow::Borrowed),
                output_definitions: v.output_definitions.as_ref().map(Cow::Borrowed),
                dag,
                executor_label,
                single_platform_specs: Cow::Borrowed(&v.single_platform_specs),
                task_config_passthroughs: Cow::Borrowed(&v.task_config_passthroughs),
            }
        }
    }

    /// Written through the borrowed wire form: nothing is copied.
    impl Serialize for super::ComponentSpec {
        fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
            ComponentSpec::from(self).serialize(s)
        }
    }
}
