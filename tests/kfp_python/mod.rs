//! The Python with kfp that tests run kfp with: `KFP_PYTHON`, or the
//! project's `.venv` (as `.ci/run` makes it).

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

/// A Python that imports kfp, or `None` after saying that the test is
/// skipped.
pub fn find() -> Option<PathBuf> {
    let python = std::env::var_os("KFP_PYTHON")
        .map(PathBuf::from)
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join(".venv/bin/python"));
    let found = Command::new(&python)
        .args(["-c", "import kfp"])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .is_ok_and(|s| s.success());
    if !found {
        eprintln!(
            "skipped: no Python with kfp at {} (set KFP_PYTHON; CI's venv has one)",
            python.display()
        );
        return None;
    }
    Some(python)
}
