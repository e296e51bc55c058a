//! The library's compile API: record a pipeline, hand its graph to
//! `kfp-compiler`, validate the IR with `kfp-ir-schema`, and give it back
//! or render it as kfp writes pipeline files. Nothing is written unless
//! every step succeeds.

use std::io::Write;
use std::path::{Path, PathBuf};

use kfp_compiler::{OverrideError, Overrides, graph};
use kfp_ir_schema::PipelineFile;
use kfp_ir_schema::file::FileError;
use kfp_ir_schema::validate::{Format, ValidationError};

use crate::recorder::Recorded;

/// A pipeline as the entry point knows it: its name and how to record it.
#[derive(Clone, Copy, Debug)]
pub struct PipelineEntry {
    /// The Rust function's name.
    pub function: &'static str,
    /// Records the pipeline's graph.
    pub record: fn() -> Recorded,
}

/// Why a pipeline could not be compiled or written.
#[derive(Debug, thiserror::Error)]
pub enum CompileError {
    /// Mistakes found while the pipeline function ran.
    #[error("the pipeline `{pipeline}` is wired wrongly:\n  - {}", .errors.join("\n  - "))]
    Wiring {
        /// The pipeline.
        pipeline: String,
        /// The mistakes.
        errors: Vec<String>,
    },
    /// The compiler rejected the graph.
    #[error(transparent)]
    Compile(#[from] kfp_compiler::CompileError),
    /// An override (another name, other input defaults) could not be
    /// applied.
    #[error("pipeline `{pipeline}`: {source}")]
    Override {
        /// The pipeline.
        pipeline: String,
        /// What is wrong with the override.
        source: OverrideError,
    },
    /// JSON was asked for a pipeline with Kubernetes settings, which kfp
    /// writes only to YAML, as a second document.
    #[error(
        "pipeline `{pipeline}` has Kubernetes settings (kfp-kubernetes), which kfp writes only \
         to YAML, as a second document: compile it without `--json`"
    )]
    KubernetesInJson {
        /// The pipeline.
        pipeline: String,
    },
    /// The compiled IR failed validation (a bug of kfp-rs: please report it).
    #[error("the IR compiled for `{pipeline}` is not valid: {source}")]
    Invalid {
        /// The pipeline.
        pipeline: String,
        /// What validation found.
        source: ValidationError,
    },
    /// Writing the file failed.
    #[error(transparent)]
    Write(#[from] FileError),
}

/// Records, compiles and validates the pipeline: the IR that
/// [`compile_to_file`] writes, for a program that wants the IR itself
/// (to inspect it, or to submit it without writing a file).
///
/// ```
/// use kfp_dsl::prelude::*;
///
/// #[container_component]
/// fn say(message: String) -> ContainerSpec {
///     ContainerSpec::new("alpine:3.20").command(("echo", message))
/// }
///
/// #[pipeline(name = "hello")]
/// fn hello(#[kfp(default = "hi")] message: String) {
///     say(message);
/// }
///
/// fn main() {
///     let file = kfp_dsl::compile(hello::ENTRY).unwrap();
///     assert_eq!(file.spec.pipeline_info.unwrap().name, "hello");
///     assert!(file.spec.components.contains_key("comp-say"));
/// }
/// ```
///
/// # Errors
/// When the pipeline is wired wrongly, or the compiler or the validator
/// rejects it.
pub fn compile(entry: PipelineEntry) -> Result<PipelineFile, CompileError> {
    compile_with(entry, &Overrides::default())
}

/// [`compile`], then `overrides` applied before validation: another name
/// or display name, or other defaults of pipeline inputs (kfp's
/// `Compiler.compile(pipeline_name=..., pipeline_display_name=...,
/// pipeline_parameters=...)`; a binary's `compile --pipeline-name`,
/// `--display-name`, `--pipeline-parameters`).
///
/// ```
/// use kfp_dsl::Overrides;
/// use kfp_dsl::prelude::*;
///
/// #[container_component]
/// fn say(message: String) -> ContainerSpec {
///     ContainerSpec::new("alpine:3.20").command(("echo", message))
/// }
///
/// #[pipeline(name = "hello")]
/// fn hello(#[kfp(default = "hi")] message: String) {
///     say(message);
/// }
///
/// fn main() {
///     let overrides = Overrides {
///         pipeline_name: Some("hello-staging".into()),
///         ..Overrides::default()
///     }
///     .parameter("message", "hi from staging");
///     let file = kfp_dsl::compile_with(hello::ENTRY, &overrides).unwrap();
///     assert_eq!(file.spec.pipeline_info.unwrap().name, "hello-staging");
///     let root = file.spec.root.unwrap().input_definitions.unwrap();
///     assert_eq!(root.parameters["message"].default_value, Some("hi from staging".into()));
/// }
/// ```
///
/// # Errors
/// As [`compile`], and when an override names no pipeline input, gives a
/// value of the wrong type, or a name kfp does not allow.
pub fn compile_with(
    entry: PipelineEntry,
    overrides: &Overrides,
) -> Result<PipelineFile, CompileError> {
    record_and_compile(entry, overrides).map(|(_, file)| file)
}

/// Records and compiles the pipeline; returns its name and its IR text
/// (YAML with kfp's header comment, or JSON).
///
/// # Errors
/// As [`compile`], and for JSON when the pipeline has Kubernetes settings.
pub fn compile_to_string(
    entry: PipelineEntry,
    json: bool,
) -> Result<(String, String), CompileError> {
    let (name, file) = record_and_compile(entry, &Overrides::default())?;
    let text = to_text(&file, &name, json)?;
    Ok((name, text))
}

/// Records, compiles and validates the pipeline, then writes it to `path`
/// (default `<pipeline-name>.yaml` or `.json` in the current folder).
/// Nothing is written when any step fails. Returns the path written.
///
/// The format is JSON when `json` is true, else the one `path`'s extension
/// names, as kfp picks it (`.json`: JSON, anything else YAML). The file is
/// written by [`kfp_ir_schema::file::write_atomically_with`]: a regular
/// file is replaced atomically keeping its mode, a device or FIFO is
/// written in place, a read-only file is refused.
///
/// # Errors
/// As [`compile_to_string`], and when the file cannot be written.
pub fn compile_to_file(
    entry: PipelineEntry,
    path: Option<&Path>,
    json: bool,
) -> Result<PathBuf, CompileError> {
    let format = json.then_some(Format::Json);
    compile_to_file_with(entry, path, format, &Overrides::default())
}

/// [`compile_to_file`] with `overrides` applied (a binary's `compile`);
/// `format` overrides the one the path's extension names.
pub(crate) fn compile_to_file_with(
    entry: PipelineEntry,
    path: Option<&Path>,
    format: Option<Format>,
    overrides: &Overrides,
) -> Result<PathBuf, CompileError> {
    let (name, file) = record_and_compile(entry, overrides)?;
    let format = format
        .or(path.map(Format::from_path))
        .unwrap_or(Format::Yaml);
    let path = path.map_or_else(|| default_file_name(&name, format), Path::to_owned);
    // Atomically: a failure never leaves a half-written pipeline behind.
    // YAML goes to the file in pieces as it is written, never whole in
    // memory.
    match format {
        Format::Json => {
            let text = to_text(&file, &name, true)?;
            kfp_ir_schema::file::write_atomically(&path, text.as_bytes())?;
        }
        Format::Yaml => {
            kfp_ir_schema::file::write_atomically_with(&path, |out| file.write_yaml(out))?;
        }
    }
    Ok(path)
}

/// Records, compiles and validates the pipeline, then writes it to stdout
/// in `format` (a binary's `compile -o -`).
pub(crate) fn compile_to_stdout(
    entry: PipelineEntry,
    format: Format,
    overrides: &Overrides,
) -> Result<(), CompileError> {
    let (name, file) = record_and_compile(entry, overrides)?;
    let mut out = std::io::stdout().lock();
    let written = match format {
        Format::Json => out.write_all(to_text(&file, &name, true)?.as_bytes()),
        Format::Yaml => file.write_yaml(&mut out),
    };
    written.and_then(|()| out.flush()).map_err(|source| {
        CompileError::Write(FileError::Io {
            path: PathBuf::from("<stdout>"),
            source,
        })
    })
}

fn default_file_name(pipeline: &str, format: Format) -> PathBuf {
    let extension = match format {
        Format::Json => "json",
        Format::Yaml => "yaml",
    };
    PathBuf::from(format!("{pipeline}.{extension}"))
}

/// [`compile_with`], with the pipeline's name in the IR (as kfp derives
/// it, and as overridden).
fn record_and_compile(
    entry: PipelineEntry,
    overrides: &Overrides,
) -> Result<(String, PipelineFile), CompileError> {
    let recorded = (entry.record)();
    if !recorded.errors.is_empty() {
        let mut errors = recorded.errors;
        for (index, call) in recorded.error_calls {
            if let Some(error) = errors.get_mut(index) {
                *error = format!("{call}: {error}");
            }
        }
        return Err(CompileError::Wiring {
            pipeline: recorded.pipeline.name.clone(),
            errors,
        });
    }
    let mut file = to_ir(recorded.pipeline, overrides)?;
    file.description = recorded.header_description;
    // The name kfp derives (`Vertex AI demo` → `vertex-ai-demo`), as
    // overridden: the IR's own.
    let name = file
        .spec
        .pipeline_info
        .as_ref()
        .map(|info| info.name.to_string())
        .unwrap_or_default();
    Ok((name, file))
}

/// Compiles `pipeline`, applies `overrides` and validates the result (its
/// pipeline spec, and its platform spec when a task has Kubernetes
/// settings).
///
/// The graph is dropped as soon as it is compiled, so the memory it held
/// is reused for validating and writing (a 10,000-task pipeline holds
/// megabytes).
fn to_ir(pipeline: graph::Pipeline, overrides: &Overrides) -> Result<PipelineFile, CompileError> {
    let mut file = kfp_compiler::compile_file(&pipeline)?;
    let name = pipeline.name.clone();
    drop(pipeline);
    overrides
        .apply(&mut file.spec)
        .map_err(|source| CompileError::Override {
            pipeline: name.clone(),
            source,
        })?;
    kfp_ir_schema::validate::validate_spec(&file.spec, file.platform.as_ref()).map_err(
        |source| CompileError::Invalid {
            pipeline: name,
            source,
        },
    )?;
    Ok(file)
}

/// Renders a compiled pipeline as YAML (with kfp's header comment) or
/// JSON; JSON only without Kubernetes settings, which kfp writes only to
/// YAML, as a second document.
fn to_text(file: &PipelineFile, name: &str, json: bool) -> Result<String, CompileError> {
    if json {
        file.to_json()
            .ok_or_else(|| CompileError::KubernetesInJson {
                pipeline: name.to_owned(),
            })
    } else {
        Ok(file.to_yaml())
    }
}
