//! Where a pipeline binary's `compile -o PATH` writes, as the "Hardening"
//! issue's probe ran it: a device, FIFO or symbolic link is written
//! through, never replaced by a regular file; `-` is stdout; a file keeps
//! its mode and a read-only one is refused; the format follows the
//! extension unless `--json` or `--yaml` says otherwise.

use std::fs;
use std::os::unix::fs::{FileTypeExt, PermissionsExt};
use std::path::Path;
use std::process::Command;

use kfp_dsl::prelude::*;
use kfp_dsl::run_with_args;
use kfp_ir_schema::PipelineFile;
use kfp_ir_schema::validate::{Format, validate_str};

#[container_component]
fn say(text: String) -> ContainerSpec {
    ContainerSpec::new("alpine").command(("echo", text))
}

#[pipeline(name = "output-test")]
fn output_test(#[kfp(default = "hi")] text: String) {
    say(text);
}

fn compile(args: &[&str]) -> u8 {
    let mut all = vec!["pipeline", "compile"];
    all.extend_from_slice(args);
    run_with_args(output_test::ENTRY, None, all)
}

fn mode(path: &Path) -> u32 {
    fs::metadata(path).unwrap().permissions().mode() & 0o7777
}

#[test]
fn a_device_or_fifo_is_written_in_place_not_replaced() {
    let dir = tempfile::tempdir().unwrap();
    // `mknod ./n c 1 3; <pipeline binary> compile -o ./n` (a symbolic link
    // to /dev/null where the process may not make devices).
    let device = dir.path().join("n");
    let made = Command::new("mknod")
        .arg(&device)
        .args(["c", "1", "3"])
        .status()
        .is_ok_and(|s| s.success());
    if !made {
        std::os::unix::fs::symlink("/dev/null", &device).unwrap();
    }
    assert_eq!(compile(&["-o", device.to_str().unwrap()]), 0);
    assert!(fs::metadata(&device).unwrap().file_type().is_char_device());

    let fifo = dir.path().join("fifo");
    assert!(
        Command::new("mkfifo")
            .arg(&fifo)
            .status()
            .unwrap()
            .success()
    );
    let reader = {
        let fifo = fifo.clone();
        std::thread::spawn(move || fs::read_to_string(fifo).unwrap())
    };
    assert_eq!(compile(&["-o", fifo.to_str().unwrap()]), 0);
    let text = reader.join().unwrap();
    assert!(text.starts_with("# PIPELINE DEFINITION\n# Name: output-test\n"));
    assert!(fs::metadata(&fifo).unwrap().file_type().is_fifo());
}

#[test]
fn a_file_keeps_its_mode_and_a_read_only_one_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let private = dir.path().join("p.yaml");
    fs::write(&private, "old").unwrap();
    fs::set_permissions(&private, fs::Permissions::from_mode(0o600)).unwrap();
    assert_eq!(compile(&["-o", private.to_str().unwrap()]), 0);
    assert_eq!(mode(&private), 0o600);
    PipelineFile::read(&private).unwrap();

    let read_only = dir.path().join("ro.yaml");
    fs::write(&read_only, "old").unwrap();
    fs::set_permissions(&read_only, fs::Permissions::from_mode(0o444)).unwrap();
    assert_eq!(compile(&["-o", read_only.to_str().unwrap()]), 1);
    assert_eq!(fs::read_to_string(&read_only).unwrap(), "old");

    let target = dir.path().join("target.yaml");
    fs::write(&target, "old").unwrap();
    let link = dir.path().join("link.yaml");
    std::os::unix::fs::symlink(&target, &link).unwrap();
    assert_eq!(compile(&["-o", link.to_str().unwrap()]), 0);
    assert!(fs::symlink_metadata(&link).unwrap().is_symlink());
    PipelineFile::read(&target).unwrap();
}

#[test]
fn the_extension_picks_the_format_unless_a_flag_does() {
    let dir = tempfile::tempdir().unwrap();
    // `compile -o x.json` wrote YAML, which `kfp validate x.json` refused.
    let json = dir.path().join("x.json");
    assert_eq!(compile(&["-o", json.to_str().unwrap()]), 0);
    assert!(fs::read_to_string(&json).unwrap().starts_with("{\n"));
    assert_eq!(
        PipelineFile::read(&json).unwrap().spec.name(),
        Some("output-test")
    );

    let yaml_in_json = dir.path().join("y.json");
    assert_eq!(
        compile(&["--yaml", "-o", yaml_in_json.to_str().unwrap()]),
        0
    );
    let text = fs::read_to_string(&yaml_in_json).unwrap();
    assert!(text.starts_with("# PIPELINE DEFINITION\n"));

    let yml = dir.path().join("z.yml");
    assert_eq!(compile(&["-o", yml.to_str().unwrap()]), 0);
    assert!(
        fs::read_to_string(&yml)
            .unwrap()
            .starts_with("# PIPELINE DEFINITION\n")
    );

    let json_in_yaml = dir.path().join("j.yaml");
    assert_eq!(
        compile(&["--json", "-o", json_in_yaml.to_str().unwrap()]),
        0
    );
    assert!(
        fs::read_to_string(&json_in_yaml)
            .unwrap()
            .starts_with("{\n")
    );

    assert_eq!(compile(&["--json", "--yaml", "-o", "never.yaml"]), 2);
    assert!(!Path::new("never.yaml").exists());
}

/// The environment variable that makes [`stdout_child`] run `compile`
/// with the arguments it holds, in a process of its own.
const CHILD_ARGS: &str = "KFP_DSL_OUTPUT_TEST_ARGS";

/// Not a test of its own: `compile_dash_writes_to_stdout` runs this test
/// binary again with only this test, so that what `compile -o -` writes to
/// the process's stdout can be read.
#[test]
fn stdout_child() {
    let Ok(args) = std::env::var(CHILD_ARGS) else {
        return;
    };
    let args: Vec<&str> = args.split(' ').collect();
    std::process::exit(compile(&args).into());
}

/// The text a child run of `compile ARGS` wrote to stdout after the test
/// harness's own first lines, from the line that starts with `first`.
fn compile_in_child(args: &str, first: &str) -> String {
    let out = Command::new(std::env::current_exe().unwrap())
        .args([
            "--exact",
            "stdout_child",
            "--nocapture",
            "--test-threads=1",
            "-q",
        ])
        .env(CHILD_ARGS, args)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let stdout = String::from_utf8(out.stdout).unwrap();
    let start = stdout
        .find(&format!("\n{first}"))
        .unwrap_or_else(|| panic!("no {first:?} in:\n{stdout}"));
    stdout[start + 1..].to_owned()
}

#[test]
fn compile_dash_writes_to_stdout() {
    let yaml = compile_in_child("-o -", "# PIPELINE DEFINITION");
    let file = validate_str(&yaml, Format::Yaml).unwrap();
    assert_eq!(file.spec.name(), Some("output-test"));
    assert_eq!(file.to_yaml(), yaml);

    let json = compile_in_child("--json -o -", "{");
    let file = validate_str(&json, Format::Json).unwrap();
    assert_eq!(file.to_json().unwrap(), json);
    assert!(!Path::new("-").exists());
}
