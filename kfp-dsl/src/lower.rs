//! Hands a recorded graph to `kfp-compiler`, validates the IR and renders
//! it as kfp writes pipeline files.

use kfp_compiler::graph;
use kfp_ir_schema::PipelineFile;

use crate::cli::CompileError;

/// Compiles and validates `pipeline`, and renders it as YAML (with kfp's
/// header comment) or JSON.
pub(crate) fn to_text(pipeline: &graph::Pipeline, json: bool) -> Result<String, CompileError> {
    let spec = kfp_compiler::compile(pipeline).map_err(|e| CompileError::Compile(e.to_string()))?;
    kfp_ir_schema::validate::validate_spec(&spec, None).map_err(|e| CompileError::Invalid {
        pipeline: pipeline.name.clone(),
        message: e.to_string(),
    })?;
    let file = PipelineFile {
        spec,
        platform: None,
    };
    if json {
        file.to_json().ok_or_else(|| {
            CompileError::Compile(
                "a pipeline with platform config can only be written as YAML".to_owned(),
            )
        })
    } else {
        Ok(file.to_yaml())
    }
}
