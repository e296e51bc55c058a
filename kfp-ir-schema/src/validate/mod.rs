//! Validation of pipeline files: the JSON Schema plus the rules the KFP backend
//! applies, with every problem reported at once.
//!
//! A file goes through three stages, and every problem of a stage is
//! reported before the file is rejected:
//!
//! 1. **Reading.** The text must be YAML (or JSON) of at most
//!    [`MAX_FILE_SIZE`] bytes, the KFP API server's upload limit, holding at
//!    least one document. No key may be given twice in one mapping or
//!    object, in YAML or in JSON.
//! 2. **Schema.** The first document must match the `PipelineSpec` schema and
//!    every further document the `PlatformSpec` schema ([`crate::schema`]):
//!    no unknown field, no wrong type or enum value, at most one member of
//!    each proto `oneof`. This is what the backend's `protojson.Unmarshal`
//!    enforces.
//! 3. **Rules.** What the backend checks on upload and at compile time, and
//!    what would make a run fail before any task starts (listed in `validate/rules.rs`).
//!
//! The rules also give warnings
//! ([`Severity::Warning`](crate::diagnostic::Severity::Warning)): what the
//! backend accepts but almost certainly is a mistake. A file with warnings
//! alone is valid ([`validate_text`] returns them beside it); when it has
//! errors, its warnings are listed among them.

mod rules;
mod schema_check;
mod strict_json;
mod unchecked;

pub use rules::{injected_by_kfp, valid_pipeline_name};
pub use unchecked::UncheckedFile;

use serde_json::Value;

use crate::diagnostic::{Diagnostic, Document, JsonPointer};
use crate::pipeline_file::PipelineFile;
use crate::pipeline_spec::{PipelineSpec, PlatformSpec};
use crate::schema::SchemaKind;
use crate::yaml::{self, Position};

pub(crate) use crate::suggest::did_you_mean;

/// The largest file the validator reads: the KFP API server refuses uploads
/// over 32 MiB (`MaxFileLength` in the backend).
pub const MAX_FILE_SIZE: usize = 32 << 20;

/// The format of a pipeline file's text.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    /// YAML, as kfp writes it: one `PipelineSpec` document, then optionally a
    /// `PlatformSpec` document.
    Yaml,
    /// JSON: a single `PipelineSpec` object.
    Json,
}

impl Format {
    /// The format a file name suggests: JSON for `.json`, YAML otherwise
    /// (kfp writes JSON to `.json` files and YAML to `.yaml` and `.yml`).
    pub fn from_path(path: &std::path::Path) -> Format {
        match path.extension().and_then(|e| e.to_str()) {
            Some(e) if e.eq_ignore_ascii_case("json") => Format::Json,
            _ => Format::Yaml,
        }
    }

    /// The format of text that has no file name (stdin): JSON when its
    /// first character other than white space is `{`, YAML otherwise. kfp
    /// writes JSON as one object, and YAML as a mapping in block style, so
    /// a pipeline file written by kfp is always told apart.
    ///
    /// ```
    /// use kfp_ir_schema::validate::Format;
    /// assert_eq!(Format::sniff("\n  {\"pipelineInfo\": {}}"), Format::Json);
    /// assert_eq!(Format::sniff("# PIPELINE DEFINITION\ncomponents: {}\n"), Format::Yaml);
    /// ```
    pub fn sniff(text: &str) -> Format {
        match text.trim_start().as_bytes().first() {
            Some(b'{') => Format::Json,
            _ => Format::Yaml,
        }
    }
}

/// Every problem found in a pipeline file that is not valid: at least one
/// error, and the warnings found beside them.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("{}", render(.diagnostics))]
pub struct ValidationError {
    /// The problems, in document and path order.
    pub diagnostics: Vec<Diagnostic>,
}

/// A pipeline file that passed validation, and the warnings found in it.
#[derive(Clone, Debug, PartialEq)]
pub struct Validated {
    /// The pipeline.
    pub file: PipelineFile,
    /// What the backend accepts but is almost certainly a mistake
    /// ([`Severity::Warning`](crate::diagnostic::Severity::Warning)), in
    /// document and line order.
    pub warnings: Vec<Diagnostic>,
}

fn render(diagnostics: &[Diagnostic]) -> String {
    let mut text = match diagnostics.len() {
        1 => "1 problem:".to_owned(),
        n => format!("{n} problems:"),
    };
    for d in diagnostics {
        text.push_str("\n  ");
        text.push_str(&d.to_string());
    }
    text
}

/// Sorts diagnostics by document, line and path.
fn sort(diagnostics: &mut [Diagnostic]) {
    diagnostics
        .sort_by(|a, b| (a.document, a.location, &a.path).cmp(&(b.document, b.location, &b.path)));
}

impl ValidationError {
    pub(crate) fn new(mut diagnostics: Vec<Diagnostic>) -> ValidationError {
        sort(&mut diagnostics);
        ValidationError { diagnostics }
    }

    pub(crate) fn one(
        document: Document,
        path: &str,
        location: Option<Position>,
        message: String,
    ) -> Self {
        let mut d = Diagnostic::new(document, path, message);
        d.location = location;
        ValidationError::new(vec![d])
    }
}

/// The error for a file over [`MAX_FILE_SIZE`], of `size` bytes when its
/// size is known (a stream is read up to one byte over the limit).
pub(crate) fn too_large(size: Option<u64>) -> ValidationError {
    let size = match size {
        Some(size) => format!("{size} bytes"),
        None => format!("more than {MAX_FILE_SIZE} bytes"),
    };
    ValidationError::one(
        Document::File,
        "",
        None,
        format!(
            "the file is {size}; the KFP API server accepts pipeline files of at most {MAX_FILE_SIZE} bytes (32 MiB)"
        ),
    )
}

/// One parsed document and a way to find the source line of a JSON path.
struct Parsed {
    value: Value,
    index: Option<yaml::LineIndex>,
}

impl Parsed {
    fn locate(&self, pointer: &str) -> Option<Position> {
        self.index
            .as_ref()
            .and_then(|index| index.nearest_position(pointer))
    }
}

/// Reads and validates a pipeline file's text; its warnings are dropped
/// ([`validate_text`] keeps them).
///
/// ```
/// use kfp_ir_schema::validate::{Format, validate_str};
///
/// let err = validate_str("pipelineInfo: {name: Bad_Name}\nschemaVersion: 2.0.0\n", Format::Yaml)
///     .unwrap_err();
/// let text = err.to_string();
/// assert!(text.contains("/schemaVersion"), "{text}");
/// assert!(text.contains("/pipelineInfo/name"), "{text}");
/// ```
pub fn validate_str(text: &str, format: Format) -> Result<PipelineFile, ValidationError> {
    validate_text(text, format).map(|validated| validated.file)
}

/// Reads and validates a pipeline file's text, as [`validate_str`] does,
/// and gives the warnings found beside the pipeline.
///
/// ```
/// use kfp_ir_schema::validate::{Format, validate_text};
///
/// let text = "
/// components:
///   comp-train:
///     executorLabel: exec-train
///     inputDefinitions: {parameters: {epochs: {parameterType: NUMBER_INTEGER}}}
/// deploymentSpec: {executors: {exec-train: {container: {image: alpine}}}}
/// pipelineInfo: {name: p}
/// root:
///   dag:
///     tasks:
///       train:
///         componentRef: {name: comp-train}
///         inputs:
///           parameters:
///             epochs: {runtimeValue: {constant: 3}}
///             epoch: {runtimeValue: {constant: 3}}
///         taskInfo: {name: train}
/// schemaVersion: 2.1.0
/// ";
/// let validated = validate_text(text, Format::Yaml).unwrap();
/// let warning = validated.warnings[0].to_string();
/// assert!(warning.contains("has no input parameter `epoch` (did you mean `epochs`?)"), "{warning}");
/// ```
pub fn validate_text(text: &str, format: Format) -> Result<Validated, ValidationError> {
    if text.len() > MAX_FILE_SIZE {
        return Err(too_large(Some(text.len() as u64)));
    }
    let documents = parse(text, format)?;
    let mut validated = validate_documents(documents)?;
    if format == Format::Yaml {
        let file = &mut validated.file;
        let info = file.spec.pipeline_info.as_ref();
        file.description = yaml::header_description(text)
            .filter(|d| info.is_none_or(|i| i.description != d.as_str()));
    }
    Ok(validated)
}

/// Validates a pipeline built in memory, as the compiler does before it
/// writes anything: the backend's rules (names, references, producers,
/// cycles, platform executors, …), each problem with its JSON pointer.
///
/// The JSON Schema is not checked again here: it is generated from these
/// very types (schemars), so the JSON of any value of them satisfies it.
/// That is an invariant of this crate, not a property of the input, so
/// debug builds assert it (every test that compiles a pipeline checks it)
/// and `tests/conformance.rs` checks it for every golden file. Skipping the
/// JSON tree keeps compiling a 2000-task pipeline fast.
///
/// ```
/// use kfp_ir_schema::validate::validate_spec;
/// use kfp_ir_schema::{PipelineInfo, PipelineSpec};
///
/// let spec = PipelineSpec {
///     pipeline_info: Some(PipelineInfo { name: "Not A Name".into(), ..Default::default() }),
///     schema_version: "2.1.0".into(),
///     ..Default::default()
/// };
/// let err = validate_spec(&spec, None).unwrap_err();
/// assert!(err.to_string().contains("/pipelineInfo/name"), "{err}");
/// ```
pub fn validate_spec(
    spec: &PipelineSpec,
    platform: Option<&PlatformSpec>,
) -> Result<(), ValidationError> {
    #[cfg(debug_assertions)]
    assert_schema_holds(spec, platform);
    check_rules(spec, platform, &[]).map(drop)
}

/// Panics if the JSON of `spec` and `platform` breaks the schema generated
/// from their types: a bug in this crate (see [`validate_spec`]).
#[cfg(debug_assertions)]
fn assert_schema_holds(spec: &PipelineSpec, platform: Option<&PlatformSpec>) {
    let to_value = |v: serde_json::Result<Value>| Parsed {
        value: v.expect("IR types always serialize"),
        index: None,
    };
    let mut documents = vec![to_value(serde_json::to_value(spec))];
    documents.extend(platform.map(|p| to_value(serde_json::to_value(p))));
    if let Err(e) = check_schema(&documents) {
        panic!("kfp-ir-schema bug: IR types wrote JSON that their own schema refuses:\n{e}");
    }
}

fn parse(text: &str, format: Format) -> Result<Vec<Parsed>, ValidationError> {
    let documents: Vec<Parsed> = match format {
        Format::Json => {
            let value: Value = strict_json::from_str(text).map_err(|e| {
                ValidationError::one(
                    Document::File,
                    "",
                    Some(Position {
                        line: e.line(),
                        column: e.column(),
                    }),
                    format!("not valid JSON: {e}"),
                )
            })?;
            vec![Parsed { value, index: None }]
        }
        Format::Yaml => yaml::load(text)
            .map_err(|e| {
                ValidationError::one(
                    Document::File,
                    "",
                    Some(e.position),
                    format!("not valid YAML: {}", e.kind),
                )
            })?
            .into_iter()
            .map(|d| Parsed {
                value: d.value,
                index: Some(d.index),
            })
            .collect(),
    };
    if documents.is_empty() {
        return Err(ValidationError::one(
            Document::File,
            "",
            None,
            "the file holds no document: expected a PipelineSpec".to_owned(),
        ));
    }
    Ok(documents)
}

fn document_of(position: usize) -> Document {
    match position {
        0 => Document::PipelineSpec,
        n => Document::PlatformSpec { index: n + 1 },
    }
}

fn validate_documents(mut documents: Vec<Parsed>) -> Result<Validated, ValidationError> {
    check_schema(&documents)?;

    // The schema and the types agree (a test checks the schema is generated
    // from them), so reading the typed form only fails on what the schema
    // cannot say; report that at its path all the same.
    let spec: PipelineSpec = typed(&mut documents[0], Document::PipelineSpec)?;
    let mut platform: Option<PlatformSpec> = None;
    for (position, parsed) in documents.iter_mut().enumerate().skip(1) {
        let next: PlatformSpec = typed(parsed, document_of(position))?;
        match &mut platform {
            None => platform = Some(next),
            // As protobuf's MergeFrom: map entries of a later document replace
            // those of an earlier one.
            Some(merged) => merged.platforms.extend(next.platforms),
        }
    }

    let warnings = check_rules(&spec, platform.as_ref(), &documents)?;
    Ok(Validated {
        file: PipelineFile {
            spec,
            platform,
            description: None,
        },
        warnings,
    })
}

/// Stage 2: the schema, for every document.
fn check_schema(documents: &[Parsed]) -> Result<(), ValidationError> {
    let mut diagnostics = Vec::new();
    for (position, parsed) in documents.iter().enumerate() {
        let kind = if position == 0 {
            SchemaKind::PipelineSpec
        } else {
            SchemaKind::PlatformSpec
        };
        let document = document_of(position);
        for mut d in schema_check::check(kind, document, &parsed.value) {
            d.location = parsed.locate(&d.path);
            diagnostics.push(d);
        }
    }
    if diagnostics.is_empty() {
        Ok(())
    } else {
        Err(ValidationError::new(diagnostics))
    }
}

/// Stage 3: the rules, located in the documents they came from. Returns
/// the warnings when there is no error.
fn check_rules(
    spec: &PipelineSpec,
    platform: Option<&PlatformSpec>,
    documents: &[Parsed],
) -> Result<Vec<Diagnostic>, ValidationError> {
    let mut diagnostics = rules::check(spec, platform);
    for d in &mut diagnostics {
        if let Some(parsed) = documents.get(match d.document {
            Document::PlatformSpec { index } => index - 1,
            _ => 0,
        }) {
            d.location = parsed.locate(&d.path);
        }
    }
    if diagnostics.iter().any(Diagnostic::is_error) {
        return Err(ValidationError::new(diagnostics));
    }
    sort(&mut diagnostics);
    Ok(diagnostics)
}

fn typed<T: serde::de::DeserializeOwned>(
    parsed: &mut Parsed,
    document: Document,
) -> Result<T, ValidationError> {
    // The value is moved into the typed form (its strings are reused, not
    // copied, and the JSON tree is not freed afterwards): the schema passed,
    // so this nearly always succeeds, and it tracks the path only to say
    // where when it does not.
    let value = std::mem::take(&mut parsed.value);
    serde_path_to_error::deserialize(value).map_err(|e| {
        let mut pointer = JsonPointer::root();
        for segment in e.path().iter() {
            pointer = match segment {
                serde_path_to_error::Segment::Seq { index } => pointer.join(index),
                serde_path_to_error::Segment::Map { key } => pointer.join(key),
                serde_path_to_error::Segment::Enum { variant } => pointer.join(variant),
                serde_path_to_error::Segment::Unknown => pointer,
            };
        }
        let path = pointer.as_str().to_owned();
        let location = parsed.locate(&path);
        ValidationError::one(document, &path, location, e.inner().to_string())
    })
}
