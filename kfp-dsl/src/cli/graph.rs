//! `my-pipeline graph [--format svg|dot|mermaid] [-o OUT]`: compile the
//! pipeline in memory and draw its DAG (kfp-graph), as `kfp graph FILE`
//! draws a compiled file.

use std::path::PathBuf;

use kfp_graph::Format;

use crate::compile::{PipelineEntry, compile};

/// The arguments of `graph`.
#[derive(clap::Args, Debug)]
pub(super) struct GraphArgs {
    /// svg, dot or mermaid [default: the one the extension of -o names,
    /// else svg].
    #[arg(long, value_name = "FORMAT")]
    format: Option<Format>,
    /// Write to OUT instead of the standard output.
    #[arg(short, long, value_name = "OUT")]
    output: Option<PathBuf>,
}

/// Compiles `entry` and writes the drawing of its DAG.
pub(super) fn graph(entry: PipelineEntry, args: &GraphArgs) -> Result<u8, String> {
    let file = compile(entry).map_err(|e| e.to_string())?;
    let format = Format::choose(args.format, args.output.as_deref());
    let drawing = kfp_graph::render(&file.spec, format);
    match &args.output {
        Some(path) => {
            std::fs::write(path, drawing).map_err(|e| format!("{}: {e}", path.display()))?;
            eprintln!("wrote {}", path.display());
        }
        None => {
            use std::io::Write;
            std::io::stdout()
                .lock()
                .write_all(drawing.as_bytes())
                .map_err(|e| format!("standard output: {e}"))?;
        }
    }
    Ok(0)
}
