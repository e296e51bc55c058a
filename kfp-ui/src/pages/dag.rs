//! A run's graph: kfp-graph's drawing of the pipeline spec the run ran,
//! each task decorated with the state of its executions (colour, icon,
//! state name, duration or cache hit) and linked to its panel. A looped
//! task stands for all its iterations: its badge counts them by state, and
//! its link goes to the one that tells most (a failed one, say).
//!
//! The drawing is a document of its own (`/runs/<id>/graph.svg`) shown in
//! a frame: kfp-graph styles its SVG with a stylesheet and inline styles,
//! which the pages' Content-Security-Policy forbids; the drawing's own
//! response allows them (and nothing else, no script).

use std::collections::{BTreeMap, HashMap};
use std::hash::{Hash, Hasher};

use kfp_graph::{Layout, NodeDecoration, PipelineGraph, SvgOptions, Task};
use kfp_ir_schema::PipelineSpec;
use kfp_local::store::{TaskKind, TaskRecord};
use kfp_local::{Segment, TaskPath, TaskState};

use super::layout::took;
use crate::html::Esc;
use crate::look;
use crate::route::{graph_href, task_href};

/// The policy of the drawing's own response: its styles, nothing else.
pub const GRAPH_POLICY: &str =
    "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'self'";

/// The path of the pipeline task an execution runs: its path without the
/// iteration numbers (`for-loop-2/0/train` is `for-loop-2/train`), as
/// kfp-graph names tasks.
pub fn spec_path(execution: &str) -> String {
    TaskPath::parse(execution)
        .map(|path| {
            path.segments()
                .iter()
                .filter_map(|s| match s {
                    Segment::Task(name) => Some(name.as_str()),
                    Segment::Iteration(_) => None,
                })
                .collect::<Vec<_>>()
                .join("/")
        })
        .unwrap_or_else(|| execution.to_owned())
}

/// The SVG of run `run_id`'s graph, from its pipeline spec and the states
/// of its executions.
pub fn svg(run_id: &str, spec: &PipelineSpec, tasks: &[TaskRecord]) -> String {
    let graph = PipelineGraph::from_spec(spec);
    let layout = Layout::of(&graph);
    let mut executions: HashMap<String, Vec<&TaskRecord>> = HashMap::new();
    let mut iterations: HashMap<&str, usize> = HashMap::new();
    for task in tasks {
        if task.kind == TaskKind::Iteration {
            *iterations.entry(task.parent_path.as_str()).or_default() += 1;
        } else {
            executions
                .entry(spec_path(&task.path))
                .or_default()
                .push(task);
        }
    }
    let decorate = |task: &Task| {
        let runs = executions.get(&task.path)?;
        Some(decoration(run_id, runs, &iterations))
    };
    let drawn = kfp_graph::svg::render(
        &graph,
        &layout,
        &SvgOptions {
            decorate: Some(&decorate),
            title: false,
            ..SvgOptions::default()
        },
    );
    // The drawing is shown in a frame: its links open in the page.
    drawn.replace("<a href=\"", "<a target=\"_top\" href=\"")
}

/// The state that tells most about several executions of one task.
fn overall(states: &[TaskState]) -> TaskState {
    let any = |s: TaskState| states.contains(&s);
    [
        TaskState::Running,
        TaskState::Failed,
        TaskState::Canceled,
        TaskState::Pending,
    ]
    .into_iter()
    .find(|s| any(*s))
    .unwrap_or(if states.iter().all(|s| *s == TaskState::Cached) {
        TaskState::Cached
    } else if any(TaskState::Succeeded) || any(TaskState::Cached) {
        TaskState::Succeeded
    } else {
        TaskState::Skipped
    })
}

fn decoration(
    run_id: &str,
    runs: &[&TaskRecord],
    iterations: &HashMap<&str, usize>,
) -> NodeDecoration {
    let states: Vec<TaskState> = runs.iter().map(|t| t.state).collect();
    let state = overall(&states);
    let shown = runs
        .iter()
        .find(|t| t.state == state)
        .or(runs.first())
        .expect("a task with executions");
    let badge = match runs {
        [one] => {
            let mut badge = match one.state {
                TaskState::Cached => "CACHED".to_owned(),
                s => format!("{s} {}", took(one.duration()))
                    .trim_end()
                    .to_owned(),
            };
            if let Some(n) = iterations.get(one.path.as_str()) {
                badge.push_str(&format!(
                    " · {n} iteration{}",
                    if *n == 1 { "" } else { "s" }
                ));
            }
            badge
        }
        many => {
            let mut counts: BTreeMap<TaskState, usize> = BTreeMap::new();
            for s in &states {
                *counts.entry(*s).or_default() += 1;
            }
            if counts.len() == 1 {
                format!("{}× {state}", many.len())
            } else {
                let parts: Vec<String> = counts.iter().map(|(s, n)| format!("{n} {s}")).collect();
                parts.join(", ")
            }
        }
    };
    let look = look::task(state);
    NodeDecoration::state(look.name, look.colour)
        .icon(look.icon)
        .badge(badge)
        .link(task_href(run_id, &shown.path))
}

/// A token that changes when an execution's state does (not with the time
/// it has taken): the frame's address carries it, so that a live page
/// reloads the drawing only when there is something new to draw.
fn version(tasks: &[TaskRecord]) -> u64 {
    let mut hasher = std::collections::hash_map::DefaultHasher::new();
    for task in tasks {
        (&task.path, task.state, task.attempts).hash(&mut hasher);
    }
    hasher.finish()
}

/// The frame that shows the drawing `svg` in the run's page, at its size.
pub fn frame(run_id: &str, svg: &str, tasks: &[TaskRecord]) -> String {
    let size = |name: &str| {
        let at = svg.find(&format!(" {name}=\""))? + name.len() + 3;
        let end = at + svg[at..].find('"')?;
        svg[at..end].parse::<f64>().ok()
    };
    let (width, height) = (
        size("width").unwrap_or(800.0),
        size("height").unwrap_or(400.0),
    );
    format!(
        "<iframe class=\"graph-frame\" src=\"{}?v={:x}\" width=\"{}\" height=\"{}\" \
         title=\"the run's graph\"></iframe>",
        Esc(&graph_href(run_id)),
        version(tasks),
        width.ceil(),
        height.ceil(),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn executions_are_named_as_the_pipeline_names_tasks() {
        assert_eq!(spec_path("for-loop-2/0/train"), "for-loop-2/train");
        assert_eq!(spec_path("outer/3/inner/12/train"), "outer/inner/train");
        assert_eq!(spec_path("make"), "make");
        assert_eq!(spec_path("for-loop-2/1"), "for-loop-2");
    }

    #[test]
    fn several_executions_show_the_state_that_tells_most() {
        use TaskState::*;
        assert_eq!(overall(&[Succeeded, Failed, Running]), Running);
        assert_eq!(overall(&[Succeeded, Failed]), Failed);
        assert_eq!(overall(&[Cached, Cached]), Cached);
        assert_eq!(overall(&[Cached, Succeeded]), Succeeded);
        assert_eq!(overall(&[Skipped, Succeeded]), Succeeded);
        assert_eq!(overall(&[Skipped]), Skipped);
    }
}
