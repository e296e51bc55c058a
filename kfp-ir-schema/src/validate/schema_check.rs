//! Checking a document against the committed JSON Schema, with messages in
//! KFP's words.

use std::sync::OnceLock;

use jsonschema::error::ValidationErrorKind;
use serde_json::Value;

use crate::diagnostic::{Diagnostic, Document};
use crate::protojson::ONEOF_MARKER;
use crate::schema::SchemaKind;

/// A compiled schema and its source, to explain errors from.
struct Compiled {
    validator: jsonschema::Validator,
    schema: Value,
}

impl Compiled {
    fn new(kind: SchemaKind) -> Compiled {
        let schema: Value = serde_json::from_str(kind.committed())
            .expect("the committed schema is JSON (checked by the schema test)");
        let validator = jsonschema::draft202012::options()
            .build(&schema)
            .expect("the committed schema compiles (checked by the schema test)");
        Compiled { validator, schema }
    }

    fn get(kind: SchemaKind) -> &'static Compiled {
        static PIPELINE: OnceLock<Compiled> = OnceLock::new();
        static PLATFORM: OnceLock<Compiled> = OnceLock::new();
        match kind {
            SchemaKind::PipelineSpec => PIPELINE.get_or_init(|| Compiled::new(kind)),
            SchemaKind::PlatformSpec => PLATFORM.get_or_init(|| Compiled::new(kind)),
        }
    }
}

/// Checks `value` against the schema of `kind`, returning every violation.
pub(crate) fn check(kind: SchemaKind, document: Document, value: &Value) -> Vec<Diagnostic> {
    let compiled = Compiled::get(kind);
    if compiled.validator.is_valid(value) {
        return Vec::new();
    }
    let mut diagnostics: Vec<Diagnostic> = compiled
        .validator
        .iter_errors(value)
        .map(|error| {
            let path = error.instance_path().as_str().to_owned();
            let schema_path = error.schema_path().as_str().to_owned();
            let message = explain(
                &compiled.schema,
                &schema_path,
                error.kind(),
                error.instance(),
            );
            Diagnostic::new(document, path, message)
        })
        .collect();
    diagnostics.sort_by(|a, b| a.path.cmp(&b.path).then(a.message.cmp(&b.message)));
    diagnostics.dedup();
    diagnostics
}

/// The schema object that holds the failing keyword: the schema path without
/// its last token, resolved in the root schema.
fn owning_schema<'s>(root: &'s Value, schema_path: &str) -> Option<&'s Value> {
    let parent = schema_path.rsplit_once('/').map_or("", |(p, _)| p);
    root.pointer(parent)
}

/// The message for one schema violation.
fn explain(
    root: &Value,
    schema_path: &str,
    kind: &ValidationErrorKind,
    instance: &Value,
) -> String {
    let owner = owning_schema(root, schema_path);
    match kind {
        ValidationErrorKind::AdditionalProperties { unexpected } => {
            let known: Vec<&str> = owner
                .and_then(|s| s.get("properties"))
                .and_then(Value::as_object)
                .map(|p| p.keys().map(String::as_str).collect())
                .unwrap_or_default();
            let fields: Vec<String> = unexpected
                .iter()
                .map(|field| match crate::suggest::did_you_mean(field, &known) {
                    Some(guess) => format!("`{field}` (did you mean `{guess}`?)"),
                    None => format!("`{field}`"),
                })
                .collect();
            let what = if fields.len() == 1 {
                "unknown field"
            } else {
                "unknown fields"
            };
            if known.is_empty() {
                format!("{what} {}: this message has no fields", fields.join(", "))
            } else {
                format!(
                    "{what} {}; expected one of: {}",
                    fields.join(", "),
                    known.join(", ")
                )
            }
        }
        ValidationErrorKind::Not { schema } if is_oneof_clause(schema) => {
            let keys = oneof_keys(schema);
            let present: Vec<String> = instance
                .as_object()
                .map(|o| {
                    keys.iter()
                        .filter(|k| o.contains_key(k.as_str()))
                        .map(|k| format!("`{k}`"))
                        .collect()
                })
                .unwrap_or_default();
            format!(
                "{} are members of one proto oneof: set only one of {}",
                present.join(" and "),
                keys.iter()
                    .map(|k| format!("`{k}`"))
                    .collect::<Vec<_>>()
                    .join(", ")
            )
        }
        ValidationErrorKind::AnyOf { .. } => {
            let branches = owner.and_then(|s| s.get("anyOf")).and_then(Value::as_array);
            let names = branches.and_then(|b| b.iter().find_map(|s| s.get("enum")));
            match (names, owner.and_then(|s| s.get("description"))) {
                (Some(Value::Array(names)), _) => format!(
                    "{} is not a valid value: expected one of {}",
                    short(instance),
                    names
                        .iter()
                        .filter_map(Value::as_str)
                        .collect::<Vec<_>>()
                        .join(", ")
                ),
                (_, Some(Value::String(description))) => {
                    format!(
                        "{} is not valid: expected {}",
                        short(instance),
                        lower_first(description)
                    )
                }
                _ => format!("{} matches none of the allowed forms", short(instance)),
            }
        }
        ValidationErrorKind::Type { .. } => {
            let expected = owner
                .and_then(|s| s.get("type"))
                .map(|t| match t {
                    Value::Array(types) => types
                        .iter()
                        .filter_map(Value::as_str)
                        .filter(|t| *t != "null")
                        .collect::<Vec<_>>()
                        .join(" or "),
                    Value::String(t) => t.clone(),
                    _ => t.to_string(),
                })
                .unwrap_or_else(|| "another type".to_owned());
            format!(
                "expected {} {expected}, found {}",
                article(&expected),
                json_type(instance)
            )
        }
        ValidationErrorKind::Required { property } => {
            format!("missing required field {property}")
        }
        _ => default_message(kind, instance),
    }
}

fn default_message(kind: &ValidationErrorKind, instance: &Value) -> String {
    match kind {
        ValidationErrorKind::Enum { options } => {
            format!("{} is not one of {options}", short(instance))
        }
        ValidationErrorKind::Pattern { pattern } => {
            format!("{} does not match the pattern {pattern}", short(instance))
        }
        ValidationErrorKind::Minimum { limit } => {
            format!("{} is less than the minimum {limit}", short(instance))
        }
        ValidationErrorKind::Maximum { limit } => {
            format!("{} is greater than the maximum {limit}", short(instance))
        }
        ValidationErrorKind::FalseSchema => "no value is allowed here".to_owned(),
        other => format!(
            "{} is not valid here ({})",
            short(instance),
            other.keyword()
        ),
    }
}

fn is_oneof_clause(schema: &Value) -> bool {
    schema.get("description").and_then(Value::as_str) == Some(ONEOF_MARKER)
}

/// The member keys of the oneof whose `not` clause is `schema`.
fn oneof_keys(schema: &Value) -> Vec<String> {
    let mut keys: Vec<String> = Vec::new();
    for pair in schema
        .get("anyOf")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
    {
        for key in pair
            .get("required")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .filter_map(Value::as_str)
        {
            if !keys.iter().any(|k| k == key) {
                keys.push(key.to_owned());
            }
        }
    }
    keys
}

/// A short rendering of a value for a message.
pub(crate) fn short(value: &Value) -> String {
    let text = match value {
        Value::Object(_) => return "the object".to_owned(),
        Value::Array(_) => return "the list".to_owned(),
        other => other.to_string(),
    };
    if text.chars().count() > 60 {
        let cut: String = text.chars().take(57).collect();
        format!("{cut}...")
    } else {
        text
    }
}

fn json_type(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "a list",
        Value::Object(_) => "an object",
    }
}

fn article(word: &str) -> &'static str {
    match word.chars().next() {
        Some('a' | 'e' | 'i' | 'o' | 'u') => "an",
        _ => "a",
    }
}

fn lower_first(text: &str) -> String {
    let mut chars = text.chars();
    match chars.next() {
        Some(c) => c.to_lowercase().chain(chars).collect(),
        None => String::new(),
    }
}
