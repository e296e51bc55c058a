//! `my-pipeline submit ...`: compile the pipeline and hand it to the `kfp`
//! command line, which sends it to a KFP cluster.
//!
//! Submitting needs an HTTP client, an async runtime and, for port-forwards,
//! the Kubernetes client. A pipeline binary does not link any of them:
//! compiling a pipeline stays free of tokio, reqwest and kube. Instead
//! `submit` writes the IR to a temporary file and runs
//! `kfp run create FILE ARGS...`, passing every argument through, so
//! `cargo run --example hello_world -- submit --host URL --param k=v --wait`
//! takes exactly the options of `kfp run create` (see `kfp run create --help`).
//!
//! The `kfp` binary is the one given with `--kfp PATH`, else the one named by
//! `KFP_BIN`, else `kfp` on the `PATH` (`cargo install --path kfp-cli`).
//!
//! The file is written into a folder of its own in the system's temporary
//! folder, created for this call under a random name with mode 0700 (never
//! one that exists already), so that another user of the machine cannot
//! swap the pipeline before `kfp` reads it; the folder is removed when
//! `kfp` is done.

use std::ffi::OsString;
use std::path::PathBuf;
use std::process::Command;

use crate::compile::{CompileError, PipelineEntry, compile_to_file};

/// The environment variable naming the `kfp` binary to run.
const KFP_BIN: &str = "KFP_BIN";

/// Compiles `entry` to a temporary file and runs `kfp run create FILE
/// args...`; returns `kfp`'s exit status.
pub(super) fn submit(
    entry: PipelineEntry,
    kfp: Option<PathBuf>,
    args: &[OsString],
) -> Result<u8, String> {
    let folder = private_folder().map_err(|e| {
        format!(
            "cannot create a folder in {}: {e}",
            std::env::temp_dir().display()
        )
    })?;
    let program = kfp
        .or_else(|| std::env::var_os(KFP_BIN).map(PathBuf::from))
        .unwrap_or_else(|| PathBuf::from("kfp"));
    // The folder is removed when it is dropped, after `kfp` ran.
    compile_and_run(entry, folder.path(), &program, args)
}

/// A new folder in the system's temporary folder, that only this user may
/// enter: created (never reused) under a random name, mode 0700.
fn private_folder() -> std::io::Result<tempfile::TempDir> {
    let mut builder = tempfile::Builder::new();
    builder.prefix("kfp-rs-submit-");
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        builder.permissions(std::fs::Permissions::from_mode(0o700));
    }
    builder.tempdir()
}

fn compile_and_run(
    entry: PipelineEntry,
    folder: &std::path::Path,
    program: &std::path::Path,
    args: &[OsString],
) -> Result<u8, String> {
    let file = folder.join(format!("{}.yaml", entry.function));
    let file =
        compile_to_file(entry, Some(&file), false).map_err(|e: CompileError| e.to_string())?;
    let status = Command::new(program)
        .arg("run")
        .arg("create")
        .arg(&file)
        .args(args)
        .status()
        .map_err(|e| {
            format!(
                "cannot run `{}` ({e}): submitting uses the kfp command line; install it with \
                 `cargo install --path kfp-cli`, or name it with --kfp or {KFP_BIN}",
                program.display()
            )
        })?;
    Ok(status
        .code()
        .map_or(1, |code| u8::try_from(code).unwrap_or(1)))
}
