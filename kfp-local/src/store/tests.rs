use serde_json::json;

use super::*;
use crate::driver::Values;
use crate::state::{RunState, TaskState};
use crate::task_path::TaskPath;
use kfp_ir_schema::executor::RuntimeArtifact;

fn new_run<'a>(
    id: &'a str,
    pipeline: &'a str,
    created_at: &'a str,
    spec: &'a serde_json::Value,
) -> NewRun<'a> {
    static EMPTY: std::sync::OnceLock<serde_json::Map<String, serde_json::Value>> =
        std::sync::OnceLock::new();
    NewRun {
        id,
        name: id,
        pipeline_name: pipeline,
        pipeline_file: None,
        pipeline_spec: spec,
        platform_spec: None,
        parameters: EMPTY.get_or_init(Default::default),
        created_at,
        pipeline_root: "/tmp/root",
        options: spec,
    }
}

#[test]
fn a_run_and_its_tasks_are_recorded_and_read_back() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = Store::open(&dir.path().join("runs.db")).unwrap();
    let spec = json!({"pipelineInfo": {"name": "p"}});
    store
        .create_run(&new_run("run-1", "p", "2026-01-01T00:00:00.000Z", &spec))
        .unwrap();
    let path = TaskPath::root().task("loop").iteration(2).task("train");
    let task = store
        .create_task(
            "run-1",
            &NewTask {
                path: &path,
                task_name: "train",
                display_name: "Train",
                component: "comp-train",
                kind: TaskKind::Container,
            },
        )
        .unwrap();
    store
        .set_task_state(task, TaskState::Running, None)
        .unwrap();
    store
        .start_attempt(task, 1, &["prog".into(), "--x".into()], "/log")
        .unwrap();
    store.finish_attempt(task, 1, Some(0), None).unwrap();
    let mut outputs = Values::default();
    outputs.parameters.insert("acc".into(), json!(0.9));
    let artifact = RuntimeArtifact {
        name: "metrics".into(),
        uri: "/tmp/root/m".into(),
        r#type: Some(
            serde_json::from_value(
                json!({"schemaTitle": "system.Metrics", "schemaVersion": "0.0.1"}),
            )
            .unwrap(),
        ),
        metadata: Some(serde_json::from_value(json!({"accuracy": 0.9, "f1": 0.8})).unwrap()),
        ..Default::default()
    };
    store
        .finish_task(
            "run-1",
            task,
            TaskState::Succeeded,
            None,
            Some(&outputs),
            &[ArtifactRow {
                output: "metrics",
                position: 0,
                artifact: &artifact,
                digest: Some("ab"),
                size: Some(3),
            }],
        )
        .unwrap();
    store
        .finish_run("run-1", RunState::Succeeded, Some(&outputs), None)
        .unwrap();

    let run = store.run("run").unwrap();
    assert_eq!(run.state, RunState::Succeeded);
    assert!(run.duration().is_some());
    assert_eq!(store.run_spec("run-1").unwrap(), spec);
    assert!(matches!(
        store.run_spec("run"),
        Err(StoreError::NoSuchRun(_))
    ));
    assert_eq!(run.outputs.unwrap().parameters["acc"], json!(0.9));
    let tasks = store.tasks("run-1").unwrap();
    assert_eq!(tasks.len(), 1);
    let t = &tasks[0];
    assert_eq!(
        (t.path.as_str(), t.parent_path.as_str()),
        ("loop/2/train", "loop/2")
    );
    assert_eq!(t.iteration, None);
    assert_eq!(t.state, TaskState::Succeeded);
    assert_eq!(t.attempts, 1);
    assert_eq!(
        t.command.as_deref(),
        Some(&["prog".to_owned(), "--x".to_owned()][..])
    );
    assert!(t.started_at.is_some() && t.finished_at.is_some());
    assert!(t.duration().is_some());
    let states: Vec<TaskState> = store
        .events("run-1")
        .unwrap()
        .iter()
        .map(|e| e.state)
        .collect();
    assert_eq!(
        states,
        [TaskState::Pending, TaskState::Running, TaskState::Succeeded]
    );
    let artifacts = store.artifacts("run-1").unwrap();
    assert_eq!(artifacts[0].schema_title.as_deref(), Some("system.Metrics"));
    assert_eq!(artifacts[0].digest.as_deref(), Some("ab"));
    let metrics = store.metrics("run-1").unwrap();
    let names: Vec<(&str, Option<f64>)> =
        metrics.iter().map(|m| (m.name.as_str(), m.value)).collect();
    assert_eq!(names, [("accuracy", Some(0.9)), ("f1", Some(0.8))]);
    assert_eq!(store.integrity_check().unwrap(), "ok");
}

#[test]
fn runs_are_listed_newest_first_and_found_by_prefix() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = Store::open(&dir.path().join("runs.db")).unwrap();
    let spec = json!({});
    store
        .create_run(&new_run("aaa-1", "p", "2026-01-01T00:00:00.000Z", &spec))
        .unwrap();
    store
        .create_run(&new_run("aab-2", "q", "2026-01-02T00:00:00.000Z", &spec))
        .unwrap();
    store
        .create_run(&new_run("bbb-3", "p", "2026-01-03T00:00:00.000Z", &spec))
        .unwrap();
    store
        .finish_run("bbb-3", RunState::Failed, None, Some("boom"))
        .unwrap();
    let ids = |f: &RunFilter| -> Vec<String> {
        store.runs(f).unwrap().into_iter().map(|r| r.id).collect()
    };
    assert_eq!(ids(&RunFilter::default()), ["bbb-3", "aab-2", "aaa-1"]);
    assert_eq!(
        ids(&RunFilter {
            limit: Some(1),
            offset: 1,
            ..Default::default()
        }),
        ["aab-2"]
    );
    assert_eq!(
        ids(&RunFilter {
            pipeline: Some("p".into()),
            ..Default::default()
        }),
        ["bbb-3", "aaa-1"]
    );
    assert_eq!(
        ids(&RunFilter {
            state: Some(RunState::Failed),
            ..Default::default()
        }),
        ["bbb-3"]
    );
    assert_eq!(
        store
            .count_runs(&RunFilter {
                pipeline: Some("p".into()),
                ..Default::default()
            })
            .unwrap(),
        2
    );
    assert_eq!(store.run("b").unwrap().error.as_deref(), Some("boom"));
    assert_eq!(
        store.pipelines().unwrap(),
        [("p".to_owned(), 2), ("q".to_owned(), 1)]
    );
    assert!(store.run("aa").unwrap_err().to_string().contains("several"));
    assert!(
        store
            .run("zzz")
            .unwrap_err()
            .to_string()
            .contains("no run `zzz`")
    );
}

#[test]
fn runs_whose_runner_is_gone_are_marked_interrupted() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("runs.db");
    let mut store = Store::open(&db).unwrap();
    let spec = json!({});
    store
        .create_run(&new_run("alive", "p", "2026-01-01T00:00:00.000Z", &spec))
        .unwrap();
    store
        .create_run(&new_run("dead", "p", "2026-01-01T00:00:01.000Z", &spec))
        .unwrap();
    let path = TaskPath::root().task("t");
    let task = store
        .create_task(
            "dead",
            &NewTask {
                path: &path,
                task_name: "t",
                display_name: "t",
                component: "comp-t",
                kind: TaskKind::Container,
            },
        )
        .unwrap();
    store
        .set_task_state(task, TaskState::Running, None)
        .unwrap();
    // A second connection, as another process would open it.
    let mut other = Store::open(&db).unwrap();
    let marked = other.mark_interrupted(&|id| id == "alive").unwrap();
    assert_eq!(marked, ["dead"]);
    assert_eq!(store.run("dead").unwrap().state, RunState::Interrupted);
    assert_eq!(store.run("alive").unwrap().state, RunState::Running);
    assert_eq!(store.tasks("dead").unwrap()[0].state, TaskState::Canceled);
}

#[test]
fn the_cache_returns_what_was_put() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = Store::open(&dir.path().join("runs.db")).unwrap();
    assert!(store.cache_get("fp").unwrap().is_none());
    let mut outputs = Values::default();
    outputs.parameters.insert("o".into(), json!(1));
    let entry = CacheEntry {
        outputs,
        files: vec!["/tmp/x".into()],
        run_id: "run-1".into(),
        task_path: "a/0/b".into(),
    };
    store.cache_put("fp", &entry).unwrap();
    assert_eq!(store.cache_get("fp").unwrap(), Some(entry));
}

#[test]
fn a_store_from_a_newer_build_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("runs.db");
    drop(Store::open(&db).unwrap());
    let conn = rusqlite::Connection::open(&db).unwrap();
    conn.pragma_update(None, "user_version", SCHEMA_VERSION + 1)
        .unwrap();
    drop(conn);
    let err = Store::open(&db).unwrap_err();
    assert!(
        err.to_string().contains("newer than this kfp-local knows"),
        "{err}"
    );
}

#[test]
fn a_store_of_an_older_schema_is_migrated() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("runs.db");
    // A store of schema 1, with a cache entry.
    let conn = rusqlite::Connection::open(&db).unwrap();
    conn.execute_batch(super::schema::MIGRATIONS[0]).unwrap();
    conn.pragma_update(None, "user_version", 1).unwrap();
    conn.execute(
        "INSERT INTO cache (fingerprint, run_id, task_path, outputs, created_at) VALUES ('fp', 'r', 't', '{}', 'now')",
        [],
    )
    .unwrap();
    drop(conn);
    let store = Store::open(&db).unwrap();
    let entry = store.cache_get("fp").unwrap().unwrap();
    assert!(entry.files.is_empty());
    let version: i64 = store
        .conn
        .query_row("PRAGMA user_version", [], |r| r.get(0))
        .unwrap();
    assert_eq!(version, SCHEMA_VERSION);
}

#[test]
fn runners_that_open_a_new_store_at_once_all_open_it() {
    // Each switches the new file to WAL mode, which SQLite refuses at once
    // to all but one ("database is locked") without the retry.
    for _ in 0..20 {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("runs.db");
        let opened: Vec<_> = std::thread::scope(|scope| {
            let opens: Vec<_> = (0..4)
                .map(|_| scope.spawn(|| Store::open(&path).map(drop)))
                .collect();
            opens.into_iter().map(|o| o.join().unwrap()).collect()
        });
        for result in opened {
            result.unwrap();
        }
    }
}
