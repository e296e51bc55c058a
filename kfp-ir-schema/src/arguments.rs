//! A run's arguments, checked against the pipeline's root
//! `inputDefinitions` before anything runs.
//!
//! The KFP API server checks the same rules when a run is created
//! (`v2_template.go`): each value has its parameter's type, a parameter
//! with no default that is not optional is required, and a name the
//! pipeline does not have is an error. The client checks them before it
//! sends a run, and the local runner before it starts one, so both refuse
//! bad arguments with a message naming each parameter.
//!
//! ```
//! use std::collections::BTreeMap;
//! use kfp_ir_schema::arguments::{ArgValue, check_arguments, parse_key_values};
//! use kfp_ir_schema::{ComponentInputParameterSpec, ComponentInputsSpec, ParameterType};
//!
//! let mut inputs = ComponentInputsSpec::default();
//! inputs.parameters.insert(
//!     "epochs".into(),
//!     ComponentInputParameterSpec {
//!         parameter_type: ParameterType::NumberInteger,
//!         ..Default::default()
//!     },
//! );
//! let given = parse_key_values(["epochs=5"]).unwrap();
//! let values = check_arguments(Some(&inputs), &given).unwrap();
//! assert_eq!(values["epochs"], serde_json::json!(5));
//!
//! let err = check_arguments(Some(&inputs), &parse_key_values(["epoch=5"]).unwrap()).unwrap_err();
//! assert!(err.to_string().contains("unknown parameter `epoch` (did you mean `epochs`?)"));
//! ```

use std::collections::BTreeMap;
use std::fmt;

use serde_json::Value;

use crate::ComponentInputsSpec;
use crate::parameter::ValueError;
use crate::pipeline_spec::ParameterType;
use crate::suggest::did_you_mean;

/// A run argument: text from a command line (`name=value`), read by the
/// parameter's type, or a JSON value, which must have that type.
#[derive(Debug, Clone, PartialEq)]
pub enum ArgValue {
    /// Text, read by [`ParameterType::parse_text`].
    Text(String),
    /// A JSON value, checked by [`ParameterType::check_given`].
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

/// One problem with a run's arguments; each names its parameter.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum ArgumentError {
    /// The pipeline has no input parameter of that name.
    #[error("unknown parameter `{name}` ({})", match (suggestion, known.is_empty()) {
        (Some(s), _) => format!("did you mean `{s}`?"),
        (None, true) => "the pipeline has no parameters".to_owned(),
        (None, false) => format!("the pipeline's parameters: {}", known.join(", ")),
    })]
    Unknown {
        /// The name given.
        name: String,
        /// The closest parameter name, when one is close.
        suggestion: Option<String>,
        /// The pipeline's parameters.
        known: Vec<String>,
    },
    /// The name is an artifact input, which no run argument can set.
    #[error("`{name}` is an artifact input of the pipeline; a run argument cannot set it")]
    Artifact {
        /// The input.
        name: String,
    },
    /// The value is not of the parameter's type.
    #[error("parameter `{name}`: {error}")]
    WrongType {
        /// The parameter.
        name: String,
        /// What is wrong with the value.
        error: ValueError,
    },
    /// A required parameter (no default, not optional) has no value.
    #[error("missing required parameter `{name}`: {}", expected.describe())]
    Missing {
        /// The parameter.
        name: String,
        /// Its type.
        expected: ParameterType,
    },
}

/// Every problem found with a run's arguments.
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

/// Checks `args` against a pipeline's root `inputDefinitions` (`None` when
/// it declares none) and returns the values given, each of its
/// parameter's type.
///
/// Parameters left out are not filled in: a run's defaults are the
/// pipeline's to apply (the API server's, or the local runner's).
///
/// # Errors
/// Every unknown name, artifact input, wrong value and missing required
/// parameter, each naming its parameter.
pub fn check_arguments(
    inputs: Option<&ComponentInputsSpec>,
    args: &BTreeMap<String, ArgValue>,
) -> Result<BTreeMap<String, Value>, ArgumentErrors> {
    let mut errors = Vec::new();
    let mut values = BTreeMap::new();
    for (name, arg) in args {
        let Some(spec) = inputs.and_then(|i| i.parameters.get(name.as_str())) else {
            errors.push(unknown(inputs, name));
            continue;
        };
        let ty = spec.value_type();
        let checked = match arg {
            ArgValue::Text(text) => ty.parse_text(text),
            ArgValue::Json(value) => ty.check_given(value),
        };
        match checked {
            Ok(v) => {
                values.insert(name.clone(), v);
            }
            Err(error) => errors.push(ArgumentError::WrongType {
                name: name.clone(),
                error,
            }),
        }
    }
    for (name, spec) in inputs.iter().flat_map(|i| i.parameters.iter()) {
        let set_by_kfp = matches!(
            spec.value_type(),
            ParameterType::TaskFinalStatus | ParameterType::TaskConfig
        );
        if !args.contains_key(name.as_str()) && !spec.may_be_left_out() && !set_by_kfp {
            errors.push(ArgumentError::Missing {
                name: name.to_string(),
                expected: spec.value_type(),
            });
        }
    }
    if errors.is_empty() {
        Ok(values)
    } else {
        Err(ArgumentErrors(errors))
    }
}

fn unknown(inputs: Option<&ComponentInputsSpec>, name: &str) -> ArgumentError {
    if inputs.is_some_and(|i| i.artifacts.contains_key(name)) {
        return ArgumentError::Artifact {
            name: name.to_owned(),
        };
    }
    let known: Vec<String> = inputs
        .iter()
        .flat_map(|i| i.parameters.keys())
        .map(ToString::to_string)
        .collect();
    ArgumentError::Unknown {
        name: name.to_owned(),
        suggestion: did_you_mean(name, &known.iter().map(String::as_str).collect::<Vec<_>>())
            .map(str::to_owned),
        known,
    }
}

/// Why `name=value` pairs could not be read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum KeyValueError {
    /// A pair with no `=`.
    #[error("`{0}` is not of the form name=value")]
    NoEquals(String),
    /// A pair whose name is empty.
    #[error("`{0}` has an empty name")]
    EmptyName(String),
    /// A name given twice.
    #[error("parameter `{0}` is given twice")]
    Twice(String),
}

/// Reads `name=value` pairs, as given on a command line (`--param
/// epochs=5`), into text arguments. The value is everything after the
/// first `=`.
///
/// # Errors
/// A pair without `=` or with an empty name, or a name given twice.
pub fn parse_key_values<'a>(
    pairs: impl IntoIterator<Item = &'a str>,
) -> Result<BTreeMap<String, ArgValue>, KeyValueError> {
    let mut args = BTreeMap::new();
    for pair in pairs {
        let (name, value) = pair
            .split_once('=')
            .ok_or_else(|| KeyValueError::NoEquals(pair.to_owned()))?;
        let name = name.trim();
        if name.is_empty() {
            return Err(KeyValueError::EmptyName(pair.to_owned()));
        }
        if args
            .insert(name.to_owned(), ArgValue::Text(value.to_owned()))
            .is_some()
        {
            return Err(KeyValueError::Twice(name.to_owned()));
        }
    }
    Ok(args)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ComponentInputArtifactSpec;
    use serde_json::json;

    fn inputs() -> ComponentInputsSpec {
        serde_json::from_value(json!({
            "parameters": {
                "msg": {"parameterType": "STRING"},
                "n": {"parameterType": "NUMBER_INTEGER", "defaultValue": 3.0},
                "rate": {"parameterType": "NUMBER_DOUBLE", "isOptional": true},
                "flag": {"parameterType": "BOOLEAN", "defaultValue": false},
                "items": {"parameterType": "LIST", "defaultValue": []},
                "cfg": {"parameterType": "STRUCT", "defaultValue": {}},
                "status": {"parameterType": "TASK_FINAL_STATUS"}
            },
            "artifacts": {"data": {"artifactType": {"schemaTitle": "system.Dataset"}}}
        }))
        .unwrap()
    }

    fn text(pairs: &[&str]) -> BTreeMap<String, ArgValue> {
        parse_key_values(pairs.iter().copied()).unwrap()
    }

    #[test]
    fn text_is_read_by_parameter_type() {
        let got = check_arguments(
            Some(&inputs()),
            &text(&[
                "msg=hi",
                "n=42",
                "rate=0.5",
                "flag=True",
                "items=[1, \"a\"]",
                "cfg={\"k\": 1}",
            ]),
        )
        .unwrap();
        assert_eq!(
            Value::Object(got.into_iter().collect()),
            json!({"msg": "hi", "n": 42, "rate": 0.5, "flag": true, "items": [1, "a"], "cfg": {"k": 1}})
        );
    }

    #[test]
    fn every_problem_names_its_parameter() {
        let err = check_arguments(
            Some(&inputs()),
            &text(&[
                "n=4.5",
                "flag=yes",
                "items={}",
                "mesg=1",
                "bogus=2",
                "data=x",
                "status={}",
            ]),
        )
        .unwrap_err();
        let messages: Vec<String> = err.0.iter().map(ToString::to_string).collect();
        assert_eq!(
            messages,
            [
                "unknown parameter `bogus` (the pipeline's parameters: cfg, flag, items, msg, n, rate, status)",
                "`data` is an artifact input of the pipeline; a run argument cannot set it",
                "parameter `flag`: expected a boolean (BOOLEAN), got `yes`",
                "parameter `items`: expected a JSON list (LIST), got an object",
                "unknown parameter `mesg` (did you mean `msg`?)",
                "parameter `n`: expected an integer (NUMBER_INTEGER), got `4.5`",
                "parameter `status`: a TASK_FINAL_STATUS parameter is set by KFP when the task runs, not given a value",
                "missing required parameter `msg`: a string (STRING)",
            ]
        );
    }

    #[test]
    fn json_values_are_checked_and_integers_made_whole() {
        let args: BTreeMap<String, ArgValue> = [
            ("msg".to_owned(), ArgValue::Json(json!("x"))),
            ("n".to_owned(), ArgValue::Json(json!(7.0))),
        ]
        .into();
        let got = check_arguments(Some(&inputs()), &args).unwrap();
        assert!(got["n"].is_i64());
        let args: BTreeMap<String, ArgValue> =
            [("msg".to_owned(), ArgValue::Json(json!(5)))].into();
        let err = check_arguments(Some(&inputs()), &args).unwrap_err();
        assert_eq!(
            err.to_string(),
            "invalid run arguments:\n  - parameter `msg`: expected a string (STRING), got the number 5"
        );
    }

    #[test]
    fn no_definitions_means_no_parameters() {
        assert!(check_arguments(None, &BTreeMap::new()).unwrap().is_empty());
        let err = check_arguments(None, &text(&["x=1"])).unwrap_err();
        assert_eq!(
            err.0[0].to_string(),
            "unknown parameter `x` (the pipeline has no parameters)"
        );
        let mut only_artifacts = ComponentInputsSpec::default();
        only_artifacts
            .artifacts
            .insert("d".into(), ComponentInputArtifactSpec::default());
        let err = check_arguments(Some(&only_artifacts), &text(&["zzz=1"])).unwrap_err();
        assert_eq!(
            err.0[0].to_string(),
            "unknown parameter `zzz` (the pipeline has no parameters)"
        );
    }

    #[test]
    fn key_values_take_everything_after_the_first_equals() {
        let args = parse_key_values(["a=1", "b=x=y", " c =", "d"]);
        assert_eq!(args, Err(KeyValueError::NoEquals("d".into())));
        let args = parse_key_values(["a=1", "b=x=y", " c ="]).unwrap();
        assert_eq!(args["b"], ArgValue::Text("x=y".into()));
        assert_eq!(args["c"], ArgValue::Text(String::new()));
        assert_eq!(
            parse_key_values(["a=1", "a=2"]),
            Err(KeyValueError::Twice("a".into()))
        );
        assert_eq!(
            parse_key_values(["=2"]),
            Err(KeyValueError::EmptyName("=2".into()))
        );
    }
}
