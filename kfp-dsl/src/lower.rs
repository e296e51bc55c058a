//! Hands a recorded graph to `kfp-compiler`, validates the IR and renders
//! it as kfp writes pipeline files.

use kfp_compiler::graph;

use crate::cli::CompileError;

/// Compiles and validates `pipeline` (its pipeline spec, and its platform
/// spec when a task has Kubernetes settings), and renders it as YAML (with
/// kfp's header comment) or JSON.
///
/// The graph is dropped as soon as it is compiled, so the memory it held
/// is reused for writing (a 10,000-task pipeline holds tens of megabytes).
///
/// # Errors
/// When the compiler or the validator rejects the pipeline, and for JSON
/// when the pipeline has Kubernetes settings: kfp writes those only to
/// YAML, as a second document.
pub(crate) fn to_text(pipeline: graph::Pipeline, json: bool) -> Result<String, CompileError> {
    let file =
        kfp_compiler::compile_file(&pipeline).map_err(|e| CompileError::Compile(e.to_string()))?;
    let name = pipeline.name.clone();
    drop(pipeline);
    kfp_ir_schema::validate::validate_spec(&file.spec, file.platform.as_ref()).map_err(|e| {
        CompileError::Invalid {
            pipeline: name.clone(),
            message: e.to_string(),
        }
    })?;
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
