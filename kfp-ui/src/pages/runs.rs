//! The runs page: newest first, filtered by pipeline and state, a page at
//! a time, with boxes to pick runs to compare.

use std::fmt::Write;

use kfp_local::RunState;
use kfp_local::store::RunRecord;

use super::layout::{cut, page, so_far, took, value_text, when};
use crate::html::Esc;
use crate::look;
use crate::route::{RunsQuery, run_href, runs_href};

/// Runs per page.
pub const PAGE_SIZE: u32 = 50;

/// What the runs page shows: one page of runs and what it was cut from.
#[derive(Clone, Copy, Debug)]
pub struct RunsView<'a> {
    /// The runs of this page.
    pub runs: &'a [RunRecord],
    /// How many runs match the filter.
    pub total: u64,
    /// The filter and page.
    pub query: &'a RunsQuery,
    /// Every pipeline with runs, with how many.
    pub pipelines: &'a [(String, u64)],
}

/// The runs page.
pub fn render(view: &RunsView<'_>) -> String {
    let mut body = String::with_capacity(16 * 1024);
    body.push_str("<h1>Runs</h1>");
    filters(&mut body, view);
    if view.runs.is_empty() {
        body.push_str(if view.total == 0 && view.query.pipeline.is_none() && view.query.state.is_none() {
            "<p class=\"empty\">No runs yet. Run a pipeline with <code>my-pipeline run</code> or \
             <code>kfp local run FILE</code>, then reload.</p>"
        } else {
            "<p class=\"empty\">No runs match.</p>"
        });
    } else {
        table(&mut body, view.runs);
        pager(&mut body, view);
    }
    page("Runs", &[("Runs", None)], &body, None)
}

fn filters(out: &mut String, view: &RunsView<'_>) {
    out.push_str(
        "<form class=\"filters\" method=\"get\" action=\"/\">\
         <label>Pipeline <select name=\"pipeline\"><option value=\"\">all</option>",
    );
    for (name, count) in view.pipelines {
        let selected = view.query.pipeline.as_deref() == Some(name.as_str());
        let _ = write!(
            out,
            "<option value=\"{n}\"{}>{n} ({count})</option>",
            if selected { " selected" } else { "" },
            n = Esc(name),
        );
    }
    out.push_str(
        "</select></label> <label>State <select name=\"state\"><option value=\"\">all</option>",
    );
    for state in RunState::ALL {
        let _ = write!(
            out,
            "<option value=\"{s}\"{}>{s}</option>",
            if view.query.state == Some(state) {
                " selected"
            } else {
                ""
            },
            s = state.as_str(),
        );
    }
    out.push_str("</select></label> <button type=\"submit\">Filter</button></form>");
}

fn table(out: &mut String, runs: &[RunRecord]) {
    out.push_str(
        "<form method=\"get\" action=\"/compare\"><table class=\"runs\"><thead><tr>\
         <th scope=\"col\"><span class=\"sr-only\">Compare</span></th><th scope=\"col\">Run</th>\
         <th scope=\"col\">Pipeline</th><th scope=\"col\">State</th><th scope=\"col\">Started</th>\
         <th scope=\"col\">Duration</th><th scope=\"col\">Parameters</th></tr></thead><tbody>",
    );
    for run in runs {
        let duration = match run.state {
            RunState::Running => so_far(&run.created_at),
            _ => run.duration(),
        };
        let parameters: Vec<String> = run
            .parameters
            .iter()
            .map(|(name, value)| format!("{name}={}", value_text(value)))
            .collect();
        let parameters = parameters.join(", ");
        let _ = write!(
            out,
            "<tr data-run=\"{id}\"><td><input type=\"checkbox\" name=\"runs\" value=\"{id}\" \
             aria-label=\"compare {name}\"></td><td><a href=\"{href}\">{name}</a>\
             <div class=\"id\">{short}</div></td><td>{pipeline}</td><td>{state}</td><td>{started}</td>\
             <td>{took}</td><td class=\"params\" title=\"{all}\">{params}</td></tr>",
            id = Esc(&run.id),
            href = Esc(&run_href(&run.id)),
            name = Esc(&run.name),
            short = Esc(run.id.get(..8).unwrap_or(&run.id)),
            pipeline = Esc(&run.pipeline_name),
            state = look::run(run.state).badge(""),
            started = when(&run.created_at),
            took = took(duration),
            all = Esc(&parameters),
            params = Esc(&cut(&parameters, 80)),
        );
    }
    out.push_str(
        "</tbody></table><p><button type=\"submit\">Compare selected runs</button></p></form>",
    );
}

fn pager(out: &mut String, view: &RunsView<'_>) {
    let pages = view.total.div_ceil(u64::from(PAGE_SIZE)).max(1);
    let current = u64::from(view.query.page);
    let link = |page: u64, text: &str, rel: &str| {
        let query = RunsQuery {
            page: u32::try_from(page).unwrap_or(u32::MAX),
            ..view.query.clone()
        };
        format!(
            "<a href=\"{}\" rel=\"{rel}\">{text}</a>",
            Esc(&runs_href(&query))
        )
    };
    out.push_str("<nav class=\"pager\" aria-label=\"pages\">");
    if current > 1 {
        out.push_str(&link(current - 1, "← Newer", "prev"));
    }
    let _ = write!(
        out,
        " <span>Page {current} of {pages} · {} runs</span> ",
        view.total
    );
    if current < pages {
        out.push_str(&link(current + 1, "Older →", "next"));
    }
    out.push_str("</nav>");
}

#[cfg(test)]
mod tests {
    use serde_json::{Value, json};

    use super::*;

    pub(crate) fn run(id: &str, state: RunState) -> RunRecord {
        RunRecord {
            id: id.into(),
            name: format!("<{id}>"),
            pipeline_name: "p".into(),
            pipeline_file: None,
            state,
            error: None,
            parameters: json!({"n": 3, "text": "hi"}).as_object().unwrap().clone(),
            outputs: None,
            created_at: "2026-01-01T00:00:00.000Z".into(),
            finished_at: Some("2026-01-01T00:00:01.500Z".into()),
            pipeline_root: "/tmp".into(),
            options: Value::Null,
            pid: 1,
        }
    }

    #[test]
    fn the_runs_page_lists_filters_and_pages() {
        let runs = [
            run("aaaaaaaa-1", RunState::Succeeded),
            run("bbbbbbbb-2", RunState::Failed),
        ];
        let query = RunsQuery {
            pipeline: Some("p".into()),
            state: None,
            page: 2,
        };
        let html = render(&RunsView {
            runs: &runs,
            total: 120,
            query: &query,
            pipelines: &[("p".into(), 100), ("q".into(), 20)],
        });
        assert!(html.contains("&lt;aaaaaaaa-1&gt;") && !html.contains("<aaaaaaaa-1>"));
        assert!(html.contains("href=\"/runs/aaaaaaaa-1\""));
        assert!(html.contains("✗</span> FAILED"));
        assert!(html.contains("<td>1.5s</td>"));
        assert!(html.contains("n=3, text=hi"));
        assert!(html.contains("<option value=\"p\" selected>p (100)</option>"));
        assert!(html.contains("Page 2 of 3 · 120 runs"));
        assert!(html.contains("href=\"/?pipeline=p\" rel=\"prev\""));
        assert!(html.contains("href=\"/?pipeline=p&amp;page=3\" rel=\"next\""));
        assert!(html.contains("name=\"runs\" value=\"bbbbbbbb-2\""));
        let empty = render(&RunsView {
            runs: &[],
            total: 0,
            query: &RunsQuery {
                page: 1,
                ..Default::default()
            },
            pipelines: &[],
        });
        assert!(empty.contains("No runs yet"));
    }
}
