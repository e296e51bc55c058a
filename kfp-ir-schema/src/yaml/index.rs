//! Where each node of a loaded YAML document starts.
//!
//! The index stores one compact record per node, in document (pre-)order,
//! with the extent of its subtree; mapping keys live in one shared string.
//! Nothing is allocated per node while loading, and paths are resolved only
//! when asked for, by walking the records.

use super::Position;

/// What a record describes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum NodeKind {
    Scalar,
    Sequence,
    Mapping,
    /// An alias: its expansion has no records of its own.
    Alias,
}

/// One node: where it (and, for a mapping member, its key) starts, and the
/// index one past the last record of its subtree.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Entry {
    key_start: u32,
    key_len: u32,
    key_line: u32,
    key_col: u32,
    line: u32,
    col: u32,
    end: u32,
    kind: NodeKind,
}

const NO_KEY: u32 = u32::MAX;

fn narrow(n: usize) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
}

/// The position of one node, as [`LineIndex::locate`] returns it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Location {
    /// Where its key starts, when the node is a mapping member.
    pub key: Option<Position>,
    /// Where the node itself starts (its tag or anchor, if any, else its
    /// first character; for a block collection, its first entry).
    pub value: Position,
}

impl Location {
    /// The key's position for a mapping member, else the node's: the
    /// position to show a person.
    pub fn position(&self) -> Position {
        self.key.unwrap_or(self.value)
    }
}

/// Maps JSON pointers (RFC 6901, e.g. `/root/dag/tasks/foo/componentRef`,
/// with `~1` for `/` and `~0` for `~` inside a key, and decimal indices into
/// sequences; `""` is the document itself) to 1-based lines and columns.
///
/// Nodes reached through an alias have no position of their own; a pointer
/// that goes into an alias's expansion resolves to the alias.
#[derive(Debug, Clone, Default)]
pub struct LineIndex {
    entries: Vec<Entry>,
    keys: String,
}

impl LineIndex {
    /// The position of the node at `pointer`: its key's for a mapping
    /// member, else the node's own. `None` when the pointer is malformed or
    /// names no node.
    pub fn position(&self, pointer: &str) -> Option<Position> {
        self.locate(pointer).map(|l| l.position())
    }

    /// The key and value positions of the node at `pointer`.
    pub fn locate(&self, pointer: &str) -> Option<Location> {
        match self.walk(pointer)? {
            (idx, true) => Some(self.location(idx)),
            (_, false) => None,
        }
    }

    /// The position of the node at `pointer` or, when it does not exist, of
    /// its nearest existing ancestor (the document itself at worst). Handy
    /// for reporting a missing field at its parent. `None` only for an empty
    /// index or a malformed pointer.
    pub fn nearest_position(&self, pointer: &str) -> Option<Position> {
        self.walk(pointer)
            .map(|(idx, _)| self.location(idx).position())
    }

    fn location(&self, idx: usize) -> Location {
        let e = &self.entries[idx];
        let pos = |line: u32, col: u32| Position {
            line: line as usize,
            column: col as usize,
        };
        Location {
            key: (e.key_len != NO_KEY).then(|| pos(e.key_line, e.key_col)),
            value: pos(e.line, e.col),
        }
    }

    /// Follows `pointer` as far as it goes: the last record reached and
    /// whether the whole pointer was consumed.
    fn walk(&self, pointer: &str) -> Option<(usize, bool)> {
        if self.entries.is_empty() {
            return None;
        }
        let mut idx = 0;
        if pointer.is_empty() {
            return Some((idx, true));
        }
        let rest = pointer.strip_prefix('/')?;
        for raw in rest.split('/') {
            let segment = unescape(raw)?;
            let entry = &self.entries[idx];
            let child = match entry.kind {
                NodeKind::Alias => return Some((idx, true)),
                NodeKind::Scalar => None,
                NodeKind::Mapping => self.children(idx).find(|&c| self.key(c) == Some(&*segment)),
                NodeKind::Sequence => segment
                    .parse::<usize>()
                    .ok()
                    .filter(|_| segment == "0" || !segment.starts_with('0'))
                    .and_then(|n| self.children(idx).nth(n)),
            };
            match child {
                Some(c) => idx = c,
                None => return Some((idx, false)),
            }
        }
        Some((idx, true))
    }

    fn children(&self, idx: usize) -> impl Iterator<Item = usize> + '_ {
        let end = self.entries[idx].end as usize;
        let mut next = idx + 1;
        std::iter::from_fn(move || {
            (next < end).then(|| {
                let c = next;
                next = (self.entries[c].end as usize).max(c + 1);
                c
            })
        })
    }

    fn key(&self, idx: usize) -> Option<&str> {
        let e = &self.entries[idx];
        (e.key_len != NO_KEY)
            .then(|| {
                self.keys
                    .get(e.key_start as usize..(e.key_start + e.key_len) as usize)
            })
            .flatten()
    }

    /// Starts a record for a sequence item or the document root.
    pub(crate) fn push_item(&mut self) -> usize {
        self.entries.push(Entry {
            key_start: 0,
            key_len: NO_KEY,
            key_line: 0,
            key_col: 0,
            line: 0,
            col: 0,
            end: 0,
            kind: NodeKind::Scalar,
        });
        self.entries.len() - 1
    }

    /// Starts a record for a mapping member whose key starts at `pos`.
    pub(crate) fn push_key(&mut self, key: &str, pos: Position) -> usize {
        let key_start = narrow(self.keys.len());
        self.keys.push_str(key);
        self.entries.push(Entry {
            key_start,
            key_len: narrow(key.len()),
            key_line: narrow(pos.line),
            key_col: narrow(pos.column),
            line: 0,
            col: 0,
            end: 0,
            kind: NodeKind::Scalar,
        });
        self.entries.len() - 1
    }

    /// Records where the node of record `idx` starts and what it is.
    pub(crate) fn set_node(&mut self, idx: usize, pos: Position, kind: NodeKind) {
        if let Some(e) = self.entries.get_mut(idx) {
            e.line = narrow(pos.line);
            e.col = narrow(pos.column);
            e.kind = kind;
        }
    }

    /// Closes record `idx`: its subtree is everything recorded since.
    pub(crate) fn close(&mut self, idx: usize) {
        let end = narrow(self.entries.len());
        if let Some(e) = self.entries.get_mut(idx) {
            e.end = end;
        }
    }

    /// The key position of record `idx` (for errors about the key).
    pub(crate) fn key_position(&self, idx: usize) -> Option<Position> {
        self.entries.get(idx).and_then(|_| self.location(idx).key)
    }
}

/// Undoes RFC 6901 escaping of one reference token.
fn unescape(raw: &str) -> Option<std::borrow::Cow<'_, str>> {
    if !raw.contains('~') {
        return Some(raw.into());
    }
    let mut out = String::with_capacity(raw.len());
    let mut chars = raw.chars();
    while let Some(c) = chars.next() {
        if c == '~' {
            match chars.next() {
                Some('0') => out.push('~'),
                Some('1') => out.push('/'),
                _ => return None,
            }
        } else {
            out.push(c);
        }
    }
    Some(out.into())
}
