//! Waiting for a run to finish.
//!
//! kfp.Client's wait loop never stops on CANCELED and has no overall
//! timeout by default; this one stops on every terminal state
//! (SUCCEEDED, SKIPPED, FAILED, CANCELED), on an optional overall timeout,
//! and when the caller's cancellation future completes (Ctrl-C). It rides
//! out a short outage of the server (a restarting API server pod): up to
//! [`MAX_FAILED_POLLS`] polls in a row may fail, each after the client's
//! own retries, with a growing wait between them.

use std::future::Future;
use std::time::Duration;

use tokio::time::Instant;

use crate::client::Client;
use crate::error::{Error, Result};
use crate::models::{Run, RuntimeState};

/// How many polls in a row may fail for want of an answer (no
/// connection, a timeout, HTTP 5xx or 429) before a wait gives up. With the
/// default intervals, the waits between them (1, 2, 4, 8 and 15 s), plus
/// each poll's own retries, ride out an outage of about 40 s. Any other
/// error (the run is not found, access is denied) ends the wait at once.
pub const MAX_FAILED_POLLS: u32 = 5;

/// How to wait for a run.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct WaitOptions {
    /// Give up after this long; `None` waits for ever.
    pub timeout: Option<Duration>,
    /// The first interval between two polls.
    pub initial_interval: Duration,
    /// The interval grows by half on each poll up to this.
    pub max_interval: Duration,
}

impl Default for WaitOptions {
    fn default() -> Self {
        Self {
            timeout: None,
            initial_interval: Duration::from_secs(1),
            max_interval: Duration::from_secs(15),
        }
    }
}

impl WaitOptions {
    /// The wait after the `failed`-th failed poll in a row: the first
    /// interval, doubled on each failure, up to the longest interval.
    fn backoff(&self, failed: u32) -> Duration {
        let factor = 2u32.saturating_pow(failed.saturating_sub(1));
        self.initial_interval
            .saturating_mul(factor)
            .min(self.max_interval.max(self.initial_interval))
    }

    /// Default intervals with an overall timeout.
    pub fn with_timeout(timeout: Duration) -> Self {
        Self {
            timeout: Some(timeout),
            ..Self::default()
        }
    }
}

enum Outcome {
    Done(Box<Result<Run>>),
    TimedOut,
    Cancelled,
}

impl Client {
    /// Polls a run until it reaches a terminal state or the timeout passes.
    pub async fn wait_for_run(&self, run_id: &str, options: &WaitOptions) -> Result<Run> {
        self.wait_for_run_with(run_id, options, std::future::pending(), |_| {})
            .await
    }

    /// Polls a run until it reaches a terminal state, the timeout passes or
    /// `cancel` completes. `on_update` sees every polled run (to show
    /// progress). A poll that gets no answer, or a 5xx or 429 one, is
    /// tried again after a growing wait, up to [`MAX_FAILED_POLLS`] in a
    /// row; then, and on any other error, the wait ends with that error.
    pub async fn wait_for_run_with(
        &self,
        run_id: &str,
        options: &WaitOptions,
        cancel: impl Future<Output = ()>,
        mut on_update: impl FnMut(&Run),
    ) -> Result<Run> {
        let mut last_state = RuntimeState::Unspecified;
        let outcome = {
            let last_state = &mut last_state;
            let poll = async move {
                let mut interval = options.initial_interval;
                let mut failed: u32 = 0;
                loop {
                    let run = match self.get_run(run_id).await {
                        Ok(run) => run,
                        Err(e) if e.is_transient() && failed < MAX_FAILED_POLLS => {
                            failed += 1;
                            tokio::time::sleep(options.backoff(failed)).await;
                            continue;
                        }
                        Err(e) if e.is_transient() => {
                            return Err(Error::WaitFailed {
                                run_id: run_id.to_owned(),
                                polls: failed + 1,
                                source: Box::new(e),
                            });
                        }
                        Err(e) => return Err(e),
                    };
                    failed = 0;
                    on_update(&run);
                    *last_state = run.state.clone();
                    if run.state.is_terminal() {
                        return Ok(run);
                    }
                    tokio::time::sleep(interval).await;
                    interval = interval
                        .saturating_add(interval / 2)
                        .min(options.max_interval.max(options.initial_interval));
                }
            };
            let deadline = async {
                match options.timeout {
                    Some(t) => tokio::time::sleep_until(Instant::now() + t).await,
                    None => std::future::pending().await,
                }
            };
            tokio::select! {
                result = poll => Outcome::Done(Box::new(result)),
                () = deadline => Outcome::TimedOut,
                () = cancel => Outcome::Cancelled,
            }
        };
        match outcome {
            Outcome::Done(result) => *result,
            Outcome::TimedOut => Err(Error::WaitTimeout {
                run_id: run_id.to_owned(),
                after: options.timeout.unwrap_or_default(),
                last_state,
            }),
            Outcome::Cancelled => Err(Error::WaitCancelled {
                run_id: run_id.to_owned(),
                last_state,
            }),
        }
    }
}
