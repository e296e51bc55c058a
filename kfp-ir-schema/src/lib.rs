//! The Kubeflow Pipelines v2 pipeline IR (`PipelineSpec`, schema version
//! 2.1.0) in Rust: its types, its JSON Schema, validation, and YAML/JSON I/O.
//!
//! This crate is the only place in kfp-rs that knows the wire format.

pub mod arguments;
pub mod component;
pub mod diagnostic;
pub mod executor;
pub mod file;
pub mod kubernetes;
pub mod naming;
pub mod parameter;
mod pipeline_file;
pub mod pipeline_spec;
pub mod placeholder;
pub mod printable;
mod proto_enum;
pub mod protojson;
pub mod python_json;
pub mod resources;
pub mod schema;
pub mod suggest;
pub mod validate;
pub mod vec_map;
pub mod workspace;
pub mod yaml;

pub use pipeline_file::PipelineFile;
pub use pipeline_spec::*;
pub use vec_map::VecMap;

/// The string of the pipeline spec's names and values: a `String` that
/// holds up to 24 bytes inline. Nearly every string of a pipeline spec
/// (`comp-train`, `system.Dataset`, `0.0.1`, an input's name, a task's
/// name) is that short, so a spec of thousands of tasks needs no heap
/// allocation for them and keeps each entry's names beside it.
///
/// It derefs to `str`, converts from `&str` and `String` with `.into()`,
/// and [`format_compact!`] formats into it:
///
/// ```
/// use kfp_ir_schema::{CompactString, format_compact};
///
/// let name: CompactString = "comp-train".into();
/// assert_eq!(name, "comp-train");
/// assert_eq!(format_compact!("{name}-2"), "comp-train-2");
/// ```
pub use compact_str::CompactString;
/// Formats into a [`CompactString`], as `format!` does into a `String`.
pub use compact_str::format_compact;

/// The one `schemaVersion` that the KFP backend accepts, and that kfp-rs
/// writes.
pub const SCHEMA_VERSION: &str = "2.1.0";

/// What the exported macros ([`proto_enum!`]) name, so that the crates
/// using them need not depend on these crates themselves.
#[doc(hidden)]
pub mod __private {
    pub use schemars;
    pub use serde;
    pub use serde_json;
}
