//! Parameter values: which values a parameter type accepts, how text from
//! a command line becomes a value, and how a value is held on the wire.
//!
//! These are KFP's rules, used by every part of kfp-rs that meets a value:
//! the compiler (constants and defaults), the compile overrides, the
//! client's run arguments and the local runner.
//!
//! A parameter value travels through KFP as a `google.protobuf.Value`,
//! whose numbers are doubles: kfp writes the default `3` as `3.0`, and the
//! backend cannot tell `2` from `2.0`. So a whole-number float is an
//! integer everywhere, and a fractional one never is:
//!
//! ```
//! use kfp_ir_schema::ParameterType;
//! use serde_json::json;
//!
//! assert!(ParameterType::NumberInteger.accepts(&json!(2)).is_ok());
//! assert!(ParameterType::NumberInteger.accepts(&json!(2.0)).is_ok());
//! let err = ParameterType::NumberInteger.accepts(&json!(2.5)).unwrap_err();
//! assert_eq!(err.to_string(), "expected an integer (NUMBER_INTEGER), got the number 2.5");
//! assert_eq!(ParameterType::NumberInteger.parse_text("7").unwrap(), json!(7));
//! ```

use serde_json::{Number, Value};

use crate::pipeline_spec::{ComponentInputParameterSpec, ParameterType, PrimitiveType};

/// Why a value is not one of a parameter type.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum ValueError {
    /// The value has another type.
    #[error("expected {}, got {}", expected.describe(), describe_value(found))]
    WrongType {
        /// The parameter's type.
        expected: ParameterType,
        /// The value given.
        found: Value,
    },
    /// Text that does not read as a value of the type.
    #[error("expected {}, got `{text}`{}", expected.describe(), reason.as_deref().map(|r| format!(" ({r})")).unwrap_or_default())]
    BadText {
        /// The parameter's type.
        expected: ParameterType,
        /// The text given.
        text: String,
        /// What a JSON reader said, for lists and objects.
        reason: Option<String>,
    },
    /// The type is one that KFP sets itself (a task's final status, a
    /// task's configuration), so no value can be given for it.
    #[error("a {0} parameter is set by KFP when the task runs, not given a value")]
    SetByKfp(ParameterType),
}

impl ParameterType {
    /// Checks that `value` is a value of this type, as KFP checks a run's
    /// arguments (`STRING` a string, `BOOLEAN` a bool, `NUMBER_DOUBLE` a
    /// number, `NUMBER_INTEGER` a number with no fraction that fits an
    /// `int64`, `LIST` a list, `STRUCT` an object). An unspecified type
    /// takes any value. `TASK_FINAL_STATUS` and `TASK_CONFIG` take the
    /// object KFP fills in.
    ///
    /// # Errors
    /// [`ValueError::WrongType`], naming what was found.
    pub fn accepts(self, value: &Value) -> Result<(), ValueError> {
        let fits = match (self, value) {
            (Self::Unspecified, _) => true,
            (Self::String, Value::String(_))
            | (Self::Boolean, Value::Bool(_))
            | (Self::NumberDouble, Value::Number(_))
            | (Self::List, Value::Array(_))
            | (Self::Struct | Self::TaskFinalStatus | Self::TaskConfig, Value::Object(_)) => true,
            (Self::NumberInteger, Value::Number(n)) => as_integer(n).is_some(),
            _ => false,
        };
        if fits {
            Ok(())
        } else {
            Err(ValueError::WrongType {
                expected: self,
                found: value.clone(),
            })
        }
    }

    /// Reads text as a value of this type: a run argument from a command
    /// line (`--param epochs=5`), or an output parameter's file, as the KFP
    /// launcher reads it (`TextToPbValue`). A `STRING` takes the text as
    /// it is; numbers and booleans are read after trimming spaces (booleans
    /// as Go's `ParseBool` reads them: `true`/`false`, `t`/`f`, `1`/`0`, in
    /// any case); lists and objects as JSON. An unspecified type takes JSON when the text
    /// is JSON, else the text as a string. An integer comes back as a JSON
    /// integer, also from `2.0`.
    ///
    /// # Errors
    /// [`ValueError::BadText`] when the text does not read as the type;
    /// [`ValueError::SetByKfp`] for the types KFP sets itself.
    pub fn parse_text(self, text: &str) -> Result<Value, ValueError> {
        let bad = |reason: Option<String>| ValueError::BadText {
            expected: self,
            text: text.to_owned(),
            reason,
        };
        match self {
            Self::String => Ok(Value::String(text.to_owned())),
            Self::NumberInteger => {
                let trimmed = text.trim();
                if let Ok(n) = trimmed.parse::<i64>() {
                    return Ok(n.into());
                }
                trimmed
                    .parse::<f64>()
                    .ok()
                    .and_then(Number::from_f64)
                    .and_then(|n| as_integer(&n))
                    .map(Value::from)
                    .ok_or_else(|| bad(None))
            }
            Self::NumberDouble => text
                .trim()
                .parse::<f64>()
                .ok()
                .and_then(Number::from_f64)
                .map(Value::Number)
                .ok_or_else(|| bad(None)),
            Self::Boolean => match text.trim().to_ascii_lowercase().as_str() {
                "true" | "t" | "1" => Ok(Value::Bool(true)),
                "false" | "f" | "0" => Ok(Value::Bool(false)),
                _ => Err(bad(None)),
            },
            Self::List | Self::Struct => {
                let value: Value =
                    serde_json::from_str(text).map_err(|e| bad(Some(e.to_string())))?;
                self.accepts(&value)?;
                Ok(value)
            }
            Self::Unspecified => {
                Ok(serde_json::from_str(text).unwrap_or_else(|_| Value::String(text.to_owned())))
            }
            Self::TaskFinalStatus | Self::TaskConfig => Err(ValueError::SetByKfp(self)),
        }
    }

    /// Checks that `value` is given to a parameter of this type (so not to
    /// one that KFP fills in) and returns it as a value of the type: a
    /// whole-number float given to an integer becomes a JSON integer.
    ///
    /// # Errors
    /// As [`accepts`](Self::accepts), and [`ValueError::SetByKfp`].
    pub fn check_given(self, value: &Value) -> Result<Value, ValueError> {
        if matches!(self, Self::TaskFinalStatus | Self::TaskConfig) {
            return Err(ValueError::SetByKfp(self));
        }
        self.accepts(value)?;
        Ok(match (self, value) {
            (Self::NumberInteger, Value::Number(n)) => {
                as_integer(n).map_or_else(|| value.clone(), Value::from)
            }
            _ => value.clone(),
        })
    }

    /// The type in words, with its IR name: `an integer (NUMBER_INTEGER)`.
    pub const fn describe(self) -> &'static str {
        match self {
            Self::Unspecified => "any value (PARAMETER_TYPE_ENUM_UNSPECIFIED)",
            Self::NumberDouble => "a number (NUMBER_DOUBLE)",
            Self::NumberInteger => "an integer (NUMBER_INTEGER)",
            Self::String => "a string (STRING)",
            Self::Boolean => "a boolean (BOOLEAN)",
            Self::List => "a JSON list (LIST)",
            Self::Struct => "a JSON object (STRUCT)",
            Self::TaskFinalStatus => "a task's final status (TASK_FINAL_STATUS)",
            Self::TaskConfig => "a task's configuration (TASK_CONFIG)",
        }
    }
}

impl ComponentInputParameterSpec {
    /// The parameter's type: `parameterType`, or for IR of schema 2.0.0
    /// the deprecated `type` (`INT`, `DOUBLE`, `STRING`).
    pub fn value_type(&self) -> ParameterType {
        match (self.parameter_type, self.r#type) {
            (ParameterType::Unspecified, PrimitiveType::Int) => ParameterType::NumberInteger,
            (ParameterType::Unspecified, PrimitiveType::Double) => ParameterType::NumberDouble,
            (ParameterType::Unspecified, PrimitiveType::String) => ParameterType::String,
            (t, _) => t,
        }
    }

    /// True when a run may leave the parameter out: it has a default or
    /// is optional.
    pub fn may_be_left_out(&self) -> bool {
        self.is_optional || self.default_value.as_ref().is_some_and(|v| !v.is_null())
    }
}

/// The integer a JSON number stands for: an integer, or a float with no
/// fraction that fits an `i64` (`2.0` is `2`, `2.5` is none). This is the
/// rule of [`ParameterType::accepts`] for `NUMBER_INTEGER`.
///
/// ```
/// use kfp_ir_schema::parameter::as_integer;
/// use serde_json::Number;
///
/// assert_eq!(as_integer(&Number::from_f64(8.0).unwrap()), Some(8));
/// assert_eq!(as_integer(&Number::from_f64(8.5).unwrap()), None);
/// ```
pub fn as_integer(n: &Number) -> Option<i64> {
    if let Some(i) = n.as_i64() {
        return Some(i);
    }
    if n.is_u64() {
        return None; // above i64::MAX
    }
    let f = n.as_f64()?;
    // i64::MIN is -2^63 exactly; 2^63 itself is out of range.
    const LIMIT: f64 = 9_223_372_036_854_775_808.0;
    (f.fract() == 0.0 && (-LIMIT..LIMIT).contains(&f)).then_some(f as i64)
}

/// Writes every whole-number float inside `value`, at any depth, as the
/// integer it stands for ([`as_integer`]): `[8.0, 10.0]` becomes `[8, 10]`,
/// as a value that went through a `google.protobuf.Value` is read back for
/// a typed reader (an integer inside a list or an object that a JSON
/// writer sent as `8.0`). Fractional numbers, and whole ones out of the
/// `i64` range, are left as they are.
///
/// ```
/// use serde_json::json;
///
/// let mut value = json!({"sizes": [8.0, 2.5], "n": 3.0});
/// kfp_ir_schema::parameter::whole_numbers_as_integers(&mut value);
/// assert_eq!(value, json!({"sizes": [8, 2.5], "n": 3}));
/// assert!(value["n"].is_i64());
/// ```
pub fn whole_numbers_as_integers(value: &mut Value) {
    match value {
        Value::Number(n) if n.is_f64() => {
            if let Some(i) = as_integer(n) {
                *value = Value::from(i);
            }
        }
        Value::Array(items) => items.iter_mut().for_each(whole_numbers_as_integers),
        Value::Object(fields) => fields.values_mut().for_each(whole_numbers_as_integers),
        _ => {}
    }
}

/// A value as a `google.protobuf.Value` holds it, which is how KFP writes
/// defaults and constants: every number is a double (`3` becomes `3.0`).
///
/// ```
/// use serde_json::json;
///
/// let value = kfp_ir_schema::parameter::protobuf_value(&json!({"n": [1, 2.5]}));
/// assert_eq!(value, json!({"n": [1.0, 2.5]}));
/// assert!(value["n"][0].is_f64());
/// ```
pub fn protobuf_value(value: &Value) -> Value {
    match value {
        Value::Number(n) => n
            .as_f64()
            .and_then(Number::from_f64)
            .map_or(Value::Null, Value::Number),
        Value::Array(items) => Value::Array(items.iter().map(protobuf_value).collect()),
        Value::Object(fields) => Value::Object(
            fields
                .iter()
                .map(|(k, v)| (k.clone(), protobuf_value(v)))
                .collect(),
        ),
        other => other.clone(),
    }
}

/// A value in a few words, for messages: `the number 2.5`, `the string
/// "abc"` (cut after 40 characters), `a list of 3 items`.
pub fn describe_value(value: &Value) -> String {
    match value {
        Value::Null => "null".into(),
        Value::Bool(b) => format!("the boolean {b}"),
        Value::Number(n) => format!("the number {n}"),
        Value::String(s) if s.chars().count() > 40 => {
            let cut: String = s.chars().take(40).collect();
            format!("the string {:?}…", cut)
        }
        Value::String(s) => format!("the string {s:?}"),
        Value::Array(items) if items.len() == 1 => "a list of 1 item".into(),
        Value::Array(items) => format!("a list of {} items", items.len()),
        Value::Object(_) => "an object".into(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn integers_take_whole_numbers_in_range() {
        let t = ParameterType::NumberInteger;
        for ok in [
            json!(0),
            json!(-3),
            json!(2.0),
            json!(-9.223372036854776e18),
        ] {
            assert!(t.accepts(&ok).is_ok(), "{ok}");
        }
        for bad in [
            json!(2.5),
            json!(9.3e18),
            json!(u64::MAX),
            json!("2"),
            json!(true),
            json!(null),
        ] {
            assert!(t.accepts(&bad).is_err(), "{bad}");
        }
        assert_eq!(t.check_given(&json!(2.0)).unwrap(), json!(2));
        assert!(t.check_given(&json!(2.0)).unwrap().is_i64());
    }

    #[test]
    fn each_type_takes_its_json_kind() {
        use ParameterType as P;
        let cases = [
            (P::String, json!("a"), json!(1)),
            (P::NumberDouble, json!(1), json!("1")),
            (P::Boolean, json!(false), json!(0)),
            (P::List, json!([]), json!({})),
            (P::Struct, json!({}), json!([])),
        ];
        for (t, ok, bad) in cases {
            assert!(t.accepts(&ok).is_ok(), "{t} {ok}");
            assert!(t.accepts(&bad).is_err(), "{t} {bad}");
        }
        assert!(P::Unspecified.accepts(&json!(null)).is_ok());
    }

    #[test]
    fn text_is_read_by_type() {
        use ParameterType as P;
        assert_eq!(P::String.parse_text(" 5 ").unwrap(), json!(" 5 "));
        assert_eq!(P::NumberInteger.parse_text(" 5 ").unwrap(), json!(5));
        assert_eq!(P::NumberInteger.parse_text("5.0").unwrap(), json!(5));
        assert_eq!(P::NumberDouble.parse_text("0.5").unwrap(), json!(0.5));
        assert_eq!(P::Boolean.parse_text("True").unwrap(), json!(true));
        assert_eq!(P::Boolean.parse_text("0\n").unwrap(), json!(false));
        assert!(P::Boolean.parse_text("yes").is_err());
        assert_eq!(P::List.parse_text("[1, 2]").unwrap(), json!([1, 2]));
        assert_eq!(
            P::Struct.parse_text(r#"{"a": 1}"#).unwrap(),
            json!({"a": 1})
        );
        assert_eq!(P::Unspecified.parse_text("[1]").unwrap(), json!([1]));
        assert_eq!(P::Unspecified.parse_text("hi").unwrap(), json!("hi"));

        let err = P::NumberInteger.parse_text("5.5").unwrap_err();
        assert_eq!(
            err.to_string(),
            "expected an integer (NUMBER_INTEGER), got `5.5`"
        );
        let err = P::NumberDouble.parse_text("inf").unwrap_err();
        assert_eq!(
            err.to_string(),
            "expected a number (NUMBER_DOUBLE), got `inf`"
        );
        let err = P::List.parse_text("{}").unwrap_err();
        assert_eq!(
            err.to_string(),
            "expected a JSON list (LIST), got an object"
        );
        let err = P::List.parse_text("[1,").unwrap_err();
        assert!(
            err.to_string()
                .starts_with("expected a JSON list (LIST), got `[1,` ("),
            "{err}"
        );
        assert_eq!(
            P::TaskFinalStatus.parse_text("{}").unwrap_err(),
            ValueError::SetByKfp(P::TaskFinalStatus)
        );
    }

    #[test]
    fn the_deprecated_primitive_type_counts() {
        let spec = ComponentInputParameterSpec {
            r#type: PrimitiveType::Int,
            ..Default::default()
        };
        assert_eq!(spec.value_type(), ParameterType::NumberInteger);
        let spec = ComponentInputParameterSpec {
            parameter_type: ParameterType::List,
            ..Default::default()
        };
        assert_eq!(spec.value_type(), ParameterType::List);
    }

    #[test]
    fn long_strings_are_cut_in_messages() {
        let long = "x".repeat(100);
        let text = describe_value(&json!(long));
        assert_eq!(text, format!("the string \"{}\"…", "x".repeat(40)));
    }
}
