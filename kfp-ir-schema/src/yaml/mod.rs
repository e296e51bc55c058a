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
mod resolve;
mod tree;

pub use emit::dump;
pub use error::{Position, YamlError, YamlErrorKind};
pub use header::{header, header_with_description};
pub use index::{LineIndex, Location};
pub use load::{Document, MAX_ALIAS_NODES, MAX_DEPTH, load};

use serde_json::Value;

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
    Ok(emit::dump_tree(&tree, &roots))
}

/// Documents of different types in one stream.
pub(crate) mod erased {
    use super::tree::{NodeId, Tree, TreeError};

    /// A value that can be written as one document.
    pub(crate) trait Document {
        /// Serializes the value into `tree`; returns its root.
        fn add_to(&self, tree: &mut Tree) -> Result<NodeId, TreeError>;
    }

    impl<T: serde::Serialize> Document for T {
        fn add_to(&self, tree: &mut Tree) -> Result<NodeId, TreeError> {
            tree.add(self)
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
}
