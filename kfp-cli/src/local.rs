//! `kfp local …`: run pipeline files on this machine with the local runner
//! (kfp-local), and look at the runs. The flags and what is printed are
//! kfp-local's own, shared with every pipeline binary's `run`, `runs`,
//! `show` and `logs`.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::Subcommand;
use kfp_local::cli::{LogsArgs, RunFlags, RunsFlags, ShowArgs};

/// The subcommands of `kfp local`.
#[derive(Subcommand, Debug)]
pub enum LocalCommand {
    /// Run a pipeline file (YAML or JSON, written by kfp-rs or Python kfp)
    /// with the KFP backend's semantics.
    ///
    /// Exit status: 0 the run succeeded, 1 it failed or was canceled, 2
    /// bad input.
    Run {
        /// The pipeline file.
        file: PathBuf,
        #[command(flatten)]
        flags: RunFlags,
    },
    /// List the runs, newest first.
    Runs(RunsFlags),
    /// Show a run: each task's state, attempts, duration, inputs, outputs,
    /// artifacts, metrics and log.
    Show(ShowArgs),
    /// Print a task's log.
    Logs(LogsArgs),
}

/// Runs a `kfp local` subcommand; `json` is the global `--json`.
pub fn main(command: LocalCommand, json: bool) -> ExitCode {
    ExitCode::from(match command {
        LocalCommand::Run { file, flags } => kfp_local::cli::run_file(&file, &flags, json),
        LocalCommand::Runs(flags) => kfp_local::cli::runs(&flags, json),
        LocalCommand::Show(args) => kfp_local::cli::show(&args, json),
        LocalCommand::Logs(args) => kfp_local::cli::logs(&args),
    })
}
