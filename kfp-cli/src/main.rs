//! `kfp`: the command line of kfp-rs.
//!
//! * `kfp validate FILE...` checks pipeline files against the IR schema and
//!   the KFP backend's rules. Exit status: 0 when every file is valid, 1 when
//!   any is invalid (every problem is listed) or, with `--strict`, has a
//!   warning, 2 when any cannot be read. `--json` prints the problems as
//!   JSON lines.
//! * `kfp schema [--platform]` prints the JSON Schema of the pipeline spec
//!   (or of the platform spec).
//! * `kfp fmt FILE...` rewrites pipeline files as kfp writes them (sorted
//!   keys, the header comment); `--check` only reports which would change.
//! * `kfp local run|runs|show|logs` run pipeline files on this machine
//!   (kfp-local) and show the runs; `kfp ui` shows them in a web UI.
//! * `kfp graph FILE [--format svg|dot|mermaid] [-o OUT]` draws the DAG of a
//!   pipeline file (see `graph`).
//! * `kfp component fetch URL -o FILE` downloads a component file once and
//!   records its URL and sha256 in its header (see `component`).
//! * `kfp pipeline|run|experiment|recurring-run ...` talk to a KFP API
//!   server (see `cluster`).
//!
//! This file only parses the command line and hands each subcommand to its
//! module: `ir` for the file subcommands, `local` for the local runner,
//! `graph` for `kfp graph`, `ui` for `kfp ui`, `cluster` (then `pipeline`, `run`,
//! `experiment`, `recurring_run`) for the server's, which share
//! `connect`, `listing`, `output` and `prepare`.

mod cluster;
mod component;
mod connect;
mod experiment;
mod graph;
mod ir;
mod listing;
mod local;
mod output;
mod pipeline;
mod prepare;
mod recurring_run;
mod run;
mod ui;

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand};

/// The kfp-rs command line: check, format and describe Kubeflow Pipelines IR.
#[derive(Parser)]
#[command(name = "kfp", version, about, propagate_version = true)]
struct Cli {
    #[command(flatten)]
    cluster: connect::GlobalOpts,
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Validate pipeline files (YAML or JSON) against the IR schema 2.1.0 and
    /// the KFP backend's rules.
    ///
    /// Warnings (what the backend accepts but is almost certainly a
    /// mistake, such as a task input its component does not declare) leave
    /// a file valid, unless --strict is given. With --json, every problem is
    /// printed on stdout as one JSON object per line: file, severity,
    /// document, pointer (JSON pointer), line, column, message.
    ///
    /// Exit status: 0 all valid, 1 some invalid, 2 some unreadable.
    Validate {
        /// The files to check (regular files; `-` reads stdin, whose
        /// format is JSON when it starts with `{`, else YAML).
        #[arg(required = true)]
        files: Vec<PathBuf>,
        /// Print nothing for valid files without warnings.
        #[arg(short, long)]
        quiet: bool,
        /// Treat warnings as errors: a file with a warning is invalid.
        #[arg(long)]
        strict: bool,
    },
    /// Print the JSON Schema (draft 2020-12) of the IR.
    Schema {
        /// The schema of the platform spec (the second YAML document) instead
        /// of the pipeline spec.
        #[arg(long)]
        platform: bool,
    },
    /// Rewrite pipeline files canonically, as kfp writes them.
    ///
    /// A file keeps its mode and hard links; a symbolic link's target is
    /// rewritten; a read-only file is refused.
    Fmt {
        /// The files to rewrite in place (`-`: read stdin and write the
        /// canonical text to stdout).
        #[arg(required = true)]
        files: Vec<PathBuf>,
        /// Change nothing; exit 1 if a file is not canonical.
        #[arg(long)]
        check: bool,
    },
    /// Run pipelines on this machine and look at their runs (the local
    /// runner: runs and artifacts in ./kfp-local, or --home).
    #[command(subcommand)]
    Local(local::LocalCommand),
    /// Draw the DAG of a pipeline file: tasks, groups (loops, conditions,
    /// exit handlers, nested pipelines), artifact and parameter edges.
    Graph(graph::GraphArgs),
    /// Serve a read-only web UI over the local runs on 127.0.0.1:8080:
    /// their DAGs, tasks, logs, artifacts and metrics, runs compared.
    Ui(ui::UiArgs),
    /// Fetch component files for `load_component!` (kept in the
    /// repository, their URL and sha256 in their header).
    #[command(subcommand)]
    Component(component::ComponentCommand),
    #[command(flatten)]
    Cluster(Box<cluster::ClusterCommand>),
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    match cli.command {
        Command::Validate {
            files,
            quiet,
            strict,
        } => ir::validate(
            &files,
            ir::ValidateOptions {
                quiet,
                strict,
                json: cli.cluster.json,
            },
        ),
        Command::Schema { platform } => ir::schema(platform),
        Command::Fmt { .. } if cli.cluster.json => {
            eprintln!(
                "error: `kfp fmt` has no JSON output; `kfp validate --json` lists problems as JSON"
            );
            ExitCode::from(2)
        }
        Command::Fmt { files, check } => ir::fmt(&files, check),
        Command::Local(command) => local::main(command, cli.cluster.json),
        Command::Graph(args) => graph::main(&args),
        Command::Ui(args) => ui::main(&args),
        Command::Component(command) => component::main(command),
        Command::Cluster(command) => cluster::main(*command, &cli.cluster),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::CommandFactory;

    #[test]
    fn every_subcommand_is_well_formed() {
        Cli::command().debug_assert();
    }
}
