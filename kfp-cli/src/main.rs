//! `kfp`: the command line of kfp-rs.
//!
//! * `kfp validate FILE...` checks pipeline files against the IR schema and
//!   the KFP backend's rules. Exit status: 0 when every file is valid, 1 when
//!   any is invalid (every problem is listed), 2 when any cannot be read.
//! * `kfp schema [--platform]` prints the JSON Schema of the pipeline spec
//!   (or of the platform spec).
//! * `kfp fmt FILE...` rewrites pipeline files as kfp writes them (sorted
//!   keys, the header comment); `--check` only reports which would change.
//! * `kfp pipeline|run|experiment|recurring-run ...` talk to a KFP API
//!   server (see `cluster`).

mod cluster;

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand};
use kfp_ir_schema::PipelineFile;
use kfp_ir_schema::file::FileError;
use kfp_ir_schema::schema::SchemaKind;
use kfp_ir_schema::validate::Format;

/// The kfp-rs command line: check, format and describe Kubeflow Pipelines IR.
#[derive(Parser)]
#[command(name = "kfp", version, about, propagate_version = true)]
struct Cli {
    #[command(flatten)]
    cluster: cluster::GlobalOpts,
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Validate pipeline files (YAML or JSON) against the IR schema 2.1.0 and
    /// the KFP backend's rules.
    ///
    /// Exit status: 0 all valid, 1 some invalid, 2 some unreadable.
    Validate {
        /// The files to check.
        #[arg(required = true)]
        files: Vec<PathBuf>,
        /// Print nothing for valid files.
        #[arg(short, long)]
        quiet: bool,
    },
    /// Print the JSON Schema (draft 2020-12) of the IR.
    Schema {
        /// The schema of the platform spec (the second YAML document) instead
        /// of the pipeline spec.
        #[arg(long)]
        platform: bool,
    },
    /// Rewrite pipeline files canonically, as kfp writes them.
    Fmt {
        /// The files to rewrite in place.
        #[arg(required = true)]
        files: Vec<PathBuf>,
        /// Change nothing; exit 1 if a file is not canonical.
        #[arg(long)]
        check: bool,
    },
    #[command(flatten)]
    Cluster(Box<cluster::ClusterCommand>),
}

/// What happened to one file, in the order of severity of the exit status.
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Outcome {
    Ok = 0,
    Invalid = 1,
    Unreadable = 2,
}

fn outcome_of(error: &FileError) -> Outcome {
    match error {
        FileError::Invalid { .. } | FileError::Unsupported { .. } => Outcome::Invalid,
        FileError::Io { .. } | FileError::NotText { .. } => Outcome::Unreadable,
    }
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let outcome = match cli.command {
        Command::Validate { files, quiet } => validate(&files, quiet),
        Command::Schema { platform } => {
            let kind = if platform {
                SchemaKind::PlatformSpec
            } else {
                SchemaKind::PipelineSpec
            };
            print!("{}", kind.committed());
            Outcome::Ok
        }
        Command::Fmt { files, check } => fmt(&files, check),
        Command::Cluster(command) => {
            return match cluster::run(*command, &cli.cluster) {
                Ok(code) => ExitCode::from(u8::try_from(code).unwrap_or(1)),
                Err(error) => {
                    eprintln!("error: {error:#}");
                    ExitCode::from(2)
                }
            };
        }
    };
    ExitCode::from(outcome as u8)
}

fn validate(files: &[PathBuf], quiet: bool) -> Outcome {
    let mut worst = Outcome::Ok;
    for path in files {
        match PipelineFile::read(path) {
            Ok(file) => {
                if !quiet {
                    let name = file
                        .spec
                        .pipeline_info
                        .as_ref()
                        .map_or("", |i| i.name.as_str());
                    println!("{}: valid pipeline `{name}`", path.display());
                }
            }
            Err(error) => {
                eprintln!("{error}");
                worst = worst.max(outcome_of(&error));
            }
        }
    }
    worst
}

fn fmt(files: &[PathBuf], check: bool) -> Outcome {
    let mut worst = Outcome::Ok;
    for path in files {
        let result = PipelineFile::read(path).and_then(|file| {
            let format = Format::from_path(path);
            let text = file
                .to_string_as(format)
                .ok_or_else(|| FileError::Unsupported {
                    path: path.clone(),
                    message: "platform-specific features can only be written to YAML".to_owned(),
                })?;
            let current = std::fs::read_to_string(path).unwrap_or_default();
            if current == text {
                return Ok(false);
            }
            if !check {
                kfp_ir_schema::file::write_atomically(path, text.as_bytes())?;
            }
            Ok(true)
        });
        match result {
            Ok(false) => {}
            Ok(true) if check => {
                println!("{}: not canonical", path.display());
                worst = worst.max(Outcome::Invalid);
            }
            Ok(true) => println!("{}: rewritten", path.display()),
            Err(error) => {
                eprintln!("{error}");
                worst = worst.max(outcome_of(&error));
            }
        }
    }
    worst
}
