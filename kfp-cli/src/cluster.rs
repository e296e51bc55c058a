//! `kfp pipeline|run|experiment|recurring-run`: the subcommands that talk to
//! a Kubeflow Pipelines API server (v2beta1 REST), through `kfp-client`.
//! `main.rs` flattens [`ClusterCommand`] into its subcommands and
//! [`GlobalOpts`] into its options, and hands them to [`main`], which
//! connects (see [`crate::connect`]) and runs the group's module.
//!
//! Exit status: 0 success (a waited run SUCCEEDED or was SKIPPED), 1 a
//! waited run FAILED or was CANCELED, 2 an error (printed), 3 the wait
//! timed out, 130 the wait was interrupted by Ctrl-C (the run goes on).

use std::path::Path;
use std::process::ExitCode;

use anyhow::{Context, Result};
use clap::Subcommand;

use crate::connect::{GlobalOpts, connect, with_context_file};
use crate::output::Output;
use crate::{experiment, pipeline, recurring_run, run};

/// The cluster subcommands.
#[derive(Subcommand, Debug, Clone)]
pub enum ClusterCommand {
    /// Upload, list, show and delete pipelines on the server.
    #[command(subcommand)]
    Pipeline(pipeline::PipelineCommand),
    /// Create, list, follow and stop runs.
    #[command(subcommand)]
    Run(run::RunCommand),
    /// Create and list experiments.
    #[command(subcommand)]
    Experiment(experiment::ExperimentCommand),
    /// Create, list, enable, disable and delete recurring (scheduled) runs.
    #[command(subcommand, name = "recurring-run")]
    RecurringRun(recurring_run::RecurringRunCommand),
}

/// Runs a cluster subcommand and prints its error, if any; see the module
/// docs for the exit status.
pub fn main(command: ClusterCommand, global: &GlobalOpts) -> ExitCode {
    match execute(command, global) {
        Ok(code) => ExitCode::from(u8::try_from(code).unwrap_or(1)),
        Err(error) => {
            eprintln!("error: {error:#}");
            ExitCode::from(2)
        }
    }
}

/// Connects and runs the subcommand; an error is `Err`.
fn execute(cmd: ClusterCommand, global: &GlobalOpts) -> Result<i32> {
    let context_file =
        std::env::var_os("HOME").map(|home| Path::new(&home).join(".config/kfp/context.json"));
    let global = &match context_file {
        Some(path) => with_context_file(global, &path)?,
        None => global.clone(),
    };
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .context("cannot start the async runtime")?;
    runtime.block_on(async {
        let connection = connect(global).await?;
        let client = &connection.client;
        let out = Output { json: global.json };
        match cmd {
            ClusterCommand::Pipeline(c) => pipeline::execute(client, global, &out, c).await,
            ClusterCommand::Run(c) => run::execute(client, global, &out, c).await,
            ClusterCommand::Experiment(c) => experiment::execute(client, global, &out, c).await,
            ClusterCommand::RecurringRun(c) => {
                recurring_run::execute(client, global, &out, c).await
            }
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::run::RunCommand;
    use clap::Parser;

    #[derive(Parser, Debug)]
    struct TestCli {
        #[command(flatten)]
        global: GlobalOpts,
        #[command(subcommand)]
        cmd: ClusterCommand,
    }

    fn parse(args: &[&str]) -> Result<TestCli, clap::Error> {
        TestCli::try_parse_from(std::iter::once("kfp").chain(args.iter().copied()))
    }

    #[test]
    fn run_create_parses_every_option() {
        let cli = parse(&[
            "run",
            "create",
            "p.yaml",
            "--experiment",
            "exp",
            "--param",
            "msg=hi",
            "-p",
            "n=3",
            "--wait",
            "--timeout",
            "60",
            "--host",
            "http://h",
            "--token",
            "t",
            "--namespace",
            "team-a",
            "--header",
            "x-a: b",
            "--cookie",
            "c=d",
            "--json",
            "--no-cache",
        ])
        .unwrap();
        assert_eq!(cli.global.host.as_deref(), Some("http://h"));
        assert_eq!(cli.global.namespace.as_deref(), Some("team-a"));
        assert!(cli.global.json);
        let ClusterCommand::Run(RunCommand::Create {
            pipeline,
            wait,
            timeout,
            ..
        }) = cli.cmd
        else {
            panic!("not run create");
        };
        assert!(wait && pipeline.no_cache);
        assert_eq!(timeout, Some(60));
        assert_eq!(pipeline.params, ["msg=hi", "n=3"]);
        assert_eq!(pipeline.experiment.as_deref(), Some("exp"));
    }

    #[test]
    fn recurring_run_needs_exactly_one_trigger() {
        assert!(parse(&["recurring-run", "create", "--name", "r", "p.yaml"]).is_err());
        assert!(
            parse(&[
                "recurring-run",
                "create",
                "--name",
                "r",
                "p.yaml",
                "--cron",
                "0 * * * * *",
                "--every",
                "5"
            ])
            .is_err()
        );
        assert!(
            parse(&[
                "recurring-run",
                "create",
                "--name",
                "r",
                "--pipeline-id",
                "p",
                "--every",
                "60"
            ])
            .is_ok()
        );
        assert!(
            parse(&["run", "create"]).is_err(),
            "a file or --pipeline-id is required"
        );
        assert!(
            parse(&["run", "create", "p.yaml", "--timeout", "5"]).is_err(),
            "--timeout needs --wait"
        );
    }
}
