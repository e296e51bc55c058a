//! The container runner, for real: pipelines run in their images through
//! the Docker Engine API (Podman's service in CI, `scripts/container-engine`).
//!
//! * The quickstart pipeline: its Rust component runs in an image that
//!   holds this very test binary, which is also a pipeline binary (with
//!   `--executor_input` it runs the component, as `kfp_dsl::main!` does);
//!   its container component runs `cat` in an `alpine:3.20` built here.
//! * kfp-written container pipelines (`../shared/kfp-golden`), whose images
//!   (`alpine`, `ghcr.io/containerd/busybox`) are built here as busybox.
//! * A pipeline with a workspace: one container writes a file under
//!   `{{$.workspace_path}}`, the next reads it there; both see the run's
//!   workspace folder at `/kfp-workspace`, as on a cluster.
//!
//! No registry is reachable here, so every image is built locally by
//! `scripts/container-engine image`. Without an engine (no `DOCKER_HOST`
//! answering) the test says it is skipped, unless
//! `KFP_LOCAL_REQUIRE_ENGINE=1`, which makes that a failure.

#[allow(dead_code)]
#[path = "../examples/quickstart.rs"]
mod quickstart;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode};

use kfp_dsl::placeholders;
use kfp_dsl::prelude::*;
use kfp_ir_schema::PipelineFile;
use kfp_ir_schema::arguments::parse_key_values;
use kfp_local::progress::Lines;
use kfp_local::{RunState, Runner, RunnerKind, TaskState};
use serde_json::json;

/// Writes a note into the workspace, where `read_note` finds it.
#[container_component]
fn write_note(workspace: String) -> ContainerSpec {
    ContainerSpec::new("alpine:3.20").command((
        "sh",
        "-c",
        "mkdir -p \"$0/notes\" && echo shared > \"$0/notes/one\" && echo \"$0\"",
        workspace,
    ))
}

/// Prints the note `write_note` left in the workspace.
#[container_component]
fn read_note(workspace: String) -> ContainerSpec {
    ContainerSpec::new("alpine:3.20").command(("sh", "-c", "cat \"$0/notes/one\"", workspace))
}

/// Two containers that share the run's workspace.
#[pipeline(
    name = "workspace-in-containers",
    pipeline_config = PipelineConfig::new().workspace(WorkspaceConfig::new("1Gi")),
)]
fn workspace_in_containers() {
    let written = write_note(placeholders::WORKSPACE_PATH);
    read_note(placeholders::WORKSPACE_PATH).after(&written);
}

fn main() -> ExitCode {
    // Inside the container, this binary is the quickstart's executor.
    if std::env::args().any(|a| a == "--executor_input") {
        return kfp_dsl::run(quickstart::word_count::ENTRY, None);
    }
    if std::env::args().any(|a| a == "--list") {
        // What `cargo test -- --list` expects of a test binary.
        println!("container_runner: test");
        return ExitCode::SUCCESS;
    }
    match kfp_local::exec::container::Container::connect() {
        Ok(_) => {}
        Err(e) if std::env::var_os("KFP_LOCAL_REQUIRE_ENGINE").is_some() => {
            eprintln!("no container engine, and KFP_LOCAL_REQUIRE_ENGINE is set: {e}");
            return ExitCode::FAILURE;
        }
        Err(e) => {
            eprintln!("skipped: no container engine ({e})");
            return ExitCode::SUCCESS;
        }
    }
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    quickstart_in_containers(&root);
    kfp_written_pipelines(&root);
    workspace_in_containers_is_shared(&root);
    eprintln!("container_runner: ok");
    ExitCode::SUCCESS
}

/// Builds the images of the test with `scripts/container-engine image`.
fn build_images(root: &Path, names: &[&str], programs: &[&Path]) {
    let mut command = Command::new(root.join("scripts/container-engine"));
    command.arg("image").args(names);
    if !programs.is_empty() {
        command.arg("--").args(programs);
    }
    let status = command.status().expect("run scripts/container-engine");
    assert!(status.success(), "building the images {names:?} failed");
}

fn run(file: &PipelineFile, pairs: &[&str], home: &Path) -> kfp_local::Outcome {
    let args = parse_key_values(pairs.iter().copied()).unwrap();
    Runner::new(home)
        .kind(RunnerKind::Container)
        .run(file, &args, &mut Lines)
        .unwrap_or_else(|e| panic!("{e}"))
}

fn quickstart_in_containers(root: &Path) {
    let file = kfp_dsl::compile(quickstart::word_count::ENTRY).unwrap();
    // The Rust component's image and command, as this binary compiled them.
    let executor = match &file.spec.deployment_spec.as_ref().unwrap().executors["exec-count-words"]
    {
        kfp_ir_schema::ExecutorSpec::Container(c) => c.clone(),
        _ => panic!("count-words runs a container"),
    };
    let me = std::env::current_exe().unwrap();
    assert_eq!(
        executor.command[0].as_str(),
        format!(
            "/usr/local/bin/{}",
            me.file_stem().unwrap().to_string_lossy()
        )
    );
    build_images(root, &[executor.image.as_str()], &[&me]);
    build_images(root, &["docker.io/library/alpine:3.20"], &[]);

    let home = tempfile::tempdir().unwrap();
    let outcome = run(&file, &["text=one two three"], home.path());
    assert_eq!(outcome.state(), RunState::Succeeded, "{:#?}", outcome.tasks);
    assert_eq!(outcome.output("Output"), Some(&json!(3)));
    // `show` ran `cat` on the dataset in alpine:3.20.
    let show = outcome.task("show").unwrap();
    let log = std::fs::read_to_string(show.log_path.as_ref().unwrap()).unwrap();
    assert_eq!(log, "one two three");
}

fn kfp_written_pipelines(root: &Path) {
    let goldens = root.join("../shared/kfp-golden/sdk_compiled_pipelines/valid");
    if !goldens.exists() {
        eprintln!(
            "skipped: the kfp-written pipelines ({} not found)",
            goldens.display()
        );
        return;
    }
    build_images(
        root,
        &[
            "docker.io/library/alpine:latest",
            "ghcr.io/containerd/busybox:latest",
        ],
        &[],
    );
    let home = tempfile::tempdir().unwrap();
    // Three tasks, two after the first, each echoing its text.
    let file = PipelineFile::read(goldens.join("essential/pipeline_with_after.yaml")).unwrap();
    let outcome = run(&file, &[], home.path());
    assert_eq!(outcome.state(), RunState::Succeeded, "{:#?}", outcome.tasks);
    let logs: BTreeMap<&str, String> = outcome
        .tasks
        .iter()
        .map(|t| {
            (
                t.task_name.as_str(),
                std::fs::read_to_string(t.log_path.as_ref().unwrap()).unwrap(),
            )
        })
        .collect();
    assert!(logs["print-text"].contains("1st task"), "{logs:?}");
    assert!(logs["print-text-3"].contains("3rd task"), "{logs:?}");

    // A Concat placeholder checked inside the container by `[[ … ]]`.
    let mut file =
        PipelineFile::read(goldens.join("pipeline_with_concat_placeholder.yaml")).unwrap();
    let outcome = run(&file, &[], home.path());
    assert_eq!(outcome.state(), RunState::Succeeded, "{:#?}", outcome.tasks);
    // Another constant: the check in the container fails, and so does the run.
    let root_dag = match file.spec.root.as_mut().unwrap().implementation.as_mut() {
        Some(kfp_ir_schema::ComponentImplementation::Dag(dag)) => dag,
        _ => panic!("the root is a DAG"),
    };
    let task = root_dag
        .tasks
        .get_mut("component-with-concat-placeholder")
        .unwrap();
    let input = task
        .inputs
        .as_mut()
        .unwrap()
        .parameters
        .get_mut("input_two")
        .unwrap();
    input.kind = Some(kfp_ir_schema::InputParameterKind::RuntimeValue(
        kfp_ir_schema::ValueOrRuntimeParameter::Constant(json!("three")),
    ));
    let outcome = run(&file, &[], home.path());
    assert_eq!(outcome.state(), RunState::Failed);
    assert!(outcome.tasks.iter().any(|t| t.state == TaskState::Failed));
}

fn workspace_in_containers_is_shared(root: &Path) {
    build_images(root, &["docker.io/library/alpine:3.20"], &[]);
    let file = kfp_dsl::compile(workspace_in_containers::ENTRY).unwrap();
    let home = tempfile::tempdir().unwrap();
    let outcome = run(&file, &[], home.path());
    assert_eq!(outcome.state(), RunState::Succeeded, "{:#?}", outcome.tasks);
    let log = |task: &str| {
        let record = outcome.task(task).unwrap();
        std::fs::read_to_string(record.log_path.as_ref().unwrap()).unwrap()
    };
    // Inside the container the workspace is where KFP mounts it ...
    assert_eq!(
        log("write-note").trim(),
        kfp_ir_schema::workspace::MOUNT_PATH
    );
    // ... and the next container reads what the first wrote there.
    assert_eq!(log("read-note").trim(), "shared");
    // On this machine it is the run's own folder.
    let workspace = kfp_local::layout::Layout::new(home.path()).workspace(outcome.id());
    assert_eq!(
        std::fs::read_to_string(workspace.join("notes/one")).unwrap(),
        "shared\n"
    );
}
