//! Draws the DAG of a Kubeflow Pipelines IR file.
//!
//! * [`PipelineGraph`] reads a [`kfp_ir_schema::PipelineSpec`] into tasks
//!   (groups and nested pipelines included, each holding its own tasks) and
//!   edges from the task that produces a value to the task that reads it,
//!   across group boundaries, artifacts and parameters apart, plus the
//!   order-only edges of `.after()`.
//! * [`Layout`] places it, top to bottom, in Rust: a layered (Sugiyama)
//!   layout in which every group is a box around its tasks.
//! * [`svg`], [`dot`] and [`mermaid`] draw it: a self-contained SVG, a
//!   Graphviz DOT file, a Mermaid flowchart (which GitHub renders in
//!   Markdown). The SVG renderer takes a [`Decorate`] hook that gives a task
//!   a state, a colour, an icon, a badge and a link, for drawing a run.
//!
//! Output is deterministic: the same spec always gives the same bytes.
//!
//! ```
//! use kfp_graph::{Format, render};
//!
//! let spec: kfp_ir_schema::PipelineSpec = serde_json::from_value(serde_json::json!({
//!     "pipelineInfo": {"name": "hello"},
//!     "root": {"dag": {"tasks": {
//!         "say": {"taskInfo": {"name": "say hello"}, "componentRef": {"name": "comp-say"}}
//!     }}},
//!     "components": {"comp-say": {"executorLabel": "exec-say"}},
//!     "deploymentSpec": {"executors": {"exec-say": {"container": {"image": "alpine"}}}},
//!     "schemaVersion": "2.1.0"
//! }))?;
//! let svg = render(&spec, Format::Svg);
//! assert!(svg.starts_with("<svg") && svg.contains("say hello"));
//! assert!(render(&spec, Format::Mermaid).starts_with("flowchart TB\n"));
//! assert!(render(&spec, Format::Dot).starts_with("digraph "));
//! # Ok::<(), serde_json::Error>(())
//! ```

pub mod dot;
pub mod label;
mod layout;
pub mod mermaid;
mod model;
pub mod svg;
mod text;
mod theme;

pub use layout::{Layout, Point, Rect, Size};
pub use model::{
    Condition, Edge, EdgeKind, Loop, PipelineGraph, Task, TaskId, TaskKind, natural_order,
};
pub use svg::{Decorate, NodeDecoration, SvgOptions};

/// An output format of [`render`].
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Format {
    /// A self-contained SVG image, laid out by this crate.
    #[default]
    Svg,
    /// A Graphviz DOT graph (`dot -Tpng` lays it out).
    Dot,
    /// A Mermaid flowchart, for a ```` ```mermaid ```` block in Markdown.
    Mermaid,
}

/// A name that is not a [`Format`].
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("unknown format `{0}`: expected svg, dot or mermaid")]
pub struct UnknownFormat(pub String);

impl std::str::FromStr for Format {
    type Err = UnknownFormat;

    /// `svg`, `dot` (or `gv`) or `mermaid` (or `mmd`), in any case.
    fn from_str(name: &str) -> Result<Self, Self::Err> {
        match name.to_ascii_lowercase().as_str() {
            "svg" => Ok(Self::Svg),
            "dot" | "gv" => Ok(Self::Dot),
            "mermaid" | "mmd" => Ok(Self::Mermaid),
            _ => Err(UnknownFormat(name.to_owned())),
        }
    }
}

impl Format {
    /// The format a file's extension names: `.svg`; `.dot` or `.gv`;
    /// `.mmd` or `.mermaid`.
    ///
    /// ```
    /// use kfp_graph::Format;
    /// use std::path::Path;
    ///
    /// assert_eq!(Format::from_extension(Path::new("dag.mmd")), Some(Format::Mermaid));
    /// assert_eq!(Format::from_extension(Path::new("dag.txt")), None);
    /// ```
    pub fn from_extension(path: &std::path::Path) -> Option<Format> {
        let extension = path.extension()?.to_str()?;
        if extension.eq_ignore_ascii_case("svg") {
            Some(Self::Svg)
        } else {
            extension.parse().ok().filter(|f| *f != Self::Svg)
        }
    }

    /// The format to write: `chosen` if given, else the one `output`'s
    /// extension names, else SVG. What `kfp graph` and a pipeline binary's
    /// `graph` do with `--format` and `-o`.
    pub fn choose(chosen: Option<Format>, output: Option<&std::path::Path>) -> Format {
        chosen
            .or_else(|| output.and_then(Self::from_extension))
            .unwrap_or_default()
    }
}

impl std::fmt::Display for Format {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            Self::Svg => "svg",
            Self::Dot => "dot",
            Self::Mermaid => "mermaid",
        })
    }
}

/// The drawing of `spec` in `format`, with no decorations.
pub fn render(spec: &kfp_ir_schema::PipelineSpec, format: Format) -> String {
    let graph = PipelineGraph::from_spec(spec);
    match format {
        Format::Svg => svg::render(&graph, &Layout::of(&graph), &SvgOptions::default()),
        Format::Dot => dot::render(&graph),
        Format::Mermaid => mermaid::render(&graph),
    }
}
