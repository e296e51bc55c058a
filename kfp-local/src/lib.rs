//! kfp-local runs a Kubeflow Pipelines IR file on one machine: an engine
//! with the KFP backend's driver and launcher semantics, a run store in
//! SQLite and an artifact store in files.
//!
//! [`Runner`] runs a [`PipelineFile`](kfp_ir_schema::PipelineFile) and
//! gives back its [`Outcome`]: the run's state, the pipeline's outputs and
//! every task execution, so that a test can assert on a whole pipeline.
//! [`store::Store`] reads the runs back.

pub mod artifacts;
pub mod cli;
pub mod driver;
mod engine;
pub mod exec;
pub mod layout;
pub mod metrics;
pub mod plan;
pub mod progress;
mod runner;
mod state;
pub mod store;
mod task_path;
pub mod time;
mod workspace;

pub use engine::Native;
pub use runner::{Outcome, RunError, Runner, RunnerKind, mark_interrupted_runs, open_store};
pub use state::{RunState, TaskState, UnknownState};
pub use task_path::{Segment, TaskPath};
