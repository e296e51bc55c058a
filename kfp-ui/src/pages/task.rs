//! A task's panel: its state and times, inputs, outputs, resolved
//! command, log tail with a download link, and a preview of each output
//! artifact by its type.

use std::fmt::Write;

use kfp_local::driver::Values;
use kfp_local::store::{ArtifactRecord, MetricKind, MetricRecord, RunRecord, TaskRecord};

use super::layout::{shell_line, value_text, values_table, when};
use super::run::{task_badge, task_label};
use crate::artifact::{self, human_size};
use crate::charts::{ConfusionMatrix, RocSeries, confusion_matrix, roc_curve};
use crate::html::Esc;
use crate::markdown;
use crate::route::{artifact_href, log_href};

/// How many lines of a log the panel shows.
pub const LOG_TAIL_LINES: usize = 200;

/// What a task's panel shows.
#[derive(Clone, Copy, Debug)]
pub struct TaskView<'a> {
    /// The run.
    pub run: &'a RunRecord,
    /// The task execution.
    pub task: &'a TaskRecord,
    /// Its output artifacts.
    pub artifacts: &'a [&'a ArtifactRecord],
    /// Its metrics.
    pub metrics: &'a [&'a MetricRecord],
    /// The end of its log, if it has one that can be read.
    pub log_tail: Option<&'a str>,
}

/// The panel.
pub fn render(view: &TaskView<'_>) -> String {
    let task = view.task;
    let mut out = String::with_capacity(4096);
    let _ = write!(
        out,
        "<h2>{}</h2><dl class=\"facts\"><dt>State</dt><dd id=\"task-state\">{}</dd>\
         <dt>Path</dt><dd><code>{}</code></dd><dt>Kind</dt><dd>{}</dd><dt>Component</dt><dd><code>{}</code></dd>",
        Esc(&task_label(task)),
        task_badge(task),
        Esc(&task.path),
        task.kind,
        Esc(&task.component),
    );
    if let Some(started) = &task.started_at {
        let _ = write!(out, "<dt>Started</dt><dd>{}</dd>", when(started));
    }
    if let Some(finished) = &task.finished_at {
        let _ = write!(out, "<dt>Ended</dt><dd>{}</dd>", when(finished));
    }
    if task.attempts > 1 {
        let _ = write!(out, "<dt>Attempts</dt><dd>{}</dd>", task.attempts);
    }
    out.push_str("</dl>");
    if let Some(message) = &task.message {
        let _ = write!(out, "<pre class=\"message\">{}</pre>", Esc(message));
    }
    values(&mut out, "Inputs", task.inputs.as_ref());
    values(&mut out, "Outputs", task.outputs.as_ref());
    if let Some(command) = &task.command {
        let _ = write!(
            out,
            "<section class=\"command\"><h3>Command</h3><pre><code>{}</code></pre></section>",
            Esc(&shell_line(command))
        );
    }
    if task.log_path.is_some() {
        log(&mut out, view);
    }
    if !view.artifacts.is_empty() {
        out.push_str("<section class=\"artifacts\"><h3>Output artifacts</h3>");
        for artifact in view.artifacts {
            artifact_section(&mut out, view, artifact);
        }
        out.push_str("</section>");
    }
    out
}

fn values(out: &mut String, caption: &str, values: Option<&Values>) {
    let Some(values) = values else { return };
    let artifacts = values
        .artifacts
        .iter()
        .flat_map(|(name, list)| list.iter().map(move |a| (name.as_str(), a.uri.clone())));
    out.push_str(&values_table(
        caption,
        values
            .parameters
            .iter()
            .map(|(k, v)| (k.as_str(), value_text(v)))
            .chain(artifacts),
    ));
}

fn log(out: &mut String, view: &TaskView<'_>) {
    let href = log_href(&view.run.id, &view.task.path);
    let _ = write!(
        out,
        "<section class=\"log\"><h3>Log</h3><p>The last {LOG_TAIL_LINES} lines · \
         <a href=\"{}\" download>Download the whole log</a></p>",
        Esc(&href)
    );
    match view.log_tail {
        Some(tail) if !tail.is_empty() => {
            let _ = write!(
                out,
                "<pre class=\"log\" id=\"log-tail\">{}</pre>",
                Esc(tail)
            );
        }
        Some(_) => out.push_str("<p class=\"empty\">The log is empty.</p>"),
        None => out.push_str("<p class=\"empty\">The log cannot be read.</p>"),
    }
    out.push_str("</section>");
}

fn artifact_section(out: &mut String, view: &TaskView<'_>, artifact: &ArtifactRecord) {
    let title = artifact
        .schema_title
        .as_deref()
        .unwrap_or("system.Artifact");
    let position = if artifact.position > 0 {
        format!(" [{}]", artifact.position)
    } else {
        String::new()
    };
    let href = artifact_href(&view.run.id, artifact.id, "");
    let _ = write!(
        out,
        "<article class=\"artifact\" data-artifact=\"{}\" data-type=\"{}\"><h4>{}{} \
         <span class=\"type\">{}</span></h4><p class=\"uri\"><code>{}</code>",
        artifact.id,
        Esc(title),
        Esc(&artifact.output),
        Esc(&position),
        Esc(title),
        Esc(&artifact.uri),
    );
    if let Some(size) = artifact.size {
        let _ = write!(out, " · {}", human_size(u64::try_from(size).unwrap_or(0)));
    }
    if let Some(digest) = &artifact.digest {
        let _ = write!(
            out,
            " · <span title=\"SHA-256 {}\">sha256:{}</span>",
            Esc(digest),
            Esc(digest.get(..12).unwrap_or(digest))
        );
    }
    let _ = write!(out, " · <a href=\"{}\">Open</a></p>", Esc(&href));
    let metrics: Vec<&MetricRecord> = view
        .metrics
        .iter()
        .copied()
        .filter(|m| m.artifact_id == artifact.id)
        .collect();
    match title {
        "system.Metrics" => scalars(out, &metrics),
        "system.ClassificationMetrics" => classification(out, &metrics, &artifact.output),
        "system.Markdown" => markdown_preview(out, view.run, artifact),
        "system.HTML" => html_preview(out, &href, &artifact.output),
        _ => files(out, view.run, artifact),
    }
    out.push_str("</article>");
}

/// The scalars of a `system.Metrics` artifact as a table.
pub fn scalars(out: &mut String, metrics: &[&MetricRecord]) {
    let rows: Vec<(&str, String)> = metrics
        .iter()
        .filter(|m| m.kind == MetricKind::Scalar)
        .filter_map(|m| Some((m.name.as_str(), crate::charts::number(m.value?))))
        .collect();
    if rows.is_empty() {
        out.push_str("<p class=\"empty\">No scalar metrics.</p>");
        return;
    }
    out.push_str("<table class=\"metrics\"><thead><tr><th scope=\"col\">Metric</th><th scope=\"col\">Value</th></tr></thead><tbody>");
    for (name, value) in rows {
        let _ = write!(
            out,
            "<tr><th scope=\"row\">{}</th><td class=\"number\">{}</td></tr>",
            Esc(name),
            Esc(&value)
        );
    }
    out.push_str("</tbody></table>");
}

/// The confusion matrix and ROC curve of a `system.ClassificationMetrics`
/// artifact.
fn classification(out: &mut String, metrics: &[&MetricRecord], output: &str) {
    let mut drew = false;
    out.push_str("<div class=\"charts\">");
    for metric in metrics {
        let Some(data) = &metric.data else { continue };
        match metric.kind {
            MetricKind::ConfusionMatrix => {
                if let Some(matrix) = ConfusionMatrix::from_value(data) {
                    let _ = write!(
                        out,
                        "<figure><figcaption>Confusion matrix</figcaption>{}</figure>",
                        confusion_matrix(&matrix, output)
                    );
                    drew = true;
                }
            }
            MetricKind::RocCurve => {
                let series = RocSeries::from_confidence_metrics(output, data);
                if !series.points.is_empty() {
                    let _ = write!(
                        out,
                        "<figure><figcaption>ROC curve</figcaption>{}</figure>",
                        roc_curve(&[series])
                    );
                    drew = true;
                }
            }
            MetricKind::Scalar => {}
        }
    }
    out.push_str("</div>");
    if !drew {
        out.push_str("<p class=\"empty\">No confusion matrix or ROC curve in this artifact.</p>");
    }
}

fn unavailable(out: &mut String, run: &RunRecord) {
    let _ = write!(
        out,
        "<p class=\"empty\">Its files are not there, or lie outside the run's pipeline root \
         <code>{}</code>.</p>",
        Esc(&run.pipeline_root)
    );
}

fn markdown_preview(out: &mut String, run: &RunRecord, artifact: &ArtifactRecord) {
    let Some(path) = artifact::resolve(&run.pipeline_root, &artifact.uri, &[]) else {
        return unavailable(out, run);
    };
    match artifact::read_text(&path) {
        Some((text, more)) => {
            let _ = write!(
                out,
                "<div class=\"markdown\">{}</div>",
                markdown::render(&text)
            );
            if more {
                out.push_str("<p class=\"empty\">Only the first MiB is shown.</p>");
            }
        }
        None => files(out, run, artifact),
    }
}

fn html_preview(out: &mut String, href: &str, output: &str) {
    // No `allow-same-origin`: the page runs in an origin of its own and
    // cannot reach the UI; the file is also served with a sandboxing CSP.
    let _ = write!(
        out,
        "<iframe class=\"html-artifact\" sandbox src=\"{}\" title=\"HTML artifact {}\"></iframe>",
        Esc(href),
        Esc(output)
    );
}

/// The files of an artifact with their sizes.
fn files(out: &mut String, run: &RunRecord, artifact: &ArtifactRecord) {
    let Some(path) = artifact::resolve(&run.pipeline_root, &artifact.uri, &[]) else {
        return unavailable(out, run);
    };
    if !path.is_dir() {
        let size = std::fs::metadata(&path).map_or(0, |m| m.len());
        let _ = write!(
            out,
            "<table class=\"files\"><tbody><tr><td><a href=\"{}\">{}</a></td><td class=\"number\">{}</td>\
             <td><a href=\"{}?download\" download>Download</a></td></tr></tbody></table>",
            Esc(&artifact_href(&run.id, artifact.id, "")),
            Esc(&artifact.output),
            human_size(size),
            Esc(&artifact_href(&run.id, artifact.id, "")),
        );
        return;
    }
    out.push_str(&listing(run, artifact.id, &path, ""));
}

/// The table of the files under `dir`, the folder at `prefix` (empty for
/// its root) inside an artifact, each linked.
pub fn listing(run: &RunRecord, artifact_id: i64, dir: &std::path::Path, prefix: &str) -> String {
    let (entries, truncated) = artifact::list(dir);
    if entries.is_empty() {
        return "<p class=\"empty\">The folder is empty.</p>".into();
    }
    let mut out = String::from(
        "<table class=\"files\"><thead><tr><th scope=\"col\">File</th><th scope=\"col\">Size</th>\
         <th scope=\"col\"><span class=\"sr-only\">Download</span></th></tr></thead><tbody>",
    );
    for entry in &entries {
        let inside = if prefix.is_empty() {
            entry.path.clone()
        } else {
            format!("{prefix}/{}", entry.path)
        };
        let href = artifact_href(&run.id, artifact_id, &inside);
        if entry.folder {
            let _ = write!(
                out,
                "<tr><td><a href=\"{}\">{}/</a></td><td></td><td></td></tr>",
                Esc(&href),
                Esc(&entry.path)
            );
        } else {
            let _ = write!(
                out,
                "<tr><td><a href=\"{h}\">{}</a></td><td class=\"number\">{}</td>\
                 <td><a href=\"{h}?download\" download>Download</a></td></tr>",
                Esc(&entry.path),
                human_size(entry.size),
                h = Esc(&href),
            );
        }
    }
    out.push_str("</tbody></table>");
    if truncated {
        let _ = write!(
            out,
            "<p class=\"empty\">Only the first {} entries are listed.</p>",
            artifact::MAX_LISTED
        );
    }
    out
}
