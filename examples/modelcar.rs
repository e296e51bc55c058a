//! kfp's `modelcar` golden: a task that points its output model at an
//! image in an OCI registry (a "modelcar"), and a model imported from a
//! URI given as a pipeline input, whose files a task lists.

use kfp_dsl::prelude::*;

#[component]
fn build_model_car(model: Output<Model>) {
    // Simulate pushing the modelcar to an OCI registry.
    model.set_uri("oci://registry.domain.local/org/repo:v1.0");
}

#[component]
fn get_model_files_list(input_model: Input<Model>) -> Result<String, String> {
    let path = input_model.path();
    let entries = std::fs::read_dir(path)
        .map_err(|e| format!("The model does not exist at: {}: {e}", path.display()))?;
    let mut files: Vec<String> = entries
        .filter_map(|e| e.ok())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    files.sort();
    let expected = [
        "config.json",
        "model.safetensors",
        "tokenizer.json",
        "vocab.json",
    ];
    let missing: Vec<&str> = expected
        .into_iter()
        .filter(|f| !files.iter().any(|have| have == f))
        .collect();
    if !missing.is_empty() {
        return Err(format!(
            "The model does not have expected files: {}",
            missing.join(", ")
        ));
    }
    Ok(files.join(", "))
}

#[pipeline(name = "pipeline-with-modelcar-model")]
pub fn pipeline_modelcar_test(
    #[kfp(default = "oci://registry.domain.local/modelcar:test")] model_uri: String,
) {
    let model = importer::<Model>(model_uri);
    get_model_files_list(model.output()).set_caching_options(false);
    build_model_car().set_caching_options(false);
}

fn main() -> std::process::ExitCode {
    kfp_dsl::main!(pipeline_modelcar_test)
}
