//! Recurring runs (scheduled runs, "jobs" in v1).

use serde::{Deserialize, Serialize};
use serde_json::Value;

use super::{PipelineSource, PipelineVersionReference, RuntimeConfig, Status};
use kfp_ir_schema::proto_enum;

proto_enum! {
    /// Whether a recurring run should start runs (`RecurringRunMode`).
    pub open enum RecurringRunMode {
        /// The zero value: the field was not set.
        #[default]
        Unspecified = 0 => "MODE_UNSPECIFIED",
        /// Start runs on the trigger.
        Enable = 1 => "ENABLE",
        /// Do not start runs.
        Disable = 2 => "DISABLE",
    }
}

proto_enum! {
    /// Whether a recurring run is active (`v2beta1RecurringRunStatus`).
    pub open enum RecurringRunStatus {
        /// The zero value: the field was not set.
        #[default]
        Unspecified = 0 => "STATUS_UNSPECIFIED",
        /// Starting runs.
        Enabled = 1 => "ENABLED",
        /// Not starting runs.
        Disabled = 2 => "DISABLED",
    }
}

/// A cron trigger. The expression has six fields, seconds first, as in
/// `0 0 9 ? * 2-6`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct CronSchedule {
    /// No runs before this time, RFC 3339.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub start_time: Option<String>,
    /// No runs after this time, RFC 3339.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub end_time: Option<String>,
    /// The cron expression.
    pub cron: String,
}

/// A fixed-interval trigger.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct PeriodicSchedule {
    /// No runs before this time, RFC 3339.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub start_time: Option<String>,
    /// No runs after this time, RFC 3339.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub end_time: Option<String>,
    /// Seconds between runs (int64, sent as a string).
    #[serde(with = "super::lenient_int64", skip_serializing_if = "Option::is_none")]
    pub interval_second: Option<i64>,
}

/// When a recurring run starts runs: one of a cron or a periodic schedule.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct Trigger {
    /// A cron schedule.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub cron_schedule: Option<CronSchedule>,
    /// A periodic schedule.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub periodic_schedule: Option<PeriodicSchedule>,
}

impl Trigger {
    /// A cron trigger with no start or end time.
    pub fn cron(expression: impl Into<String>) -> Self {
        Self {
            cron_schedule: Some(CronSchedule {
                cron: expression.into(),
                ..CronSchedule::default()
            }),
            periodic_schedule: None,
        }
    }

    /// A periodic trigger every `seconds`, with no start or end time.
    pub fn every(seconds: i64) -> Self {
        Self {
            cron_schedule: None,
            periodic_schedule: Some(PeriodicSchedule {
                interval_second: Some(seconds),
                ..PeriodicSchedule::default()
            }),
        }
    }
}

/// A recurring run (`v2beta1RecurringRun`) as the server returns it.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct RecurringRun {
    /// Server-assigned id.
    pub recurring_run_id: String,
    /// The name.
    pub display_name: String,
    /// Free text.
    pub description: String,
    /// Deprecated: the version id.
    pub pipeline_version_id: String,
    /// The inline spec, if created from one.
    pub pipeline_spec: Option<Value>,
    /// The stored version, if created from one.
    pub pipeline_version_reference: Option<PipelineVersionReference>,
    /// Parameters and pipeline root of every run.
    pub runtime_config: Option<RuntimeConfig>,
    /// The Kubernetes service account of the runs' pods.
    pub service_account: String,
    /// At most this many runs at once (int64, sent as a string).
    #[serde(with = "super::lenient_int64", skip_serializing_if = "Option::is_none")]
    pub max_concurrency: Option<i64>,
    /// The schedule.
    pub trigger: Option<Trigger>,
    /// The requested mode.
    pub mode: RecurringRunMode,
    /// Creation time, RFC 3339.
    pub created_at: Option<String>,
    /// Last update time, RFC 3339.
    pub updated_at: Option<String>,
    /// The actual status.
    pub status: RecurringRunStatus,
    /// The error, if the server could not schedule it.
    pub error: Option<Status>,
    /// If true, missed runs are not backfilled.
    pub no_catchup: bool,
    /// The namespace.
    pub namespace: String,
    /// The experiment of its runs.
    pub experiment_id: String,
}

/// The body of `CreateRecurringRun`: only the fields a client may set.
///
/// There is no namespace: it is output only, taken from the experiment.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct NewRecurringRun {
    /// The name (required).
    pub display_name: String,
    /// Free text.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// The experiment of its runs.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub experiment_id: Option<String>,
    /// What to run.
    #[serde(flatten)]
    pub pipeline: PipelineSource,
    /// Parameters and pipeline root of every run.
    pub runtime_config: RuntimeConfig,
    /// The Kubernetes service account of the runs' pods.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub service_account: Option<String>,
    /// At most this many runs at once (sent as a string; kfp.Client's JSON
    /// number is rejected by the strict contract).
    #[serde(with = "kfp_ir_schema::protojson::int64")]
    pub max_concurrency: i64,
    /// The schedule.
    pub trigger: Trigger,
    /// Enabled or disabled at creation.
    pub mode: RecurringRunMode,
    /// If true, missed runs are not backfilled.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub no_catchup: bool,
}

impl NewRecurringRun {
    /// An enabled recurring run of `pipeline` on `trigger`, one run at a
    /// time.
    pub fn new(
        display_name: impl Into<String>,
        pipeline: PipelineSource,
        trigger: Trigger,
    ) -> Self {
        Self {
            display_name: display_name.into(),
            description: None,
            experiment_id: None,
            pipeline,
            runtime_config: RuntimeConfig::default(),
            service_account: None,
            max_concurrency: 1,
            trigger,
            mode: RecurringRunMode::Enable,
            no_catchup: false,
        }
    }
}

/// A page of recurring runs.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct ListRecurringRunsResponse {
    /// The recurring runs of this page. The proto field is camelCase
    /// (`recurringRuns`), the one exception of the API; the snake_case
    /// spelling is read too.
    #[serde(rename = "recurringRuns", alias = "recurring_runs")]
    pub recurring_runs: Vec<RecurringRun>,
    /// The number matching the filter, over all pages.
    pub total_size: i32,
    /// The token of the next page; empty on the last page.
    pub next_page_token: String,
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn new_recurring_run_writes_int64_as_strings() {
        let mut rr = NewRecurringRun::new(
            "rr",
            PipelineSource::version("p", Some("v".into())),
            Trigger::every(3600),
        );
        rr.max_concurrency = 2;
        rr.no_catchup = true;
        assert_eq!(
            serde_json::to_value(&rr).unwrap(),
            json!({
                "display_name": "rr",
                "pipeline_version_reference": {"pipeline_id": "p", "pipeline_version_id": "v"},
                "runtime_config": {"parameters": {}},
                "max_concurrency": "2",
                "trigger": {"periodic_schedule": {"interval_second": "3600"}},
                "mode": "ENABLE",
                "no_catchup": true
            })
        );
    }

    #[test]
    fn list_reads_the_camel_case_field() {
        let page: ListRecurringRunsResponse = serde_json::from_value(json!({
            "recurringRuns": [{"recurring_run_id": "a", "status": "ENABLED", "max_concurrency": "3"}],
            "total_size": 1
        }))
        .unwrap();
        assert_eq!(page.recurring_runs[0].status, RecurringRunStatus::Enabled);
        assert_eq!(page.recurring_runs[0].max_concurrency, Some(3));
    }
}
