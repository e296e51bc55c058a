//! `kfp graph FILE`: each format, to the standard output or to `-o OUT`,
//! and the exit status when the file cannot be drawn.

use std::path::Path;
use std::process::{Command, Output};

/// A two-task pipeline: `make` writes a dataset that `train` reads.
const TWO_STEPS: &str = r#"{
  "components": {
    "comp-make": {"executorLabel": "exec-make", "outputDefinitions": {"artifacts": {"data":
      {"artifactType": {"schemaTitle": "system.Dataset", "schemaVersion": "0.0.1"}}}}},
    "comp-train": {"executorLabel": "exec-train", "inputDefinitions": {"artifacts": {"data":
      {"artifactType": {"schemaTitle": "system.Dataset", "schemaVersion": "0.0.1"}}}}}
  },
  "deploymentSpec": {"executors": {
    "exec-make": {"container": {"image": "python:3.12", "command": ["make"]}},
    "exec-train": {"container": {"image": "python:3.12", "command": ["train"]}}
  }},
  "pipelineInfo": {"name": "two-steps"},
  "root": {"dag": {"tasks": {
    "make": {"taskInfo": {"name": "make \"data\" <now>"}, "componentRef": {"name": "comp-make"}},
    "train": {"taskInfo": {"name": "train"}, "componentRef": {"name": "comp-train"},
      "dependentTasks": ["make"],
      "inputs": {"artifacts": {"data": {"taskOutputArtifact":
        {"producerTask": "make", "outputArtifactKey": "data"}}}}}
  }}},
  "schemaVersion": "2.1.0"
}"#;

fn kfp(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_kfp"))
        .args(args)
        .output()
        .expect("kfp runs")
}

fn stdout(output: &Output) -> String {
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8(output.stdout.clone()).unwrap()
}

#[test]
fn each_format_goes_to_the_standard_output() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("two-steps.json");
    std::fs::write(&file, TWO_STEPS).unwrap();
    let file = file.to_str().unwrap();

    let svg = stdout(&kfp(&["graph", file]));
    assert!(
        svg.starts_with("<svg xmlns=\"http://www.w3.org/2000/svg\""),
        "{svg}"
    );
    assert!(svg.contains("make &quot;data&quot; &lt;now&gt;"), "{svg}");
    assert!(
        svg.contains("data-from=\"make\" data-to=\"train\""),
        "{svg}"
    );

    let dot = stdout(&kfp(&["graph", file, "--format", "dot"]));
    assert!(
        dot.contains(r#""make" -> "train" [style=solid, tooltip="data → data"];"#),
        "{dot}"
    );

    let mermaid = stdout(&kfp(&["graph", file, "--format", "mermaid"]));
    assert!(mermaid.contains("t_make --> t_train"), "{mermaid}");
    assert!(
        mermaid.contains(r#"t_make["make #quot;data#quot; #60;now#62;<br/>python:3.12"]"#),
        "{mermaid}"
    );
}

#[test]
fn o_writes_a_file_in_the_format_its_extension_names() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("two-steps.json");
    std::fs::write(&file, TWO_STEPS).unwrap();
    let file = file.to_str().unwrap();
    let out = |name: &str| dir.path().join(name).to_str().unwrap().to_owned();
    let read = |name: &str| std::fs::read_to_string(dir.path().join(name)).unwrap();
    for (name, start) in [
        ("dag.svg", "<svg"),
        ("dag.dot", "digraph \"two-steps\""),
        ("dag.mmd", "flowchart TB\n"),
    ] {
        assert_eq!(stdout(&kfp(&["graph", file, "-o", &out(name)])), "");
        assert!(read(name).starts_with(start), "{name}: {}", read(name));
    }
    // --format wins over the extension.
    stdout(&kfp(&[
        "graph",
        file,
        "--format",
        "mermaid",
        "-o",
        &out("dag.txt"),
    ]));
    assert!(read("dag.txt").starts_with("flowchart TB\n"));
}

#[test]
fn a_file_that_cannot_be_drawn_says_why() {
    let dir = tempfile::tempdir().unwrap();
    let missing = dir.path().join("missing.yaml");
    let output = kfp(&["graph", missing.to_str().unwrap()]);
    assert_eq!(output.status.code(), Some(2));
    let invalid = dir.path().join("invalid.yaml");
    std::fs::write(
        &invalid,
        "pipelineInfo: {name: Not_A_Name}\nschemaVersion: 2.1.0\n",
    )
    .unwrap();
    let output = kfp(&["graph", invalid.to_str().unwrap()]);
    assert_eq!(output.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&output.stderr).contains("/pipelineInfo/name"));
    let output = kfp(&["graph", invalid.to_str().unwrap(), "--format", "png"]);
    assert_eq!(output.status.code(), Some(2));
}

#[test]
fn a_golden_file_is_drawn_in_every_format() {
    let golden = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../shared/kfp-golden/sdk_compiled_pipelines/valid/parallel_and_nested/pipeline_with_loops.yaml");
    if !golden.is_file() {
        println!("skipped: ../shared not found");
        return;
    }
    let golden = golden.to_str().unwrap();
    let svg = stdout(&kfp(&["graph", golden]));
    assert!(
        svg.contains("for each in args-generator-op.Output"),
        "{svg}"
    );
    let dot = stdout(&kfp(&["graph", golden, "--format", "dot"]));
    assert!(dot.contains("subgraph \"cluster_for-loop-2\""), "{dot}");
    let mermaid = stdout(&kfp(&["graph", golden, "--format", "mermaid"]));
    assert!(
        mermaid.contains("t_args_generator_op -.-> g_for_loop_2"),
        "{mermaid}"
    );
}
