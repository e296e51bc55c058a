//! `kfp local`, as a user runs it: exit statuses, the listing and details
//! of runs, logs, two runs at once, Ctrl-C, and a runner killed with
//! `kill -9`.

use std::path::{Path, PathBuf};
use std::process::{Child, Command, Output, Stdio};
use std::time::{Duration, Instant};

use kfp_local::layout::Layout;
use kfp_local::store::{RunFilter, Store};
use kfp_local::{RunState, TaskState};

fn pipeline(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../kfp-local/tests/pipelines")
        .join(name)
}

fn kfp(home: &Path, args: &[&str]) -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_kfp"));
    command
        .args(args)
        .env("KFP_LOCAL_HOME", home)
        .env_remove("DOCKER_HOST");
    command
}

fn output(home: &Path, args: &[&str]) -> Output {
    kfp(home, args).output().unwrap()
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

fn store(home: &Path) -> Store {
    Store::open(&Layout::new(home).database()).unwrap()
}

/// Waits (at most 20 s) until the home's only run has `n` tasks running.
fn wait_for_running(home: &Path, n: usize) -> String {
    let deadline = Instant::now() + Duration::from_secs(20);
    loop {
        if let Ok(store) = Store::open(&Layout::new(home).database())
            && let Some(run) = store
                .runs(&RunFilter::default())
                .unwrap()
                .into_iter()
                .next()
        {
            let running = store
                .tasks(&run.id)
                .unwrap()
                .iter()
                .filter(|t| t.state == TaskState::Running)
                .count();
            if running >= n {
                return run.id;
            }
        }
        assert!(Instant::now() < deadline, "the tasks did not start");
        std::thread::sleep(Duration::from_millis(50));
    }
}

fn wait_with_timeout(child: &mut Child, limit: Duration) -> std::process::ExitStatus {
    let deadline = Instant::now() + limit;
    loop {
        if let Some(status) = child.try_wait().unwrap() {
            return status;
        }
        if Instant::now() > deadline {
            let _ = child.kill();
            panic!("kfp did not end within {limit:?}");
        }
        std::thread::sleep(Duration::from_millis(20));
    }
}

#[test]
fn exit_statuses_say_how_the_run_ended() {
    let home = tempfile::tempdir().unwrap();
    let ok = output(
        home.path(),
        &[
            "local",
            "run",
            pipeline("chain.yaml").to_str().unwrap(),
            "--param",
            "n=2",
        ],
    );
    assert_eq!(ok.status.code(), Some(0), "{}", text(&ok.stderr));
    let summary = text(&ok.stderr);
    assert!(summary.contains("SUCCEEDED in"), "{summary}");
    assert!(summary.contains("Output = \"got 4 and rows\""), "{summary}");
    assert!(summary.contains("details   kfp local show "), "{summary}");

    let failed = output(
        home.path(),
        &[
            "local",
            "run",
            pipeline("exit_handler.yaml").to_str().unwrap(),
        ],
    );
    assert_eq!(failed.status.code(), Some(1));
    assert!(
        text(&failed.stderr)
            .contains("failed: exit-handler-1/fail\n  its command ended with exit code 3")
    );

    let bad = output(
        home.path(),
        &[
            "local",
            "run",
            pipeline("chain.yaml").to_str().unwrap(),
            "-p",
            "n=x",
        ],
    );
    assert_eq!(bad.status.code(), Some(2));
    assert!(
        text(&bad.stderr).contains("parameter `n`: expected an integer (NUMBER_INTEGER), got `x`")
    );
    let missing = output(home.path(), &["local", "run", "/no/such/file.yaml"]);
    assert_eq!(missing.status.code(), Some(2));

    let json = output(
        home.path(),
        &[
            "--json",
            "local",
            "run",
            pipeline("chain.yaml").to_str().unwrap(),
        ],
    );
    let result: serde_json::Value = serde_json::from_slice(&json.stdout).unwrap();
    assert_eq!(result["state"], "SUCCEEDED");
    assert_eq!(result["outputs"]["parameters"]["Output"], "got 42 and rows");
    assert_eq!(result["tasks"].as_array().unwrap().len(), 2);
}

#[test]
fn runs_show_and_logs_read_the_store() {
    let home = tempfile::tempdir().unwrap();
    let run = output(
        home.path(),
        &[
            "--json",
            "local",
            "run",
            pipeline("exit_handler.yaml").to_str().unwrap(),
        ],
    );
    let id = serde_json::from_slice::<serde_json::Value>(&run.stdout).unwrap()["run_id"]
        .as_str()
        .unwrap()
        .to_owned();
    let runs = output(home.path(), &["local", "runs"]);
    let listing = text(&runs.stdout);
    assert!(
        listing.contains(&id[..8])
            && listing.contains("FAILED")
            && listing.contains("exit-handler"),
        "{listing}"
    );

    let show = output(home.path(), &["local", "show", &id[..6]]);
    assert_eq!(show.status.code(), Some(0));
    let details = text(&show.stdout);
    assert!(details.contains("exit-handler-1/fail  FAILED"), "{details}");
    assert!(
        details.contains("exit-handler-1/after-fail  SKIPPED"),
        "{details}"
    );
    assert!(details.contains("log "), "{details}");

    let logs = output(home.path(), &["local", "logs", &id, "fail"]);
    assert_eq!(text(&logs.stdout), "preparing\nsomething went wrong\n");
    let unknown = output(home.path(), &["local", "logs", &id, "nope"]);
    assert_eq!(unknown.status.code(), Some(2));
    let no_run = output(home.path(), &["local", "show", "zzz"]);
    assert_eq!(no_run.status.code(), Some(2));
    assert!(text(&no_run.stderr).contains("no run `zzz`"));
}

#[test]
fn two_runs_at_once_in_one_home_both_work() {
    let home = tempfile::tempdir().unwrap();
    let file = pipeline("naps.yaml");
    let mut first = kfp(
        home.path(),
        &["local", "run", file.to_str().unwrap(), "-p", "seconds=0.5"],
    )
    .stderr(Stdio::null())
    .spawn()
    .unwrap();
    let mut second = kfp(
        home.path(),
        &["local", "run", file.to_str().unwrap(), "-p", "seconds=0.5"],
    )
    .stderr(Stdio::null())
    .spawn()
    .unwrap();
    assert!(wait_with_timeout(&mut first, Duration::from_secs(30)).success());
    assert!(wait_with_timeout(&mut second, Duration::from_secs(30)).success());
    let runs = store(home.path()).runs(&RunFilter::default()).unwrap();
    assert_eq!(runs.len(), 2);
    assert!(runs.iter().all(|r| r.state == RunState::Succeeded));
}

/// Starts `kfp local run` of the two-nap pipeline, naps of `seconds`, and
/// returns it with its run id once both naps are running.
fn start_naps(home: &Path, seconds: &str) -> (Child, String) {
    let child = kfp(
        home,
        &[
            "local",
            "run",
            pipeline("naps.yaml").to_str().unwrap(),
            "-p",
            &format!("seconds={seconds}"),
        ],
    )
    .stderr(Stdio::null())
    .spawn()
    .unwrap();
    (child, wait_for_running(home, 2))
}

#[test]
fn ctrl_c_cancels_the_run_and_stops_its_tasks() {
    let home = tempfile::tempdir().unwrap();
    let (mut child, id) = start_naps(home.path(), "30");
    let started = Instant::now();
    let status = Command::new("kill")
        .args(["-INT", &child.id().to_string()])
        .status()
        .unwrap();
    assert!(status.success());
    let exit = wait_with_timeout(&mut child, Duration::from_secs(10));
    assert_eq!(exit.code(), Some(1));
    assert!(
        started.elapsed() < Duration::from_secs(8),
        "the naps were not stopped"
    );
    let store = store(home.path());
    let run = store.run(&id).unwrap();
    assert_eq!(run.state, RunState::Canceled);
    let tasks = store.tasks(&id).unwrap();
    let state = |name: &str| tasks.iter().find(|t| t.task_name == name).map(|t| t.state);
    assert_eq!(state("nap-1"), Some(TaskState::Canceled));
    assert_eq!(state("nap-2"), Some(TaskState::Canceled));
    assert_eq!(state("after"), Some(TaskState::Canceled));
    assert_eq!(store.integrity_check().unwrap(), "ok");
}

#[test]
fn kill_9_leaves_a_sound_store_and_the_run_is_marked_interrupted() {
    let home = tempfile::tempdir().unwrap();
    let (mut child, id) = start_naps(home.path(), "3");
    child.kill().unwrap(); // SIGKILL
    child.wait().unwrap();
    assert_eq!(store(home.path()).integrity_check().unwrap(), "ok");

    // The next command sees the runner is gone.
    let runs = output(home.path(), &["local", "runs"]);
    assert!(
        text(&runs.stdout).contains("INTERRUPTED"),
        "{}",
        text(&runs.stdout)
    );
    let store = store(home.path());
    let run = store.run(&id).unwrap();
    assert_eq!(run.state, RunState::Interrupted);
    assert!(store.tasks(&id).unwrap().iter().all(|t| t.state.is_final()));

    // And new runs work.
    let again = output(
        home.path(),
        &["local", "run", pipeline("naps.yaml").to_str().unwrap()],
    );
    assert_eq!(again.status.code(), Some(0), "{}", text(&again.stderr));
}
