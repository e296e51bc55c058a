//! A blocking facade over the async [`crate::Client`], for scripts and
//! simple programs: each call runs on a private current-thread tokio
//! runtime. Do not use it from inside an async runtime.

use std::fmt;
use std::future::Future;
use std::time::Duration;

use crate::error::{Error, Result};
use crate::models::*;
use crate::wait::WaitOptions;

/// A blocking client; see the module docs.
pub struct Client {
    inner: crate::Client,
    runtime: tokio::runtime::Runtime,
}

impl fmt::Debug for Client {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("blocking::Client")
            .field("inner", &self.inner)
            .finish()
    }
}

impl Client {
    /// Wraps an async client.
    pub fn new(inner: crate::Client) -> Result<Self> {
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .map_err(|e| Error::Config(format!("cannot start a tokio runtime: {e}")))?;
        Ok(Self { inner, runtime })
    }

    /// The async client.
    pub fn inner(&self) -> &crate::Client {
        &self.inner
    }

    fn block<T>(&self, future: impl Future<Output = T>) -> T {
        self.runtime.block_on(future)
    }

    /// Waits for a run to reach a terminal state, up to `timeout`.
    pub fn wait_for_run(&self, run_id: &str, timeout: Option<Duration>) -> Result<Run> {
        let options = WaitOptions {
            timeout,
            ..WaitOptions::default()
        };
        self.block(self.inner.wait_for_run(run_id, &options))
    }
}

/// Writes blocking forwarders of async client methods.
macro_rules! forward {
    ($( $(#[$doc:meta])* fn $name:ident(&self $(, $arg:ident : $ty:ty)*) -> $ret:ty; )+) => {
        impl Client {
            $(
                $(#[$doc])*
                pub fn $name(&self $(, $arg: $ty)*) -> Result<$ret> {
                    self.block(self.inner.$name($($arg),*))
                }
            )+
        }
    };
}

forward! {
    /// See [`crate::Client::healthz`].
    fn healthz(&self) -> Healthz;
    /// See [`crate::Client::upload_pipeline`].
    fn upload_pipeline(&self, upload: &PipelineUpload) -> Pipeline;
    /// See [`crate::Client::upload_pipeline_version`].
    fn upload_pipeline_version(&self, pipeline_id: &str, upload: &PipelineUpload) -> PipelineVersion;
    /// See [`crate::Client::list_pipelines`].
    fn list_pipelines(&self, options: &ListOptions) -> ListPipelinesResponse;
    /// See [`crate::Client::get_pipeline`].
    fn get_pipeline(&self, pipeline_id: &str) -> Pipeline;
    /// See [`crate::Client::get_pipeline_by_name`].
    fn get_pipeline_by_name(&self, name: &str, namespace: Option<&str>) -> Option<Pipeline>;
    /// See [`crate::Client::delete_pipeline`].
    fn delete_pipeline(&self, pipeline_id: &str, cascade: bool) -> ();
    /// See [`crate::Client::list_pipeline_versions`].
    fn list_pipeline_versions(&self, pipeline_id: &str, options: &ListOptions) -> ListPipelineVersionsResponse;
    /// See [`crate::Client::get_pipeline_version`].
    fn get_pipeline_version(&self, pipeline_id: &str, version_id: &str) -> PipelineVersion;
    /// See [`crate::Client::delete_pipeline_version`].
    fn delete_pipeline_version(&self, pipeline_id: &str, version_id: &str) -> ();
    /// See [`crate::Client::create_experiment`].
    fn create_experiment(&self, experiment: &NewExperiment) -> Experiment;
    /// See [`crate::Client::get_experiment`].
    fn get_experiment(&self, experiment_id: &str) -> Experiment;
    /// See [`crate::Client::list_experiments`].
    fn list_experiments(&self, options: &ListOptions) -> ListExperimentsResponse;
    /// See [`crate::Client::ensure_experiment`].
    fn ensure_experiment(&self, name: &str, namespace: Option<&str>) -> Experiment;
    /// See [`crate::Client::archive_experiment`].
    fn archive_experiment(&self, experiment_id: &str) -> ();
    /// See [`crate::Client::delete_experiment`].
    fn delete_experiment(&self, experiment_id: &str) -> ();
    /// See [`crate::Client::create_run`].
    fn create_run(&self, run: &NewRun) -> Run;
    /// See [`crate::Client::get_run`].
    fn get_run(&self, run_id: &str) -> Run;
    /// See [`crate::Client::list_runs`].
    fn list_runs(&self, experiment_id: Option<&str>, options: &ListOptions) -> ListRunsResponse;
    /// See [`crate::Client::terminate_run`].
    fn terminate_run(&self, run_id: &str) -> ();
    /// See [`crate::Client::retry_run`].
    fn retry_run(&self, run_id: &str) -> ();
    /// See [`crate::Client::archive_run`].
    fn archive_run(&self, run_id: &str) -> ();
    /// See [`crate::Client::delete_run`].
    fn delete_run(&self, run_id: &str) -> ();
    /// See [`crate::Client::create_recurring_run`].
    fn create_recurring_run(&self, recurring: &NewRecurringRun) -> RecurringRun;
    /// See [`crate::Client::list_recurring_runs`].
    fn list_recurring_runs(&self, experiment_id: Option<&str>, options: &ListOptions) -> ListRecurringRunsResponse;
    /// See [`crate::Client::enable_recurring_run`].
    fn enable_recurring_run(&self, recurring_run_id: &str) -> ();
    /// See [`crate::Client::disable_recurring_run`].
    fn disable_recurring_run(&self, recurring_run_id: &str) -> ();
    /// See [`crate::Client::delete_recurring_run`].
    fn delete_recurring_run(&self, recurring_run_id: &str) -> ();
}
