//! kfp's own local-execution pipelines (`../shared/kfp-golden/
//! sdk_compiled_pipelines/valid/local_execution/*.yaml`): IR written by
//! Python kfp, whose lightweight Python components run here with the host
//! runner, in a Python that has kfp installed (CI's venv). Each pipeline's
//! `kfp==` pin is rewritten to the installed version, so pip has nothing
//! to fetch.
//!
//! Each test writes down how the run ends by the KFP backend's semantics.
//! Where kfp.local differs, the comment says so.

mod support;

use std::path::{Path, PathBuf};
use std::process::Command;

use kfp_ir_schema::{ExecutorSpec, PipelineFile};
use kfp_local::progress::Silent;
use kfp_local::{Outcome, RunState, Runner, TaskState};
use serde_json::json;
use support::args;

fn golden(name: &str) -> Option<PathBuf> {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../shared/kfp-golden/sdk_compiled_pipelines/valid/local_execution")
        .join(name);
    if path.exists() {
        Some(path)
    } else {
        eprintln!(
            "skipped: {} not found (../shared is absent)",
            path.display()
        );
        None
    }
}

/// A Python with kfp: `$KFP_PYTHON`, else the workspace's `.venv`; its
/// folder and kfp's version.
fn python() -> Option<(PathBuf, String)> {
    let python = std::env::var_os("KFP_PYTHON")
        .map(PathBuf::from)
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("../.venv/bin/python"));
    let out = Command::new(&python)
        .args(["-c", "import kfp; print(kfp.__version__)"])
        .output();
    match out {
        Ok(out) if out.status.success() => {
            let version = String::from_utf8_lossy(&out.stdout).trim().to_owned();
            Some((python.parent()?.to_path_buf(), version))
        }
        _ => {
            eprintln!(
                "skipped: no Python with kfp at {} (set KFP_PYTHON; CI's venv has one)",
                python.display()
            );
            None
        }
    }
}

/// Reads a golden with its `kfp==` pin set to `version`.
fn read_pinned(path: &Path, version: &str) -> PipelineFile {
    let mut file = PipelineFile::read(path).unwrap();
    let executors = &mut file.spec.deployment_spec.as_mut().unwrap().executors;
    for (_, executor) in executors.iter_mut() {
        if let ExecutorSpec::Container(container) = executor {
            for part in container.command.iter_mut() {
                if let Some(start) = part.find("'kfp==") {
                    let end = start + 1 + part[start + 1..].find('\'').unwrap();
                    *part = format!("{}'kfp=={version}{}", &part[..start], &part[end..]).into();
                }
            }
        }
    }
    file
}

/// Runs a golden in a fresh home with the venv's tools first on the path.
fn run(name: &str, pairs: &[&str]) -> Option<(tempfile::TempDir, Runner, Outcome)> {
    let path = golden(name)?;
    let (bin, version) = python()?;
    let file = read_pinned(&path, &version);
    let home = tempfile::tempdir().unwrap();
    let path_var = format!(
        "{}:{}",
        bin.display(),
        std::env::var("PATH").unwrap_or_default()
    );
    let runner = Runner::new(home.path()).env("PATH", path_var);
    let outcome = runner.run(&file, &args(pairs), &mut Silent).unwrap();
    Some((home, runner, outcome))
}

fn states(outcome: &Outcome) -> Vec<(String, TaskState)> {
    outcome
        .tasks
        .iter()
        .map(|t| (t.path.clone(), t.state))
        .collect()
}

#[test]
fn exit_handler() {
    let Some((_home, _, outcome)) = run("local_execution_pipeline_with_exit_handler.yaml", &[])
    else {
        return;
    };
    assert_eq!(outcome.state(), RunState::Succeeded, "{:#?}", outcome.tasks);
    // The backend gives the ML Metadata state (`COMPLETE`); kfp.local says
    // `SUCCEEDED`.
    assert_eq!(
        outcome.task_output("record-exit", "Output"),
        Some(&json!("exit:COMPLETE"))
    );
}

#[test]
fn ignore_upstream_failure() {
    let marker = tempfile::tempdir().unwrap();
    let marker_path = marker.path().join("marker");
    let param = format!("marker_path={}", marker_path.display());
    let Some((_home, _, outcome)) = run(
        "local_execution_pipeline_with_ignore_upstream_failure.yaml",
        &[&param],
    ) else {
        return;
    };
    assert_eq!(outcome.state(), RunState::Failed, "{:?}", states(&outcome));
    let failed = outcome.task("fail-always").unwrap();
    assert_eq!(failed.state, TaskState::Failed);
    assert!(
        failed
            .message
            .as_deref()
            .unwrap()
            .contains("upstream failed intentionally")
    );
    assert_eq!(
        outcome.task("write-marker").unwrap().state,
        TaskState::Succeeded
    );
    assert_eq!(
        std::fs::read_to_string(&marker_path).unwrap(),
        "cleanup_ran"
    );
}

#[test]
fn kubernetes_only_settings_are_noted_and_ignored() {
    let Some((_home, _, outcome)) = run(
        "local_execution_pipeline_with_k8s_only_methods.yaml",
        &["message=hi"],
    ) else {
        return;
    };
    assert_eq!(outcome.state(), RunState::Succeeded, "{:#?}", outcome.tasks);
    assert_eq!(outcome.output("Output"), Some(&json!("hi")));
}

#[test]
fn one_of_takes_the_branch_that_ran() {
    for (pick, expected) in [("true", "selected:A"), ("false", "selected:B")] {
        let param = format!("pick_a={pick}");
        let Some((_home, _, outcome)) = run("local_execution_pipeline_with_oneof.yaml", &[&param])
        else {
            return;
        };
        assert_eq!(outcome.state(), RunState::Succeeded, "{:#?}", outcome.tasks);
        assert_eq!(outcome.output("Output"), Some(&json!(expected)));
        let skipped = outcome
            .tasks
            .iter()
            .filter(|t| t.state == TaskState::Skipped)
            .count();
        assert_eq!(skipped, 1, "{:?}", states(&outcome));
    }
}

#[test]
fn retry() {
    let dir = tempfile::tempdir().unwrap();
    let param = format!("counter_path={}", dir.path().join("count").display());
    let Some((_home, _, outcome)) = run("local_execution_pipeline_with_retry.yaml", &[&param])
    else {
        return;
    };
    assert_eq!(outcome.state(), RunState::Succeeded, "{:#?}", outcome.tasks);
    assert_eq!(outcome.output("Output"), Some(&json!("attempt=2")));
    assert_eq!(outcome.task("flaky").unwrap().attempts, 2);
}

#[test]
fn caching() {
    let Some((_home, runner, first)) = run("pipeline_with_caching.yaml", &["x=41"]) else {
        return;
    };
    assert_eq!(first.output("Output"), Some(&json!(42)));
    let (_, version) = python().unwrap();
    let file = read_pinned(&golden("pipeline_with_caching.yaml").unwrap(), &version);
    let again = runner.run(&file, &args(&["x=41"]), &mut Silent).unwrap();
    assert_eq!(again.output("Output"), Some(&json!(42)));
    assert!(
        again.tasks.iter().all(
            |t| t.state == TaskState::Cached || t.kind != kfp_local::store::TaskKind::Container
        ),
        "{:?}",
        states(&again)
    );
}

#[test]
fn collected_artifacts() {
    let Some((_home, _, outcome)) = run("pipeline_with_collected_artifacts.yaml", &[]) else {
        return;
    };
    assert_eq!(outcome.state(), RunState::Succeeded, "{:#?}", outcome.tasks);
    assert_eq!(outcome.output("Output"), Some(&json!("0,1,2")));
}
