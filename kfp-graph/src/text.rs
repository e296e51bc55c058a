//! Text sizes without a font: the width of a label estimated from the
//! advance widths of a common sans-serif face (Helvetica, Arial, DejaVu
//! Sans are within a few percent of each other), and labels shortened to a
//! width.
//!
//! The layout sizes boxes by these estimates and the SVG renderer shortens
//! labels by the same ones, so a label always fits its box.

/// The font size of a task's name, in pixels.
pub(crate) const TITLE_PX: f64 = 13.0;
/// The font size of the smaller line under it, and of cluster captions.
pub(crate) const SMALL_PX: f64 = 11.0;
/// How much wider bold text is than regular.
pub(crate) const BOLD: f64 = 1.08;

/// The estimated width of `text` at `px` pixels.
pub(crate) fn width(text: &str, px: f64) -> f64 {
    text.chars().map(advance).sum::<f64>() * px
}

/// The advance width of a character, in ems: those of DejaVu Sans (the
/// widest of the common faces, which browsers on Linux fall back to), so
/// that text fits in Helvetica or Arial too.
fn advance(c: char) -> f64 {
    match c {
        'i' | 'l' | 'j' | '.' | ',' | ':' | ';' | '!' | '|' | '\'' => 0.3,
        ' ' | '(' | ')' | '[' | ']' | '/' => 0.36,
        '-' | 'f' | 't' | 'r' => 0.42,
        'm' => 0.98,
        'w' => 0.84,
        'M' | 'W' => 0.99,
        'A'..='Z' => 0.72,
        '0'..='9' | '_' => 0.64,
        'a'..='z' => 0.62,
        c if c.is_ascii() => 0.66,
        c if u32::from(c) >= 0x2E80 => 1.0,
        _ => 0.68,
    }
}

/// `text` shortened with `…` to at most `max` pixels wide at `px`, cut at
/// a character boundary; `text` itself when it fits.
pub(crate) fn truncate(text: &str, max: f64, px: f64) -> std::borrow::Cow<'_, str> {
    // A box sized for `text` by `width` fits it, whatever the rounding.
    if width(text, px) <= max + 1e-6 {
        return text.into();
    }
    let budget = max - advance('…') * px;
    let mut used = 0.0;
    let mut end = 0;
    for (i, c) in text.char_indices() {
        used += advance(c) * px;
        if used > budget {
            break;
        }
        end = i + c.len_utf8();
    }
    format!("{}…", text[..end].trim_end()).into()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_long_label_is_cut_to_fit() {
        let long = "a-very-long-task-name-that-does-not-fit-in-its-box";
        let cut = truncate(long, 120.0, TITLE_PX);
        assert!(cut.ends_with('…'), "{cut}");
        assert!(width(&cut, TITLE_PX) <= 120.0, "{cut}");
        assert_eq!(truncate("train", 120.0, TITLE_PX), "train");
        assert_eq!(truncate("日本語のタスク名です", 40.0, TITLE_PX), "日本…");
    }

    #[test]
    fn wide_letters_are_wider() {
        assert!(width("WWW", TITLE_PX) > width("iii", TITLE_PX) * 2.0);
    }
}
