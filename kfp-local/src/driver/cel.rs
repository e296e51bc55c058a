//! CEL, as the KFP driver evaluates it: a task's trigger condition over its
//! resolved inputs, and a parameter's expression selector over its value.
//!
//! The driver (cel-go) sees the task's `ExecutorInput` proto, so a condition
//! reads `inputs.parameter_values['name']`, a `google.protobuf.Value` whose
//! numbers are doubles. A selector sees one `protobuf.Value`: the field that
//! is set (`number_value`, `list_value`, ...), plus `string_value` holding
//! the value's text, and KFP's `parseJson` function. Both are real CEL (the
//! `cel` crate); an expression that does not parse or evaluate is an error,
//! never a silent `false`.
//!
//! ```
//! use std::collections::BTreeMap;
//! use kfp_local::driver::cel::{condition, select};
//! use serde_json::json;
//!
//! let params = BTreeMap::from([("pipelinechannel--flip-Output".to_owned(), json!("heads"))]);
//! let expr = "inputs.parameter_values['pipelinechannel--flip-Output'] == 'heads'";
//! assert_eq!(condition(expr, &params), Ok(true));
//! assert_eq!(select(r#"parseJson(string_value)["lr"]"#, &json!(r#"{"lr": 0.1}"#)), Ok(json!(0.1)));
//! ```

use std::collections::{BTreeMap, HashMap};
use std::sync::Arc;

use cel::objects::{Key, Map};
use cel::{Context, ExecutionError, Program, Value as Cel};
use serde_json::Value;

use super::value_text;

/// Why an expression could not be evaluated.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CelError {
    /// The text is not CEL.
    #[error("`{expression}` is not a valid CEL expression: {message}")]
    Parse {
        /// The expression.
        expression: String,
        /// What the parser said.
        message: String,
    },
    /// Evaluating it failed, e.g. a key that is not there.
    #[error("`{expression}` could not be evaluated: {message}")]
    Eval {
        /// The expression.
        expression: String,
        /// What went wrong.
        message: String,
    },
    /// A condition that does not give a boolean.
    #[error("condition `{expression}` gives {found}, not a boolean")]
    NotBoolean {
        /// The expression.
        expression: String,
        /// What it gave.
        found: String,
    },
}

/// Evaluates a task's trigger condition over its resolved input parameters
/// (`inputs.parameter_values[...]`).
///
/// # Errors
/// When the expression is not CEL, fails (a missing key, a bad
/// conversion), or gives something other than a boolean.
pub fn condition(expression: &str, parameters: &BTreeMap<String, Value>) -> Result<bool, CelError> {
    let program = compile(expression)?;
    let values = parameters
        .iter()
        .map(|(k, v)| (Key::from(k.as_str()), to_cel(v)))
        .collect::<HashMap<_, _>>();
    let inputs = HashMap::from([(Key::from("parameter_values"), map(values))]);
    let mut context = Context::default();
    context.add_variable_from_value("inputs", map(inputs));
    add_parse_json(&mut context);
    match eval(&program, &context, expression)? {
        Cel::Bool(b) => Ok(b),
        other => Err(CelError::NotBoolean {
            expression: expression.to_owned(),
            found: format!("{other:?}"),
        }),
    }
}

/// Applies a parameter's expression selector (`parseJson(string_value)["a"]`)
/// to its resolved value.
///
/// # Errors
/// When the expression is not CEL or fails on this value.
pub fn select(expression: &str, value: &Value) -> Result<Value, CelError> {
    let program = compile(expression)?;
    let mut context = Context::default();
    let field = match value {
        Value::Null => "null_value",
        Value::Bool(_) => "bool_value",
        Value::Number(_) => "number_value",
        Value::String(_) => "string_value",
        Value::Array(_) => "list_value",
        Value::Object(_) => "struct_value",
    };
    context.add_variable_from_value(field, to_cel(value));
    // The driver always offers the value's text as `string_value`.
    context.add_variable_from_value("string_value", Cel::from(value_text::text(value)));
    add_parse_json(&mut context);
    from_cel(&eval(&program, &context, expression)?).ok_or_else(|| CelError::Eval {
        expression: expression.to_owned(),
        message: "the result is not a JSON value".into(),
    })
}

fn compile(expression: &str) -> Result<Program, CelError> {
    Program::compile(expression).map_err(|e| CelError::Parse {
        expression: expression.to_owned(),
        message: e
            .to_string()
            .lines()
            .next()
            .unwrap_or_default()
            .trim()
            .to_owned(),
    })
}

fn eval(program: &Program, context: &Context, expression: &str) -> Result<Cel, CelError> {
    program.execute(context).map_err(|e| CelError::Eval {
        expression: expression.to_owned(),
        message: describe(&e),
    })
}

fn describe(error: &ExecutionError) -> String {
    match error {
        ExecutionError::NoSuchKey(key) => format!("no value named {key}"),
        other => other.to_string(),
    }
}

/// KFP's `parseJson(string) -> dyn`: JSON numbers are doubles, as Go's
/// `json.Unmarshal` reads them.
fn add_parse_json(context: &mut Context) {
    context
        .add_function("parseJson", |text: Arc<String>| -> cel::ResolveResult {
            serde_json::from_str::<Value>(&text)
                .map(|v| to_cel(&v))
                .map_err(|e| ExecutionError::function_error("parseJson", e))
        })
        .expect("parseJson is not a CEL standard function");
}

fn map(entries: HashMap<Key, Cel>) -> Cel {
    Cel::Map(Map {
        map: Arc::new(entries),
    })
}

/// A JSON value as the driver hands it to CEL: numbers are doubles.
fn to_cel(value: &Value) -> Cel {
    match value {
        Value::Null => Cel::Null,
        Value::Bool(b) => Cel::Bool(*b),
        Value::Number(n) => Cel::Float(n.as_f64().unwrap_or(f64::NAN)),
        Value::String(s) => Cel::from(s.as_str()),
        Value::Array(items) => Cel::List(Arc::new(items.iter().map(to_cel).collect())),
        Value::Object(fields) => map(fields
            .iter()
            .map(|(k, v)| (Key::from(k.as_str()), to_cel(v)))
            .collect()),
    }
}

fn from_cel(value: &Cel) -> Option<Value> {
    Some(match value {
        Cel::Null => Value::Null,
        Cel::Bool(b) => Value::Bool(*b),
        Cel::Int(i) => Value::from(*i as f64),
        Cel::UInt(u) => Value::from(*u as f64),
        Cel::Float(f) => serde_json::Number::from_f64(*f).map_or(Value::Null, Value::Number),
        Cel::String(s) => Value::String(s.as_str().to_owned()),
        Cel::List(items) => Value::Array(items.iter().map(from_cel).collect::<Option<_>>()?),
        Cel::Map(m) => Value::Object(
            m.map
                .iter()
                .map(|(k, v)| {
                    let key = match k {
                        Key::String(s) => s.as_str().to_owned(),
                        Key::Int(i) => i.to_string(),
                        Key::Uint(u) => u.to_string(),
                        Key::Bool(b) => b.to_string(),
                    };
                    Some((key, from_cel(v)?))
                })
                .collect::<Option<_>>()?,
        ),
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn params(pairs: &[(&str, Value)]) -> BTreeMap<String, Value> {
        pairs
            .iter()
            .map(|(k, v)| ((*k).to_owned(), v.clone()))
            .collect()
    }

    #[test]
    fn every_form_kfp_writes() {
        let p = params(&[
            ("pipelinechannel--flip-coin-Output", json!("heads")),
            ("pipelinechannel--n", json!(7.0)),
            ("pipelinechannel--f", json!(0.25)),
            ("pipelinechannel--b", json!(true)),
            ("pipelinechannel--s", json!("12")),
        ]);
        let cases = [
            (
                "inputs.parameter_values['pipelinechannel--flip-coin-Output'] == 'heads'",
                true,
            ),
            (
                "inputs.parameter_values['pipelinechannel--flip-coin-Output'] != 'heads'",
                false,
            ),
            (
                "int(inputs.parameter_values['pipelinechannel--n']) > 5",
                true,
            ),
            (
                "int(inputs.parameter_values['pipelinechannel--n']) <= 5",
                false,
            ),
            (
                "double(inputs.parameter_values['pipelinechannel--f']) < 0.5",
                true,
            ),
            (
                "inputs.parameter_values['pipelinechannel--b'] == true",
                true,
            ),
            (
                "int(inputs.parameter_values['pipelinechannel--s']) >= 12",
                true,
            ),
            ("inputs.parameter_values['pipelinechannel--n'] == 7", true),
            (
                "!(inputs.parameter_values['pipelinechannel--flip-coin-Output'] == 'tails') && int(inputs.parameter_values['pipelinechannel--n']) == 7",
                true,
            ),
            (
                "!(inputs.parameter_values['pipelinechannel--flip-coin-Output'] == 'heads')",
                false,
            ),
        ];
        for (expr, expected) in cases {
            assert_eq!(condition(expr, &p), Ok(expected), "{expr}");
        }
    }

    #[test]
    fn failures_are_errors_not_false() {
        let p = params(&[("x", json!("it"))]);
        let err = condition("inputs.parameter_values['x'] == 'it's'", &p).unwrap_err();
        assert!(matches!(err, CelError::Parse { .. }), "{err}");
        let err = condition("inputs.parameter_values['missing'] == 'a'", &p).unwrap_err();
        assert_eq!(
            err.to_string(),
            "`inputs.parameter_values['missing'] == 'a'` could not be evaluated: no value named missing"
        );
        let err = condition("inputs.parameter_values['x']", &p).unwrap_err();
        assert!(matches!(err, CelError::NotBoolean { .. }), "{err}");
        let err = condition("int(inputs.parameter_values['x']) > 1", &p).unwrap_err();
        assert!(matches!(err, CelError::Eval { .. }), "{err}");
    }

    #[test]
    fn selectors_read_the_value_and_its_text() {
        let item = json!({"a": 1, "b": {"c": [true]}});
        assert_eq!(
            select("parseJson(string_value)[\"b\"]", &item),
            Ok(json!({"c": [true]}))
        );
        assert_eq!(select("struct_value.a", &item), Ok(json!(1.0)));
        assert_eq!(select("string_value", &json!(3)), Ok(json!("3")));
        assert!(select("parseJson(string_value)[\"zz\"]", &item).is_err());
        assert!(select("parseJson(", &item).is_err());
    }
}
