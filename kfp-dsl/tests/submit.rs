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

/// The folder `submit` wrote the pipeline to was `kfp-rs-submit-<pid>-0`
/// in the system's temporary folder, reused when it existed: another user
/// who made it first could swap the pipeline before `kfp` read it. It is
/// now made for the call, under a random name, with mode 0700.
#[test]
fn submit_writes_the_pipeline_into_a_new_private_folder() {
    let dir = tempfile::tempdir().unwrap();
    let record = dir.path().join("folder.txt");
    let script = dir.path().join("kfp");
    std::fs::write(
        &script,
        format!(
            "#!/bin/sh\nfolder=$(dirname \"$3\")\nprintf '%s\\n%s\\n' \"$folder\" \"$(stat -c %a \"$folder\")\" > '{}'\n",
            record.display()
        ),
    )
    .unwrap();
    std::fs::set_permissions(&script, std::fs::Permissions::from_mode(0o755)).unwrap();
    // The folders the old code would have used, made by someone else.
    let planted: Vec<_> = (0..4)
        .map(|n| std::env::temp_dir().join(format!("kfp-rs-submit-{}-{n}", std::process::id())))
        .collect();
    for folder in &planted {
        std::fs::create_dir_all(folder).unwrap();
    }

    let status = run_with_args(
        submit_test::ENTRY,
        None,
        ["pipeline", "submit", "--kfp", script.to_str().unwrap()],
    );
    assert_eq!(status, 0);
    let recorded = std::fs::read_to_string(&record).unwrap();
    let (folder, mode) = recorded.trim_end().split_once('\n').unwrap();
    assert_eq!(mode, "700", "{recorded}");
    let folder = std::path::Path::new(folder);
    assert!(!planted.iter().any(|p| p == folder), "{recorded}");
    assert_eq!(folder.parent(), Some(std::env::temp_dir().as_path()));
    assert!(!folder.exists(), "the folder is removed");
    for folder in &planted {
        assert_eq!(std::fs::read_dir(folder).unwrap().count(), 0);
        std::fs::remove_dir(folder).unwrap();
    }
}
