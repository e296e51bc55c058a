//! A client of the Kubeflow Pipelines v2beta1 REST API: upload pipelines,
//! create runs and follow them to the end.
//!
//! * [`Client`] is async (reqwest with rustls); [`blocking::Client`] wraps it
//!   for simple programs.
//! * Credentials: a bearer token (fixed, or a service-account token file
//!   re-read before each request, `KF_PIPELINES_SA_TOKEN_PATH`), extra
//!   headers and cookies for Dex or oauth2-proxy. None of them ever appears
//!   in `Debug` output.
//! * In a pod, [`ClientBuilder::in_cluster`] finds the API server and the
//!   projected token as kfp.Client does; with the cargo feature `kube`, the
//!   `k8s` module port-forwards to `svc/ml-pipeline`, mints tokens with the
//!   kubeconfig's credentials, and applies `Pipeline`/`PipelineVersion`
//!   resources.
//! * Every request has a timeout; GET and DELETE are retried with backoff on
//!   connection errors and 5xx; creates are never retried, and one that got
//!   no answer says that the server may have carried it out
//!   ([`Error::may_have_been_done`]).
//! * Answers are read up to a size limit (4 MiB, plus 32 MiB for answers
//!   that carry pipeline specs; [`ClientBuilder::max_response_size`]), so a
//!   server cannot fill the memory; what a server says in an error is cut
//!   to 1000 characters and its control characters escaped.
//! * Errors keep the HTTP status and read the server's error bodies
//!   (`google.rpc.Status`, the upload endpoints' `{error_message,
//!   error_details}`, plain text) into one clear message ([`ApiError`]).
//! * Pipelines are kfp-ir-schema's typed IR ([`kfp_ir_schema::PipelineFile`]);
//!   [`check_arguments`] (kfp-ir-schema's, re-exported) checks run arguments
//!   against the pipeline's root inputs before anything is sent.
//! * [`Client::submit`] checks arguments, finds or creates the experiment
//!   and creates a run of an inline spec in one call.
//! * [`Client::wait_for_run_with`] waits with backoff, a timeout and
//!   cancellation, stops on every terminal state, CANCELED included, and
//!   rides out a short outage of the server ([`MAX_FAILED_POLLS`]).
//!
//! ```no_run
//! # async fn demo() -> Result<(), Box<dyn std::error::Error>> {
//! use kfp_client::{Client, models::*};
//! use kfp_ir_schema::PipelineFile;
//! let client = Client::builder("http://localhost:8888").token_file_from_env().build()?;
//! let pipeline = PipelineFile::read("pipeline.yaml")?;
//! let run = client
//!     .create_run(&NewRun::new("my run", PipelineSource::inline(pipeline)))
//!     .await?;
//! let done = client.wait_for_run(&run.run_id, &kfp_client::WaitOptions::default()).await?;
//! println!("{}", done.state);
//! # Ok(()) }
//! ```

mod api;
mod auth;
pub mod blocking;
mod client;
pub mod error;
#[cfg(feature = "kube")]
pub mod k8s;
pub mod models;
pub mod submit;
mod wait;

pub use auth::TOKEN_PATH_ENV;
pub use client::{
    Client, ClientBuilder, DEFAULT_MAX_RESPONSE_SIZE, DEFAULT_SA_TOKEN_PATH, RetryPolicy,
    running_in_cluster,
};
pub use error::{ApiError, Error, Result};
pub use kfp_ir_schema::arguments::{ArgValue, ArgumentError, ArgumentErrors, check_arguments};
pub use submit::Submission;
pub use wait::{MAX_FAILED_POLLS, WaitOptions};
