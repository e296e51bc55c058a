//! [`VecMap`]: a map sorted by key, held in one vector.
//!
//! The IR is full of small maps: every component declares a few inputs and
//! outputs, every task binds a few arguments. A `BTreeMap` gives even a
//! one-entry map a node with room for eleven entries: for the inputs of a
//! component that is over a kilobyte, several times what the entry itself
//! takes, and those nodes dominated the memory (and so the time) of
//! compiling a large pipeline. A `VecMap` holds its entries in key order in
//! one allocation, with little room to spare: it grows from one entry by
//! doubling (a `Vec` starts at four, which for a one-entry map of artifact
//! specs would leave half a kilobyte unused). It serializes, compares and
//! iterates like the `BTreeMap` it replaces.
//!
//! The maps that grow with the pipeline (components, executors, the tasks
//! of a DAG) are `VecMap`s too: their entries lie in key order in one
//! block, which is the order they are validated and written in, and which
//! a compiler that sorts its entries once hands over without moving them
//! again (a `BTreeMap` is built by moving every entry into its nodes).
//!
//! Lookups are a binary search. Inserting shifts the entries after the new
//! key (appending in key order does not), so building a map of many
//! thousands of entries one `insert` at a time in any other order is slow:
//! collect or [`Extend`] it instead, which sorts once.

use std::borrow::{Borrow, Cow};
use std::collections::BTreeMap;
use std::fmt;
use std::marker::PhantomData;
use std::ops::Index;

use schemars::{JsonSchema, Schema, SchemaGenerator};
use serde::de::{Deserialize, Deserializer, MapAccess, Visitor};
use serde::ser::{Serialize, SerializeMap, Serializer};

/// A map sorted by key, held in one vector; see the [module doc](self).
///
/// ```
/// use kfp_ir_schema::VecMap;
///
/// let mut inputs: VecMap<String, i64> = [("b".to_owned(), 2), ("a".to_owned(), 1)].into();
/// inputs.insert("c".to_owned(), 3);
/// assert_eq!(inputs.get("a"), Some(&1));
/// assert_eq!(inputs.keys().collect::<Vec<_>>(), ["a", "b", "c"]);
/// assert_eq!(serde_json::to_string(&inputs).unwrap(), r#"{"a":1,"b":2,"c":3}"#);
/// ```
#[derive(Clone, PartialEq, Eq, Hash)]
pub struct VecMap<K, V> {
    /// Sorted by key; no key twice.
    entries: Vec<(K, V)>,
}

impl<K, V> VecMap<K, V> {
    /// An empty map; it allocates nothing.
    pub const fn new() -> Self {
        VecMap {
            entries: Vec::new(),
        }
    }

    /// How many entries the map has.
    pub fn len(&self) -> usize {
        self.entries.len()
    }

    /// Whether the map has no entries.
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// Removes every entry.
    pub fn clear(&mut self) {
        self.entries.clear();
    }

    /// The entries, in key order.
    pub fn iter(&self) -> Iter<'_, K, V> {
        Iter(self.entries.iter())
    }

    /// The entries, in key order, with their values mutable.
    pub fn iter_mut(&mut self) -> IterMut<'_, K, V> {
        IterMut(self.entries.iter_mut())
    }

    /// The keys, in order.
    pub fn keys(&self) -> impl DoubleEndedIterator<Item = &K> + ExactSizeIterator {
        self.entries.iter().map(|(k, _)| k)
    }

    /// The values, in the order of their keys.
    pub fn values(&self) -> impl DoubleEndedIterator<Item = &V> + ExactSizeIterator {
        self.entries.iter().map(|(_, v)| v)
    }

    /// The values, mutable, in the order of their keys.
    pub fn values_mut(&mut self) -> impl DoubleEndedIterator<Item = &mut V> + ExactSizeIterator {
        self.entries.iter_mut().map(|(_, v)| v)
    }

    /// The entries as a slice, in key order.
    pub fn as_slice(&self) -> &[(K, V)] {
        &self.entries
    }

    /// The entry with the smallest key.
    pub fn first_key_value(&self) -> Option<(&K, &V)> {
        self.entries.first().map(|(k, v)| (k, v))
    }

    /// The entry with the largest key.
    pub fn last_key_value(&self) -> Option<(&K, &V)> {
        self.entries.last().map(|(k, v)| (k, v))
    }

    /// Keeps only the entries for which `keep` returns true.
    pub fn retain(&mut self, mut keep: impl FnMut(&K, &mut V) -> bool) {
        self.entries.retain_mut(|(k, v)| keep(k, v));
    }
}

impl<K: Ord, V> VecMap<K, V> {
    /// Where `key` is, or where it would go.
    fn search<Q: Ord + ?Sized>(&self, key: &Q) -> Result<usize, usize>
    where
        K: Borrow<Q>,
    {
        self.entries.binary_search_by(|(k, _)| k.borrow().cmp(key))
    }

    /// The value of `key`.
    pub fn get<Q: Ord + ?Sized>(&self, key: &Q) -> Option<&V>
    where
        K: Borrow<Q>,
    {
        self.search(key).ok().map(|i| &self.entries[i].1)
    }

    /// The key and value of `key`.
    pub fn get_key_value<Q: Ord + ?Sized>(&self, key: &Q) -> Option<(&K, &V)>
    where
        K: Borrow<Q>,
    {
        self.search(key).ok().map(|i| {
            let (k, v) = &self.entries[i];
            (k, v)
        })
    }

    /// The value of `key`, mutable.
    pub fn get_mut<Q: Ord + ?Sized>(&mut self, key: &Q) -> Option<&mut V>
    where
        K: Borrow<Q>,
    {
        self.search(key).ok().map(|i| &mut self.entries[i].1)
    }

    /// Whether the map has `key`.
    pub fn contains_key<Q: Ord + ?Sized>(&self, key: &Q) -> bool
    where
        K: Borrow<Q>,
    {
        self.search(key).is_ok()
    }

    /// Sets the value of `key`; returns the value it replaces. The key
    /// already in the map, if any, is kept (as `BTreeMap::insert` does).
    pub fn insert(&mut self, key: K, value: V) -> Option<V> {
        // Appending in key order, the common case, skips the search.
        if self.entries.last().is_none_or(|(last, _)| *last < key) {
            self.reserve_one();
            self.entries.push((key, value));
            return None;
        }
        match self.search(&key) {
            Ok(i) => Some(std::mem::replace(&mut self.entries[i].1, value)),
            Err(i) => {
                self.reserve_one();
                self.entries.insert(i, (key, value));
                None
            }
        }
    }

    /// Removes `key`; returns its value.
    pub fn remove<Q: Ord + ?Sized>(&mut self, key: &Q) -> Option<V>
    where
        K: Borrow<Q>,
    {
        self.search(key).ok().map(|i| self.entries.remove(i).1)
    }

    /// The value of `key`, inserting `default()` first if the map has no
    /// such key.
    pub fn get_or_insert_with(&mut self, key: K, default: impl FnOnce() -> V) -> &mut V {
        let i = match self.search(&key) {
            Ok(i) => i,
            Err(i) => {
                self.reserve_one();
                self.entries.insert(i, (key, default()));
                i
            }
        };
        &mut self.entries[i].1
    }

    /// Makes room for one more entry: none spare gives room for as many
    /// again, at least one (where a `Vec` would start at four).
    fn reserve_one(&mut self) {
        let len = self.entries.len();
        if len == self.entries.capacity() {
            self.entries.reserve_exact(len.max(1));
        }
    }

    /// Sorts `entries` by key and keeps, of equal keys, the first key with
    /// the last value: what inserting them one by one would give. Gives
    /// back the room of a vector that is more than half empty (one collected
    /// from an iterator of unknown length starts at four).
    fn from_unsorted(mut entries: Vec<(K, V)>) -> Self {
        if !entries.is_sorted_by(|a, b| a.0 < b.0) {
            entries.sort_by(|a, b| a.0.cmp(&b.0));
            entries.dedup_by(|later, kept| {
                let same = later.0 == kept.0;
                if same {
                    std::mem::swap(&mut later.1, &mut kept.1);
                }
                same
            });
        }
        if entries.len() < entries.capacity() / 2 {
            entries.shrink_to_fit();
        }
        VecMap { entries }
    }
}

impl<K, V> Default for VecMap<K, V> {
    fn default() -> Self {
        Self::new()
    }
}

impl<K: fmt::Debug, V: fmt::Debug> fmt::Debug for VecMap<K, V> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_map().entries(self.iter()).finish()
    }
}

impl<K: Ord, V> FromIterator<(K, V)> for VecMap<K, V> {
    fn from_iter<I: IntoIterator<Item = (K, V)>>(iter: I) -> Self {
        Self::from_unsorted(iter.into_iter().collect())
    }
}

impl<K: Ord, V> Extend<(K, V)> for VecMap<K, V> {
    fn extend<I: IntoIterator<Item = (K, V)>>(&mut self, iter: I) {
        let mut entries = std::mem::take(&mut self.entries);
        entries.extend(iter);
        *self = Self::from_unsorted(entries);
    }
}

impl<K: Ord, V, const N: usize> From<[(K, V); N]> for VecMap<K, V> {
    fn from(entries: [(K, V); N]) -> Self {
        Self::from_iter(entries)
    }
}

impl<K: Ord, V> From<BTreeMap<K, V>> for VecMap<K, V> {
    fn from(map: BTreeMap<K, V>) -> Self {
        // Already sorted and unique.
        VecMap {
            entries: map.into_iter().collect(),
        }
    }
}

impl<K: Ord, V> From<VecMap<K, V>> for BTreeMap<K, V> {
    fn from(map: VecMap<K, V>) -> Self {
        map.entries.into_iter().collect()
    }
}

impl<K: Ord + Borrow<Q>, Q: Ord + ?Sized, V> Index<&Q> for VecMap<K, V> {
    type Output = V;

    /// The value of `key`.
    ///
    /// # Panics
    ///
    /// If the map has no such key, as `BTreeMap` does.
    fn index(&self, key: &Q) -> &V {
        self.get(key).expect("no entry found for key")
    }
}

/// The entries of a [`VecMap`], in key order.
#[derive(Clone, Debug)]
pub struct Iter<'a, K, V>(std::slice::Iter<'a, (K, V)>);

impl<'a, K, V> Iterator for Iter<'a, K, V> {
    type Item = (&'a K, &'a V);
    fn next(&mut self) -> Option<Self::Item> {
        self.0.next().map(|(k, v)| (k, v))
    }
    fn size_hint(&self) -> (usize, Option<usize>) {
        self.0.size_hint()
    }
}

impl<K, V> DoubleEndedIterator for Iter<'_, K, V> {
    fn next_back(&mut self) -> Option<Self::Item> {
        self.0.next_back().map(|(k, v)| (k, v))
    }
}

impl<K, V> ExactSizeIterator for Iter<'_, K, V> {}

/// The entries of a [`VecMap`], in key order, with mutable values.
#[derive(Debug)]
pub struct IterMut<'a, K, V>(std::slice::IterMut<'a, (K, V)>);

impl<'a, K, V> Iterator for IterMut<'a, K, V> {
    type Item = (&'a K, &'a mut V);
    fn next(&mut self) -> Option<Self::Item> {
        self.0.next().map(|(k, v)| (&*k, v))
    }
    fn size_hint(&self) -> (usize, Option<usize>) {
        self.0.size_hint()
    }
}

impl<K, V> DoubleEndedIterator for IterMut<'_, K, V> {
    fn next_back(&mut self) -> Option<Self::Item> {
        self.0.next_back().map(|(k, v)| (&*k, v))
    }
}

impl<K, V> ExactSizeIterator for IterMut<'_, K, V> {}

impl<'a, K, V> IntoIterator for &'a VecMap<K, V> {
    type Item = (&'a K, &'a V);
    type IntoIter = Iter<'a, K, V>;
    fn into_iter(self) -> Iter<'a, K, V> {
        self.iter()
    }
}

impl<'a, K, V> IntoIterator for &'a mut VecMap<K, V> {
    type Item = (&'a K, &'a mut V);
    type IntoIter = IterMut<'a, K, V>;
    fn into_iter(self) -> IterMut<'a, K, V> {
        self.iter_mut()
    }
}

impl<K, V> IntoIterator for VecMap<K, V> {
    type Item = (K, V);
    type IntoIter = std::vec::IntoIter<(K, V)>;
    /// The entries, in key order.
    fn into_iter(self) -> Self::IntoIter {
        self.entries.into_iter()
    }
}

impl<K: Serialize, V: Serialize> Serialize for VecMap<K, V> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut map = serializer.serialize_map(Some(self.len()))?;
        for (k, v) in self {
            map.serialize_entry(k, v)?;
        }
        map.end()
    }
}

impl<'de, K: Deserialize<'de> + Ord, V: Deserialize<'de>> Deserialize<'de> for VecMap<K, V> {
    /// Reads a map as `BTreeMap` does: of a key given twice, the last
    /// value counts.
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct MapVisitor<K, V>(PhantomData<(K, V)>);

        impl<'de, K: Deserialize<'de> + Ord, V: Deserialize<'de>> Visitor<'de> for MapVisitor<K, V> {
            type Value = VecMap<K, V>;

            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a map")
            }

            fn visit_map<A: MapAccess<'de>>(self, mut access: A) -> Result<Self::Value, A::Error> {
                let mut entries = Vec::with_capacity(access.size_hint().unwrap_or(0).min(64));
                while let Some(entry) = access.next_entry()? {
                    entries.push(entry);
                }
                Ok(VecMap::from_unsorted(entries))
            }
        }

        deserializer.deserialize_map(MapVisitor(PhantomData))
    }
}

/// The same schema as the `BTreeMap` it replaces: an object.
impl<K: JsonSchema, V: JsonSchema> JsonSchema for VecMap<K, V> {
    fn inline_schema() -> bool {
        <BTreeMap<K, V>>::inline_schema()
    }

    fn schema_name() -> Cow<'static, str> {
        <BTreeMap<K, V>>::schema_name()
    }

    fn schema_id() -> Cow<'static, str> {
        <BTreeMap<K, V>>::schema_id()
    }

    fn json_schema(generator: &mut SchemaGenerator) -> Schema {
        <BTreeMap<K, V>>::json_schema(generator)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn keys<V>(map: &VecMap<&'static str, V>) -> Vec<&'static str> {
        map.keys().copied().collect()
    }

    #[test]
    fn small_maps_keep_little_room_to_spare() {
        let mut map = VecMap::new();
        map.insert("b", [0u8; 100]);
        assert_eq!(map.entries.capacity(), 1);
        map.insert("a", [1; 100]);
        assert_eq!(map.entries.capacity(), 2);
        map.get_or_insert_with("c", || [2; 100]);
        assert_eq!(map.entries.capacity(), 4);
        let collected: VecMap<_, _> = ["x", "y"]
            .into_iter()
            .filter(|k| *k == "x")
            .map(|k| (k, 1))
            .collect();
        assert_eq!(collected.entries.capacity(), 1);
    }

    #[test]
    fn insert_keeps_keys_sorted_and_replaces_values() {
        let mut map = VecMap::new();
        for (i, key) in ["m", "z", "a", "q", "a", "b"].into_iter().enumerate() {
            map.insert(key, i);
        }
        assert_eq!(keys(&map), ["a", "b", "m", "q", "z"]);
        assert_eq!(map.get("a"), Some(&4));
        assert_eq!(map.insert("m", 9), Some(0));
        assert_eq!(map["m"], 9);
        assert_eq!(map.remove("q"), Some(3));
        assert_eq!(map.remove("q"), None);
        assert!(!map.contains_key("q"));
        *map.get_or_insert_with("c", || 7) += 1;
        *map.get_or_insert_with("c", || 100) += 1;
        assert_eq!(map.get("c"), Some(&9));
        assert_eq!(keys(&map), ["a", "b", "c", "m", "z"]);
    }

    #[test]
    fn collecting_keeps_the_last_value_of_a_key_as_btree_map_does() {
        let pairs = [("b", 1), ("a", 2), ("b", 3), ("c", 4), ("a", 5), ("b", 6)];
        let map: VecMap<_, _> = pairs.into_iter().collect();
        let btree: BTreeMap<_, _> = pairs.into_iter().collect();
        assert_eq!(
            map.iter().collect::<Vec<_>>(),
            btree.iter().collect::<Vec<_>>()
        );

        let mut extended = map.clone();
        extended.extend([("a", 0), ("d", 1)]);
        assert_eq!(
            extended.into_iter().collect::<Vec<_>>(),
            [("a", 0), ("b", 6), ("c", 4), ("d", 1)]
        );
    }

    #[test]
    fn it_serializes_and_reads_as_a_btree_map_does() {
        let json = r#"{"z":1,"a":2,"z":3}"#;
        let map: VecMap<String, i32> = serde_json::from_str(json).unwrap();
        let btree: BTreeMap<String, i32> = serde_json::from_str(json).unwrap();
        assert_eq!(
            serde_json::to_string(&map).unwrap(),
            serde_json::to_string(&btree).unwrap()
        );
        assert_eq!(VecMap::from(btree.clone()), map);
        assert_eq!(BTreeMap::from(map), btree);
        assert!(serde_json::from_str::<VecMap<String, i32>>("[1]").is_err());
    }

    #[test]
    fn its_schema_is_the_btree_maps() {
        let ours = schemars::schema_for!(VecMap<String, bool>);
        let std = schemars::schema_for!(BTreeMap<String, bool>);
        assert_eq!(ours, std);
    }

    #[test]
    fn iterators_run_both_ways_in_key_order() {
        let mut map: VecMap<_, _> = [(2, "b"), (1, "a"), (3, "c")].into();
        assert_eq!(
            map.iter().rev().map(|(k, _)| *k).collect::<Vec<_>>(),
            [3, 2, 1]
        );
        for (_, v) in &mut map {
            *v = "x";
        }
        assert!(map.values().all(|v| *v == "x"));
        assert_eq!(map.first_key_value(), Some((&1, &"x")));
        assert_eq!(map.last_key_value(), Some((&3, &"x")));
        map.retain(|k, _| *k != 2);
        assert_eq!(map.len(), 2);
        assert_eq!(format!("{map:?}"), r#"{1: "x", 3: "x"}"#);
    }
}
