//! The Kubeflow Pipelines v2 pipeline IR (`PipelineSpec`, schema version
//! 2.1.0) in Rust: its types, its JSON Schema, validation, and YAML/JSON I/O.
//!
//! This crate is the only place in kfp-rs that knows the wire format.

pub mod diagnostic;
pub mod executor;
pub mod file;
pub mod kubernetes;
pub mod pipeline_spec;
pub mod protojson;
pub mod schema;
pub mod validate;
pub mod vec_map;
pub mod yaml;

pub use file::PipelineFile;
pub use pipeline_spec::*;
pub use vec_map::VecMap;

/// The one `schemaVersion` that the KFP backend accepts, and that kfp-rs
/// writes.
pub const SCHEMA_VERSION: &str = "2.1.0";
