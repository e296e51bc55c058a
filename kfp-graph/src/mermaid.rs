//! The graph as a Mermaid flowchart, for a ```` ```mermaid ```` block in
//! GitHub Markdown: a task is a node, a group a `subgraph`; artifact edges
//! are solid (`-->`), parameter edges dotted (`-.->`), order-only edges
//! dotted with a circle head (`-.-o`).
//!
//! The syntax rules relied on, each tested below:
//!
//! * an id is `t_` (task) or `g_` (group) and the task's path with every
//!   character outside `[A-Za-z0-9]` made `_` (`/` becomes `__`), made
//!   unique with `_2`, `_3`…: so no id is a Mermaid keyword (`end`,
//!   `graph`), none starts with `o` or `x` (which would change the arrow
//!   before it), and none needs quoting;
//! * every label is quoted (`id["…"]`, `subgraph id["…"]`), so brackets,
//!   parentheses and operators in it are text;
//! * inside a label, `"` is `#quot;` and `#`, `<`, `>`, `&` and `` ` `` are
//!   Mermaid entity codes (`#35;`, `#60;`, …), so nothing in a name or a
//!   condition can end the label, open a tag or start a Markdown string;
//!   line breaks are `<br/>`;
//! * edges go to and from subgraph ids directly (Mermaid 9.4+; GitHub runs
//!   a later one).

use std::collections::BTreeSet;
use std::fmt::Write;

use crate::label;
use crate::model::{EdgeKind, PipelineGraph, TaskId, TaskKind};
use crate::theme;

/// The Mermaid text of `graph`.
///
/// ```
/// # let spec: kfp_ir_schema::PipelineSpec = serde_json::from_value(serde_json::json!({
/// #     "pipelineInfo": {"name": "p"},
/// #     "root": {"dag": {"tasks": {"end": {"taskInfo": {"name": "say \"bye\" <now>"},
/// #         "componentRef": {"name": "comp-end"}}}}},
/// #     "schemaVersion": "2.1.0"
/// # }))?;
/// let graph = kfp_graph::PipelineGraph::from_spec(&spec);
/// let text = kfp_graph::mermaid::render(&graph);
/// assert!(text.contains(r#"t_end["say #quot;bye#quot; #60;now#62;<br/>end"]"#), "{text}");
/// # Ok::<(), serde_json::Error>(())
/// ```
pub fn render(graph: &PipelineGraph) -> String {
    let ids = ids(graph);
    let mut out = String::from("flowchart TB\n");
    let _ = writeln!(out, "  %% {}", graph.display_name.replace('\n', " "));
    let _ = writeln!(
        out,
        "  %% --> {}, -.-> {}, -.-o {}",
        theme::edge_meaning(EdgeKind::Artifact),
        theme::edge_meaning(EdgeKind::Parameter),
        theme::edge_meaning(EdgeKind::Order),
    );
    for &root in graph.roots() {
        write_task(&mut out, graph, &ids, root, 1);
    }
    for edge in graph.edges() {
        let arrow = match edge.kind {
            EdgeKind::Artifact => "-->",
            EdgeKind::Parameter => "-.->",
            EdgeKind::Order => "-.-o",
        };
        let _ = writeln!(
            out,
            "  {} {arrow} {}",
            ids[edge.from.index()],
            ids[edge.to.index()]
        );
    }
    for (class, kind) in [("importer", TaskKind::Importer), ("other", TaskKind::Other)] {
        let members: Vec<&str> = graph
            .tasks()
            .iter()
            .filter(|t| t.kind == kind)
            .map(|t| ids[t.id.index()].as_str())
            .collect();
        if !members.is_empty() {
            let _ = writeln!(
                out,
                "  classDef {class} fill:{},stroke:{}",
                theme::node_fill(&kind),
                theme::INK
            );
            let _ = writeln!(out, "  class {} {class}", members.join(","));
        }
    }
    for task in graph.tasks().iter().filter(|t| t.kind.is_group()) {
        let (border, fill) = theme::group_colours(&task.kind);
        let _ = writeln!(
            out,
            "  style {} fill:{fill},stroke:{border}",
            ids[task.id.index()]
        );
    }
    out
}

/// Writes a task's node, or a group's subgraph with its tasks.
fn write_task(out: &mut String, graph: &PipelineGraph, ids: &[String], id: TaskId, depth: usize) {
    let task = graph.task(id);
    let indent = "  ".repeat(depth);
    let text = format!(
        "{}<br/>{}",
        escape(label::title(task)),
        escape(&label::short_caption(task))
    );
    if !task.kind.is_group() {
        let _ = writeln!(out, "{indent}{}[\"{text}\"]", ids[id.index()]);
        return;
    }
    let _ = writeln!(out, "{indent}subgraph {}[\"{text}\"]", ids[id.index()]);
    let _ = writeln!(out, "{indent}  direction TB");
    for &child in &task.children {
        write_task(out, graph, ids, child, depth + 1);
    }
    let _ = writeln!(out, "{indent}end");
}

/// The Mermaid id of every task, by [`TaskId`].
fn ids(graph: &PipelineGraph) -> Vec<String> {
    let mut taken = BTreeSet::new();
    graph
        .tasks()
        .iter()
        .map(|task| {
            let prefix = if task.kind.is_group() { "g_" } else { "t_" };
            let base = sanitize(prefix, &task.path);
            let mut id = base.clone();
            let mut n = 2;
            while !taken.insert(id.clone()) {
                id = format!("{base}_{n}");
                n += 1;
            }
            id
        })
        .collect()
}

/// `prefix` and `path` with every character outside `[A-Za-z0-9]` as `_`.
fn sanitize(prefix: &str, path: &str) -> String {
    let mut id = String::with_capacity(prefix.len() + path.len() + 4);
    id.push_str(prefix);
    for c in path.chars() {
        match c {
            'a'..='z' | 'A'..='Z' | '0'..='9' => id.push(c),
            '/' => id.push_str("__"),
            _ => id.push('_'),
        }
    }
    id
}

/// Text for inside a quoted Mermaid label (see the module docs).
fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '"' => out.push_str("#quot;"),
            '#' => out.push_str("#35;"),
            '<' => out.push_str("#60;"),
            '>' => out.push_str("#62;"),
            '&' => out.push_str("#38;"),
            '`' => out.push_str("#96;"),
            '\n' | '\r' => out.push(' '),
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_are_plain_words_that_no_keyword_or_arrow_can_take() {
        assert_eq!(sanitize("t_", "for-loop-2/train"), "t_for_loop_2__train");
        assert_eq!(sanitize("t_", "end"), "t_end");
        assert_eq!(sanitize("g_", "o.x y"), "g_o_x_y");
        let id = sanitize("t_", "ünïcode/é");
        assert!(
            id.chars().all(|c| c.is_ascii_alphanumeric() || c == '_'),
            "{id}"
        );
    }

    #[test]
    fn nothing_in_a_label_can_close_it_or_open_markup() {
        let text = escape("if \"a\" <b> & `c` #1;\nnext");
        assert_eq!(
            text,
            "if #quot;a#quot; #60;b#62; #38; #96;c#96; #35;1; next"
        );
        assert!(!text.contains(['"', '<', '>', '`', '\n']));
        // Every `#` left starts an entity code of letters or digits and `;`.
        for (i, _) in text.match_indices('#') {
            let code: String = text[i + 1..]
                .chars()
                .take_while(|c| c.is_ascii_alphanumeric())
                .collect();
            assert!(
                !code.is_empty() && text[i + 1 + code.len()..].starts_with(';'),
                "{text}"
            );
        }
    }
}
