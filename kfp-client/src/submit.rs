//! Submitting a pipeline spec as a run in one call: what a pipeline
//! binary's `submit` subcommand needs.

use std::collections::BTreeMap;
use std::time::{SystemTime, UNIX_EPOCH};

use kfp_ir_schema::PipelineFile;
use kfp_ir_schema::arguments::{ArgValue, check_arguments};

use crate::client::Client;
use crate::error::{Error, Result};
use crate::models::{NewRun, PipelineSource, Run, RuntimeConfig};

/// The experiment used when a namespace is given without one, as
/// kfp.Client names it.
pub const DEFAULT_EXPERIMENT: &str = "Default";

/// The settings of a run submitted with [`Client::submit`].
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Submission {
    /// The run name; default `<pipelineInfo.name> <YYYY-MM-DD HH-MM-SS>`
    /// (UTC), as kfp.Client names runs.
    pub run_name: Option<String>,
    /// A description of the run.
    pub description: Option<String>,
    /// The experiment, by name; created when missing. Without one: with a
    /// namespace, [`DEFAULT_EXPERIMENT`] in that namespace; else the server's
    /// default experiment (single-user mode only).
    pub experiment: Option<String>,
    /// The namespace of the experiment (multi-user mode).
    pub namespace: Option<String>,
    /// Run arguments, checked against the pipeline's root inputs.
    pub arguments: BTreeMap<String, ArgValue>,
    /// Where artifacts go.
    pub pipeline_root: Option<String>,
    /// The Kubernetes service account of the run's pods.
    pub service_account: Option<String>,
    /// Turn caching on or off for every task; `None` keeps the spec's.
    pub caching: Option<bool>,
}

impl Client {
    /// Checks the arguments against the pipeline's root inputs, finds or
    /// creates the experiment, and creates a run of the inline pipeline
    /// (with its platform settings, if any). Nothing is sent when the
    /// arguments are wrong.
    pub async fn submit(&self, mut pipeline: PipelineFile, submission: &Submission) -> Result<Run> {
        let parameters = check_arguments(pipeline.spec.root_inputs(), &submission.arguments)?;
        let name = pipeline.spec.name().unwrap_or("pipeline").to_owned();
        if let Some(enable) = submission.caching {
            pipeline.spec.set_caching(enable);
        }
        let source = PipelineSource::inline(pipeline);
        // In multi-user mode a run needs an experiment of its namespace:
        // like kfp.Client, fall back to one named "Default" there.
        let experiment = submission
            .experiment
            .as_deref()
            .or(submission.namespace.as_ref().map(|_| DEFAULT_EXPERIMENT));
        let experiment_id = match experiment {
            Some(experiment) => Some(
                self.ensure_experiment(experiment, submission.namespace.as_deref())
                    .await?
                    .experiment_id,
            ),
            None => None,
        };
        let run_name = submission
            .run_name
            .clone()
            .unwrap_or_else(|| format!("{name} {}", utc_stamp(now())));
        if run_name.trim().is_empty() {
            return Err(Error::InvalidRequest("the run name is empty".into()));
        }
        let mut run = NewRun::new(run_name, source);
        run.description = submission.description.clone();
        run.experiment_id = experiment_id;
        run.service_account = submission.service_account.clone();
        run.runtime_config = Some(RuntimeConfig {
            parameters,
            pipeline_root: submission.pipeline_root.clone().unwrap_or_default(),
        });
        self.create_run(&run).await
    }
}

fn now() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_secs())
        .unwrap_or(0)
}

/// Formats Unix seconds as `YYYY-MM-DD HH-MM-SS` in UTC, the suffix of
/// kfp.Client's default run names.
pub fn utc_stamp(unix_seconds: u64) -> String {
    let days = i64::try_from(unix_seconds / 86_400).unwrap_or(0);
    let rem = unix_seconds % 86_400;
    // Civil date from days since 1970-01-01 (Howard Hinnant's algorithm).
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1_460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    format!(
        "{year:04}-{month:02}-{day:02} {:02}-{:02}-{:02}",
        rem / 3600,
        rem % 3600 / 60,
        rem % 60
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn utc_stamps() {
        assert_eq!(utc_stamp(0), "1970-01-01 00-00-00");
        assert_eq!(utc_stamp(1_767_225_600 + 3_723), "2026-01-01 01-02-03");
        assert_eq!(utc_stamp(951_782_400), "2000-02-29 00-00-00");
        assert_eq!(utc_stamp(4_107_542_399), "2100-02-28 23-59-59");
    }
}
