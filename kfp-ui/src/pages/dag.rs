//! The drawing of a run's DAG: every task execution as a node in its
//! state's colour, with its icon, its state's name and how long it took,
//! linked to its panel; loops hold their iterations.
//!
//! DAG HOOK: this draws the executions as nested boxes. Once `kfp-graph`
//! is in the workspace, its SVG renderer (with a per-node decoration of
//! state colour, icon, badge and link, looked up by task path with the
//! iteration numbers left out) takes this function's place; the caller
//! passes the run's pipeline spec for it already.

use std::collections::HashMap;
use std::fmt::Write;

use kfp_local::store::{TaskKind, TaskRecord};

use super::run::{children, task_badge, task_label};
use crate::html::Esc;
use crate::look;
use crate::route::task_href;

/// The DAG of run `run_id` (whose pipeline spec is `_spec`) with the
/// states of `tasks`.
pub fn render(run_id: &str, _spec: &serde_json::Value, tasks: &[TaskRecord]) -> String {
    if tasks.is_empty() {
        return "<p class=\"empty\">No task has started yet.</p>".into();
    }
    let by_parent = children(tasks);
    let mut out = String::from("<div class=\"graph\" role=\"tree\" aria-label=\"task graph\">");
    nodes(&mut out, run_id, &by_parent, "");
    out.push_str("</div>");
    out
}

fn nodes(
    out: &mut String,
    run_id: &str,
    by_parent: &HashMap<&str, Vec<&TaskRecord>>,
    parent: &str,
) {
    let Some(list) = by_parent.get(parent) else {
        return;
    };
    out.push_str("<ul>");
    for task in list {
        let look = look::task(task.state);
        let group = matches!(
            task.kind,
            TaskKind::Dag | TaskKind::Loop | TaskKind::Iteration
        );
        let _ = write!(
            out,
            "<li role=\"treeitem\"><a class=\"node {}{}\" data-task=\"{}\" data-state=\"{}\" href=\"{}\" title=\"{}\">\
             <span class=\"node-name\">{}</span> {}</a>",
            look.class,
            if group { " group" } else { "" },
            Esc(&task.path),
            look.name,
            Esc(&task_href(run_id, &task.path)),
            Esc(&task.path),
            Esc(&task_label(task)),
            task_badge(task),
        );
        nodes(out, run_id, by_parent, &task.path);
        out.push_str("</li>");
    }
    out.push_str("</ul>");
}
