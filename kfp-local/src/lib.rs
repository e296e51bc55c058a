//! kfp-local runs a Kubeflow Pipelines IR file on one machine: an engine
//! with the KFP backend's driver and launcher semantics, a run store in
//! SQLite and an artifact store in files.

pub mod driver;
pub mod exec;
pub mod layout;
pub mod metrics;
mod state;
pub mod store;
mod task_path;
pub mod time;

pub use state::{RunState, TaskState, UnknownState};
pub use task_path::{Segment, TaskPath};
