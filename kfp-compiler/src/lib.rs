//! Lowers a kfp-rs pipeline graph to the KFP v2 IR.
//!
//! [`graph`] is the model the DSL builds; [`naming`] holds kfp's naming
//! rules.

pub mod graph;
pub mod naming;
