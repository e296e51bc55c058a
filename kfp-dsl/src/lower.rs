//! Hands a recorded graph to `kfp-compiler` and renders the IR as kfp
//! writes pipeline files.

use kfp_compiler::graph;

use crate::cli::CompileError;

/// Compiles `pipeline` and renders it as YAML (with kfp's header comment)
/// or JSON (indented by two, keys sorted).
pub(crate) fn to_text(pipeline: &graph::Pipeline, json: bool) -> Result<String, CompileError> {
    let spec = kfp_compiler::compile(pipeline).map_err(|e| CompileError::Compile(e.to_string()))?;
    let value = serde_json::to_value(&spec).map_err(|e| CompileError::Invalid {
        pipeline: pipeline.name.clone(),
        message: e.to_string(),
    })?;
    if json {
        // `serde_json::Map` is a `BTreeMap`: keys come out sorted.
        let mut text = serde_json::to_string_pretty(&value).map_err(|e| CompileError::Invalid {
            pipeline: pipeline.name.clone(),
            message: e.to_string(),
        })?;
        text.push('\n');
        Ok(text)
    } else {
        Ok(kfp_ir_schema::yaml::to_yaml_with_header(&value, None))
    }
}
