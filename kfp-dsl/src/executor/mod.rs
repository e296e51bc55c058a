//! The executor side: what runs inside the container when KFP starts a
//! Rust-native component (`--executor_input {{$}} --function_to_execute f`).
//!
//! It reads the executor input, maps artifact URIs to the local paths where
//! the KFP launcher puts the files (kfp-ir-schema's [`local_path`]: `gs://`
//! → `/gcs/`, `s3://` → `/s3/`, `minio://` → `/minio/`, `oci://` →
//! `/oci/…/models`; a local run's absolute paths and `file://` URIs as
//! they are; any other scheme, and a `..` segment, refused), calls the
//! component's function, and writes the executor output file the launcher
//! reads back. An artifact the function made itself ([`Output::at`], at
//! [`get_uri`]) and returned takes the place of the one KFP handed for that
//! output, as in kfp's executor.

mod artifact;
mod error;
mod run;
mod task_root;

use std::path::PathBuf;

pub use kfp_ir_schema::executor::{
    ExecutorInput, ExecutorOutput, UriError, local_path, remote_uri,
};

pub use artifact::{Input, Output, OutputPath};
pub use error::ExecutorError;
pub use run::{OutputValue, Run};
pub use task_root::get_uri;

/// Runs a component's function on a parsed executor input.
pub type ExecutorFn = fn(&ExecutorInput) -> Result<ExecutorOutput, ExecutorError>;

/// Parses an executor input, runs `run` on it and writes the executor output
/// where the input says.
pub fn execute(executor_input: &str, run: ExecutorFn) -> Result<ExecutorOutput, ExecutorError> {
    let input: ExecutorInput =
        serde_json::from_str(executor_input).map_err(ExecutorError::BadInput)?;
    let output_file = input
        .outputs
        .as_ref()
        .map(|o| o.output_file.clone())
        .filter(|f| !f.is_empty())
        .ok_or(ExecutorError::NoOutputFile)?;
    let output = run(&input)?;
    // A local path the launcher chose, not a URI.
    let path = PathBuf::from(output_file);
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent).map_err(|source| ExecutorError::Io {
            what: "creating the folder of the executor output",
            path: parent.to_owned(),
            source,
        })?;
    }
    let json = serde_json::to_string(&output).map_err(ExecutorError::Serialize)?;
    std::fs::write(&path, json).map_err(|source| ExecutorError::Io {
        what: "writing the executor output",
        path: path.clone(),
        source,
    })?;
    Ok(output)
}

#[cfg(test)]
mod tests;
