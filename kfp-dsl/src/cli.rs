//! The command-line entry of a pipeline binary.
//!
//! ```text
//! my-pipeline                          write <pipeline-name>.yaml here
//! my-pipeline compile [-o FILE|-] [--json|--yaml] [--pipeline-name NAME]
//!                      [--display-name NAME] [--pipeline-parameters JSON]
//! my-pipeline dockerfile               print a Dockerfile for the image
//! my-pipeline graph [--format svg|dot|mermaid] [-o OUT]
//!                                      draw its DAG (kfp-graph)
//! my-pipeline submit [--host URL] [--param K=V]... [--wait]
//!                                      send it to a KFP cluster (through `kfp`)
//! my-pipeline run [--param K=V]... [--parallelism N] [--no-cache] [--runner host|container]
//!                                      run it on this machine (kfp-local)
//! my-pipeline runs | show RUN | logs RUN TASK
//!                                      the local runs, as `kfp local` shows them
//! my-pipeline ui [--port P] [--bind ADDR]
//!                                      the local runs in a web UI (kfp-ui)
//! my-pipeline --executor_input JSON --function_to_execute NAME
//! ```

mod graph;
mod submit;

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand};
use kfp_compiler::Overrides;
use kfp_ir_schema::validate::Format;

use crate::compile::{PipelineEntry, compile_to_file, compile_to_file_with, compile_to_stdout};
use crate::executor::{ExecutorError, execute};
use crate::native::{Settings, binary_name, set_settings, settings};

#[derive(Parser, Debug)]
#[command(
    about = "A Kubeflow pipeline written in Rust. With no arguments, writes <pipeline-name>.yaml \
             in the current folder.",
    disable_version_flag = true
)]
struct Cli {
    /// Run a component: the executor input JSON (given by KFP as `{{$}}`).
    #[arg(long = "executor_input", requires = "function_to_execute")]
    executor_input: Option<String>,
    /// Run a component: the Rust function name of the component.
    #[arg(long = "function_to_execute", requires = "executor_input")]
    function_to_execute: Option<String>,
    /// Write JSON instead of YAML.
    #[arg(long)]
    json: bool,
    #[command(subcommand)]
    command: Option<Command>,
}

#[derive(Subcommand, Debug)]
enum Command {
    /// Compile the pipeline to KFP IR.
    ///
    /// A regular file is replaced atomically and keeps its mode; a
    /// read-only one is refused. A device or FIFO (`/dev/stdout`) is
    /// written in place, and a symbolic link's target is written.
    Compile {
        /// The output file (default: `<pipeline-name>.yaml`, or `.json`
        /// with --json); `-` is stdout. Its extension picks the format as
        /// kfp does (`.json`: JSON, else YAML) unless --json or --yaml is
        /// given.
        #[arg(short, long)]
        output: Option<PathBuf>,
        /// Names the pipeline NAME instead (`pipelineInfo.name`).
        #[arg(long, value_name = "NAME")]
        pipeline_name: Option<String>,
        /// Shows the pipeline as NAME (`pipelineInfo.displayName`).
        #[arg(long, value_name = "NAME")]
        display_name: Option<String>,
        /// New defaults of pipeline inputs, as a JSON object of input names
        /// to values, e.g. '{"epochs": 5}' (kfp's `--pipeline-parameters`).
        #[arg(long, value_name = "JSON")]
        pipeline_parameters: Option<String>,
        /// Write JSON, whatever the output file's extension.
        #[arg(long, conflicts_with = "yaml")]
        json: bool,
        /// Write YAML, whatever the output file's extension.
        #[arg(long)]
        yaml: bool,
    },
    /// Run the pipeline on this machine with the local runner: its IR,
    /// with the KFP backend's semantics; this binary runs its Rust
    /// components. Runs and artifacts go to ./kfp-local (--home).
    Run {
        #[command(flatten)]
        flags: kfp_local::cli::RunFlags,
        /// Print the result as JSON (on stdout) instead of the summary.
        #[arg(long)]
        json: bool,
    },
    /// List the local runs, newest first.
    Runs {
        #[command(flatten)]
        flags: kfp_local::cli::RunsFlags,
        /// Print JSON lines instead of a table.
        #[arg(long)]
        json: bool,
    },
    /// Show a local run: each task's state, inputs, outputs, artifacts,
    /// metrics and log.
    Show {
        #[command(flatten)]
        args: kfp_local::cli::ShowArgs,
        /// Print JSON instead of text.
        #[arg(long)]
        json: bool,
    },
    /// Print a task's log of a local run.
    Logs(kfp_local::cli::LogsArgs),
    /// Serve a read-only web UI over the local runs on 127.0.0.1:8080:
    /// their DAGs, tasks, logs, artifacts and metrics, runs compared.
    Ui(kfp_ui::cli::UiArgs),
    /// Print a Dockerfile that builds this binary into a slim image.
    Dockerfile,
    /// Draw the pipeline's DAG: tasks, groups (loops, conditions, exit
    /// handlers, nested pipelines), artifact and parameter edges.
    Graph(graph::GraphArgs),
    /// Compile the pipeline and create a run of it on a KFP cluster, with
    /// the `kfp` command line: the arguments are those of `kfp run create`
    /// (`--host URL`, `--param K=V`, `--experiment NAME`, `--wait`, ...).
    Submit {
        /// The `kfp` binary to run [default: $KFP_BIN, else `kfp` on the PATH].
        #[arg(long = "kfp", value_name = "PATH")]
        kfp: Option<PathBuf>,
        /// Passed to `kfp run create FILE`.
        #[arg(trailing_var_arg = true, allow_hyphen_values = true)]
        args: Vec<std::ffi::OsString>,
    },
}

/// Runs the pipeline binary's command line (see the module docs); `image`
/// is the image of Rust-native components that set none.
pub fn run(entry: PipelineEntry, image: Option<&str>) -> ExitCode {
    ExitCode::from(run_with_args(entry, image, std::env::args_os()))
}

/// [`run`] with explicit arguments (the first is the program name); returns
/// the exit status: 0 on success, 1 when the work failed, 2 for a usage
/// error.
pub fn run_with_args<I, T>(entry: PipelineEntry, image: Option<&str>, args: I) -> u8
where
    I: IntoIterator<Item = T>,
    T: Into<std::ffi::OsString> + Clone,
{
    let cli = match Cli::try_parse_from(args) {
        Ok(cli) => cli,
        Err(e) => {
            let _ = e.print();
            return if e.use_stderr() { 2 } else { 0 };
        }
    };
    let mut s = Settings::default();
    if let Some(image) = image {
        s.default_image = image.to_owned();
    }
    set_settings(s);
    match dispatch(entry, cli) {
        Ok(code) => code,
        Err(message) => {
            eprintln!("error: {message}");
            1
        }
    }
}

/// Does what the command line asks; returns the exit status.
fn dispatch(entry: PipelineEntry, cli: Cli) -> Result<u8, String> {
    if let (Some(input), Some(function)) = (&cli.executor_input, &cli.function_to_execute) {
        let recorded = (entry.record)();
        let run = recorded
            .executors
            .get(function.as_str())
            .copied()
            .ok_or_else(|| {
                ExecutorError::UnknownFunction {
                    name: function.clone(),
                    known: recorded
                        .executors
                        .keys()
                        .cloned()
                        .collect::<Vec<_>>()
                        .join(", "),
                }
                .to_string()
            })?;
        execute(input, run).map_err(|e| e.to_string())?;
        return Ok(0);
    }
    match cli.command {
        Some(Command::Submit { kfp, args }) => submit::submit(entry, kfp, &args),
        Some(Command::Dockerfile) => {
            print!("{}", dockerfile());
            Ok(0)
        }
        Some(Command::Graph(args)) => graph::graph(entry, &args),
        Some(Command::Run { flags, json }) => crate::local::run_binary(entry, &flags, json),
        Some(Command::Runs { flags, json }) => Ok(kfp_local::cli::runs(&flags, json)),
        Some(Command::Show { args, json }) => Ok(kfp_local::cli::show(&args, json)),
        Some(Command::Logs(args)) => Ok(kfp_local::cli::logs(&args)),
        Some(Command::Ui(args)) => Ok(kfp_ui::cli::run(&args)),
        Some(Command::Compile {
            output,
            pipeline_name,
            display_name,
            pipeline_parameters,
            json,
            yaml,
        }) => {
            let parameters = match pipeline_parameters {
                Some(text) => parse_pipeline_parameters(&text)?,
                None => Default::default(),
            };
            let overrides = Overrides {
                pipeline_name,
                display_name,
                parameters,
            };
            let format = match (cli.json || json, yaml) {
                (true, true) => return Err("--json and --yaml ask for two formats".to_owned()),
                (true, false) => Some(Format::Json),
                (false, true) => Some(Format::Yaml),
                (false, false) => None,
            };
            if output.as_deref() == Some(std::path::Path::new("-")) {
                compile_to_stdout(entry, format.unwrap_or(Format::Yaml), &overrides)
                    .map_err(|e| e.to_string())?;
                return Ok(0);
            }
            let path = compile_to_file_with(entry, output.as_deref(), format, &overrides)
                .map_err(|e| e.to_string())?;
            eprintln!("wrote {}", path.display());
            Ok(0)
        }
        None => {
            let path = compile_to_file(entry, None, cli.json).map_err(|e| e.to_string())?;
            eprintln!("wrote {}", path.display());
            Ok(0)
        }
    }
}

/// The value of `--pipeline-parameters`: a JSON object.
fn parse_pipeline_parameters(
    text: &str,
) -> Result<std::collections::BTreeMap<String, serde_json::Value>, String> {
    let expected = "--pipeline-parameters takes a JSON object of input names to values, \
                    e.g. '{\"epochs\": 5}'";
    match serde_json::from_str(text) {
        Ok(serde_json::Value::Object(map)) => Ok(map.into_iter().collect()),
        Ok(other) => Err(format!("{expected}, not {other}")),
        Err(e) => Err(format!("{expected}: {e}")),
    }
}

/// A Dockerfile that builds this binary with cargo and copies it into a
/// slim image at the path the compiled pipeline runs.
pub fn dockerfile() -> String {
    let name = binary_name();
    let target = settings().binary_path;
    format!(
        "# Build from the root of the cargo workspace:\n\
         #   docker build -f Dockerfile -t {image} .\n\
         FROM rust:1.95-slim AS build\n\
         WORKDIR /src\n\
         COPY . .\n\
         RUN cargo build --release --example {name} 2>/dev/null \\\n\
         \x20   || cargo build --release --bin {name}\n\
         RUN cp target/release/examples/{name} /{name} 2>/dev/null \\\n\
         \x20   || cp target/release/{name} /{name}\n\
         \n\
         FROM debian:bookworm-slim\n\
         RUN apt-get update && apt-get install -y --no-install-recommends ca-certificates \\\n\
         \x20   && rm -rf /var/lib/apt/lists/*\n\
         COPY --from=build /{name} {target}\n\
         ENTRYPOINT [\"{target}\"]\n",
        image = settings().default_image,
    )
}
