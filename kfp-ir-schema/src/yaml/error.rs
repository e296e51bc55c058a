//! The error of the YAML reader.

use std::fmt;

/// A 1-based line and column in the YAML text (the column counts Unicode
/// scalar values, as editors do for ASCII text).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Position {
    /// The line, counting from 1.
    pub line: usize,
    /// The column, counting from 1.
    pub column: usize,
}

impl fmt::Display for Position {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "line {}, column {}", self.line, self.column)
    }
}

/// Why a YAML text could not be read; [`YamlError::position`] says where.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("YAML error at {position}: {kind}")]
pub struct YamlError {
    /// Where the problem was found.
    pub position: Position,
    /// What the problem is.
    pub kind: YamlErrorKind,
}

/// What went wrong while reading YAML.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum YamlErrorKind {
    /// The text is not well-formed YAML (the parser's own message).
    #[error("{0}")]
    Syntax(String),
    /// A mapping holds the same key twice. PyYAML silently keeps the last
    /// one, but the KFP backend's Go YAML reader rejects the document, so
    /// kfp-rs rejects it too.
    #[error("duplicate mapping key {0:?}")]
    DuplicateKey(String),
    /// A mapping key is a sequence or a mapping (JSON keys are strings).
    #[error("a mapping key must be a scalar, found a {0}")]
    NonScalarKey(&'static str),
    /// A tag other than the YAML core ones (`!!str`, `!!int`, `!!float`,
    /// `!!bool`, `!!null`, `!!map`, `!!seq`) or the non-specific `!`.
    #[error("unsupported tag `{0}`")]
    UnsupportedTag(String),
    /// A core tag on the wrong kind of node, e.g. `!!map` on a scalar.
    #[error("tag `!!{tag}` cannot be applied to a {found}")]
    TagMismatch {
        /// The core tag's suffix (`str`, `map`, …).
        tag: String,
        /// The kind of node it was applied to.
        found: &'static str,
    },
    /// A scalar is not a valid literal of its (explicit) type.
    #[error("{value:?} is not a valid !!{tag}")]
    InvalidScalar {
        /// The type it was tagged or resolved as.
        tag: &'static str,
        /// The scalar's text.
        value: String,
    },
    /// An integer that does not fit in a 64-bit integer.
    #[error("integer {0} does not fit in 64 bits")]
    IntegerOutOfRange(String),
    /// `.inf`, `-.inf` or `.nan`: JSON has no such numbers.
    #[error("non-finite float {0:?} has no JSON representation")]
    NonFiniteFloat(String),
    /// A merge key `<<` or a value key `=` (YAML 1.1 extensions that the
    /// KFP IR never uses).
    #[error("the YAML 1.1 `{0}` key is not supported")]
    UnsupportedKey(&'static str),
    /// An alias that refers to a node that encloses it.
    #[error("alias refers to a node that contains it (recursive alias)")]
    RecursiveAlias,
    /// Aliases expand (or anchors copy) more nodes than allowed: the
    /// "billion laughs" defence.
    #[error("aliases expand to more than {0} nodes")]
    AliasExpansionLimit(usize),
    /// Aliases expand (or anchors copy) more bytes of keys and scalars than
    /// allowed: a few aliases of long strings, within the node limit.
    #[error(
        "aliases expand to more than {0} bytes of text (the file is refused: a pipeline file \
         never needs that many)"
    )]
    AliasBytesLimit(usize),
    /// A character PyYAML refuses anywhere in a stream: a control
    /// character other than tab and line breaks, or U+FFFE/U+FFFF.
    #[error(
        "character U+{:04X} is not allowed in YAML (PyYAML, which kfp reads with, refuses it); \
         write it escaped in a double-quoted string",
        u32::from(*.0)
    )]
    ControlCharacter(char),
    /// Collections nest deeper than allowed.
    #[error("collections nest deeper than {0} levels")]
    TooDeep(usize),
}
