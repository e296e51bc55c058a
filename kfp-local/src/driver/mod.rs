//! The KFP backend's semantics, as pure functions over IR types and values:
//! what its driver does before a task runs (resolve inputs, evaluate the
//! trigger condition, build the executor input) and what its launcher does
//! around the command (substitute placeholders, read the outputs back). The
//! engine and every task executor call these; none of them does I/O but
//! reading a task's output files.

use std::collections::BTreeMap;

use kfp_ir_schema::executor::RuntimeArtifact;
use serde::{Deserialize, Serialize};
use serde_json::Value;

pub mod cache;
pub mod cel;
pub mod dag_outputs;
pub mod launch;
pub mod outputs;
pub mod resolve;
pub mod value_text;

/// The parameter values and artifacts of an execution's inputs or outputs,
/// by name.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Values {
    /// Parameters (`google.protobuf.Value`s, held as JSON).
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub parameters: BTreeMap<String, Value>,
    /// Artifacts: a list for each name (one artifact, unless a list).
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub artifacts: BTreeMap<String, Vec<RuntimeArtifact>>,
}
