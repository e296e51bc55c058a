//! kfp's `pythonic_artifacts_with_list_of_artifacts` golden: a loop whose
//! task makes a dataset and returns it (`-> Output<Dataset>`, with its
//! `length` as metadata); the datasets are gathered after the loop
//! (`collected`) into one task that joins them into the dataset it
//! returns, the pipeline's output.

use kfp_dsl::prelude::*;

// kfp's components have no docstrings, so no descriptions.
#[component]
fn make_dataset(text: String) -> anyhow::Result<Output<Dataset>> {
    let dataset = Output::<Dataset>::at(get_uri("Output")?)?;
    dataset.set_metadata("length", text.chars().count());
    std::fs::write(dataset.path(), &text)?;
    Ok(dataset)
}

// kfp's `join_datasets` returns the text, which kfp's executor writes into
// the output dataset; here the function writes it into a dataset it makes.
#[component]
fn join_datasets(datasets: Vec<Input<Dataset>>) -> anyhow::Result<Output<Dataset>> {
    let mut texts = Vec::with_capacity(datasets.len());
    for dataset in &datasets {
        texts.push(std::fs::read_to_string(dataset.path())?);
    }
    let joined = Output::<Dataset>::at(get_uri("Output")?)?;
    std::fs::write(joined.path(), texts.concat())?;
    Ok(joined)
}

#[pipeline(name = "make-and-join-datasets")]
pub fn make_and_join_datasets(
    #[kfp(default = ["Hello", ",", " ", "world!"])] texts: Vec<String>,
) -> Output<Dataset> {
    let t1 = parallel_for(texts, |text| make_dataset(text).output());
    join_datasets(collected(t1)).output()
}

fn main() -> std::process::ExitCode {
    kfp_dsl::main!(make_and_join_datasets)
}
