//! The colours and line styles of the drawings, in one place for every
//! format.

use crate::model::{EdgeKind, TaskKind};

/// The colour of text, borders and edges.
pub(crate) const INK: &str = "#3c4043";
/// The colour of captions and of the legend.
pub(crate) const MUTED: &str = "#5f6368";

/// The fill of a task's box.
pub(crate) fn node_fill(kind: &TaskKind) -> &'static str {
    match kind {
        TaskKind::Importer => "#e6f4ea",
        TaskKind::Other => "#f1f3f4",
        _ => "#ffffff",
    }
}

/// The border colour of a group's box (and the fill behind it, lighter).
pub(crate) fn group_colours(kind: &TaskKind) -> (&'static str, &'static str) {
    match kind {
        TaskKind::Loop(_) => ("#1a73e8", "#f3f8fe"),
        TaskKind::Condition => ("#e37400", "#fef7ee"),
        TaskKind::Branches => ("#9aa0a6", "#fafafa"),
        TaskKind::ExitHandler => ("#c5221f", "#fdf3f2"),
        _ => ("#7b1fa2", "#f8f2fb"),
    }
}

/// The SVG `stroke-dasharray` (and Graphviz `style`) of an edge.
pub(crate) fn edge_dash(kind: EdgeKind) -> (Option<&'static str>, &'static str) {
    match kind {
        EdgeKind::Artifact => (None, "solid"),
        EdgeKind::Parameter => (Some("6 4"), "dashed"),
        EdgeKind::Order => (Some("1.5 3.5"), "dotted"),
    }
}

/// What an edge kind means, for legends.
pub(crate) fn edge_meaning(kind: EdgeKind) -> &'static str {
    match kind {
        EdgeKind::Artifact => "artifact",
        EdgeKind::Parameter => "parameter",
        EdgeKind::Order => "runs after (no data)",
    }
}
