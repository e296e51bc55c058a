//! Files kfp-rs does not trust, as a probe of the "Hardening" issue found
//! them: special files in the place of a pipeline file (devices, FIFOs,
//! symbolic links, planted temporary files), reads that never end, an
//! alias bomb within the node limit, and the stricter reading KFP's own
//! parsers do. Each test reproduces the probe and asserts the behaviour
//! now expected; memory-bounded reading is checked by the error returned.

use std::fs;
use std::os::unix::fs::{FileTypeExt, MetadataExt, PermissionsExt};
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::mpsc;
use std::time::Duration;

use kfp_ir_schema::PipelineFile;
use kfp_ir_schema::diagnostic::Severity;
use kfp_ir_schema::file::{FileError, Source, read_validated, write_atomically};
use kfp_ir_schema::validate::{Format, MAX_FILE_SIZE, validate_str, validate_text};

const VALID: &str = "# PIPELINE DEFINITION
# Name: p
components:
  comp-train:
    executorLabel: exec-train
    inputDefinitions:
      parameters:
        epochs:
          parameterType: NUMBER_INTEGER
deploymentSpec:
  executors:
    exec-train:
      container:
        image: alpine
pipelineInfo:
  name: p
root:
  dag:
    tasks:
      train:
        cachingOptions: {}
        componentRef:
          name: comp-train
        inputs:
          parameters:
            epochs:
              runtimeValue:
                constant: 3
        taskInfo:
          name: train
schemaVersion: 2.1.0
";

/// Runs `f` on another thread and fails the test if it does not finish
/// within 10 seconds (a read that blocks forever must not hang the suite).
fn within_10_s<T: Send + 'static>(f: impl FnOnce() -> T + Send + 'static) -> T {
    let (send, receive) = mpsc::channel();
    std::thread::spawn(move || send.send(f()));
    receive
        .recv_timeout(Duration::from_secs(10))
        .expect("finished within 10 s")
}

fn mkfifo(path: &Path) {
    let status = Command::new("mkfifo").arg(path).status().expect("mkfifo");
    assert!(status.success());
}

/// A character device like /dev/null (1, 3) at `path`, made with `mknod`
/// where the process may, else a symbolic link to /dev/null.
fn null_device(path: &Path) {
    let made = Command::new("mknod")
        .arg(path)
        .args(["c", "1", "3"])
        .status()
        .is_ok_and(|s| s.success());
    if !made {
        std::os::unix::fs::symlink("/dev/null", path).unwrap();
    }
}

fn mode(path: &Path) -> u32 {
    fs::metadata(path).unwrap().permissions().mode() & 0o7777
}

// 1. Writing over special files.

#[test]
fn a_character_device_is_written_in_place_not_replaced() {
    let dir = tempfile::tempdir().unwrap();
    let device = dir.path().join("n");
    null_device(&device);
    write_atomically(&device, b"text").unwrap();
    assert!(fs::metadata(&device).unwrap().file_type().is_char_device());
    assert_eq!(fs::read(&device).unwrap(), b"", "still /dev/null");
    // Through a symbolic link (`/dev/stdout` is one): the link stays.
    let link = dir.path().join("out");
    std::os::unix::fs::symlink(&device, &link).unwrap();
    write_atomically(&link, b"text").unwrap();
    assert!(
        fs::symlink_metadata(&link)
            .unwrap()
            .file_type()
            .is_symlink()
    );
    assert_eq!(fs::read_dir(dir.path()).unwrap().count(), 2);
}

#[test]
fn a_fifo_is_written_in_place_not_replaced() {
    let dir = tempfile::tempdir().unwrap();
    let fifo = dir.path().join("f");
    mkfifo(&fifo);
    let reader = {
        let fifo = fifo.clone();
        std::thread::spawn(move || fs::read(fifo).unwrap())
    };
    let written = fifo.clone();
    within_10_s(move || write_atomically(&written, b"through the pipe").unwrap());
    assert_eq!(reader.join().unwrap(), b"through the pipe");
    assert!(fs::metadata(&fifo).unwrap().file_type().is_fifo());
}

#[test]
fn a_symbolic_link_is_followed_and_stays_a_link() {
    let dir = tempfile::tempdir().unwrap();
    let target = dir.path().join("real.yaml");
    fs::write(&target, "old").unwrap();
    fs::set_permissions(&target, fs::Permissions::from_mode(0o640)).unwrap();
    let link = dir.path().join("link.yaml");
    std::os::unix::fs::symlink("real.yaml", &link).unwrap();
    write_atomically(&link, b"new").unwrap();
    assert!(
        fs::symlink_metadata(&link)
            .unwrap()
            .file_type()
            .is_symlink()
    );
    assert_eq!(fs::read_to_string(&target).unwrap(), "new");
    assert_eq!(mode(&target), 0o640);

    let dangling = dir.path().join("dangling.yaml");
    std::os::unix::fs::symlink("missing.yaml", &dangling).unwrap();
    let err = write_atomically(&dangling, b"new").unwrap_err();
    assert!(matches!(err, FileError::NotWritable { .. }), "{err}");
    assert!(!dir.path().join("missing.yaml").exists());

    let err = write_atomically(dir.path(), b"new").unwrap_err();
    assert!(err.to_string().contains("is a folder"), "{err}");
}

#[test]
fn permission_bits_and_hard_links_are_kept_and_read_only_files_refused() {
    let dir = tempfile::tempdir().unwrap();
    let private = dir.path().join("private.yaml");
    fs::write(&private, "old").unwrap();
    fs::set_permissions(&private, fs::Permissions::from_mode(0o600)).unwrap();
    write_atomically(&private, b"new").unwrap();
    assert_eq!(fs::read_to_string(&private).unwrap(), "new");
    assert_eq!(mode(&private), 0o600, "`chmod 600 f.yaml` stays 600");

    let linked = dir.path().join("linked.yaml");
    let other = dir.path().join("other-name.yaml");
    fs::write(&linked, "old").unwrap();
    fs::hard_link(&linked, &other).unwrap();
    let inode = fs::metadata(&linked).unwrap().ino();
    write_atomically(&linked, b"new").unwrap();
    assert_eq!(fs::read_to_string(&other).unwrap(), "new");
    assert_eq!(fs::metadata(&linked).unwrap().ino(), inode);
    assert_eq!(fs::metadata(&linked).unwrap().nlink(), 2);

    let read_only = dir.path().join("read-only.yaml");
    fs::write(&read_only, "old").unwrap();
    fs::set_permissions(&read_only, fs::Permissions::from_mode(0o444)).unwrap();
    let err = write_atomically(&read_only, b"new").unwrap_err();
    assert!(matches!(err, FileError::ReadOnly { .. }), "{err}");
    assert_eq!(fs::read_to_string(&read_only).unwrap(), "old");
    assert_eq!(mode(&read_only), 0o444);

    // A new file gets the mode `File::create` gives (0666 less the umask).
    let created = dir.path().join("created.yaml");
    write_atomically(&created, b"new").unwrap();
    let reference = dir.path().join("reference");
    fs::File::create(&reference).unwrap();
    assert_eq!(mode(&created), mode(&reference));
    // The owner and group too, when the process may set them (root).
    if fs::metadata(&reference).unwrap().uid() == 0 {
        let owned = dir.path().join("owned.yaml");
        fs::write(&owned, "old").unwrap();
        std::os::unix::fs::chown(&owned, Some(4321), Some(4321)).unwrap();
        write_atomically(&owned, b"new").unwrap();
        let metadata = fs::metadata(&owned).unwrap();
        assert_eq!((metadata.uid(), metadata.gid()), (4321, 4321));
        fs::remove_file(&owned).unwrap();
    }
    // No temporary file is left behind.
    let mut names: Vec<String> = fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    let expected = [
        "created.yaml",
        "linked.yaml",
        "other-name.yaml",
        "private.yaml",
        "read-only.yaml",
        "reference",
    ];
    assert_eq!(names, expected);
}

// 2. The temporary file follows no symbolic link.

#[test]
fn a_planted_link_at_the_old_temporary_name_is_not_followed() {
    let dir = tempfile::tempdir().unwrap();
    let victim = dir.path().join("victim");
    fs::write(&victim, "precious").unwrap();
    let target = dir.path().join("p.yaml");
    // The name the atomic write used to give its temporary file.
    let planted = dir
        .path()
        .join(format!(".p.yaml.{}.tmp", std::process::id()));
    std::os::unix::fs::symlink(&victim, &planted).unwrap();
    write_atomically(&target, b"pipeline").unwrap();
    assert_eq!(fs::read_to_string(&victim).unwrap(), "precious");
    assert_eq!(fs::read_to_string(&target).unwrap(), "pipeline");
    assert!(fs::symlink_metadata(&planted).unwrap().is_symlink());
}

// 5. Reads that never end.

#[test]
fn a_fifo_is_refused_without_waiting_for_a_writer() {
    let dir = tempfile::tempdir().unwrap();
    let fifo = dir.path().join("fifo.yaml");
    mkfifo(&fifo);
    let err = within_10_s(move || PipelineFile::read(&fifo).unwrap_err());
    assert!(matches!(err, FileError::NotAFile { .. }), "{err}");
    assert!(err.to_string().contains("FIFO"), "{err}");
}

#[test]
fn an_endless_device_is_refused_not_read_until_memory_runs_out() {
    let dir = tempfile::tempdir().unwrap();
    let zero = dir.path().join("zero.yaml");
    std::os::unix::fs::symlink("/dev/zero", &zero).unwrap();
    let err = within_10_s(move || PipelineFile::read(&zero).unwrap_err());
    assert!(err.to_string().contains("character device"), "{err}");
    let err = within_10_s(|| PipelineFile::read("/dev/zero").unwrap_err());
    assert!(matches!(err, FileError::NotAFile { .. }), "{err}");
}

#[test]
fn a_file_over_the_limit_is_refused_before_it_is_read() {
    let dir = tempfile::tempdir().unwrap();
    let big = dir.path().join("big.yaml");
    // Sparse: 32 MiB and one byte, none of it written.
    fs::File::create(&big)
        .unwrap()
        .set_len(MAX_FILE_SIZE as u64 + 1)
        .unwrap();
    let err = PipelineFile::read(&big).unwrap_err();
    assert!(err.to_string().contains("33554433 bytes"), "{err}");
}

#[test]
fn sources_name_stdin_as_a_dash() {
    assert_eq!(Source::from_arg(Path::new("-")), Source::Stdin);
    assert_eq!(Source::Stdin.name(), Path::new("<stdin>"));
    assert_eq!(Source::Stdin.format("{}"), Format::Json);
    assert_eq!(Source::Stdin.format("a: 1"), Format::Yaml);
    let file = PathBuf::from("p.json");
    assert_eq!(Source::from_arg(&file).format("a: 1"), Format::Json);
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("p.yaml");
    fs::write(&path, VALID).unwrap();
    let validated = read_validated(Source::File(&path)).unwrap();
    assert!(validated.warnings.is_empty());
}

// 4. An alias bomb within the node limit.

#[test]
fn an_alias_bomb_of_long_strings_is_refused_at_the_alias() {
    // 250 KB whose aliases repeat a 30 KB string: gigabytes of memory before.
    let mut text = format!(
        "pipelineInfo:\n  name: &long {}\nroot:\n  dag:\n    tasks:\n",
        "x".repeat(30_000)
    );
    for i in 0..6_000 {
        text.push_str(&format!("      t{i}: {{taskInfo: {{name: *long}}}}\n"));
    }
    assert!(text.len() < 300_000, "{}", text.len());
    let err = validate_str(&text, Format::Yaml).unwrap_err();
    let d = &err.diagnostics[0];
    assert!(d.message.contains("aliases expand to more than"), "{err}");
    // The first alias over the 64 MiB budget, after the anchor's own copy.
    let allowed = ((64 << 20) - 30_000) / 30_000;
    assert_eq!(d.location.map(|l| l.line), Some(6 + allowed), "{err}");
}

// 9. Stricter reading, as KFP's parsers are.

#[test]
fn raw_control_characters_are_refused_as_pyyaml_refuses_them() {
    let text = VALID.replace("image: alpine", "image: \"alp\x01ine\"");
    let err = validate_str(&text, Format::Yaml).unwrap_err();
    let d = &err.diagnostics[0];
    assert!(d.message.contains("U+0001"), "{err}");
    assert_eq!(d.location.map(|l| (l.line, l.column)), Some((14, 20)));
    // Escaped, it is a string like any other.
    let escaped = VALID.replace("image: alpine", "image: \"alp\\x01ine\"");
    validate_str(&escaped, Format::Yaml).unwrap();
}

#[test]
fn duplicate_keys_in_json_are_refused_as_in_yaml() {
    let json = PipelineFile::from_str(VALID, Format::Yaml)
        .unwrap()
        .to_json()
        .unwrap();
    let twice = json.replacen(
        "\"pipelineInfo\": {",
        "\"pipelineInfo\": {\n    \"name\": \"first\",",
        1,
    );
    let err = validate_str(&twice, Format::Json).unwrap_err();
    assert!(err.to_string().contains("duplicate key \"name\""), "{err}");
    validate_str(&json, Format::Json).unwrap();
}

#[test]
fn an_undeclared_task_input_is_a_warning_with_a_suggestion() {
    let typo = VALID.replace("            epochs:\n", "            epoch:\n");
    // The required `epochs` is now unbound too: an error, and the warning
    // beside it.
    let err = validate_str(&typo, Format::Yaml).unwrap_err();
    assert_eq!(err.diagnostics.len(), 2, "{err}");

    let extra = VALID.replace(
        "                constant: 3\n",
        "                constant: 3\n            epoch:\n              runtimeValue:\n                constant: 4\n",
    );
    let validated = validate_text(&extra, Format::Yaml).unwrap();
    assert_eq!(validated.warnings.len(), 1, "{:?}", validated.warnings);
    let warning = &validated.warnings[0];
    assert_eq!(warning.severity, Severity::Warning);
    assert_eq!(
        warning.path,
        "/root/dag/tasks/train/inputs/parameters/epoch"
    );
    assert!(
        warning.message.contains(
            "component `comp-train` has no input parameter `epoch` (did you mean `epochs`?)"
        ),
        "{warning}"
    );
    assert_eq!(
        warning.to_string(),
        format!("29:13: warning: {}: {}", warning.path, warning.message)
    );
    // kfp's own undeclared inputs are not warned of.
    for name in ["pipelinechannel--epochs", "cpu_limit", "accelerator_type"] {
        let text = extra.replace("            epoch:\n", &format!("            {name}:\n"));
        let validated = validate_text(&text, Format::Yaml).unwrap();
        assert!(validated.warnings.is_empty(), "{name}");
    }
}
