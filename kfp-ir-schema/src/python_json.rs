//! JSON text as Python's `json.dumps` writes it, which is how kfp writes a
//! pipeline's `.json` file, a loop's raw items (`json.dumps(items,
//! sort_keys=True)`) and the `Concat`/`IfPresent` placeholders of a
//! container's command line.
//!
//! Python's text differs from `serde_json`'s in four ways: `", "` and
//! `": "` separators (or `","` at the end of a line with `indent`), every
//! character outside ASCII's printable range escaped as `\uXXXX` (UTF-16
//! units, so `é` is `\u00e9` and `\x7f` is `\u007f`), floats as Python's
//! `repr` writes them (`1e+16`, `1e-05`, `2.0`), and nothing else. Keys are
//! written in the order the value gives them: a `serde_json::Value`'s map is
//! sorted by key (as with `sort_keys=True`; this workspace never enables
//! `preserve_order`), a struct's fields come in their order.
//!
//! ```
//! use serde_json::json;
//!
//! let value = json!({"b": [1, 2.0, 1e16], "a": "é"});
//! assert_eq!(
//!     kfp_ir_schema::python_json::to_string(&value),
//!     r#"{"a": "\u00e9", "b": [1, 2.0, 1e+16]}"#
//! );
//! assert_eq!(
//!     kfp_ir_schema::python_json::to_string_pretty(&json!({"a": [1]})),
//!     "{\n  \"a\": [\n    1\n  ]\n}"
//! );
//! ```

use std::io::{self, Write};

use serde::Serialize;
use serde_json::ser::Formatter;

/// The text of `json.dumps(value)`: one line, `", "` and `": "`
/// separators.
pub fn to_string(value: &(impl Serialize + ?Sized)) -> String {
    write(value, PythonFormatter::compact())
}

/// The text of `json.dumps(value, indent=2)`: one item per line, indented
/// by two spaces per level, `","` at the end of a line.
pub fn to_string_pretty(value: &(impl Serialize + ?Sized)) -> String {
    write(value, PythonFormatter::indented(2))
}

fn write(value: &(impl Serialize + ?Sized), formatter: PythonFormatter) -> String {
    let mut out = Vec::with_capacity(128);
    let mut serializer = serde_json::Serializer::with_formatter(&mut out, formatter);
    // Writing to a `Vec` cannot fail, and neither can serializing the
    // values this is used for (no map has non-string keys).
    value
        .serialize(&mut serializer)
        .expect("a JSON value serializes into memory");
    String::from_utf8(out).expect("the formatter writes ASCII only")
}

/// A [`serde_json`] formatter that writes as Python's `json.dumps` does
/// (with its default `ensure_ascii=True`).
///
/// Use it with `serde_json::Serializer::with_formatter` to stream the text;
/// [`to_string`] and [`to_string_pretty`] are the common cases.
#[derive(Clone, Debug)]
pub struct PythonFormatter {
    indent: Option<usize>,
    depth: usize,
    /// Whether the list or object being written has an item yet (as
    /// `serde_json::ser::PrettyFormatter` tracks it): an empty one stays
    /// `[]` or `{}` on one line.
    has_value: bool,
}

impl PythonFormatter {
    /// `json.dumps(value)`.
    pub const fn compact() -> Self {
        Self {
            indent: None,
            depth: 0,
            has_value: false,
        }
    }

    /// `json.dumps(value, indent=n)`.
    pub const fn indented(n: usize) -> Self {
        Self {
            indent: Some(n),
            depth: 0,
            has_value: false,
        }
    }

    /// Starts an item of a list or object: the separator after the item
    /// before, then (when indenting) a new line.
    fn item<W: ?Sized + Write>(&self, w: &mut W, first: bool) -> io::Result<()> {
        match self.indent {
            None if first => Ok(()),
            None => w.write_all(b", "),
            Some(n) => {
                if !first {
                    w.write_all(b",")?;
                }
                self.newline(w, n)
            }
        }
    }

    fn newline<W: ?Sized + Write>(&self, w: &mut W, n: usize) -> io::Result<()> {
        w.write_all(b"\n")?;
        for _ in 0..self.depth * n {
            w.write_all(b" ")?;
        }
        Ok(())
    }

    fn open<W: ?Sized + Write>(&mut self, w: &mut W, bracket: &[u8]) -> io::Result<()> {
        self.depth += 1;
        self.has_value = false;
        w.write_all(bracket)
    }

    /// Closes a list or object; with an indent, a non-empty one ends on a
    /// line of its own (`[]` and `{}` stay as they are).
    fn close<W: ?Sized + Write>(&mut self, w: &mut W, bracket: &[u8]) -> io::Result<()> {
        self.depth -= 1;
        if let (Some(n), true) = (self.indent, self.has_value) {
            self.newline(w, n)?;
        }
        w.write_all(bracket)
    }
}

impl Formatter for PythonFormatter {
    fn write_f64<W: ?Sized + Write>(&mut self, w: &mut W, value: f64) -> io::Result<()> {
        w.write_all(float_repr(value).as_bytes())
    }

    fn write_f32<W: ?Sized + Write>(&mut self, w: &mut W, value: f32) -> io::Result<()> {
        self.write_f64(w, f64::from(value))
    }

    fn write_string_fragment<W: ?Sized + Write>(
        &mut self,
        w: &mut W,
        fragment: &str,
    ) -> io::Result<()> {
        // serde_json escapes `"`, `\` and the C0 controls itself, as Python
        // does; Python also escapes DEL and everything beyond ASCII.
        let mut start = 0;
        for (i, c) in fragment.char_indices() {
            if (' '..='~').contains(&c) {
                continue;
            }
            w.write_all(&fragment.as_bytes()[start..i])?;
            let mut units = [0u16; 2];
            for unit in c.encode_utf16(&mut units) {
                write!(w, "\\u{unit:04x}")?;
            }
            start = i + c.len_utf8();
        }
        w.write_all(&fragment.as_bytes()[start..])
    }

    fn begin_array<W: ?Sized + Write>(&mut self, w: &mut W) -> io::Result<()> {
        self.open(w, b"[")
    }

    fn end_array<W: ?Sized + Write>(&mut self, w: &mut W) -> io::Result<()> {
        self.close(w, b"]")
    }

    fn begin_array_value<W: ?Sized + Write>(&mut self, w: &mut W, first: bool) -> io::Result<()> {
        self.item(w, first)
    }

    fn end_array_value<W: ?Sized + Write>(&mut self, _w: &mut W) -> io::Result<()> {
        self.has_value = true;
        Ok(())
    }

    fn begin_object<W: ?Sized + Write>(&mut self, w: &mut W) -> io::Result<()> {
        self.open(w, b"{")
    }

    fn end_object<W: ?Sized + Write>(&mut self, w: &mut W) -> io::Result<()> {
        self.close(w, b"}")
    }

    fn begin_object_key<W: ?Sized + Write>(&mut self, w: &mut W, first: bool) -> io::Result<()> {
        self.item(w, first)
    }

    fn begin_object_value<W: ?Sized + Write>(&mut self, w: &mut W) -> io::Result<()> {
        w.write_all(b": ")
    }

    fn end_object_value<W: ?Sized + Write>(&mut self, _w: &mut W) -> io::Result<()> {
        self.has_value = true;
        Ok(())
    }
}

/// A float as Python's `repr` writes it: the shortest digits that read
/// back as the same float, in positional notation with at least one
/// decimal (`2.0`, `0.0001`) when the exponent is from -4 to 15, else in
/// scientific notation with a signed exponent of at least two digits
/// (`1e+16`, `1.5e-05`). Not-a-number and the infinities, which JSON
/// cannot hold, are written as Python writes them (`NaN`, `Infinity`).
pub fn float_repr(value: f64) -> String {
    if value.is_nan() {
        return "NaN".into();
    }
    if value.is_infinite() {
        return if value > 0.0 { "Infinity" } else { "-Infinity" }.into();
    }
    // Rust's `{:e}` gives the shortest round-trip digits, as Python's repr
    // does: `d[.ddd]e[-]x`.
    let sci = format!("{:e}", value.abs());
    let (mantissa, exponent) = sci.split_once('e').expect("`{:e}` writes an exponent");
    let exponent: i32 = exponent.parse().expect("`{:e}` writes a decimal exponent");
    let digits: String = mantissa.chars().filter(char::is_ascii_digit).collect();
    let sign = if value.is_sign_negative() { "-" } else { "" };
    // Python's `float_repr_style = 'short'`: positional for -4 <= exponent < 16.
    if (-4..16).contains(&exponent) {
        let point = exponent + 1; // digits before the decimal point
        let text = if point <= 0 {
            format!("0.{}{digits}", "0".repeat(point.unsigned_abs() as usize))
        } else if point as usize >= digits.len() {
            format!("{digits}{}.0", "0".repeat(point as usize - digits.len()))
        } else {
            let (int, frac) = digits.split_at(point as usize);
            format!("{int}.{frac}")
        };
        format!("{sign}{text}")
    } else {
        let (first, rest) = digits.split_at(1);
        let fraction = if rest.is_empty() {
            String::new()
        } else {
            format!(".{rest}")
        };
        let exp_sign = if exponent < 0 { '-' } else { '+' };
        format!(
            "{sign}{first}{fraction}e{exp_sign}{:02}",
            exponent.unsigned_abs()
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn floats_are_written_as_python_repr() {
        for (value, text) in [
            (2.0, "2.0"),
            (-0.0, "-0.0"),
            (0.5, "0.5"),
            (0.0001, "0.0001"),
            (0.00001, "1e-05"),
            (1.5e-7, "1.5e-07"),
            (1e15, "1000000000000000.0"),
            (1e16, "1e+16"),
            (1.25e16, "1.25e+16"),
            (123456.789, "123456.789"),
            (1e300, "1e+300"),
            (f64::MAX, "1.7976931348623157e+308"),
            (0.1 + 0.2, "0.30000000000000004"),
        ] {
            assert_eq!(float_repr(value), text, "{value}");
        }
    }

    #[test]
    fn strings_escape_as_python_ensure_ascii() {
        let value = json!("a\"b\\c\n\t\u{8}\u{c}\u{1f}\u{7f}é😀");
        assert_eq!(
            to_string(&value),
            r#""a\"b\\c\n\t\b\f\u001f\u007f\u00e9\ud83d\ude00""#
        );
    }

    #[test]
    fn compact_and_indented_separators() {
        let value = json!({"b": {"c": []}, "a": [1, "x", {}], "d": null, "e": true});
        assert_eq!(
            to_string(&value),
            r#"{"a": [1, "x", {}], "b": {"c": []}, "d": null, "e": true}"#
        );
        assert_eq!(
            to_string_pretty(&value),
            "{\n  \"a\": [\n    1,\n    \"x\",\n    {}\n  ],\n  \"b\": {\n    \"c\": []\n  },\n  \"d\": null,\n  \"e\": true\n}"
        );
    }

    #[test]
    fn structs_keep_their_field_order() {
        #[derive(Serialize)]
        #[serde(rename_all = "PascalCase")]
        struct IfPresent {
            input_name: &'static str,
            then: Vec<&'static str>,
        }
        let value = IfPresent {
            input_name: "a",
            then: vec!["--a"],
        };
        assert_eq!(to_string(&value), r#"{"InputName": "a", "Then": ["--a"]}"#);
    }
}
