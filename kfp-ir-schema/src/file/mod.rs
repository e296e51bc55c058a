//! Pipeline files: reading, validating and writing them as kfp does.
//!
//! kfp writes a pipeline as YAML: the `# PIPELINE DEFINITION` header comment,
//! the `PipelineSpec` document, and a `PlatformSpec` document when any
//! platform config exists, keys sorted at every level (PyYAML's
//! `dump_all(..., sort_keys=True)`). JSON output (deprecated in kfp) is the
//! `PipelineSpec` alone, indented by two, keys sorted, non-ASCII escaped, as
//! Python's `json.dump(..., indent=2, sort_keys=True)` writes it; like kfp,
//! it refuses a pipeline with platform config.
//!
//! Output is deterministic: the same pipeline always gives the same bytes.
//!
//! Files are handled as tools that do not trust them do: `read` reads only
//! regular files (or stdin) and never more than the KFP upload limit;
//! `write` replaces a regular file atomically without following a planted
//! temporary file, keeps its mode and links, and never turns a device,
//! FIFO or symbolic link into a regular file.

mod read;
mod write;

use std::io::Write;
use std::path::{Path, PathBuf};

pub use crate::pipeline_file::PipelineFile;
use crate::pipeline_spec::PipelineSpec;
use crate::validate::{self, Format, Validated, ValidationError};
use crate::yaml;
use crate::yaml::erased::Document;
use crate::{ComponentImplementation, DagSpec};
pub use read::Source;
pub use write::{write_atomically, write_atomically_with};

/// The maps of a pipeline spec that grow with its tasks: the YAML writer
/// serializes their values one at a time ([`yaml::dump_sectioned`]), so
/// the memory it needs does not grow with them. [`spec_sections`] gives
/// their values, in the same order.
const SPEC_SECTIONS: &[&[&str]] = &[
    &["components"],
    &["deploymentSpec", "executors"],
    &["root", "dag", "tasks"],
];

/// The values of the maps at [`SPEC_SECTIONS`], in key order.
fn spec_sections(spec: &PipelineSpec) -> [Vec<&dyn Document>; 3] {
    let root_dag: Option<&DagSpec> =
        spec.root
            .as_ref()
            .and_then(|root| match &root.implementation {
                Some(ComponentImplementation::Dag(dag)) => Some(dag),
                _ => None,
            });
    [
        spec.components
            .values()
            .map(|c| c as &dyn Document)
            .collect(),
        spec.deployment_spec
            .iter()
            .flat_map(|d| d.executors.values())
            .map(|e| e as &dyn Document)
            .collect(),
        root_dag
            .iter()
            .flat_map(|dag| dag.tasks.values())
            .map(|t| t as &dyn Document)
            .collect(),
    ]
}

/// The parts of `spec` that the header comment shows, as JSON: its
/// `pipelineInfo` and the root's input and output definitions.
fn header_fields(spec: &PipelineSpec) -> serde_json::Value {
    fn to_value(v: &impl serde::Serialize) -> serde_json::Value {
        serde_json::to_value(v).expect("IR types always serialize")
    }
    let mut root = serde_json::Map::new();
    if let Some(component) = &spec.root {
        if let Some(inputs) = &component.input_definitions {
            root.insert("inputDefinitions".into(), to_value(inputs));
        }
        if let Some(outputs) = &component.output_definitions {
            root.insert("outputDefinitions".into(), to_value(outputs));
        }
    }
    let mut fields = serde_json::Map::new();
    if let Some(info) = &spec.pipeline_info {
        fields.insert("pipelineInfo".into(), to_value(info));
    }
    fields.insert("root".into(), root.into());
    fields.into()
}

/// Why a pipeline file could not be read or written.
#[derive(Debug, thiserror::Error)]
pub enum FileError {
    /// The file could not be read or written.
    #[error("{path}: {source}")]
    Io {
        /// The file.
        path: PathBuf,
        /// What the operating system said.
        source: std::io::Error,
    },
    /// The path to read names something other than a regular file (a
    /// FIFO, a device, a socket, a folder), which could block the reader
    /// or never end.
    #[error(
        "{path}: {kind}, not a regular file (a pipeline file is read from a regular file, or from stdin given as `-`)"
    )]
    NotAFile {
        /// The path.
        path: PathBuf,
        /// What it is (`is a FIFO (named pipe)`, `is a folder`, ...).
        kind: &'static str,
    },
    /// The path to write names something a pipeline is not written to: a
    /// folder, a block device, a socket, a symbolic link to nothing.
    #[error(
        "{path}: {kind}; a pipeline is written to a regular file, a character device or a FIFO"
    )]
    NotWritable {
        /// The path.
        path: PathBuf,
        /// What it is (`is a folder`, ...).
        kind: &'static str,
    },
    /// The file is read-only (by its mode, or to this process): it is not
    /// replaced, as `git` and editors leave such files alone.
    #[error("{path}: the file is read-only; it is left as it is (make it writable to rewrite it)")]
    ReadOnly {
        /// The file.
        path: PathBuf,
    },
    /// The file is not valid UTF-8 text.
    #[error("{path}: not UTF-8 text (byte {offset}): a pipeline file is YAML or JSON")]
    NotText {
        /// The file.
        path: PathBuf,
        /// Where the first invalid byte is.
        offset: usize,
    },
    /// The file was read but is not a valid pipeline.
    #[error("{path}: {source}")]
    Invalid {
        /// The file.
        path: PathBuf,
        /// Every problem found.
        source: ValidationError,
    },
    /// The pipeline cannot be written in the requested format.
    #[error("{path}: {message}")]
    Unsupported {
        /// The file.
        path: PathBuf,
        /// Why.
        message: String,
    },
}

impl PipelineFile {
    /// Reads and validates pipeline text; see [`validate::validate_str`].
    pub fn from_str(text: &str, format: Format) -> Result<PipelineFile, ValidationError> {
        validate::validate_str(text, format)
    }

    /// Reads and validates a pipeline file. The format follows the file
    /// name: JSON for `.json`, YAML otherwise. The file must be a regular
    /// file of at most [`validate::MAX_FILE_SIZE`] bytes; see
    /// [`read_validated`] for its warnings, or to read stdin.
    pub fn read(path: impl AsRef<Path>) -> Result<PipelineFile, FileError> {
        read_validated(Source::File(path.as_ref())).map(|validated| validated.file)
    }

    /// The pipeline as kfp writes it to a `.yaml` file: header comment,
    /// pipeline spec, then the platform spec if it has any platform.
    ///
    /// ```
    /// use kfp_ir_schema::{PipelineFile, PipelineInfo, PipelineSpec};
    ///
    /// let file = PipelineFile {
    ///     spec: PipelineSpec {
    ///         pipeline_info: Some(PipelineInfo { name: "hello".into(), ..Default::default() }),
    ///         schema_version: "2.1.0".into(),
    ///         ..Default::default()
    ///     },
    ///     platform: None,
    ///     description: None,
    /// };
    /// let text = file.to_yaml();
    /// assert!(text.starts_with("# PIPELINE DEFINITION\n# Name: hello\n"));
    /// assert!(text.contains("pipelineInfo:\n  name: hello\nschemaVersion: 2.1.0\n"));
    /// ```
    pub fn to_yaml(&self) -> String {
        // The body is written after the header in the same string, which is
        // not copied again.
        self.dump_yaml(None).unwrap_or_else(|error| {
            debug_assert!(false, "the sections of the spec do not match: {error}");
            let header = self.header();
            let body = yaml::dump_serialize(&self.documents()).expect("IR types always serialize");
            header + &body
        })
    }

    /// Writes [`to_yaml`](Self::to_yaml)'s text to `out`, in pieces of
    /// about 64 KB, so that the whole text of a large pipeline is never in
    /// memory at once.
    ///
    /// ```
    /// use kfp_ir_schema::{PipelineFile, PipelineInfo, PipelineSpec};
    ///
    /// let file = PipelineFile {
    ///     spec: PipelineSpec {
    ///         pipeline_info: Some(PipelineInfo { name: "hello".into(), ..Default::default() }),
    ///         schema_version: "2.1.0".into(),
    ///         ..Default::default()
    ///     },
    ///     platform: None,
    ///     description: None,
    /// };
    /// let mut out = Vec::new();
    /// file.write_yaml(&mut out).unwrap();
    /// assert_eq!(String::from_utf8(out).unwrap(), file.to_yaml());
    /// ```
    ///
    /// # Errors
    /// When `out` fails.
    pub fn write_yaml(&self, out: &mut dyn Write) -> std::io::Result<()> {
        match self.dump_yaml(Some(out)) {
            Ok(_) => Ok(()),
            Err(yaml::DumpError::Io(error)) => Err(error),
            Err(yaml::DumpError::Serialize(error)) => {
                debug_assert!(false, "the sections of the spec do not match: {error}");
                Err(std::io::Error::other(error))
            }
        }
    }

    /// The spec, and the platform spec when it has settings: the YAML
    /// documents.
    fn documents(&self) -> Vec<&dyn Document> {
        let mut docs: Vec<&dyn Document> = vec![&self.spec];
        if let Some(platform) = self.platform_settings() {
            docs.push(platform);
        }
        docs
    }

    /// Writes the YAML text, header first, with the values of the spec's
    /// large maps serialized one at a time: into the string returned, or
    /// to `writer` in pieces (the string returned is then empty).
    fn dump_yaml(&self, writer: Option<&mut dyn Write>) -> Result<String, yaml::DumpError> {
        yaml::dump_sectioned(
            &self.documents(),
            SPEC_SECTIONS,
            &spec_sections(&self.spec),
            self.header(),
            writer,
        )
    }

    /// The `# PIPELINE DEFINITION` comment the YAML text starts with.
    fn header(&self) -> String {
        let fields = header_fields(&self.spec);
        match &self.description {
            Some(description) => yaml::header_with_description(&fields, Some(description)),
            None => yaml::header(&fields),
        }
    }

    /// The pipeline spec as kfp writes it to a `.json` file, or `None` when
    /// the pipeline has platform config, which kfp only writes to YAML.
    pub fn to_json(&self) -> Option<String> {
        if self.platform_settings().is_some() {
            return None;
        }
        let value = serde_json::to_value(&self.spec).expect("IR types always serialize");
        Some(crate::python_json::to_string_pretty(&value))
    }

    /// The text of this pipeline in the given format.
    pub fn to_string_as(&self, format: Format) -> Option<String> {
        match format {
            Format::Yaml => Some(self.to_yaml()),
            Format::Json => self.to_json(),
        }
    }

    /// Writes the pipeline to `path` (JSON for `.json`, YAML otherwise).
    ///
    /// A regular file is replaced atomically: the text goes to a temporary
    /// file in the same folder, which is then renamed over `path`, so a
    /// failure never leaves a half-written or truncated pipeline behind.
    /// Its mode is kept, a read-only file is refused, and a device, FIFO or
    /// symbolic link is written through, never replaced
    /// ([`write_atomically_with`] has every case).
    pub fn write(&self, path: impl AsRef<Path>) -> Result<(), FileError> {
        let path = path.as_ref();
        match Format::from_path(path) {
            Format::Yaml => write_atomically_with(path, |file| self.write_yaml(file)),
            Format::Json => {
                let text = self.to_json().ok_or_else(|| FileError::Unsupported {
                    path: path.to_owned(),
                    message: "platform-specific features (kfp-kubernetes config) can only be written to YAML; use a .yaml file".to_owned(),
                })?;
                write_atomically(path, text.as_bytes())
            }
        }
    }
}

/// Reads and validates a pipeline file from `source` ([`Source::read_text`],
/// [`Source::format`], then [`validate::validate_text`]), with the warnings
/// found in it.
///
/// # Errors
/// When the source cannot be read or is not a valid pipeline.
pub fn read_validated(source: Source<'_>) -> Result<Validated, FileError> {
    let text = source.read_text()?;
    validate::validate_text(&text, source.format(&text)).map_err(|error| FileError::Invalid {
        path: source.name().to_owned(),
        source: error,
    })
}

#[cfg(test)]
mod tests {
    #[test]
    fn python_json_escapes_non_ascii_and_sorts_keys() {
        let value = serde_json::json!({"b": "é😀", "a": [], "c": {}});
        assert_eq!(
            crate::python_json::to_string_pretty(&value),
            "{\n  \"a\": [],\n  \"b\": \"\\u00e9\\ud83d\\ude00\",\n  \"c\": {}\n}"
        );
    }
}
