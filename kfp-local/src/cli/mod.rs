//! The local runner's command line, shared by `kfp local …` and every
//! pipeline binary (`my-pipeline run`, `my-pipeline runs`, ...), so the two
//! take the same flags and print the same things.
//!
//! The flags leave out `--json`, which each binary defines once for all
//! its subcommands; the functions take it as `json`.
//!
//! Exit statuses: 0 when the run succeeded (or the command did its work),
//! 1 when the run failed or was canceled, 2 on bad input (an unreadable
//! or invalid file, bad parameters, an unsupported pipeline, an unknown
//! run).

use std::collections::BTreeMap;
use std::io::IsTerminal;
use std::path::PathBuf;
use std::sync::Arc;
use std::sync::atomic::AtomicBool;

use clap::{Args, ValueEnum};
use kfp_ir_schema::PipelineFile;
use kfp_ir_schema::arguments::parse_key_values;

use crate::layout::Layout;
use crate::progress::{Lines, Live, Progress, Silent};
use crate::state::RunState;
use crate::store::RunFilter;
use crate::{Native, Runner, RunnerKind};

mod render;

/// Where the run store is: `--home`, else `$KFP_LOCAL_HOME`, else
/// `./kfp-local`.
#[derive(Args, Clone, Debug, Default)]
pub struct HomeArgs {
    /// The folder of the run store and artifacts [default: $KFP_LOCAL_HOME, else ./kfp-local].
    #[arg(long, value_name = "DIR")]
    pub home: Option<PathBuf>,
}

impl HomeArgs {
    /// The home folder's layout.
    pub fn layout(&self) -> Layout {
        Layout::from_flag_or_env(self.home.as_deref())
    }
}

/// Where container tasks run.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, ValueEnum)]
pub enum RunnerFlag {
    /// As processes of this machine (images are ignored).
    #[default]
    Host,
    /// In their images, through Docker or Podman (`DOCKER_HOST`).
    Container,
}

/// The flags of a run.
#[derive(Args, Clone, Debug, Default)]
pub struct RunFlags {
    /// A pipeline parameter, as NAME=VALUE (repeatable); read by the
    /// parameter's type (lists and objects as JSON).
    #[arg(short = 'p', long = "param", value_name = "NAME=VALUE")]
    pub params: Vec<String>,
    /// Write artifacts under DIR [default: HOME/artifacts].
    #[arg(long, value_name = "DIR")]
    pub pipeline_root: Option<PathBuf>,
    /// Run at most N container tasks at once [default: the number of cores].
    #[arg(long, value_name = "N")]
    pub parallelism: Option<usize>,
    /// Do not take task outputs from the cache.
    #[arg(long)]
    pub no_cache: bool,
    /// Where container tasks run.
    #[arg(long, value_enum, default_value_t = RunnerFlag::Host)]
    pub runner: RunnerFlag,
    /// Also stream every task's output, each line after the task's path.
    #[arg(short, long)]
    pub verbose: bool,
    #[command(flatten)]
    #[allow(missing_docs)]
    pub home: HomeArgs,
}

/// The flags of `runs`.
#[derive(Args, Clone, Debug, Default)]
pub struct RunsFlags {
    /// Show at most N runs.
    #[arg(long, value_name = "N", default_value_t = 20)]
    pub limit: u32,
    /// Only runs of this pipeline.
    #[arg(long, value_name = "NAME")]
    pub pipeline: Option<String>,
    /// Only runs in this state (SUCCEEDED, FAILED, RUNNING, CANCELED, INTERRUPTED).
    #[arg(long, value_name = "STATE")]
    pub state: Option<RunState>,
    #[command(flatten)]
    #[allow(missing_docs)]
    pub home: HomeArgs,
}

/// The arguments of `show`.
#[derive(Args, Clone, Debug)]
pub struct ShowArgs {
    /// The run's id, or the start of it.
    pub run_id: String,
    #[command(flatten)]
    #[allow(missing_docs)]
    pub home: HomeArgs,
}

/// The arguments of `logs`.
#[derive(Args, Clone, Debug)]
pub struct LogsArgs {
    /// The run's id, or the start of it.
    pub run_id: String,
    /// The task: its path (`for-loop-2/0/train`) or its name.
    pub task: String,
    #[command(flatten)]
    #[allow(missing_docs)]
    pub home: HomeArgs,
}

/// Runs a pipeline file: `kfp local run FILE`, and a pipeline binary's
/// `run` with the pipeline it compiled (`source` names it in the store,
/// `native` runs its Rust components, `hint` is the command that shows
/// the run afterwards, e.g. `kfp local`).
pub fn run(
    file: &PipelineFile,
    source: Option<&str>,
    flags: &RunFlags,
    json: bool,
    native: BTreeMap<String, Native>,
    hint: &str,
) -> u8 {
    let args = match parse_key_values(flags.params.iter().map(String::as_str)) {
        Ok(args) => args,
        Err(e) => {
            eprintln!("error: {e}");
            return 2;
        }
    };
    let cancel = Arc::new(AtomicBool::new(false));
    install_interrupt_handler(&cancel);
    let mut runner = Runner::with_layout(flags.home.layout())
        .cache(!flags.no_cache)
        .kind(match flags.runner {
            RunnerFlag::Host => RunnerKind::Host,
            RunnerFlag::Container => RunnerKind::Container,
        })
        .verbose(flags.verbose)
        .cancel_flag(cancel);
    if let Some(n) = flags.parallelism {
        runner = runner.parallelism(n);
    }
    if let Some(root) = &flags.pipeline_root {
        runner = runner.pipeline_root(root);
    }
    if let Some(source) = source {
        runner = runner.source(source);
    }
    for (label, how) in native {
        runner = runner.native(label, how);
    }
    let mut progress: Box<dyn Progress> = if json {
        Box::new(Silent)
    } else if std::io::stderr().is_terminal() && !flags.verbose {
        Box::new(Live::new())
    } else {
        Box::new(Lines)
    };
    match runner.run(file, &args, progress.as_mut()) {
        Ok(outcome) => {
            if json {
                println!("{}", render::outcome_json(&outcome));
            } else {
                eprint!("{}", render::summary(&outcome, runner.layout(), hint));
            }
            if outcome.succeeded() { 0 } else { 1 }
        }
        Err(e) => {
            eprintln!("error: {e}");
            if e.is_bad_input() { 2 } else { 1 }
        }
    }
}

/// `kfp local run FILE`: reads and validates the file, then runs it.
pub fn run_file(path: &std::path::Path, flags: &RunFlags, json: bool) -> u8 {
    match PipelineFile::read(path) {
        Ok(file) => run(
            &file,
            Some(&path.display().to_string()),
            flags,
            json,
            BTreeMap::new(),
            "kfp local",
        ),
        Err(e) => {
            eprintln!("error: {e}");
            2
        }
    }
}

/// Lists runs, newest first.
pub fn runs(flags: &RunsFlags, json: bool) -> u8 {
    let layout = flags.home.layout();
    let store = match crate::open_store(&layout) {
        Ok(store) => store,
        Err(e) => return report(e),
    };
    let filter = RunFilter {
        pipeline: flags.pipeline.clone(),
        state: flags.state,
        limit: Some(flags.limit),
        offset: 0,
    };
    match store.runs(&filter) {
        Ok(runs) if json => {
            for run in &runs {
                println!("{}", render::run_json(run));
            }
            0
        }
        Ok(runs) => {
            print!("{}", render::runs_table(&runs));
            0
        }
        Err(e) => report(e),
    }
}

/// Shows a run: every task's state, attempts, duration, inputs, outputs,
/// artifacts, metrics and log.
pub fn show(args: &ShowArgs, json: bool) -> u8 {
    let layout = args.home.layout();
    let details = crate::open_store(&layout).and_then(|store| {
        let run = store.run(&args.run_id)?;
        let tasks = store.tasks(&run.id)?;
        let artifacts = store.artifacts(&run.id)?;
        let metrics = store.metrics(&run.id)?;
        Ok((run, tasks, artifacts, metrics))
    });
    match details {
        Ok((run, tasks, artifacts, metrics)) => {
            if json {
                println!(
                    "{}",
                    render::details_json(&run, &tasks, &artifacts, &metrics)
                );
            } else {
                print!("{}", render::details(&run, &tasks, &artifacts, &metrics));
            }
            0
        }
        Err(e) => report(e),
    }
}

/// Prints a task's log.
pub fn logs(args: &LogsArgs) -> u8 {
    let layout = args.home.layout();
    let found = crate::open_store(&layout).and_then(|store| {
        let run = store.run(&args.run_id)?;
        store.tasks(&run.id)
    });
    let tasks = match found {
        Ok(tasks) => tasks,
        Err(e) => return report(e),
    };
    let by_path = tasks.iter().find(|t| t.path == args.task);
    let by_name: Vec<_> = tasks
        .iter()
        .filter(|t| t.task_name == args.task && t.log_path.is_some())
        .collect();
    let task = match (by_path, by_name.as_slice()) {
        (Some(t), _) => t,
        (None, [t]) => *t,
        (None, []) => {
            eprintln!(
                "error: the run has no task `{}` with a log (`show` lists its tasks)",
                args.task
            );
            return 2;
        }
        (None, many) => {
            let paths: Vec<&str> = many.iter().map(|t| t.path.as_str()).collect();
            eprintln!(
                "error: `{}` names several executions; give one of: {}",
                args.task,
                paths.join(", ")
            );
            return 2;
        }
    };
    let Some(log) = &task.log_path else {
        eprintln!(
            "error: task `{}` ran no command, so it has no log",
            task.path
        );
        return 2;
    };
    match std::fs::File::open(log) {
        Ok(mut file) => {
            let _ = std::io::copy(&mut file, &mut std::io::stdout());
            0
        }
        Err(e) => {
            eprintln!("error: {log}: {e}");
            1
        }
    }
}

fn report(error: crate::store::StoreError) -> u8 {
    eprintln!("error: {error}");
    match error {
        crate::store::StoreError::NoSuchRun(_) => 2,
        _ => 1,
    }
}

/// Ctrl-C (or SIGTERM) cancels the run: the first sets `flag`, which the
/// engine sees; a second Ctrl-C ends this process at once.
fn install_interrupt_handler(flag: &Arc<AtomicBool>) {
    use signal_hook::consts::{SIGINT, SIGTERM};
    for signal in [SIGINT, SIGTERM] {
        let _ = signal_hook::flag::register_conditional_shutdown(signal, 130, flag.clone());
        let _ = signal_hook::flag::register(signal, flag.clone());
    }
}
