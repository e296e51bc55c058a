//! Reading a YAML stream into JSON values, with PyYAML's YAML 1.1 meaning.

use std::collections::HashMap;

use saphyr_parser::{Event, Parser, ScalarStyle, ScanError, Span, Tag};
use serde_json::{Map, Value};

use super::index::{LineIndex, NodeKind};
use super::resolve::{
    ConstructError, Implicit, construct_bool, construct_float, construct_int, resolve_plain,
};
use super::{Position, YamlError, YamlErrorKind};

/// How deeply collections may nest before the reader gives up.
pub const MAX_DEPTH: usize = 256;

/// How many nodes aliases may expand to (and anchors copy) in one stream.
pub const MAX_ALIAS_NODES: usize = 1_000_000;

/// How many bytes of keys and scalars aliases may expand to (and anchors
/// copy) in one stream: 64 MiB, twice the KFP API server's 32 MiB upload
/// limit. With the text itself, the keys and scalars of a stream's
/// documents hold at most three times that limit, however its aliases
/// repeat long strings within [`MAX_ALIAS_NODES`].
pub const MAX_ALIAS_BYTES: usize = 64 << 20;

/// What aliases and anchors may still copy.
struct Budget {
    nodes: usize,
    bytes: usize,
}

/// The size of a node: how many nodes it holds, itself included, and how
/// many bytes of keys and scalars.
#[derive(Clone, Copy)]
struct Size {
    nodes: usize,
    bytes: usize,
}

impl Size {
    fn scalar(text: &str) -> Size {
        Size {
            nodes: 1,
            bytes: text.len(),
        }
    }

    fn add(&mut self, other: Size) {
        self.nodes = self.nodes.saturating_add(other.nodes);
        self.bytes = self.bytes.saturating_add(other.bytes);
    }
}

/// One YAML document of a stream: its value and where its nodes are.
#[derive(Debug, Clone)]
pub struct Document {
    /// The document as JSON.
    pub value: Value,
    /// The line and column of each node, by JSON pointer.
    pub index: LineIndex,
}

/// [`load`](super::load) without the fast path for PyYAML's own layout:
/// the general reader, for any YAML.
pub(crate) fn load_general(text: &str) -> Result<Vec<Document>, YamlError> {
    let mut parser = Parser::new_from_str(text);
    let mut docs = Vec::new();
    let mut budget = Budget {
        nodes: MAX_ALIAS_NODES,
        bytes: MAX_ALIAS_BYTES,
    };
    let mut builder: Option<Builder> = None;
    while let Some(next) = parser.next_event() {
        let (event, span) = next.map_err(syntax_error)?;
        match event {
            Event::DocumentStart(_) => builder = Some(Builder::default()),
            Event::DocumentEnd => {
                if let Some(b) = builder.take()
                    && let Some(doc) = b.finish()
                {
                    docs.push(doc);
                }
            }
            Event::StreamStart | Event::StreamEnd | Event::Nothing => {}
            event => {
                let b = builder.get_or_insert_with(Builder::default);
                b.event(event, span, &mut budget)?;
            }
        }
    }
    Ok(docs)
}

fn syntax_error(e: ScanError) -> YamlError {
    YamlError {
        position: Position {
            line: e.marker().line(),
            column: e.marker().col() + 1,
        },
        kind: YamlErrorKind::Syntax(e.info().to_owned()),
    }
}

fn start(span: &Span) -> Position {
    Position {
        line: span.start.line(),
        column: span.start.col() + 1,
    }
}

fn error(span: &Span, kind: YamlErrorKind) -> YamlError {
    YamlError {
        position: start(span),
        kind,
    }
}

/// A completed anchored node, kept for its aliases.
struct Anchored {
    value: Value,
    size: Size,
}

enum Container {
    Seq(Vec<Value>),
    /// A mapping and, between a key and its value, that key and its record.
    Map(Map<String, Value>, Option<(String, usize)>),
}

struct Frame {
    container: Container,
    anchor: usize,
    record: usize,
    size: Size,
}

/// Builds one document from its events.
#[derive(Default)]
struct Builder {
    stack: Vec<Frame>,
    index: LineIndex,
    anchors: HashMap<usize, Anchored>,
    root: Option<Value>,
}

/// How a node's tag constrains it.
pub(crate) enum TagRule {
    /// No tag, or the non-specific `!`: resolve as usual.
    Implicit,
    /// `tag:yaml.org,2002:<suffix>`.
    Core(String),
}

fn tag_rule(tag: Option<&Tag>) -> Result<TagRule, YamlErrorKind> {
    let Some(tag) = tag else {
        return Ok(TagRule::Implicit);
    };
    const CORE: &str = "tag:yaml.org,2002:";
    let suffix = if tag.handle == CORE {
        Some(tag.suffix.as_str())
    } else if tag.handle.is_empty() {
        if tag.suffix == "!" {
            return Ok(TagRule::Implicit);
        }
        tag.suffix.strip_prefix(CORE)
    } else {
        None
    };
    match suffix {
        Some(s @ ("str" | "int" | "float" | "bool" | "null" | "map" | "seq")) => {
            Ok(TagRule::Core(s.to_owned()))
        }
        _ => Err(YamlErrorKind::UnsupportedTag(tag.to_string())),
    }
}

impl Builder {
    fn finish(self) -> Option<Document> {
        match self.root {
            None | Some(Value::Null) => None,
            Some(value) => Some(Document {
                value,
                index: self.index,
            }),
        }
    }

    fn event(
        &mut self,
        event: Event<'_>,
        span: Span,
        budget: &mut Budget,
    ) -> Result<(), YamlError> {
        // A node in key position of a mapping becomes that mapping's key.
        if let Some(Frame {
            container: Container::Map(_, None),
            ..
        }) = self.stack.last()
            && !matches!(event, Event::MappingEnd)
        {
            let key = self.key(event, &span, budget)?;
            let record = self.index.push_key(&key, start(&span));
            if let Some(Frame {
                container: Container::Map(_, pending),
                size,
                ..
            }) = self.stack.last_mut()
            {
                size.bytes = size.bytes.saturating_add(key.len());
                *pending = Some((key, record));
            }
            return Ok(());
        }

        let record = match (&event, self.stack.last()) {
            (Event::SequenceEnd | Event::MappingEnd, _) => 0,
            (
                _,
                Some(Frame {
                    container: Container::Map(_, Some((_, record))),
                    ..
                }),
            ) => *record,
            _ => self.index.push_item(),
        };
        let is_map = matches!(event, Event::MappingStart(..));
        match event {
            Event::Scalar(text, style, anchor, tag) => {
                self.index.set_node(record, start(&span), NodeKind::Scalar);
                let rule = tag_rule(tag.as_deref()).map_err(|k| error(&span, k))?;
                let value = scalar(&text, style, &rule).map_err(|k| error(&span, k))?;
                self.index.close(record);
                let size = Size::scalar(&text);
                if anchor != 0 {
                    self.anchor(anchor, value.clone(), size, &span, budget)?;
                }
                self.attach(value, size, &span)
            }
            Event::Alias(id) => {
                self.index.set_node(record, start(&span), NodeKind::Alias);
                self.index.close(record);
                let anchored = self
                    .anchors
                    .get(&id)
                    .ok_or_else(|| error(&span, YamlErrorKind::RecursiveAlias))?;
                let size = anchored.size;
                spend(budget, size, &span)?;
                let value = anchored.value.clone();
                self.attach(value, size, &span)
            }
            Event::SequenceStart(anchor, tag) | Event::MappingStart(anchor, tag) => {
                let (kind, name, core) = if is_map {
                    (NodeKind::Mapping, "mapping", "map")
                } else {
                    (NodeKind::Sequence, "sequence", "seq")
                };
                if let TagRule::Core(t) = tag_rule(tag.as_deref()).map_err(|k| error(&span, k))?
                    && t != core
                {
                    return Err(error(
                        &span,
                        YamlErrorKind::TagMismatch {
                            tag: t,
                            found: name,
                        },
                    ));
                }
                if self.stack.len() >= MAX_DEPTH {
                    return Err(error(&span, YamlErrorKind::TooDeep(MAX_DEPTH)));
                }
                self.index.set_node(record, start(&span), kind);
                let container = if is_map {
                    Container::Map(Map::new(), None)
                } else {
                    Container::Seq(Vec::new())
                };
                self.stack.push(Frame {
                    container,
                    anchor,
                    record,
                    size: Size { nodes: 1, bytes: 0 },
                });
                Ok(())
            }
            Event::SequenceEnd | Event::MappingEnd => {
                let Some(frame) = self.stack.pop() else {
                    return Err(error(
                        &span,
                        YamlErrorKind::Syntax("unbalanced collection end".into()),
                    ));
                };
                self.index.close(frame.record);
                let value = match frame.container {
                    Container::Seq(items) => Value::Array(items),
                    Container::Map(map, _) => Value::Object(map),
                };
                if frame.anchor != 0 {
                    self.anchor(frame.anchor, value.clone(), frame.size, &span, budget)?;
                }
                self.attach(value, frame.size, &span)
            }
            _ => Ok(()),
        }
    }

    /// The key that a node in key position gives its mapping: a scalar's
    /// text, or a string alias's (which spends the alias budget).
    fn key(
        &mut self,
        event: Event<'_>,
        span: &Span,
        budget: &mut Budget,
    ) -> Result<String, YamlError> {
        match event {
            Event::Scalar(text, style, anchor, tag) => {
                tag_rule(tag.as_deref()).map_err(|k| error(span, k))?;
                // Only a plain `<<` or `=` is YAML 1.1's merge or value
                // key; quoted, they are ordinary keys.
                if style == ScalarStyle::Plain && tag.is_none() {
                    match &*text {
                        "<<" => return Err(error(span, YamlErrorKind::UnsupportedKey("<<"))),
                        "=" => return Err(error(span, YamlErrorKind::UnsupportedKey("="))),
                        _ => {}
                    }
                }
                if anchor != 0 {
                    self.anchors.insert(
                        anchor,
                        Anchored {
                            value: Value::String(text.to_string()),
                            size: Size::scalar(&text),
                        },
                    );
                }
                Ok(text.into_owned())
            }
            Event::Alias(id) => match self.anchors.get(&id).map(|a| &a.value) {
                Some(Value::String(s)) => {
                    spend(budget, Size::scalar(s), span)?;
                    Ok(s.clone())
                }
                Some(_) => Err(error(span, YamlErrorKind::NonScalarKey("non-string alias"))),
                None => Err(error(span, YamlErrorKind::RecursiveAlias)),
            },
            Event::SequenceStart(..) => Err(error(span, YamlErrorKind::NonScalarKey("sequence"))),
            Event::MappingStart(..) => Err(error(span, YamlErrorKind::NonScalarKey("mapping"))),
            _ => Err(error(
                span,
                YamlErrorKind::Syntax("unexpected event".into()),
            )),
        }
    }

    /// Keeps a copy of an anchored node for its aliases (the copy counts
    /// against the alias budget).
    fn anchor(
        &mut self,
        id: usize,
        value: Value,
        size: Size,
        span: &Span,
        budget: &mut Budget,
    ) -> Result<(), YamlError> {
        spend(budget, size, span)?;
        self.anchors.insert(id, Anchored { value, size });
        Ok(())
    }

    /// Puts a completed node into its parent (or makes it the root).
    fn attach(&mut self, value: Value, size: Size, span: &Span) -> Result<(), YamlError> {
        let Some(parent) = self.stack.last_mut() else {
            self.root = Some(value);
            return Ok(());
        };
        parent.size.add(size);
        match &mut parent.container {
            Container::Seq(items) => items.push(value),
            Container::Map(map, pending) => {
                let Some((key, record)) = pending.take() else {
                    return Err(error(
                        span,
                        YamlErrorKind::Syntax("value without a key".into()),
                    ));
                };
                if map.contains_key(&key) {
                    return Err(self.key_error(record, span, YamlErrorKind::DuplicateKey(key)));
                }
                map.insert(key, value);
            }
        }
        Ok(())
    }

    fn key_error(&self, record: usize, span: &Span, kind: YamlErrorKind) -> YamlError {
        YamlError {
            position: self
                .index
                .key_position(record)
                .unwrap_or_else(|| start(span)),
            kind,
        }
    }
}

/// Takes what an alias expands to (or an anchor copies) from the budget;
/// the error is at `span`, the alias or the anchored node.
fn spend(budget: &mut Budget, size: Size, span: &Span) -> Result<(), YamlError> {
    let Some(nodes) = budget.nodes.checked_sub(size.nodes) else {
        return Err(error(
            span,
            YamlErrorKind::AliasExpansionLimit(MAX_ALIAS_NODES),
        ));
    };
    let Some(bytes) = budget.bytes.checked_sub(size.bytes) else {
        return Err(error(span, YamlErrorKind::AliasBytesLimit(MAX_ALIAS_BYTES)));
    };
    *budget = Budget { nodes, bytes };
    Ok(())
}

/// The JSON value of a scalar node.
pub(crate) fn scalar(
    text: &str,
    style: ScalarStyle,
    rule: &TagRule,
) -> Result<Value, YamlErrorKind> {
    let kind = match rule {
        TagRule::Core(t) => match t.as_str() {
            "str" => return Ok(Value::String(text.to_owned())),
            "null" => return Ok(Value::Null),
            "bool" => {
                return construct_bool(text).map(Value::Bool).ok_or_else(|| {
                    YamlErrorKind::InvalidScalar {
                        tag: "bool",
                        value: text.to_owned(),
                    }
                });
            }
            "int" => Implicit::Int,
            "float" => Implicit::Float,
            other => {
                return Err(YamlErrorKind::TagMismatch {
                    tag: other.to_owned(),
                    found: "scalar",
                });
            }
        },
        TagRule::Implicit if style == ScalarStyle::Plain => resolve_plain(text),
        TagRule::Implicit => Implicit::Str,
    };
    match kind {
        Implicit::Null => Ok(Value::Null),
        Implicit::Bool(b) => Ok(Value::Bool(b)),
        Implicit::Int => construct_int(text).map(Value::Number).map_err(|e| match e {
            ConstructError::OutOfRange => YamlErrorKind::IntegerOutOfRange(text.to_owned()),
            ConstructError::Invalid => YamlErrorKind::InvalidScalar {
                tag: "int",
                value: text.to_owned(),
            },
        }),
        Implicit::Float => {
            let f = construct_float(text).map_err(|_| YamlErrorKind::InvalidScalar {
                tag: "float",
                value: text.to_owned(),
            })?;
            serde_json::Number::from_f64(f)
                .map(Value::Number)
                .ok_or_else(|| YamlErrorKind::NonFiniteFloat(text.to_owned()))
        }
        Implicit::Merge => Err(YamlErrorKind::UnsupportedKey("<<")),
        Implicit::Value => Err(YamlErrorKind::UnsupportedKey("=")),
        Implicit::Timestamp | Implicit::Str => Ok(Value::String(text.to_owned())),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::yaml::load;
    use serde_json::json;

    fn one(text: &str) -> Value {
        let docs = load(text).unwrap();
        assert_eq!(docs.len(), 1, "{text:?}");
        docs.into_iter().next().unwrap().value
    }

    fn err(text: &str) -> YamlError {
        load(text).expect_err(text)
    }

    #[test]
    fn reads_scalars_as_pyyaml_safe_load_does() {
        let v = one(
            "a: 1\nb: '1'\nc: 1.5\nd: yes\ne: ~\nf:\ng: 0x1F\nh: 1e3\ni: 2.1.0\nj: 2024-01-01\n\
             k: !!str 12\nl: !!int \"12\"\nm: !!float 1\nn: ! 12\no: \"x\\ty\"\np: -.5\nq: 1.0e+3\n",
        );
        assert_eq!(
            v,
            json!({"a": 1, "b": "1", "c": 1.5, "d": true, "e": null, "f": null, "g": 31,
                   "h": "1e3", "i": "2.1.0", "j": "2024-01-01", "k": "12", "l": 12, "m": 1.0,
                   "n": 12, "o": "x\ty", "p": "-.5", "q": 1000.0})
        );
    }

    #[test]
    fn keys_are_taken_verbatim() {
        assert_eq!(
            one("1: a\non: b\nnull: c\n"),
            json!({"1": "a", "on": "b", "null": "c"})
        );
    }

    #[test]
    fn reads_every_document_and_skips_empty_ones() {
        let docs = load("a: 1\n---\n---\n~\n---\n- b\n...\n").unwrap();
        let values: Vec<_> = docs.into_iter().map(|d| d.value).collect();
        assert_eq!(values, vec![json!({"a": 1}), json!(["b"])]);
        assert!(load("").unwrap().is_empty());
        assert!(load("# only a comment\n").unwrap().is_empty());
    }

    #[test]
    fn indexes_positions_by_json_pointer() {
        let text = "root:\n  dag:\n    tasks:\n      foo:\n        componentRef:\n          name: comp-foo\n\
                    list:\n- a\n- {x: 1}\n'we/ird~': 2\n";
        let doc = load(text).unwrap().remove(0);
        let pos = |p: &str| doc.index.position(p).map(|p| (p.line, p.column));
        assert_eq!(pos(""), Some((1, 1)));
        assert_eq!(pos("/root"), Some((1, 1)));
        assert_eq!(pos("/root/dag/tasks/foo/componentRef"), Some((5, 9)));
        assert_eq!(pos("/root/dag/tasks/foo/componentRef/name"), Some((6, 11)));
        assert_eq!(pos("/list/0"), Some((8, 3)));
        assert_eq!(pos("/list/1/x"), Some((9, 4)));
        assert_eq!(pos("/we~1ird~0"), Some((10, 1)));
        assert_eq!(pos("/list/2"), None);
        assert_eq!(pos("/list/01"), None);
        assert_eq!(pos("/root/nope"), None);
        assert_eq!(pos("no-slash"), None);
        let loc = doc
            .index
            .locate("/root/dag/tasks/foo/componentRef/name")
            .unwrap();
        assert_eq!(
            loc.value,
            Position {
                line: 6,
                column: 17
            }
        );
        let near = doc
            .index
            .nearest_position("/root/dag/tasks/foo/missing/deeper");
        assert_eq!(near, Some(Position { line: 4, column: 7 }));
    }

    #[test]
    fn positions_in_later_documents_count_from_the_stream_start() {
        let docs = load("a: 1\n---\nplatforms:\n  kubernetes: {}\n").unwrap();
        let p = docs[1].index.position("/platforms/kubernetes").unwrap();
        assert_eq!((p.line, p.column), (4, 3));
    }

    #[test]
    fn expands_aliases_and_points_into_them_at_the_alias() {
        let doc = load("a: &x {b: [1, 2]}\nc: *x\n").unwrap().remove(0);
        assert_eq!(doc.value, json!({"a": {"b": [1, 2]}, "c": {"b": [1, 2]}}));
        let p = doc.index.position("/c/b/1").unwrap();
        assert_eq!((p.line, p.column), (2, 1));
    }

    #[test]
    fn rejects_duplicate_keys_at_the_second_key() {
        let e = err("a: 1\nb: 2\na: 3\n");
        assert_eq!(e.kind, YamlErrorKind::DuplicateKey("a".into()));
        assert_eq!(e.position, Position { line: 3, column: 1 });
    }

    #[test]
    fn rejects_what_json_cannot_hold() {
        assert!(matches!(
            err("a: .inf\n").kind,
            YamlErrorKind::NonFiniteFloat(_)
        ));
        assert!(matches!(
            err("a: .nan\n").kind,
            YamlErrorKind::NonFiniteFloat(_)
        ));
        assert!(matches!(
            err("a: 99999999999999999999\n").kind,
            YamlErrorKind::IntegerOutOfRange(_)
        ));
        assert!(matches!(
            err("? [a]\n: 1\n").kind,
            YamlErrorKind::NonScalarKey("sequence")
        ));
        assert!(matches!(
            err("a: !foo x\n").kind,
            YamlErrorKind::UnsupportedTag(_)
        ));
        assert!(matches!(
            err("a: !!binary aGk=\n").kind,
            YamlErrorKind::UnsupportedTag(_)
        ));
        assert!(matches!(
            err("a: !!map x\n").kind,
            YamlErrorKind::TagMismatch { .. }
        ));
        assert!(matches!(
            err("a: !!int x\n").kind,
            YamlErrorKind::InvalidScalar { .. }
        ));
        assert!(matches!(
            err("<<: {b: 1}\n").kind,
            YamlErrorKind::UnsupportedKey("<<")
        ));
    }

    #[test]
    fn bad_input_gives_errors_not_panics() {
        let e = err("x: \"abc\n");
        assert!(matches!(e.kind, YamlErrorKind::Syntax(_)), "{e}");
        assert_eq!(e.position.line, 1);
        assert!(matches!(
            err("a:\n  b: 1\n c: 2\n").kind,
            YamlErrorKind::Syntax(_)
        ));
        let _ = load("a:\n\t- b\n");
        let _ = load("\tx: 1\n");
        let deep = "[".repeat(100_000);
        assert!(load(&deep).is_err());
        let deep_ok = format!("{}{}", "[".repeat(200), "]".repeat(200));
        assert!(load(&deep_ok).is_ok());
        let too_deep = format!("{}{}", "[".repeat(300), "]".repeat(300));
        // saphyr bounds flow nesting itself, a little below our limit.
        assert!(load(&too_deep).is_err());
        let block_deep: String = (0..400).map(|i| format!("{}k:\n", " ".repeat(i))).collect();
        assert!(matches!(
            err(&block_deep).kind,
            YamlErrorKind::TooDeep(MAX_DEPTH)
        ));
        // Pseudo-random garbage, including control bytes and broken UTF-8
        // (replaced, as a caller reading bytes would).
        const ALPHABET: &[u8] = b"ab: -?[]{},&*!|>'\"%@`#\n\t\r\\0x.~<<=\x00\xff";
        let mut seed: u64 = 0x2545_F491_4F6C_DD1D;
        for _ in 0..2000 {
            let bytes: Vec<u8> = (0..200)
                .map(|_| {
                    seed ^= seed << 13;
                    seed ^= seed >> 7;
                    seed ^= seed << 17;
                    ALPHABET[(seed % ALPHABET.len() as u64) as usize]
                })
                .collect();
            let _ = load(&String::from_utf8_lossy(&bytes));
        }
    }

    #[test]
    fn an_alias_bomb_hits_the_limit() {
        let mut text = String::from("a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n");
        for i in 1..12 {
            let p = i - 1;
            text.push_str(&format!(
                "a{i}: &a{i} [*a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}]\n"
            ));
        }
        assert!(matches!(
            err(&text).kind,
            YamlErrorKind::AliasExpansionLimit(_)
        ));
    }

    /// The probe's bomb: a 270 KB file whose aliases repeat a 30 KB string,
    /// within the node limit, would expand to 1.8 GB of strings (3.9 GB of
    /// memory); it is refused at the line of the first alias over the byte
    /// limit.
    #[test]
    fn aliases_of_long_strings_hit_the_byte_limit_at_the_alias() {
        const LONG: usize = 30_000;
        let mut text = format!("s: &s {}\nl:\n", "x".repeat(LONG));
        for _ in 0..50_000 {
            text.push_str("- *s\n");
        }
        assert!(text.len() < 300_000);
        let e = err(&text);
        assert_eq!(e.kind, YamlErrorKind::AliasBytesLimit(MAX_ALIAS_BYTES));
        // The anchored copy is spent first, then each alias.
        let allowed = (MAX_ALIAS_BYTES - LONG) / LONG;
        assert_eq!(
            e.position,
            Position {
                line: 3 + allowed,
                column: 3
            }
        );
        assert!(
            e.to_string().contains(&format!("line {}", 3 + allowed)),
            "{e}"
        );
        // As mapping keys, the same.
        let mut keys = format!("s: &s {}\nl:\n", "x".repeat(LONG));
        for _ in 0..3_000 {
            keys.push_str("- {*s : 1}\n");
        }
        assert_eq!(
            err(&keys).kind,
            YamlErrorKind::AliasBytesLimit(MAX_ALIAS_BYTES)
        );
        // Aliases within the limit expand.
        let mut fine = format!("s: &s {}\nl:\n", "x".repeat(LONG));
        fine.push_str(&"- *s\n".repeat(100));
        assert_eq!(one(&fine)["l"].as_array().unwrap().len(), 100);
    }

    #[test]
    fn an_alias_to_an_enclosing_node_is_an_error() {
        let e = load("a: &x [1, *x]\n").unwrap_err();
        assert_eq!(e.kind, YamlErrorKind::RecursiveAlias);
    }
}
