//! How runs are shown: the summary at the end of a run, the list of runs,
//! a run's details, and their JSON forms.

use std::fmt::Write;

use serde_json::{Value, json};

use crate::driver::Values;
use crate::layout::Layout;
use crate::runner::Outcome;
use crate::state::TaskState;
use crate::store::{ArtifactRecord, MetricKind, MetricRecord, RunRecord, TaskKind, TaskRecord};
use crate::{RunState, time};

/// A value in one line, at most `max` characters.
fn short(value: &Value, max: usize) -> String {
    let text = match value {
        Value::String(s) => format!("{s:?}"),
        other => other.to_string(),
    };
    if text.chars().count() > max {
        let cut: String = text.chars().take(max).collect();
        format!("{cut}…")
    } else {
        text
    }
}

fn values_lines(out: &mut String, indent: &str, label: &str, values: Option<&Values>) {
    let Some(values) = values else { return };
    for (name, value) in &values.parameters {
        let _ = writeln!(out, "{indent}{label} {name} = {}", short(value, 100));
    }
    for (name, list) in &values.artifacts {
        for artifact in list {
            let _ = writeln!(out, "{indent}{label} {name}: {}", artifact.uri);
        }
    }
}

/// The summary printed when a run ends.
pub fn summary(outcome: &Outcome, layout: &Layout, hint: &str) -> String {
    let run = &outcome.run;
    let mut out = String::new();
    let took = run.duration().map(time::human).unwrap_or_default();
    let counts = counts(&outcome.tasks);
    let _ = writeln!(out, "\n{} in {took}  ({counts})", run.state);
    if let Some(error) = &run.error
        && run.state != RunState::Succeeded
    {
        let _ = writeln!(out, "  {error}");
    }
    for task in own_failures(&outcome.tasks) {
        let _ = writeln!(out, "\nfailed: {}", task.path);
        for line in task.message.as_deref().unwrap_or_default().lines() {
            let _ = writeln!(out, "  {line}");
        }
    }
    if let Some(outputs) = &run.outputs
        && (!outputs.parameters.is_empty() || !outputs.artifacts.is_empty())
    {
        let _ = writeln!(out, "\noutputs:");
        values_lines(&mut out, "  ", "", Some(outputs));
    }
    let _ = writeln!(out, "\nrun       {} ({})", run.name, run.id);
    let _ = writeln!(
        out,
        "artifacts {}/{}/{}",
        run.pipeline_root, run.pipeline_name, run.id
    );
    let _ = writeln!(out, "logs      {}", layout.run_dir(&run.id).display());
    let _ = writeln!(out, "details   {hint} show {}", short_id(&run.id));
    out
}

/// The tasks that failed for a reason of their own, not because a task
/// inside them did.
fn own_failures(tasks: &[TaskRecord]) -> impl Iterator<Item = &TaskRecord> {
    tasks.iter().filter(move |t| {
        t.state == TaskState::Failed
            && !tasks
                .iter()
                .any(|c| c.parent_path == t.path && c.state == TaskState::Failed)
    })
}

fn short_id(id: &str) -> &str {
    &id[..id.len().min(8)]
}

/// `3 succeeded, 1 cached, 1 skipped` over the container and importer
/// tasks.
fn counts(tasks: &[TaskRecord]) -> String {
    let mut counts = std::collections::BTreeMap::new();
    for task in tasks
        .iter()
        .filter(|t| matches!(t.kind, TaskKind::Container | TaskKind::Importer))
    {
        *counts.entry(task.state).or_insert(0) += 1;
    }
    let parts: Vec<String> = counts
        .iter()
        .map(|(state, n)| format!("{n} {}", state.as_str().to_lowercase()))
        .collect();
    if parts.is_empty() {
        "no tasks".into()
    } else {
        parts.join(", ")
    }
}

/// The run as JSON: what `run --json` prints.
pub fn outcome_json(outcome: &Outcome) -> Value {
    let mut value = run_json(&outcome.run);
    value["tasks"] = outcome.tasks.iter().map(task_json).collect();
    value["notes"] = json!(outcome.notes);
    value
}

/// One run as JSON.
pub fn run_json(run: &RunRecord) -> Value {
    json!({
        "run_id": run.id,
        "name": run.name,
        "pipeline": run.pipeline_name,
        "pipeline_file": run.pipeline_file,
        "state": run.state,
        "error": run.error,
        "parameters": run.parameters,
        "outputs": run.outputs,
        "created_at": run.created_at,
        "finished_at": run.finished_at,
        "duration_seconds": run.duration().map(|d| d.as_secs_f64()),
        "pipeline_root": run.pipeline_root,
    })
}

fn task_json(task: &TaskRecord) -> Value {
    json!({
        "path": task.path,
        "name": task.display_name,
        "kind": task.kind,
        "state": task.state,
        "message": task.message,
        "attempts": task.attempts,
        "cached": task.state == TaskState::Cached,
        "started_at": task.started_at,
        "finished_at": task.finished_at,
        "duration_seconds": task.duration().map(|d| d.as_secs_f64()),
        "inputs": task.inputs,
        "outputs": task.outputs,
        "command": task.command,
        "log": task.log_path,
    })
}

/// The runs as a table, newest first.
pub fn runs_table(runs: &[RunRecord]) -> String {
    if runs.is_empty() {
        return "no runs yet (`run` starts one)\n".into();
    }
    let mut out = format!(
        "{:<10} {:<12} {:<24} {:<9} {}\n",
        "RUN", "STATE", "CREATED", "DURATION", "PIPELINE"
    );
    for run in runs {
        let took = run
            .duration()
            .map(time::human)
            .unwrap_or_else(|| "-".into());
        let _ = writeln!(
            out,
            "{:<10} {:<12} {:<24} {:<9} {}",
            short_id(&run.id),
            run.state.as_str(),
            run.created_at,
            took,
            run.pipeline_name
        );
    }
    out
}

/// A run's details as text.
pub fn details(
    run: &RunRecord,
    tasks: &[TaskRecord],
    artifacts: &[ArtifactRecord],
    metrics: &[MetricRecord],
) -> String {
    let mut out = String::new();
    let took = run
        .duration()
        .map(time::human)
        .unwrap_or_else(|| "-".into());
    let _ = writeln!(out, "run       {} ({})", run.name, run.id);
    let _ = writeln!(
        out,
        "pipeline  {}{}",
        run.pipeline_name,
        run.pipeline_file
            .as_deref()
            .map(|f| format!(" ({f})"))
            .unwrap_or_default()
    );
    let _ = writeln!(
        out,
        "state     {}  created {}  took {took}",
        run.state, run.created_at
    );
    if let Some(error) = &run.error {
        let _ = writeln!(
            out,
            "error     {}",
            error.lines().next().unwrap_or_default()
        );
    }
    for (name, value) in &run.parameters {
        let _ = writeln!(out, "param     {name} = {}", short(value, 100));
    }
    values_lines(&mut out, "", "output   ", run.outputs.as_ref());
    out.push('\n');
    for task in tasks {
        let depth = task.path.matches('/').count();
        let indent = "  ".repeat(depth);
        let took = task.duration().map(time::human).unwrap_or_default();
        let attempts = if task.attempts > 1 {
            format!("  {} attempts", task.attempts)
        } else {
            String::new()
        };
        let _ = writeln!(
            out,
            "{indent}{}  {}  {took}{attempts}  [{}]",
            task.path, task.state, task.kind
        );
        let inner = format!("{indent}    ");
        if let Some(message) = &task.message {
            for line in message.lines() {
                let _ = writeln!(out, "{inner}{line}");
            }
        }
        if matches!(task.kind, TaskKind::Container | TaskKind::Importer) {
            values_lines(&mut out, &inner, "in ", task.inputs.as_ref());
            values_lines(&mut out, &inner, "out", task.outputs.as_ref());
            for artifact in artifacts.iter().filter(|a| a.task_id == task.id) {
                let size = artifact
                    .size
                    .map(|s| format!(" ({s} B)"))
                    .unwrap_or_default();
                let kind = artifact.schema_title.as_deref().unwrap_or("artifact");
                let _ = writeln!(out, "{inner}artifact {} [{kind}]{size}", artifact.output);
            }
            for metric in metrics.iter().filter(|m| m.task_id == task.id) {
                let _ = match metric.kind {
                    MetricKind::Scalar => writeln!(
                        out,
                        "{inner}metric {} = {}",
                        metric.name,
                        metric.value.unwrap_or_default()
                    ),
                    MetricKind::ConfusionMatrix => {
                        writeln!(out, "{inner}confusion matrix of {}", metric.name)
                    }
                    MetricKind::RocCurve => writeln!(
                        out,
                        "{inner}ROC curve of {} ({} points)",
                        metric.name,
                        metric
                            .data
                            .as_ref()
                            .and_then(Value::as_array)
                            .map_or(0, Vec::len)
                    ),
                };
            }
            if let Some(log) = &task.log_path {
                let _ = writeln!(out, "{inner}log {log}");
            }
        }
    }
    out
}

/// A run's details as JSON.
pub fn details_json(
    run: &RunRecord,
    tasks: &[TaskRecord],
    artifacts: &[ArtifactRecord],
    metrics: &[MetricRecord],
) -> Value {
    let mut value = run_json(run);
    value["tasks"] = tasks
        .iter()
        .map(|t| {
            let mut task = task_json(t);
            task["artifacts"] = json!(
                artifacts
                    .iter()
                    .filter(|a| a.task_id == t.id)
                    .collect::<Vec<_>>()
            );
            task["metrics"] = json!(
                metrics
                    .iter()
                    .filter(|m| m.task_id == t.id)
                    .collect::<Vec<_>>()
            );
            task
        })
        .collect();
    value
}
