//! Text from outside (a pipeline file, a server's answer) made safe to show
//! on a terminal: control characters escaped, so that a name or a message
//! cannot move the cursor, recolour the screen or hide what follows it, and
//! long text cut to a length a person reads.
//!
//! Every message that quotes such text goes through here: the validator's
//! diagnostics (field names and values quoted from a file) and kfp-client's
//! error messages (what a server said).
//!
//! ```
//! use kfp_ir_schema::printable::{escaped, excerpt};
//!
//! assert_eq!(escaped("plain `name`"), "plain `name`");
//! assert_eq!(escaped("red\x1b[31m\ttab\nline"), "red\\u{1b}[31m\\ttab\\nline");
//! assert_eq!(excerpt("abcdef", 4), "abcd… (2 more characters)");
//! ```

use std::borrow::Cow;
use std::fmt::Write as _;

/// `text` with every control character (C0, DEL and C1, which includes the
/// escape that starts a terminal sequence) written as Rust writes it in a
/// string literal: `\n`, `\r`, `\t`, else `\u{1b}`. Other text, non-ASCII
/// included, is unchanged; text with nothing to escape is not copied.
pub fn escaped(text: &str) -> Cow<'_, str> {
    if !text.chars().any(char::is_control) {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        match c {
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if c.is_control() => {
                let _ = write!(out, "\\u{{{:x}}}", u32::from(c));
            }
            c => out.push(c),
        }
    }
    Cow::Owned(out)
}

/// At most the first `max_chars` characters of `text`, [`escaped`], with
/// `… (N more characters)` when it was cut.
pub fn excerpt(text: &str, max_chars: usize) -> Cow<'_, str> {
    match text.char_indices().nth(max_chars) {
        None => escaped(text),
        Some((cut, _)) => {
            let more = text[cut..].chars().count();
            let plural = if more == 1 { "" } else { "s" };
            Cow::Owned(format!(
                "{}… ({more} more character{plural})",
                escaped(&text[..cut])
            ))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn control_characters_are_escaped_and_the_rest_kept() {
        assert!(matches!(escaped("tâche `ok`"), Cow::Borrowed(_)));
        assert_eq!(escaped("a\u{7f}b\u{9b}c\0"), "a\\u{7f}b\\u{9b}c\\u{0}");
        assert_eq!(escaped("\r\n"), "\\r\\n");
    }

    #[test]
    fn excerpts_count_characters_not_bytes() {
        assert_eq!(excerpt("ééé", 3), "ééé");
        assert_eq!(excerpt("éééé", 3), "ééé… (1 more character)");
        assert_eq!(excerpt("\x1b[2J", 1), "\\u{1b}… (3 more characters)");
    }
}
