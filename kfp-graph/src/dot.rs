//! The graph as Graphviz DOT: a task is a box named by its path, a group a
//! `subgraph cluster_…` with a title, artifact edges solid, parameter
//! edges dashed, order-only edges dotted.
//!
//! An edge to or from a group is drawn to its border (`compound=true`,
//! `lhead`/`ltail`), anchored on the group's first task (or on an invisible
//! point when the group holds none).

use std::fmt::Write;

use crate::label;
use crate::model::{PipelineGraph, TaskId};
use crate::theme;

/// The DOT text of `graph`.
///
/// ```
/// # let spec: kfp_ir_schema::PipelineSpec = serde_json::from_value(serde_json::json!({
/// #     "pipelineInfo": {"name": "p"},
/// #     "root": {"dag": {"tasks": {"a": {"taskInfo": {"name": "a \"quoted\""},
/// #         "componentRef": {"name": "comp-a"}}}}},
/// #     "schemaVersion": "2.1.0"
/// # }))?;
/// let graph = kfp_graph::PipelineGraph::from_spec(&spec);
/// let dot = kfp_graph::dot::render(&graph);
/// assert!(dot.contains(r#""a" [label="a \"quoted\"\na", "#), "{dot}");
/// # Ok::<(), serde_json::Error>(())
/// ```
pub fn render(graph: &PipelineGraph) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "digraph {} {{", quote(&graph.name));
    let font = "Helvetica,Arial,sans-serif";
    let _ = writeln!(
        out,
        "  graph [rankdir=TB, compound=true, fontname={f}, fontsize=13, label={}, labelloc=t, \
         nodesep=0.3, ranksep=0.5];",
        quote(&graph.display_name),
        f = quote(font),
    );
    let _ = writeln!(
        out,
        "  node [shape=box, style=\"rounded,filled\", color={ink}, fontname={f}, fontsize=11];",
        ink = quote(theme::INK),
        f = quote(font),
    );
    let _ = writeln!(
        out,
        "  edge [color={ink}, arrowsize=0.7];",
        ink = quote(theme::INK)
    );
    let anchors = Anchors::of(graph);
    for &root in graph.roots() {
        write_task(&mut out, graph, &anchors, root, 1);
    }
    for edge in graph.edges() {
        let (_, style) = theme::edge_dash(edge.kind);
        let mut attributes = vec![format!("style={style}")];
        if edge.kind == crate::model::EdgeKind::Order {
            attributes.push("arrowhead=empty".to_owned());
        }
        if graph.task(edge.from).kind.is_group() {
            attributes.push(format!("ltail={}", quote(&cluster_name(graph, edge.from))));
        }
        if graph.task(edge.to).kind.is_group() {
            attributes.push(format!("lhead={}", quote(&cluster_name(graph, edge.to))));
        }
        if !edge.values.is_empty() {
            attributes.push(format!("tooltip={}", quote(&edge.values.join("\n"))));
        }
        let _ = writeln!(
            out,
            "  {} -> {} [{}];",
            quote(&anchors.node(graph, edge.from)),
            quote(&anchors.node(graph, edge.to)),
            attributes.join(", ")
        );
    }
    out.push_str("}\n");
    out
}

/// Writes a task's node, or a group's subgraph with its tasks.
fn write_task(
    out: &mut String,
    graph: &PipelineGraph,
    anchors: &Anchors,
    id: TaskId,
    depth: usize,
) {
    let task = graph.task(id);
    let indent = "  ".repeat(depth);
    let text = format!("{}\n{}", label::title(task), label::short_caption(task));
    if !task.kind.is_group() {
        let _ = writeln!(
            out,
            "{indent}{} [label={}, fillcolor={}];",
            quote(&task.path),
            quote(&text),
            quote(theme::node_fill(&task.kind)),
        );
        return;
    }
    let (border, fill) = theme::group_colours(&task.kind);
    let _ = writeln!(
        out,
        "{indent}subgraph {} {{",
        quote(&cluster_name(graph, id))
    );
    let _ = writeln!(
        out,
        "{indent}  label={}; labeljust=l; style=\"rounded,filled\"; color={}; fillcolor={};",
        quote(&text),
        quote(border),
        quote(fill),
    );
    if anchors.blank.binary_search(&id).is_ok() {
        let _ = writeln!(
            out,
            "{indent}  {} [shape=point, style=invis, width=0, label=\"\"];",
            quote(&blank_anchor(graph, id))
        );
    }
    for &child in &task.children {
        write_task(out, graph, anchors, child, depth + 1);
    }
    let _ = writeln!(out, "{indent}}}");
}

/// The subgraph name of group `id`: Graphviz draws a subgraph as a box only
/// when its name starts with `cluster`.
fn cluster_name(graph: &PipelineGraph, id: TaskId) -> String {
    format!("cluster_{}", graph.task(id).path)
}

/// The invisible node of an empty group.
fn blank_anchor(graph: &PipelineGraph, id: TaskId) -> String {
    format!("{}/", graph.task(id).path)
}

/// The nodes that edges to and from groups attach to.
struct Anchors {
    /// The groups that an edge touches and that hold no task.
    blank: Vec<TaskId>,
}

impl Anchors {
    fn of(graph: &PipelineGraph) -> Self {
        let mut blank: Vec<TaskId> = graph
            .edges()
            .iter()
            .flat_map(|e| [e.from, e.to])
            .filter(|&t| graph.task(t).kind.is_group() && first_leaf(graph, t).is_none())
            .collect();
        blank.sort_unstable();
        blank.dedup();
        Self { blank }
    }

    /// The node an edge to or from `id` is drawn to.
    fn node(&self, graph: &PipelineGraph, id: TaskId) -> String {
        if !graph.task(id).kind.is_group() {
            return graph.task(id).path.clone();
        }
        match first_leaf(graph, id) {
            Some(leaf) => graph.task(leaf).path.clone(),
            None => blank_anchor(graph, id),
        }
    }
}

/// The first task (not a group) inside group `id`, in id order.
fn first_leaf(graph: &PipelineGraph, id: TaskId) -> Option<TaskId> {
    graph.task(id).children.iter().find_map(|&c| {
        if graph.task(c).kind.is_group() {
            first_leaf(graph, c)
        } else {
            Some(c)
        }
    })
}

/// A DOT quoted string: `"` and `\` escaped, line breaks as `\n`.
fn quote(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 2);
    out.push('"');
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => {}
            c => out.push(c),
        }
    }
    out.push('"');
    out
}
