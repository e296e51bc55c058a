//! Parameter values as the KFP backend writes them out: as text in a
//! command line or a selector's `string_value` (`PbValueToText`), and as
//! JSON in `{{$}}` (protojson).
//!
//! The backend holds every value as a `google.protobuf.Value`, so numbers
//! are doubles: `3` and `3.0` are one value, written `3`.

use std::io::{self, Write};

use serde::Serialize;
use serde_json::Value;
use serde_json::ser::Formatter;

/// The text of a value in a command line (the launcher's placeholders,
/// `metadata.PbValueToText`): a string as it is, a number in positional
/// notation with the fewest digits that read back (Go's `FormatFloat(v,
/// 'f', -1, 64)`: `3`, `0.5`, `1000000000000000000000`), `true`/`false`,
/// nothing for null, and lists and objects as compact JSON.
///
/// ```
/// use kfp_local::driver::value_text::text;
/// use serde_json::json;
///
/// assert_eq!(text(&json!("a b")), "a b");
/// assert_eq!(text(&json!(3.0)), "3");
/// assert_eq!(text(&json!([1, 2.5, "x"])), r#"[1,2.5,"x"]"#);
/// ```
pub fn text(value: &Value) -> String {
    match value {
        Value::Null => String::new(),
        Value::String(s) => s.clone(),
        Value::Bool(b) => b.to_string(),
        Value::Number(n) => n.as_f64().map(positional).unwrap_or_else(|| n.to_string()),
        Value::Array(_) | Value::Object(_) => write(value, GoJson { escape_html: true }),
    }
}

/// A value as protojson writes it into `{{$}}`: compact, keys sorted,
/// numbers as doubles (`3`, `1e+21`, `1e-7`).
pub fn protojson(value: &(impl Serialize + ?Sized)) -> String {
    write(value, GoJson { escape_html: false })
}

/// Go's `FormatFloat(v, 'f', -1, 64)`, which Rust's `Display` for `f64`
/// matches but for the infinities.
fn positional(v: f64) -> String {
    if v.is_infinite() {
        return if v > 0.0 { "+Inf" } else { "-Inf" }.into();
    }
    v.to_string()
}

/// A double as Go's JSON encoders write it (ES6's rule): positional, or
/// scientific below 1e-6 and from 1e21 (`1e+21`, `1.5e-7`).
pub fn json_number(v: f64) -> String {
    let abs = v.abs();
    if abs != 0.0 && !(1e-6..1e21).contains(&abs) {
        let sci = format!("{v:e}");
        let (mantissa, exponent) = sci.split_once('e').expect("`{:e}` writes an exponent");
        match exponent.strip_prefix('-') {
            Some(digits) => format!("{mantissa}e-{digits}"),
            None => format!("{mantissa}e+{exponent:0>2}"),
        }
    } else {
        positional(v)
    }
}

fn write(value: &(impl Serialize + ?Sized), formatter: GoJson) -> String {
    let mut out = Vec::new();
    let mut serializer = serde_json::Serializer::with_formatter(&mut out, formatter);
    value
        .serialize(&mut serializer)
        .expect("a JSON value serializes into memory");
    String::from_utf8(out).expect("JSON text is UTF-8")
}

/// Compact JSON as Go writes it: doubles by [`json_number`], and with
/// `escape_html` (`encoding/json`'s default) `<`, `>`, `&`, U+2028 and
/// U+2029 escaped.
struct GoJson {
    escape_html: bool,
}

impl Formatter for GoJson {
    fn write_f64<W: ?Sized + Write>(&mut self, w: &mut W, value: f64) -> io::Result<()> {
        w.write_all(json_number(value).as_bytes())
    }

    fn write_string_fragment<W: ?Sized + Write>(
        &mut self,
        w: &mut W,
        fragment: &str,
    ) -> io::Result<()> {
        if !self.escape_html {
            return w.write_all(fragment.as_bytes());
        }
        let mut start = 0;
        for (i, c) in fragment.char_indices() {
            let escape = match c {
                '<' => "\\u003c",
                '>' => "\\u003e",
                '&' => "\\u0026",
                '\u{2028}' => "\\u2028",
                '\u{2029}' => "\\u2029",
                _ => continue,
            };
            w.write_all(&fragment.as_bytes()[start..i])?;
            w.write_all(escape.as_bytes())?;
            start = i + c.len_utf8();
        }
        w.write_all(&fragment.as_bytes()[start..])
    }
}

/// A value with every whole-number double written as an integer, as
/// protojson writes it (`3.0` becomes `3`), so that a component reading an
/// integer input gets one.
pub fn whole_numbers_as_integers(value: &Value) -> Value {
    match value {
        Value::Number(n) if n.is_f64() => {
            let f = n.as_f64().unwrap_or_default();
            // Doubles hold every integer up to 2^53 exactly.
            if f.fract() == 0.0 && f.abs() <= 9_007_199_254_740_992.0 {
                Value::from(f as i64)
            } else {
                value.clone()
            }
        }
        Value::Array(items) => Value::Array(items.iter().map(whole_numbers_as_integers).collect()),
        Value::Object(fields) => Value::Object(
            fields
                .iter()
                .map(|(k, v)| (k.clone(), whole_numbers_as_integers(v)))
                .collect(),
        ),
        other => other.clone(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn numbers_are_written_as_go_writes_doubles() {
        assert_eq!(text(&json!(3)), "3");
        assert_eq!(text(&json!(-0.5)), "-0.5");
        assert_eq!(text(&json!(1e21)), "1000000000000000000000");
        assert_eq!(text(&json!(1e-7)), "0.0000001");
        assert_eq!(json_number(1e21), "1e+21");
        assert_eq!(json_number(1.5e-7), "1.5e-7");
        assert_eq!(json_number(1e100), "1e+100");
        assert_eq!(json_number(123.25), "123.25");
        assert_eq!(json_number(0.0), "0");
    }

    #[test]
    fn lists_and_objects_are_compact_json_with_html_escaped() {
        let value = json!({"b": [1.0, 2e21], "a": "<x&y>"});
        assert_eq!(
            text(&value),
            r#"{"a":"\u003cx\u0026y\u003e","b":[1,2e+21]}"#
        );
        assert_eq!(protojson(&value), r#"{"a":"<x&y>","b":[1,2e+21]}"#);
        assert_eq!(text(&Value::Null), "");
        assert_eq!(text(&json!(true)), "true");
    }

    #[test]
    fn whole_doubles_become_integers() {
        let value = whole_numbers_as_integers(&json!({"n": 3.0, "l": [1.5, 2.0]}));
        assert_eq!(value, json!({"n": 3, "l": [1.5, 2]}));
        assert!(value["n"].is_i64());
    }
}
