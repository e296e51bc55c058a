//! Writing JSON values as PyYAML's `yaml.dump_all(docs, sort_keys=True)`
//! writes them, byte for byte.
//!
//! PyYAML's defaults are block style, an indent of 2, a preferred width of
//! 80, `allow_unicode=False` (non-ASCII text goes double-quoted and escaped)
//! and sequences inside mappings not indented. The writer keeps the same
//! cursor state as PyYAML's emitter (column, "after whitespace",
//! "in indentation", the indent stack), because its line folding depends on
//! it.

use std::io;

use serde_json::Value;

use super::erased::Document;
use super::resolve::{Implicit, resolve_plain};
use super::scalar::{
    MAX_SIMPLE_KEY, Style, analyze, escape_char, is_break, is_simple_key, short_line_style,
    yaml_float,
};
use super::tree::{NodeId, Tree, TreeError, View};

/// PyYAML's `best_width`.
const WIDTH: usize = 80;
/// PyYAML's `best_indent`.
const INDENT: usize = 2;
/// Writes `docs` as one YAML stream, exactly as PyYAML's
/// `yaml.dump_all(docs, sort_keys=True)` with default settings does:
/// documents after the first start with `---`, keys are sorted by code
/// point, empty collections are `{}`/`[]`, and strings are plain,
/// single-quoted or double-quoted by PyYAML's rules.
///
/// Numbers are written as Python would hold them after `json.loads`:
/// integers as integers, floats in Python's `repr` (`3.0`, `1.0e-05`).
pub fn dump(docs: &[&Value]) -> String {
    let mut tree = Tree::default();
    let roots: Vec<NodeId> = docs
        .iter()
        .map(|doc| tree.add(doc).expect("JSON values always serialize"))
        .collect();
    dump_tree(&tree, &roots, &[], String::new(), None)
        .expect("a tree without sections is written whole")
}

/// Writes the documents `roots` of `tree` after `prefix`, as [`dump`]
/// does. The values the tree left out ([`Tree::add_sectioned`]) are
/// `deferred[section][index]`: each is serialized into a scratch tree when
/// the writer reaches it.
///
/// With a `writer`, the text goes to it in pieces of about [`PIECE`] bytes
/// (cut after a deferred value) and the string returned is empty; so a
/// large pipeline is never whole in memory.
///
/// # Errors
/// When a deferred value fails to serialize, or is not in `deferred`, or
/// the writer fails.
pub(crate) fn dump_tree(
    tree: &Tree,
    roots: &[NodeId],
    deferred: &[Vec<&dyn Document>],
    prefix: String,
    writer: Option<&mut dyn io::Write>,
) -> Result<String, DumpError> {
    let mut e = Emitter::new(tree, prefix);
    // Room for the values left out too, about half a kilobyte each in a
    // pipeline (growing a large string copies it; room never used is
    // address space only), or for a piece and the value that ends it.
    e.out.reserve(match writer {
        Some(_) => 2 * PIECE,
        None => deferred.iter().map(Vec::len).sum::<usize>() * 512,
    });
    e.deferred = deferred;
    e.writer = writer;
    for (i, &doc) in roots.iter().enumerate() {
        if i > 0 {
            e.write_indent();
            e.write_indicator("---", true, false, false);
        }
        e.node(tree, doc, Context::Root);
        e.write_indent();
    }
    if e.open_ended {
        e.write_indicator("...", true, false, false);
        e.write_indent();
    }
    e.flush(0);
    match (e.error, e.io_error) {
        (Some(error), _) => Err(DumpError::Serialize(error)),
        (None, Some(error)) => Err(DumpError::Io(error)),
        (None, None) => Ok(e.out),
    }
}

/// How much text the writer gathers before it hands it to a writer.
pub(crate) const PIECE: usize = 64 * 1024;

/// Why [`dump_tree`] failed.
#[derive(Debug, thiserror::Error)]
pub(crate) enum DumpError {
    /// A value failed to serialize.
    #[error(transparent)]
    Serialize(#[from] TreeError),
    /// The writer failed.
    #[error(transparent)]
    Io(#[from] io::Error),
}

/// Where a node sits, as PyYAML's `expect_node` flags say it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Context {
    Root,
    Sequence,
    MappingValue,
    /// A mapping key written in the `key: value` form.
    SimpleKey,
    /// A mapping key written in the `? key` form.
    ComplexKey,
}

impl Context {
    fn mapping(self) -> bool {
        matches!(
            self,
            Context::MappingValue | Context::SimpleKey | Context::ComplexKey
        )
    }
}

struct Emitter<'d, 'w> {
    out: String,
    column: usize,
    /// The last thing written was whitespace (or nothing).
    whitespace: bool,
    /// The cursor is in the indentation of a line.
    indention: bool,
    /// A plain scalar at the root was written: the stream needs `...`.
    open_ended: bool,
    indent: Option<usize>,
    indents: Vec<Option<usize>>,
    /// Scratch space for the characters of the scalar being written.
    chars: Vec<char>,
    /// The values the tree left out, and the tree each is serialized into
    /// in turn.
    deferred: &'d [Vec<&'d dyn Document>],
    scratch: Tree,
    /// The first deferred value that failed to serialize.
    error: Option<TreeError>,
    /// Where the text goes in pieces (else it stays in `out`), and the
    /// first error writing to it.
    writer: Option<&'w mut dyn io::Write>,
    io_error: Option<io::Error>,
}

impl Emitter<'_, '_> {
    /// An emitter that writes after `out`, with room for writing `tree`.
    fn new(tree: &Tree, mut out: String) -> Self {
        // Room for the text and, per node, a key, indentation and
        // indicators (growing a large string copies it).
        out.reserve(tree.text_len() + tree.node_count() * 24);
        Emitter {
            out,
            column: 0,
            whitespace: true,
            indention: true,
            open_ended: false,
            indent: None,
            indents: Vec::new(),
            chars: Vec::new(),
            deferred: &[],
            scratch: Tree::default(),
            error: None,
            writer: None,
            io_error: None,
        }
    }
}

impl Emitter<'_, '_> {
    fn node(&mut self, tree: &Tree, id: NodeId, ctx: Context) {
        match tree.view(id) {
            View::Null => self.scalar("null", true, ctx),
            View::Bool(b) => self.scalar(if b { "true" } else { "false" }, true, ctx),
            View::I64(n) => self.scalar(&n.to_string(), true, ctx),
            View::U64(n) => self.scalar(&n.to_string(), true, ctx),
            View::F64(f) => self.scalar(&yaml_float(f), true, ctx),
            View::Str(s) => self.string(s, ctx),
            View::Seq([]) => self.empty_flow("[", "]"),
            View::Map([]) => self.empty_flow("{", "}"),
            View::Seq(items) => {
                let indentless = ctx.mapping() && !self.indention;
                self.increase_indent(false, indentless);
                for &item in items {
                    self.write_indent();
                    self.write_indicator("-", true, false, true);
                    self.node(tree, item, Context::Sequence);
                }
                self.decrease_indent();
            }
            View::Map(entries) => {
                self.increase_indent(false, false);
                // The tree sorted the keys by code point, as Python's
                // `sorted` does.
                for &(key, value) in entries {
                    let key = tree.str(key);
                    self.write_indent();
                    let plain_ok = resolve_plain(key) == Implicit::Str;
                    // One short line of printable ASCII (nearly every key)
                    // is a simple key; `is_simple_key` decides the rest.
                    let style = short_line_style(key, plain_ok);
                    if style.is_some() && key.len() < MAX_SIMPLE_KEY {
                        self.scalar_in(key, style, plain_ok, Context::SimpleKey);
                        self.write_indicator(":", false, false, false);
                    } else if is_simple_key(key) {
                        self.string(key, Context::SimpleKey);
                        self.write_indicator(":", false, false, false);
                    } else {
                        self.write_indicator("?", true, false, true);
                        self.string(key, Context::ComplexKey);
                        self.write_indent();
                        self.write_indicator(":", true, false, true);
                    }
                    self.node(tree, value, Context::MappingValue);
                }
                self.decrease_indent();
            }
            View::Deferred { section, index } => self.deferred(section, index, ctx),
        }
    }

    /// Hands the text to the writer, if there is one, once it is at least
    /// `at_least` bytes long. After an error nothing more is written (the
    /// writer reports the first).
    fn flush(&mut self, at_least: usize) {
        let Some(writer) = &mut self.writer else {
            return;
        };
        if self.out.len() < at_least {
            return;
        }
        if self.io_error.is_none()
            && let Err(error) = writer.write_all(self.out.as_bytes())
        {
            self.io_error = Some(error);
        }
        self.out.clear();
    }

    /// Writes a value the tree left out: serializes it into the scratch
    /// tree (cleared first) and writes that.
    fn deferred(&mut self, section: usize, index: usize, ctx: Context) {
        let Some(&value) = self.deferred.get(section).and_then(|s| s.get(index)) else {
            self.error.get_or_insert(serde::ser::Error::custom(format_args!(
                "the tree left out value {index} of section {section}, which the writer was not given"
            )));
            return;
        };
        let mut scratch = std::mem::take(&mut self.scratch);
        scratch.clear();
        match value.add_to(&mut scratch) {
            Ok(root) => self.node(&scratch, root, ctx),
            Err(error) => {
                self.error.get_or_insert(error);
            }
        }
        self.scratch = scratch;
        self.flush(PIECE);
    }

    /// Writes a string scalar.
    fn string(&mut self, s: &str, ctx: Context) {
        self.scalar(s, resolve_plain(s) == Implicit::Str, ctx);
    }

    /// Writes a scalar; `plain_ok` says whether a reader would take the
    /// plain text for the same type. Nearly every scalar in a pipeline
    /// (names, keys, types, images, placeholders, numbers) is one short line
    /// of printable ASCII: those are written here directly, in PyYAML's
    /// style for them; the rest go through [`Emitter::scalar_text`].
    fn scalar(&mut self, s: &str, plain_ok: bool, ctx: Context) {
        self.scalar_in(s, short_line_style(s, plain_ok), plain_ok, ctx);
    }

    /// Writes a scalar whose [`short_line_style`] is `style`.
    fn scalar_in(&mut self, s: &str, style: Option<Style>, plain_ok: bool, ctx: Context) {
        let Some(style) = style else {
            return self.scalar_text(s, plain_ok, ctx);
        };
        let lead = usize::from(!self.whitespace);
        let len = match style {
            Style::Plain => s.len(),
            _ => s.len() + s.matches('\'').count() + 2,
        };
        // PyYAML may fold a line at a space once it is past the width: only
        // a scalar that surely ends before it is written here.
        if self.column + lead + len > WIDTH && s.contains(' ') {
            return self.scalar_text(s, plain_ok, ctx);
        }
        if lead == 1 {
            self.out.push(' ');
        }
        if style == Style::Plain {
            self.out.push_str(s);
            if ctx == Context::Root {
                self.open_ended = true;
            }
        } else {
            self.out.push('\'');
            for (i, part) in s.split('\'').enumerate() {
                if i > 0 {
                    self.out.push_str("''");
                }
                self.out.push_str(part);
            }
            self.out.push('\'');
            self.open_ended = false;
        }
        self.column += lead + len;
        self.whitespace = false;
        self.indention = false;
    }

    fn empty_flow(&mut self, open: &str, close: &str) {
        self.write_indicator(open, true, true, false);
        self.increase_indent(true, false);
        self.decrease_indent();
        self.write_indicator(close, false, false, false);
    }

    /// Writes a scalar; `plain_ok` is PyYAML's `implicit[0]`: whether a
    /// reader would take the plain text for the same type.
    fn scalar_text(&mut self, text: &str, plain_ok: bool, ctx: Context) {
        let mut chars = std::mem::take(&mut self.chars);
        chars.clear();
        chars.extend(text.chars());
        let analysis = analyze(&chars);
        let simple_key = ctx == Context::SimpleKey;
        let style = if plain_ok
            && !(simple_key && (analysis.empty || analysis.multiline))
            && analysis.allow_block_plain
        {
            Style::Plain
        } else if analysis.allow_single_quoted && !(simple_key && analysis.multiline) {
            Style::SingleQuoted
        } else {
            Style::DoubleQuoted
        };
        self.increase_indent(true, false);
        let split = !simple_key;
        match style {
            Style::Plain => {
                if ctx == Context::Root {
                    self.open_ended = true;
                }
                self.write_plain(&chars, split);
            }
            Style::SingleQuoted => self.write_single_quoted(&chars, split),
            Style::DoubleQuoted => self.write_double_quoted(&chars, split),
        }
        self.decrease_indent();
        self.chars = chars;
    }

    fn increase_indent(&mut self, flow: bool, indentless: bool) {
        self.indents.push(self.indent);
        self.indent = match self.indent {
            None if flow => Some(INDENT),
            None => Some(0),
            Some(i) if !indentless => Some(i + INDENT),
            same => same,
        };
    }

    fn decrease_indent(&mut self) {
        self.indent = self.indents.pop().flatten();
    }

    fn write(&mut self, s: &str) {
        self.column += if s.is_ascii() {
            s.len()
        } else {
            s.chars().count()
        };
        self.out.push_str(s);
    }

    fn write_chars(&mut self, chars: &[char]) {
        self.column += chars.len();
        self.out.extend(chars);
    }

    fn write_indicator(
        &mut self,
        indicator: &str,
        need_whitespace: bool,
        whitespace: bool,
        indention: bool,
    ) {
        if !self.whitespace && need_whitespace {
            self.write(" ");
        }
        self.write(indicator);
        self.whitespace = whitespace;
        self.indention = self.indention && indention;
        self.open_ended = false;
    }

    fn write_indent(&mut self) {
        let indent = self.indent.unwrap_or(0);
        if !self.indention || self.column > indent || (self.column == indent && !self.whitespace) {
            self.write_line_break();
        }
        if self.column < indent {
            self.whitespace = true;
            const SPACES: &str = "                                ";
            let mut n = indent - self.column;
            while n > 0 {
                let run = n.min(SPACES.len());
                self.out.push_str(&SPACES[..run]);
                n -= run;
            }
            self.column = indent;
        }
    }

    fn write_line_break(&mut self) {
        self.out.push('\n');
        self.whitespace = true;
        self.indention = true;
        self.column = 0;
    }

    /// A break character as PyYAML writes it inside a scalar (only `\n`
    /// reaches here: the other breaks force double quotes).
    fn write_break(&mut self, c: char) {
        if c == '\n' {
            self.write_line_break();
        } else {
            self.out.push(c);
            self.whitespace = true;
            self.indention = true;
            self.column = 0;
        }
    }

    fn write_plain(&mut self, text: &[char], split: bool) {
        if text.is_empty() {
            return;
        }
        if !self.whitespace {
            self.write(" ");
        }
        self.whitespace = false;
        self.indention = false;
        let (mut spaces, mut breaks) = (false, false);
        let mut start = 0;
        for end in 0..=text.len() {
            let ch = text.get(end).copied();
            if spaces {
                if ch != Some(' ') {
                    if start + 1 == end && self.column > WIDTH && split {
                        self.write_indent();
                        self.whitespace = false;
                        self.indention = false;
                    } else {
                        self.write_chars(&text[start..end]);
                    }
                    start = end;
                }
            } else if breaks {
                if !ch.is_some_and(is_break) {
                    self.write_breaks(&text[start..end]);
                    self.whitespace = false;
                    self.indention = false;
                    start = end;
                }
            } else if ch.is_none_or(|c| c == ' ' || is_break(c)) {
                self.write_chars(&text[start..end]);
                start = end;
            }
            if let Some(c) = ch {
                spaces = c == ' ';
                breaks = is_break(c);
            }
        }
    }

    /// A run of line breaks inside a plain or single-quoted scalar: a
    /// leading `\n` is doubled (a single break would fold into a space).
    fn write_breaks(&mut self, run: &[char]) {
        if run.first() == Some(&'\n') {
            self.write_line_break();
        }
        for &br in run {
            self.write_break(br);
        }
        self.write_indent();
    }

    fn write_single_quoted(&mut self, text: &[char], split: bool) {
        self.write_indicator("'", true, false, false);
        let (mut spaces, mut breaks) = (false, false);
        let mut start = 0;
        for end in 0..=text.len() {
            let ch = text.get(end).copied();
            if spaces {
                if ch != Some(' ') {
                    if start + 1 == end
                        && self.column > WIDTH
                        && split
                        && start != 0
                        && end != text.len()
                    {
                        self.write_indent();
                    } else {
                        self.write_chars(&text[start..end]);
                    }
                    start = end;
                }
            } else if breaks {
                if !ch.is_some_and(is_break) {
                    self.write_breaks(&text[start..end]);
                    start = end;
                }
            } else if ch.is_none_or(|c| c == ' ' || c == '\'' || is_break(c)) && start < end {
                self.write_chars(&text[start..end]);
                start = end;
            }
            if ch == Some('\'') {
                self.write("''");
                start = end + 1;
            }
            if let Some(c) = ch {
                spaces = c == ' ';
                breaks = is_break(c);
            }
        }
        self.write_indicator("'", false, false, false);
    }

    fn write_double_quoted(&mut self, text: &[char], split: bool) {
        self.write_indicator("\"", true, false, false);
        let mut start = 0;
        let mut end = 0;
        while end <= text.len() {
            let ch = text.get(end).copied();
            let escape = match ch {
                None => true,
                Some(c) => {
                    matches!(
                        c,
                        '"' | '\\' | '\u{85}' | '\u{2028}' | '\u{2029}' | '\u{FEFF}'
                    ) || !(' '..='~').contains(&c)
                }
            };
            if escape {
                if start < end {
                    self.write_chars(&text[start..end]);
                    start = end;
                }
                if let Some(c) = ch {
                    self.write(&escape_char(c));
                    start = end + 1;
                }
            }
            if 0 < end
                && end + 1 < text.len()
                && (ch == Some(' ') || start >= end)
                // `start` may be one past `end` right after an escape; the
                // sum is then one less, as in PyYAML.
                && (self.column + end) > WIDTH + start
                && split
            {
                if start < end {
                    self.write_chars(&text[start..end]);
                    start = end;
                }
                self.write("\\");
                self.write_indent();
                self.whitespace = false;
                self.indention = false;
                if text.get(start) == Some(&' ') {
                    self.write("\\");
                }
            }
            end += 1;
        }
        self.write_indicator("\"", false, false, false);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    // Expected outputs below were produced by PyYAML 6.0.3:
    // `yaml.dump({'k': s}, sort_keys=True)` and `yaml.dump(value, sort_keys=True)`.
    const STRINGS: &[(&str, &str, &str)] = &[
        ("empty string", "", "k: ''\n"),
        ("int-like", "20", "k: '20'\n"),
        ("bool-like", "true", "k: 'true'\n"),
        ("yaml 1.1 bool", "yes", "k: 'yes'\n"),
        ("null-like", "null", "k: 'null'\n"),
        ("version", "2.1.0", "k: 2.1.0\n"),
        ("float-like", "1.5", "k: '1.5'\n"),
        ("1.1 float needs dot", "1e3", "k: 1e3\n"),
        ("timestamp", "2024-01-01", "k: '2024-01-01'\n"),
        ("placeholder", "{{$}}", "k: '{{$}}'\n"),
        (
            "placeholder with quotes",
            "{{$.inputs.parameters['x']}}",
            "k: '{{$.inputs.parameters[''x'']}}'\n",
        ),
        ("colon space", "a: b", "k: 'a: b'\n"),
        ("colon inside", "a:b", "k: a:b\n"),
        ("leading dash space", "- a", "k: '- a'\n"),
        ("leading dash", "-a", "k: -a\n"),
        ("hash after space", "a #b", "k: 'a #b'\n"),
        ("hash inside", "a#b", "k: a#b\n"),
        ("leading percent", "%a", "k: '%a'\n"),
        ("leading space", " a", "k: ' a'\n"),
        ("trailing space", "a ", "k: 'a '\n"),
        ("document marker", "---", "k: '---'\n"),
        ("tab", "tab\there", "k: \"tab\\there\"\n"),
        ("non-ascii", "naïve", "k: \"na\\xEFve\"\n"),
        ("astral", "emoji 😀", "k: \"emoji \\U0001F600\"\n"),
        ("line separator", "a\u{2028}b", "k: \"a\\Lb\"\n"),
        ("nul", "\u{0}", "k: \"\\0\"\n"),
        ("backslash", "a\\b", "k: a\\b\n"),
        ("apostrophe", "it's", "k: it's\n"),
        ("double quote", "say \"hi\"", "k: say \"hi\"\n"),
        ("multi-line", "a\nb", "k: 'a\n\n  b'\n"),
        ("blank line", "a\n\nb", "k: 'a\n\n\n  b'\n"),
        ("trailing newline", "a\n", "k: 'a\n\n  '\n"),
        ("space before break", "a \nb", "k: \"a \\nb\"\n"),
        ("space after break", "a\n b", "k: \"a\\n b\"\n"),
        (
            "script",
            "import os\n\ndef f(x):\n    return x\n",
            "k: \"import os\\n\\ndef f(x):\\n    return x\\n\"\n",
        ),
        (
            "long plain folds",
            "word word word word word word word word word word word word word word word word word word word word word word word word word word word word word word",
            "k: word word word word word word word word word word word word word word word word\n  word word word word word word word word word word word word word word\n",
        ),
        (
            "long unbreakable",
            "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx",
            "k: xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx\n",
        ),
        (
            "long single-quoted folds",
            "'word word word word word word word word word word word word word word word word word word word word word word word word word word word word word word",
            "k: '''word word word word word word word word word word word word word word word word\n  word word word word word word word word word word word word word word'\n",
        ),
        (
            "long double-quoted folds",
            "é word word word word word word word word word word word word word word word word word word word word word word word word word word word word word word",
            "k: \"\\xE9 word word word word word word word word word word word word word word word\\\n  \\ word word word word word word word word word word word word word word word\"\n",
        ),
        (
            "long double-quoted with double spaces",
            "éword  word  word  word  word  word  word  word  word  word  word  word  word  word  word  word  word  word  word  word  word  word  word  word  word",
            "k: \"\\xE9word  word  word  word  word  word  word  word  word  word  word  word  word\\\n  \\  word  word  word  word  word  word  word  word  word  word  word  word\"\n",
        ),
    ];
    const VALUES: &[(&str, &str, &str)] = &[
        (
            "floats and ints",
            "{\"a\": 3.0, \"b\": 1e-05, \"c\": 1e+16, \"d\": 1000000000000000.0, \"e\": -2.5e-10, \"f\": 0.1, \"g\": 7, \"h\": -3, \"i\": 1.2345678901234568e+16, \"j\": 0.0001}",
            "a: 3.0\nb: 1.0e-05\nc: 1.0e+16\nd: 1000000000000000.0\ne: -2.5e-10\nf: 0.1\ng: 7\nh: -3\ni: 1.2345678901234568e+16\nj: 0.0001\n",
        ),
        (
            "scalars",
            "{\"t\": true, \"f\": false, \"n\": null}",
            "f: false\nn: null\nt: true\n",
        ),
        (
            "collections",
            "{\"a\": [], \"b\": {}, \"c\": [[], {}], \"d\": [[1, 2], [3]], \"e\": [{\"x\": 1, \"y\": [1]}], \"f\": {\"g\": [{\"h\": {}}]}}",
            "a: []\nb: {}\nc:\n- []\n- {}\nd:\n- - 1\n  - 2\n- - 3\ne:\n- x: 1\n  y:\n  - 1\nf:\n  g:\n  - h: {}\n",
        ),
        (
            "key order",
            "{\"b\": 1, \"B\": 2, \"a\": 3, \"_\": 4, \"é\": 5, \"10\": 6, \"9\": 7}",
            "'10': 6\n'9': 7\nB: 2\n_: 4\na: 3\nb: 1\n\"\\xE9\": 5\n",
        ),
        (
            "odd keys",
            "{\"\": 1, \"a\\nb\": 2, \"kkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkk\": 3, \"kkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkk\": 4, \"true\": 5}",
            "? ''\n: 1\n? 'a\n\n  b'\n: 2\nkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkk: 4\n? kkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkk\n: 3\n'true': 5\n",
        ),
        ("root scalar", "\"text\"", "text\n...\n"),
        ("root list", "[\"a\", [\"b\"]]", "- a\n- - b\n"),
    ];
    const TWO_DOCS: &str = "pipelineInfo:\n  name: p\n---\nplatforms:\n  kubernetes: {}\n";

    #[test]
    fn chooses_scalar_styles_as_pyyaml_does() {
        for (name, s, want) in STRINGS {
            let value = serde_json::json!({ "k": s });
            assert_eq!(dump(&[&value]), *want, "{name}");
        }
    }

    #[test]
    fn writes_numbers_collections_and_keys_as_pyyaml_does() {
        for (name, json, want) in VALUES {
            let value: Value = serde_json::from_str(json).unwrap();
            assert_eq!(dump(&[&value]), *want, "{name}");
        }
    }

    #[test]
    fn separates_documents_with_three_dashes() {
        let spec = serde_json::json!({"pipelineInfo": {"name": "p"}});
        let platform = serde_json::json!({"platforms": {"kubernetes": {}}});
        assert_eq!(dump(&[&spec, &platform]), TWO_DOCS);
        assert_eq!(dump(&[]), "");
    }

    /// The direct path for short ASCII lines picks the same style and
    /// bytes as PyYAML's general analysis, in every context and column.
    #[test]
    fn short_lines_are_written_as_the_general_path_writes_them() {
        const ALPHABET: &[u8] = b"ab1.- :#'\"?,[]{}!%@`|>&*~=$/\\";
        let tree = Tree::default();
        let mut seed: u64 = 0x9E37_79B9_7F4A_7C15;
        let mut next = move |n: usize| {
            seed = seed
                .wrapping_mul(6_364_136_223_846_793_005)
                .wrapping_add(1_442_695_040_888_963_407);
            (seed >> 33) as usize % n
        };
        let mut checked = 0;
        for _ in 0..20_000 {
            let len = 1 + next(90);
            let text: String = (0..len)
                .map(|_| char::from(ALPHABET[next(ALPHABET.len())]))
                .collect();
            let plain_ok = resolve_plain(&text) == Implicit::Str;
            let column = next(70);
            for ctx in [
                Context::MappingValue,
                Context::Sequence,
                Context::Root,
                Context::SimpleKey,
            ] {
                let (mut fast, mut general) = (
                    Emitter::new(&tree, String::new()),
                    Emitter::new(&tree, String::new()),
                );
                fast.out.push_str(&"x".repeat(column));
                fast.column = column;
                fast.whitespace = next(2) == 0;
                fast.indention = false;
                general.out.clone_from(&fast.out);
                general.column = fast.column;
                general.whitespace = fast.whitespace;
                general.indention = fast.indention;
                fast.scalar(&text, plain_ok, ctx);
                general.scalar_text(&text, plain_ok, ctx);
                assert_eq!(
                    fast.out, general.out,
                    "{text:?} at column {column}, {ctx:?}"
                );
                assert_eq!(fast.column, general.column, "{text:?}");
                assert_eq!(fast.whitespace, general.whitespace, "{text:?}");
                assert_eq!(fast.indention, general.indention, "{text:?}");
                assert_eq!(fast.open_ended, general.open_ended, "{text:?}");
                checked += 1;
            }
        }
        assert_eq!(checked, 80_000);
    }

    #[test]
    fn what_it_writes_reads_back_the_same() {
        for (_, s, _) in STRINGS {
            let value = serde_json::json!({ "k": s, "list": [s], s.to_string(): 1 });
            let text = dump(&[&value]);
            let back = crate::yaml::load(&text).unwrap();
            assert_eq!(back[0].value, value, "{text}");
        }
    }
}
