//! The proto3 JSON mapping ("protojson") rules that the IR follows, as serde
//! helpers and schema types.
//!
//! KFP writes its IR with `json_format.MessageToDict` and reads it with Go's
//! `protojson.Unmarshal`, so these helpers follow both:
//!
//! * `int64`/`uint64` are written as JSON strings and read from a string or a
//!   number ([`int64`], [`opt_int64`]);
//! * `int32` is written as a number and read from a number or a numeric
//!   string ([`int32`], [`opt_int32`]);
//! * `double` is written as a number and read from a number, a numeric string
//!   or one of `"NaN"`, `"Infinity"`, `"-Infinity"` ([`double`]);
//! * fields holding their proto3 default are left out ([`is_default`]);
//! * enums are written by name and read from the name or the number
//!   ([`proto_enum!`](crate::proto_enum!)).
//!
//! Every helper comes with a schema-only type (`Int64`, `Int32`, `Double`) for
//! `#[schemars(with = ...)]`, so the generated JSON Schema accepts exactly what
//! the serde helpers accept.

use std::borrow::Cow;

use schemars::{JsonSchema, Schema, SchemaGenerator, json_schema};
use serde::de::{self, Deserializer, Unexpected, Visitor};
use serde::ser::Serializer;

/// True when `value` is its type's default: the proto3 rule for leaving a
/// field out of the JSON.
pub fn is_default<T: Default + PartialEq>(value: &T) -> bool {
    *value == T::default()
}

/// Pattern of a protojson integer written as a string.
const INT_PATTERN: &str = r"^-?[0-9]+$";

/// Schema of an `int64` field: a decimal string (as KFP writes it) or an
/// integer.
pub struct Int64;

impl JsonSchema for Int64 {
    fn schema_name() -> Cow<'static, str> {
        "Int64".into()
    }

    fn json_schema(_: &mut SchemaGenerator) -> Schema {
        json_schema!({
            "description": "A protobuf int64: written as a decimal string, read from a string or an integer.",
            "anyOf": [
                { "type": "string", "pattern": INT_PATTERN },
                { "type": "integer", "minimum": i64::MIN, "maximum": i64::MAX }
            ]
        })
    }
}

/// Schema of an `int32` field: an integer, or a decimal string.
pub struct Int32;

impl JsonSchema for Int32 {
    fn schema_name() -> Cow<'static, str> {
        "Int32".into()
    }

    fn json_schema(_: &mut SchemaGenerator) -> Schema {
        json_schema!({
            "description": "A protobuf int32: written as an integer, read from an integer or a decimal string.",
            "anyOf": [
                { "type": "integer", "minimum": i32::MIN, "maximum": i32::MAX },
                { "type": "string", "pattern": INT_PATTERN }
            ]
        })
    }
}

/// Schema of a `double` field: a number, a numeric string, or one of the
/// special values `NaN`, `Infinity` and `-Infinity`.
pub struct Double;

impl JsonSchema for Double {
    fn schema_name() -> Cow<'static, str> {
        "Double".into()
    }

    fn json_schema(_: &mut SchemaGenerator) -> Schema {
        json_schema!({
            "description": "A protobuf double: written as a number, read from a number or a string.",
            "anyOf": [
                { "type": "number" },
                { "type": "string", "pattern": r"^(NaN|-?Infinity|-?[0-9]+(\.[0-9]*)?([eE][-+]?[0-9]+)?|-?\.[0-9]+([eE][-+]?[0-9]+)?)$" }
            ]
        })
    }
}

/// Parses a protojson integer given as a string.
fn parse_int<T: std::str::FromStr, E: de::Error>(s: &str) -> Result<T, E> {
    // protojson accepts no sign but `-`, no spaces and no fraction in a
    // quoted integer.
    let digits = s.strip_prefix('-').unwrap_or(s);
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return Err(E::invalid_value(Unexpected::Str(s), &"an integer"));
    }
    s.parse()
        .map_err(|_| E::invalid_value(Unexpected::Str(s), &"an integer in range"))
}

/// A visitor that takes an integer from a JSON number or a decimal string.
struct IntVisitor<T>(std::marker::PhantomData<T>);

macro_rules! int_visitor {
    ($t:ty, $what:literal) => {
        impl<'de> Visitor<'de> for IntVisitor<$t> {
            type Value = $t;

            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str($what)
            }

            fn visit_i64<E: de::Error>(self, v: i64) -> Result<$t, E> {
                <$t>::try_from(v).map_err(|_| E::invalid_value(Unexpected::Signed(v), &self))
            }

            fn visit_u64<E: de::Error>(self, v: u64) -> Result<$t, E> {
                <$t>::try_from(v).map_err(|_| E::invalid_value(Unexpected::Unsigned(v), &self))
            }

            fn visit_f64<E: de::Error>(self, v: f64) -> Result<$t, E> {
                // protojson accepts `1.0` for an integer field, but no fraction.
                if v.fract() == 0.0 && v >= <$t>::MIN as f64 && v <= <$t>::MAX as f64 {
                    Ok(v as $t)
                } else {
                    Err(E::invalid_value(Unexpected::Float(v), &self))
                }
            }

            fn visit_str<E: de::Error>(self, v: &str) -> Result<$t, E> {
                parse_int(v)
            }
        }
    };
}

int_visitor!(i64, "an int64 (a decimal string or an integer)");
int_visitor!(i32, "an int32 (an integer or a decimal string)");

/// `#[serde(with = "protojson::int64")]`: an `i64` written as a string.
pub mod int64 {
    use super::*;

    /// Writes the value as a decimal string.
    pub fn serialize<S: Serializer>(value: &i64, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(value)
    }

    /// Reads a decimal string or an integer.
    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<i64, D::Error> {
        d.deserialize_any(IntVisitor::<i64>(std::marker::PhantomData))
    }
}

/// `#[serde(with = "protojson::opt_int64")]`: an `Option<i64>` (a proto3
/// `optional int64`) written as a string when present.
pub mod opt_int64 {
    use super::*;

    /// Writes the value as a decimal string (callers skip `None`).
    pub fn serialize<S: Serializer>(value: &Option<i64>, s: S) -> Result<S::Ok, S::Error> {
        match value {
            Some(v) => s.collect_str(v),
            None => s.serialize_none(),
        }
    }

    /// Reads a decimal string or an integer.
    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Option<i64>, D::Error> {
        super::int64::deserialize(d).map(Some)
    }
}

/// `#[serde(with = "protojson::int32")]`: an `i32` written as a number and
/// read from a number or a decimal string.
pub mod int32 {
    use super::*;

    /// Writes the value as a number.
    pub fn serialize<S: Serializer>(value: &i32, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_i32(*value)
    }

    /// Reads an integer or a decimal string.
    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<i32, D::Error> {
        d.deserialize_any(IntVisitor::<i32>(std::marker::PhantomData))
    }
}

/// `#[serde(with = "protojson::opt_int32")]`: an `Option<i32>` (a proto3
/// `optional int32`).
pub mod opt_int32 {
    use super::*;

    /// Writes the value as a number (callers skip `None`).
    pub fn serialize<S: Serializer>(value: &Option<i32>, s: S) -> Result<S::Ok, S::Error> {
        match value {
            Some(v) => s.serialize_i32(*v),
            None => s.serialize_none(),
        }
    }

    /// Reads an integer or a decimal string.
    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Option<i32>, D::Error> {
        super::int32::deserialize(d).map(Some)
    }
}

/// `#[serde(with = "protojson::double")]`: an `f64` read from a number or a
/// string, written as a number (or as `"NaN"`/`"Infinity"`/`"-Infinity"`).
pub mod double {
    use super::*;

    /// Writes a finite value as a number and a special value as its name.
    pub fn serialize<S: Serializer>(value: &f64, s: S) -> Result<S::Ok, S::Error> {
        if value.is_nan() {
            s.serialize_str("NaN")
        } else if value.is_infinite() {
            s.serialize_str(if *value > 0.0 {
                "Infinity"
            } else {
                "-Infinity"
            })
        } else {
            s.serialize_f64(*value)
        }
    }

    struct DoubleVisitor;

    impl Visitor<'_> for DoubleVisitor {
        type Value = f64;

        fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
            f.write_str("a double (a number, or a string holding one)")
        }

        fn visit_i64<E: de::Error>(self, v: i64) -> Result<f64, E> {
            Ok(v as f64)
        }

        fn visit_u64<E: de::Error>(self, v: u64) -> Result<f64, E> {
            Ok(v as f64)
        }

        fn visit_f64<E: de::Error>(self, v: f64) -> Result<f64, E> {
            Ok(v)
        }

        fn visit_str<E: de::Error>(self, v: &str) -> Result<f64, E> {
            match v {
                "NaN" => Ok(f64::NAN),
                "Infinity" => Ok(f64::INFINITY),
                "-Infinity" => Ok(f64::NEG_INFINITY),
                _ if !v.is_empty() && !v.contains(char::is_whitespace) => v
                    .parse()
                    .map_err(|_| E::invalid_value(Unexpected::Str(v), &self)),
                _ => Err(E::invalid_value(Unexpected::Str(v), &self)),
            }
        }
    }

    /// Reads a number, a numeric string, or a special value's name.
    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<f64, D::Error> {
        d.deserialize_any(DoubleVisitor)
    }
}

/// A message whose JSON has one proto `oneof`: the keys of its members.
pub(crate) trait OneOf {
    /// The JSON keys of the `oneof`'s members.
    const KEYS: &'static [&'static str];
}

/// A `#[schemars(transform = oneof::<Self>)]` that makes the keys of a proto
/// `oneof` mutually exclusive: at most one of them may be present.
pub(crate) fn oneof<T: OneOf>(schema: &mut Schema) {
    let keys = T::KEYS;
    let pairs: Vec<serde_json::Value> = keys
        .iter()
        .enumerate()
        .flat_map(|(i, a)| {
            keys[i + 1..]
                .iter()
                .map(move |b| serde_json::json!({ "required": [a, b] }))
        })
        .collect();
    schema.insert(
        "not".to_owned(),
        serde_json::json!({ "anyOf": pairs, "description": ONEOF_MARKER }),
    );
}

/// Reads a proto `oneof` from its wire keys: the one member set, or `None`;
/// an error naming every key when several are set.
pub(crate) fn at_most_one<T>(
    message: &str,
    oneof_name: &str,
    members: Vec<(&'static str, Option<T>)>,
) -> Result<Option<T>, String> {
    let mut found: Vec<(&str, T)> = members
        .into_iter()
        .filter_map(|(k, v)| v.map(|v| (k, v)))
        .collect();
    if found.len() > 1 {
        let keys: Vec<String> = found.iter().map(|(k, _)| format!("`{k}`")).collect();
        return Err(format!(
            "{message}: only one of {} may be set (they are the `oneof {oneof_name}`)",
            keys.join(", ")
        ));
    }
    Ok(found.pop().map(|(_, v)| v))
}

/// Marks the `not` clause that [`oneof`] adds, so the validator can explain a
/// violation in KFP's words.
pub(crate) const ONEOF_MARKER: &str = "oneof: at most one of these keys may be set";

#[cfg(test)]
mod tests {
    use super::*;
    use serde::{Deserialize, Serialize};

    #[derive(Debug, PartialEq, Serialize, Deserialize)]
    struct Ints {
        #[serde(with = "int64")]
        big: i64,
        #[serde(with = "int32")]
        small: i32,
        #[serde(with = "double")]
        real: f64,
    }

    #[test]
    fn int64_is_written_as_string_and_read_from_either() {
        let v: Ints = serde_json::from_str(r#"{"big":"12","small":"3","real":"1.5"}"#).unwrap();
        assert_eq!(
            v,
            Ints {
                big: 12,
                small: 3,
                real: 1.5
            }
        );
        let v: Ints = serde_json::from_str(r#"{"big":12,"small":3,"real":2}"#).unwrap();
        assert_eq!(
            v,
            Ints {
                big: 12,
                small: 3,
                real: 2.0
            }
        );
        assert_eq!(
            serde_json::to_string(&v).unwrap(),
            r#"{"big":"12","small":3,"real":2.0}"#
        );
    }

    #[test]
    fn malformed_integers_are_rejected() {
        for bad in [
            r#"{"big":"1.5","small":1,"real":1}"#,
            r#"{"big":"","small":1,"real":1}"#,
            r#"{"big":" 1","small":1,"real":1}"#,
            r#"{"big":1,"small":4294967296,"real":1}"#,
            r#"{"big":1,"small":1.5,"real":1}"#,
            r#"{"big":"99999999999999999999","small":1,"real":1}"#,
            r#"{"big":1,"small":1,"real":"one"}"#,
            r#"{"big":true,"small":1,"real":1}"#,
        ] {
            assert!(
                serde_json::from_str::<Ints>(bad).is_err(),
                "{bad} was accepted"
            );
        }
    }
}
