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

mod artifact_type;

pub use artifact_type::{ArtifactTypeKind, ArtifactTypeSchema};

/// A `google.protobuf.Struct`: a JSON object with any content.
pub type Struct = serde_json::Map<String, serde_json::Value>;

/// `TaskInputsSpec.InputParameterSpec`: where a task input parameter takes its
/// value from.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(
    try_from = "wire::InputParameterSpec",
    into = "wire::InputParameterSpec"
)]
pub struct InputParameterSpec {
    /// The source of the value (`oneof kind`).
    pub kind: Option<InputParameterKind>,
    /// A CEL expression applied to the resolved value, for example
    /// `parseJson(string_value)["key"]`.
    pub parameter_expression_selector: String,
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
    ComponentInputParameter(String),
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
    pub producer_task: String,
    /// The output parameter's name in the producer's component.
    #[serde(default, skip_serializing_if = "is_default")]
    pub output_parameter_key: String,
}

/// `TaskInputsSpec.InputParameterSpec.TaskFinalStatus`: the final status of a
/// task, given to an exit task.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct TaskFinalStatus {
    /// The task whose status is passed.
    #[serde(default, skip_serializing_if = "is_default")]
    pub producer_task: String,
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
    RuntimeParameter(String),
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
    StringValue(String),
}

/// Wire forms of the messages that hold a `oneof`: one `Option` per key, as
/// the JSON has them. Conversions check that at most one key is set.
///
/// In here a bare message name is the wire form; `super::X` is the domain type.
mod wire {
    use schemars::JsonSchema;
    use serde::{Deserialize, Serialize};

    use crate::protojson::{self, OneOf, is_default, oneof};

    /// The error of reading two members of one `oneof`.
    fn conflict(message: &str, oneof_name: &str, keys: &[&str]) -> String {
        format!(
            "{message}: only one of {} may be set (they are the `oneof {oneof_name}`)",
            keys.iter()
                .map(|k| format!("`{k}`"))
                .collect::<Vec<_>>()
                .join(", ")
        )
    }

    /// Takes the one member set, or `None`; errors when several are set.
    pub(super) fn at_most_one<T>(
        message: &str,
        oneof_name: &str,
        members: Vec<(&'static str, Option<T>)>,
    ) -> Result<Option<T>, String> {
        let mut found: Vec<(&str, T)> = members
            .into_iter()
            .filter_map(|(k, v)| v.map(|v| (k, v)))
            .collect();
        if found.len() > 1 {
            let keys: Vec<&str> = found.iter().map(|(k, _)| *k).collect();
            return Err(conflict(message, oneof_name, &keys));
        }
        Ok(found.pop().map(|(_, v)| v))
    }

    #[derive(Default, Serialize, Deserialize, JsonSchema)]
    #[serde(rename_all = "camelCase", deny_unknown_fields)]
    #[schemars(
        rename = "InputParameterSpec",
        description = "TaskInputsSpec.InputParameterSpec: where a task input parameter takes its value from.",
        transform = oneof::<Self>
    )]
    pub struct InputParameterSpec {
        #[serde(default, skip_serializing_if = "Option::is_none")]
        task_output_parameter: Option<super::TaskOutputParameterSpec>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        runtime_value: Option<super::ValueOrRuntimeParameter>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        component_input_parameter: Option<String>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        task_final_status: Option<super::TaskFinalStatus>,
        #[serde(default, skip_serializing_if = "is_default")]
        parameter_expression_selector: String,
    }

    impl OneOf for InputParameterSpec {
        const KEYS: &'static [&'static str] = &[
            "taskOutputParameter",
            "runtimeValue",
            "componentInputParameter",
            "taskFinalStatus",
        ];
    }

    impl TryFrom<InputParameterSpec> for super::InputParameterSpec {
        type Error = String;

        fn try_from(w: InputParameterSpec) -> Result<Self, String> {
            use super::InputParameterKind as K;
            let kind = at_most_one(
                "InputParameterSpec",
                "kind",
                vec![
                    (
                        "taskOutputParameter",
                        w.task_output_parameter.map(K::TaskOutputParameter),
                    ),
                    ("runtimeValue", w.runtime_value.map(K::RuntimeValue)),
                    (
                        "componentInputParameter",
                        w.component_input_parameter.map(K::ComponentInputParameter),
                    ),
                    (
                        "taskFinalStatus",
                        w.task_final_status.map(K::TaskFinalStatus),
                    ),
                ],
            )?;
            Ok(Self {
                kind,
                parameter_expression_selector: w.parameter_expression_selector,
            })
        }
    }

    impl From<super::InputParameterSpec> for InputParameterSpec {
        fn from(v: super::InputParameterSpec) -> Self {
            use super::InputParameterKind as K;
            let mut w = InputParameterSpec {
                parameter_expression_selector: v.parameter_expression_selector,
                ..Default::default()
            };
            match v.kind {
                Some(K::TaskOutputParameter(x)) => w.task_output_parameter = Some(x),
                Some(K::RuntimeValue(x)) => w.runtime_value = Some(x),
                Some(K::ComponentInputParameter(x)) => w.component_input_parameter = Some(x),
                Some(K::TaskFinalStatus(x)) => w.task_final_status = Some(x),
                None => {}
            }
            w
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
        runtime_parameter: Option<String>,
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
    fn present<'de, D: serde::Deserializer<'de>>(
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
        string_value: Option<String>,
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
