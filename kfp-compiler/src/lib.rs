//! Lowers a kfp-rs pipeline graph to the KFP v2 IR, with kfp 2.17's names
//! and conventions.
//!
//! - [`graph`] is the model the DSL builds when a pipeline is defined;
//! - [`compile()`] lowers it to a [`kfp_ir_schema::PipelineSpec`], and
//!   [`compile_file()`] to a [`kfp_ir_schema::PipelineFile`] that also holds
//!   the tasks' Kubernetes settings as a `PlatformSpec` ([`platform`]);
//! - [`naming`] holds kfp's naming rules, [`placeholders`] its container
//!   placeholder strings; a private module maps the graph's types to IR
//!   types, and another routes values through control-flow groups;
//! - [`loaded`] makes a component read from a file (kfp-ir-schema's
//!   `component`) a graph component;
//! - [`overrides`] changes a compiled pipeline's name, display name and
//!   input defaults, as kfp's `Compiler.compile` arguments do.

pub mod compile;
pub mod error;
pub mod graph;
mod groups;
pub mod loaded;
pub mod naming;
pub mod overrides;
mod pipeline_config;
pub mod placeholders;
pub mod platform;
mod to_ir;

pub use compile::{SDK_VERSION, compile, compile_file, task_names};
pub use error::{CompileError, TaskError, WorkspaceError};
pub use overrides::{OverrideError, Overrides};
