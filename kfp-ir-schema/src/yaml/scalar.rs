//! How PyYAML writes a scalar: which style it picks (plain, single- or
//! double-quoted), how it escapes, when a key is simple, and how it writes
//! a float. The emitter ([`super::emit`]) and the header use these.

/// A mapping key this long (in characters) or longer is written in the
/// explicit `? key` form. PyYAML's limit is 128 for the key plus its tag,
/// and it counts the tag `!!str` (5 characters) even though it omits it.
pub(super) const MAX_SIMPLE_KEY: usize = 128 - "!!str".len();

/// The scalar styles PyYAML chooses between for JSON values.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Style {
    /// As it is.
    Plain,
    /// In `'...'`.
    SingleQuoted,
    /// In `"..."`, escaped.
    DoubleQuoted,
}

/// Whether `c` breaks a line, to YAML.
pub(super) fn is_break(c: char) -> bool {
    matches!(c, '\n' | '\u{85}' | '\u{2028}' | '\u{2029}')
}

/// Whether `c` is a blank, a break or the end of the text.
fn is_blank_or_end(c: char) -> bool {
    matches!(c, '\0' | ' ' | '\t' | '\r') || is_break(c)
}

/// How PyYAML writes `c` inside double quotes with `allow_unicode=False`.
pub(super) fn escape_char(c: char) -> String {
    let short = match c {
        '\0' => Some('0'),
        '\x07' => Some('a'),
        '\x08' => Some('b'),
        '\t' => Some('t'),
        '\n' => Some('n'),
        '\x0B' => Some('v'),
        '\x0C' => Some('f'),
        '\r' => Some('r'),
        '\x1B' => Some('e'),
        '"' => Some('"'),
        '\\' => Some('\\'),
        '\u{85}' => Some('N'),
        '\u{A0}' => Some('_'),
        '\u{2028}' => Some('L'),
        '\u{2029}' => Some('P'),
        _ => None,
    };
    match (short, u32::from(c)) {
        (Some(s), _) => format!("\\{s}"),
        (None, n @ 0..=0xFF) => format!("\\x{n:02X}"),
        (None, n @ 0x100..=0xFFFF) => format!("\\u{n:04X}"),
        (None, n) => format!("\\U{n:08X}"),
    }
}

/// PyYAML's style for `s` when it is one line of printable ASCII
/// (`None` otherwise, or when it is empty): plain unless a reader would
/// take it for another type (`plain_ok` false), it starts or ends with a
/// space, or it holds an indicator (`analyze_scalar`'s block indicators);
/// then single-quoted.
pub(super) fn short_line_style(s: &str, plain_ok: bool) -> Option<Style> {
    let bytes = s.as_bytes();
    let (&first, &last) = (bytes.first()?, bytes.last()?);
    // One pass for the classes of all bytes; nearly every scalar of a
    // pipeline is printable and holds neither `:` nor `#`.
    let classes = bytes
        .iter()
        .fold(0, |classes, &b| classes | CLASS[usize::from(b)]);
    if classes & NOT_PRINTABLE != 0 {
        return None;
    }
    let blank_at = |i: usize| bytes.get(i).is_none_or(|&b| b == b' ');
    let mut indicator = CLASS[usize::from(first)] & FIRST_INDICATOR != 0
        || (matches!(first, b'-' | b'?' | b':') && blank_at(1))
        || bytes.starts_with(b"---")
        || bytes.starts_with(b"...");
    // `: ` or ` #` after the first character.
    if !indicator && classes & COLON_OR_HASH != 0 {
        indicator = bytes.windows(2).enumerate().any(|(i, pair)| match pair {
            [b':', _] if i > 0 => blank_at(i + 1),
            [b' ', b'#'] => true,
            _ => false,
        }) || (bytes.len() > 1 && last == b':');
    }
    if plain_ok && !indicator && first != b' ' && last != b' ' {
        Some(Style::Plain)
    } else {
        Some(Style::SingleQuoted)
    }
}

/// [`CLASS`] bits: outside `' '..='~'`.
const NOT_PRINTABLE: u8 = 1;
/// An indicator when it starts a scalar.
const FIRST_INDICATOR: u8 = 2;
/// `:` or `#`, an indicator inside a scalar before a blank or after a
/// space.
const COLON_OR_HASH: u8 = 4;

/// The classes of each byte, for [`short_line_style`].
static CLASS: [u8; 256] = {
    let mut classes = [0; 256];
    let mut b = 0;
    while b < 256 {
        if b < 0x20 || b > 0x7E {
            classes[b] |= NOT_PRINTABLE;
        }
        b += 1;
    }
    let first = b"#,[]{}&*!|>'\"%@`";
    let mut i = 0;
    while i < first.len() {
        classes[first[i] as usize] |= FIRST_INDICATOR;
        i += 1;
    }
    classes[b':' as usize] |= COLON_OR_HASH;
    classes[b'#' as usize] |= COLON_OR_HASH;
    classes
};

/// Whether PyYAML writes a string key as `key: value` (short, single-line,
/// non-empty) rather than `? key`.
pub(super) fn is_simple_key(key: &str) -> bool {
    if key.is_ascii() {
        // One byte per character, and `\n` is the only ASCII break.
        return !key.is_empty() && key.len() < MAX_SIMPLE_KEY && !key.contains('\n');
    }
    key.chars().take(MAX_SIMPLE_KEY).count() < MAX_SIMPLE_KEY && !key.chars().any(is_break)
}

/// What PyYAML's `analyze_scalar` concludes about a scalar (the parts that
/// matter for block context).
pub(super) struct Analysis {
    /// The text is empty.
    pub(super) empty: bool,
    /// The text holds a line break.
    pub(super) multiline: bool,
    /// It may be written plain in block context.
    pub(super) allow_block_plain: bool,
    /// It may be written in single quotes.
    pub(super) allow_single_quoted: bool,
}

/// PyYAML's `analyze_scalar` of `text`.
pub(super) fn analyze(text: &[char]) -> Analysis {
    if text.is_empty() {
        return Analysis {
            empty: true,
            multiline: false,
            allow_block_plain: true,
            allow_single_quoted: true,
        };
    }
    let mut block_indicators =
        text.starts_with(&['-', '-', '-']) || text.starts_with(&['.', '.', '.']);
    let mut line_breaks = false;
    let mut special = false;
    let (mut leading_space, mut leading_break, mut trailing_space, mut trailing_break) =
        (false, false, false, false);
    let (mut break_space, mut space_break) = (false, false);
    let mut preceded_by_whitespace = true;
    let mut followed_by_whitespace = text.len() == 1 || is_blank_or_end(text[1]);
    let (mut previous_space, mut previous_break) = (false, false);
    let last = text.len() - 1;
    for (index, &ch) in text.iter().enumerate() {
        if index == 0 {
            if "#,[]{}&*!|>'\"%@`".contains(ch) || (ch == '-' && followed_by_whitespace) {
                block_indicators = true;
            }
            if (ch == '?' || ch == ':') && followed_by_whitespace {
                block_indicators = true;
            }
        } else if (ch == ':' && followed_by_whitespace) || (ch == '#' && preceded_by_whitespace) {
            block_indicators = true;
        }
        if is_break(ch) {
            line_breaks = true;
        }
        if !(ch == '\n' || (' '..='~').contains(&ch)) {
            // Printable non-ASCII counts as "unicode", which is special too
            // without allow_unicode; everything else is special anyway.
            special = true;
        }
        if ch == ' ' {
            leading_space |= index == 0;
            trailing_space |= index == last;
            break_space |= previous_break;
            previous_space = true;
            previous_break = false;
        } else if is_break(ch) {
            leading_break |= index == 0;
            trailing_break |= index == last;
            space_break |= previous_space;
            previous_space = false;
            previous_break = true;
        } else {
            previous_space = false;
            previous_break = false;
        }
        preceded_by_whitespace = is_blank_or_end(ch);
        followed_by_whitespace = index + 2 >= text.len() || is_blank_or_end(text[index + 2]);
    }
    let mut allow_block_plain = true;
    let mut allow_single_quoted = true;
    if leading_space || leading_break || trailing_space || trailing_break {
        allow_block_plain = false;
    }
    if break_space {
        allow_block_plain = false;
        allow_single_quoted = false;
    }
    if space_break || special {
        allow_block_plain = false;
        allow_single_quoted = false;
    }
    if line_breaks || block_indicators {
        allow_block_plain = false;
    }
    Analysis {
        empty: false,
        multiline: line_breaks,
        allow_block_plain,
        allow_single_quoted,
    }
}

/// A float as PyYAML's `represent_float` writes it: Python's `repr`,
/// lower-cased, with `.0` added to a mantissa without a dot (`1.0e-05`).
pub(super) fn yaml_float(f: f64) -> String {
    if f.is_nan() {
        return ".nan".into();
    }
    if f.is_infinite() {
        return if f > 0.0 {
            ".inf".into()
        } else {
            "-.inf".into()
        };
    }
    let repr = python_float_repr(f);
    match repr.find('e') {
        Some(i) if !repr.contains('.') => format!("{}.0{}", &repr[..i], &repr[i..]),
        _ => repr,
    }
}

/// Python's `repr(float)`: the shortest digits that round-trip, in fixed
/// notation when the decimal exponent is in `-4..16`, else as `d.ddde±XX`.
pub(super) fn python_float_repr(f: f64) -> String {
    if f.is_nan() {
        return "nan".into();
    }
    if f.is_infinite() {
        return if f > 0.0 { "inf".into() } else { "-inf".into() };
    }
    // Rust's `{:e}` gives the shortest round-tripping digits too.
    let sci = format!("{:e}", f.abs());
    let (mantissa, exp) = sci.split_once('e').unwrap_or((&sci, "0"));
    let exp: i32 = exp.parse().unwrap_or(0);
    let digits: String = mantissa.chars().filter(char::is_ascii_digit).collect();
    let sign = if f.is_sign_negative() { "-" } else { "" };
    let decpt = exp + 1;
    if (-3..=16).contains(&decpt) {
        let n = digits.len() as i32;
        let body = if decpt <= 0 {
            format!("0.{}{digits}", "0".repeat((-decpt) as usize))
        } else if decpt < n {
            format!(
                "{}.{}",
                &digits[..decpt as usize],
                &digits[decpt as usize..]
            )
        } else {
            format!("{digits}{}.0", "0".repeat((decpt - n) as usize))
        };
        format!("{sign}{body}")
    } else {
        let (first, rest) = digits.split_at(1);
        let frac = if rest.is_empty() {
            String::new()
        } else {
            format!(".{rest}")
        };
        let esign = if exp < 0 { '-' } else { '+' };
        format!("{sign}{first}{frac}e{esign}{:02}", exp.abs())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn writes_floats_as_python_repr() {
        assert_eq!(python_float_repr(3.0), "3.0");
        assert_eq!(python_float_repr(-0.0), "-0.0");
        assert_eq!(python_float_repr(1e-5), "1e-05");
        assert_eq!(python_float_repr(1e16), "1e+16");
        assert_eq!(python_float_repr(1.5e300), "1.5e+300");
        assert_eq!(python_float_repr(0.1), "0.1");
        assert_eq!(yaml_float(1e-5), "1.0e-05");
        assert_eq!(yaml_float(2.5e-10), "2.5e-10");
        assert_eq!(yaml_float(f64::NEG_INFINITY), "-.inf");
    }
}
