//! What the reader and the validator report: every problem with its
//! severity, document, JSON path and, when the input was YAML, its line and
//! column.

use std::fmt;

use crate::printable::escaped;
use crate::yaml::Position;

/// Which document of a pipeline file a [`Diagnostic`] is about.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Document {
    /// The whole file (it could not be read as YAML or JSON at all).
    File,
    /// The first document: the `PipelineSpec`.
    PipelineSpec,
    /// A legacy (v1) component: the one document of its file.
    Component,
    /// A further document: a `PlatformSpec`; `index` counts documents from 1,
    /// as a person would (the first platform document is number 2).
    PlatformSpec {
        /// The document's position in the file, from 1.
        index: usize,
    },
}

impl fmt::Display for Document {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Document::File => f.write_str("file"),
            Document::PipelineSpec => f.write_str("PipelineSpec"),
            Document::Component => f.write_str("component"),
            Document::PlatformSpec { index } => write!(f, "PlatformSpec (document {index})"),
        }
    }
}

/// How bad a [`Diagnostic`] is.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Severity {
    /// The KFP backend would refuse the file, or a run of it would fail:
    /// the file is invalid.
    #[default]
    Error,
    /// The backend accepts the file, but it almost certainly does not mean
    /// what its author meant (an input the backend ignores, say). The file
    /// is valid; `kfp validate --strict` refuses it all the same.
    Warning,
}

impl Severity {
    /// `"error"` or `"warning"`.
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Error => "error",
            Severity::Warning => "warning",
        }
    }
}

impl fmt::Display for Severity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// One problem found in a pipeline file.
///
/// It displays as `LINE:COLUMN: PATH: MESSAGE`, where `PATH` is a JSON pointer
/// into the document (`/root/dag/tasks/train/componentRef/name`), prefixed with
/// the document when it is not the pipeline spec, and with `warning: ` when it
/// is a warning. Path and message quote names and values from the file, so
/// they are displayed with their control characters escaped ([`escaped`]);
/// the fields keep the text as it is.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Diagnostic {
    /// Whether the problem makes the file invalid.
    pub severity: Severity,
    /// The document the problem is in.
    pub document: Document,
    /// A JSON pointer (RFC 6901) to the offending value; empty for the whole
    /// document.
    pub path: String,
    /// Where the value starts in the source, when known.
    pub location: Option<Position>,
    /// What is wrong, and what was expected.
    pub message: String,
}

impl Diagnostic {
    /// An error at `path` of the given document.
    pub fn new(document: Document, path: impl Into<String>, message: impl Into<String>) -> Self {
        Diagnostic {
            severity: Severity::Error,
            document,
            path: path.into(),
            location: None,
            message: message.into(),
        }
    }

    /// A warning at `path` of the given document.
    pub fn warning(
        document: Document,
        path: impl Into<String>,
        message: impl Into<String>,
    ) -> Self {
        Diagnostic {
            severity: Severity::Warning,
            ..Diagnostic::new(document, path, message)
        }
    }

    /// Whether this is an error (not a warning).
    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if let Some(Position { line, column }) = self.location {
            write!(f, "{line}:{column}: ")?;
        }
        if self.severity == Severity::Warning {
            f.write_str("warning: ")?;
        }
        if let Document::PlatformSpec { index } = self.document {
            write!(f, "document {index}: ")?;
        }
        let path = if self.path.is_empty() {
            "/"
        } else {
            &self.path
        };
        write!(f, "{}: {}", escaped(path), escaped(&self.message))
    }
}

/// A JSON pointer under construction: appends reference tokens with the
/// RFC 6901 escapes.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct JsonPointer(String);

impl JsonPointer {
    /// The pointer to the whole document.
    pub fn root() -> Self {
        JsonPointer(String::new())
    }

    /// This pointer with one more token (a key or an index).
    pub fn join(&self, token: impl fmt::Display) -> Self {
        use fmt::Write as _;
        let mut s = String::with_capacity(self.0.len() + 24);
        s.push_str(&self.0);
        s.push('/');
        let start = s.len();
        write!(s, "{token}").expect("writing to a String cannot fail");
        if s[start..].contains(['~', '/']) {
            let escaped = s[start..].replace('~', "~0").replace('/', "~1");
            s.truncate(start);
            s.push_str(&escaped);
        }
        JsonPointer(s)
    }

    /// The pointer text.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for JsonPointer {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl From<JsonPointer> for String {
    fn from(p: JsonPointer) -> String {
        p.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pointers_escape_slash_and_tilde() {
        let p = JsonPointer::root().join("tasks").join("a/b~c").join(3);
        assert_eq!(p.as_str(), "/tasks/a~1b~0c/3");
    }

    #[test]
    fn diagnostics_show_location_document_and_path() {
        let mut d = Diagnostic::new(
            Document::PlatformSpec { index: 2 },
            "/platforms",
            "unknown platform",
        );
        d.location = Some(Position { line: 4, column: 3 });
        assert_eq!(
            d.to_string(),
            "4:3: document 2: /platforms: unknown platform"
        );
        let d = Diagnostic::new(Document::PipelineSpec, "", "empty");
        assert_eq!(d.to_string(), "/: empty");
        let mut w = Diagnostic::warning(Document::PipelineSpec, "/root", "odd");
        w.location = Some(Position { line: 2, column: 1 });
        assert_eq!(w.to_string(), "2:1: warning: /root: odd");
        assert!(!w.is_error());
    }

    #[test]
    fn quoted_control_characters_are_escaped_when_displayed() {
        let d = Diagnostic::new(
            Document::PipelineSpec,
            "/components/comp-\x1b[2J",
            "unknown field `a\x1b]0;pwned\x07`",
        );
        assert_eq!(
            d.to_string(),
            "/components/comp-\\u{1b}[2J: unknown field `a\\u{1b}]0;pwned\\u{7}`"
        );
        assert!(d.message.contains('\x1b'), "the message itself is kept");
    }

    /// The probe: a file whose field names and values carry terminal
    /// escape sequences; the validator's report quotes them escaped.
    #[test]
    fn a_file_cannot_send_escape_sequences_through_the_report() {
        let text = "pipelineInfo: {name: demo}\nschemaVersion: 2.1.0\n\
                    root: {dag: {tasks: {}}, inputDefinitions: {parameters: \
                    {p: {parameterType: \"STRING\\e[8m\"}}}}\n\
                    \"evil\\e[2J\\e]0;title\\a\": 1\n";
        let err = crate::validate::validate_str(text, crate::validate::Format::Yaml).unwrap_err();
        let shown = err.to_string();
        assert!(!shown.contains(['\x1b', '\x07']), "{shown:?}");
        assert!(
            shown.contains("evil\\u{1b}[2J\\u{1b}]0;title\\u{7}"),
            "{shown}"
        );
        // A value is quoted as JSON, which escapes it already.
        assert!(
            shown.contains(r#""STRING\u001b[8m" is not a valid value"#),
            "{shown}"
        );
    }
}
