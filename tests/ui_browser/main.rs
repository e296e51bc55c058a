//! The local UI (kfp-ui) in a real browser: headless Chromium driven over
//! WebDriver, on a run store filled by real local runs of the examples
//! (`examples/wine_quality.rs`, twice) and of `sh` pipelines (a loop, a
//! run with a failed task). Screenshots of the main pages go to
//! `target/ui-screenshots/` (`scripts/browser screenshots` makes the small
//! copies of `docs/screenshots/` from them).
//!
//! Needs chromium and chromedriver (`scripts/browser` installs them);
//! without them it says `skipped: no chromium/chromedriver`.

mod webdriver;
#[allow(dead_code)]
#[path = "../../examples/wine_quality.rs"]
mod wine_quality;

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use kfp_ir_schema::PipelineFile;
use kfp_ir_schema::arguments::parse_key_values;
use kfp_local::progress::Silent;
use kfp_local::{Outcome, RunState, Runner};
use webdriver::{Browser, screenshot_dir};

/// Runs a `sh` pipeline of kfp-local's or kfp-ui's tests in `home`.
fn run_file(home: &Path, file: &str, args: &[&str]) -> Outcome {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join(file);
    let pipeline = PipelineFile::read(&path).unwrap_or_else(|e| panic!("{file}: {e}"));
    let args = parse_key_values(args.iter().copied()).unwrap();
    Runner::new(home)
        .parallelism(4)
        .run(&pipeline, &args, &mut Silent)
        .unwrap_or_else(|e| panic!("{file}: {e}"))
}

/// Runs the wine-quality example with `seed` in `home`.
fn run_wine(home: &Path, seed: u64) -> String {
    let run = kfp_dsl::local::Run::new(wine_quality::wine_quality::ENTRY)
        .home(home)
        .param("seed", seed)
        .param("deploy_dir", home.join("deployed").display().to_string())
        .start()
        .unwrap_or_else(|e| panic!("{e}"));
    assert!(run.succeeded(), "{:?}", run.run.error);
    run.id().to_owned()
}

struct Runs {
    wine: String,
    other_wine: String,
    looped: String,
    failed: String,
}

fn fill(home: &Path) -> Runs {
    let looped = run_file(
        home,
        "kfp-local/tests/pipelines/parallel_loop.yaml",
        &["n=3"],
    );
    let failed = run_file(home, "kfp-ui/tests/pipelines/reports.yaml", &[]);
    assert_eq!(failed.state(), RunState::Failed);
    Runs {
        wine: run_wine(home, 42),
        other_wine: run_wine(home, 7),
        looped: looped.id().to_owned(),
        failed: failed.id().to_owned(),
    }
}

fn shot(browser: &Browser, name: &str) {
    browser.screenshot(&screenshot_dir().join(format!("{name}.png")));
}

#[test]
fn the_ui_in_a_browser() {
    let Some(browser) = Browser::start(1280, 860) else {
        eprintln!("skipped: no chromium/chromedriver (scripts/browser installs them)");
        return;
    };
    let home = scratch("ui-browser");
    let runs = fill(&home);
    let options = kfp_ui::Options::new(kfp_local::layout::Layout::new(&home))
        .addr("127.0.0.1:0".parse().unwrap());
    let server = kfp_ui::start(&options).unwrap();
    let base = format!("http://{}", server.addr());

    runs_list(&browser, &base, &runs);
    loop_dag(&browser, &base, &runs);
    failed_task_log(&browser, &base, &runs);
    charts(&browser, &base, &runs);
    compare(&browser, &base, &runs);
    html_artifact_and_traversal(&browser, &base, &runs, &home);
    live_updates(&browser, &base, &home);
    eprintln!("screenshots in {}", screenshot_dir().display());
}

fn scratch(name: &str) -> PathBuf {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join(name);
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// The runs page lists the runs, newest first.
fn runs_list(browser: &Browser, base: &str, runs: &Runs) {
    browser.goto(&format!("{base}/"));
    browser.wait_for("table.runs");
    let rows = browser.find_all("table.runs tbody tr");
    assert_eq!(rows.len(), 4);
    let first = browser.attribute(&rows[0], "data-run");
    assert_eq!(first.as_deref(), Some(runs.other_wine.as_str()));
    let text = browser.text(&browser.wait_for("table.runs"));
    assert!(
        text.contains("wine-quality") && text.contains("parallel-loop"),
        "{text}"
    );
    assert!(
        text.contains("SUCCEEDED") && text.contains("FAILED"),
        "{text}"
    );
    shot(browser, "runs");
}

/// A loop pipeline's graph has a node per task, each in its state; the
/// looped task stands for its iterations, which the task table lists.
fn loop_dag(browser: &Browser, base: &str, runs: &Runs) {
    browser.goto(&format!("{base}/runs/{}", runs.looped));
    let frame = browser.wait_for("#dag iframe.graph-frame");
    browser.frame(Some(&frame));
    // make-items, the loop's `double`, total; and the loop's group.
    assert_eq!(browser.find_all("g.n").len(), 3);
    assert_eq!(browser.find_all("g.n.state-succeeded").len(), 3);
    assert_eq!(browser.find_all("g.g.loop.state-succeeded").len(), 1);
    let double = browser.wait_for("g.n[data-task='for-loop-2/double']");
    assert!(
        browser.text(&double).contains("3× SUCCEEDED"),
        "{}",
        browser.text(&double)
    );
    // A node's link opens its task's panel in the page.
    browser.click(&browser.wait_for("a g.n[data-task=total]"));
    browser.frame(None);
    browser.wait_for("#panel #task-state");
    assert!(
        browser.title().starts_with("total · "),
        "{}",
        browser.title()
    );
    let rows = browser.find_all("#tasks tr[data-task^='for-loop-2/'][data-state=SUCCEEDED]");
    assert_eq!(rows.len(), 6, "3 iterations, a `double` each");
}

/// Clicking a failed task shows the end of its log.
fn failed_task_log(browser: &Browser, base: &str, runs: &Runs) {
    browser.goto(&format!("{base}/runs/{}", runs.failed));
    let failed = browser.wait_for("#tasks tr[data-state=FAILED] td.name a");
    browser.click(&failed);
    let log = browser.wait_for("#log-tail");
    let text = browser.text(&log);
    assert!(
        text.contains("error: column <quality> is missing"),
        "{text}"
    );
    assert!(browser.title().starts_with("check · "));
}

/// The evaluation's ROC curve and confusion matrix are drawn.
fn charts(browser: &Browser, base: &str, runs: &Runs) {
    browser.goto(&format!("{base}/runs/{}", runs.wine));
    browser.wait_for("#dag");
    shot(browser, "run");
    let evaluate = browser.wait_for("#tasks tr[data-task=evaluate] td.name a");
    browser.click(&evaluate);
    let roc = browser.wait_for("#panel svg.chart.roc");
    assert!(browser.displayed(&roc));
    assert_eq!(
        browser
            .find_all("#panel svg.chart.roc g.curve polyline")
            .len(),
        1
    );
    let points = browser
        .find_all("#panel svg.chart.roc g.curve circle")
        .len();
    assert!(points > 2, "{points} points on the ROC curve");
    let matrix = browser.wait_for("#panel svg.chart.confusion-matrix");
    assert!(browser.displayed(&matrix));
    assert_eq!(
        browser.find_all("#panel svg.confusion-matrix g.cell").len(),
        4
    );
    let metrics = browser.text(&browser.wait_for("#panel table.metrics"));
    assert!(metrics.contains("accuracy"), "{metrics}");
    browser.execute("document.querySelector('#panel .charts').scrollIntoView({block: 'center'});");
    shot(browser, "task");
}

/// The compare page shows both runs' parameters and metrics.
fn compare(browser: &Browser, base: &str, runs: &Runs) {
    browser.goto(&format!("{base}/"));
    for id in [&runs.wine, &runs.other_wine] {
        browser.click(&browser.wait_for(&format!("input[name=runs][value='{id}']")));
    }
    browser.click(&browser.wait_for("form[action='/compare'] button[type=submit]"));
    let metrics = browser.wait_for("table.compare.metrics");
    let text = browser.text(&metrics);
    assert!(text.contains("evaluate › accuracy"), "{text}");
    let row = browser.wait_for("table.compare.metrics tbody tr");
    assert_eq!(
        browser
            .find_all("table.compare.metrics tbody tr:first-child td")
            .len(),
        2
    );
    assert!(browser.text(&row).chars().any(|c| c.is_ascii_digit()));
    let parameters = browser.text(&browser.wait_for("table.compare.parameters"));
    assert!(parameters.contains("seed") && parameters.contains("42") && parameters.contains('7'));
    assert!(parameters.contains("differs"), "{parameters}");
    assert_eq!(browser.find_all("svg.chart.roc g.curve").len(), 2);
    assert_eq!(browser.find_all("svg.chart.confusion-matrix").len(), 2);
    shot(browser, "compare");
}

/// An HTML artifact cannot script the UI; a path out of the artifacts is
/// not found.
fn html_artifact_and_traversal(browser: &Browser, base: &str, runs: &Runs, home: &Path) {
    browser.goto(&format!("{base}/runs/{}/tasks/make-report", runs.failed));
    let frame = browser.wait_for("iframe.html-artifact");
    browser.frame(Some(&frame));
    let heading = browser.wait_for("#html-artifact");
    // The title, written into the page raw (`<report>` is a tag there).
    assert_eq!(browser.text(&heading), "Weekly");
    browser.frame(None);
    assert_eq!(browser.attribute(&frame, "sandbox").as_deref(), Some(""));
    std::thread::sleep(Duration::from_millis(300));
    assert!(
        !browser.title().contains("owned"),
        "the artifact's script ran in the UI"
    );
    let store = kfp_local::store::Store::open(&home.join("runs.db")).unwrap();
    let table = store
        .artifacts(&runs.failed)
        .unwrap()
        .into_iter()
        .find(|a| a.output == "table")
        .unwrap();
    for tail in [
        "..%2f..%2f..%2f..%2f..%2fruns.db",
        "%2e%2e/%2e%2e/%2e%2e/%2e%2e/%2e%2e/runs.db",
    ] {
        browser.goto(&format!(
            "{base}/runs/{}/artifacts/{}/{tail}",
            runs.failed, table.id
        ));
        let heading = browser.text(&browser.wait_for("h1"));
        assert_eq!(heading, "404 · Not found", "{tail}");
    }
}

/// A running run's page follows it until it ends.
fn live_updates(browser: &Browser, base: &str, home: &Path) {
    let worker = {
        let home = home.to_path_buf();
        std::thread::spawn(move || {
            run_file(
                &home,
                "kfp-local/tests/pipelines/parallel_loop.yaml",
                &["n=10"],
            )
        })
    };
    let store = kfp_local::store::Store::open(&home.join("runs.db")).unwrap();
    let deadline = Instant::now() + Duration::from_secs(30);
    let running = loop {
        let filter = kfp_local::store::RunFilter {
            state: Some(RunState::Running),
            ..Default::default()
        };
        if let Some(run) = store.runs(&filter).unwrap().into_iter().next() {
            break run.id;
        }
        assert!(Instant::now() < deadline, "the run did not start");
        std::thread::sleep(Duration::from_millis(20));
    };
    browser.goto(&format!("{base}/runs/{running}"));
    assert!(
        !browser.find_all("main[data-live]").is_empty(),
        "a running run is polled"
    );
    let ended = browser.wait_for_long("main[data-ended=SUCCEEDED]", Duration::from_secs(60));
    assert!(browser.displayed(&ended));
    assert!(browser.find_all("#tasks tr[data-state=RUNNING]").is_empty());
    let done = browser.find_all("#tasks tr[data-state=SUCCEEDED]").len();
    assert_eq!(done, 23, "{}", browser.source());
    let frame = browser.wait_for("#dag iframe.graph-frame");
    browser.frame(Some(&frame));
    let double = browser.wait_for("g.n[data-task='for-loop-2/double']");
    assert!(
        browser.text(&double).contains("10× SUCCEEDED"),
        "{}",
        browser.text(&double)
    );
    browser.frame(None);
    assert!(
        browser
            .text(&browser.wait_for("#run-state"))
            .contains("SUCCEEDED")
    );
    assert_eq!(worker.join().unwrap().state(), RunState::Succeeded);
}
