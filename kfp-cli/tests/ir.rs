//! `kfp validate` and `kfp fmt` on files they do not trust, as the
//! "Hardening" issue's probe ran them: FIFOs and endless devices, stdin as
//! `-`, warnings and `--strict`, JSON lines with `--json`, and `fmt` on
//! files whose mode, links or kind must be kept.

use std::fs;
use std::io::Write;
use std::os::unix::fs::PermissionsExt;
use std::path::Path;
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

use serde_json::Value;

/// A valid pipeline, not written canonically (`kfp fmt` rewrites it).
const VALID: &str = "pipelineInfo:
  name: p
schemaVersion: 2.1.0
components:
  comp-train:
    executorLabel: exec-train
    inputDefinitions:
      parameters:
        epochs: {parameterType: NUMBER_INTEGER}
deploymentSpec:
  executors:
    exec-train: {container: {image: alpine}}
root:
  dag:
    tasks:
      train:
        componentRef: {name: comp-train}
        taskInfo: {name: train}
        inputs:
          parameters:
            epochs: {runtimeValue: {constant: 3}}
";

/// [`VALID`] whose task also binds `epoch`, which its component does not
/// declare (line 22).
fn with_typo() -> String {
    format!("{VALID}            epoch: {{runtimeValue: {{constant: 4}}}}\n")
}

fn kfp(args: &[&str]) -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_kfp"));
    command.args(args);
    command
}

/// Runs `command` with `stdin`, failing the test if it takes over 20 s.
fn run(mut command: Command, stdin: Stdio) -> Output {
    let mut child = command
        .stdin(stdin)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let deadline = Instant::now() + Duration::from_secs(20);
    while child.try_wait().unwrap().is_none() {
        if Instant::now() > deadline {
            child.kill().unwrap();
            panic!("{command:?} did not finish within 20 s");
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    child.wait_with_output().unwrap()
}

/// Runs `kfp ARGS` with `input` on stdin.
fn run_with_input(args: &[&str], input: &str) -> Output {
    let mut child = kfp(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    child
        .stdin
        .take()
        .unwrap()
        .write_all(input.as_bytes())
        .unwrap();
    child.wait_with_output().unwrap()
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

fn json_lines(output: &Output) -> Vec<Value> {
    text(&output.stdout)
        .lines()
        .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("{l}: {e}")))
        .collect()
}

fn mode(path: &Path) -> u32 {
    fs::metadata(path).unwrap().permissions().mode() & 0o7777
}

#[test]
fn validate_refuses_a_fifo_and_an_endless_device_without_hanging() {
    let dir = tempfile::tempdir().unwrap();
    let fifo = dir.path().join("fifo.yaml");
    assert!(
        Command::new("mkfifo")
            .arg(&fifo)
            .status()
            .unwrap()
            .success()
    );
    let out = run(kfp(&["validate", fifo.to_str().unwrap()]), Stdio::null());
    assert_eq!(out.status.code(), Some(2), "{}", text(&out.stderr));
    assert!(text(&out.stderr).contains("FIFO"), "{}", text(&out.stderr));

    let out = run(kfp(&["validate", "/dev/zero"]), Stdio::null());
    assert_eq!(out.status.code(), Some(2));
    assert!(text(&out.stderr).contains("character device"));

    // Stdin, when it is asked for, is read up to the limit and one byte;
    // too large is invalid, as a large file is.
    let zeros = fs::File::open("/dev/zero").unwrap();
    let out = run(kfp(&["validate", "-"]), zeros.into());
    assert_eq!(out.status.code(), Some(1), "{}", text(&out.stderr));
    assert!(
        text(&out.stderr)
            .contains("<stdin>: 1 problem:\n  /: the file is more than 33554432 bytes"),
        "{}",
        text(&out.stderr)
    );
}

#[test]
fn validate_reads_stdin_given_as_a_dash() {
    let out = run_with_input(&["validate", "-"], VALID);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    assert_eq!(text(&out.stdout), "<stdin>: valid pipeline `p`\n");
    // JSON is told from YAML by its first character.
    let out = run_with_input(
        &["validate", "-"],
        "{\"pipelineInfo\": 1, \"pipelineInfo\": 2}",
    );
    assert_eq!(out.status.code(), Some(1));
    assert!(text(&out.stderr).contains("duplicate key \"pipelineInfo\""));
}

#[test]
fn warnings_leave_a_file_valid_unless_strict() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("typo.yaml");
    fs::write(&path, with_typo()).unwrap();
    let file = path.to_str().unwrap();

    let out = run(kfp(&["validate", file]), Stdio::null());
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let stderr = text(&out.stderr);
    assert!(
        stderr.contains("valid pipeline `p`, 1 warning:\n  22:13: warning: /root/dag/tasks/train/inputs/parameters/epoch: component `comp-train` has no input parameter `epoch` (did you mean `epochs`?)"),
        "{stderr}"
    );

    let out = run(kfp(&["validate", "--strict", file]), Stdio::null());
    assert_eq!(out.status.code(), Some(1), "{}", text(&out.stderr));
    assert!(text(&out.stderr).contains("invalid (--strict)"));

    let out = run(kfp(&["validate", "--json", file]), Stdio::null());
    assert_eq!(out.status.code(), Some(0));
    let lines = json_lines(&out);
    assert_eq!(lines.len(), 1, "{lines:?}");
    assert_eq!(lines[0]["file"], file);
    assert_eq!(lines[0]["severity"], "warning");
    assert_eq!(lines[0]["document"], 1);
    assert_eq!(
        lines[0]["pointer"],
        "/root/dag/tasks/train/inputs/parameters/epoch"
    );
    assert_eq!(
        (lines[0]["line"].clone(), lines[0]["column"].clone()),
        (22.into(), 13.into())
    );
}

#[test]
fn validate_json_lists_every_problem_as_a_json_line() {
    let dir = tempfile::tempdir().unwrap();
    let bad = dir.path().join("bad.yaml");
    fs::write(
        &bad,
        VALID
            .replace("name: p", "name: Bad_Name")
            .replace("schemaVersion: 2.1.0", "schemaVersion: 2.0.0"),
    )
    .unwrap();
    let missing = dir.path().join("missing.yaml");
    let out = run(
        kfp(&[
            "validate",
            "--json",
            bad.to_str().unwrap(),
            missing.to_str().unwrap(),
        ]),
        Stdio::null(),
    );
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(text(&out.stderr), "");
    let lines = json_lines(&out);
    assert_eq!(lines.len(), 3, "{lines:?}");
    assert_eq!(lines[0]["pointer"], "/pipelineInfo/name");
    assert_eq!(lines[0]["line"], 2);
    assert_eq!(lines[0]["severity"], "error");
    assert_eq!(lines[1]["pointer"], "/schemaVersion");
    assert_eq!(lines[1]["line"], 3);
    assert_eq!(lines[2]["file"], missing.to_str().unwrap());
    assert_eq!(lines[2]["document"], Value::Null);
    assert_eq!(lines[2]["line"], Value::Null);
    assert!(
        lines[2]["message"]
            .as_str()
            .unwrap()
            .contains("No such file")
    );
}

#[test]
fn fmt_keeps_mode_links_and_read_only_files() {
    let dir = tempfile::tempdir().unwrap();
    // `chmod 600 f.yaml; kfp fmt f.yaml` left it 0644.
    let private = dir.path().join("f.yaml");
    fs::write(&private, VALID).unwrap();
    fs::set_permissions(&private, fs::Permissions::from_mode(0o600)).unwrap();
    let out = run(kfp(&["fmt", private.to_str().unwrap()]), Stdio::null());
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    assert!(
        fs::read_to_string(&private)
            .unwrap()
            .starts_with("# PIPELINE DEFINITION\n")
    );
    assert_eq!(mode(&private), 0o600);

    // A 0444 file was rewritten.
    let read_only = dir.path().join("ro.yaml");
    fs::write(&read_only, VALID).unwrap();
    fs::set_permissions(&read_only, fs::Permissions::from_mode(0o444)).unwrap();
    let out = run(kfp(&["fmt", read_only.to_str().unwrap()]), Stdio::null());
    assert_eq!(out.status.code(), Some(2));
    assert!(
        text(&out.stderr).contains("read-only"),
        "{}",
        text(&out.stderr)
    );
    assert_eq!(fs::read_to_string(&read_only).unwrap(), VALID);

    // A symbolic link: the file it points to is rewritten.
    let target = dir.path().join("target.yaml");
    fs::write(&target, VALID).unwrap();
    let link = dir.path().join("link.yaml");
    std::os::unix::fs::symlink(&target, &link).unwrap();
    let out = run(kfp(&["fmt", link.to_str().unwrap()]), Stdio::null());
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    assert!(fs::symlink_metadata(&link).unwrap().is_symlink());
    assert!(
        fs::read_to_string(&target)
            .unwrap()
            .starts_with("# PIPELINE DEFINITION\n")
    );

    // A device is refused (it is not read, so not rewritten).
    let out = run(kfp(&["fmt", "/dev/null"]), Stdio::null());
    assert_eq!(out.status.code(), Some(2));
    assert!(text(&out.stderr).contains("character device"));
}

#[test]
fn fmt_reads_stdin_given_as_a_dash() {
    let out = run_with_input(&["fmt", "--check", "-"], VALID);
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(text(&out.stdout), "<stdin>: not canonical\n");

    let out = run_with_input(&["fmt", "-"], VALID);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let canonical = text(&out.stdout);
    assert!(
        canonical.starts_with("# PIPELINE DEFINITION\n# Name: p\n"),
        "{canonical}"
    );
    let out = run_with_input(&["fmt", "--check", "-"], &canonical);
    assert_eq!(out.status.code(), Some(0));
    assert_eq!(text(&out.stdout), "");

    let out = run_with_input(&["fmt", "--json", "-"], VALID);
    assert_eq!(out.status.code(), Some(2));
    assert!(text(&out.stderr).contains("no JSON output"));
}
