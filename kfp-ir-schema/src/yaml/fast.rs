//! A fast reader for the YAML that PyYAML writes with `kfp`'s settings.
//!
//! The general reader (saphyr's event parser) reads about 20 MB/s; pipeline
//! files written by `kfp` (or by [`super::dump`]) use a small, regular
//! subset of YAML: ASCII only, block mappings and sequences (sequences in
//! mappings not indented), plain, single-quoted and double-quoted scalars
//! folded at a known width, `{}` and `[]`, a header comment and `---`
//! between documents. This reader handles exactly that subset, line by
//! line, and gives up (returns `None`) on anything else, so that the general
//! reader decides: errors, tags, anchors, flow collections, block scalars,
//! comments inside documents and any unusual layout all go there. When it
//! does finish, it yields the same values and positions as the general
//! reader (the tests compare both on the golden corpus).

use saphyr_parser::ScalarStyle;
use serde_json::{Map, Value};

use super::Position;
use super::index::{LineIndex, NodeKind};
use super::load::{Document, MAX_DEPTH, TagRule, scalar};

/// Reads `text` with the fast reader, or `None` if it is outside the subset.
pub(crate) fn load_fast(text: &str) -> Option<Vec<Document>> {
    if !text.is_ascii() || text.contains(['\t', '\r']) {
        return None;
    }
    let mut lines: Vec<&str> = text.split('\n').collect();
    // A final newline leaves one empty string after it.
    if lines.last() == Some(&"") {
        lines.pop();
    }
    let mut reader = Reader {
        lines,
        line: 0,
        col: 0,
    };
    // The header: comment lines (and blank lines) before the first document.
    while reader.line < reader.lines.len() {
        let l = reader.lines[reader.line];
        if l.is_empty() || l.starts_with('#') {
            reader.line += 1;
        } else {
            break;
        }
    }
    let mut docs = Vec::new();
    let mut first = true;
    while reader.line < reader.lines.len() {
        if !first {
            if reader.lines[reader.line] != "---" {
                return None;
            }
            reader.line += 1;
        }
        first = false;
        let mut index = LineIndex::default();
        let record = index.push_item();
        let l = *reader.lines.get(reader.line)?;
        if l.starts_with(' ') || l == "---" {
            return None;
        }
        reader.col = 0;
        let value = reader.block(0, &mut index, record, 0)?;
        index.close(record);
        if value.is_null() {
            return None;
        }
        docs.push(Document { value, index });
    }
    Some(docs)
}

struct Reader<'a> {
    lines: Vec<&'a str>,
    /// The current line.
    line: usize,
    /// Where the rest of the current line starts (a sequence item's content
    /// starts after its `- `).
    col: usize,
}

fn indent_of(line: &str) -> usize {
    line.len() - line.trim_start_matches(' ').len()
}

fn is_item(content: &str) -> bool {
    content.starts_with("- ") || content == "-"
}

impl<'a> Reader<'a> {
    fn pos(&self, col: usize) -> Position {
        Position {
            line: self.line + 1,
            column: col + 1,
        }
    }

    /// The current line's indentation, counting a consumed `- ` as
    /// indentation; `None` at the end of the document.
    fn current(&self) -> Option<(usize, &'a str)> {
        let l = *self.lines.get(self.line)?;
        if l == "---" {
            return None;
        }
        let indent = indent_of(l).max(self.col);
        Some((indent, &l[indent..]))
    }

    fn next_line(&mut self) {
        self.line += 1;
        self.col = 0;
    }

    /// A block collection whose first line starts at column `indent`.
    fn block(
        &mut self,
        indent: usize,
        index: &mut LineIndex,
        record: usize,
        depth: usize,
    ) -> Option<Value> {
        if depth >= MAX_DEPTH {
            return None;
        }
        let (at, content) = self.current()?;
        if at != indent {
            return None;
        }
        if is_item(content) {
            index.set_node(record, self.pos(indent), NodeKind::Sequence);
            self.sequence(indent, index, depth)
        } else {
            index.set_node(record, self.pos(indent), NodeKind::Mapping);
            self.mapping(indent, index, depth)
        }
    }

    fn sequence(&mut self, indent: usize, index: &mut LineIndex, depth: usize) -> Option<Value> {
        let mut items = Vec::new();
        while let Some((at, content)) = self.current() {
            if at != indent || !is_item(content) {
                if at > indent {
                    return None;
                }
                break;
            }
            let record = index.push_item();
            let col = indent + 2;
            let rest = content.get(2..).unwrap_or("");
            let value = if rest.is_empty() || rest.starts_with(' ') || is_item(rest) {
                return None;
            } else if starts_mapping(rest)? {
                self.col = col;
                self.block(col, index, record, depth + 1)?
            } else {
                self.inline_value(rest, col, indent, index, record)?
            };
            index.close(record);
            items.push(value);
        }
        Some(Value::Array(items))
    }

    fn mapping(&mut self, indent: usize, index: &mut LineIndex, depth: usize) -> Option<Value> {
        let mut map = Map::new();
        while let Some((at, content)) = self.current() {
            if at != indent || is_item(content) {
                if at > indent {
                    return None;
                }
                break;
            }
            let (key, after) = split_key(content)?;
            let record = index.push_key(&key, self.pos(indent));
            let value_col = indent + content.len() - after.len();
            let value = if after.is_empty() {
                self.next_line();
                match self.current() {
                    Some((at, c)) if at == indent && is_item(c) => {
                        // Sequences in mappings are not indented; saphyr
                        // places them at their first item's content.
                        let first_item = self.pos(indent + 2);
                        let value = self.block(indent, index, record, depth + 1)?;
                        index.set_node(record, first_item, NodeKind::Sequence);
                        value
                    }
                    Some((at, _)) if at > indent => self.block(at, index, record, depth + 1)?,
                    _ => return None,
                }
            } else {
                self.inline_value(after, value_col, indent, index, record)?
            };
            index.close(record);
            if map.insert(key, value).is_some() {
                return None;
            }
        }
        Some(Value::Object(map))
    }

    /// A scalar, `{}` or `[]` starting at column `col` of the current line,
    /// whose continuation lines must be indented more than `parent`.
    fn inline_value(
        &mut self,
        text: &'a str,
        col: usize,
        parent: usize,
        index: &mut LineIndex,
        record: usize,
    ) -> Option<Value> {
        let pos = self.pos(col);
        let (value, kind) = match text {
            "{}" => (Value::Object(Map::new()), NodeKind::Mapping),
            "[]" => (Value::Array(Vec::new()), NodeKind::Sequence),
            _ => match *text.as_bytes().first()? {
                b'\'' => (
                    Value::String(self.single_quoted(text, parent)?),
                    NodeKind::Scalar,
                ),
                b'"' => (
                    Value::String(self.double_quoted(text, parent)?),
                    NodeKind::Scalar,
                ),
                _ => (self.plain(text, parent)?, NodeKind::Scalar),
            },
        };
        if matches!(text, "{}" | "[]") {
            self.next_line();
        }
        index.set_node(record, pos, kind);
        Some(value)
    }

    /// The lines after the current one that continue a scalar: indented
    /// more than `parent` (blank lines count as continuation only inside
    /// quotes, `blank_ok`).
    fn continuation(&mut self, parent: usize, blank_ok: bool) -> Option<&'a str> {
        let l = *self.lines.get(self.line + 1)?;
        if l.is_empty() {
            return blank_ok.then_some(l);
        }
        if indent_of(l) <= parent || l == "---" {
            return None;
        }
        Some(l.trim_start_matches(' '))
    }

    fn plain(&mut self, first: &'a str, parent: usize) -> Option<Value> {
        if !plain_line_ok(first, true) {
            return None;
        }
        let mut text = std::borrow::Cow::Borrowed(first);
        while let Some(more) = self.continuation(parent, false) {
            if !plain_line_ok(more, false) {
                return None;
            }
            let t = text.to_mut();
            t.push(' ');
            t.push_str(more);
            self.line += 1;
        }
        self.next_line();
        scalar(&text, ScalarStyle::Plain, &TagRule::Implicit).ok()
    }

    fn single_quoted(&mut self, first: &'a str, parent: usize) -> Option<String> {
        let mut out = String::new();
        let mut fragment = &first[1..];
        loop {
            if let Some(rest) = unquote_single(fragment, &mut out) {
                if !rest.is_empty() {
                    return None;
                }
                self.next_line();
                return Some(out);
            }
            // PyYAML never leaves spaces at a fold.
            if fragment.ends_with(' ') {
                return None;
            }
            let mut blank_lines = 0;
            loop {
                let more = self.continuation(parent, true)?;
                self.line += 1;
                if more.is_empty() {
                    blank_lines += 1;
                } else {
                    fold(&mut out, blank_lines);
                    fragment = more;
                    break;
                }
            }
        }
    }

    fn double_quoted(&mut self, first: &'a str, parent: usize) -> Option<String> {
        let mut out = String::new();
        let mut fragment = &first[1..];
        loop {
            match unescape_double(fragment, &mut out)? {
                DoubleEnd::Closed(rest) => {
                    if !rest.is_empty() {
                        return None;
                    }
                    self.next_line();
                    return Some(out);
                }
                DoubleEnd::Continued => {
                    let more = self.continuation(parent, false)?;
                    self.line += 1;
                    fragment = more;
                }
            }
        }
    }
}

/// Whether a mapping starts in a sequence item's content (`- key: value`).
fn starts_mapping(content: &str) -> Option<bool> {
    match *content.as_bytes().first()? {
        b'\'' | b'"' => {
            // A quoted key is followed by `:`; a quoted scalar is not.
            let mut scratch = String::new();
            let rest = if let Some(body) = content.strip_prefix('\'') {
                unquote_single(body, &mut scratch)
            } else {
                match unescape_double(&content[1..], &mut scratch)? {
                    DoubleEnd::Closed(rest) => Some(rest),
                    DoubleEnd::Continued => None,
                }
            };
            Some(rest.is_some_and(|r| r.starts_with(':')))
        }
        b'{' | b'[' => Some(false),
        _ => Some(find_colon_space(content).is_some() || content.ends_with(':')),
    }
}

/// Splits `key: rest` (or `key:` at the end of a line) into the key and the
/// rest; `None` for keys outside the subset.
fn split_key(content: &str) -> Option<(String, &str)> {
    let (key, after) = match *content.as_bytes().first()? {
        b'\'' => {
            let mut key = String::new();
            let rest = unquote_single(&content[1..], &mut key)?;
            (key, rest.strip_prefix(':')?)
        }
        b'"' => {
            let mut key = String::new();
            match unescape_double(&content[1..], &mut key)? {
                DoubleEnd::Closed(rest) => (key, rest.strip_prefix(':')?),
                DoubleEnd::Continued => return None,
            }
        }
        _ => {
            let (key, after) = match find_colon_space(content) {
                Some(i) => (&content[..i], &content[i + 1..]),
                None => (content.strip_suffix(':')?, ""),
            };
            // Only plain keys that read back as themselves; `<<` and `=`
            // are left to the general reader, which rejects them.
            if !plain_line_ok(key, true) || key.ends_with(':') || key == "<<" || key == "=" {
                return None;
            }
            (key.to_owned(), after)
        }
    };
    match after {
        "" => Some((key, "")),
        _ => after
            .strip_prefix(' ')
            .filter(|r| !r.is_empty() && !r.starts_with(' '))
            .map(|r| (key, r)),
    }
}

/// Where the first `: ` is.
fn find_colon_space(s: &str) -> Option<usize> {
    s.as_bytes().windows(2).position(|w| w == b": ")
}

/// Whether a line of a plain scalar is unambiguous: no comment, no
/// `key: value`, no surrounding spaces and, on the first line, no leading
/// indicator.
fn plain_line_ok(s: &str, first: bool) -> bool {
    let Some(&c) = s.as_bytes().first() else {
        return false;
    };
    if s.ends_with(':') || s.ends_with(' ') || s.starts_with(' ') {
        return false;
    }
    // No `: ` and no ` #`, in one pass.
    if s.as_bytes()
        .windows(2)
        .any(|w| matches!(w, [b':', b' '] | [b' ', b'#']))
    {
        return false;
    }
    if first {
        let next_is_space = s.as_bytes().get(1).is_none_or(|&n| n == b' ');
        let bad = match c {
            b',' | b'[' | b']' | b'{' | b'}' | b'#' | b'&' | b'*' | b'!' | b'|' | b'>' | b'\''
            | b'"' | b'%' | b'@' | b'`' => true,
            b'-' | b'?' | b':' => next_is_space,
            _ => false,
        };
        !bad && !s.starts_with("---") && !s.starts_with("...")
    } else {
        c != b'#'
    }
}

/// Joins the next fragment of a folded quoted scalar: one line break is a
/// space, each blank line a newline.
fn fold(out: &mut String, blank_lines: usize) {
    if blank_lines == 0 {
        out.push(' ');
    } else {
        out.extend(std::iter::repeat_n('\n', blank_lines));
    }
}

/// Appends the content of a single-quoted line to `out`; returns what
/// follows the closing quote, or `None` if the scalar goes on.
fn unquote_single<'s>(s: &'s str, out: &mut String) -> Option<&'s str> {
    let mut rest = s;
    loop {
        match rest.find('\'') {
            Some(i) => {
                out.push_str(&rest[..i]);
                if rest[i + 1..].starts_with('\'') {
                    out.push('\'');
                    rest = &rest[i + 2..];
                } else {
                    return Some(&rest[i + 1..]);
                }
            }
            None => {
                out.push_str(rest);
                return None;
            }
        }
    }
}

enum DoubleEnd<'s> {
    /// The closing quote was found; what follows it.
    Closed(&'s str),
    /// The line ends with an escaped line break.
    Continued,
}

/// Appends the content of a double-quoted line to `out`. `None` for what
/// PyYAML would not write (an unescaped line break, a bad escape).
fn unescape_double<'s>(s: &'s str, out: &mut String) -> Option<DoubleEnd<'s>> {
    let mut chars = s.char_indices();
    while let Some((i, c)) = chars.next() {
        match c {
            '"' => return Some(DoubleEnd::Closed(&s[i + 1..])),
            '\\' => {
                let (_, e) = match chars.next() {
                    Some(x) => x,
                    None => return Some(DoubleEnd::Continued),
                };
                let simple = match e {
                    '0' => Some('\0'),
                    'a' => Some('\x07'),
                    'b' => Some('\x08'),
                    't' => Some('\t'),
                    'n' => Some('\n'),
                    'v' => Some('\x0B'),
                    'f' => Some('\x0C'),
                    'r' => Some('\r'),
                    'e' => Some('\x1B'),
                    ' ' => Some(' '),
                    '"' => Some('"'),
                    '/' => Some('/'),
                    '\\' => Some('\\'),
                    'N' => Some('\u{85}'),
                    '_' => Some('\u{A0}'),
                    'L' => Some('\u{2028}'),
                    'P' => Some('\u{2029}'),
                    _ => None,
                };
                match (simple, e) {
                    (Some(c), _) => out.push(c),
                    (None, 'x' | 'u' | 'U') => {
                        let n = match e {
                            'x' => 2,
                            'u' => 4,
                            _ => 8,
                        };
                        let start = i + 2;
                        let hex = s.get(start..start + n)?;
                        let code = u32::from_str_radix(hex, 16).ok()?;
                        out.push(char::from_u32(code)?);
                        for _ in 0..n {
                            chars.next();
                        }
                    }
                    _ => return None,
                }
            }
            c => out.push(c),
        }
    }
    // An unescaped line break inside double quotes: PyYAML never writes it.
    None
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::yaml::load::load_general;
    use std::path::{Path, PathBuf};

    /// Every JSON pointer of `value`.
    fn pointers(value: &Value, prefix: &mut String, out: &mut Vec<String>) {
        out.push(prefix.clone());
        let len = prefix.len();
        match value {
            Value::Object(map) => {
                for (k, v) in map {
                    prefix.push('/');
                    prefix.push_str(&k.replace('~', "~0").replace('/', "~1"));
                    pointers(v, prefix, out);
                    prefix.truncate(len);
                }
            }
            Value::Array(items) => {
                for (i, v) in items.iter().enumerate() {
                    prefix.push_str(&format!("/{i}"));
                    pointers(v, prefix, out);
                    prefix.truncate(len);
                }
            }
            _ => {}
        }
    }

    /// Whether the fast reader took `text`; panics if it disagrees with the
    /// general reader on any value or position.
    fn agrees(name: &str, text: &str) -> bool {
        let Some(fast) = load_fast(text) else {
            return false;
        };
        let general =
            load_general(text).unwrap_or_else(|e| panic!("{name}: fast path took bad YAML: {e}"));
        assert_eq!(fast.len(), general.len(), "{name}");
        for (f, g) in fast.iter().zip(&general) {
            assert_eq!(f.value, g.value, "{name}");
            // Positions too, except in the (quadratic to check) big files.
            if text.len() > 100_000 {
                continue;
            }
            let mut all = Vec::new();
            pointers(&g.value, &mut String::new(), &mut all);
            for p in all {
                assert_eq!(f.index.locate(&p), g.index.locate(&p), "{name}: {p}");
            }
        }
        true
    }

    fn yaml_files(dir: &Path, out: &mut Vec<PathBuf>) {
        let Ok(entries) = std::fs::read_dir(dir) else {
            return;
        };
        for path in entries.filter_map(|e| e.ok().map(|e| e.path())) {
            if path.is_dir() {
                yaml_files(&path, out);
            } else if path.extension().is_some_and(|e| e == "yaml") {
                out.push(path);
            }
        }
    }

    #[test]
    fn agrees_with_the_general_reader_on_the_golden_corpus() {
        let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../shared");
        if !root.is_dir() {
            println!("skipped: ../shared not found");
            return;
        }
        let mut files = Vec::new();
        yaml_files(&root.join("kfp-golden"), &mut files);
        yaml_files(&root.join("bench"), &mut files);
        let mut fast = 0;
        for path in &files {
            let text = std::fs::read_to_string(path).unwrap();
            if agrees(&path.display().to_string(), &text) {
                fast += 1;
            }
        }
        // Only hand-edited files and the invalid ones should need the
        // general reader.
        assert!(
            fast + 10 >= files.len(),
            "fast path took only {fast} of {}",
            files.len()
        );
    }

    #[test]
    fn agrees_with_the_general_reader_on_tricky_layouts() {
        let cases = [
            "a: 1\nb:\n- x\n- y: 2\n  z: '3'\n- {}\n- []\nc: {}\n",
            "k: 'it''s a long single-quoted string that PyYAML folds at eighty columns\n  like this one here'\n",
            "k: 'a\n\n  b'\n",
            "k: \"\\xE9 word word word word word word word word word word word word word\\\n  \\ word\"\n",
            "k: plain words that go on and on and on and on and on and on and on and\n  on\n",
            "- a\n- b\n",
            "'quoted key': 1\n\"dq\": 2\n",
            "a: 1\n---\nb: 2\n",
            "# header\n# more\na: yes\nb: ~\nc: 0x1F\nd: 1.5\ne: 2024-01-01\n",
        ];
        for text in cases {
            assert!(agrees(text, text), "fast path refused {text:?}");
        }
        // Outside the subset: the general reader decides.
        let refused = [
            "a: 1 # comment\n",
            "a: &x 1\nb: *x\n",
            "a: !!str 1\n",
            "a: |\n  block\n",
            "a: [1, 2]\n",
            "a:\n  - indented\n",
            "a: 1\na: 2\n",
            "<<: {}\n",
            "a: .inf\n",
            "a:\tb\n",
            "a: 'unterminated\n",
            "- - nested\n",
            "? complex\n: key\n",
            "text\n",
            "a: b: c\n",
            "a: 1\n\nb: 2\n",
            "a:\n\n  b: 1\n",
            "- a\n\n- b\n",
            "",
            "\n\n",
        ];
        for text in refused {
            assert!(load_fast(text).is_none() || agrees(text, text), "{text:?}");
        }
    }
}
