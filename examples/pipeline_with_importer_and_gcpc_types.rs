//! kfp's `pipeline_with_importer_and_gcpc_types` golden: an importer of a
//! Google Cloud Pipeline Components type (`google.VertexDataset`) feeding
//! a legacy (v1) component loaded from YAML, whose input of that type is
//! `kfp_dsl::google::VertexDataset`.

use kfp_dsl::google::VertexDataset;
use kfp_dsl::prelude::*;

load_component!("examples/components/consumer_op.yaml");

#[pipeline(name = "pipeline-with-importer-and-gcpc-type")]
pub fn my_pipeline() {
    let importer1 = importer::<VertexDataset>("gs://ml-pipeline-playground/shakespeare1.txt")
        .reimport(false)
        .metadata(serde_json::json!({"key": "value"}));
    consumer_op(importer1.output());
}

fn main() -> std::process::ExitCode {
    kfp_dsl::main!(my_pipeline)
}
