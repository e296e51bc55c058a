//! Why a component could not run.

use std::path::PathBuf;

use kfp_ir_schema::executor::UriError;

use crate::param::ParamValueError;

/// Why a component could not run.
#[derive(Debug, thiserror::Error)]
pub enum ExecutorError {
    /// The executor input is not valid JSON of the expected shape.
    #[error("the executor input is not valid: {0}")]
    BadInput(#[source] serde_json::Error),
    /// The executor output could not be serialized.
    #[error("the executor output cannot be written as JSON: {0}")]
    Serialize(#[source] serde_json::Error),
    /// A required input parameter is missing.
    #[error("the executor input has no value for the input parameter `{0}`")]
    MissingParameter(String),
    /// An input parameter has a value of the wrong type.
    #[error(
        "the input parameter `{name}` has the wrong type: {}",
        source.describe(Some(name))
    )]
    ParameterType {
        /// The input's name.
        name: String,
        /// What is wrong.
        #[source]
        source: Box<ParamValueError>,
    },
    /// An artifact's URI has no local path: a storage scheme KFP does not
    /// mount, or a `..` segment.
    #[error("the {direction} artifact `{name}`: {source}")]
    ArtifactUri {
        /// `input` or `output`.
        direction: &'static str,
        /// The artifact's name.
        name: String,
        /// Why the URI has no local path.
        #[source]
        source: UriError,
    },
    /// An input or output artifact is missing.
    #[error("the executor input has no {direction} artifact `{name}`")]
    MissingArtifact {
        /// `input` or `output`.
        direction: &'static str,
        /// The artifact's name.
        name: String,
    },
    /// The executor input gives no file for an output parameter.
    #[error("the executor input has no output file for the output parameter `{0}`")]
    MissingOutputParameter(String),
    /// The executor input has no `outputs.outputFile`.
    #[error("the executor input has no `outputs.outputFile`")]
    NoOutputFile,
    /// No component of this pipeline is called that.
    #[error("no Rust-native component called `{name}` in this pipeline (known: {known})")]
    UnknownFunction {
        /// The name asked for.
        name: String,
        /// The names that exist, comma-separated.
        known: String,
    },
    /// [`get_uri`](crate::get_uri) was called outside a component's run.
    #[error("`get_uri` can only be called while a component runs: the task root is unknown here")]
    NoTaskRoot,
    /// [`get_uri`](crate::get_uri) was called on the KFP backend, whose
    /// task root is not in object storage.
    #[error(
        "`get_uri` is not supported by the KFP backend (the task root is `{root}`); give the \
         artifact a URI of your own, e.g. under the pipeline root"
    )]
    GetUriUnsupported {
        /// The task root.
        root: String,
    },
    /// The component's function returned an error.
    #[error("the component failed: {0}")]
    Failed(String),
    /// Reading or writing a file failed.
    #[error("{what} `{path}`: {source}")]
    Io {
        /// What was being done.
        what: &'static str,
        /// The file.
        path: PathBuf,
        /// The error.
        #[source]
        source: std::io::Error,
    },
}
