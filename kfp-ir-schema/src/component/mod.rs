//! Components read from files, as kfp's `load_component_from_file`,
//! `load_component_from_text` and `load_component_from_url` read them
//! (`kfp/components/load_yaml_utilities.py`,
//! `kfp/dsl/structures.py::ComponentSpec.from_yaml_documents`).
//!
//! A component file is one of:
//!
//! * a compiled v2 IR **component**: a pipeline file holding one component
//!   compiled on its own (kfp's `Compiler().compile(component)`), whose
//!   `comp-<name>` and `exec-<name>` are the component and its container;
//! * a compiled v2 IR **pipeline** (any other pipeline file), used as a
//!   nested pipeline: its whole spec, and its platform spec, are merged into
//!   the pipeline that uses it;
//! * a legacy **v1 component** (`name`, `inputs`, `outputs`,
//!   `implementation.container`), converted as kfp converts it (names
//!   sanitized, types mapped, defaults cast, placeholders converted: see
//!   `component/v1.rs`).
//!
//! A file is v1 when its first document has an `implementation` key, as
//! kfp decides. Whatever the format, the result is a [`LoadedComponent`]:
//! its name, its inputs and outputs in IR terms, and its container or
//! pipeline. Every problem is reported with its line, as validation
//! reports it ([`ValidationError`]); a v2 file is validated in full first.
//!
//! A file fetched by `kfp component fetch` records where it came from and
//! its sha256 in its header comment ([`provenance`]); loading it checks
//! that the rest of the file still has that digest.
//!
//! ```
//! use kfp_ir_schema::component::{self, ComponentInput, Implementation};
//!
//! let text = "
//! name: Print text
//! inputs:
//! - {name: text, type: String}
//! implementation:
//!   container:
//!     image: alpine
//!     command: [echo, {inputValue: text}]
//! ";
//! let loaded = component::load_str(text).unwrap();
//! assert_eq!(loaded.name, "Print text");
//! assert!(matches!(loaded.inputs[0].1, ComponentInput::Parameter(_)));
//! let Implementation::Container(container) = &loaded.implementation else { panic!() };
//! assert_eq!(container.command[1], "{{$.inputs.parameters['text']}}");
//! ```

mod ir;
pub mod provenance;
mod v1;

use serde_json::Value;

use crate::diagnostic::Document;
use crate::pipeline_file::PipelineFile;
use crate::pipeline_spec::{
    ArtifactTypeKind, ArtifactTypeSchema, ComponentInputArtifactSpec, ComponentInputParameterSpec,
    ComponentOutputArtifactSpec, ComponentOutputParameterSpec, ParameterType,
    PipelineContainerSpec,
};
use crate::validate::{MAX_FILE_SIZE, ValidationError, too_large};
use crate::{CompactString, yaml};

/// A component read from a file.
#[derive(Clone, Debug, PartialEq)]
pub struct LoadedComponent {
    /// Its name as the file gives it (`pipelineInfo.name`, or a v1 file's
    /// `name`). kfp names its tasks after it with `maybe_rename_for_k8s`.
    pub name: String,
    /// Its description: a v1 file's `description`, or the description of a
    /// v2 file's header comment or `pipelineInfo`.
    pub description: Option<String>,
    /// Its inputs in the order kfp reads them: a v1 file's `inputs` in
    /// order; for IR, the parameters, then the artifacts, each by name.
    pub inputs: Vec<(CompactString, ComponentInput)>,
    /// Its outputs, in the same order.
    pub outputs: Vec<(CompactString, ComponentOutput)>,
    /// How it runs.
    pub implementation: Implementation,
    /// What the file was.
    pub format: Format,
}

/// One input of a [`LoadedComponent`].
#[derive(Clone, Debug, PartialEq)]
pub enum ComponentInput {
    /// An input parameter: its type, default and whether it is optional.
    Parameter(ComponentInputParameterSpec),
    /// An input artifact.
    Artifact(ComponentInputArtifactSpec),
}

/// One output of a [`LoadedComponent`].
#[derive(Clone, Debug, PartialEq)]
pub enum ComponentOutput {
    /// An output parameter.
    Parameter(ComponentOutputParameterSpec),
    /// An output artifact.
    Artifact(ComponentOutputArtifactSpec),
}

/// How a [`LoadedComponent`] runs.
#[derive(Clone, Debug, PartialEq)]
pub enum Implementation {
    /// A container: its image, command, args (with placeholders, as kfp
    /// writes them) and environment.
    Container(PipelineContainerSpec),
    /// A whole pipeline, used as a nested pipeline: kfp merges its
    /// components, executors and platform spec into the outer pipeline's.
    Pipeline(Box<PipelineFile>),
}

/// The format of a component file.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    /// Compiled v2 IR (a component or a pipeline).
    Ir,
    /// A legacy v1 component.
    V1,
}

impl ComponentInput {
    /// Whether a task may leave the input unset: it is optional or has a
    /// default.
    pub fn is_optional(&self) -> bool {
        match self {
            ComponentInput::Parameter(p) => p.is_optional || p.default_value.is_some(),
            ComponentInput::Artifact(a) => a.is_optional,
        }
    }

    /// The input's description (empty when it has none).
    pub fn description(&self) -> &str {
        match self {
            ComponentInput::Parameter(p) => &p.description,
            ComponentInput::Artifact(a) => &a.description,
        }
    }
}

impl ComponentOutput {
    /// The output's description (empty when it has none).
    pub fn description(&self) -> &str {
        match self {
            ComponentOutput::Parameter(p) => &p.description,
            ComponentOutput::Artifact(a) => &a.description,
        }
    }
}

/// The schema title of an artifact type (`system.Artifact` when it names
/// none, as kfp reads it).
pub fn schema_title(artifact_type: Option<&ArtifactTypeSchema>) -> &str {
    match artifact_type.and_then(|t| t.kind.as_ref()) {
        Some(ArtifactTypeKind::SchemaTitle(title)) => title,
        _ => "system.Artifact",
    }
}

/// Reads a component file's bytes: UTF-8 text, then [`load_str`].
///
/// # Errors
/// When the bytes are not UTF-8, or as [`load_str`].
pub fn load_bytes(bytes: &[u8]) -> Result<LoadedComponent, ValidationError> {
    if bytes.len() > MAX_FILE_SIZE {
        return Err(too_large(Some(bytes.len() as u64)));
    }
    let text = std::str::from_utf8(bytes).map_err(|e| {
        ValidationError::one(
            Document::File,
            "",
            None,
            format!("not UTF-8 text: invalid byte at offset {}", e.valid_up_to()),
        )
    })?;
    load_str(text)
}

/// Reads a component file's text: a compiled v2 component or pipeline, or
/// a legacy v1 component.
///
/// # Errors
/// Every problem of the file, each with its line when known: not YAML;
/// not one or two documents; a v2 file that does not validate, or whose
/// component is not a container; a v1 file that kfp cannot convert (an
/// unknown field or placeholder, a placeholder naming no input or output
/// of its kind, a default of the wrong type); a fetched file changed since
/// it was fetched.
pub fn load_str(text: &str) -> Result<LoadedComponent, ValidationError> {
    if text.len() > MAX_FILE_SIZE {
        return Err(too_large(Some(text.len() as u64)));
    }
    provenance::verify(text)?;
    let mut documents = yaml::load(text).map_err(|e| {
        ValidationError::one(
            Document::File,
            "",
            Some(e.position),
            format!("not valid YAML: {}", e.kind),
        )
    })?;
    match documents.len() {
        0 => Err(ValidationError::one(
            Document::File,
            "",
            None,
            "the file holds no document: expected a component".to_owned(),
        )),
        1 | 2 => {
            let first = &documents[0].value;
            let is_v1 = first
                .as_object()
                .is_some_and(|o| o.contains_key("implementation"));
            if is_v1 {
                if documents.len() == 2 {
                    return Err(ValidationError::one(
                        Document::File,
                        "",
                        None,
                        "a v1 component is one YAML document; this file has two".to_owned(),
                    ));
                }
                v1::convert(documents.swap_remove(0))
            } else {
                ir::from_text(text)
            }
        }
        n => Err(ValidationError::one(
            Document::File,
            "",
            None,
            format!("expected one or two YAML documents in a component file, as kfp does; got {n}"),
        )),
    }
}

/// The parameter type of a parameter's JSON value kind, for messages.
pub(crate) fn value_kind(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "a list",
        Value::Object(_) => "a mapping",
    }
}

/// Whether `kind` is a parameter type a task can be given: everything but
/// `TASK_CONFIG` (and the unset type).
pub(crate) fn loadable_parameter(kind: ParameterType) -> bool {
    !matches!(kind, ParameterType::TaskConfig | ParameterType::Unspecified)
}
