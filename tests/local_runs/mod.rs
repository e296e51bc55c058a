//! Running the examples on this machine with the local runner's host
//! runner (`kfp_dsl::local::Run`: the pipeline compiled in memory, its IR
//! run in a fresh home without the cache, its Rust-native components in
//! this process), each against the expectation written for it in
//! [`table`]: what a run does, or why it cannot run here.
//!
//! `tests/golden_examples.rs` runs every example it compiles; the three
//! examples with a test file of their own run there. `examples/README.md`
//! says the same per example (its "local run" column is
//! [`Expected::summary`]), which `tests/golden_examples.rs` checks.

// Each test crate that includes this module uses a part of it.
#![allow(dead_code)]

mod checks;
mod table;

use std::path::Path;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use kfp_dsl::PipelineEntry;
use kfp_dsl::local::{LocalError, LocalRun, Run};
use kfp_ir_schema::executor::RuntimeArtifact;
use kfp_local::progress::{Event, Progress};
use kfp_local::store::TaskRecord;
use kfp_local::{Outcome, RunState, Runner, TaskState};
use serde_json::Value;

pub use table::expected;

/// Pipeline inputs and their arguments.
pub type Params = Vec<(&'static str, Value)>;

/// Assertions on a finished run, beyond what [`Expected`] checks itself.
pub type Check = fn(&Outcome);

/// What a local run of an example does on this machine.
#[derive(Debug)]
pub enum Expected {
    /// The run succeeds with `params`; its pipeline output parameters are
    /// `outputs` (exactly) and `check` holds. `note` (may be empty) says
    /// what is worth knowing, in a few words.
    Runs {
        note: &'static str,
        params: Params,
        outputs: Vec<(&'static str, Value)>,
        check: Check,
    },
    /// The run fails as it does on a cluster, `because`: task `task` (its
    /// path) fails with a message that contains `message`, and `check`
    /// holds.
    Fails {
        because: &'static str,
        params: Params,
        task: &'static str,
        message: &'static str,
        check: Check,
    },
    /// The run fails because of this machine, `because` (a program that is
    /// not installed, a file or setting only a cluster has): task `task`
    /// fails with a message that contains `message`, and `check` holds.
    FailsOnHost {
        because: &'static str,
        params: Params,
        task: &'static str,
        message: &'static str,
        check: Check,
    },
    /// The runner refuses it before anything runs, `because`; its error
    /// contains `error`.
    Refused {
        because: &'static str,
        params: Params,
        error: &'static str,
    },
    /// It runs for minutes, `because`: the test starts it, stops it once
    /// task `task` has run for a second, and finds `log` in that task's log.
    Slow {
        because: &'static str,
        task: &'static str,
        log: &'static str,
    },
    /// The run does what `runs` says, but not in a test, `because`; the
    /// test checks that the runner would start it.
    NotRun {
        runs: &'static str,
        because: &'static str,
    },
    /// `expected` holds when the example's binary runs it
    /// (`cargo run --example STEM -- run`) but not in a test, because of
    /// `bug` (reported). The test checks that it does not hold yet, failing
    /// with a message that contains `symptom`, so that it fails, and the
    /// marker goes, once the bug is fixed.
    Bug {
        bug: &'static str,
        symptom: &'static str,
        expected: Box<Expected>,
    },
}

impl Expected {
    /// The expectation in a few words: the "local run" column of
    /// `examples/README.md`.
    pub fn summary(&self) -> String {
        match self {
            Self::Runs { note: "", .. } => "runs".to_owned(),
            Self::Runs { note, .. } => format!("runs; {note}"),
            Self::Fails { because, .. } => format!("fails: {because}"),
            Self::FailsOnHost { because, .. } => format!("fails on the host: {because}"),
            Self::Refused { because, .. } => format!("refused: {because}"),
            Self::Slow { because, .. } => format!("runs; {because}"),
            Self::NotRun { runs, because } => format!("{runs} (not run by the tests: {because})"),
            Self::Bug { expected, .. } => expected.summary(),
        }
    }

    /// Runs the example's pipeline and checks that it does what `self`
    /// says.
    fn check(&self, stem: &str, entry: PipelineEntry) {
        match self {
            Self::Runs {
                params,
                outputs,
                check,
                ..
            } => {
                let run = start(stem, entry, params);
                assert_eq!(run.state(), RunState::Succeeded, "{stem}: {}", report(&run));
                for (name, value) in outputs {
                    assert_eq!(run.output(name), Some(value), "{stem}: output `{name}`");
                }
                check(&run);
            }
            Self::Fails {
                params,
                task,
                message,
                check,
                ..
            }
            | Self::FailsOnHost {
                params,
                task,
                message,
                check,
                ..
            } => {
                let run = start(stem, entry, params);
                assert_eq!(run.state(), RunState::Failed, "{stem}: {}", report(&run));
                let failed = record(&run, task);
                assert_eq!(failed.state, TaskState::Failed, "{stem}: {}", report(&run));
                let said = failed.message.as_deref().unwrap_or_default();
                assert!(
                    said.contains(message),
                    "{stem}: `{task}` failed with: {said}"
                );
                check(&run);
            }
            Self::Refused { params, error, .. } => {
                let refused = run(entry, params).expect_err("the runner refuses it");
                let LocalError::Run(refusal) = &refused else {
                    panic!("{stem}: {refused}")
                };
                assert!(refusal.is_bad_input(), "{stem}: {refusal}");
                let said = refusal.to_string();
                assert!(said.contains(error), "{stem}: refused with: {said}");
            }
            Self::Slow { task, log, .. } => start_and_stop(stem, entry, task, log),
            Self::NotRun { .. } => {
                let file = kfp_dsl::compile(entry).unwrap_or_else(|e| panic!("{stem}: {e}"));
                kfp_local::plan::check(&file.spec, file.platform.as_ref())
                    .unwrap_or_else(|e| panic!("{stem}: the runner refuses it: {e:?}"));
            }
            Self::Bug {
                bug,
                symptom,
                expected,
            } => {
                let Err(failure) = std::panic::catch_unwind(|| expected.check(stem, entry)) else {
                    panic!(
                        "{stem}: the expectation holds now, so `{bug}` looks fixed: \
                         drop its `Expected::Bug` marker"
                    )
                };
                let said = failure
                    .downcast_ref::<String>()
                    .map(String::as_str)
                    .or_else(|| failure.downcast_ref::<&str>().copied())
                    .unwrap_or_default();
                assert!(said.contains(symptom), "{stem}: not the known bug: {said}");
            }
        }
    }
}

/// Runs example `stem`, whose pipeline is `entry`, and checks it against
/// its expectation. A stem without one fails, naming the table.
pub fn check(stem: &str, entry: PipelineEntry) {
    let scratch = tempfile::tempdir().unwrap();
    expected(stem, scratch.path()).check(stem, entry);
}

fn run(entry: PipelineEntry, params: &Params) -> Result<LocalRun, LocalError> {
    params
        .iter()
        .fold(Run::new(entry), |run, (name, value)| {
            run.param(name, value.clone())
        })
        .start()
}

fn start(stem: &str, entry: PipelineEntry, params: &Params) -> LocalRun {
    run(entry, params).unwrap_or_else(|e| panic!("{stem}: the run did not start: {e}"))
}

/// Every task of a run with its state and message, for a failed
/// assertion.
pub fn report(outcome: &Outcome) -> String {
    let mut text = format!("run {:?} ({:?})", outcome.state(), outcome.run.error);
    for task in &outcome.tasks {
        text += &format!("\n  {} {:?}", task.path, task.state);
        if let Some(message) = &task.message {
            text += &format!(": {message}");
        }
    }
    text
}

/// The task execution at `path` (`for-loop-2/0/train`, or a task name that
/// names one execution).
pub fn record<'o>(outcome: &'o Outcome, path: &str) -> &'o TaskRecord {
    outcome
        .task(path)
        .unwrap_or_else(|| panic!("no task `{path}` in {}", report(outcome)))
}

/// The state of the task execution at `path`.
pub fn state(outcome: &Outcome, path: &str) -> TaskState {
    record(outcome, path).state
}

/// Asserts the state of each task execution.
pub fn assert_states(outcome: &Outcome, expected: &[(&str, TaskState)]) {
    for (path, state) in expected {
        assert_eq!(
            record(outcome, path).state,
            *state,
            "`{path}` in {}",
            report(outcome)
        );
    }
}

/// Output parameter `name` of the task execution at `path`.
pub fn output<'o>(outcome: &'o Outcome, path: &str, name: &str) -> &'o Value {
    outcome
        .task_output(path, name)
        .unwrap_or_else(|| panic!("`{path}` has no output `{name}` in {}", report(outcome)))
}

/// Input parameter `name` of the task execution at `path`.
pub fn input<'o>(outcome: &'o Outcome, path: &str, name: &str) -> &'o Value {
    record(outcome, path)
        .inputs
        .as_ref()
        .and_then(|i| i.parameters.get(name))
        .unwrap_or_else(|| panic!("`{path}` has no input `{name}` in {}", report(outcome)))
}

/// The single artifact of output `name` of the task execution at `path`.
pub fn output_artifact<'o>(outcome: &'o Outcome, path: &str, name: &str) -> &'o RuntimeArtifact {
    let list = record(outcome, path)
        .outputs
        .as_ref()
        .and_then(|o| o.artifacts.get(name))
        .unwrap_or_else(|| panic!("`{path}` has no output artifact `{name}`"));
    assert_eq!(list.len(), 1, "`{path}`: output `{name}`");
    &list[0]
}

/// The single artifact of input `name` of the task execution at `path`.
pub fn input_artifact<'o>(outcome: &'o Outcome, path: &str, name: &str) -> &'o RuntimeArtifact {
    let list = record(outcome, path)
        .inputs
        .as_ref()
        .and_then(|i| i.artifacts.get(name))
        .unwrap_or_else(|| panic!("`{path}` has no input artifact `{name}`"));
    assert_eq!(list.len(), 1, "`{path}`: input `{name}`");
    &list[0]
}

/// The content of an artifact this run wrote.
pub fn text(artifact: &RuntimeArtifact) -> String {
    let path = kfp_local::driver::launch::artifact_path(artifact).unwrap();
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// What the task execution at `path` wrote to its log (its command's
/// output; a Rust-native component run in this process prints to the
/// test's output instead).
pub fn log(outcome: &Outcome, path: &str) -> String {
    let file = record(outcome, path).log_path.as_ref();
    let file = file.unwrap_or_else(|| panic!("`{path}` has no log"));
    std::fs::read_to_string(file).unwrap_or_else(|e| panic!("{file}: {e}"))
}

/// The executions of task `name` (every iteration of a loop's task),
/// ordered by path.
pub fn executions<'o>(outcome: &'o Outcome, name: &str) -> Vec<&'o TaskRecord> {
    let mut found: Vec<&TaskRecord> = outcome
        .tasks
        .iter()
        .filter(|t| t.task_name == name && t.kind == kfp_local::store::TaskKind::Container)
        .collect();
    found.sort_by(|a, b| a.path.cmp(&b.path));
    found
}

/// When the execution at `path` started and ended.
pub fn span(outcome: &Outcome, path: &str) -> (std::time::SystemTime, std::time::SystemTime) {
    let task = record(outcome, path);
    let at = |t: &Option<String>| kfp_local::time::parse(t.as_deref().unwrap()).unwrap();
    (at(&task.started_at), at(&task.finished_at))
}

/// Asserts that `later` started once `earlier` had ended.
pub fn assert_after(outcome: &Outcome, later: &str, earlier: &str) {
    assert!(
        span(outcome, later).0 >= span(outcome, earlier).1,
        "`{later}` started before `{earlier}` ended"
    );
}

/// Starts a container-only pipeline with the host runner, stops it once
/// task `task` has run for a second, and checks the run was canceled with
/// `log` in that task's log.
fn start_and_stop(stem: &str, entry: PipelineEntry, task: &str, log: &str) {
    let file = kfp_dsl::compile(entry).unwrap_or_else(|e| panic!("{stem}: {e}"));
    let recorded = (entry.record)();
    assert!(
        kfp_dsl::local::native_executors(&file, &recorded.executors).is_empty(),
        "{stem}: only container components can be stopped"
    );
    let home = tempfile::tempdir().unwrap();
    let stop = Arc::new(AtomicBool::new(false));
    let runner = Runner::new(home.path())
        .cache(false)
        .cancel_flag(stop.clone());
    let mut progress = StopAfter {
        task: task.to_owned(),
        stop,
    };
    let outcome = runner
        .run(&file, &Default::default(), &mut progress)
        .unwrap_or_else(|e| panic!("{stem}: {e}"));
    assert_eq!(
        outcome.state(),
        RunState::Canceled,
        "{stem}: {}",
        report(&outcome)
    );
    assert_eq!(state(&outcome, task), TaskState::Canceled);
    let written = self::log(&outcome, task);
    assert!(written.contains(log), "{stem}: `{task}` logged: {written}");
}

/// Sets `stop` a second after task `task` starts.
struct StopAfter {
    task: String,
    stop: Arc<AtomicBool>,
}

impl Progress for StopAfter {
    fn event(&mut self, event: &Event<'_>) {
        if let Event::TaskStarted { path, .. } = event
            && path.to_string() == self.task
        {
            let stop = self.stop.clone();
            std::thread::spawn(move || {
                std::thread::sleep(Duration::from_secs(1));
                stop.store(true, Ordering::SeqCst);
            });
        }
    }
}

/// The path of a scratch file for a run's arguments, as a JSON string.
pub fn scratch_path(scratch: &Path, name: &str) -> Value {
    Value::String(scratch.join(name).display().to_string())
}
