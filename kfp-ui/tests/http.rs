//! The UI over HTTP on 127.0.0.1, reading a store filled by real local
//! runs of `sh` pipelines: kfp-local's fixtures and `reports.yaml`, which
//! writes an artifact of every kind the UI previews.

mod support;

use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::OnceLock;

use kfp_local::{RunState, TaskState};
use support::{Reply, get, request, run, scratch, serve};

/// One home with runs, served for every test of this file.
struct Fixture {
    home: PathBuf,
    addr: SocketAddr,
    chain: String,
    looped: String,
    report: String,
    other_report: String,
    /// Artifact ids of the first report run, by output name.
    artifacts: Vec<(String, i64)>,
    _server: kfp_ui::Running,
}

impl Fixture {
    fn artifact(&self, output: &str) -> i64 {
        self.artifacts
            .iter()
            .find(|(name, _)| name == output)
            .map(|(_, id)| *id)
            .unwrap_or_else(|| panic!("no artifact {output}"))
    }

    fn get(&self, target: &str) -> Reply {
        get(self.addr, target)
    }

    fn page(&self, target: &str) -> String {
        let reply = self.get(target);
        assert_eq!(reply.status, 200, "{target}: {}", reply.text());
        reply.text()
    }
}

fn fixture() -> &'static Fixture {
    static FIXTURE: OnceLock<Fixture> = OnceLock::new();
    FIXTURE.get_or_init(|| {
        let home = scratch("ui-http");
        let chain = run(&home, "chain.yaml", &["n=4"]);
        let looped = run(&home, "parallel_loop.yaml", &["n=3"]);
        let report = run(&home, "reports.yaml", &[]);
        let other = run(&home, "reports.yaml", &["threshold=0.75", "title=Other"]);
        assert_eq!(looped.state(), RunState::Succeeded, "{:#?}", looped.tasks);
        assert_eq!(report.state(), RunState::Failed, "{:#?}", report.tasks);
        let store = kfp_local::store::Store::open(&home.join("runs.db")).unwrap();
        let artifacts = store
            .artifacts(report.id())
            .unwrap()
            .into_iter()
            .map(|a| (a.output, a.id))
            .collect();
        let server = serve(&home);
        Fixture {
            addr: server.addr(),
            home,
            chain: chain.id().to_owned(),
            looped: looped.id().to_owned(),
            report: report.id().to_owned(),
            other_report: other.id().to_owned(),
            artifacts,
            _server: server,
        }
    })
}

#[test]
fn the_runs_page_lists_every_run_newest_first_and_filters() {
    let f = fixture();
    let page = f.page("/");
    let at = |id: &str| {
        page.find(&format!("data-run=\"{id}\""))
            .unwrap_or_else(|| panic!("{id}"))
    };
    assert!(at(&f.other_report) < at(&f.report));
    assert!(at(&f.report) < at(&f.looped));
    assert!(at(&f.looped) < at(&f.chain));
    assert!(page.contains("Page 1 of 1 · 4 runs"));
    assert!(
        page.contains("title=Weekly &lt;report&gt;"),
        "parameters are shown, escaped"
    );

    let reports = f.page("/?pipeline=reports");
    assert_eq!(reports.matches("<tr data-run=").count(), 2);
    let failed = f.page("/?state=FAILED");
    assert_eq!(failed.matches("<tr data-run=").count(), 2);
    assert!(failed.contains("✗</span> FAILED"));
    let beyond = f.page("/?page=2");
    assert!(beyond.contains("No runs match"));
    assert_eq!(f.get("/?state=DONE").status, 400);
}

#[test]
fn a_loop_run_shows_every_iteration_with_its_state() {
    let f = fixture();
    let page = f.page(&format!("/runs/{}", f.looped));
    for path in [
        "make-items",
        "for-loop-2",
        "for-loop-2/0",
        "for-loop-2/2/double",
        "total",
    ] {
        assert!(
            page.contains(&format!("data-task=\"{path}\" data-state=\"SUCCEEDED\"")),
            "{path}"
        );
    }
    assert!(page.contains("loop, 3 iterations"));
    assert!(page.contains(&format!(
        "<iframe class=\"graph-frame\" src=\"/runs/{}/graph.svg?v=",
        f.looped
    )));
    assert!(page.contains(">iteration 2</a>"));
    assert!(!page.contains("data-live"), "a finished run is not polled");
    // A run is found by the start of its id too.
    assert_eq!(f.get(&format!("/runs/{}", &f.looped[..8])).status, 200);
    assert_eq!(f.get("/runs/no-such-run").status, 404);
}

#[test]
fn the_graph_is_drawn_with_every_tasks_state() {
    let f = fixture();
    let reply = f.get(&format!("/runs/{}/graph.svg", f.looped));
    assert_eq!(reply.header("content-type"), Some("image/svg+xml"));
    let policy = reply.header("content-security-policy").unwrap();
    assert!(
        policy.starts_with("default-src 'none'; style-src 'unsafe-inline'"),
        "{policy}"
    );
    let svg = reply.text();
    // The pipeline's tasks, each once: the loop's task stands for its
    // three iterations.
    for (path, badge) in [
        ("make-items", "SUCCEEDED"),
        ("for-loop-2", "SUCCEEDED"),
        ("for-loop-2/double", "3× SUCCEEDED"),
        ("total", "SUCCEEDED"),
    ] {
        assert!(
            svg.contains(&format!("data-task=\"{path}\"")),
            "{path}: {svg}"
        );
        assert!(svg.contains(badge), "{badge}");
    }
    assert!(svg.contains("3 iterations"));
    assert_eq!(
        svg.matches("<g class=\"n state-succeeded\"").count(),
        3,
        "{svg}"
    );
    assert_eq!(
        svg.matches("<g class=\"g loop state-succeeded\"").count(),
        1,
        "{svg}"
    );
    let link = format!(
        "<a target=\"_top\" href=\"/runs/{}/tasks/for-loop-2/0/double\">",
        f.looped
    );
    assert!(svg.contains(&link), "{svg}");
    // A failed run's task is drawn failed, linked to its panel.
    let failed = f.get(&format!("/runs/{}/graph.svg", f.report)).text();
    assert!(failed.contains("state-failed") && failed.contains("FAILED"));
}

#[test]
fn a_failed_task_shows_its_log_tail_and_its_log_downloads() {
    let f = fixture();
    let page = f.page(&format!("/runs/{}/tasks/check", f.report));
    assert!(page.contains("id=\"log-tail\""), "{page}");
    assert!(page.contains("error: column &lt;quality&gt; is missing"));
    assert!(page.contains(&format!(
        "data-task=\"check\" data-state=\"{}\"",
        TaskState::Failed
    )));
    assert!(page.contains("<pre class=\"message\">"));
    assert!(page.contains("Command"));
    let log = f.get(&format!("/runs/{}/tasks/check/log", f.report));
    assert_eq!(log.status, 200);
    assert!(
        log.header("content-disposition")
            .unwrap()
            .starts_with("attachment; filename=\"")
    );
    assert!(log.text().contains("checking ") && log.text().contains("is missing"));
    assert_eq!(
        f.get(&format!("/runs/{}/tasks/nothing", f.report)).status,
        404
    );
}

#[test]
fn artifacts_are_previewed_by_their_type() {
    let f = fixture();
    let page = f.page(&format!("/runs/{}/tasks/make-report", f.report));
    // Markdown, rendered, its raw HTML shown as text.
    assert!(page.contains("<h1>Weekly &lt;report&gt;</h1>"), "{page}");
    assert!(
        page.contains("<td>170</td>") && page.contains("&lt;script&gt;alert(1)&lt;/script&gt;")
    );
    // HTML in a sandboxed frame that may not share the UI's origin.
    let page_id = f.artifact("page");
    assert!(page.contains(&format!(
        "<iframe class=\"html-artifact\" sandbox src=\"/runs/{}/artifacts/{page_id}/\"",
        f.report
    )));
    // Metrics as a table, classification metrics as charts.
    assert!(page.contains("<th scope=\"row\">accuracy</th><td class=\"number\">0.5</td>"));
    assert!(page.contains("<svg class=\"chart roc\""));
    assert!(page.contains("<svg class=\"chart confusion-matrix\""));
    assert!(page.contains(">145</text>"));
    // A dataset folder as its files with their sizes.
    assert!(page.contains(">rows.csv</a></td><td class=\"number\">8 B</td>"));
    assert!(page.contains(">parts/one.txt</a>"));
    // No inline script or style anywhere.
    assert!(!page.contains("<script>") && !page.contains("style="));
}

#[test]
fn artifact_files_are_served_in_a_sandbox() {
    let f = fixture();
    let html = f.get(&format!(
        "/runs/{}/artifacts/{}/",
        f.report,
        f.artifact("page")
    ));
    assert_eq!(html.status, 200);
    assert_eq!(
        html.header("content-type"),
        Some("text/html; charset=utf-8")
    );
    assert!(
        html.header("content-security-policy")
            .unwrap()
            .starts_with("sandbox;")
    );
    assert!(html.text().contains("id=\"html-artifact\""));
    let table = f.artifact("table");
    let listing = f.page(&format!("/runs/{}/artifacts/{table}/parts", f.report));
    assert!(listing.contains(&format!(
        "href=\"/runs/{}/artifacts/{table}/parts/one.txt\"",
        f.report
    )));
    let csv = f.get(&format!("/runs/{}/artifacts/{table}/rows.csv", f.report));
    assert_eq!(
        csv.header("content-type"),
        Some("text/plain; charset=utf-8")
    );
    assert_eq!(csv.text(), "a,b\n1,2\n");
    let download = f.get(&format!(
        "/runs/{}/artifacts/{table}/rows.csv?download",
        f.report
    ));
    assert_eq!(
        download.header("content-disposition"),
        Some("attachment; filename=\"rows.csv\"")
    );
    let head = request(
        f.addr,
        "HEAD",
        &format!("/runs/{}/artifacts/{table}/rows.csv", f.report),
    );
    assert_eq!(
        (head.status, head.header("content-length"), head.body.len()),
        (200, Some("8"), 0)
    );
}

#[test]
fn an_artifact_a_task_made_in_its_task_root_is_served() {
    let f = fixture();
    // The task wrote it at `<folder of its executor output>/model` (kfp's
    // `dsl.get_uri("model")`) and returned it in its executor output.
    let store = kfp_local::store::Store::open(&f.home.join("runs.db")).unwrap();
    let made = store
        .artifacts(&f.report)
        .unwrap()
        .into_iter()
        .find(|a| a.output == "made")
        .expect("the made artifact is recorded");
    assert!(made.uri.ends_with("/make-report/model"), "{}", made.uri);
    let reply = f.get(&format!("/runs/{}/artifacts/{}/", f.report, made.id));
    assert_eq!(reply.status, 200, "{}", reply.text());
    assert_eq!(reply.text(), "a model");
}

#[test]
fn no_url_reaches_outside_the_artifacts() {
    let f = fixture();
    let table = f.artifact("table");
    let dir = f
        .home
        .join("artifacts/reports")
        .join(&f.report)
        .join("make-report/table");
    // Links inside the artifact that point out of it.
    let _ = std::os::unix::fs::symlink(f.home.join("runs.db"), dir.join("escape"));
    let _ = std::os::unix::fs::symlink(&f.home, dir.join("home"));
    let base = format!("/runs/{}/artifacts/{table}", f.report);
    for target in [
        format!("{base}/../../../../../runs.db"),
        format!("{base}/%2e%2e/%2e%2e/%2e%2e/%2e%2e/%2e%2e/runs.db"),
        format!("{base}/%2E%2E%2F%2E%2E%2Fruns.db"),
        format!("{base}/..%2f..%2f..%2fruns.db"),
        format!("{base}/%252e%252e/%252e%252e/runs.db"),
        format!("{base}/.%2e/.%2e/runs.db"),
        format!("{base}//etc/passwd"),
        format!("{base}/%2Fetc%2Fpasswd"),
        format!("{base}/rows.csv%00.png"),
        format!("{base}/..\\..\\runs.db"),
        format!("{base}/%5c..%5c..%5cruns.db"),
        format!("{base}/escape"),
        format!("{base}/home/runs.db"),
        format!("{base}/./rows.csv"),
        format!("/runs/{}/artifacts/{table}/rows.csv", f.other_report),
        format!("/runs/{}/artifacts/999999/", f.report),
        format!("/runs/{}/tasks/..%2f..%2fruns.db/log", f.report),
        "/static/..%2fCargo.toml".to_owned(),
        "/static/%2e%2e/Cargo.toml".to_owned(),
    ] {
        let reply = f.get(&target);
        assert_eq!(reply.status, 404, "{target}: {}", reply.text());
        assert!(!reply.text().contains("SQLite"), "{target}");
    }
}

#[test]
fn compare_shows_both_runs_parameters_and_metrics() {
    let f = fixture();
    let page = f.page(&format!("/compare?runs={},{}", f.report, f.other_report));
    let heads = page.matches("<th scope=\"col\" data-run=").count();
    assert_eq!(
        heads, 6,
        "both runs head the overview, parameters and metrics"
    );
    assert!(page.contains("<tr class=\"differs\"><th scope=\"row\">threshold"));
    assert!(page.contains("≠ differs"));
    assert!(page.contains("make-report › accuracy"));
    assert!(
        page.contains("<code class=\"value\">0.5</code>")
            && page.contains("<code class=\"value\">0.75</code>")
    );
    assert_eq!(
        page.matches("<g class=\"curve\"").count(),
        2,
        "both ROC curves on one chart"
    );
    assert_eq!(
        page.matches("<svg class=\"chart confusion-matrix\"")
            .count(),
        2
    );
    let one = f.page(&format!("/compare?runs={}&runs=missing", f.report));
    assert!(one.contains("No run <code>missing</code>") && one.contains("Pick two or more runs"));
}

#[test]
fn every_response_carries_the_security_headers() {
    let f = fixture();
    for target in [
        "/",
        &format!("/runs/{}", f.chain),
        "/static/style.css",
        "/nothing",
    ] {
        let reply = f.get(target);
        let policy = reply.header("content-security-policy").unwrap();
        assert!(
            policy.contains("script-src 'self'") && policy.contains("style-src 'self'"),
            "{target}"
        );
        assert!(!policy.contains("unsafe-inline"), "{target}");
        assert_eq!(reply.header("x-content-type-options"), Some("nosniff"));
        assert_eq!(reply.header("connection"), Some("close"));
    }
    let css = f.get("/static/style.css");
    assert_eq!(css.header("content-type"), Some("text/css; charset=utf-8"));
    assert!(css.text().contains(".state-succeeded{color:"));
    assert!(f.get("/static/live.js").text().contains("data-live"));
    assert_eq!(request(f.addr, "POST", "/").status, 405);
    assert_eq!(
        request(f.addr, "DELETE", &format!("/runs/{}", f.chain)).status,
        405
    );
}

#[test]
fn the_api_gives_a_runs_state_and_its_parts() {
    let f = fixture();
    let reply = f.get(&format!("/api/runs/{}?task=check", f.report));
    assert_eq!(reply.header("content-type"), Some("application/json"));
    let json: serde_json::Value = serde_json::from_slice(&reply.body).unwrap();
    assert_eq!(json["state"], "FAILED");
    assert_eq!(json["finished"], true);
    assert!(
        json["tasks"]
            .as_str()
            .unwrap()
            .contains("data-task=\"check\"")
    );
    assert!(json["panel"].as_str().unwrap().contains("is missing"));
}

#[test]
fn a_running_run_is_polled_until_it_ends() {
    let home = scratch("ui-live");
    let server = serve(&home);
    let worker = {
        let home = home.clone();
        std::thread::spawn(move || run(&home, "parallel_loop.yaml", &["n=6"]))
    };
    let mut seen = Vec::new();
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(60);
    while std::time::Instant::now() < deadline {
        let list = get(server.addr(), "/?state=RUNNING").text();
        if let Some(at) = list.find("<tr data-run=\"") {
            let id = &list[at + 14..at + 50];
            let page = get(server.addr(), &format!("/runs/{id}")).text();
            assert!(
                page.contains(&format!("data-live=\"/api/runs/{id}\"")),
                "{page}"
            );
            loop {
                let json: serde_json::Value =
                    serde_json::from_slice(&get(server.addr(), &format!("/api/runs/{id}")).body)
                        .unwrap();
                seen.push(json["state"].as_str().unwrap().to_owned());
                if json["finished"] == true {
                    break;
                }
                std::thread::sleep(std::time::Duration::from_millis(100));
            }
            break;
        }
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
    let outcome = worker.join().unwrap();
    assert_eq!(outcome.state(), RunState::Succeeded);
    assert_eq!(
        seen.first().map(String::as_str),
        Some("RUNNING"),
        "{seen:?}"
    );
    assert_eq!(
        seen.last().map(String::as_str),
        Some("SUCCEEDED"),
        "{seen:?}"
    );
}
