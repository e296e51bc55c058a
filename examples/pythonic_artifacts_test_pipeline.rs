//! kfp's `critical/pythonic_artifacts_test_pipeline` golden: a task makes a
//! dataset with `length` metadata and returns it (`-> Output<Dataset>`);
//! the next task checks both the text and the metadata it receives, then
//! returns the model it makes. Caching off on both.

use kfp_dsl::prelude::*;

// kfp's components have no docstrings, so no descriptions.
#[component]
fn gen_data() -> anyhow::Result<Output<Dataset>> {
    let dataset = Output::<Dataset>::at(get_uri("Output")?)?;
    std::fs::write(dataset.path(), "some data")?;

    dataset.set_metadata("length", "some data".len());
    Ok(dataset)
}

#[component]
fn train_model(dataset: Input<Dataset>) -> anyhow::Result<Output<Model>> {
    let lines = std::fs::read_to_string(dataset.path())?;

    anyhow::ensure!(lines == "some data", "the dataset holds {lines:?}");
    // A number in metadata may come back as a float (`9.0`: a protobuf
    // `Struct` holds doubles), which Python's `==` takes as equal to `9`.
    let length = dataset.metadata().get("length").and_then(|l| l.as_f64());
    anyhow::ensure!(
        length == Some("some data".len() as f64),
        "the dataset's `length` is {length:?}"
    );

    let model_artifact = Output::<Model>::at(get_uri("model")?)?;
    std::fs::write(model_artifact.path(), "model trained")?;

    Ok(model_artifact)
}

#[pipeline(name = "pythonic-artifacts-test")]
pub fn pythonic_artifacts_test_pipeline() {
    let t1 = gen_data().set_caching_options(false);
    train_model(t1.output()).set_caching_options(false);
}

fn main() -> std::process::ExitCode {
    kfp_dsl::main!(pythonic_artifacts_test_pipeline)
}
