//! kfp's `pipeline_with_metadata_fields` golden: descriptions of inputs,
//! outputs and the pipeline, from doc comments and attributes.

use kfp_dsl::prelude::*;

/// Convert string to dataset.
#[component(image = "python:3.11")]
fn str_to_dataset(
    /// The string.
    string: String,
    /// The dataset.
    dataset: Output<Dataset>,
) -> std::io::Result<()> {
    std::fs::write(dataset.path(), string)
}

/// Concatenate dataset_a and dataset_b.
///
/// Also returns the concatenated string.
#[component(image = "python:3.11", output_description = "The concatenated string.")]
fn dataset_joiner(
    /// First dataset.
    dataset_a: Input<Dataset>,
    /// Second dataset.
    dataset_b: Input<Dataset>,
    /// The concatenated dataset.
    out_dataset: Output<Dataset>,
) -> std::io::Result<String> {
    let content_a = std::fs::read_to_string(dataset_a.path())?;
    let content_b = std::fs::read_to_string(dataset_b.path())?;
    let concatenated = content_a + &content_b;
    std::fs::write(out_dataset.path(), &concatenated)?;
    Ok(concatenated)
}

/// Pipeline for concatenating strings.
#[pipeline(
    name = "dataset-concatenator",
    description = "A pipeline that joins string to in_dataset.",
    output_description = "The final concatenated dataset."
)]
pub fn dataset_concatenator(
    /// String to concatenate to in_artifact.
    string: String,
    /// Dataset to which to concatenate string.
    in_dataset: Input<Dataset>,
) -> Output<Dataset> {
    let first = str_to_dataset(string);
    dataset_joiner(first.outputs().dataset, in_dataset)
        .outputs()
        .out_dataset
}

fn main() -> std::process::ExitCode {
    kfp_dsl::main!(dataset_concatenator)
}
