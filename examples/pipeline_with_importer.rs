//! kfp's `pipeline_with_importer` golden: importers (kfp's `dsl.importer`)
//! register existing datasets, one at a fixed URI with metadata, one at a
//! URI given as a pipeline input and re-imported on every run; tasks train
//! on them, the second only when the first says so.

use kfp_dsl::prelude::*;

/// What `train` gives besides its model (kfp's `NamedTuple`).
#[derive(Outputs)]
pub struct TrainOutputs {
    scalar: String,
}

/// Dummy Training step.
#[component]
fn train(dataset: Input<Dataset>, model: Output<Model>) -> std::io::Result<TrainOutputs> {
    let data = std::fs::read_to_string(dataset.path())?;
    println!("Dataset: {data}");
    std::fs::write(model.path(), format!("My model trained using data: {data}"))?;
    Ok(TrainOutputs {
        scalar: "123".to_owned(),
    })
}

#[pipeline(name = "pipeline-with-importer")]
pub fn my_pipeline(
    #[kfp(default = "gs://ml-pipeline-playground/shakespeare2.txt")] dataset2: String,
) {
    let importer1 = importer::<Dataset>("gs://ml-pipeline-playground/shakespeare1.txt")
        .reimport(false)
        .metadata(serde_json::json!({"key": "value"}));
    let train1 = train(importer1.output());
    condition(train1.output().scalar.eq("123"), || {
        let importer2 = importer::<Dataset>(dataset2).reimport(true);
        train(importer2.output());
    });
}

fn main() -> std::process::ExitCode {
    kfp_dsl::main!(my_pipeline)
}
