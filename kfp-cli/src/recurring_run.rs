//! `kfp recurring-run create|list|enable|disable|delete`: scheduled runs.

use anyhow::{Result, bail};
use clap::{Args, Subcommand};
use kfp_client::Client;
use kfp_client::models::{
    CronSchedule, NewRecurringRun, PeriodicSchedule, RecurringRun, RecurringRunMode, Trigger,
};

use crate::connect::GlobalOpts;
use crate::experiment;
use crate::listing::{ListArgs, list_options};
use crate::output::{Output, Table, unsure};
use crate::prepare::{PipelineArgs, prepare};

/// `kfp recurring-run ...`.
#[derive(Subcommand, Debug, Clone)]
pub enum RecurringRunCommand {
    /// Create a recurring run with a cron or periodic trigger.
    Create(Box<RecurringCreate>),
    /// List recurring runs.
    List {
        /// Only those of this experiment (a name).
        #[arg(long, short = 'e')]
        experiment: Option<String>,
        #[command(flatten)]
        list: ListArgs,
    },
    /// Enable a recurring run.
    Enable {
        /// Its id.
        id: String,
    },
    /// Disable a recurring run.
    Disable {
        /// Its id.
        id: String,
    },
    /// Delete a recurring run.
    Delete {
        /// Its id.
        id: String,
    },
}

/// `kfp recurring-run create`.
#[derive(Args, Debug, Clone)]
#[command(group = clap::ArgGroup::new("trigger").required(true).args(["cron", "every"]))]
pub struct RecurringCreate {
    /// Its name.
    #[arg(long)]
    pub name: String,
    /// What to run, with which arguments.
    #[command(flatten)]
    pub pipeline: PipelineArgs,
    /// A cron expression with seconds, e.g. `0 0 9 ? * 2-6`.
    #[arg(long)]
    pub cron: Option<String>,
    /// Start a run every this many seconds.
    #[arg(long, value_name = "SECONDS")]
    pub every: Option<i64>,
    /// No runs before this time (RFC 3339).
    #[arg(long)]
    pub start_time: Option<String>,
    /// No runs after this time (RFC 3339).
    #[arg(long)]
    pub end_time: Option<String>,
    /// At most this many runs at once.
    #[arg(long, default_value_t = 1)]
    pub max_concurrency: i64,
    /// Do not backfill missed runs.
    #[arg(long)]
    pub no_catchup: bool,
    /// Create it disabled.
    #[arg(long)]
    pub disabled: bool,
}

/// Runs `kfp recurring-run ...`.
pub async fn execute(
    client: &Client,
    g: &GlobalOpts,
    out: &Output,
    cmd: RecurringRunCommand,
) -> Result<i32> {
    match cmd {
        RecurringRunCommand::Create(create) => create_recurring(client, g, out, *create).await?,
        RecurringRunCommand::List { experiment, list } => {
            let experiment_id = match &experiment {
                Some(name) => Some(experiment::id_by_name(client, g, name).await?),
                None => None,
            };
            let options = list_options(&list, g.namespace.as_deref(), "display_name");
            let page = client
                .list_recurring_runs(experiment_id.as_deref(), &options)
                .await?;
            out.value(&page, || {
                recurring_table(&page.recurring_runs).next_page(&page.next_page_token)
            })?;
        }
        RecurringRunCommand::Enable { id } => {
            client.enable_recurring_run(&id).await?;
            out.done("enabled recurring run", &id);
        }
        RecurringRunCommand::Disable { id } => {
            client.disable_recurring_run(&id).await?;
            out.done("disabled recurring run", &id);
        }
        RecurringRunCommand::Delete { id } => {
            client.delete_recurring_run(&id).await?;
            out.done("deleted recurring run", &id);
        }
    }
    Ok(0)
}

/// `kfp recurring-run create`.
async fn create_recurring(
    client: &Client,
    g: &GlobalOpts,
    out: &Output,
    create: RecurringCreate,
) -> Result<()> {
    let RecurringCreate {
        name,
        pipeline,
        cron,
        every,
        start_time,
        end_time,
        max_concurrency,
        no_catchup,
        disabled,
    } = create;
    let trigger = trigger(cron, every, start_time, end_time)?;
    if max_concurrency < 1 {
        bail!("--max-concurrency must be at least 1");
    }
    let prepared = prepare(client, g, &pipeline).await?;
    let mut rr = NewRecurringRun::new(name, prepared.source, trigger);
    rr.description = pipeline.description.clone();
    rr.experiment_id = prepared.experiment_id;
    rr.runtime_config = prepared.runtime_config;
    rr.service_account = pipeline.service_account.clone();
    rr.max_concurrency = max_concurrency;
    rr.no_catchup = no_catchup;
    if disabled {
        rr.mode = RecurringRunMode::Disable;
    }
    let created = client.create_recurring_run(&rr).await.map_err(|e| {
        unsure(e, || {
            format!(
                "recurring run `{0}` may have been created: check with `kfp recurring-run list --name-contains '{0}'` before creating it again",
                rr.display_name
            )
        })
    })?;
    out.value(&created, || recurring_table(std::slice::from_ref(&created)))?;
    Ok(())
}

/// The trigger of `--cron` or `--every`, with the start and end times.
fn trigger(
    cron: Option<String>,
    every: Option<i64>,
    start_time: Option<String>,
    end_time: Option<String>,
) -> Result<Trigger> {
    Ok(match (cron, every) {
        (Some(expr), None) => Trigger {
            cron_schedule: Some(CronSchedule {
                start_time,
                end_time,
                cron: expr,
            }),
            periodic_schedule: None,
        },
        (None, Some(seconds)) if seconds > 0 => Trigger {
            cron_schedule: None,
            periodic_schedule: Some(PeriodicSchedule {
                start_time,
                end_time,
                interval_second: Some(seconds),
            }),
        },
        (None, Some(_)) => bail!("--every must be a positive number of seconds"),
        _ => bail!("give one of --cron or --every"),
    })
}

fn recurring_table(runs: &[RecurringRun]) -> Table {
    let mut t = Table::new(&[
        "RECURRING RUN ID",
        "NAME",
        "STATUS",
        "TRIGGER",
        "EXPERIMENT ID",
    ]);
    for r in runs {
        let trigger = match &r.trigger {
            Some(Trigger {
                cron_schedule: Some(c),
                ..
            }) => format!("cron {}", c.cron),
            Some(Trigger {
                periodic_schedule: Some(p),
                ..
            }) => format!("every {}s", p.interval_second.unwrap_or_default()),
            _ => String::new(),
        };
        t.row(vec![
            r.recurring_run_id.clone(),
            r.display_name.clone(),
            r.status.to_string(),
            trigger,
            r.experiment_id.clone(),
        ]);
    }
    t
}
