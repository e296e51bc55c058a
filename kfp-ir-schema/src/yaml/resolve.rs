//! YAML 1.1 scalar resolution, exactly as PyYAML's `Resolver` and
//! `SafeConstructor` do it.
//!
//! Both directions need it: the reader decides what a plain scalar means,
//! and the writer must quote any string that a reader would otherwise take
//! for something else (`'20'`, `'true'`, `'2024-01-01'`).
//!
//! PyYAML picks candidate resolvers by the scalar's first character and
//! matches each against a regular expression; the hand-written matchers below
//! accept exactly the same languages (see `yaml/resolver.py`), without a regex
//! engine.

/// What a plain (untagged, unquoted) scalar resolves to under YAML 1.1.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Implicit {
    /// `~`, `null`, `Null`, `NULL` or the empty scalar.
    Null,
    /// `yes/no/true/false/on/off` in their three case variants.
    Bool(bool),
    /// An integer (decimal, `0b`, `0x`, leading-`0` octal, sexagesimal).
    Int,
    /// A float (needs a `.`; an exponent needs a sign; `.inf`, `.nan`).
    Float,
    /// A timestamp (`2001-12-14`, `2001-12-14t21:59:43.10-05:00`, …).
    Timestamp,
    /// The merge key `<<`.
    Merge,
    /// The `=` "value" key.
    Value,
    /// Anything else: a string.
    Str,
}

/// Resolves a plain scalar's text the way PyYAML's implicit resolvers do.
pub(crate) fn resolve_plain(s: &str) -> Implicit {
    let b = s.as_bytes();
    let Some(&first) = b.first() else {
        return Implicit::Null;
    };
    match first {
        b'y' | b'Y' | b'n' | b'N' | b't' | b'T' | b'f' | b'F' | b'o' | b'O' => {
            if let Some(v) = bool_value(s) {
                return Implicit::Bool(v);
            }
            if matches!(s, "null" | "Null" | "NULL") {
                return Implicit::Null;
            }
            Implicit::Str
        }
        b'~' if s.len() == 1 => Implicit::Null,
        b'<' if s == "<<" => Implicit::Merge,
        b'=' if s.len() == 1 => Implicit::Value,
        b'-' | b'+' | b'.' | b'0'..=b'9' => {
            if is_float(b) {
                Implicit::Float
            } else if is_int(b) {
                Implicit::Int
            } else if first.is_ascii_digit() && is_timestamp(b) {
                Implicit::Timestamp
            } else {
                Implicit::Str
            }
        }
        _ => Implicit::Str,
    }
}

/// The value of a YAML 1.1 boolean spelled as PyYAML's resolver accepts it.
fn bool_value(s: &str) -> Option<bool> {
    match s {
        "yes" | "Yes" | "YES" | "true" | "True" | "TRUE" | "on" | "On" | "ON" => Some(true),
        "no" | "No" | "NO" | "false" | "False" | "FALSE" | "off" | "Off" | "OFF" => Some(false),
        _ => None,
    }
}

/// The value of an explicitly tagged `!!bool` (PyYAML lower-cases first).
pub(crate) fn construct_bool(s: &str) -> Option<bool> {
    match s.to_ascii_lowercase().as_str() {
        "yes" | "true" | "on" => Some(true),
        "no" | "false" | "off" => Some(false),
        _ => None,
    }
}

/// Skips an optional leading `-` or `+`.
fn skip_sign(b: &[u8]) -> &[u8] {
    match b.first() {
        Some(b'-' | b'+') => &b[1..],
        _ => b,
    }
}

/// Consumes `first` then any run of `rest`, returning the remainder, or
/// `None` when the first byte does not match.
fn run(b: &[u8], first: fn(u8) -> bool, rest: fn(u8) -> bool) -> Option<&[u8]> {
    match b.first() {
        Some(&c) if first(c) => {
            let n = b[1..].iter().take_while(|&&c| rest(c)).count();
            Some(&b[1 + n..])
        }
        _ => None,
    }
}

fn digit(c: u8) -> bool {
    c.is_ascii_digit()
}

fn digit_(c: u8) -> bool {
    c.is_ascii_digit() || c == b'_'
}

/// `(?::[0-5]?[0-9])+` followed by what `tail` accepts.
fn sexagesimal_groups(mut b: &[u8]) -> Option<&[u8]> {
    let mut groups = 0;
    while let Some((b':', rest)) = b.split_first() {
        let n = rest
            .iter()
            .take(2)
            .take_while(|c| c.is_ascii_digit())
            .count();
        let ok = match n {
            2 => rest[0] <= b'5',
            1 => true,
            _ => false,
        };
        if !ok {
            break;
        }
        b = &rest[n..];
        groups += 1;
    }
    (groups > 0).then_some(b)
}

/// `[eE][-+][0-9]+` or nothing, then the end.
fn exponent_then_end(b: &[u8]) -> bool {
    match b {
        [] => true,
        [b'e' | b'E', b'-' | b'+', digits @ ..] => {
            !digits.is_empty() && digits.iter().all(u8::is_ascii_digit)
        }
        _ => false,
    }
}

/// PyYAML's float regular expression.
fn is_float(b: &[u8]) -> bool {
    // \.[0-9][0-9_]*(?:[eE][-+][0-9]+)?  and  \.(?:nan|NaN|NAN)  (no sign)
    if let Some(rest) = b.strip_prefix(b".") {
        if matches!(rest, b"nan" | b"NaN" | b"NAN" | b"inf" | b"Inf" | b"INF") {
            return true;
        }
        return run(rest, digit, digit_).is_some_and(exponent_then_end);
    }
    let body = skip_sign(b);
    // [-+]?\.(?:inf|Inf|INF)
    if matches!(body, b".inf" | b".Inf" | b".INF") {
        return true;
    }
    let Some(after_int) = run(body, digit, digit_) else {
        return false;
    };
    // [-+]?[0-9][0-9_]*\.[0-9_]*(?:[eE][-+][0-9]+)?
    if let Some(frac) = after_int.strip_prefix(b".") {
        let n = frac.iter().take_while(|&&c| digit_(c)).count();
        if exponent_then_end(&frac[n..]) {
            return true;
        }
    }
    // [-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+\.[0-9_]*
    sexagesimal_groups(after_int)
        .and_then(|rest| rest.strip_prefix(b"."))
        .is_some_and(|frac| frac.iter().all(|&c| digit_(c)))
}

/// PyYAML's int regular expression.
fn is_int(b: &[u8]) -> bool {
    let body = skip_sign(b);
    match body {
        [b'0', b'b', rest @ ..] => {
            !rest.is_empty() && rest.iter().all(|&c| matches!(c, b'0' | b'1' | b'_'))
        }
        [b'0', b'x', rest @ ..] => {
            !rest.is_empty() && rest.iter().all(|&c| c.is_ascii_hexdigit() || c == b'_')
        }
        [b'0'] => true,
        [b'0', rest @ ..] => rest.iter().all(|&c| matches!(c, b'0'..=b'7' | b'_')),
        [b'1'..=b'9', ..] => {
            let n = body.iter().take_while(|&&c| digit_(c)).count();
            let rest = &body[n..];
            rest.is_empty() || sexagesimal_groups(rest).is_some_and(<[u8]>::is_empty)
        }
        _ => false,
    }
}

/// Takes exactly `n` ASCII digits.
fn digits_exact(b: &[u8], n: usize) -> Option<&[u8]> {
    (b.len() >= n && b[..n].iter().all(u8::is_ascii_digit)).then(|| &b[n..])
}

/// Takes one or two ASCII digits.
fn digits_1_2(b: &[u8]) -> Option<&[u8]> {
    let n = b.iter().take(2).take_while(|c| c.is_ascii_digit()).count();
    (n > 0).then(|| &b[n..])
}

/// PyYAML's timestamp regular expression.
fn is_timestamp(b: &[u8]) -> bool {
    // YYYY-MM-DD
    if b.len() == 10
        && digits_exact(b, 4).is_some()
        && b[4] == b'-'
        && digits_exact(&b[5..], 2).is_some()
        && b[7] == b'-'
        && digits_exact(&b[8..], 2).is_some()
    {
        return true;
    }
    let parse = || -> Option<()> {
        let b = digits_exact(b, 4)?.strip_prefix(b"-")?;
        let b = digits_1_2(b)?.strip_prefix(b"-")?;
        let b = digits_1_2(b)?;
        let b = match b.first()? {
            b'T' | b't' => &b[1..],
            b' ' | b'\t' => {
                let n = b.iter().take_while(|&&c| c == b' ' || c == b'\t').count();
                &b[n..]
            }
            _ => return None,
        };
        let b = digits_1_2(b)?.strip_prefix(b":")?;
        let b = digits_exact(b, 2)?.strip_prefix(b":")?;
        let mut b = digits_exact(b, 2)?;
        if let Some(frac) = b.strip_prefix(b".") {
            let n = frac.iter().take_while(|c| c.is_ascii_digit()).count();
            b = &frac[n..];
        }
        let n = b.iter().take_while(|&&c| c == b' ' || c == b'\t').count();
        let zone = &b[n..];
        match zone {
            [] if n == 0 => Some(()),
            [b'Z'] => Some(()),
            [b'-' | b'+', rest @ ..] => {
                let rest = digits_1_2(rest)?;
                match rest {
                    [] => Some(()),
                    [b':', mm @ ..] => digits_exact(mm, 2).filter(|r| r.is_empty()).map(|_| ()),
                    _ => None,
                }
            }
            _ => None,
        }
    };
    parse().is_some()
}

/// Why a scalar could not be constructed as the tagged type.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum ConstructError {
    /// Not a valid literal for the type.
    Invalid,
    /// An integer that does not fit in `i64`/`u64`.
    OutOfRange,
}

/// An integer as `SafeConstructor.construct_yaml_int` computes it.
pub(crate) fn construct_int(text: &str) -> Result<serde_json::Number, ConstructError> {
    let cleaned: String = text.chars().filter(|&c| c != '_').collect();
    let (negative, body) = match cleaned.as_bytes().first() {
        Some(b'-') => (true, &cleaned[1..]),
        Some(b'+') => (false, &cleaned[1..]),
        Some(_) => (false, cleaned.as_str()),
        None => return Err(ConstructError::Invalid),
    };
    let magnitude: u128 = if body == "0" {
        0
    } else if let Some(bin) = body.strip_prefix("0b") {
        python_int(bin, 2)?
    } else if let Some(hex) = body.strip_prefix("0x") {
        python_int(hex, 16)?
    } else if body.starts_with('0') {
        // Python's int(x, 8) also accepts a `0o` prefix.
        let oct = body
            .strip_prefix("0o")
            .or_else(|| body.strip_prefix("0O"))
            .unwrap_or(body);
        python_int(oct, 8)?
    } else if body.contains(':') {
        let mut total: u128 = 0;
        for part in body.split(':') {
            let digit = python_int(part, 10)?;
            total = total
                .checked_mul(60)
                .and_then(|t| t.checked_add(digit))
                .ok_or(ConstructError::OutOfRange)?;
        }
        total
    } else {
        python_int(body, 10)?
    };
    signed_number(negative, magnitude)
}

/// `int(text, radix)` for the non-negative literals PyYAML passes it
/// (surrounding whitespace allowed, as Python allows it).
fn python_int(text: &str, radix: u32) -> Result<u128, ConstructError> {
    let t = text.trim();
    if t.is_empty() || !t.chars().all(|c| c.is_digit(radix)) {
        return Err(ConstructError::Invalid);
    }
    u128::from_str_radix(t, radix).map_err(|_| ConstructError::OutOfRange)
}

/// A JSON number from a sign and a magnitude, if it fits in `i64`/`u64`.
fn signed_number(negative: bool, magnitude: u128) -> Result<serde_json::Number, ConstructError> {
    if negative {
        let v = i128::try_from(magnitude).map_err(|_| ConstructError::OutOfRange)?;
        i64::try_from(-v)
            .map(Into::into)
            .map_err(|_| ConstructError::OutOfRange)
    } else {
        u64::try_from(magnitude)
            .map(Into::into)
            .map_err(|_| ConstructError::OutOfRange)
    }
}

/// A float as `SafeConstructor.construct_yaml_float` computes it (may be
/// infinite or NaN; the caller decides what to do with those).
pub(crate) fn construct_float(text: &str) -> Result<f64, ConstructError> {
    let cleaned: String = text
        .chars()
        .filter(|&c| c != '_')
        .collect::<String>()
        .to_lowercase();
    let (sign, body) = match cleaned.as_bytes().first() {
        Some(b'-') => (-1.0, &cleaned[1..]),
        Some(b'+') => (1.0, &cleaned[1..]),
        Some(_) => (1.0, cleaned.as_str()),
        None => return Err(ConstructError::Invalid),
    };
    if body == ".inf" {
        return Ok(sign * f64::INFINITY);
    }
    if body == ".nan" {
        return Ok(f64::NAN);
    }
    if body.contains(':') {
        let mut total = 0.0;
        for part in body.split(':') {
            total = total * 60.0 + python_float(part)?;
        }
        return Ok(sign * total);
    }
    Ok(sign * python_float(body)?)
}

/// Python's `float()` on the literals PyYAML passes it.
fn python_float(text: &str) -> Result<f64, ConstructError> {
    let t = text.trim();
    // Rust accepts a few spellings Python does not (and vice versa); both
    // agree on the decimal forms the resolver lets through.
    if t.is_empty()
        || !t
            .bytes()
            .all(|c| c.is_ascii_digit() || matches!(c, b'.' | b'e' | b'+' | b'-'))
    {
        return match t {
            "inf" | "+inf" | "infinity" | "+infinity" => Ok(f64::INFINITY),
            "-inf" | "-infinity" => Ok(f64::NEG_INFINITY),
            "nan" | "+nan" | "-nan" => Ok(f64::NAN),
            _ => Err(ConstructError::Invalid),
        };
    }
    t.parse::<f64>().map_err(|_| ConstructError::Invalid)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn resolves_like_pyyaml() {
        use Implicit::*;
        let cases: &[(&str, Implicit)] = &[
            ("", Null),
            ("~", Null),
            ("null", Null),
            ("NULL", Null),
            ("nULL", Str),
            ("yes", Bool(true)),
            ("Off", Bool(false)),
            ("oN", Str),
            ("y", Str),
            ("0", Int),
            ("-0", Int),
            ("+12_3", Int),
            ("012", Int),
            ("09", Str),
            ("0o17", Str),
            ("0x_1F", Int),
            ("0b101", Int),
            ("0b", Str),
            ("190:20:30", Int),
            ("1:60", Str),
            ("1.0", Float),
            ("1.", Float),
            ("1._", Float),
            (".5", Float),
            ("-.5", Str),
            ("1e3", Str),
            ("1.0e3", Str),
            ("1.0e+3", Float),
            (".5E-1", Float),
            ("-.inf", Float),
            ("-.nan", Str),
            (".NaN", Float),
            ("190:20:30.15", Float),
            ("2001-12-14", Timestamp),
            ("2001-1-4", Str),
            ("2001-12-14t21:59:43.10-05:00", Timestamp),
            ("2001-12-14 21:59:43.10 -5", Timestamp),
            ("2001-12-14 21:59:43.10 Z", Timestamp),
            ("2001-12-14 21:59:43", Timestamp),
            ("2.1.0", Str),
            ("<<", Merge),
            ("=", Value),
            ("-", Str),
            ("hello", Str),
        ];
        for (text, want) in cases {
            assert_eq!(resolve_plain(text), *want, "{text:?}");
        }
    }

    #[test]
    fn constructs_ints_like_pyyaml() {
        let ok: &[(&str, i64)] = &[
            ("0", 0),
            ("-0", 0),
            ("012", 10),
            ("0x_1F", 31),
            ("-0b101", -5),
            ("190:20:30", 685_230),
            ("1_000", 1000),
            ("0o17", 15),
            (" 12", 12),
        ];
        for (text, want) in ok {
            assert_eq!(construct_int(text), Ok((*want).into()), "{text:?}");
        }
        assert_eq!(construct_int("0b_"), Err(ConstructError::Invalid));
        assert_eq!(construct_int("abc"), Err(ConstructError::Invalid));
        assert_eq!(construct_int(""), Err(ConstructError::Invalid));
        assert_eq!(
            construct_int("99999999999999999999999"),
            Err(ConstructError::OutOfRange)
        );
        assert_eq!(construct_int("18446744073709551615"), Ok(u64::MAX.into()));
        assert_eq!(construct_int("-9223372036854775808"), Ok(i64::MIN.into()));
    }

    #[test]
    fn constructs_floats_like_pyyaml() {
        assert_eq!(construct_float("1.0e+3"), Ok(1000.0));
        assert_eq!(construct_float("1_0.5"), Ok(10.5));
        assert_eq!(construct_float("-1:30.5"), Ok(-90.5));
        assert_eq!(construct_float("1"), Ok(1.0));
        assert_eq!(construct_float("-.INF"), Ok(f64::NEG_INFINITY));
        assert!(construct_float(".nan").unwrap().is_nan());
        assert_eq!(construct_float("x"), Err(ConstructError::Invalid));
    }
}
