//! kfp's `pythonic_artifacts_with_multiple_returns` golden: components that
//! make their artifacts and return them, one (`-> Output<Artifact>`) or two
//! as named outputs (a `#[derive(Outputs)]` struct of `Output<Dataset>`s,
//! kfp's `NamedTuple` of `Dataset`s); a sub-pipeline passes them up (both
//! from `dataset1`, as kfp's pipeline does) and the pipeline returns the
//! first.

use kfp_dsl::prelude::*;

/// The two halves of a dataset.
#[derive(Outputs)]
pub struct Halves {
    dataset1: Output<Dataset>,
    dataset2: Output<Dataset>,
}

// kfp's components have no docstrings, so no descriptions.
#[component]
fn dataset_splitter(in_dataset: Input<Dataset>) -> anyhow::Result<Halves> {
    let in_data: Vec<char> = std::fs::read_to_string(in_dataset.path())?
        .chars()
        .collect();
    let (out_data1, out_data2) = in_data.split_at(in_data.len() / 2);

    let half = |suffix: &str, data: &[char]| -> anyhow::Result<Output<Dataset>> {
        let dataset = Output::<Dataset>::at(get_uri(suffix)?)?;
        dataset.set_metadata("original_data", in_dataset.name());
        std::fs::write(dataset.path(), data.iter().collect::<String>())?;
        Ok(dataset)
    };
    Ok(Halves {
        dataset1: half("dataset1", out_data1)?,
        dataset2: half("dataset2", out_data2)?,
    })
}

#[pipeline]
fn splitter_pipeline(in_dataset: Input<Dataset>) -> Halves {
    let task = dataset_splitter(in_dataset);
    HalvesHandles {
        dataset1: task.output().dataset1,
        dataset2: task.output().dataset1,
    }
}

#[component]
fn make_dataset() -> anyhow::Result<Output<Artifact>> {
    let artifact = Output::<Artifact>::at(get_uri("dataset")?)?;
    std::fs::write(artifact.path(), "Hello, world")?;
    Ok(artifact)
}

#[pipeline(name = "split-datasets-and-return-first")]
pub fn split_datasets_and_return_first() -> Output<Dataset> {
    let t1 = make_dataset();
    splitter_pipeline(t1.output()).output().dataset1
}

fn main() -> std::process::ExitCode {
    kfp_dsl::main!(split_datasets_and_return_first)
}
