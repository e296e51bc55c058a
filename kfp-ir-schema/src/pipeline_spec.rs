//! `PipelineSpec` and every message under it (`api/v2alpha1/pipeline_spec.proto`,
//! package `ml_pipelines`), in the proto3 JSON form KFP writes.
//!
//! Conventions, the same for every message of the IR:
//!
//! * struct and field names are the proto's, in Rust case; the JSON keys are
//!   lowerCamelCase (`#[serde(rename_all = "camelCase")]`);
//! * unknown keys are rejected (`deny_unknown_fields`), as the KFP backend's
//!   `protojson.Unmarshal` rejects them;
//! * a field holding its proto3 default is left out of the JSON; a proto3
//!   `optional` field is an `Option` and written whenever it is `Some`;
//! * a proto `oneof` is a Rust enum, held in an `Option` when the proto allows
//!   none of its members. On the wire it is a set of mutually exclusive keys:
//!   the message converts through a private `wire` struct with one `Option` per
//!   key, and reading two keys of one `oneof` is an error;
//! * `google.protobuf.Value` is a [`serde_json::Value`] and
//!   `google.protobuf.Struct` a [`Struct`].

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::protojson::is_default;
use crate::{CompactString, VecMap};

/// Declares a message that is nothing but one `oneof` with at least one
/// member set, as a Rust enum: on the wire one key per member, reading two
/// keys (or none) is an error, and the JSON Schema makes the keys mutually
/// exclusive.
macro_rules! oneof_message {
    (
        $(#[$meta:meta])*
        pub enum $name:ident {
            proto: $proto:literal,
            oneof: $oneof:literal,
            wire: $wire:ident,
            $(
                $(#[$vmeta:meta])*
                $variant:ident($ty:ty) = $field:ident $key:literal,
            )+
        }
    ) => {
        $(#[$meta])*
        #[derive(Clone, Debug, PartialEq)]
        pub enum $name {
            $(
                $(#[$vmeta])*
                $variant($ty),
            )+
        }

        #[derive(Default, serde::Deserialize, schemars::JsonSchema)]
        #[serde(deny_unknown_fields)]
        #[schemars(transform = $crate::protojson::oneof::<Self>)]
        struct $wire {
            $(
                #[serde(rename = $key, default)]
                $field: Option<$ty>,
            )+
        }

        impl $crate::protojson::OneOf for $wire {
            const KEYS: &'static [&'static str] = &[$($key),+];
        }

        impl serde::Serialize for $name {
            fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                use serde::ser::SerializeMap;
                let mut map = s.serialize_map(Some(1))?;
                match self {
                    $($name::$variant(x) => map.serialize_entry($key, x)?,)+
                }
                map.end()
            }
        }

        impl<'de> serde::Deserialize<'de> for $name {
            fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                use serde::de::Error;
                let w = <$wire as serde::Deserialize>::deserialize(d)?;
                $crate::protojson::at_most_one(
                    $proto,
                    $oneof,
                    vec![$(($key, w.$field.map($name::$variant))),+],
                )
                .map_err(D::Error::custom)?
                .ok_or_else(|| {
                    D::Error::custom(concat!(
                        $proto, ": one of ", $("`", $key, "` ",)+ "is required"
                    ))
                })
            }
        }

        impl schemars::JsonSchema for $name {
            fn schema_name() -> std::borrow::Cow<'static, str> {
                $proto.into()
            }

            fn json_schema(g: &mut schemars::SchemaGenerator) -> schemars::Schema {
                let mut schema = <$wire as schemars::JsonSchema>::json_schema(g);
                schema.insert(
                    "description".to_owned(),
                    concat!($proto, ": exactly one of its keys (the `oneof ", $oneof, "`).").into(),
                );
                schema.insert("minProperties".to_owned(), 1.into());
                schema
            }
        }
    };
}

mod artifact_type;
mod component;
mod dag;
mod deployment;
mod platform;
#[cfg(test)]
mod tests;

pub use artifact_type::{ArtifactTypeKind, ArtifactTypeSchema};
pub use component::{
    ComponentImplementation, ComponentInputArtifactSpec, ComponentInputParameterSpec,
    ComponentInputsSpec, ComponentOutputArtifactSpec, ComponentOutputParameterSpec,
    ComponentOutputsSpec, ComponentSpec, ParameterType, PrimitiveType, TaskConfigPassthrough,
    TaskConfigPassthroughType,
};
pub use dag::{
    ArtifactItemsSpec, ArtifactIteratorSpec, ArtifactSelectorSpec, CachingOptions, ComponentRef,
    DagOutputArtifactSpec, DagOutputParameterSpec, DagOutputsSpec, DagSpec, InputArtifactSpec,
    IteratorPolicy, MapParameterSelectorsSpec, OutputArtifactSpec, OutputParameterSpec,
    ParameterItemsSpec, ParameterIteratorSpec, ParameterSelectorSpec, ParameterSelectorsSpec,
    PipelineTaskInfo, PipelineTaskSpec, RetryPolicy, TaskInputsSpec, TaskIterator,
    TaskOutputArtifactSpec, TaskOutputsSpec, TriggerPolicy, TriggerStrategy,
};
pub use deployment::{
    AcceleratorConfig, AiPlatformCustomJobSpec, ArtifactQuerySpec, EnvVar, ExecutorSpec,
    ImporterSpec, Lifecycle, LifecycleExec, PipelineContainerSpec, PipelineDeploymentConfig,
    ResolverSpec, ResourceSpec,
};
pub use platform::{
    KubernetesWorkspaceConfig, PipelineConfig, PlatformDeploymentConfig, PlatformSpec,
    SinglePlatformSpec, WorkspaceConfig,
};

/// `PipelineSpec`: a compiled pipeline, the first YAML document KFP writes.
///
/// ```
/// use kfp_ir_schema::{
///     ComponentImplementation, ComponentSpec, DagSpec, PipelineInfo, PipelineSpec,
/// };
///
/// let spec = PipelineSpec {
///     pipeline_info: Some(PipelineInfo {
///         name: "hello".into(),
///         ..Default::default()
///     }),
///     root: Some(ComponentSpec {
///         implementation: Some(ComponentImplementation::Dag(DagSpec::default())),
///         ..Default::default()
///     }),
///     schema_version: kfp_ir_schema::SCHEMA_VERSION.into(),
///     sdk_version: "kfp-rs-0.1.0".into(),
///     ..Default::default()
/// };
/// let json = serde_json::to_string(&spec).unwrap();
/// assert_eq!(
///     json,
///     r#"{"pipelineInfo":{"name":"hello"},"sdkVersion":"kfp-rs-0.1.0","schemaVersion":"2.1.0","root":{"dag":{}}}"#
/// );
/// assert_eq!(serde_json::from_str::<PipelineSpec>(&json).unwrap(), spec);
/// ```
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct PipelineSpec {
    /// The pipeline's name, display name and description (`pipelineInfo`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pipeline_info: Option<PipelineInfo>,
    /// The executors of the leaf components, keyed `exec-…`. The proto types
    /// it as a `Struct`; KFP always writes a `PipelineDeploymentConfig`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub deployment_spec: Option<PipelineDeploymentConfig>,
    /// The SDK that compiled the pipeline, e.g. `kfp-2.17.3` (informational).
    #[serde(default, skip_serializing_if = "is_default")]
    pub sdk_version: CompactString,
    /// The IR schema version; the backend accepts only `2.1.0`.
    #[serde(default, skip_serializing_if = "is_default")]
    pub schema_version: CompactString,
    /// Every non-root component, keyed `comp-…`.
    #[serde(default, skip_serializing_if = "is_default")]
    pub components: VecMap<CompactString, ComponentSpec>,
    /// The pipeline's own component: its DAG and its parameters.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub root: Option<ComponentSpec>,
    /// The pipeline root from `@dsl.pipeline(pipeline_root=...)` (only the
    /// UI reads it).
    #[serde(default, skip_serializing_if = "is_default")]
    pub default_pipeline_root: CompactString,
}

impl PipelineSpec {
    /// `pipelineInfo.name`, when the spec has one.
    pub fn name(&self) -> Option<&str> {
        self.pipeline_info
            .as_ref()
            .map(|info| info.name.as_str())
            .filter(|name| !name.is_empty())
    }

    /// The root's `inputDefinitions`: the pipeline's parameters and
    /// artifacts, which a run's arguments set.
    pub fn root_inputs(&self) -> Option<&ComponentInputsSpec> {
        self.root.as_ref()?.input_definitions.as_ref()
    }

    /// Turns caching on or off for every task of every DAG, the root's and
    /// each sub-DAG component's (kfp.Client's `enable_caching` reaches the
    /// root DAG's tasks only). A task's cache key is kept.
    ///
    /// ```
    /// use kfp_ir_schema::{ComponentImplementation, ComponentSpec, DagSpec, PipelineSpec};
    ///
    /// let mut dag = DagSpec::default();
    /// dag.tasks.insert("train".into(), Default::default());
    /// let mut spec = PipelineSpec {
    ///     root: Some(ComponentSpec {
    ///         implementation: Some(ComponentImplementation::Dag(dag)),
    ///         ..Default::default()
    ///     }),
    ///     ..Default::default()
    /// };
    /// spec.set_caching(true);
    /// let json = serde_json::to_value(&spec).unwrap();
    /// assert_eq!(json["root"]["dag"]["tasks"]["train"]["cachingOptions"]["enableCache"], true);
    /// ```
    pub fn set_caching(&mut self, enable: bool) {
        let components = self.root.iter_mut().chain(self.components.values_mut());
        for component in components {
            if let Some(ComponentImplementation::Dag(dag)) = &mut component.implementation {
                for task in dag.tasks.values_mut() {
                    task.caching_options
                        .get_or_insert_with(CachingOptions::default)
                        .enable_cache = enable;
                }
            }
        }
    }
}

/// `PipelineSpec.RuntimeParameter`: a typed runtime parameter of schema
/// 2.0.0 (unused since 2.1.0).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct RuntimeParameter {
    /// The parameter's primitive type.
    #[serde(default, rename = "type", skip_serializing_if = "is_default")]
    pub r#type: PrimitiveType,
    /// The parameter's default, as a typed `ml_pipelines.Value`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub default_value: Option<Value>,
}

/// `PipelineInfo`: the pipeline's identity.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct PipelineInfo {
    /// The pipeline name (`^[a-z0-9][a-z0-9-]{0,127}$` from the SDK); the
    /// backend requires it to be non-empty.
    #[serde(default, skip_serializing_if = "is_default")]
    pub name: CompactString,
    /// A human-readable name.
    #[serde(default, skip_serializing_if = "is_default")]
    pub display_name: CompactString,
    /// The pipeline's description.
    #[serde(default, skip_serializing_if = "is_default")]
    pub description: CompactString,
}

/// A `google.protobuf.Struct`: a JSON object with any content.
pub type Struct = serde_json::Map<String, serde_json::Value>;

/// `TaskInputsSpec.InputParameterSpec`: where a task input parameter takes its
/// value from.
#[derive(Clone, Debug, Default, PartialEq, Deserialize, JsonSchema)]
#[serde(try_from = "wire::InputParameterSpec<'static>")]
#[schemars(with = "wire::InputParameterSpec<'static>")]
pub struct InputParameterSpec {
    /// The source of the value (`oneof kind`).
    pub kind: Option<InputParameterKind>,
    /// A CEL expression applied to the resolved value, for example
    /// `parseJson(string_value)["key"]`.
    pub parameter_expression_selector: CompactString,
}

/// The `oneof kind` of [`InputParameterSpec`].
#[derive(Clone, Debug, PartialEq)]
pub enum InputParameterKind {
    /// The output parameter of a task in the same DAG (`taskOutputParameter`).
    TaskOutputParameter(TaskOutputParameterSpec),
    /// A constant or a runtime placeholder (`runtimeValue`).
    RuntimeValue(ValueOrRuntimeParameter),
    /// An input parameter of the enclosing component
    /// (`componentInputParameter`).
    ComponentInputParameter(CompactString),
    /// The final status of an upstream task, for exit handlers
    /// (`taskFinalStatus`).
    TaskFinalStatus(TaskFinalStatus),
}

/// `TaskInputsSpec.InputParameterSpec.TaskOutputParameterSpec`: an output
/// parameter of another task of the same DAG.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct TaskOutputParameterSpec {
    /// The producing task's key in the DAG.
    #[serde(default, skip_serializing_if = "is_default")]
    pub producer_task: CompactString,
    /// The output parameter's name in the producer's component.
    #[serde(default, skip_serializing_if = "is_default")]
    pub output_parameter_key: CompactString,
}

/// `TaskInputsSpec.InputParameterSpec.TaskFinalStatus`: the final status of a
/// task, given to an exit task.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct TaskFinalStatus {
    /// The task whose status is passed.
    #[serde(default, skip_serializing_if = "is_default")]
    pub producer_task: CompactString,
}

/// `ValueOrRuntimeParameter`: a constant value or the name of a runtime
/// parameter.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(
    try_from = "wire::ValueOrRuntimeParameter",
    into = "wire::ValueOrRuntimeParameter"
)]
pub enum ValueOrRuntimeParameter {
    /// A `google.protobuf.Value` (`constant`).
    Constant(serde_json::Value),
    /// A runtime parameter's name (`runtimeParameter`).
    RuntimeParameter(CompactString),
    /// The deprecated typed `ml_pipelines.Value` of schema 2.0.0
    /// (`constantValue`).
    ConstantValue(Value),
}

/// The deprecated typed value of schema 2.0.0 (`ml_pipelines.Value`), still
/// accepted by the proto.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(try_from = "wire::Value", into = "wire::Value")]
pub enum Value {
    /// `intValue` (an int64).
    IntValue(i64),
    /// `doubleValue`.
    DoubleValue(f64),
    /// `stringValue`.
    StringValue(CompactString),
}

/// Wire forms of the messages that hold a `oneof`: one `Option` per key, as
/// the JSON has them. Conversions check that at most one key is set.
///
/// In here a bare message name is the wire form; `super::X` is the domain type.
mod wire {
    use std::borrow::Cow;

    use schemars::JsonSchema;
    use serde::{Deserialize, Serialize};

    use crate::protojson::{self, OneOf, at_most_one, is_default, oneof};

    #[derive(Default, Serialize, Deserialize, JsonSchema)]
    #[serde(rename_all = "camelCase", deny_unknown_fields)]
    #[schemars(
        rename = "InputParameterSpec",
        description = "TaskInputsSpec.InputParameterSpec: where a task input parameter takes its value from.",
        transform = oneof::<Self>
    )]
    pub struct InputParameterSpec<'a> {
        #[serde(default, skip_serializing_if = "Option::is_none")]
        task_output_parameter: Option<Cow<'a, super::TaskOutputParameterSpec>>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        runtime_value: Option<Cow<'a, super::ValueOrRuntimeParameter>>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        component_input_parameter: Option<Cow<'a, str>>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        task_final_status: Option<Cow<'a, super::TaskFinalStatus>>,
        #[serde(default, skip_serializing_if = "is_default")]
        parameter_expression_selector: Cow<'a, str>,
    }

    impl OneOf for InputParameterSpec<'_> {
        const KEYS: &'static [&'static str] = &[
            "taskOutputParameter",
            "runtimeValue",
            "componentInputParameter",
            "taskFinalStatus",
        ];
    }

    impl TryFrom<InputParameterSpec<'_>> for super::InputParameterSpec {
        type Error = String;

        fn try_from(w: InputParameterSpec<'_>) -> Result<Self, String> {
            use super::InputParameterKind as K;
            let kind = at_most_one(
                "InputParameterSpec",
                "kind",
                vec![
                    (
                        "taskOutputParameter",
                        w.task_output_parameter
                            .map(|x| K::TaskOutputParameter(x.into_owned())),
                    ),
                    (
                        "runtimeValue",
                        w.runtime_value.map(|x| K::RuntimeValue(x.into_owned())),
                    ),
                    (
                        "componentInputParameter",
                        w.component_input_parameter
                            .map(|x| K::ComponentInputParameter(x.into())),
                    ),
                    (
                        "taskFinalStatus",
                        w.task_final_status
                            .map(|x| K::TaskFinalStatus(x.into_owned())),
                    ),
                ],
            )?;
            Ok(Self {
                kind,
                parameter_expression_selector: w.parameter_expression_selector.into(),
            })
        }
    }

    impl<'a> From<&'a super::InputParameterSpec> for InputParameterSpec<'a> {
        fn from(v: &'a super::InputParameterSpec) -> Self {
            use super::InputParameterKind as K;
            let mut w = InputParameterSpec {
                parameter_expression_selector: Cow::Borrowed(&v.parameter_expression_selector),
                ..Default::default()
            };
            match &v.kind {
                Some(K::TaskOutputParameter(x)) => w.task_output_parameter = Some(Cow::Borrowed(x)),
                Some(K::RuntimeValue(x)) => w.runtime_value = Some(Cow::Borrowed(x)),
                Some(K::ComponentInputParameter(x)) => {
                    w.component_input_parameter = Some(Cow::Borrowed(x))
                }
                Some(K::TaskFinalStatus(x)) => w.task_final_status = Some(Cow::Borrowed(x)),
                None => {}
            }
            w
        }
    }

    /// Written through the borrowed wire form: nothing is copied.
    impl Serialize for super::InputParameterSpec {
        fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
            InputParameterSpec::from(self).serialize(s)
        }
    }

    #[derive(Default, Serialize, Deserialize, JsonSchema)]
    #[serde(rename_all = "camelCase", deny_unknown_fields)]
    #[schemars(
        rename = "ValueOrRuntimeParameter",
        description = "ValueOrRuntimeParameter: a constant value or the name of a runtime parameter.",
        transform = oneof::<Self>
    )]
    pub struct ValueOrRuntimeParameter {
        #[serde(default, skip_serializing_if = "Option::is_none")]
        constant_value: Option<super::Value>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        runtime_parameter: Option<crate::CompactString>,
        // `google.protobuf.Value` has a JSON `null`, so presence is kept with
        // a double option.
        #[serde(
            default,
            skip_serializing_if = "Option::is_none",
            deserialize_with = "present"
        )]
        constant: Option<serde_json::Value>,
    }

    /// Deserializes a present key as `Some`, even when its value is `null`.
    pub(super) fn present<'de, D: serde::Deserializer<'de>>(
        d: D,
    ) -> Result<Option<serde_json::Value>, D::Error> {
        serde_json::Value::deserialize(d).map(Some)
    }

    impl OneOf for ValueOrRuntimeParameter {
        const KEYS: &'static [&'static str] = &["constantValue", "runtimeParameter", "constant"];
    }

    impl TryFrom<ValueOrRuntimeParameter> for super::ValueOrRuntimeParameter {
        type Error = String;

        fn try_from(w: ValueOrRuntimeParameter) -> Result<Self, String> {
            use super::ValueOrRuntimeParameter as V;
            at_most_one(
                "ValueOrRuntimeParameter",
                "value",
                vec![
                    ("constantValue", w.constant_value.map(V::ConstantValue)),
                    ("runtimeParameter", w.runtime_parameter.map(V::RuntimeParameter)),
                    ("constant", w.constant.map(V::Constant)),
                ],
            )?
            .ok_or_else(|| {
                "ValueOrRuntimeParameter: one of `constant`, `runtimeParameter` or `constantValue` is required"
                    .to_owned()
            })
        }
    }

    impl From<super::ValueOrRuntimeParameter> for ValueOrRuntimeParameter {
        fn from(v: super::ValueOrRuntimeParameter) -> Self {
            use super::ValueOrRuntimeParameter as V;
            let mut w = ValueOrRuntimeParameter::default();
            match v {
                V::Constant(x) => w.constant = Some(x),
                V::RuntimeParameter(x) => w.runtime_parameter = Some(x),
                V::ConstantValue(x) => w.constant_value = Some(x),
            }
            w
        }
    }

    #[derive(Default, Serialize, Deserialize, JsonSchema)]
    #[serde(rename_all = "camelCase", deny_unknown_fields)]
    #[schemars(
        rename = "Value",
        description = "ml_pipelines.Value (deprecated since schema 2.1.0): a typed constant.",
        transform = oneof::<Self>
    )]
    pub struct Value {
        #[serde(
            default,
            skip_serializing_if = "Option::is_none",
            with = "protojson::opt_int64"
        )]
        #[schemars(with = "Option<protojson::Int64>")]
        int_value: Option<i64>,
        #[serde(default, skip_serializing_if = "Option::is_none", with = "opt_double")]
        #[schemars(with = "Option<protojson::Double>")]
        double_value: Option<f64>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        string_value: Option<crate::CompactString>,
    }

    /// `Option<f64>` through [`protojson::double`].
    mod opt_double {
        use serde::{Deserializer, Serializer};

        pub fn serialize<S: Serializer>(v: &Option<f64>, s: S) -> Result<S::Ok, S::Error> {
            match v {
                Some(v) => crate::protojson::double::serialize(v, s),
                None => s.serialize_none(),
            }
        }

        pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Option<f64>, D::Error> {
            crate::protojson::double::deserialize(d).map(Some)
        }
    }

    impl OneOf for Value {
        const KEYS: &'static [&'static str] = &["intValue", "doubleValue", "stringValue"];
    }

    impl TryFrom<Value> for super::Value {
        type Error = String;

        fn try_from(w: Value) -> Result<Self, String> {
            use super::Value as V;
            at_most_one(
                "Value",
                "value",
                vec![
                    ("intValue", w.int_value.map(V::IntValue)),
                    ("doubleValue", w.double_value.map(V::DoubleValue)),
                    ("stringValue", w.string_value.map(V::StringValue)),
                ],
            )?
            .ok_or_else(|| {
                "Value: one of `intValue`, `doubleValue` or `stringValue` is required".to_owned()
            })
        }
    }

    impl From<super::Value> for Value {
        fn from(v: super::Value) -> Self {
            use super::Value as V;
            let mut w = Value::default();
            match v {
                V::IntValue(x) => w.int_value = Some(x),
                V::DoubleValue(x) => w.double_value = Some(x),
                V::StringValue(x) => w.string_value = Some(x),
            }
            w
        }
    }
}
