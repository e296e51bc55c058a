//! Pipeline values formatted into strings (kfp's f-strings:
//! `comp(msg=f'hi {task.output}')`).
//!
//! A pipeline input, task output or loop item written with `format!` (its
//! `Display`) becomes a token that names it. When a string with tokens is
//! passed to a `String` input, the input gets the string with each token
//! replaced by the placeholder of an input that KFP fills when the task
//! runs, as kfp does: `format!("hi {name}")` is compiled to
//! `hi {{$.inputs.parameters['pipelinechannel--name']}}` plus the input
//! `pipelinechannel--name`.
//!
//! Tokens mean nothing anywhere else (a display name, an environment
//! variable, a Kubernetes setting): a string that holds one is reported
//! there.

use std::fmt;

use kfp_compiler::graph::{Binding, ConfigValue, GroupId, Structured, TaskId};

use crate::recorder::{TaskHandle, current_frame_id, report};

/// The start of every token.
const OPEN: &str = "{{kfp-rs.channel:";
/// The end of every token.
const CLOSE: &str = "}}";

/// What a token names.
#[derive(Clone, Copy)]
pub(crate) enum Channel<'a> {
    /// An output parameter of a task.
    TaskOutput(TaskId, &'a str),
    /// A pipeline input parameter.
    PipelineInput(&'a str),
    /// The item of a loop.
    LoopItem(GroupId),
}

/// Writes the token of `channel`, recorded in pipeline `frame`.
pub(crate) fn write_token(
    f: &mut fmt::Formatter<'_>,
    frame: u64,
    channel: Channel<'_>,
) -> fmt::Result {
    match channel {
        Channel::TaskOutput(task, output) => {
            write!(f, "{OPEN}{frame}:task:{}.{output}{CLOSE}", task.0)
        }
        Channel::PipelineInput(name) => write!(f, "{OPEN}{frame}:input:{name}{CLOSE}"),
        Channel::LoopItem(group) => write!(f, "{OPEN}{frame}:item:{}{CLOSE}", group.0),
    }
}

/// The binding of a string given to a `String` input: a constant, or, when
/// it holds tokens, the string with the values they name formatted in.
/// `None` when a token is malformed or from another pipeline (reported).
#[track_caller]
pub(crate) fn text_binding(text: String) -> Option<Binding> {
    if !text.contains(OPEN) {
        return Some(Binding::Constant(text.into()));
    }
    match parse(&text, current_frame_id()) {
        Ok(parts) => Some(Binding::Interpolated(parts)),
        Err(message) => {
            report(message);
            None
        }
    }
}

/// The binding of a list or struct given to a parameter input: the
/// constant, or, when its strings hold tokens, the structure with the
/// values they name formatted in when the task runs, as kfp reads pipeline
/// values anywhere in a list or dict argument. `None` when a token is
/// malformed, from another pipeline, or in a key, which kfp writes as it
/// is (reported).
#[track_caller]
pub(crate) fn value_binding(value: serde_json::Value) -> Option<Binding> {
    if !value_holds_token(&value) {
        return Some(Binding::Constant(value));
    }
    match structured(&value, current_frame_id()) {
        Ok(structured) => Some(Binding::Structured(structured)),
        Err(message) => {
            report(message);
            None
        }
    }
}

/// Whether a string of `value`, or a key, holds a token.
fn value_holds_token(value: &serde_json::Value) -> bool {
    json_strings(value).into_iter().any(holds_token)
}

/// Every string of `value`, object keys included, each key before its
/// value.
pub(crate) fn json_strings(value: &serde_json::Value) -> Vec<&str> {
    fn walk<'a>(value: &'a serde_json::Value, out: &mut Vec<&'a str>) {
        match value {
            serde_json::Value::String(text) => out.push(text),
            serde_json::Value::Array(items) => items.iter().for_each(|item| walk(item, out)),
            serde_json::Value::Object(fields) => {
                for (key, value) in fields {
                    out.push(key);
                    walk(value, out);
                }
            }
            _ => {}
        }
    }
    let mut out = Vec::new();
    walk(value, &mut out);
    out
}

/// `value` with each string split into its literal pieces and the values
/// its tokens name.
fn structured(value: &serde_json::Value, frame: u64) -> Result<Structured, String> {
    use serde_json::Value;
    Ok(match value {
        Value::String(text) if text.contains(OPEN) => Structured::Text(parse(text, frame)?),
        Value::Array(items) => Structured::List(
            items
                .iter()
                .map(|item| structured(item, frame))
                .collect::<Result<_, _>>()?,
        ),
        Value::Object(fields) => Structured::Object(
            fields
                .iter()
                .map(|(key, value)| {
                    if key.contains(OPEN) {
                        return Err(format!(
                            "a pipeline value is formatted into the key {key:?} of a struct; \
                             kfp reads values formatted into a struct's values, not its keys"
                        ));
                    }
                    Ok((key.clone(), structured(value, frame)?))
                })
                .collect::<Result<_, String>>()?,
        ),
        other => Structured::Constant(other.clone()),
    })
}

/// Reports a token in the string given to setting `setting` of `task`,
/// naming the task.
#[track_caller]
pub(crate) fn check_setting(task: TaskHandle, setting: &str, text: &str) {
    if text.contains(OPEN) {
        let name = task.kfp_name().unwrap_or_else(|| "?".to_owned());
        report(format!("task `{name}`: {}", given_formatted(setting)));
    }
}

/// The words for a string with a pipeline value formatted into it, given
/// to `what`.
fn given_formatted(what: &str) -> String {
    format!(
        "`{what}` was given a string with a pipeline input, task output or loop item formatted \
         into it; only a component's `String` inputs read such values when the task runs"
    )
}

/// Whether `text` holds a token.
pub(crate) fn holds_token(text: &str) -> bool {
    text.contains(OPEN)
}

/// Splits `text` into literal pieces and the values its tokens name; an
/// error when a token is malformed or not of pipeline `frame`.
pub(crate) fn parse(text: &str, frame: u64) -> Result<Vec<ConfigValue>, String> {
    let mut parts = Vec::new();
    let mut rest = text;
    while let Some(start) = rest.find(OPEN) {
        if start > 0 {
            parts.push(ConfigValue::Literal(rest[..start].to_owned()));
        }
        let after = &rest[start + OPEN.len()..];
        let end = after
            .find(CLOSE)
            .ok_or_else(|| format!("a formatted pipeline value in {text:?} is cut short"))?;
        parts.push(channel(&after[..end], frame).ok_or_else(|| {
            format!(
                "{text:?} holds a pipeline value of another pipeline (or a damaged one); \
                 format values into strings inside the pipeline that owns them"
            )
        })?);
        rest = &after[end + CLOSE.len()..];
    }
    if !rest.is_empty() {
        parts.push(ConfigValue::Literal(rest.to_owned()));
    }
    Ok(parts)
}

/// The value one token (between `OPEN` and `CLOSE`) names, if it is of
/// pipeline `frame`.
fn channel(token: &str, frame: u64) -> Option<ConfigValue> {
    let mut fields = token.splitn(3, ':');
    let (owner, kind, what) = (fields.next()?, fields.next()?, fields.next()?);
    if owner.parse::<u64>().ok()? != frame {
        return None;
    }
    Some(match kind {
        "task" => {
            let (task, output) = what.split_once('.')?;
            ConfigValue::TaskOutput {
                task: TaskId(task.parse().ok()?),
                output: output.to_owned(),
            }
        }
        "input" => ConfigValue::PipelineParameter(what.to_owned()),
        "item" => ConfigValue::LoopItem(GroupId(what.parse().ok()?)),
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    struct Shown<'a>(u64, Channel<'a>);

    impl fmt::Display for Shown<'_> {
        fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            write_token(f, self.0, self.1)
        }
    }

    #[test]
    fn tokens_read_back_as_the_values_they_name() {
        let text = format!(
            "{} and {} > {}!",
            Shown(7, Channel::PipelineInput("side")),
            Shown(7, Channel::TaskOutput(TaskId(3), "Output")),
            Shown(7, Channel::LoopItem(GroupId(2))),
        );
        assert_eq!(
            parse(&text, 7).unwrap(),
            vec![
                ConfigValue::PipelineParameter("side".into()),
                ConfigValue::Literal(" and ".into()),
                ConfigValue::TaskOutput {
                    task: TaskId(3),
                    output: "Output".into()
                },
                ConfigValue::Literal(" > ".into()),
                ConfigValue::LoopItem(GroupId(2)),
                ConfigValue::Literal("!".into()),
            ]
        );
    }

    #[test]
    fn tokens_of_another_pipeline_or_cut_short_are_refused() {
        let token = Shown(7, Channel::PipelineInput("side")).to_string();
        assert!(parse(&token, 8).unwrap_err().contains("another pipeline"));
        let cut = &token[..token.len() - 1];
        assert!(parse(cut, 7).unwrap_err().contains("cut short"));
        assert!(parse(&format!("{OPEN}7:what:x{CLOSE}"), 7).is_err());
    }
}
