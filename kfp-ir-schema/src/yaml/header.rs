//! The `# PIPELINE DEFINITION` comment that `kfp` writes before a pipeline
//! (kfp 2.17, `compiler/pipeline_spec_builder.py`,
//! `extract_comments_from_pipeline_spec`).
//!
//! It is cosmetic, except that `kfp`'s `load_component_from_*` reads the
//! description back from it.

use serde_json::Value;

use super::scalar::python_float_repr;

/// The header comment of a compiled pipeline, with the description taken
/// from `pipelineInfo.description`.
///
/// ```text
/// # PIPELINE DEFINITION
/// # Name: add-numbers
/// # Description: Adds two numbers.
/// # Inputs:
/// #    a: int [Default: 1.0]
/// # Outputs:
/// #    Output: int
/// ```
pub fn header(spec: &Value) -> String {
    let description = spec
        .pointer("/pipelineInfo/description")
        .and_then(Value::as_str);
    header_with_description(spec, description)
}

/// The header comment with an explicit description. `kfp` takes it from the
/// pipeline function's docstring, which for a component compiled on its own
/// is not in `pipelineInfo`.
///
/// Multi-line descriptions continue on lines indented to line up after
/// `# Description: `. Inputs and outputs are listed by name, parameters
/// with their Python type (`int`, `str`, `list`, …) and, for inputs, their
/// default as Python's `str()` shows it (numbers are doubles in the IR, so
/// `1.0`; strings in single quotes), artifacts with their schema title.
pub fn header_with_description(spec: &Value, description: Option<&str>) -> String {
    let mut lines = vec!["# PIPELINE DEFINITION".to_owned()];
    let name = spec
        .pointer("/pipelineInfo/name")
        .and_then(Value::as_str)
        .unwrap_or_default();
    lines.push(format!("# Name: {name}"));
    if let Some(d) = description.filter(|d| !d.is_empty()) {
        lines.push(format!(
            "# Description: {}",
            split_lines(d).join("\n#              ")
        ));
    }
    let root = spec.get("root");
    for (field, heading) in [
        ("inputDefinitions", "# Inputs:"),
        ("outputDefinitions", "# Outputs:"),
    ] {
        if let Some(signature) = root.and_then(|r| r.get(field)) {
            lines.push(heading.to_owned());
            lines.extend(signature_lines(signature));
        }
    }
    let mut out = lines.join("\n");
    out.push('\n');
    out
}

/// The description of the header comment `text` starts with, as
/// [`header_with_description`] writes it: the `# Description: ` line and
/// the lines that continue it, joined with `\n`. `None` when the header
/// has no description (or `text` no header).
///
/// ```
/// use kfp_ir_schema::yaml::header_description;
///
/// let text = concat!(
///     "# PIPELINE DEFINITION\n# Name: p\n",
///     "# Description: Joins two datasets.\n",
///     "#              Returns the result.\n",
///     "# Inputs:\n#    a: str\ncomponents: {}\n",
/// );
/// assert_eq!(
///     header_description(text).as_deref(),
///     Some("Joins two datasets.\nReturns the result.")
/// );
/// assert_eq!(header_description("pipelineInfo:\n  name: p\n"), None);
/// ```
pub fn header_description(text: &str) -> Option<String> {
    // Continuation lines line up after `# Description: `. An editor that
    // strips trailing spaces leaves an empty one as a bare `#`.
    const CONTINUED: &str = "#              ";
    let mut comments = text.lines().take_while(|line| line.starts_with('#'));
    let first = comments.find_map(|line| line.strip_prefix("# Description:"))?;
    let mut description = first.strip_prefix(' ').unwrap_or(first).to_owned();
    for line in comments {
        let continued = match line.strip_prefix(CONTINUED) {
            Some(rest) => rest,
            None if line == "#" => "",
            None => break,
        };
        description.push('\n');
        description.push_str(continued);
    }
    Some(description)
}

/// One `#    name: type [Default: value]` line per parameter and artifact,
/// sorted by name (parameters first among equal names, as Python's stable
/// sort leaves them).
fn signature_lines(signature: &Value) -> Vec<String> {
    let mut entries: Vec<(&str, String)> = Vec::new();
    if let Some(params) = signature.get("parameters").and_then(Value::as_object) {
        for (name, body) in params {
            let type_name = body
                .get("parameterType")
                .and_then(Value::as_str)
                .unwrap_or_default();
            let mut line = format!("#    {name}: {}", python_type_name(type_name));
            if let Some(default) = body.get("defaultValue") {
                let shown = match default {
                    Value::String(s) => format!("'{s}'"),
                    other => python_str(other),
                };
                line.push_str(&format!(" [Default: {shown}]"));
            }
            entries.push((name, line));
        }
    }
    if let Some(artifacts) = signature.get("artifacts").and_then(Value::as_object) {
        for (name, body) in artifacts {
            let title = body
                .pointer("/artifactType/schemaTitle")
                .and_then(Value::as_str)
                .unwrap_or_default();
            entries.push((name, format!("#    {name}: {title}")));
        }
    }
    entries.sort_by(|a, b| a.0.cmp(b.0));
    entries.into_iter().map(|(_, line)| line).collect()
}

/// `kfp`'s `IR_TYPE_TO_COMMENT_TYPE_STRING`; unknown types are shown as is.
fn python_type_name(parameter_type: &str) -> &str {
    match parameter_type {
        "STRING" => "str",
        "NUMBER_INTEGER" => "int",
        "NUMBER_DOUBLE" => "float",
        "LIST" => "list",
        "STRUCT" => "dict",
        "BOOLEAN" => "bool",
        "TASK_FINAL_STATUS" => "PipelineTaskFinalStatus",
        "TASK_CONFIG" => "TaskConfig",
        other => other,
    }
}

/// Python's `str.splitlines()`.
fn split_lines(text: &str) -> Vec<&str> {
    let mut lines = Vec::new();
    let mut rest = text;
    while !rest.is_empty() {
        match rest.char_indices().find(|&(_, c)| {
            matches!(
                c,
                '\n' | '\r'
                    | '\x0B'
                    | '\x0C'
                    | '\x1C'
                    | '\x1D'
                    | '\x1E'
                    | '\u{85}'
                    | '\u{2028}'
                    | '\u{2029}'
            )
        }) {
            Some((i, c)) => {
                lines.push(&rest[..i]);
                let skip = if rest[i..].starts_with("\r\n") {
                    2
                } else {
                    c.len_utf8()
                };
                rest = &rest[i + skip..];
            }
            None => {
                lines.push(rest);
                rest = "";
            }
        }
    }
    lines
}

/// Python's `str()` of the value `json_format.MessageToDict` makes of a
/// `google.protobuf.Value`: numbers are floats, `True`/`False`/`None`,
/// containers in `repr` form. Object keys come out sorted (protobuf's own
/// map order is not recoverable from JSON).
fn python_str(value: &Value) -> String {
    let mut out = String::new();
    python_repr(value, &mut out);
    out
}

fn python_repr(value: &Value, out: &mut String) {
    match value {
        Value::Null => out.push_str("None"),
        Value::Bool(true) => out.push_str("True"),
        Value::Bool(false) => out.push_str("False"),
        Value::Number(n) => out.push_str(&python_float_repr(n.as_f64().unwrap_or(f64::NAN))),
        Value::String(s) => python_str_repr(s, out),
        Value::Array(items) => {
            out.push('[');
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    out.push_str(", ");
                }
                python_repr(item, out);
            }
            out.push(']');
        }
        Value::Object(map) => {
            out.push('{');
            for (i, (key, item)) in map.iter().enumerate() {
                if i > 0 {
                    out.push_str(", ");
                }
                python_str_repr(key, out);
                out.push_str(": ");
                python_repr(item, out);
            }
            out.push('}');
        }
    }
}

/// Python's `repr(str)`: single quotes unless the text has `'` and no `"`;
/// backslash escapes for the quote, `\\`, `\n`, `\r`, `\t` and unprintable
/// characters.
fn python_str_repr(s: &str, out: &mut String) {
    let quote = if s.contains('\'') && !s.contains('"') {
        '"'
    } else {
        '\''
    };
    out.push(quote);
    for c in s.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if c == quote => {
                out.push('\\');
                out.push(c);
            }
            c if !is_printable(c) => {
                let n = u32::from(c);
                let esc = match n {
                    0..=0xFF => format!("\\x{n:02x}"),
                    0x100..=0xFFFF => format!("\\u{n:04x}"),
                    _ => format!("\\U{n:08x}"),
                };
                out.push_str(&esc);
            }
            c => out.push(c),
        }
    }
    out.push(quote);
}

/// An approximation of Python's `str.isprintable` for one character:
/// controls, separators other than the space, and the common format
/// characters are not printable.
fn is_printable(c: char) -> bool {
    if c == ' ' {
        return true;
    }
    !(c.is_control()
        || c.is_whitespace()
        || matches!(c, '\u{AD}' | '\u{200B}'..='\u{200F}' | '\u{202A}'..='\u{202E}' | '\u{2060}'..='\u{2064}' | '\u{FEFF}'))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn writes_kfp_header() {
        let spec = json!({
            "pipelineInfo": {"name": "my-pipeline", "description": "First line.\nSecond line.\r\nThird."},
            "root": {
                "inputDefinitions": {
                    "parameters": {
                        "text": {"parameterType": "STRING", "defaultValue": "it's"},
                        "count": {"parameterType": "NUMBER_INTEGER", "defaultValue": 3},
                        "flag": {"parameterType": "BOOLEAN", "defaultValue": false},
                        "items": {"parameterType": "LIST"},
                        "status": {"parameterType": "TASK_FINAL_STATUS"}
                    },
                    "artifacts": {
                        "data": {"artifactType": {"schemaTitle": "system.Dataset", "schemaVersion": "0.0.1"}}
                    }
                },
                "outputDefinitions": {"parameters": {"Output": {"parameterType": "NUMBER_DOUBLE"}}}
            }
        });
        let want = "\
# PIPELINE DEFINITION
# Name: my-pipeline
# Description: First line.
#              Second line.
#              Third.
# Inputs:
#    count: int [Default: 3.0]
#    data: system.Dataset
#    flag: bool [Default: False]
#    items: list
#    status: PipelineTaskFinalStatus
#    text: str [Default: 'it's']
# Outputs:
#    Output: float
";
        assert_eq!(header(&spec), want);
    }

    #[test]
    fn headings_appear_only_when_the_definitions_do() {
        let spec = json!({"pipelineInfo": {"name": "p"}, "root": {"outputDefinitions": {}}});
        assert_eq!(
            header(&spec),
            "# PIPELINE DEFINITION\n# Name: p\n# Outputs:\n"
        );
        assert_eq!(
            header_with_description(&spec, Some("From a docstring.")),
            "# PIPELINE DEFINITION\n# Name: p\n# Description: From a docstring.\n# Outputs:\n"
        );
        assert_eq!(
            header_with_description(&spec, Some("")),
            "# PIPELINE DEFINITION\n# Name: p\n# Outputs:\n"
        );
    }

    #[test]
    fn shows_defaults_as_python_str_does() {
        // Expected: Python 3.11 `str([...])` of the same values.
        let value = json!(["it's", "a\"b", "x'y\"z", "\n\\", "é", 1.0, true, null, {"a": 1e-05, "b": 1e16}, "\u{7f}\u{200b}"]);
        assert_eq!(
            python_str(&value),
            r#"["it's", 'a"b', 'x\'y"z', '\n\\', 'é', 1.0, True, None, {'a': 1e-05, 'b': 1e+16}, '\x7f\u200b']"#
        );
    }

    #[test]
    fn splits_lines_as_python_does() {
        assert_eq!(
            split_lines("a\r\nb\u{b}c\u{2028}d\n"),
            vec!["a", "b", "c", "d"]
        );
        assert_eq!(split_lines("a\n\nb"), vec!["a", "", "b"]);
        assert!(split_lines("").is_empty());
    }
}
