//! A run's page: a header (state, pipeline, times), its graph and the
//! table of its task executions as a tree, loop iterations included, and
//! beside them a panel: the selected task's, or the run's details
//! (parameters, outputs, where its files are).

use std::collections::HashMap;
use std::fmt::Write;

use kfp_local::store::{RunRecord, TaskKind, TaskRecord};
use kfp_local::{RunState, TaskState};

use super::layout::{cut, page, so_far, took, value_text, values_table, when};
use crate::html::Esc;
use crate::look;
use crate::route::{RunsQuery, api_href, run_href, runs_href, task_href};

/// The parts of a run's page, each also sent to the page's script while
/// the run goes on.
#[derive(Clone, Debug, Default)]
pub struct RunParts {
    /// The header.
    pub header: String,
    /// The graph.
    pub dag: String,
    /// The task table.
    pub tasks: String,
    /// The panel: the selected task's, else the run's details.
    pub panel: String,
}

/// The whole page of a run; `selected` names the task whose panel is in
/// `parts`.
pub fn render(run: &RunRecord, parts: &RunParts, selected: Option<&str>) -> String {
    let live = (run.state == RunState::Running).then(|| api_href(&run.id, selected));
    let body = format!(
        "<section id=\"run-header\" class=\"run-header\">{}</section>\
         <div class=\"run-body\"><div class=\"run-main\">\
         <section class=\"dag\" aria-labelledby=\"dag-title\"><h2 id=\"dag-title\">Graph</h2>\
         <div id=\"dag\">{}</div></section>\
         <section aria-labelledby=\"tasks-title\"><h2 id=\"tasks-title\">Tasks</h2>\
         <div id=\"tasks\">{}</div></section></div>\
         <aside id=\"panel\" class=\"panel\">{}</aside></div>",
        parts.header, parts.dag, parts.tasks, parts.panel,
    );
    let pipeline = RunsQuery {
        pipeline: Some(run.pipeline_name.clone()),
        page: 1,
        ..RunsQuery::default()
    };
    let mut crumbs = vec![
        ("Runs", Some("/".to_owned())),
        (run.pipeline_name.as_str(), Some(runs_href(&pipeline))),
    ];
    let title = match selected {
        Some(task) => {
            crumbs.push((run.name.as_str(), Some(run_href(&run.id))));
            crumbs.push((task, None));
            format!("{task} · {}", run.name)
        }
        None => {
            crumbs.push((run.name.as_str(), None));
            run.name.clone()
        }
    };
    page(&title, &crumbs, &body, live.as_deref())
}

/// The header: the run's name, state, pipeline, times, and why it failed.
pub fn header(run: &RunRecord) -> String {
    let duration = match run.state {
        RunState::Running => so_far(&run.created_at),
        _ => run.duration(),
    };
    let mut out = format!(
        "<h1>{}</h1><dl class=\"facts row\"><div><dt>State</dt><dd id=\"run-state\">{}</dd></div>\
         <div><dt>Pipeline</dt><dd>{}</dd></div><div><dt>Started</dt><dd>{}</dd></div>\
         <div><dt>Duration</dt><dd>{}</dd></div><div><dt>Run</dt><dd><code>{}</code></dd></div></dl>",
        Esc(&run.name),
        look::run(run.state).badge(""),
        Esc(&run.pipeline_name),
        when(&run.created_at),
        took(duration),
        Esc(&run.id),
    );
    if let Some(error) = run
        .error
        .as_deref()
        .filter(|_| run.state != RunState::Succeeded)
    {
        let _ = write!(
            out,
            "<pre class=\"error\" role=\"alert\">{}</pre>",
            Esc(error)
        );
    }
    out
}

/// The run's details, in the panel while no task is selected: its
/// parameters, outputs, and where its files are.
pub fn details(run: &RunRecord) -> String {
    let mut out = String::from("<h2>Run details</h2>");
    out.push_str(&values_table(
        "Parameters",
        run.parameters
            .iter()
            .map(|(k, v)| (k.as_str(), value_text(v))),
    ));
    if let Some(outputs) = &run.outputs {
        let artifacts = outputs
            .artifacts
            .iter()
            .flat_map(|(name, list)| list.iter().map(move |a| (name.as_str(), a.uri.clone())));
        out.push_str(&values_table(
            "Outputs",
            outputs
                .parameters
                .iter()
                .map(|(k, v)| (k.as_str(), value_text(v)))
                .chain(artifacts),
        ));
    }
    out.push_str("<dl class=\"facts\">");
    if let Some(file) = &run.pipeline_file {
        let _ = write!(out, "<dt>Source</dt><dd><code>{}</code></dd>", Esc(file));
    }
    let _ = write!(
        out,
        "<dt>Artifacts</dt><dd><code>{}/{}/{}</code></dd></dl>\
         <p class=\"actions\">Select a task in the graph or the table to see its inputs, outputs, \
         log and artifacts. <a href=\"{}\">Compare with other runs of {}</a></p>",
        Esc(&run.pipeline_root),
        Esc(&run.pipeline_name),
        Esc(&run.id),
        Esc(&runs_href(&RunsQuery {
            pipeline: Some(run.pipeline_name.clone()),
            page: 1,
            ..RunsQuery::default()
        })),
        Esc(&run.pipeline_name)
    );
    out
}

/// The tasks of a run by the DAG execution they belong to, in the order
/// they were recorded.
pub fn children(tasks: &[TaskRecord]) -> HashMap<&str, Vec<&TaskRecord>> {
    let mut by_parent: HashMap<&str, Vec<&TaskRecord>> = HashMap::new();
    for task in tasks {
        by_parent
            .entry(task.parent_path.as_str())
            .or_default()
            .push(task);
    }
    by_parent
}

/// A task execution's name in a list: its display name, or `iteration N`.
pub fn task_label(task: &TaskRecord) -> String {
    match (task.kind, task.iteration) {
        (TaskKind::Iteration, Some(i)) => format!("iteration {i}"),
        _ => task.display_name.clone(),
    }
}

/// A task's state badge, with how long it took (or has taken so far).
pub fn task_badge(task: &TaskRecord) -> String {
    let duration = match (task.state, task.started_at.as_deref()) {
        (TaskState::Running, Some(start)) => so_far(start),
        _ => task.duration(),
    };
    look::task(task.state).badge(&took(duration))
}

/// The table of task executions, as a tree; `selected` is highlighted.
pub fn tasks_table(run_id: &str, tasks: &[TaskRecord], selected: Option<&str>) -> String {
    if tasks.is_empty() {
        return "<p class=\"empty\">No task has started yet.</p>".into();
    }
    let by_parent = children(tasks);
    let mut out = String::from(
        "<table class=\"tasks\"><thead><tr><th scope=\"col\">Task</th><th scope=\"col\">State</th>\
         <th scope=\"col\">Started</th><th scope=\"col\">Attempts</th><th scope=\"col\">Note</th>\
         </tr></thead><tbody>",
    );
    rows(&mut out, run_id, &by_parent, "", 0, selected);
    out.push_str("</tbody></table>");
    out
}

fn rows(
    out: &mut String,
    run_id: &str,
    by_parent: &HashMap<&str, Vec<&TaskRecord>>,
    parent: &str,
    depth: usize,
    selected: Option<&str>,
) {
    for task in by_parent.get(parent).into_iter().flatten() {
        let current = selected == Some(task.path.as_str());
        let kind = match task.kind {
            TaskKind::Container | TaskKind::Iteration => String::new(),
            TaskKind::Loop => {
                let n = by_parent.get(task.path.as_str()).map_or(0, Vec::len);
                format!(
                    " <span class=\"kind\">loop, {n} iteration{}</span>",
                    if n == 1 { "" } else { "s" }
                )
            }
            other => format!(" <span class=\"kind\">{other}</span>"),
        };
        let note = task
            .message
            .as_deref()
            .and_then(|m| m.lines().next())
            .map(|line| cut(line, 120))
            .unwrap_or_default();
        let _ = write!(
            out,
            "<tr class=\"d{}{}\" data-task=\"{}\" data-state=\"{}\"{}><td class=\"name\">\
             <a href=\"{}\" title=\"{}\">{}</a>{kind}</td><td>{}</td><td>{}</td><td>{}</td><td class=\"note\">{}</td></tr>",
            depth.min(9),
            if current { " selected" } else { "" },
            Esc(&task.path),
            task.state,
            if current {
                " aria-current=\"true\""
            } else {
                ""
            },
            Esc(&task_href(run_id, &task.path)),
            Esc(&task.path),
            Esc(&task_label(task)),
            task_badge(task),
            task.started_at.as_deref().map(when).unwrap_or_default(),
            if task.attempts > 1 {
                task.attempts.to_string()
            } else {
                String::new()
            },
            Esc(&note),
        );
        rows(out, run_id, by_parent, &task.path, depth + 1, selected);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn task(path: &str, parent: &str, kind: TaskKind, state: TaskState) -> TaskRecord {
        TaskRecord {
            id: 1,
            run_id: "r".into(),
            path: path.into(),
            parent_path: parent.into(),
            task_name: path.rsplit('/').next().unwrap().into(),
            display_name: path.rsplit('/').next().unwrap().into(),
            component: "comp".into(),
            kind,
            iteration: path.rsplit('/').next().unwrap().parse().ok(),
            state,
            message: None,
            fingerprint: None,
            attempts: 1,
            created_at: "2026-01-01T00:00:00.000Z".into(),
            started_at: Some("2026-01-01T00:00:00.000Z".into()),
            finished_at: Some("2026-01-01T00:00:02.000Z".into()),
            inputs: None,
            outputs: None,
            command: None,
            log_path: None,
        }
    }

    #[test]
    fn the_task_table_is_a_tree_with_iterations() {
        let mut failed = task(
            "loop/1/train",
            "loop/1",
            TaskKind::Container,
            TaskState::Failed,
        );
        failed.message = Some("exit code 1\nmore".into());
        failed.attempts = 3;
        let tasks = [
            task("loop", "", TaskKind::Loop, TaskState::Failed),
            task("loop/0", "loop", TaskKind::Iteration, TaskState::Succeeded),
            task(
                "loop/0/train",
                "loop/0",
                TaskKind::Container,
                TaskState::Cached,
            ),
            task("loop/1", "loop", TaskKind::Iteration, TaskState::Failed),
            failed,
        ];
        let html = tasks_table("r", &tasks, Some("loop/1/train"));
        let order: Vec<&str> = html
            .split("data-task=\"")
            .skip(1)
            .map(|s| s.split('"').next().unwrap())
            .collect();
        assert_eq!(
            order,
            ["loop", "loop/0", "loop/0/train", "loop/1", "loop/1/train"]
        );
        assert!(html.contains("loop, 2 iterations"));
        assert!(html.contains(">iteration 1</a>"));
        assert!(html.contains("☁</span> CACHED"));
        assert!(html.contains("class=\"d2 selected\""));
        assert!(html.contains("<td class=\"note\">exit code 1</td>"));
        assert!(html.contains("href=\"/runs/r/tasks/loop/1/train\""));
    }
}
