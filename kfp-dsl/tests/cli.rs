//! The pipeline binary's command line: compile, JSON, help, executor runs,
//! Dockerfile, and failures that write nothing.

use kfp_dsl::prelude::*;
use kfp_dsl::run_with_args;
use serde_json::json;

/// Doubles a number.
#[component(image = "ghcr.io/acme/double:1")]
fn double(n: i64) -> i64 {
    n * 2
}

/// Fails on purpose.
#[component]
fn fail(reason: String) -> Result<(), String> {
    Err(reason)
}

#[pipeline(name = "cli-test")]
fn cli_test(#[kfp(default = 21)] n: i64) -> i64 {
    let first = double(n);
    fail("no").after(&first);
    double(first.output()).output()
}

/// A pipeline whose wiring is wrong at run time (a handle of another
/// pipeline), so it must not compile to a file.
#[pipeline(name = "inner")]
fn inner(n: i64) -> i64 {
    double(n).output()
}

fn run(args: &[&str]) -> u8 {
    let mut all = vec!["pipeline"];
    all.extend_from_slice(args);
    run_with_args(cli_test::ENTRY, None, all)
}

#[test]
fn compile_writes_yaml_or_json_to_the_file_given() {
    let dir = tempfile::tempdir().unwrap();
    let yaml = dir.path().join("p.yaml");
    assert_eq!(run(&["compile", "-o", yaml.to_str().unwrap()]), 0);
    let text = std::fs::read_to_string(&yaml).unwrap();
    assert!(
        text.starts_with("# PIPELINE DEFINITION\n# Name: cli-test\n"),
        "{text}"
    );
    assert!(
        text.contains("--function_to_execute\n        - double\n"),
        "{text}"
    );

    let json_path = dir.path().join("p.json");
    assert_eq!(
        run(&["compile", "--json", "-o", json_path.to_str().unwrap()]),
        0
    );
    let ir: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&json_path).unwrap()).unwrap();
    assert_eq!(ir["pipelineInfo"]["name"], "cli-test");
    assert_eq!(
        ir["deploymentSpec"]["executors"]["exec-double"]["container"]["image"],
        "ghcr.io/acme/double:1"
    );
    assert_eq!(
        ir["root"]["inputDefinitions"]["parameters"]["n"]["defaultValue"],
        json!(21.0)
    );
    assert_eq!(
        ir["root"]["dag"]["tasks"]["fail"]["dependentTasks"],
        json!(["double"])
    );
}

#[test]
fn help_and_usage_errors() {
    assert_eq!(run(&["--help"]), 0);
    assert_eq!(run(&["frobnicate"]), 2);
    assert_eq!(run(&["--function_to_execute", "double"]), 2);
    assert_eq!(run(&["ui", "--help"]), 0);
    assert_eq!(run(&["ui", "--bind", "nowhere"]), 2);
}

#[test]
fn ui_on_a_port_in_use_says_so() {
    let taken = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = taken.local_addr().unwrap().port().to_string();
    let home = tempfile::tempdir().unwrap();
    let home = home.path().to_str().unwrap();
    assert_eq!(run(&["ui", "--port", &port, "--home", home]), 2);
}

#[test]
fn the_binary_runs_a_component_by_name() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("executor_output.json");
    let input = json!({
        "inputs": {"parameterValues": {"n": 4}},
        "outputs": {
            "parameters": {"Output": {"outputFile": dir.path().join("Output").to_str().unwrap()}},
            "outputFile": out.to_str().unwrap()
        }
    })
    .to_string();
    assert_eq!(
        run(&[
            "--executor_input",
            &input,
            "--function_to_execute",
            "double"
        ]),
        0
    );
    let written: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&out).unwrap()).unwrap();
    assert_eq!(written, json!({"parameterValues": {"Output": 8}}));
}

#[test]
fn executor_failures_exit_non_zero() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("executor_output.json");
    let input = json!({
        "inputs": {"parameterValues": {"reason": "bad data"}},
        "outputs": {"outputFile": out.to_str().unwrap()}
    })
    .to_string();
    // The function's own error.
    assert_eq!(
        run(&["--executor_input", &input, "--function_to_execute", "fail"]),
        1
    );
    assert!(!out.exists());
    // Not JSON.
    assert_eq!(
        run(&[
            "--executor_input",
            "{oops",
            "--function_to_execute",
            "double"
        ]),
        1
    );
    // A parameter of the wrong type.
    let wrong = json!({"inputs": {"parameterValues": {"n": "four"}}, "outputs": {"outputFile": out.to_str().unwrap()}});
    assert_eq!(
        run(&[
            "--executor_input",
            &wrong.to_string(),
            "--function_to_execute",
            "double"
        ]),
        1
    );
    // No such component.
    assert_eq!(
        run(&["--executor_input", &input, "--function_to_execute", "nope"]),
        1
    );
}

#[test]
fn the_dockerfile_copies_the_binary_where_the_ir_runs_it() {
    let text = kfp_dsl::dockerfile();
    assert!(text.contains("FROM debian:bookworm-slim"), "{text}");
    assert!(text.contains("ENTRYPOINT"), "{text}");
    assert_eq!(run(&["dockerfile"]), 0);
}

#[test]
fn wiring_mistakes_found_at_definition_write_nothing() {
    // A handle of one pipeline used in another is reported, not miswired.
    #[pipeline(name = "outer")]
    fn outer() {}
    let leaked = std::cell::Cell::new(None);
    let _ = kfp_dsl::__private::record_pipeline(
        kfp_dsl::__private::graph::Pipeline::new("first"),
        |_| {
            leaked.set(Some(double(1).output()));
            Vec::new()
        },
    );
    let recorded = kfp_dsl::__private::record_pipeline(
        kfp_dsl::__private::graph::Pipeline::new("second"),
        |_| {
            double(leaked.get().unwrap());
            Vec::new()
        },
    );
    assert_eq!(
        recorded.errors,
        [
            "the task output `Output` belongs to another pipeline; pass values into a sub-pipeline through its inputs"
        ]
    );
    let _ = (outer::ENTRY, inner::ENTRY);
}

#[test]
fn an_invalid_pipeline_writes_no_file() {
    #[pipeline(name = "bad")]
    fn bad() {
        double(1).set_cpu_limit("lots");
    }
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("bad.yaml");
    let err = kfp_dsl::compile_to_file(bad::ENTRY, Some(&path), false).unwrap_err();
    assert!(err.to_string().contains("lots"), "{err}");
    assert!(!path.exists());
}

#[test]
fn the_binary_wide_image_applies_to_components_without_their_own() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("p.json");
    let args = ["bin", "compile", "--json", "-o", path.to_str().unwrap()];
    assert_eq!(
        run_with_args(cli_test::ENTRY, Some("ghcr.io/acme/all:2"), args),
        0
    );
    let ir: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
    let executors = &ir["deploymentSpec"]["executors"];
    assert_eq!(
        executors["exec-fail"]["container"]["image"],
        "ghcr.io/acme/all:2"
    );
    // A component's own image wins.
    assert_eq!(
        executors["exec-double"]["container"]["image"],
        "ghcr.io/acme/double:1"
    );
    let command = &executors["exec-fail"]["container"]["command"];
    assert!(
        command[0].as_str().unwrap().starts_with("/usr/local/bin/"),
        "{command}"
    );
    assert_eq!(
        executors["exec-fail"]["container"]["args"],
        json!(["--executor_input", "{{$}}", "--function_to_execute", "fail"])
    );
}

#[test]
fn compile_overrides_the_name_and_input_defaults_as_kfp_does() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("p.yaml");
    let path_s = path.to_str().unwrap();
    let code = run(&[
        "compile",
        "-o",
        path_s,
        "--pipeline-name",
        "cli-test-staging",
        "--display-name",
        "CLI test (staging)",
        "--pipeline-parameters",
        r#"{"n": 4}"#,
    ]);
    assert_eq!(code, 0);
    let text = std::fs::read_to_string(&path).unwrap();
    let file = kfp_ir_schema::validate::validate_str(&text, kfp_ir_schema::validate::Format::Yaml)
        .unwrap_or_else(|e| panic!("{e}\n{text}"));
    let info = file.spec.pipeline_info.as_ref().unwrap();
    assert_eq!(info.name, "cli-test-staging");
    assert_eq!(info.display_name, "CLI test (staging)");
    // The header names the pipeline as it is now, with the new default.
    assert!(
        text.starts_with("# PIPELINE DEFINITION\n# Name: cli-test-staging\n# Inputs:\n#    n: int [Default: 4.0]\n"),
        "{text}"
    );

    // Wrong overrides write nothing and say what was wrong.
    for (args, why) in [
        (vec!["--pipeline-parameters", r#"{"m": 4}"#], "no input m"),
        (
            vec!["--pipeline-parameters", r#"{"n": "four"}"#],
            "not an integer",
        ),
        (vec!["--pipeline-parameters", "[4]"], "not an object"),
        (vec!["--pipeline-parameters", "{n: 4"], "not JSON"),
        (vec!["--pipeline-name", "Not A Name"], "not a kfp name"),
    ] {
        let bad = dir.path().join("bad.yaml");
        let mut all = vec!["compile", "-o", bad.to_str().unwrap()];
        all.extend(args);
        assert_eq!(run(&all), 1, "{why}: {all:?}");
        assert!(!bad.exists(), "{why}: {all:?}");
    }
}

#[test]
fn override_errors_say_what_is_wrong() {
    let overrides = kfp_dsl::Overrides::default().parameter("m", 4);
    let error = kfp_dsl::compile_with(cli_test::ENTRY, &overrides)
        .unwrap_err()
        .to_string();
    assert!(
        error.contains("pipeline `cli-test`: pipeline parameter `m` does not match any input")
            && error.contains("(its inputs: n)"),
        "{error}"
    );
    let overrides = kfp_dsl::Overrides::default().parameter("n", "four");
    let error = kfp_dsl::compile_with(cli_test::ENTRY, &overrides)
        .unwrap_err()
        .to_string();
    assert!(
        error.contains("`n` has type NUMBER_INTEGER, but it is given \"four\""),
        "{error}"
    );
}

#[test]
fn graph_draws_the_pipeline_in_the_format_asked_or_named_by_the_file() {
    let dir = tempfile::tempdir().unwrap();
    let path = |name: &str| dir.path().join(name).to_str().unwrap().to_owned();
    assert_eq!(run(&["graph", "-o", &path("dag.svg")]), 0);
    assert_eq!(run(&["graph", "-o", &path("dag.mmd")]), 0);
    assert_eq!(
        run(&["graph", "--format", "dot", "-o", &path("dag.txt")]),
        0
    );
    let read = |name: &str| std::fs::read_to_string(dir.path().join(name)).unwrap();
    let svg = read("dag.svg");
    assert!(
        svg.starts_with("<svg") && svg.contains(">double-2<"),
        "{svg}"
    );
    let mermaid = read("dag.mmd");
    assert!(mermaid.starts_with("flowchart TB\n"), "{mermaid}");
    // `fail` runs after `double` and reads nothing of it.
    assert!(mermaid.contains("t_double -.-o t_fail"), "{mermaid}");
    assert!(mermaid.contains("t_double -.-> t_double_2"), "{mermaid}");
    assert!(read("dag.txt").starts_with("digraph \"cli-test\" {"));
    assert_eq!(run(&["graph", "--format", "png"]), 2);
}
