//! kfp's `pipeline_with_dynamic_importer_metadata` golden: importers
//! whose metadata reads pipeline inputs and a task output when they run,
//! in values, in keys and formatted into text (kfp's dynamic importer
//! metadata). Each value read becomes an input of the importer
//! (`metadata`, `metadata-2`, …) whose placeholder the metadata holds;
//! `metadata_entry` adds the entries in the order of kfp's dict, which
//! decides those names.

use kfp_dsl::prelude::*;
use serde_json::json;

const DEFAULT_ARTIFACT_URI: &str = "gs://ml-pipeline-playground/shakespeare1.txt";
const DEFAULT_IMAGE_URI: &str = "us-docker.pkg.dev/vertex-ai/prediction/tf2-gpu.2-5:latest";

#[component]
fn make_name(name: String) -> String {
    name
}

#[pipeline(name = "pipeline-with-importer")]
pub fn my_pipeline(
    #[kfp(default = "default-name")] name: String,
    #[kfp(default = 1)] int_input: i64,
    #[kfp(default = DEFAULT_ARTIFACT_URI)] pipeline_input_artifact_uri: String,
    #[kfp(default = DEFAULT_IMAGE_URI)] pipeline_input_image_uri: String,
) {
    importer::<Dataset>(pipeline_input_artifact_uri)
        .reimport(false)
        .metadata_entry("name", json!([name.to_string(), "alias-name"]))
        .metadata_entry(
            "containerSpec",
            json!({"imageUri": pipeline_input_image_uri.to_string()}),
        );

    let made = make_name("a-different-name").output();

    importer::<Dataset>(DEFAULT_ARTIFACT_URI)
        .reimport(false)
        .metadata_entry("name", format!("prefix-{made}"))
        .metadata_entry(
            "list-of-data",
            json!([made.to_string(), name.to_string(), int_input.to_string()]),
        )
        .metadata_entry(made.to_string(), made.to_string())
        .metadata_entry(name.to_string(), DEFAULT_IMAGE_URI)
        .metadata_entry("containerSpec", json!({"imageUri": DEFAULT_IMAGE_URI}));
}

fn main() -> std::process::ExitCode {
    kfp_dsl::main!(my_pipeline)
}
