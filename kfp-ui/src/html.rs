//! The one escaping function of the UI, and percent-encoding for URLs.
//!
//! Every text that reaches a page goes through [`escape_into`], usually as
//! `Esc(text)` in a `write!`: names, values, messages and paths come from
//! pipelines and runs, so any of them may hold markup.

use std::fmt;

/// Writes `text` with `&`, `<`, `>`, `"` and `'` escaped, safe in an
/// element's content and in a quoted attribute value, of HTML and of SVG.
///
/// ```
/// let mut out = String::new();
/// kfp_ui::html::escape_into(&mut out, r#"<a href="x">'&'</a>"#).unwrap();
/// assert_eq!(out, "&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;");
/// ```
///
/// # Errors
/// When `out` fails.
pub fn escape_into(out: &mut impl fmt::Write, text: &str) -> fmt::Result {
    let mut rest = text;
    while let Some(at) = rest.find(['&', '<', '>', '"', '\'']) {
        out.write_str(&rest[..at])?;
        out.write_str(match rest.as_bytes()[at] {
            b'&' => "&amp;",
            b'<' => "&lt;",
            b'>' => "&gt;",
            b'"' => "&quot;",
            _ => "&#39;",
        })?;
        rest = &rest[at + 1..];
    }
    out.write_str(rest)
}

/// Text that [`Display`](fmt::Display)s escaped by [`escape_into`].
#[derive(Clone, Copy, Debug)]
pub struct Esc<'a>(pub &'a str);

impl fmt::Display for Esc<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        escape_into(f, self.0)
    }
}

/// `text` percent-encoded as one path segment or query value: every byte
/// but ASCII letters, digits and `-._~` is written as `%XX`.
///
/// ```
/// assert_eq!(kfp_ui::html::encode("a b/c?&é"), "a%20b%2Fc%3F%26%C3%A9");
/// ```
pub fn encode(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for byte in text.bytes() {
        if byte.is_ascii_alphanumeric() || matches!(byte, b'-' | b'.' | b'_' | b'~') {
            out.push(byte as char);
        } else {
            out.push_str(&format!("%{byte:02X}"));
        }
    }
    out
}

/// Reads `%XX` escapes (and, with `plus_is_space`, `+` as a space, as
/// forms send query values); `None` when an escape is broken or the bytes
/// are not UTF-8.
///
/// ```
/// use kfp_ui::html::decode;
///
/// assert_eq!(decode("a%20b+c", true).as_deref(), Some("a b c"));
/// assert_eq!(decode("%2e%2E", false).as_deref(), Some(".."));
/// assert_eq!(decode("%zz", false), None);
/// ```
pub fn decode(text: &str, plus_is_space: bool) -> Option<String> {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'%' => {
                let hex = text.get(i + 1..i + 3)?;
                if !hex.bytes().all(|b| b.is_ascii_hexdigit()) {
                    return None;
                }
                out.push(u8::from_str_radix(hex, 16).ok()?);
                i += 3;
            }
            b'+' if plus_is_space => {
                out.push(b' ');
                i += 1;
            }
            byte => {
                out.push(byte);
                i += 1;
            }
        }
    }
    String::from_utf8(out).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escaping_leaves_plain_text_alone() {
        assert_eq!(Esc("plain text é").to_string(), "plain text é");
        assert_eq!(Esc("").to_string(), "");
        assert_eq!(Esc("<<").to_string(), "&lt;&lt;");
    }

    #[test]
    fn encoding_reads_back() {
        for text in ["for-loop-2", "a b", "%2e%2e", "é/ü?#&=+"] {
            assert_eq!(decode(&encode(text), false).as_deref(), Some(text));
        }
        assert_eq!(decode("%", false), None);
        assert_eq!(decode("%ff", false), None);
        assert_eq!(decode("%+f", false), None);
    }
}
