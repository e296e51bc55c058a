//! A serialized value as a compact tree: what the YAML writer walks.
//!
//! The writer needs every mapping's keys sorted (PyYAML's `sort_keys=True`)
//! while serde hands over struct fields in declaration order, so a value is
//! first serialized into this tree and then written. Unlike a
//! `serde_json::Value`, the tree lives in a few flat buffers (nodes, mapping
//! entries, sequence items and one string of text) and borrows struct field
//! names instead of copying them, so building and dropping it costs a
//! handful of allocations rather than one per node.
//!
//! A tree can also leave out the values of chosen maps ([`Tree::add_sectioned`]):
//! the `components`, executors and tasks of a pipeline, whose values the
//! writer then serializes one at a time into a small scratch tree as it
//! reaches them. So the tree of a pipeline stays small however many tasks
//! it has, and writing a large pipeline works in the cache.

use std::fmt;

use serde::ser::{self, Serialize};

/// Where a node is in [`Tree::nodes`].
pub(crate) type NodeId = usize;

/// The text of a string node or mapping key.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Text {
    /// A struct field or enum variant name.
    Static(&'static str),
    /// A range of [`Tree::text`].
    Owned { start: usize, end: usize },
}

/// One node. Collections refer to a range of [`Tree::entries`] or
/// [`Tree::items`].
#[derive(Debug, Clone, Copy)]
enum Node {
    Null,
    Bool(bool),
    I64(i64),
    U64(u64),
    F64(f64),
    Str(Text),
    Seq {
        start: usize,
        end: usize,
    },
    Map {
        start: usize,
        end: usize,
    },
    /// A value left out: the `index`th value of the map at `section`.
    Deferred {
        section: usize,
        index: usize,
    },
}

/// A node as the writer sees it.
#[derive(Debug, Clone, Copy)]
pub(crate) enum View<'t> {
    /// `null`.
    Null,
    /// `true` or `false`.
    Bool(bool),
    /// An integer.
    I64(i64),
    /// A non-negative integer beyond `i64`.
    U64(u64),
    /// A finite float.
    F64(f64),
    /// A string.
    Str(&'t str),
    /// A sequence: its items.
    Seq(&'t [NodeId]),
    /// A mapping: its entries, sorted by key.
    Map(&'t [(Text, NodeId)]),
    /// A value left out of the tree ([`Tree::add_sectioned`]): the
    /// `index`th value (in key order) of the map at path `section`.
    Deferred {
        /// Which of the section paths.
        section: usize,
        /// Which value of that map.
        index: usize,
    },
}

/// The paths, from a document's root through struct fields, of maps whose
/// values [`Tree::add_sectioned`] leaves out.
pub(crate) type Sections = &'static [&'static [&'static str]];

/// A serialized value; see the module doc.
#[derive(Debug, Default)]
pub(crate) struct Tree {
    nodes: Vec<Node>,
    entries: Vec<(Text, NodeId)>,
    items: Vec<NodeId>,
    text: String,
    /// Entries and items of the collections being built, innermost last.
    pending_entries: Vec<(Text, NodeId)>,
    pending_items: Vec<NodeId>,
    /// While a document is added with sections: their paths, the struct
    /// fields leading to the value being serialized, how many levels below
    /// a step that is not a struct field it is (no section lies there), and
    /// how many values each section has left out so far.
    sections: Sections,
    path: Vec<&'static str>,
    off_path: usize,
    deferred: Vec<usize>,
}

/// Why a value could not be serialized into a [`Tree`].
#[derive(Debug, thiserror::Error)]
#[error("{0}")]
pub struct TreeError(String);

impl ser::Error for TreeError {
    fn custom<T: fmt::Display>(msg: T) -> Self {
        TreeError(msg.to_string())
    }
}

impl Tree {
    /// Serializes `value` into a new tree; returns the tree and its root.
    #[cfg(test)]
    pub(crate) fn build<T: Serialize + ?Sized>(value: &T) -> Result<(Tree, NodeId), TreeError> {
        let mut tree = Tree::default();
        let root = value.serialize(&mut tree)?;
        Ok((tree, root))
    }

    /// Adds another value to this tree (a second document); returns its
    /// root.
    pub(crate) fn add<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<NodeId, TreeError> {
        value.serialize(self)
    }

    /// Adds `value` as [`add`](Self::add) does, but leaves out the values
    /// of the maps at the paths `sections` (struct field names from the
    /// root, e.g. `["root", "dag", "tasks"]`): each is a
    /// [`View::Deferred`] node, numbered in the order serde handed them
    /// over. Returns the root and how many values each section left out.
    pub(crate) fn add_sectioned<T: Serialize + ?Sized>(
        &mut self,
        value: &T,
        sections: Sections,
    ) -> Result<(NodeId, Vec<usize>), TreeError> {
        self.sections = sections;
        self.path.clear();
        self.off_path = 0;
        self.deferred = vec![0; sections.len()];
        let root = value.serialize(&mut *self);
        self.sections = &[];
        Ok((root?, std::mem::take(&mut self.deferred)))
    }

    /// Empties the tree, keeping its buffers for the next value.
    pub(crate) fn clear(&mut self) {
        self.nodes.clear();
        self.entries.clear();
        self.items.clear();
        self.text.clear();
        self.pending_entries.clear();
        self.pending_items.clear();
    }

    /// Serializes `value` one level down: as the struct field `field`, or
    /// (`None`) as a map value, a sequence item or a variant's content.
    /// Keeps track of the path only while sections are asked for.
    fn nested<T: Serialize + ?Sized>(
        &mut self,
        field: Option<&'static str>,
        value: &T,
    ) -> Result<NodeId, TreeError> {
        if self.sections.is_empty() {
            return value.serialize(self);
        }
        match field {
            Some(field) if self.off_path == 0 => {
                self.path.push(field);
                let id = value.serialize(&mut *self);
                self.path.pop();
                id
            }
            _ => {
                self.off_path += 1;
                let id = value.serialize(&mut *self);
                self.off_path -= 1;
                id
            }
        }
    }

    /// The section whose map is the value being serialized, if any.
    fn section_here(&self) -> Option<usize> {
        if self.sections.is_empty() || self.off_path > 0 {
            return None;
        }
        self.sections
            .iter()
            .position(|p| *p == self.path.as_slice())
    }

    /// What node `id` is.
    #[inline]
    pub(crate) fn view(&self, id: NodeId) -> View<'_> {
        match self.nodes[id] {
            Node::Null => View::Null,
            Node::Bool(b) => View::Bool(b),
            Node::I64(n) => View::I64(n),
            Node::U64(n) => View::U64(n),
            Node::F64(f) => View::F64(f),
            Node::Str(text) => View::Str(self.str(text)),
            Node::Seq { start, end } => View::Seq(&self.items[start..end]),
            Node::Map { start, end } => View::Map(&self.entries[start..end]),
            Node::Deferred { section, index } => View::Deferred { section, index },
        }
    }

    /// How many nodes the tree has.
    pub(crate) fn node_count(&self) -> usize {
        self.nodes.len()
    }

    /// How many bytes of string text the tree holds.
    pub(crate) fn text_len(&self) -> usize {
        self.text.len()
    }

    /// The text of a key or string.
    pub(crate) fn str(&self, text: Text) -> &str {
        match text {
            Text::Static(s) => s,
            Text::Owned { start, end } => &self.text[start..end],
        }
    }

    fn push(&mut self, node: Node) -> NodeId {
        self.nodes.push(node);
        self.nodes.len() - 1
    }

    fn owned(&mut self, s: &str) -> Text {
        let start = self.text.len();
        self.text.push_str(s);
        Text::Owned {
            start,
            end: self.text.len(),
        }
    }

    /// Closes the mapping whose entries start at `from` in the pending
    /// entries: sorts them by key, as Python's `sorted` orders strings (by
    /// code point, which is UTF-8 byte order).
    fn close_map(&mut self, from: usize) -> NodeId {
        let Tree {
            pending_entries,
            entries,
            text,
            ..
        } = self;
        let key = |t: &Text| -> &str {
            match *t {
                Text::Static(s) => s,
                Text::Owned { start, end } => &text[start..end],
            }
        };
        let pending = &mut pending_entries[from..];
        if !pending.is_sorted_by(|a, b| key(&a.0) <= key(&b.0)) {
            pending.sort_by(|a, b| key(&a.0).cmp(key(&b.0)));
        }
        let start = entries.len();
        entries.extend(pending_entries.drain(from..));
        let end = entries.len();
        self.push(Node::Map { start, end })
    }

    fn close_seq(&mut self, from: usize) -> NodeId {
        let start = self.items.len();
        self.items.extend(self.pending_items.drain(from..));
        let end = self.items.len();
        self.push(Node::Seq { start, end })
    }

    /// A mapping with one entry, `{variant: value}`: how serde's externally
    /// tagged enums look in JSON.
    fn single_entry(&mut self, variant: &'static str, value: NodeId) -> NodeId {
        let from = self.pending_entries.len();
        self.pending_entries.push((Text::Static(variant), value));
        self.close_map(from)
    }
}

impl<'t> ser::Serializer for &'t mut Tree {
    type Ok = NodeId;
    type Error = TreeError;
    type SerializeSeq = SeqBuilder<'t>;
    type SerializeTuple = SeqBuilder<'t>;
    type SerializeTupleStruct = SeqBuilder<'t>;
    type SerializeTupleVariant = SeqBuilder<'t>;
    type SerializeMap = MapBuilder<'t>;
    type SerializeStruct = MapBuilder<'t>;
    type SerializeStructVariant = MapBuilder<'t>;

    fn serialize_bool(self, v: bool) -> Result<NodeId, TreeError> {
        Ok(self.push(Node::Bool(v)))
    }
    fn serialize_i8(self, v: i8) -> Result<NodeId, TreeError> {
        self.serialize_i64(v.into())
    }
    fn serialize_i16(self, v: i16) -> Result<NodeId, TreeError> {
        self.serialize_i64(v.into())
    }
    fn serialize_i32(self, v: i32) -> Result<NodeId, TreeError> {
        self.serialize_i64(v.into())
    }
    fn serialize_i64(self, v: i64) -> Result<NodeId, TreeError> {
        Ok(self.push(Node::I64(v)))
    }
    fn serialize_i128(self, v: i128) -> Result<NodeId, TreeError> {
        match (i64::try_from(v), u64::try_from(v)) {
            (Ok(n), _) => self.serialize_i64(n),
            (_, Ok(n)) => self.serialize_u64(n),
            _ => Err(TreeError(format!("the number {v} is out of range"))),
        }
    }
    fn serialize_u8(self, v: u8) -> Result<NodeId, TreeError> {
        self.serialize_i64(v.into())
    }
    fn serialize_u16(self, v: u16) -> Result<NodeId, TreeError> {
        self.serialize_i64(v.into())
    }
    fn serialize_u32(self, v: u32) -> Result<NodeId, TreeError> {
        self.serialize_i64(v.into())
    }
    fn serialize_u64(self, v: u64) -> Result<NodeId, TreeError> {
        Ok(match i64::try_from(v) {
            Ok(n) => self.push(Node::I64(n)),
            Err(_) => self.push(Node::U64(v)),
        })
    }
    fn serialize_u128(self, v: u128) -> Result<NodeId, TreeError> {
        match u64::try_from(v) {
            Ok(n) => self.serialize_u64(n),
            Err(_) => Err(TreeError(format!("the number {v} is out of range"))),
        }
    }
    fn serialize_f32(self, v: f32) -> Result<NodeId, TreeError> {
        self.serialize_f64(v.into())
    }
    fn serialize_f64(self, v: f64) -> Result<NodeId, TreeError> {
        // As `serde_json::to_value`: JSON has no NaN or infinity.
        Ok(self.push(if v.is_finite() {
            Node::F64(v)
        } else {
            Node::Null
        }))
    }
    fn serialize_char(self, v: char) -> Result<NodeId, TreeError> {
        self.serialize_str(v.encode_utf8(&mut [0; 4]))
    }
    fn serialize_str(self, v: &str) -> Result<NodeId, TreeError> {
        let text = self.owned(v);
        Ok(self.push(Node::Str(text)))
    }
    fn serialize_bytes(self, v: &[u8]) -> Result<NodeId, TreeError> {
        let from = self.pending_items.len();
        for &b in v {
            let id = self.serialize_i64(b.into())?;
            self.pending_items.push(id);
        }
        Ok(self.close_seq(from))
    }
    fn serialize_none(self) -> Result<NodeId, TreeError> {
        self.serialize_unit()
    }
    fn serialize_some<T: Serialize + ?Sized>(self, value: &T) -> Result<NodeId, TreeError> {
        value.serialize(self)
    }
    fn serialize_unit(self) -> Result<NodeId, TreeError> {
        Ok(self.push(Node::Null))
    }
    fn serialize_unit_struct(self, _name: &'static str) -> Result<NodeId, TreeError> {
        self.serialize_unit()
    }
    fn serialize_unit_variant(
        self,
        _name: &'static str,
        _index: u32,
        variant: &'static str,
    ) -> Result<NodeId, TreeError> {
        Ok(self.push(Node::Str(Text::Static(variant))))
    }
    fn serialize_newtype_struct<T: Serialize + ?Sized>(
        self,
        _name: &'static str,
        value: &T,
    ) -> Result<NodeId, TreeError> {
        value.serialize(self)
    }
    fn serialize_newtype_variant<T: Serialize + ?Sized>(
        self,
        _name: &'static str,
        _index: u32,
        variant: &'static str,
        value: &T,
    ) -> Result<NodeId, TreeError> {
        let value = self.nested(None, value)?;
        Ok(self.single_entry(variant, value))
    }
    fn serialize_seq(self, _len: Option<usize>) -> Result<SeqBuilder<'t>, TreeError> {
        let from = self.pending_items.len();
        Ok(SeqBuilder {
            tree: self,
            from,
            variant: None,
        })
    }
    fn serialize_tuple(self, len: usize) -> Result<SeqBuilder<'t>, TreeError> {
        self.serialize_seq(Some(len))
    }
    fn serialize_tuple_struct(
        self,
        _name: &'static str,
        len: usize,
    ) -> Result<SeqBuilder<'t>, TreeError> {
        self.serialize_seq(Some(len))
    }
    fn serialize_tuple_variant(
        self,
        _name: &'static str,
        _index: u32,
        variant: &'static str,
        len: usize,
    ) -> Result<SeqBuilder<'t>, TreeError> {
        let mut seq = self.serialize_seq(Some(len))?;
        seq.variant = Some(variant);
        Ok(seq)
    }
    fn serialize_map(self, _len: Option<usize>) -> Result<MapBuilder<'t>, TreeError> {
        let defer = self.section_here();
        Ok(MapBuilder::new(self, defer))
    }
    fn serialize_struct(
        self,
        _name: &'static str,
        _len: usize,
    ) -> Result<MapBuilder<'t>, TreeError> {
        Ok(MapBuilder::new(self, None))
    }
    fn serialize_struct_variant(
        self,
        _name: &'static str,
        _index: u32,
        variant: &'static str,
        _len: usize,
    ) -> Result<MapBuilder<'t>, TreeError> {
        let mut map = MapBuilder::new(self, None);
        map.variant = Some(variant);
        Ok(map)
    }
}

/// A sequence being serialized.
pub(crate) struct SeqBuilder<'t> {
    tree: &'t mut Tree,
    from: usize,
    /// For a tuple variant: the variant, its key in the wrapping mapping.
    variant: Option<&'static str>,
}

impl SeqBuilder<'_> {
    fn element<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), TreeError> {
        let id = self.tree.nested(None, value)?;
        self.tree.pending_items.push(id);
        Ok(())
    }

    fn finish(self) -> NodeId {
        let seq = self.tree.close_seq(self.from);
        match self.variant {
            Some(variant) => self.tree.single_entry(variant, seq),
            None => seq,
        }
    }
}

impl ser::SerializeSeq for SeqBuilder<'_> {
    type Ok = NodeId;
    type Error = TreeError;
    fn serialize_element<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), TreeError> {
        self.element(value)
    }
    fn end(self) -> Result<NodeId, TreeError> {
        Ok(self.finish())
    }
}

impl ser::SerializeTuple for SeqBuilder<'_> {
    type Ok = NodeId;
    type Error = TreeError;
    fn serialize_element<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), TreeError> {
        self.element(value)
    }
    fn end(self) -> Result<NodeId, TreeError> {
        Ok(self.finish())
    }
}

impl ser::SerializeTupleStruct for SeqBuilder<'_> {
    type Ok = NodeId;
    type Error = TreeError;
    fn serialize_field<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), TreeError> {
        self.element(value)
    }
    fn end(self) -> Result<NodeId, TreeError> {
        Ok(self.finish())
    }
}

impl ser::SerializeTupleVariant for SeqBuilder<'_> {
    type Ok = NodeId;
    type Error = TreeError;
    fn serialize_field<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), TreeError> {
        self.element(value)
    }
    fn end(self) -> Result<NodeId, TreeError> {
        Ok(self.finish())
    }
}

/// A mapping or struct being serialized.
pub(crate) struct MapBuilder<'t> {
    tree: &'t mut Tree,
    from: usize,
    /// The key whose value comes next (`SerializeMap` gives them apart).
    key: Option<Text>,
    /// For a struct variant: the variant, its key in the wrapping mapping.
    variant: Option<&'static str>,
    /// For the map of a section: which one. Its values are left out.
    defer: Option<usize>,
}

impl<'t> MapBuilder<'t> {
    fn new(tree: &'t mut Tree, defer: Option<usize>) -> Self {
        let from = tree.pending_entries.len();
        MapBuilder {
            tree,
            from,
            key: None,
            variant: None,
            defer,
        }
    }

    /// Adds the entry `key`, with `value` as the struct field `field` or
    /// (`None`) as a map value.
    fn entry<T: Serialize + ?Sized>(
        &mut self,
        key: Text,
        field: Option<&'static str>,
        value: &T,
    ) -> Result<(), TreeError> {
        // A struct variant's fields are a level below its variant.
        let field = field.filter(|_| self.variant.is_none());
        let id = match self.defer {
            Some(section) => {
                let index = self.tree.deferred[section];
                self.tree.deferred[section] += 1;
                self.tree.push(Node::Deferred { section, index })
            }
            None => self.tree.nested(field, value)?,
        };
        self.tree.pending_entries.push((key, id));
        Ok(())
    }

    fn finish(self) -> NodeId {
        let map = self.tree.close_map(self.from);
        match self.variant {
            Some(variant) => self.tree.single_entry(variant, map),
            None => map,
        }
    }
}

impl ser::SerializeMap for MapBuilder<'_> {
    type Ok = NodeId;
    type Error = TreeError;
    fn serialize_key<T: Serialize + ?Sized>(&mut self, key: &T) -> Result<(), TreeError> {
        self.key = Some(key.serialize(KeySerializer(&mut *self.tree))?);
        Ok(())
    }
    fn serialize_value<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), TreeError> {
        let key = self
            .key
            .take()
            .ok_or_else(|| TreeError("a map value came without its key".into()))?;
        self.entry(key, None, value)
    }
    fn end(self) -> Result<NodeId, TreeError> {
        Ok(self.finish())
    }
}

impl ser::SerializeStruct for MapBuilder<'_> {
    type Ok = NodeId;
    type Error = TreeError;
    fn serialize_field<T: Serialize + ?Sized>(
        &mut self,
        key: &'static str,
        value: &T,
    ) -> Result<(), TreeError> {
        self.entry(Text::Static(key), Some(key), value)
    }
    fn end(self) -> Result<NodeId, TreeError> {
        Ok(self.finish())
    }
}

impl ser::SerializeStructVariant for MapBuilder<'_> {
    type Ok = NodeId;
    type Error = TreeError;
    fn serialize_field<T: Serialize + ?Sized>(
        &mut self,
        key: &'static str,
        value: &T,
    ) -> Result<(), TreeError> {
        self.entry(Text::Static(key), Some(key), value)
    }
    fn end(self) -> Result<NodeId, TreeError> {
        Ok(self.finish())
    }
}

/// Serializes a mapping key: a string, or a number or bool written as
/// text, as `serde_json` does.
struct KeySerializer<'t>(&'t mut Tree);

fn key_must_be_a_string() -> TreeError {
    TreeError("a mapping key must be a string".into())
}

macro_rules! display_keys {
    ($($method:ident: $ty:ty),*) => {$(
        fn $method(self, v: $ty) -> Result<Text, TreeError> {
            Ok(self.0.owned(&v.to_string()))
        }
    )*};
}

impl ser::Serializer for KeySerializer<'_> {
    type Ok = Text;
    type Error = TreeError;
    type SerializeSeq = ser::Impossible<Text, TreeError>;
    type SerializeTuple = ser::Impossible<Text, TreeError>;
    type SerializeTupleStruct = ser::Impossible<Text, TreeError>;
    type SerializeTupleVariant = ser::Impossible<Text, TreeError>;
    type SerializeMap = ser::Impossible<Text, TreeError>;
    type SerializeStruct = ser::Impossible<Text, TreeError>;
    type SerializeStructVariant = ser::Impossible<Text, TreeError>;

    display_keys!(
        serialize_bool: bool, serialize_i8: i8, serialize_i16: i16, serialize_i32: i32,
        serialize_i64: i64, serialize_i128: i128, serialize_u8: u8, serialize_u16: u16,
        serialize_u32: u32, serialize_u64: u64, serialize_u128: u128, serialize_char: char
    );

    fn serialize_str(self, v: &str) -> Result<Text, TreeError> {
        Ok(self.0.owned(v))
    }
    fn serialize_unit_variant(
        self,
        _name: &'static str,
        _index: u32,
        variant: &'static str,
    ) -> Result<Text, TreeError> {
        Ok(Text::Static(variant))
    }
    fn serialize_newtype_struct<T: Serialize + ?Sized>(
        self,
        _name: &'static str,
        value: &T,
    ) -> Result<Text, TreeError> {
        value.serialize(self)
    }
    fn serialize_f32(self, _: f32) -> Result<Text, TreeError> {
        Err(key_must_be_a_string())
    }
    fn serialize_f64(self, _: f64) -> Result<Text, TreeError> {
        Err(key_must_be_a_string())
    }
    fn serialize_bytes(self, _: &[u8]) -> Result<Text, TreeError> {
        Err(key_must_be_a_string())
    }
    fn serialize_none(self) -> Result<Text, TreeError> {
        Err(key_must_be_a_string())
    }
    fn serialize_some<T: Serialize + ?Sized>(self, _: &T) -> Result<Text, TreeError> {
        Err(key_must_be_a_string())
    }
    fn serialize_unit(self) -> Result<Text, TreeError> {
        Err(key_must_be_a_string())
    }
    fn serialize_unit_struct(self, _: &'static str) -> Result<Text, TreeError> {
        Err(key_must_be_a_string())
    }
    fn serialize_newtype_variant<T: Serialize + ?Sized>(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
        _: &T,
    ) -> Result<Text, TreeError> {
        Err(key_must_be_a_string())
    }
    fn serialize_seq(self, _: Option<usize>) -> Result<Self::SerializeSeq, TreeError> {
        Err(key_must_be_a_string())
    }
    fn serialize_tuple(self, _: usize) -> Result<Self::SerializeTuple, TreeError> {
        Err(key_must_be_a_string())
    }
    fn serialize_tuple_struct(
        self,
        _: &'static str,
        _: usize,
    ) -> Result<Self::SerializeTupleStruct, TreeError> {
        Err(key_must_be_a_string())
    }
    fn serialize_tuple_variant(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
        _: usize,
    ) -> Result<Self::SerializeTupleVariant, TreeError> {
        Err(key_must_be_a_string())
    }
    fn serialize_map(self, _: Option<usize>) -> Result<Self::SerializeMap, TreeError> {
        Err(key_must_be_a_string())
    }
    fn serialize_struct(
        self,
        _: &'static str,
        _: usize,
    ) -> Result<Self::SerializeStruct, TreeError> {
        Err(key_must_be_a_string())
    }
    fn serialize_struct_variant(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
        _: usize,
    ) -> Result<Self::SerializeStructVariant, TreeError> {
        Err(key_must_be_a_string())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    /// The tree read back as JSON, to compare with `serde_json::to_value`.
    fn to_json(tree: &Tree, id: NodeId) -> serde_json::Value {
        match tree.view(id) {
            View::Null => serde_json::Value::Null,
            View::Bool(b) => b.into(),
            View::I64(n) => n.into(),
            View::U64(n) => n.into(),
            View::F64(f) => f.into(),
            View::Str(s) => s.into(),
            View::Seq(items) => items.iter().map(|&i| to_json(tree, i)).collect(),
            View::Deferred { .. } => unreachable!("no sections in these trees"),
            View::Map(entries) => {
                let keys: Vec<&str> = entries.iter().map(|(k, _)| tree.str(*k)).collect();
                assert!(keys.is_sorted(), "{keys:?}");
                entries
                    .iter()
                    .map(|(k, v)| (tree.str(*k).to_owned(), to_json(tree, *v)))
                    .collect::<serde_json::Map<_, _>>()
                    .into()
            }
        }
    }

    #[derive(serde::Serialize)]
    #[serde(rename_all = "camelCase")]
    struct Unsorted {
        zeta: u8,
        alpha: Option<&'static str>,
        middle: Vec<Shape>,
        #[serde(skip_serializing_if = "Option::is_none")]
        skipped: Option<u8>,
        #[serde(flatten)]
        extra: std::collections::BTreeMap<String, f32>,
    }

    #[derive(serde::Serialize)]
    enum Shape {
        Point,
        Circle(f64),
        Pair(i8, u64),
        Rect { w: u32, h: i128 },
    }

    #[test]
    fn builds_what_serde_json_builds_with_keys_sorted() {
        let value = Unsorted {
            zeta: 7,
            alpha: None,
            middle: vec![
                Shape::Point,
                Shape::Circle(f64::NAN),
                Shape::Pair(-1, u64::MAX),
                Shape::Rect { w: 2, h: -3 },
            ],
            skipped: None,
            extra: [("b".to_owned(), 0.5), ("é".to_owned(), 1.0)].into(),
        };
        let (tree, root) = Tree::build(&value).unwrap();
        assert_eq!(to_json(&tree, root), serde_json::to_value(&value).unwrap());
    }

    #[test]
    fn takes_json_values_and_keys_of_other_types() {
        let value = json!({"b": [1, -2, 3.5, "x", null, true, {}], "a": {"z": [], "y": {"x": 1}}});
        let (tree, root) = Tree::build(&value).unwrap();
        assert_eq!(to_json(&tree, root), value);

        let numbers: std::collections::BTreeMap<i32, char> = [(10, 'a'), (9, 'b')].into();
        let (tree, root) = Tree::build(&numbers).unwrap();
        assert_eq!(to_json(&tree, root), json!({"10": "a", "9": "b"}));

        let bad: std::collections::BTreeMap<Vec<u8>, u8> = [(vec![1], 1)].into();
        let err = Tree::build(&bad).unwrap_err();
        assert_eq!(err.to_string(), "a mapping key must be a string");
    }

    #[test]
    fn holds_several_documents() {
        let (mut tree, first) = Tree::build(&json!({"a": 1})).unwrap();
        let second = tree.add(&json!(["b"])).unwrap();
        assert_eq!(to_json(&tree, first), json!({"a": 1}));
        assert_eq!(to_json(&tree, second), json!(["b"]));
    }
}
