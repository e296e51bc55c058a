//! The characters a YAML stream may hold, as PyYAML's reader allows them.
//!
//! PyYAML refuses a stream holding any character outside YAML's printable
//! set ("unacceptable character #x0001: special characters are not
//! allowed"), anywhere in it: tab, line feed and carriage return, U+0020 to
//! U+007E, U+0085, U+00A0 to U+D7FF, U+E000 to U+FFFD and the planes above.
//! So a pipeline file kfp reads never holds a raw control character;
//! written escaped (`"\x01"` in double quotes) it is fine.

use super::{Position, YamlError, YamlErrorKind};

/// The first character of `text` that PyYAML refuses, as an error with its
/// line and column.
pub(crate) fn check(text: &str) -> Result<(), YamlError> {
    match first_unprintable(text) {
        None => Ok(()),
        Some((offset, c)) => Err(YamlError {
            position: position_of(text, offset),
            kind: YamlErrorKind::ControlCharacter(c),
        }),
    }
}

/// The byte offset and the character of the first character outside
/// YAML's printable set. Looks at bytes, not characters, so that the
/// ASCII text kfp writes is checked at the speed of a byte loop.
fn first_unprintable(text: &str) -> Option<(usize, char)> {
    let bytes = text.as_bytes();
    let refused = |i: usize| text[i..].chars().next().map(|c| (i, c));
    for (i, &b) in bytes.iter().enumerate() {
        match b {
            b'\t' | b'\n' | b'\r' | 0x20..=0x7E => {}
            0x00..=0x1F | 0x7F => return refused(i),
            // U+0080..U+009F (C1 controls) but U+0085 (next line).
            0xC2 if matches!(bytes.get(i + 1), Some(0x80..=0x9F)) && bytes[i + 1] != 0x85 => {
                return refused(i);
            }
            // U+FFFE and U+FFFF.
            0xEF if bytes.get(i + 1) == Some(&0xBF)
                && matches!(bytes.get(i + 2), Some(0xBE | 0xBF)) =>
            {
                return refused(i);
            }
            // Other bytes of UTF-8 sequences: printable (surrogates cannot
            // occur in a `str`).
            _ => {}
        }
    }
    None
}

/// The line and column (in characters) of byte `offset` of `text`.
fn position_of(text: &str, offset: usize) -> Position {
    let before = &text[..offset];
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    Position {
        line: before.matches('\n').count() + 1,
        column: before[line_start..].chars().count() + 1,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn refuses_what_pyyaml_refuses_where_it_is() {
        for (text, c, line, column) in [
            ("a: b\x01c\n", '\x01', 1, 5),
            ("a: 1\nb: 'x\x00'\n", '\0', 2, 6),
            ("# \x1b[31m\n", '\x1b', 1, 3),
            ("a: é\x7f\n", '\x7f', 1, 5),
            ("a: \u{9b}\n", '\u{9b}', 1, 4),
            ("a: \u{80}\n", '\u{80}', 1, 4),
            ("a: \u{ffff}\n", '\u{ffff}', 1, 4),
            ("a: \u{fffe}\n", '\u{fffe}', 1, 4),
        ] {
            let e = check(text).unwrap_err();
            assert_eq!(e.kind, YamlErrorKind::ControlCharacter(c), "{text:?}");
            assert_eq!(e.position, Position { line, column }, "{text:?}");
        }
    }

    #[test]
    fn allows_what_pyyaml_allows() {
        let text =
            "a: \"\\x01 escaped\"\r\nb:\tc\n\u{85}\u{a0}é€😀\u{feff}\u{fffd}\u{d7ff}\u{e000}\n";
        assert_eq!(check(text), Ok(()));
        assert_eq!(check(""), Ok(()));
    }
}
