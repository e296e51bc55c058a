//! KFP's runtime placeholders (kfp's `dsl.PIPELINE_JOB_NAME_PLACEHOLDER`
//! and the others): strings given to a `String` input that the KFP backend
//! replaces with facts of the run when the task starts.
//!
//! The backend replaces the job and task placeholders only when the whole
//! value is the placeholder (`"{{$.pipeline_job_name}}"`, not
//! `"job {{$.pipeline_job_name}}"`), and [`WORKSPACE_PATH`] anywhere in it.
//!
//! ```
//! use kfp_dsl::placeholders;
//! use kfp_dsl::prelude::*;
//!
//! #[component]
//! fn tag(run: String) {
//!     println!("running in {run}");
//! }
//!
//! #[pipeline]
//! fn tagged() {
//!     tag(placeholders::PIPELINE_JOB_NAME);
//! }
//!
//! fn main() {
//!     let (_, yaml) = kfp_dsl::compile_to_string(tagged::ENTRY, false).unwrap();
//!     assert!(yaml.contains("constant: '{{$.pipeline_job_name}}'"));
//! }
//! ```

use kfp_ir_schema::placeholder;

/// The run's name (kfp's `PIPELINE_JOB_NAME_PLACEHOLDER`).
pub const PIPELINE_JOB_NAME: &str = placeholder::PIPELINE_JOB_NAME;
/// The run's resource name (kfp's `PIPELINE_JOB_RESOURCE_NAME_PLACEHOLDER`).
pub const PIPELINE_JOB_RESOURCE_NAME: &str = placeholder::PIPELINE_JOB_RESOURCE_NAME;
/// The run's id (kfp's `PIPELINE_JOB_ID_PLACEHOLDER`).
pub const PIPELINE_JOB_ID: &str = placeholder::PIPELINE_JOB_ID;
/// The task's name (kfp's `PIPELINE_TASK_NAME_PLACEHOLDER`).
pub const PIPELINE_TASK_NAME: &str = placeholder::PIPELINE_TASK_NAME;
/// The task's id (kfp's `PIPELINE_TASK_ID_PLACEHOLDER`).
pub const PIPELINE_TASK_ID: &str = placeholder::PIPELINE_TASK_ID;
/// When the run was created, in UTC (kfp's
/// `PIPELINE_JOB_CREATE_TIME_UTC_PLACEHOLDER`).
pub const PIPELINE_JOB_CREATE_TIME_UTC: &str = placeholder::PIPELINE_JOB_CREATE_TIME_UTC;
/// When a recurring run was scheduled, in UTC (kfp's
/// `PIPELINE_JOB_SCHEDULE_TIME_UTC_PLACEHOLDER`).
pub const PIPELINE_JOB_SCHEDULE_TIME_UTC: &str = placeholder::PIPELINE_JOB_SCHEDULE_TIME_UTC;
/// The path of the pipeline's workspace in the task's container (kfp's
/// `WORKSPACE_PATH_PLACEHOLDER`), `/kfp-workspace` on a cluster; the
/// pipeline needs a workspace ([`PipelineConfig`](crate::PipelineConfig)).
pub const WORKSPACE_PATH: &str = placeholder::WORKSPACE_PATH;
