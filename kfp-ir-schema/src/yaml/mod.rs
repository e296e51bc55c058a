//! YAML reading and writing for the KFP IR, byte-compatible with the KFP
//! Python SDK.
//!
//! - [`load`] reads a YAML stream into [`serde_json::Value`]s with PyYAML's
//!   YAML 1.1 meaning, and a [`LineIndex`] per document that maps JSON
//!   pointers (`/root/dag/tasks/foo/componentRef`) to lines and columns for
//!   error messages.
//! - [`dump`] writes values exactly as PyYAML's
//!   `yaml.dump_all(docs, sort_keys=True)` does, which is how `kfp` writes
//!   pipeline files.
//! - [`header`] writes the `# PIPELINE DEFINITION` comment that `kfp` puts
//!   before them, and [`to_yaml_with_header`] puts the pieces together.

mod emit;
mod error;
mod fast;
mod header;
mod index;
mod load;
mod printable;
mod resolve;
mod scalar;
mod tree;

pub(crate) use emit::DumpError;
pub use emit::dump;
pub use error::{Position, YamlError, YamlErrorKind};
pub use header::{header, header_description, header_with_description};
pub use index::{LineIndex, Location};
pub use load::{Document, MAX_ALIAS_BYTES, MAX_ALIAS_NODES, MAX_DEPTH};

use serde_json::Value;

/// Reads every document of a YAML stream (documents separated by `---`).
///
/// Scalars mean what PyYAML's `safe_load_all` makes of them (YAML 1.1), and
/// empty or `null` documents are skipped, as KFP's
/// `filter(None, yaml.safe_load_all(...))` skips them. Where JSON and
/// PyYAML differ, the reader decides:
///
/// - a mapping key is taken verbatim as the text of its scalar (`1:` and
///   `on:` give the keys `"1"` and `"on"`); a collection as a key is an error;
/// - a key given twice in one mapping is an error (PyYAML keeps the last;
///   the KFP backend's Go reader rejects the document);
/// - `.inf` and `.nan` are errors (JSON has no such numbers), as are integers
///   beyond 64 bits;
/// - timestamps (`2024-01-01`) stay strings (PyYAML would make dates);
/// - the merge key `<<` and the value key `=` are errors;
/// - tags other than `!`, `!!str`, `!!int`, `!!float`, `!!bool`, `!!null`,
///   `!!map` and `!!seq` are errors.
///
/// - a character that PyYAML refuses (a control character other than tab
///   and line breaks, U+FFFE, U+FFFF) is an error, as it is in PyYAML.
///
/// Aliases are expanded, up to [`MAX_ALIAS_NODES`] nodes and
/// [`MAX_ALIAS_BYTES`] bytes of keys and scalars in all, and collections
/// may nest [`MAX_DEPTH`] deep.
///
/// # Errors
/// A [`YamlError`] with the line and column of the first problem.
pub fn load(text: &str) -> Result<Vec<Document>, YamlError> {
    printable::check(text)?;
    if let Some(docs) = fast::load_fast(text) {
        return Ok(docs);
    }
    load::load_general(text)
}

/// A pipeline file as `kfp` writes it: the header comment, the pipeline
/// spec, and the platform spec as a second document when there is one.
pub fn to_yaml_with_header(spec: &Value, platform: Option<&Value>) -> String {
    let mut out = header(spec);
    match platform {
        Some(platform) => out.push_str(&dump(&[spec, platform])),
        None => out.push_str(&dump(&[spec])),
    }
    out
}

/// Writes `docs` (any serializable values, such as the IR types) as [`dump`]
/// writes their JSON form, without building that JSON first.
pub(crate) fn dump_serialize(docs: &[&dyn erased::Document]) -> Result<String, tree::TreeError> {
    let mut tree = tree::Tree::default();
    let roots = docs
        .iter()
        .map(|doc| doc.add_to(&mut tree))
        .collect::<Result<Vec<_>, _>>()?;
    emit::dump_tree(&tree, &roots, &[], String::new(), None).map_err(|e| match e {
        DumpError::Serialize(e) => e,
        DumpError::Io(e) => serde::ser::Error::custom(e),
    })
}

/// Writes `docs` after `prefix` as [`dump_serialize`] does, but leaves the
/// values of the maps at the paths `sections` of the first document out of
/// the tree:
/// `deferred[i]` holds the values of the map at `sections[i]`, in key order,
/// and each is serialized only when the writer reaches it. So the tree
/// stays small however large those maps are.
///
/// With a `writer`, the text goes to it in pieces (see
/// [`emit::dump_tree`]) and the string returned is empty.
///
/// # Errors
/// When a value fails to serialize, or a section's map does not have as
/// many values as `deferred` gives for it (then nothing is written), or the
/// writer fails.
pub(crate) fn dump_sectioned(
    docs: &[&dyn erased::Document],
    sections: tree::Sections,
    deferred: &[Vec<&dyn erased::Document>],
    prefix: String,
    writer: Option<&mut dyn std::io::Write>,
) -> Result<String, DumpError> {
    let mut tree = tree::Tree::default();
    let mut roots = Vec::with_capacity(docs.len());
    for (i, doc) in docs.iter().enumerate() {
        if i > 0 {
            roots.push(doc.add_to(&mut tree)?);
            continue;
        }
        let (root, counts) = doc.add_sectioned_to(&mut tree, sections)?;
        if counts.iter().copied().ne(deferred.iter().map(Vec::len)) {
            return Err(DumpError::Serialize(serde::ser::Error::custom(
                format_args!(
                    "the sections {sections:?} have {counts:?} values, but {:?} were given",
                    deferred.iter().map(Vec::len).collect::<Vec<_>>()
                ),
            )));
        }
        roots.push(root);
    }
    emit::dump_tree(&tree, &roots, deferred, prefix, writer)
}

/// Documents of different types in one stream.
pub(crate) mod erased {
    use super::tree::{NodeId, Sections, Tree, TreeError};

    /// A value that can be written as one document.
    pub(crate) trait Document {
        /// Serializes the value into `tree`; returns its root.
        fn add_to(&self, tree: &mut Tree) -> Result<NodeId, TreeError>;

        /// As [`Tree::add_sectioned`].
        fn add_sectioned_to(
            &self,
            tree: &mut Tree,
            sections: Sections,
        ) -> Result<(NodeId, Vec<usize>), TreeError>;
    }

    impl<T: serde::Serialize> Document for T {
        fn add_to(&self, tree: &mut Tree) -> Result<NodeId, TreeError> {
            tree.add(self)
        }

        fn add_sectioned_to(
            &self,
            tree: &mut Tree,
            sections: Sections,
        ) -> Result<(NodeId, Vec<usize>), TreeError> {
            tree.add_sectioned(self, sections)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn writes_a_whole_pipeline_file() {
        let spec = json!({"pipelineInfo": {"name": "p"}, "schemaVersion": "2.1.0"});
        let platform = json!({"platforms": {"kubernetes": {"deploymentSpec": {}}}});
        let head = "# PIPELINE DEFINITION\n# Name: p\n";
        let spec_yaml = "pipelineInfo:\n  name: p\nschemaVersion: 2.1.0\n";
        assert_eq!(
            to_yaml_with_header(&spec, None),
            format!("{head}{spec_yaml}")
        );
        let both = to_yaml_with_header(&spec, Some(&platform));
        assert_eq!(
            both,
            format!("{head}{spec_yaml}---\nplatforms:\n  kubernetes:\n    deploymentSpec: {{}}\n")
        );
        let back: Vec<Value> = load(&both).unwrap().into_iter().map(|d| d.value).collect();
        assert_eq!(back, vec![spec, platform]);
    }

    #[derive(serde::Serialize)]
    struct Outer {
        zeta: Vec<std::collections::BTreeMap<String, u8>>,
        inner: Inner,
        #[serde(rename = "big")]
        top: std::collections::BTreeMap<String, Value>,
        variant: Variant,
    }

    #[derive(serde::Serialize)]
    struct Inner {
        big: std::collections::BTreeMap<String, Value>,
        small: u8,
    }

    #[derive(serde::Serialize)]
    enum Variant {
        Struct {
            big: std::collections::BTreeMap<String, u8>,
        },
    }

    #[test]
    fn sections_are_written_as_the_whole_value_is() {
        let map = |n: u8| -> std::collections::BTreeMap<String, Value> {
            (0..n)
                .map(|i| (format!("k{i}"), json!({"v": i, "z": [i, "x y"], "a": {}})))
                .collect()
        };
        let value = Outer {
            zeta: vec![[("big".to_owned(), 1)].into()],
            inner: Inner {
                big: map(12),
                small: 3,
            },
            top: map(2),
            variant: Variant::Struct {
                big: [("a".to_owned(), 1)].into(),
            },
        };
        let whole = dump_serialize(&[&value, &json!(["second"])]).unwrap();
        // Only paths of struct fields name a section: not the map in a
        // list, nor the one in a struct variant.
        const SECTIONS: tree::Sections = &[
            &["inner", "big"],
            &["big"],
            &["zeta", "big"],
            &["variant", "big"],
        ];
        let deferred: Vec<Vec<&dyn erased::Document>> = vec![
            value.inner.big.values().map(|v| v as _).collect(),
            value.top.values().map(|v| v as _).collect(),
            Vec::new(),
            Vec::new(),
        ];
        let sectioned = dump_sectioned(
            &[&value, &json!(["second"])],
            SECTIONS,
            &deferred,
            "# prefix\n".to_owned(),
            None,
        )
        .unwrap();
        assert_eq!(sectioned, format!("# prefix\n{whole}"));
        // To a writer, in pieces: the same text.
        let mut written = Vec::new();
        let rest = dump_sectioned(
            &[&value, &json!(["second"])],
            SECTIONS,
            &deferred,
            "# prefix\n".to_owned(),
            Some(&mut written),
        )
        .unwrap();
        assert_eq!(rest, "");
        assert_eq!(String::from_utf8(written).unwrap(), sectioned);

        let mut tree = tree::Tree::default();
        let (_, counts) = tree.add_sectioned(&value, SECTIONS).unwrap();
        assert_eq!(counts, [12, 2, 0, 0]);

        let short = vec![deferred[0].clone(), Vec::new(), Vec::new(), Vec::new()];
        let err = dump_sectioned(&[&value], SECTIONS, &short, String::new(), None).unwrap_err();
        assert!(err.to_string().contains("[12, 2, 0, 0] values"), "{err}");
    }
}
