//! Rust names for what a component file names: its component, inputs and
//! outputs. kfp names them as Python identifiers, a v1 file as it likes
//! (`Training data`, `model-name`); each becomes a Rust identifier by one
//! rule, [`rust_name`], and two names that become the same one are an
//! error.

use crate::task_methods::is_task_method;

/// Rust's keywords, strict and reserved (edition 2024), which a name is
/// written raw as (`r#type`).
const KEYWORDS: &[&str] = &[
    "abstract", "as", "async", "await", "become", "box", "break", "const", "continue", "do", "dyn",
    "else", "enum", "extern", "false", "final", "fn", "for", "gen", "if", "impl", "in", "let",
    "loop", "macro", "match", "mod", "move", "mut", "override", "priv", "pub", "ref", "return",
    "static", "struct", "trait", "true", "try", "type", "typeof", "unsafe", "unsized", "use",
    "virtual", "where", "while", "yield",
];

/// Keywords that cannot be raw identifiers; they get a `_` after them.
const NOT_RAW: &[&str] = &["crate", "self", "super", "Self", "_"];

/// The Rust identifier of a KFP name:
///
/// * each run of characters other than ASCII letters, digits and `_`
///   becomes one `_` (`model-name` → `model_name`, `Training data` →
///   `training_data`);
/// * letters are lower-cased, and an upper-case letter after a lower-case
///   letter or a digit starts a new word (`learningRate` →
///   `learning_rate`, `Output` → `output`);
/// * a name that is empty or starts with a digit gets a `_` before it
///   (`2nd` → `_2nd`);
/// * a Rust keyword is written raw (`type` → `r#type`), except `self`,
///   `super`, `crate` and a lone `_`, which get a `_` after them (`self_`,
///   `__`).
pub fn rust_name(kfp: &str) -> String {
    let mut out = String::with_capacity(kfp.len() + 2);
    let mut previous: Option<char> = None;
    let mut in_run = false;
    for c in kfp.chars() {
        if c.is_ascii_alphanumeric() || c == '_' {
            if c.is_ascii_uppercase()
                && previous.is_some_and(|p| p.is_ascii_lowercase() || p.is_ascii_digit())
            {
                out.push('_');
            }
            out.push(c.to_ascii_lowercase());
            in_run = false;
        } else if !in_run {
            out.push('_');
            in_run = true;
        }
        previous = Some(c);
    }
    if out.is_empty() || out.starts_with(|c: char| c.is_ascii_digit()) {
        out.insert(0, '_');
    }
    if NOT_RAW.contains(&out.as_str()) {
        out.push('_');
    } else if KEYWORDS.contains(&out.as_str()) {
        out.insert_str(0, "r#");
    }
    out
}

/// The method that sets the optional input `rust`: its name, unless that
/// is a method every task has (`after`, `set_cpu_limit`, `outputs`, …),
/// which it would shadow; then `<name>_input`.
pub fn setter_name(rust: &str) -> String {
    let bare = rust.strip_prefix("r#").unwrap_or(rust);
    if is_task_method(bare) {
        format!("{bare}_input")
    } else {
        rust.to_owned()
    }
}

/// The Rust name of an artifact type no Rust type stands for: the last
/// part of its schema title (`acme.Report` → `Report`), letters, digits
/// and `_` only.
pub fn type_name(schema_title: &str) -> String {
    let last = schema_title.rsplit('.').next().unwrap_or(schema_title);
    let mut out: String = last
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() { c } else { '_' })
        .collect();
    if out.is_empty() || out.starts_with(|c: char| c.is_ascii_digit()) {
        out.insert(0, 'A');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_become_rust_identifiers() {
        for (kfp, rust) in [
            ("msg", "msg"),
            ("model-name", "model_name"),
            ("Training data", "training_data"),
            ("learningRate", "learning_rate"),
            ("Output", "output"),
            ("Table", "table"),
            ("URL", "url"),
            ("2nd", "_2nd"),
            ("", "__"),
            ("_", "__"),
            ("type", "r#type"),
            ("class", "class"),
            ("self", "self_"),
            ("a.b  c", "a_b_c"),
        ] {
            assert_eq!(rust_name(kfp), rust, "{kfp}");
        }
    }

    #[test]
    fn setters_do_not_shadow_task_methods() {
        assert_eq!(setter_name("after"), "after_input");
        assert_eq!(setter_name("outputs"), "outputs_input");
        assert_eq!(setter_name("depth"), "depth");
        assert_eq!(setter_name("r#type"), "r#type");
    }
}
