//! `kfp run create|get|list|wait|terminate|retry|archive|delete`, and
//! following a run to its end.

use std::io::{IsTerminal, Write};
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use anyhow::Result;
use clap::Subcommand;
use kfp_client::models::{NewRun, Run, RuntimeState};
use kfp_client::{Client, Error, WaitOptions};
use kfp_ir_schema::printable::escaped;

use crate::connect::GlobalOpts;
use crate::experiment;
use crate::listing::{ListArgs, list_options};
use crate::output::{Output, Table, opt_str, unsure};
use crate::prepare::{PipelineArgs, prepare};

/// `kfp run ...`.
#[derive(Subcommand, Debug, Clone)]
pub enum RunCommand {
    /// Create a run of a pipeline file or a stored pipeline.
    Create {
        #[command(flatten)]
        pipeline: PipelineArgs,
        /// The run name (default: `<pipeline name> <date time>`).
        #[arg(long)]
        name: Option<String>,
        /// Wait until the run ends.
        #[arg(long)]
        wait: bool,
        /// With `--wait`: give up after this many seconds.
        #[arg(long, value_name = "SECONDS", requires = "wait")]
        timeout: Option<u64>,
    },
    /// Show a run and its tasks.
    Get {
        /// The run id.
        id: String,
    },
    /// List runs.
    List {
        /// Only runs of this experiment (a name).
        #[arg(long, short = 'e')]
        experiment: Option<String>,
        #[command(flatten)]
        list: ListArgs,
    },
    /// Wait until a run ends.
    Wait {
        /// The run id.
        id: String,
        /// Give up after this many seconds.
        #[arg(long, value_name = "SECONDS")]
        timeout: Option<u64>,
    },
    /// Stop a run (it moves to CANCELING, then CANCELED).
    Terminate {
        /// The run id.
        id: String,
    },
    /// Retry a failed or terminated run.
    Retry {
        /// The run id.
        id: String,
    },
    /// Archive a run.
    Archive {
        /// The run id.
        id: String,
    },
    /// Delete a run.
    Delete {
        /// The run id.
        id: String,
    },
}

/// Runs `kfp run ...`; see [`crate::cluster`] for the exit status.
pub async fn execute(
    client: &Client,
    g: &GlobalOpts,
    out: &Output,
    cmd: RunCommand,
) -> Result<i32> {
    match cmd {
        RunCommand::Create {
            pipeline,
            name,
            wait,
            timeout,
        } => {
            let prepared = prepare(client, g, &pipeline).await?;
            let display_name =
                name.unwrap_or_else(|| format!("{} {}", prepared.pipeline_name, now_stamp()));
            let mut new_run = NewRun::new(display_name, prepared.source);
            new_run.description = pipeline.description.clone();
            new_run.experiment_id = prepared.experiment_id;
            new_run.runtime_config = Some(prepared.runtime_config);
            new_run.service_account = pipeline.service_account.clone();
            let run = client.create_run(&new_run).await.map_err(|e| {
                unsure(e, || {
                    format!(
                        "run `{0}` may have been created: check with `kfp run list --name-contains '{0}'` before creating it again",
                        new_run.display_name
                    )
                })
            })?;
            if !wait {
                out.value(&run, || runs_table(std::slice::from_ref(&run)))?;
                return Ok(0);
            }
            eprintln!("created run {}", run.run_id);
            wait_run(client, out, &run.run_id, timeout).await
        }
        RunCommand::Get { id } => {
            let run = client.get_run(&id).await?;
            out.value(&run, || run_detail_table(&run))?;
            Ok(0)
        }
        RunCommand::List { experiment, list } => {
            let experiment_id = match &experiment {
                Some(name) => Some(experiment::id_by_name(client, g, name).await?),
                None => None,
            };
            let mut options = list_options(&list, g.namespace.as_deref(), "display_name");
            if options.sort_by.is_none() {
                options.sort_by = Some("created_at desc".into());
            }
            let page = client.list_runs(experiment_id.as_deref(), &options).await?;
            out.value(&page, || {
                runs_table(&page.runs).next_page(&page.next_page_token)
            })?;
            Ok(0)
        }
        RunCommand::Wait { id, timeout } => wait_run(client, out, &id, timeout).await,
        RunCommand::Terminate { id } => {
            client.terminate_run(&id).await?;
            out.done("terminating run", &id);
            Ok(0)
        }
        RunCommand::Retry { id } => {
            client.retry_run(&id).await?;
            out.done("retrying run", &id);
            Ok(0)
        }
        RunCommand::Archive { id } => {
            client.archive_run(&id).await?;
            out.done("archived run", &id);
            Ok(0)
        }
        RunCommand::Delete { id } => {
            client.delete_run(&id).await?;
            out.done("deleted run", &id);
            Ok(0)
        }
    }
}

/// Waits for a run, showing its state and its tasks' states as they
/// change; Ctrl-C stops the wait (not the run).
async fn wait_run(
    client: &Client,
    out: &Output,
    run_id: &str,
    timeout: Option<u64>,
) -> Result<i32> {
    let options = WaitOptions {
        timeout: timeout.map(Duration::from_secs),
        ..WaitOptions::default()
    };
    let mut progress = Progress::new(std::io::stderr().is_terminal());
    let cancel = async {
        // If the handler cannot be installed, never cancel.
        if tokio::signal::ctrl_c().await.is_err() {
            std::future::pending::<()>().await;
        }
    };
    let result = client
        .wait_for_run_with(run_id, &options, cancel, |run| progress.update(run))
        .await;
    progress.finish();
    match result {
        Ok(run) => {
            out.value(&run, || run_detail_table(&run))?;
            Ok(exit_code(&run.state))
        }
        Err(Error::WaitTimeout {
            after, last_state, ..
        }) => {
            eprintln!(
                "run {run_id} is still {last_state} after {after:?}; stopped waiting (the run goes on)"
            );
            Ok(3)
        }
        Err(Error::WaitCancelled { last_state, .. }) => {
            eprintln!(
                "interrupted: run {run_id} is {last_state} and goes on; `kfp run terminate {run_id}` stops it"
            );
            Ok(130)
        }
        Err(e) => Err(e.into()),
    }
}

/// The exit status for a terminal run state.
pub fn exit_code(state: &RuntimeState) -> i32 {
    match state {
        RuntimeState::Succeeded | RuntimeState::Skipped => 0,
        _ => 1,
    }
}

/// The live display of a wait: one line per change, rewritten in place on
/// a terminal.
struct Progress {
    terminal: bool,
    started: Instant,
    last: String,
}

impl Progress {
    fn new(terminal: bool) -> Self {
        Self {
            terminal,
            started: Instant::now(),
            last: String::new(),
        }
    }

    fn update(&mut self, run: &Run) {
        // Task names are what the server sent.
        let line = escaped(&progress_line(run)).into_owned();
        if line == self.last {
            return;
        }
        let elapsed = self.started.elapsed().as_secs();
        let mut err = std::io::stderr().lock();
        if self.terminal {
            let _ = write!(err, "\r\x1b[2K[{elapsed:>4}s] {line}");
        } else {
            let _ = writeln!(err, "[{elapsed:>4}s] {line}");
        }
        let _ = err.flush();
        self.last = line;
    }

    fn finish(&self) {
        if self.terminal && !self.last.is_empty() {
            eprintln!();
        }
    }
}

/// `run STATE | task=STATE, ...`, tasks in name order.
pub fn progress_line(run: &Run) -> String {
    let mut tasks: Vec<(String, String)> = run
        .run_details
        .iter()
        .flat_map(|d| &d.task_details)
        .filter(|t| !t.display_name.is_empty())
        .map(|t| (t.display_name.clone(), t.state.to_string()))
        .collect();
    tasks.sort();
    let mut line = format!("run {}", run.state);
    if !tasks.is_empty() {
        let shown: Vec<String> = tasks.iter().map(|(n, s)| format!("{n}={s}")).collect();
        line.push_str(" | ");
        line.push_str(&shown.join(", "));
    }
    line
}

/// Runs, one a row.
pub fn runs_table(runs: &[Run]) -> Table {
    let mut t = Table::new(&[
        "RUN ID",
        "NAME",
        "STATE",
        "EXPERIMENT ID",
        "CREATED",
        "FINISHED",
    ]);
    for r in runs {
        t.row(vec![
            r.run_id.clone(),
            r.display_name.clone(),
            r.state.to_string(),
            r.experiment_id.clone(),
            opt_str(&r.created_at),
            opt_str(&r.finished_at),
        ]);
    }
    t
}

/// A run and its tasks.
fn run_detail_table(run: &Run) -> Table {
    let mut t = runs_table(std::slice::from_ref(run));
    if let Some(details) = &run.run_details {
        t.row(Vec::new());
        t.row(vec!["TASK".into(), "STATE".into(), "POD".into()]);
        for task in &details.task_details {
            t.row(vec![
                task.display_name.clone(),
                task.state.to_string(),
                task.pod_name.clone(),
            ]);
        }
    }
    if let Some(error) = &run.error {
        t.set_footer(format!("error: {}", error.user_message()));
    }
    t
}

/// The default run name suffix, UTC: `YYYY-MM-DD HH-MM-SS`.
fn now_stamp() -> String {
    let secs = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_secs())
        .unwrap_or(0);
    kfp_client::submit::utc_stamp(secs)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn progress_shows_run_and_task_states() {
        let run: Run = serde_json::from_value(json!({
            "state": "RUNNING",
            "run_details": {"task_details": [
                {"display_name": "train", "state": "RUNNING"},
                {"display_name": "load", "state": "SUCCEEDED"},
                {"state": "PENDING"}
            ]}
        }))
        .unwrap();
        assert_eq!(
            progress_line(&run),
            "run RUNNING | load=SUCCEEDED, train=RUNNING"
        );
        assert_eq!(exit_code(&RuntimeState::Canceled), 1);
        assert_eq!(exit_code(&RuntimeState::Skipped), 0);
    }
}
