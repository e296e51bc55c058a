//! Helpers of the runner's tests: read a pipeline of `tests/pipelines`,
//! run it in a fresh home folder.

#![allow(dead_code)]

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use kfp_ir_schema::PipelineFile;
use kfp_ir_schema::arguments::{ArgValue, parse_key_values};
use kfp_local::progress::Silent;
use kfp_local::{Outcome, Runner};

/// A pipeline of `tests/pipelines`.
pub fn pipeline(name: &str) -> PipelineFile {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/pipelines")
        .join(name);
    PipelineFile::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// `name=value` arguments.
pub fn args(pairs: &[&str]) -> BTreeMap<String, ArgValue> {
    parse_key_values(pairs.iter().copied()).unwrap()
}

/// A runner over a fresh home folder (kept while the returned folder is).
pub fn runner() -> (tempfile::TempDir, Runner) {
    let home = tempfile::tempdir().unwrap();
    let runner = Runner::new(home.path()).parallelism(4);
    (home, runner)
}

/// Runs `file` with `args` in a fresh home.
pub fn run(file: &PipelineFile, pairs: &[&str]) -> (tempfile::TempDir, Outcome) {
    let (home, runner) = runner();
    let outcome = runner.run(file, &args(pairs), &mut Silent).unwrap();
    (home, outcome)
}

/// The home folder's path as a `PathBuf`.
pub fn home(dir: &tempfile::TempDir) -> PathBuf {
    dir.path().to_path_buf()
}
