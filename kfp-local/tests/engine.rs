//! The engine on small pipelines of `sh -c` container components, run on
//! this machine.

mod support;

use kfp_local::{RunState, TaskState};
use serde_json::json;
use support::*;

#[test]
fn a_chain_passes_parameters_and_artifacts() {
    let (_home, outcome) = run(&pipeline("chain.yaml"), &["n=4"]);
    assert_eq!(outcome.state(), RunState::Succeeded, "{:#?}", outcome.tasks);
    assert_eq!(outcome.output("Output"), Some(&json!("got 8 and rows")));
    assert_eq!(outcome.task_output("produce", "doubled"), Some(&json!(8)));
    let produce = outcome.task("produce").unwrap();
    assert_eq!(produce.state, TaskState::Succeeded);
    assert_eq!(produce.attempts, 1);
}

/// The most tasks of `tasks` that ran at the same time, from their
/// recorded start and end.
fn most_at_once(tasks: &[&kfp_local::store::TaskRecord]) -> usize {
    let mut edges: Vec<(std::time::SystemTime, i32)> = Vec::new();
    for t in tasks {
        let start = kfp_local::time::parse(t.started_at.as_deref().unwrap()).unwrap();
        let end = kfp_local::time::parse(t.finished_at.as_deref().unwrap()).unwrap();
        edges.push((start, 1));
        edges.push((end, -1));
    }
    // An end and a start at the same millisecond do not overlap.
    edges.sort_by_key(|&(at, delta)| (at, delta));
    let (mut now, mut most) = (0, 0);
    for (_, delta) in edges {
        now += delta;
        most = most.max(now);
    }
    most as usize
}

#[test]
fn a_failed_attempt_is_retried_with_backoff() {
    let dir = tempfile::tempdir().unwrap();
    let counter = dir.path().join("count");
    let param = format!("counter={}", counter.display());
    let (home, outcome) = run(&pipeline("retry.yaml"), &[&param]);
    assert_eq!(outcome.state(), RunState::Succeeded, "{:#?}", outcome.tasks);
    assert_eq!(outcome.output("Output"), Some(&json!(3)));
    let flaky = outcome.task("flaky").unwrap();
    assert_eq!(flaky.attempts, 3);
    let store = kfp_local::Runner::new(home.path()).open_store().unwrap();
    let retries: Vec<String> = store
        .events(outcome.id())
        .unwrap()
        .into_iter()
        .filter_map(|e| e.message)
        .filter(|m| m.contains("retrying"))
        .collect();
    assert_eq!(retries.len(), 2, "{retries:?}");
    assert!(
        retries[0]
            .starts_with("attempt 1 failed (its command ended with exit code 1); retrying in"),
        "{}",
        retries[0]
    );
    let log = std::fs::read_to_string(flaky.log_path.as_ref().unwrap()).unwrap();
    assert!(
        log.contains("attempt 1 fails") && log.contains("--- attempt 3 ---"),
        "{log}"
    );
}

#[test]
fn an_exit_handler_runs_after_a_failure_and_gets_the_final_status() {
    let (_home, outcome) = run(&pipeline("exit_handler.yaml"), &[]);
    assert_eq!(outcome.state(), RunState::Failed);
    let fail = outcome.task("fail").unwrap();
    assert_eq!(fail.state, TaskState::Failed);
    let message = fail.message.as_deref().unwrap();
    assert!(
        message.starts_with("its command ended with exit code 3"),
        "{message}"
    );
    // The failure shows the end of the task's log.
    assert!(
        message.contains("preparing\nsomething went wrong"),
        "{message}"
    );
    let after = outcome.task("after-fail").unwrap();
    assert_eq!(after.state, TaskState::Skipped);
    assert_eq!(
        after.message.as_deref(),
        Some("not run: upstream task `fail` did not succeed")
    );
    assert_eq!(
        outcome.task("exit-handler-1").unwrap().state,
        TaskState::Failed
    );
    let notify = outcome.task("notify").unwrap();
    assert_eq!(notify.state, TaskState::Succeeded);
    let status: serde_json::Value = serde_json::from_str(
        outcome
            .task_output("notify", "Output")
            .unwrap()
            .as_str()
            .unwrap(),
    )
    .unwrap();
    assert_eq!(status["state"], "FAILED");
    assert_eq!(status["pipelineTaskName"], "exit-handler-1");
    assert_eq!(status["error"], json!({}));
    assert!(
        status["pipelineJobResourceName"]
            .as_str()
            .unwrap()
            .starts_with("exit-handler-")
    );
}

#[test]
fn after_a_failure_only_tasks_that_ignore_it_start() {
    let (_home, outcome) = run(&pipeline("upstream_failure.yaml"), &[]);
    assert_eq!(outcome.state(), RunState::Failed);
    let state = |t: &str| outcome.task(t).unwrap().state;
    assert_eq!(state("fail"), TaskState::Failed);
    // Already running: it finishes.
    assert_eq!(state("slow"), TaskState::Succeeded);
    // Ready after the failure: not started.
    assert_eq!(state("after-slow"), TaskState::Skipped);
    assert_eq!(
        outcome.task("after-slow").unwrap().message.as_deref(),
        Some("not started: task `fail` failed")
    );
    assert_eq!(state("after-fail"), TaskState::Skipped);
    // `ignore_upstream_failure`: it runs, with its default for the missing output.
    assert_eq!(state("cleanup"), TaskState::Succeeded);
    assert_eq!(
        outcome.task_output("cleanup", "Output"),
        Some(&json!("cleaned up after: nothing came"))
    );
}

#[test]
fn a_loop_over_a_task_output_keeps_to_its_parallelism_limit() {
    let (_home, outcome) = run(&pipeline("parallel_loop.yaml"), &["n=5"]);
    assert_eq!(outcome.state(), RunState::Succeeded, "{:#?}", outcome.tasks);
    assert_eq!(outcome.output("Output"), Some(&json!("[2,4,6,8,10]")));
    let doubles: Vec<_> = outcome
        .tasks
        .iter()
        .filter(|t| t.task_name == "double")
        .collect();
    assert_eq!(doubles.len(), 5);
    assert_eq!(doubles[3].path, "for-loop-2/3/double");
    let most = most_at_once(&doubles);
    assert!(most <= 2, "{most} iterations ran at once; the limit is 2");
    assert_eq!(most, 2, "the iterations ran one at a time");
}

#[test]
fn a_loop_over_no_items_collects_an_empty_list() {
    let (_home, outcome) = run(&pipeline("parallel_loop.yaml"), &["n=0"]);
    assert_eq!(outcome.state(), RunState::Succeeded, "{:#?}", outcome.tasks);
    assert_eq!(outcome.output("Output"), Some(&json!("[]")));
}

#[test]
fn the_cache_reuses_outputs_until_the_key_changes() {
    let file = pipeline("cache.yaml");
    let (home, runner) = runner();
    let mut silent = kfp_local::progress::Silent;
    let run = |file: &kfp_ir_schema::PipelineFile,
               runner: &kfp_local::Runner,
               pairs: &[&str],
               silent: &mut kfp_local::progress::Silent| {
        runner.run(file, &args(pairs), silent).unwrap()
    };
    let first = run(&file, &runner, &[], &mut silent);
    let stamp = |o: &kfp_local::Outcome| o.output("Output").unwrap().clone();
    assert_eq!(first.task("stamp").unwrap().state, TaskState::Succeeded);

    // The same inputs: a hit, with the first run's outputs.
    let hit = run(&file, &runner, &[], &mut silent);
    let task = hit.task("stamp").unwrap();
    assert_eq!(task.state, TaskState::Cached);
    assert!(task.message.as_deref().unwrap().contains(first.id()));
    assert_eq!(stamp(&hit), stamp(&first));

    // Another input: a miss.
    let changed = run(&file, &runner, &["tag=b"], &mut silent);
    assert_eq!(changed.task("stamp").unwrap().state, TaskState::Succeeded);
    assert_ne!(stamp(&changed), stamp(&first));

    // `--no-cache`: runs again.
    let fresh = runner
        .clone()
        .cache(false)
        .run(&file, &args(&[]), &mut silent)
        .unwrap();
    assert_eq!(fresh.task("stamp").unwrap().state, TaskState::Succeeded);

    // Another command: a miss.
    let mut edited = file.clone();
    if let Some(kfp_ir_schema::ExecutorSpec::Container(c)) = edited
        .spec
        .deployment_spec
        .as_mut()
        .unwrap()
        .executors
        .get_mut("exec-stamp")
    {
        c.command[2] = format!("{} # v2", c.command[2]).into();
    }
    let other = run(&edited, &runner, &[], &mut silent);
    assert_eq!(other.task("stamp").unwrap().state, TaskState::Succeeded);

    // A custom key: only the key counts.
    let mut keyed = file.clone();
    let root = keyed.spec.root.as_mut().unwrap();
    let Some(kfp_ir_schema::ComponentImplementation::Dag(dag)) = root.implementation.as_mut()
    else {
        panic!()
    };
    dag.tasks
        .get_mut("stamp")
        .unwrap()
        .caching_options
        .as_mut()
        .unwrap()
        .cache_key = "v1".into();
    let keyed_first = run(&keyed, &runner, &["tag=c"], &mut silent);
    assert_eq!(
        keyed_first.task("stamp").unwrap().state,
        TaskState::Succeeded
    );
    let keyed_hit = run(&keyed, &runner, &["tag=d"], &mut silent);
    assert_eq!(keyed_hit.task("stamp").unwrap().state, TaskState::Cached);
    assert_eq!(stamp(&keyed_hit), stamp(&keyed_first));

    // A cached artifact that is gone: a miss. (The last run that really
    // ran it, without the cache, left the entry.)
    let data = &fresh
        .task("stamp")
        .unwrap()
        .outputs
        .as_ref()
        .unwrap()
        .artifacts["data"][0];
    std::fs::remove_file(&data.uri).unwrap();
    let gone = run(&file, &runner, &[], &mut silent);
    assert_eq!(gone.task("stamp").unwrap().state, TaskState::Succeeded);
    drop(home);
}

#[test]
fn bad_parameters_are_refused_before_anything_runs() {
    let (home, runner) = runner();
    let file = pipeline("chain.yaml");
    let err = runner
        .run(
            &file,
            &args(&["n=two", "m=1"]),
            &mut kfp_local::progress::Silent,
        )
        .unwrap_err();
    assert!(err.is_bad_input());
    let text = err.to_string();
    assert!(
        text.contains("parameter `n`: expected an integer (NUMBER_INTEGER), got `two`"),
        "{text}"
    );
    assert!(
        text.contains("unknown parameter `m` (did you mean `n`?)"),
        "{text}"
    );
    let err = runner
        .run(
            &pipeline("retry.yaml"),
            &args(&[]),
            &mut kfp_local::progress::Silent,
        )
        .unwrap_err();
    assert!(
        err.to_string()
            .contains("missing required parameter `counter`: a string (STRING)"),
        "{err}"
    );
    let store = runner.open_store().unwrap();
    assert!(store.runs(&Default::default()).unwrap().is_empty());
    drop(home);
}

#[test]
fn a_loop_over_a_list_of_artifacts_it_is_not_given_fails() {
    // The runner iterates over artifacts (`artifactIterator`) as kfp.local
    // does, so the plan no longer refuses it; an iterator that does not fit
    // the loop's inputs fails the loop task, naming the input.
    let mut file = pipeline("parallel_loop.yaml");
    let root = file.spec.root.as_mut().unwrap();
    let Some(kfp_ir_schema::ComponentImplementation::Dag(dag)) = root.implementation.as_mut()
    else {
        panic!()
    };
    dag.tasks.get_mut("for-loop-2").unwrap().iterator = Some(
        kfp_ir_schema::TaskIterator::ArtifactIterator(kfp_ir_schema::ArtifactIteratorSpec {
            items: Some(kfp_ir_schema::ArtifactItemsSpec {
                input_artifact: "x".into(),
            }),
            item_input: "y".into(),
        }),
    );
    let (_home, runner) = runner();
    let outcome = runner
        .run(&file, &args(&[]), &mut kfp_local::progress::Silent)
        .unwrap();
    let looped = outcome.task("for-loop-2").unwrap();
    assert_eq!(looped.state, TaskState::Failed);
    let message = looped.message.as_deref().unwrap();
    assert!(
        message.starts_with("could not resolve its inputs: input `pipelinechannel--"),
        "{message}"
    );
}

#[test]
fn importers_register_local_files_by_path_or_file_uri() {
    let data = tempfile::tempdir().unwrap();
    let first = data.path().join("first.csv");
    let second = data.path().join("second.csv");
    std::fs::write(&first, "a,b").unwrap();
    std::fs::write(&second, "c,d").unwrap();
    let first_param = format!("first=file://{}", first.display());
    let second_param = format!("second={}", second.display());
    let (_home, outcome) = run(&pipeline("importer.yaml"), &[&first_param, &second_param]);
    assert_eq!(outcome.state(), RunState::Succeeded, "{:#?}", outcome.tasks);
    assert_eq!(outcome.output("Output"), Some(&json!("a,b|c,d|2")));
    let imported = &outcome
        .task("importer")
        .unwrap()
        .outputs
        .as_ref()
        .unwrap()
        .artifacts["artifact"][0];
    // A file:// URI becomes the path it names, as the SDKs read it.
    assert_eq!(imported.uri, first.display().to_string());
    let metadata = imported.metadata.as_ref().unwrap();
    assert_eq!(
        metadata["source"],
        json!(format!("file://{}", first.display()))
    );
    assert_eq!(metadata["rows"], json!(2));
}

#[test]
fn an_imported_file_that_is_not_here_is_reported() {
    let (home, runner) = runner();
    let mut progress = Recorder::default();
    let outcome = runner
        .run(
            &pipeline("importer.yaml"),
            &args(&["first=gs://bucket/a.csv", "second=/no/such/file"]),
            &mut progress,
        )
        .unwrap();
    assert_eq!(outcome.state(), RunState::Failed);
    let warnings: Vec<&String> = progress
        .warnings
        .iter()
        .filter(|w| w.contains("is not a file or folder on this machine"))
        .collect();
    assert_eq!(warnings.len(), 2, "{:?}", progress.warnings);
    let read = outcome.task("read").unwrap();
    assert_eq!(read.state, TaskState::Failed);
    drop(home);
}

/// Keeps the warnings of a run.
#[derive(Default)]
struct Recorder {
    warnings: Vec<String>,
}

impl kfp_local::progress::Progress for Recorder {
    fn event(&mut self, event: &kfp_local::progress::Event<'_>) {
        if let kfp_local::progress::Event::Warning(w) = event {
            self.warnings.push((*w).to_owned());
        }
    }
}

#[test]
fn a_task_waits_for_the_producers_of_its_inputs_even_when_not_listed() {
    let (_home, outcome) = run(&pipeline("implicit_dependencies.yaml"), &[]);
    assert_eq!(outcome.state(), RunState::Succeeded, "{:#?}", outcome.tasks);
    assert_eq!(outcome.output("Output"), Some(&json!("42 and rows")));
    let ended = |t: &str| {
        let task = outcome.task(t).unwrap();
        kfp_local::time::parse(task.finished_at.as_deref().unwrap()).unwrap()
    };
    let read = outcome.task("read-both").unwrap();
    let started = kfp_local::time::parse(read.started_at.as_deref().unwrap()).unwrap();
    assert!(started >= ended("slow-number") && started >= ended("slow-dataset"));
}

#[test]
fn a_pipeline_as_exit_task_runs_whole_after_a_failure() {
    let (_home, outcome) = run(&pipeline("exit_pipeline.yaml"), &[]);
    assert_eq!(outcome.state(), RunState::Failed);
    let state = |t: &str| outcome.task(t).unwrap().state;
    assert_eq!(state("exit-handler-1"), TaskState::Failed);
    assert_eq!(
        state("notification"),
        TaskState::Succeeded,
        "{:#?}",
        outcome.tasks
    );
    assert_eq!(
        outcome.task_output("notification/get-state", "Output"),
        Some(&json!("FAILED"))
    );
    assert_eq!(state("notification/condition-1"), TaskState::Succeeded);
    for (i, to) in ["a", "b"].iter().enumerate() {
        let path = format!("notification/condition-1/for-loop-2/{i}/notify");
        assert_eq!(
            outcome.task_output(&path, "Output"),
            Some(&json!(format!("told {to}")))
        );
    }
}
