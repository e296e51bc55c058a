//! kfp's `component_with_metadata_fields` golden: a component compiled on
//! its own keeps the descriptions of its inputs and outputs.

use kfp_dsl::prelude::*;

/// Concatenate dataset_a and dataset_b.
///
/// Also returns the concatenated string.
#[component(image = "python:3.11", output_description = "The concatenated string.")]
pub fn dataset_joiner(
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

fn main() -> std::process::ExitCode {
    kfp_dsl::main!(dataset_joiner)
}
