//! Parameter types: how Rust values map to KFP's parameter types.

use std::collections::{BTreeMap, HashMap};

use serde::Serialize;
use serde::de::DeserializeOwned;
use serde_json::Value;

pub use kfp_compiler::graph::ParameterType as ParamKind;

/// An error turning a JSON value into a parameter of a Rust type.
#[derive(Debug, thiserror::Error)]
#[error("expected {expected}, got `{got}`")]
pub struct ParamValueError {
    /// What was expected, in words.
    pub expected: String,
    /// The value received.
    pub got: Value,
}

/// A Rust type that can be a KFP parameter.
///
/// Implemented for `String`, `bool`, every integer type, `f32`/`f64`,
/// `Vec<T>`, string-keyed maps, `serde_json::Map`, and `Option<T>` (an
/// optional input). Make a serde struct a `STRUCT` parameter with
/// [`struct_parameter!`](crate::struct_parameter).
#[diagnostic::on_unimplemented(
    message = "`{Self}` is not a KFP parameter type",
    note = "KFP parameters are `String`, `bool`, integers, `f32`/`f64`, `Vec<T>`, maps, `Option<T>`, \
            or a serde struct declared with `kfp_dsl::struct_parameter!`"
)]
pub trait Parameter: Sized + 'static {
    /// The KFP parameter type.
    const KIND: ParamKind;
    /// Whether the input may be left unset (`Option<T>`).
    const OPTIONAL: bool = false;
    /// The value as a `google.protobuf.Value`.
    fn to_value(&self) -> Value;
    /// Reads the value given by KFP. `Null` means "not set".
    fn from_value(value: Value) -> Result<Self, ParamValueError>;
}

fn mismatch<T>(expected: &str, got: Value) -> Result<T, ParamValueError> {
    Err(ParamValueError {
        expected: expected.to_owned(),
        got,
    })
}

impl Parameter for String {
    const KIND: ParamKind = ParamKind::String;
    fn to_value(&self) -> Value {
        Value::String(self.clone())
    }
    fn from_value(value: Value) -> Result<Self, ParamValueError> {
        match value {
            Value::String(s) => Ok(s),
            other => mismatch("a string", other),
        }
    }
}

impl Parameter for bool {
    const KIND: ParamKind = ParamKind::Boolean;
    fn to_value(&self) -> Value {
        Value::Bool(*self)
    }
    fn from_value(value: Value) -> Result<Self, ParamValueError> {
        match value {
            Value::Bool(b) => Ok(b),
            // The launcher may hand booleans over as text.
            Value::String(s) if s == "true" => Ok(true),
            Value::String(s) if s == "false" => Ok(false),
            other => mismatch("a boolean", other),
        }
    }
}

macro_rules! integer_parameter {
    ($($t:ty),*) => {$(
        impl Parameter for $t {
            const KIND: ParamKind = ParamKind::Integer;
            fn to_value(&self) -> Value {
                Value::from(*self)
            }
            fn from_value(value: Value) -> Result<Self, ParamValueError> {
                let expected = concat!("an integer that fits in `", stringify!($t), "`");
                // protobuf Values carry numbers as doubles: `2` may come as `2.0`.
                let parsed = match &value {
                    Value::Number(n) => n
                        .as_i64()
                        .map(i128::from)
                        .or_else(|| n.as_u64().map(i128::from))
                        .or_else(|| {
                            n.as_f64()
                                .filter(|f| f.fract() == 0.0 && f.abs() < 9.0e15)
                                .map(|f| f as i128)
                        }),
                    Value::String(s) => s.trim().parse::<i128>().ok(),
                    _ => None,
                };
                parsed
                    .and_then(|i| <$t>::try_from(i).ok())
                    .map_or_else(|| mismatch(expected, value), Ok)
            }
        }
    )*};
}
integer_parameter!(i8, i16, i32, i64, u8, u16, u32, u64, isize, usize);

macro_rules! float_parameter {
    ($($t:ty),*) => {$(
        impl Parameter for $t {
            const KIND: ParamKind = ParamKind::Double;
            fn to_value(&self) -> Value {
                serde_json::Number::from_f64(f64::from(*self)).map_or(Value::Null, Value::Number)
            }
            fn from_value(value: Value) -> Result<Self, ParamValueError> {
                let parsed = match &value {
                    Value::Number(n) => n.as_f64(),
                    Value::String(s) => s.trim().parse::<f64>().ok(),
                    _ => None,
                };
                #[allow(clippy::cast_possible_truncation)]
                parsed.map(|f| f as $t).map_or_else(|| mismatch("a number", value), Ok)
            }
        }
    )*};
}
float_parameter!(f32, f64);

fn from_json<T: DeserializeOwned>(expected: &str, value: Value) -> Result<T, ParamValueError> {
    // A list or struct may arrive as JSON text from a text output file.
    let value = match value {
        Value::String(s) => serde_json::from_str(&s).unwrap_or(Value::String(s)),
        other => other,
    };
    serde_json::from_value(value.clone()).or_else(|_| mismatch(expected, value))
}

fn to_json<T: Serialize>(value: &T) -> Value {
    serde_json::to_value(value).unwrap_or(Value::Null)
}

impl<T: Serialize + DeserializeOwned + 'static> Parameter for Vec<T> {
    const KIND: ParamKind = ParamKind::List;
    fn to_value(&self) -> Value {
        to_json(self)
    }
    fn from_value(value: Value) -> Result<Self, ParamValueError> {
        from_json("a list", value)
    }
}

impl<V: Serialize + DeserializeOwned + 'static> Parameter for BTreeMap<String, V> {
    const KIND: ParamKind = ParamKind::Struct;
    fn to_value(&self) -> Value {
        to_json(self)
    }
    fn from_value(value: Value) -> Result<Self, ParamValueError> {
        from_json("a JSON object", value)
    }
}

impl<V: Serialize + DeserializeOwned + 'static, S: std::hash::BuildHasher + Default + 'static>
    Parameter for HashMap<String, V, S>
{
    const KIND: ParamKind = ParamKind::Struct;
    fn to_value(&self) -> Value {
        to_json(self)
    }
    fn from_value(value: Value) -> Result<Self, ParamValueError> {
        from_json("a JSON object", value)
    }
}

impl Parameter for serde_json::Map<String, Value> {
    const KIND: ParamKind = ParamKind::Struct;
    fn to_value(&self) -> Value {
        Value::Object(self.clone())
    }
    fn from_value(value: Value) -> Result<Self, ParamValueError> {
        from_json("a JSON object", value)
    }
}

/// A parameter whose values are JSON objects (KFP's `STRUCT`): string-keyed
/// maps, `serde_json::Map`, and the structs declared with
/// [`struct_parameter!`](crate::struct_parameter). The fields of a loop's
/// item are read with [`LoopItem::field`](crate::LoopItem::field) when the
/// items are such objects.
#[diagnostic::on_unimplemented(
    message = "`{Self}` is not an object (STRUCT) parameter, so it has no fields",
    note = "objects are string-keyed maps, `serde_json::Map`, or serde structs declared with \
            `kfp_dsl::struct_parameter!`"
)]
pub trait StructParameter: Parameter {}

impl<V: Serialize + DeserializeOwned + 'static> StructParameter for BTreeMap<String, V> {}

impl<V: Serialize + DeserializeOwned + 'static, S: std::hash::BuildHasher + Default + 'static>
    StructParameter for HashMap<String, V, S>
{
}

impl StructParameter for serde_json::Map<String, Value> {}

impl<T: Parameter> Parameter for Option<T> {
    const KIND: ParamKind = T::KIND;
    const OPTIONAL: bool = true;
    fn to_value(&self) -> Value {
        self.as_ref().map_or(Value::Null, T::to_value)
    }
    fn from_value(value: Value) -> Result<Self, ParamValueError> {
        match value {
            Value::Null => Ok(None),
            other => T::from_value(other).map(Some),
        }
    }
}

/// Makes a serde struct (or enum) a KFP `STRUCT` parameter.
///
/// ```
/// #[derive(serde::Serialize, serde::Deserialize)]
/// struct Config { depth: u32 }
/// kfp_dsl::struct_parameter!(Config);
/// use kfp_dsl::Parameter;
/// assert_eq!(Config { depth: 3 }.to_value(), serde_json::json!({"depth": 3}));
/// ```
#[macro_export]
macro_rules! struct_parameter {
    ($($t:ty),+ $(,)?) => {$(
        impl $crate::Parameter for $t {
            const KIND: $crate::ParamKind = $crate::ParamKind::Struct;
            fn to_value(&self) -> $crate::__private::serde_json::Value {
                $crate::__private::serde_json::to_value(self)
                    .unwrap_or($crate::__private::serde_json::Value::Null)
            }
            fn from_value(
                value: $crate::__private::serde_json::Value,
            ) -> ::core::result::Result<Self, $crate::ParamValueError> {
                $crate::__private::struct_from_value(value)
            }
        }
        impl $crate::StructParameter for $t {}
    )+};
}

#[doc(hidden)]
pub fn struct_from_value<T: DeserializeOwned>(value: Value) -> Result<T, ParamValueError> {
    from_json("a JSON object", value)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn integers_accept_whole_doubles_and_reject_overflow() {
        assert_eq!(i64::from_value(json!(2.0)).unwrap(), 2);
        assert_eq!(u8::from_value(json!("7")).unwrap(), 7);
        assert!(u8::from_value(json!(300)).is_err());
        assert!(i32::from_value(json!(2.5)).is_err());
    }

    #[test]
    fn kinds_follow_kfp() {
        assert_eq!(<Vec<i64>>::KIND, ParamKind::List);
        assert_eq!(<BTreeMap<String, i64>>::KIND, ParamKind::Struct);
        assert_eq!(<Option<f32>>::KIND, ParamKind::Double);
        const { assert!(<Option<f32>>::OPTIONAL) };
        const { assert!(!String::OPTIONAL) };
    }

    #[test]
    fn options_read_null_as_none() {
        assert_eq!(<Option<String>>::from_value(Value::Null).unwrap(), None);
        assert_eq!(
            <Option<String>>::from_value(json!("x")).unwrap(),
            Some("x".to_owned())
        );
        let err = bool::from_value(json!(1)).unwrap_err();
        assert_eq!(err.to_string(), "expected a boolean, got `1`");
    }

    #[test]
    fn lists_may_come_as_json_text() {
        assert_eq!(<Vec<i64>>::from_value(json!("[1, 2]")).unwrap(), vec![1, 2]);
    }
}
