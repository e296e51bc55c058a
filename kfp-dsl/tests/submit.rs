//! `my-pipeline submit ...` compiles the pipeline and hands the file and every
//! argument to `kfp run create`; its exit status is kfp's.

use std::os::unix::fs::PermissionsExt;

use kfp_dsl::prelude::*;
use kfp_dsl::run_with_args;
use kfp_ir_schema::PipelineFile;

#[container_component]
fn say(text: String) -> ContainerSpec {
    ContainerSpec::new("alpine").command(("echo", text))
}

#[pipeline(name = "submit-test")]
fn submit_test(#[kfp(default = "hi")] text: String) {
    say(text);
}

#[test]
fn submit_passes_the_compiled_file_and_the_arguments_to_kfp() {
    let dir = tempfile::tempdir().unwrap();
    let record = dir.path().join("args.txt");
    let copy = dir.path().join("submitted.yaml");
    // A stand-in for `kfp`: records its arguments and the file it was given
    // (the file is deleted once `submit` returns), and exits 3.
    let script = dir.path().join("kfp");
    std::fs::write(
        &script,
        format!(
            "#!/bin/sh\nprintf '%s\\n' \"$@\" > '{}'\ncp \"$3\" '{}'\nexit 3\n",
            record.display(),
            copy.display()
        ),
    )
    .unwrap();
    std::fs::set_permissions(&script, std::fs::Permissions::from_mode(0o755)).unwrap();

    let status = run_with_args(
        submit_test::ENTRY,
        None,
        [
            "pipeline",
            "submit",
            "--kfp",
            script.to_str().unwrap(),
            "--host",
            "http://127.0.0.1:9",
            "--param",
            "text=hello",
            "--wait",
        ],
    );
    assert_eq!(status, 3, "kfp's exit status is passed on");

    let args: Vec<String> = std::fs::read_to_string(&record)
        .unwrap()
        .lines()
        .map(str::to_owned)
        .collect();
    assert_eq!(args[..2], ["run", "create"]);
    assert!(args[2].ends_with(".yaml"), "{args:?}");
    assert_eq!(
        args[3..],
        [
            "--host",
            "http://127.0.0.1:9",
            "--param",
            "text=hello",
            "--wait"
        ]
    );
    let file = PipelineFile::read(&copy).expect("a valid pipeline was submitted");
    assert_eq!(file.spec.pipeline_info.unwrap().name, "submit-test");
    assert!(
        !std::path::Path::new(&args[2]).exists(),
        "the temporary file is removed"
    );
}

#[test]
fn submit_without_kfp_says_how_to_install_it() {
    let status = run_with_args(
        submit_test::ENTRY,
        None,
        ["pipeline", "submit", "--kfp", "/nonexistent/kfp", "--wait"],
    );
    assert_eq!(status, 1);
}
