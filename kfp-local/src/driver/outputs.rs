//! Reading a container task's outputs back, as the KFP launcher does
//! (`getExecutorOutputFile`, `collectOutputParameters`,
//! `mergeRuntimeArtifacts`):
//!
//! * the `ExecutorOutput` file is read when it exists (strictly: unknown
//!   fields are an error, as protojson's are);
//! * a parameter's value there wins; otherwise its output file is read and
//!   parsed by the declared type, and a missing file is an error;
//! * every declared output artifact is registered, whether or not the
//!   executor output names it, with the URI, metadata and `custom_path` it
//!   gives merged into the one the task was handed.

use std::fs;
use std::io::Read;
use std::path::{Path, PathBuf};

use kfp_ir_schema::ComponentSpec;
use kfp_ir_schema::executor::{ExecutorInput, ExecutorOutput, RuntimeArtifact};

use super::Values;

/// The largest executor output or parameter file read back: the KFP API's
/// own limit on a pipeline file. A larger one fails the task instead of
/// filling memory.
pub const MAX_OUTPUT_BYTES: u64 = 32 * 1024 * 1024;

/// Why a task's outputs could not be read.
#[derive(Debug, thiserror::Error)]
pub enum OutputError {
    /// A file could not be read.
    #[error("could not read {}: {source}", path.display())]
    Read {
        /// The file.
        path: PathBuf,
        /// Why.
        source: std::io::Error,
    },
    /// A file is over [`MAX_OUTPUT_BYTES`].
    #[error("{} is over {} MiB", path.display(), MAX_OUTPUT_BYTES >> 20)]
    TooLarge {
        /// The file.
        path: PathBuf,
    },
    /// The executor output is not an `ExecutorOutput`.
    #[error("the executor output {} is not valid: {message}", path.display())]
    BadExecutorOutput {
        /// The file.
        path: PathBuf,
        /// What is wrong.
        message: String,
    },
    /// A declared output parameter was not written.
    #[error(
        "output parameter `{name}` was not written: the task wrote neither {} nor a value for it in its executor output",
        file.display()
    )]
    MissingParameter {
        /// The output.
        name: String,
        /// Its file.
        file: PathBuf,
    },
    /// An output parameter's file does not hold a value of its type.
    #[error("output parameter `{name}` ({}): {error}", file.display())]
    BadParameter {
        /// The output.
        name: String,
        /// Its file.
        file: PathBuf,
        /// What is wrong.
        error: kfp_ir_schema::parameter::ValueError,
    },
}

/// The outputs of a container task that exited with 0.
///
/// # Errors
/// A missing or unreadable file, or an invalid executor output.
pub fn read_outputs(
    component: &ComponentSpec,
    input: &ExecutorInput,
) -> Result<Values, OutputError> {
    let handed = input.outputs.clone().unwrap_or_default();
    let written = read_executor_output(Path::new(&handed.output_file))?;
    let mut values = Values::default();
    let declared = component.output_definitions.clone().unwrap_or_default();
    for (name, spec) in declared.parameters.iter() {
        let name = name.to_string();
        if let Some(value) = written.parameter_values.get(&name) {
            values.parameters.insert(name, value.clone());
            continue;
        }
        let file = PathBuf::from(
            handed
                .parameters
                .get(&name)
                .map(|p| p.output_file.as_str())
                .unwrap_or_default(),
        );
        let text = match read_limited(&file) {
            Ok(text) => text,
            Err(OutputError::Read { source, .. })
                if source.kind() == std::io::ErrorKind::NotFound =>
            {
                return Err(OutputError::MissingParameter { name, file });
            }
            Err(e) => return Err(e),
        };
        let ty = spec.parameter_type;
        let value = ty
            .parse_text(&text)
            .map_err(|error| OutputError::BadParameter {
                name: name.clone(),
                file: file.clone(),
                error,
            })?;
        values.parameters.insert(name, value);
    }
    for name in declared.artifacts.keys() {
        let name = name.to_string();
        let given = handed
            .artifacts
            .get(&name)
            .and_then(|l| l.artifacts.first())
            .cloned()
            .unwrap_or_default();
        let from_executor = written
            .artifacts
            .get(&name)
            .map(|l| l.artifacts.as_slice())
            .unwrap_or_default();
        let merged = if from_executor.is_empty() {
            vec![given]
        } else {
            from_executor
                .iter()
                .map(|a| merge(given.clone(), a))
                .collect()
        };
        values.artifacts.insert(name, merged);
    }
    Ok(values)
}

/// The launcher's `mergeRuntimeArtifacts`: a URI replaces, metadata keys
/// are added over, and a custom path replaces.
fn merge(mut handed: RuntimeArtifact, written: &RuntimeArtifact) -> RuntimeArtifact {
    if !written.uri.is_empty() {
        handed.uri = written.uri.clone();
    }
    if let Some(metadata) = &written.metadata {
        let target = handed.metadata.get_or_insert_with(Default::default);
        for (k, v) in metadata {
            target.insert(k.clone(), v.clone());
        }
    }
    if let Some(path) = written.custom_path.as_ref().filter(|p| !p.is_empty()) {
        handed.custom_path = Some(path.clone());
    }
    handed
}

fn read_executor_output(path: &Path) -> Result<ExecutorOutput, OutputError> {
    if path.as_os_str().is_empty() {
        return Ok(ExecutorOutput::default());
    }
    let text = match read_limited(path) {
        Ok(text) => text,
        Err(OutputError::Read { source, .. }) if source.kind() == std::io::ErrorKind::NotFound => {
            return Ok(ExecutorOutput::default());
        }
        Err(e) => return Err(e),
    };
    serde_json::from_str(&text).map_err(|e| OutputError::BadExecutorOutput {
        path: path.to_path_buf(),
        message: e.to_string(),
    })
}

/// A file's text, read only up to [`MAX_OUTPUT_BYTES`]; a named pipe or
/// device is refused rather than read.
fn read_limited(path: &Path) -> Result<String, OutputError> {
    let error = |source| OutputError::Read {
        path: path.to_path_buf(),
        source,
    };
    let meta = fs::metadata(path).map_err(error)?;
    if !meta.is_file() {
        return Err(error(std::io::Error::other("not a regular file")));
    }
    let mut text = String::new();
    fs::File::open(path)
        .map_err(error)?
        .take(MAX_OUTPUT_BYTES + 1)
        .read_to_string(&mut text)
        .map_err(error)?;
    if text.len() as u64 > MAX_OUTPUT_BYTES {
        return Err(OutputError::TooLarge {
            path: path.to_path_buf(),
        });
    }
    Ok(text)
}
