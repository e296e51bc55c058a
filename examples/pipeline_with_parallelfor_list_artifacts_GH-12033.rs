//! kfp's `pipeline_with_parallelfor_list_artifacts_GH-12033` golden: loops
//! over lists of artifacts (kfp's `artifactIterator`, kfp issue 12033).
//! Two sub-pipelines each make one artifact per text in a loop and return
//! them collected (`Vec<Output<Artifact>>`, `Vec<Output<Dataset>>`); the
//! pipeline loops over each list, giving every artifact, in turn, to a task
//! that prints its name.

use kfp_dsl::prelude::*;

// kfp's components have no docstrings, so no descriptions.
#[component]
fn make_artifact(data: String) -> anyhow::Result<Output<Artifact>> {
    let artifact = Output::<Artifact>::at(get_uri("Output")?)?;
    artifact.set_metadata("length", data.chars().count());
    std::fs::write(artifact.path(), &data)?;
    Ok(artifact)
}

#[component]
fn make_dataset(data: String) -> anyhow::Result<Output<Dataset>> {
    let dataset = Output::<Dataset>::at(get_uri("Output")?)?;
    dataset.set_metadata("length", data.chars().count());
    std::fs::write(dataset.path(), &data)?;
    Ok(dataset)
}

#[component]
fn print_artifact_name(artifact: Input<Artifact>) -> String {
    println!("{}", artifact.name());
    artifact.name().to_owned()
}

#[pipeline]
pub fn make_artifacts(
    #[kfp(default = ["Hello", ",", " ", "world!"])] texts: Vec<String>,
) -> Vec<Output<Artifact>> {
    collected(parallel_for(texts, |text| make_artifact(text).output()))
}

#[pipeline]
pub fn make_datasets(
    #[kfp(default = ["Hello", ",", " ", "world!"])] texts: Vec<String>,
) -> Vec<Output<Dataset>> {
    collected(parallel_for(texts, |text| make_dataset(text).output()))
}

#[pipeline(name = "pipeline-parallelfor-artifacts")]
pub fn pipeline_parallelfor_artifacts() {
    // Each item is one artifact of the list, given to an `Artifact` input
    // (a `Dataset` too: an `Input<Artifact>` accepts any artifact).
    parallel_for(make_artifacts().output(), |artifact| {
        print_artifact_name(artifact);
    });
    parallel_for(make_datasets().output(), |dataset| {
        print_artifact_name(dataset);
    });
}

fn main() -> std::process::ExitCode {
    kfp_dsl::main!(pipeline_parallelfor_artifacts)
}
