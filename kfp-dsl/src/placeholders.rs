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

/// The run's name (kfp's `PIPELINE_JOB_NAME_PLACEHOLDER`).
pub const PIPELINE_JOB_NAME: &str = "{{$.pipeline_job_name}}";
/// The run's resource name (kfp's `PIPELINE_JOB_RESOURCE_NAME_PLACEHOLDER`).
pub const PIPELINE_JOB_RESOURCE_NAME: &str = "{{$.pipeline_job_resource_name}}";
/// The run's id (kfp's `PIPELINE_JOB_ID_PLACEHOLDER`).
pub const PIPELINE_JOB_ID: &str = "{{$.pipeline_job_uuid}}";
/// The task's name (kfp's `PIPELINE_TASK_NAME_PLACEHOLDER`).
pub const PIPELINE_TASK_NAME: &str = "{{$.pipeline_task_name}}";
/// The task's id (kfp's `PIPELINE_TASK_ID_PLACEHOLDER`).
pub const PIPELINE_TASK_ID: &str = "{{$.pipeline_task_uuid}}";
/// When the run was created, in UTC (kfp's
/// `PIPELINE_JOB_CREATE_TIME_UTC_PLACEHOLDER`).
pub const PIPELINE_JOB_CREATE_TIME_UTC: &str = "{{$.pipeline_job_create_time_utc}}";
/// When a recurring run was scheduled, in UTC (kfp's
/// `PIPELINE_JOB_SCHEDULE_TIME_UTC_PLACEHOLDER`).
pub const PIPELINE_JOB_SCHEDULE_TIME_UTC: &str = "{{$.pipeline_job_schedule_time_utc}}";
/// The path of the pipeline's workspace in the task's container (kfp's
/// `WORKSPACE_PATH_PLACEHOLDER`).
pub const WORKSPACE_PATH: &str = "{{$.workspace_path}}";
