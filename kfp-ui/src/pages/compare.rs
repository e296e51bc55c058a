//! Runs side by side, as KFP's compare page shows them: an overview, the
//! parameters (rows whose values differ are marked), the scalar metrics of
//! every task, the ROC curves of all runs on one chart, and their
//! confusion matrices.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::fmt::Write;

use kfp_local::RunState;
use kfp_local::store::{MetricKind, MetricRecord, RunRecord, TaskRecord};

use super::layout::{page, so_far, took, value_text, when};
use crate::charts::{ConfusionMatrix, RocSeries, confusion_matrix, number, roc_curve};
use crate::html::Esc;
use crate::look;
use crate::route::run_href;

/// A run with what the compare page shows of it.
#[derive(Clone, Debug)]
pub struct Compared {
    /// The run.
    pub run: RunRecord,
    /// Its task executions (to name where a metric comes from).
    pub tasks: Vec<TaskRecord>,
    /// Its metrics.
    pub metrics: Vec<MetricRecord>,
}

/// The compare page of `runs`; `missing` are ids that named no run.
pub fn render(runs: &[Compared], missing: &[String]) -> String {
    let mut body = String::from("<h1>Compare runs</h1>");
    for id in missing {
        let _ = write!(
            body,
            "<p class=\"error\" role=\"alert\">No run <code>{}</code>.</p>",
            Esc(id)
        );
    }
    if runs.len() < 2 {
        body.push_str(
            "<p class=\"empty\">Pick two or more runs on the <a href=\"/\">runs page</a> and press \
             <em>Compare selected runs</em>.</p>",
        );
        return page(
            "Compare runs",
            &[("Runs", Some("/".into())), ("Compare", None)],
            &body,
            None,
        );
    }
    let pipelines: BTreeSet<&str> = runs.iter().map(|c| c.run.pipeline_name.as_str()).collect();
    if pipelines.len() > 1 {
        body.push_str("<p class=\"note\">These runs are of different pipelines.</p>");
    }
    overview(&mut body, runs);
    parameters(&mut body, runs);
    scalars(&mut body, runs);
    charts(&mut body, runs);
    page(
        "Compare runs",
        &[("Runs", Some("/".into())), ("Compare", None)],
        &body,
        None,
    )
}

/// The table's head: one column per run.
fn head(out: &mut String, first: &str, runs: &[Compared]) {
    let _ = write!(out, "<thead><tr><th scope=\"col\">{}</th>", Esc(first));
    for c in runs {
        let _ = write!(
            out,
            "<th scope=\"col\" data-run=\"{}\"><a href=\"{}\">{}</a></th>",
            Esc(&c.run.id),
            Esc(&run_href(&c.run.id)),
            Esc(&c.run.name)
        );
    }
    out.push_str("</tr></thead>");
}

fn overview(out: &mut String, runs: &[Compared]) {
    out.push_str("<section><h2>Overview</h2><table class=\"compare overview\">");
    head(out, "Run", runs);
    out.push_str("<tbody>");
    let mut row = |name: &str, cell: &dyn Fn(&RunRecord) -> String| {
        let _ = write!(out, "<tr><th scope=\"row\">{name}</th>");
        for c in runs {
            let _ = write!(out, "<td>{}</td>", cell(&c.run));
        }
        out.push_str("</tr>");
    };
    row("Pipeline", &|r| Esc(&r.pipeline_name).to_string());
    row("State", &|r| look::run(r.state).badge(""));
    row("Started", &|r| when(&r.created_at));
    row("Duration", &|r| {
        took(match r.state {
            RunState::Running => so_far(&r.created_at),
            _ => r.duration(),
        })
    });
    out.push_str("</tbody></table></section>");
}

/// A table of rows (name, one value per run), rows whose values are not
/// all equal marked as differing (in text too, not by colour alone).
fn table(
    out: &mut String,
    class: &str,
    first: &str,
    runs: &[Compared],
    rows: &BTreeMap<String, Vec<Option<String>>>,
) {
    let _ = write!(out, "<table class=\"compare {class}\">");
    head(out, first, runs);
    out.push_str("<tbody>");
    for (name, values) in rows {
        let first_value = &values[0];
        let differs = values.iter().any(|v| v != first_value);
        let _ = write!(
            out,
            "<tr{}><th scope=\"row\">{}{}</th>",
            if differs { " class=\"differs\"" } else { "" },
            Esc(name),
            if differs {
                " <span class=\"differs-mark\" title=\"the values differ\">≠ differs</span>"
            } else {
                ""
            },
        );
        for value in values {
            match value {
                Some(v) => {
                    let _ = write!(out, "<td><code class=\"value\">{}</code></td>", Esc(v));
                }
                None => out.push_str("<td class=\"none\">–</td>"),
            }
        }
        out.push_str("</tr>");
    }
    out.push_str("</tbody></table>");
}

fn parameters(out: &mut String, runs: &[Compared]) {
    let mut rows: BTreeMap<String, Vec<Option<String>>> = BTreeMap::new();
    for (i, c) in runs.iter().enumerate() {
        for (name, value) in &c.run.parameters {
            rows.entry(name.clone())
                .or_insert_with(|| vec![None; runs.len()])[i] = Some(value_text(value));
        }
    }
    out.push_str("<section><h2>Parameters</h2>");
    if rows.is_empty() {
        out.push_str("<p class=\"empty\">No parameters.</p>");
    } else {
        table(out, "parameters", "Parameter", runs, &rows);
    }
    out.push_str("</section>");
}

/// Where a metric comes from: its task's path.
fn task_paths(c: &Compared) -> HashMap<i64, &str> {
    c.tasks.iter().map(|t| (t.id, t.path.as_str())).collect()
}

fn scalars(out: &mut String, runs: &[Compared]) {
    let mut rows: BTreeMap<String, Vec<Option<String>>> = BTreeMap::new();
    for (i, c) in runs.iter().enumerate() {
        let paths = task_paths(c);
        for m in c.metrics.iter().filter(|m| m.kind == MetricKind::Scalar) {
            let Some(value) = m.value else { continue };
            let key = format!(
                "{} › {}",
                paths.get(&m.task_id).copied().unwrap_or("?"),
                m.name
            );
            rows.entry(key).or_insert_with(|| vec![None; runs.len()])[i] = Some(number(value));
        }
    }
    out.push_str("<section><h2>Metrics</h2>");
    if rows.is_empty() {
        out.push_str("<p class=\"empty\">No scalar metrics.</p>");
    } else {
        table(out, "metrics", "Task › metric", runs, &rows);
    }
    out.push_str("</section>");
}

fn charts(out: &mut String, runs: &[Compared]) {
    let mut curves = Vec::new();
    let mut matrices = String::new();
    for c in runs {
        let paths = task_paths(c);
        for m in &c.metrics {
            let Some(data) = &m.data else { continue };
            let source = format!(
                "{} · {}",
                c.run.name,
                paths.get(&m.task_id).copied().unwrap_or(&m.name)
            );
            match m.kind {
                MetricKind::RocCurve => {
                    let series = RocSeries::from_confidence_metrics(source, data);
                    if !series.points.is_empty() {
                        curves.push(series);
                    }
                }
                MetricKind::ConfusionMatrix => {
                    if let Some(matrix) = ConfusionMatrix::from_value(data) {
                        let _ = write!(
                            matrices,
                            "<figure data-run=\"{}\"><figcaption>{}</figcaption>{}</figure>",
                            Esc(&c.run.id),
                            Esc(&source),
                            confusion_matrix(&matrix, &source)
                        );
                    }
                }
                MetricKind::Scalar => {}
            }
        }
    }
    if !curves.is_empty() {
        let _ = write!(
            out,
            "<section><h2>ROC curves</h2><figure>{}</figure></section>",
            roc_curve(&curves)
        );
    }
    if !matrices.is_empty() {
        let _ = write!(
            out,
            "<section><h2>Confusion matrices</h2><div class=\"charts\">{matrices}</div></section>"
        );
    }
}
