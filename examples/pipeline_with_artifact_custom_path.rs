//! kfp's `pipeline_with_artifact_custom_path` golden: a task writes its
//! output dataset at a path of its choosing (kfp 2.15's `set_path`), and
//! the next task reads it.

use kfp_dsl::prelude::*;

#[component]
fn component_output_artifact(out_dataset: Output<Dataset>) -> Result<(), String> {
    out_dataset.set_path("/tmp/out_dataset");
    std::fs::write(out_dataset.path(), "Hello, World!").map_err(|e| e.to_string())?;
    if out_dataset.path() != std::path::Path::new("/tmp/out_dataset") {
        return Err(format!(
            "File path is {} but should be '/tmp/out_dataset'.",
            out_dataset.path().display()
        ));
    }
    Ok(())
}

#[component]
fn validate_input_artifact(in_dataset: Input<Dataset>) -> Result<bool, String> {
    let text = std::fs::read_to_string(in_dataset.path()).map_err(|e| e.to_string())?;
    for line in text.lines() {
        if line != "Hello, World!" {
            return Err(format!(
                "File content is {line} but should be 'Hello, World!'."
            ));
        }
    }
    Ok(true)
}

#[pipeline(
    name = "pipeline-with-custom-path-artifact",
    description = "pipeline with artifact with custom path"
)]
pub fn pipeline_with_artifact_custom_path() {
    let written = component_output_artifact().set_caching_options(false);
    validate_input_artifact(written.outputs().out_dataset);
}

fn main() -> std::process::ExitCode {
    kfp_dsl::main!(pipeline_with_artifact_custom_path)
}
