//! Parameter types: how Rust values map to KFP's parameter types.

use std::collections::{BTreeMap, HashMap};

use kfp_ir_schema::parameter::{as_integer, whole_numbers_as_integers};
use kfp_ir_schema::printable::excerpt;
use serde::Serialize;
use serde::de::DeserializeOwned;
use serde_json::Value;

pub use kfp_compiler::graph::ParameterType as ParamKind;

/// An error turning a JSON value into a parameter of a Rust type.
///
/// It displays as `expected a list, got `"x"``, or, when the problem is
/// inside the value, as where and what serde said: ``at `[1]`: invalid
/// type: floating point `8.5`, expected i64``.
#[derive(Debug, thiserror::Error)]
#[error("{}", self.describe(None))]
pub struct ParamValueError {
    /// What was expected, in words.
    pub expected: String,
    /// The value received; the part of it at [`path`](Self::path) when
    /// the problem is inside it.
    pub got: Value,
    /// Where inside the value the problem is, as serde names it (`[1]`,
    /// `config.lr`, `layers[0].size`); empty when it is the value itself.
    pub path: String,
    /// What serde said, when the value did not deserialize.
    pub reason: Option<String>,
}

/// How many characters of a value a message shows.
const SHOWN_CHARS: usize = 200;

impl ParamValueError {
    /// The value `got` is not what was `expected`.
    pub fn new(expected: impl Into<String>, got: Value) -> Self {
        Self {
            expected: expected.into(),
            got,
            path: String::new(),
            reason: None,
        }
    }

    /// The message, with the path inside the value given to `input` named
    /// from the input (`nums[1]`, `config.lr`).
    pub fn describe(&self, input: Option<&str>) -> String {
        let reason = self.reason.as_deref().map(|r| excerpt(r, SHOWN_CHARS));
        if self.path.is_empty() {
            let got = excerpt(&self.got.to_string(), SHOWN_CHARS).into_owned();
            return match reason {
                Some(reason) => format!("expected {}, got `{got}`: {reason}", self.expected),
                None => format!("expected {}, got `{got}`", self.expected),
            };
        }
        let path = match input {
            Some(input) if self.path.starts_with('[') => format!("{input}{}", self.path),
            Some(input) => format!("{input}.{}", self.path),
            None => self.path.clone(),
        };
        format!(
            "at `{}`: {}",
            excerpt(&path, SHOWN_CHARS),
            reason.unwrap_or_default()
        )
    }
}

/// A Rust type that can be a KFP parameter.
///
/// Implemented for `String`, `bool`, every integer type, `f32`/`f64`,
/// `Vec<T>`, string-keyed maps, `serde_json::Map`, [`Untyped`] (the item of
/// a list of no element type) and `Option<T>` (an optional input). Make a serde struct a `STRUCT` parameter with
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
    Err(ParamValueError::new(expected, got))
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
                // protobuf Values carry numbers as doubles: `2` may come as
                // `2.0` (KFP's rule, kfp-ir-schema's `as_integer`).
                let parsed = match &value {
                    Value::Number(n) => n
                        .as_u64()
                        .map(i128::from)
                        .or_else(|| as_integer(n).map(i128::from)),
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

/// Reads a list or an object (or any serde type) from a parameter value.
///
/// Its numbers travelled as doubles (`google.protobuf.Value`), so an
/// integer anywhere inside may come as `8.0` (kfp.local sends the integers
/// of a list so): every whole-number float is read as the integer it
/// stands for, as kfp-ir-schema's `whole_numbers_as_integers` writes it
/// (a float field takes it all the same). When the value does not
/// deserialize, the error says where inside it and what serde said.
pub(crate) fn from_json<T: DeserializeOwned>(
    expected: &str,
    value: Value,
) -> Result<T, ParamValueError> {
    // A list or struct may arrive as JSON text from a text output file.
    let mut value = match value {
        Value::String(s) => serde_json::from_str(&s).unwrap_or(Value::String(s)),
        other => other,
    };
    whole_numbers_as_integers(&mut value);
    let error = match serde_path_to_error::deserialize::<_, T>(&value) {
        Ok(read) => return Ok(read),
        Err(error) => error,
    };
    let segments: Vec<_> = error.path().iter().cloned().collect();
    let path = if segments.is_empty() {
        String::new()
    } else {
        error.path().to_string()
    };
    let got = value_at(&value, &segments).cloned().unwrap_or(Value::Null);
    Err(ParamValueError {
        expected: expected.to_owned(),
        got,
        path,
        reason: Some(error.into_inner().to_string()),
    })
}

/// The part of `value` at a serde path, as far as it goes into lists and
/// objects.
fn value_at<'v>(value: &'v Value, path: &[serde_path_to_error::Segment]) -> Option<&'v Value> {
    use serde_path_to_error::Segment;
    path.iter().try_fold(value, |value, segment| match segment {
        Segment::Seq { index } => value.get(index),
        Segment::Map { key } => value.get(key.as_str()),
        Segment::Enum { .. } | Segment::Unknown => Some(value),
    })
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

/// A value kfp knows no type of: an item of a list whose element type is
/// not given (Python's bare `list`, `Vec<Untyped>` here). kfp types such
/// an item `STRING`, whatever JSON it holds, so a loop item of this type is
/// a `STRING` input, can be given to `String` inputs as it is, and can
/// have its fields read ([`LoopItem::field`](crate::LoopItem::field)) when
/// it holds an object, as kfp's `item.field` on such a list.
///
/// ```
/// use kfp_dsl::prelude::*;
/// use kfp_dsl::Untyped;
///
/// #[component]
/// fn show(msg: String) {
///     println!("{msg}");
/// }
///
/// #[pipeline]
/// fn each(rows: Vec<Untyped>) {
///     parallel_for(rows, |row| {
///         show(row);
///         show(row.field("name"));
///     });
/// }
///
/// fn main() {
///     let (_, yaml) = kfp_dsl::compile_to_string(each::ENTRY, false).unwrap();
///     assert!(yaml.contains("pipelinechannel--rows-loop-item:\n          parameterType: STRING"));
/// }
/// ```
#[derive(Clone, Debug, PartialEq, serde::Serialize, serde::Deserialize)]
#[serde(transparent)]
pub struct Untyped(pub Value);

impl Parameter for Untyped {
    const KIND: ParamKind = ParamKind::String;
    fn to_value(&self) -> Value {
        self.0.clone()
    }
    fn from_value(value: Value) -> Result<Self, ParamValueError> {
        match value {
            Value::Null => mismatch("a value", Value::Null),
            other => Ok(Untyped(other)),
        }
    }
}

impl StructParameter for Untyped {}

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

    #[derive(Debug, PartialEq, serde::Serialize, serde::Deserialize)]
    struct Layer {
        size: u32,
        rate: f64,
    }
    crate::struct_parameter!(Layer);

    /// The probe: kfp.local sends the integers of a list as `8.0`, which a
    /// `Vec<i64>` refused with "expected a list".
    #[test]
    fn whole_number_floats_are_integers_at_any_depth() {
        assert_eq!(
            <Vec<i64>>::from_value(json!([8.0, 10.0, 12.0])).unwrap(),
            vec![8, 10, 12]
        );
        assert_eq!(
            <Vec<Vec<u8>>>::from_value(json!([[1.0], [2, 3.0]])).unwrap(),
            vec![vec![1], vec![2, 3]]
        );
        assert_eq!(
            <BTreeMap<String, i32>>::from_value(json!({"a": -4.0})).unwrap()["a"],
            -4
        );
        assert_eq!(
            Layer::from_value(json!({"size": 64.0, "rate": 1.0})).unwrap(),
            Layer {
                size: 64,
                rate: 1.0
            }
        );
        assert_eq!(
            <Vec<f64>>::from_value(json!([1.0, 2.5])).unwrap(),
            vec![1.0, 2.5]
        );
        assert_eq!(
            i64::from_value(json!(-9.007199254740992e15)).unwrap(),
            -9_007_199_254_740_992
        );
    }

    #[test]
    fn a_fraction_for_an_integer_is_refused_saying_where() {
        let err = <Vec<i64>>::from_value(json!([8.0, 8.5])).unwrap_err();
        assert_eq!(err.path, "[1]");
        assert_eq!(err.got, json!(8.5));
        assert_eq!(
            err.describe(Some("nums")),
            "at `nums[1]`: invalid type: floating point `8.5`, expected i64"
        );
        let err = Layer::from_value(json!({"size": 64.5, "rate": 1})).unwrap_err();
        assert_eq!(
            err.describe(Some("layer")),
            "at `layer.size`: invalid type: floating point `64.5`, expected u32"
        );
    }

    /// serde's own error says why a struct does not read.
    #[test]
    fn a_struct_that_does_not_read_says_why() {
        let err = Layer::from_value(json!({"size": 3})).unwrap_err();
        assert_eq!(
            err.to_string(),
            r#"expected a JSON object, got `{"size":3}`: missing field `rate`"#
        );
        let err = <Vec<String>>::from_value(json!(7)).unwrap_err();
        assert_eq!(
            err.to_string(),
            "expected a list, got `7`: invalid type: integer `7`, expected a sequence"
        );
    }
}
