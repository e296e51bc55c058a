//! Checking run arguments against a pipeline's root `inputDefinitions`
//! before anything is sent.
//!
//! The server checks the same rules at run creation
//! (`v2_template.go`): NUMBER_* values must be JSON numbers, STRING a
//! string, BOOLEAN a bool, LIST a list, STRUCT an object; a parameter with
//! no default that is not optional is required; extra parameters are an
//! error. Checking here gives an error that names the parameter, before a
//! run is created, and turns `k=v` text from a command line into the JSON
//! value the server wants.

use std::collections::BTreeMap;
use std::fmt;

use serde_json::Value;

/// A run argument: text from a command line (`k=v`), parsed by the
/// parameter's type, or a JSON value, checked against it.
#[derive(Debug, Clone, PartialEq)]
pub enum ArgValue {
    /// Text to parse according to the parameter type.
    Text(String),
    /// A JSON value that must already have the parameter's type.
    Json(Value),
}

impl From<&str> for ArgValue {
    fn from(s: &str) -> Self {
        Self::Text(s.to_owned())
    }
}

impl From<String> for ArgValue {
    fn from(s: String) -> Self {
        Self::Text(s)
    }
}

impl From<Value> for ArgValue {
    fn from(v: Value) -> Self {
        Self::Json(v)
    }
}

/// The type of a pipeline input parameter (`ParameterType.ParameterTypeEnum`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ParamType {
    /// `NUMBER_DOUBLE`.
    Double,
    /// `NUMBER_INTEGER`.
    Integer,
    /// `STRING`.
    String,
    /// `BOOLEAN`.
    Boolean,
    /// `LIST`.
    List,
    /// `STRUCT`.
    Struct,
    /// `TASK_FINAL_STATUS`: set by the backend, never by a user.
    TaskFinalStatus,
    /// Unspecified: any JSON value is accepted.
    Any,
}

impl ParamType {
    fn from_definition(def: &Value) -> Self {
        match def.get("parameterType") {
            Some(Value::String(s)) => Self::from_name(s),
            Some(Value::Number(n)) => match n.as_i64() {
                Some(1) => Self::Double,
                Some(2) => Self::Integer,
                Some(3) => Self::String,
                Some(4) => Self::Boolean,
                Some(5) => Self::List,
                Some(6) => Self::Struct,
                Some(7) => Self::TaskFinalStatus,
                _ => Self::Any,
            },
            // The deprecated `type` field (PrimitiveType) of old IR.
            _ => match def.get("type").and_then(Value::as_str) {
                Some("INT") => Self::Integer,
                Some("DOUBLE") => Self::Double,
                Some("STRING") => Self::String,
                _ => Self::Any,
            },
        }
    }

    fn from_name(name: &str) -> Self {
        match name {
            "NUMBER_DOUBLE" => Self::Double,
            "NUMBER_INTEGER" => Self::Integer,
            "STRING" => Self::String,
            "BOOLEAN" => Self::Boolean,
            "LIST" => Self::List,
            "STRUCT" => Self::Struct,
            "TASK_FINAL_STATUS" => Self::TaskFinalStatus,
            _ => Self::Any,
        }
    }

    /// Parses command-line text as a value of this type.
    fn parse(self, text: &str) -> Result<Value, String> {
        match self {
            Self::String => Ok(Value::String(text.to_owned())),
            Self::Integer => text
                .trim()
                .parse::<i64>()
                .map(Value::from)
                .map_err(|_| format!("`{text}` is not an integer")),
            Self::Double => text
                .trim()
                .parse::<f64>()
                .ok()
                .and_then(serde_json::Number::from_f64)
                .map(Value::Number)
                .ok_or_else(|| format!("`{text}` is not a finite number")),
            Self::Boolean => match text.trim().to_ascii_lowercase().as_str() {
                "true" => Ok(Value::Bool(true)),
                "false" => Ok(Value::Bool(false)),
                _ => Err(format!("`{text}` is not `true` or `false`")),
            },
            Self::List | Self::Struct | Self::Any => {
                let value: Value = match serde_json::from_str(text) {
                    Ok(v) => v,
                    Err(_) if self == Self::Any => Value::String(text.to_owned()),
                    Err(e) => return Err(format!("`{text}` is not JSON ({e})")),
                };
                self.check(value)
            }
            Self::TaskFinalStatus => Err(Self::FINAL_STATUS.to_owned()),
        }
    }

    const FINAL_STATUS: &'static str =
        "a task final status is set by the backend, not by a run argument";

    /// Checks that a JSON value has this type.
    fn check(self, value: Value) -> Result<Value, String> {
        let ok = match (self, &value) {
            (Self::Any, _) => true,
            (Self::String, Value::String(_)) => true,
            (Self::Integer, Value::Number(n)) => {
                n.is_i64() || n.is_u64() || n.as_f64().is_some_and(|f| f.fract() == 0.0)
            }
            (Self::Double, Value::Number(_)) => true,
            (Self::Boolean, Value::Bool(_)) => true,
            (Self::List, Value::Array(_)) => true,
            (Self::Struct, Value::Object(_)) => true,
            (Self::TaskFinalStatus, _) => return Err(Self::FINAL_STATUS.to_owned()),
            _ => false,
        };
        if ok {
            Ok(value)
        } else {
            Err(format!("got {}", json_kind(&value)))
        }
    }
}

impl fmt::Display for ParamType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Self::Double => "a number (NUMBER_DOUBLE)",
            Self::Integer => "an integer (NUMBER_INTEGER)",
            Self::String => "a string (STRING)",
            Self::Boolean => "a boolean (BOOLEAN)",
            Self::List => "a JSON list (LIST)",
            Self::Struct => "a JSON object (STRUCT)",
            Self::TaskFinalStatus => "nothing (TASK_FINAL_STATUS)",
            Self::Any => "any value",
        })
    }
}

fn json_kind(v: &Value) -> String {
    match v {
        Value::Null => "null".into(),
        Value::Bool(b) => format!("the boolean {b}"),
        Value::Number(n) => format!("the number {n}"),
        Value::String(s) => format!("the string {s:?}"),
        Value::Array(_) => "a list".into(),
        Value::Object(_) => "an object".into(),
    }
}

/// One problem with a run argument; each names the parameter.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum ArgumentError {
    /// The pipeline has no such input parameter.
    #[error("unknown parameter `{name}` (the pipeline's parameters: {known})")]
    Unknown {
        /// The parameter given.
        name: String,
        /// The pipeline's parameters, comma separated (or "none").
        known: String,
    },
    /// The name is an artifact input, which a run argument cannot set.
    #[error("`{name}` is an artifact input of the pipeline; a run argument cannot set it")]
    Artifact {
        /// The input.
        name: String,
    },
    /// The value does not have the parameter's type.
    #[error("parameter `{name}` expects {expected}: {reason}")]
    WrongType {
        /// The parameter.
        name: String,
        /// The expected type.
        expected: ParamType,
        /// What was wrong.
        reason: String,
    },
    /// A required parameter (no default, not optional) has no value.
    #[error("missing required parameter `{name}`: {expected}")]
    Missing {
        /// The parameter.
        name: String,
        /// Its type.
        expected: ParamType,
    },
}

/// All the problems found with a set of run arguments.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub struct ArgumentErrors(pub Vec<ArgumentError>);

impl fmt::Display for ArgumentErrors {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "invalid run arguments:")?;
        for e in &self.0 {
            write!(f, "\n  - {e}")?;
        }
        Ok(())
    }
}

/// Checks `args` against a pipeline's `root.inputDefinitions` (protojson,
/// camelCase) and returns the parameter values as typed JSON, ready for
/// `runtime_config.parameters`.
///
/// Text values are parsed according to each parameter's `parameterType`;
/// JSON values must already have that type. Unknown names, artifact inputs,
/// wrong types and missing required parameters are all reported, each
/// naming its parameter. Parameters left out that have a default or are
/// optional are not sent, so the server applies the default.
pub fn check_arguments(
    root_input_definitions: &Value,
    args: &BTreeMap<String, ArgValue>,
) -> Result<BTreeMap<String, Value>, ArgumentErrors> {
    let empty = serde_json::Map::new();
    let params = root_input_definitions
        .get("parameters")
        .and_then(Value::as_object)
        .unwrap_or(&empty);
    let artifacts = root_input_definitions
        .get("artifacts")
        .and_then(Value::as_object)
        .unwrap_or(&empty);

    let mut errors = Vec::new();
    let mut values = BTreeMap::new();
    for (name, arg) in args {
        let Some(def) = params.get(name) else {
            errors.push(if artifacts.contains_key(name) {
                ArgumentError::Artifact { name: name.clone() }
            } else {
                let known: Vec<&str> = params.keys().map(String::as_str).collect();
                ArgumentError::Unknown {
                    name: name.clone(),
                    known: if known.is_empty() {
                        "none".into()
                    } else {
                        known.join(", ")
                    },
                }
            });
            continue;
        };
        let ty = ParamType::from_definition(def);
        let checked = match arg {
            ArgValue::Text(text) => ty.parse(text),
            ArgValue::Json(value) => ty.check(value.clone()),
        };
        match checked {
            Ok(v) => {
                values.insert(name.clone(), v);
            }
            Err(reason) => errors.push(ArgumentError::WrongType {
                name: name.clone(),
                expected: ty,
                reason,
            }),
        }
    }
    for (name, def) in params {
        let has_default = def.get("defaultValue").is_some_and(|d| !d.is_null());
        let optional = def.get("isOptional").and_then(Value::as_bool) == Some(true);
        if !args.contains_key(name) && !has_default && !optional {
            errors.push(ArgumentError::Missing {
                name: name.clone(),
                expected: ParamType::from_definition(def),
            });
        }
    }
    if errors.is_empty() {
        Ok(values)
    } else {
        Err(ArgumentErrors(errors))
    }
}

/// Parses `k=v` pairs (as given on a command line) into text arguments.
pub fn parse_key_values<'a>(
    pairs: impl IntoIterator<Item = &'a str>,
) -> Result<BTreeMap<String, ArgValue>, String> {
    let mut args = BTreeMap::new();
    for pair in pairs {
        let Some((k, v)) = pair.split_once('=') else {
            return Err(format!("`{pair}` is not of the form name=value"));
        };
        let k = k.trim();
        if k.is_empty() {
            return Err(format!("`{pair}` has an empty name"));
        }
        if args
            .insert(k.to_owned(), ArgValue::Text(v.to_owned()))
            .is_some()
        {
            return Err(format!("parameter `{k}` is given twice"));
        }
    }
    Ok(args)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn defs() -> Value {
        json!({
            "parameters": {
                "msg": {"parameterType": "STRING"},
                "n": {"parameterType": "NUMBER_INTEGER", "defaultValue": 3},
                "rate": {"parameterType": "NUMBER_DOUBLE", "isOptional": true},
                "flag": {"parameterType": "BOOLEAN", "defaultValue": false},
                "items": {"parameterType": "LIST", "defaultValue": []},
                "cfg": {"parameterType": "STRUCT", "defaultValue": {}}
            },
            "artifacts": {"data": {"artifactType": {"schemaTitle": "system.Dataset"}}}
        })
    }

    fn text(pairs: &[(&str, &str)]) -> BTreeMap<String, ArgValue> {
        pairs
            .iter()
            .map(|(k, v)| (k.to_string(), ArgValue::from(*v)))
            .collect()
    }

    #[test]
    fn parses_text_by_parameter_type() {
        let got = check_arguments(
            &defs(),
            &text(&[
                ("msg", "hi"),
                ("n", "42"),
                ("rate", "0.5"),
                ("flag", "True"),
                ("items", "[1, \"a\"]"),
                ("cfg", "{\"k\": 1}"),
            ]),
        )
        .unwrap();
        assert_eq!(
            Value::Object(got.into_iter().collect()),
            json!({"msg": "hi", "n": 42, "rate": 0.5, "flag": true, "items": [1, "a"], "cfg": {"k": 1}})
        );
    }

    #[test]
    fn every_error_names_its_parameter() {
        let err = check_arguments(
            &defs(),
            &text(&[
                ("n", "4.5"),
                ("flag", "yes"),
                ("items", "{}"),
                ("bogus", "1"),
                ("data", "x"),
            ]),
        )
        .unwrap_err();
        let msgs: Vec<String> = err.0.iter().map(ToString::to_string).collect();
        assert_eq!(msgs.len(), 6, "{msgs:#?}");
        assert!(
            msgs.iter()
                .any(|m| m.starts_with("unknown parameter `bogus`") && m.contains("msg, n, rate"))
        );
        assert!(
            msgs.iter()
                .any(|m| m.starts_with("`data` is an artifact input"))
        );
        assert!(
            msgs.iter()
                .any(|m| m.starts_with("parameter `n` expects an integer"))
        );
        assert!(
            msgs.iter()
                .any(|m| m.starts_with("parameter `flag` expects a boolean"))
        );
        assert!(
            msgs.iter()
                .any(|m| m == "parameter `items` expects a JSON list (LIST): got an object")
        );
        assert!(
            msgs.iter()
                .any(|m| m.starts_with("missing required parameter `msg`"))
        );
    }

    #[test]
    fn json_values_are_checked_not_converted() {
        let args: BTreeMap<String, ArgValue> = [
            ("msg".to_string(), ArgValue::Json(json!(5))),
            ("n".to_string(), ArgValue::Json(json!(7))),
        ]
        .into();
        let err = check_arguments(&defs(), &args).unwrap_err();
        assert_eq!(
            err.0,
            vec![ArgumentError::WrongType {
                name: "msg".into(),
                expected: ParamType::String,
                reason: "got the number 5".into()
            }]
        );
    }

    #[test]
    fn no_definitions_means_no_parameters() {
        assert!(
            check_arguments(&Value::Null, &BTreeMap::new())
                .unwrap()
                .is_empty()
        );
        let err = check_arguments(&Value::Null, &text(&[("x", "1")])).unwrap_err();
        assert!(
            err.to_string()
                .contains("unknown parameter `x` (the pipeline's parameters: none)")
        );
    }

    #[test]
    fn key_values_parse_and_reject_duplicates() {
        let args = parse_key_values(["a=1", "b=x=y"]).unwrap();
        assert_eq!(args["b"], ArgValue::Text("x=y".into()));
        assert!(parse_key_values(["a"]).is_err());
        assert!(
            parse_key_values(["a=1", "a=2"])
                .unwrap_err()
                .contains("`a`")
        );
    }
}
