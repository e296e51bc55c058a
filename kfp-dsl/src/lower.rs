//! Hands a recorded graph to `kfp-compiler`, validates the IR and renders
//! it as kfp writes pipeline files.

use kfp_compiler::{Overrides, graph};
use kfp_ir_schema::PipelineFile;

use crate::cli::CompileError;

/// Compiles `pipeline`, applies `overrides` and validates the result (its
/// pipeline spec, and its platform spec when a task has Kubernetes
/// settings).
///
/// The graph is dropped as soon as it is compiled, so the memory it held
/// is reused for validating and writing (a 10,000-task pipeline holds
/// megabytes).
///
/// # Errors
/// When the compiler rejects the pipeline or an override, or the validator
/// rejects the result.
pub(crate) fn to_ir(
    pipeline: graph::Pipeline,
    overrides: &Overrides,
) -> Result<PipelineFile, CompileError> {
    let mut file =
        kfp_compiler::compile_file(&pipeline).map_err(|e| CompileError::Compile(e.to_string()))?;
    let name = pipeline.name.clone();
    drop(pipeline);
    overrides
        .apply(&mut file.spec)
        .map_err(|e| CompileError::Compile(format!("pipeline `{name}`: {e}")))?;
    kfp_ir_schema::validate::validate_spec(&file.spec, file.platform.as_ref()).map_err(|e| {
        CompileError::Invalid {
            pipeline: name,
            message: e.to_string(),
        }
    })?;
    Ok(file)
}

/// Renders a compiled pipeline as YAML (with kfp's header comment) or
/// JSON.
///
/// # Errors
/// For JSON when the pipeline has Kubernetes settings: kfp writes those
/// only to YAML, as a second document.
pub(crate) fn to_text(file: &PipelineFile, name: &str, json: bool) -> Result<String, CompileError> {
    if json {
        file.to_json().ok_or_else(|| {
            CompileError::Compile(format!(
                "pipeline `{name}` has Kubernetes settings (kfp-kubernetes), which kfp writes only \
                 to YAML, as a second document: compile it without `--json`"
            ))
        })
    } else {
        Ok(file.to_yaml())
    }
}
