//! `kfp graph FILE`: draws the DAG of a pipeline file (kfp-graph) as SVG,
//! Graphviz DOT or Mermaid.

use std::path::PathBuf;
use std::process::ExitCode;

use kfp_graph::Format;
use kfp_ir_schema::PipelineFile;

/// The arguments of `kfp graph`.
#[derive(clap::Args)]
pub struct GraphArgs {
    /// The pipeline file (YAML or JSON).
    file: PathBuf,
    /// svg, dot or mermaid [default: the one the extension of -o names,
    /// else svg].
    #[arg(long, value_name = "FORMAT")]
    format: Option<Format>,
    /// Write to OUT instead of the standard output.
    #[arg(short, long, value_name = "OUT")]
    output: Option<PathBuf>,
}

/// `kfp graph`: 0 when drawn, 1 when the file is not a valid pipeline, 2
/// when it cannot be read or the drawing cannot be written.
pub fn main(args: &GraphArgs) -> ExitCode {
    let file = match PipelineFile::read(&args.file) {
        Ok(file) => file,
        Err(error) => {
            eprintln!("{error}");
            return ExitCode::from(crate::ir::outcome_of(&error) as u8);
        }
    };
    let format = Format::choose(args.format, args.output.as_deref());
    let drawing = kfp_graph::render(&file.spec, format);
    let written = match &args.output {
        Some(path) => std::fs::write(path, drawing).map_err(|e| format!("{}: {e}", path.display())),
        None => {
            use std::io::Write;
            std::io::stdout()
                .lock()
                .write_all(drawing.as_bytes())
                .map_err(|e| format!("standard output: {e}"))
        }
    };
    match written {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("error: {message}");
            ExitCode::from(2)
        }
    }
}
