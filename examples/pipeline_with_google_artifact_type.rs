//! kfp's `pipeline_with_google_artifact_type` golden: artifact types of
//! another schema (Vertex AI's `google.VertexModel` and
//! `google.VertexDataset`, declared with `kfp_dsl::artifact_type!`), one
//! written by a task, one imported.

use kfp_dsl::prelude::*;

kfp_dsl::artifact_type! {
    /// A model registered in Vertex AI.
    pub VertexModel = "google.VertexModel", "0.0.0";
}

kfp_dsl::artifact_type! {
    /// A dataset registered in Vertex AI.
    pub VertexDataset = "google.VertexDataset", "0.0.0";
}

#[component]
fn model_producer(model: Output<VertexModel>) -> std::io::Result<()> {
    std::fs::write(model.path(), "my model")
}

#[component]
fn model_consumer(model: Input<VertexModel>, dataset: Input<VertexDataset>) {
    for (kind, artifact) in [
        ("Model", (model.name(), model.uri())),
        ("Dataset", (dataset.name(), dataset.uri())),
    ] {
        println!("{kind}");
        println!("artifact.name: {}", artifact.0);
        println!("artifact.uri: {}", artifact.1);
    }
}

#[pipeline(name = "pipeline-with-google-types")]
pub fn my_pipeline() {
    let producer = model_producer();
    let importer = importer::<VertexDataset>("gs://ml-pipeline-playground/shakespeare1.txt")
        .metadata(serde_json::json!({"key": "value"}));
    model_consumer(producer.outputs().model, importer.output());
}

fn main() -> std::process::ExitCode {
    kfp_dsl::main!(my_pipeline)
}
