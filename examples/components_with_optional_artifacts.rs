//! kfp's `components_with_optional_artifacts` golden: optional input
//! artifacts, in a Rust-native component, in a container component (with
//! an `IfPresent` placeholder), in a pipeline used as a component and as
//! the pipeline's own input, given or left out; one is imported.

use kfp_dsl::prelude::*;

#[component]
fn python_artifact_printer(artifact: Option<Input<Artifact>>) {
    match artifact {
        Some(artifact) => {
            println!("{}", artifact.name());
            println!("{}", artifact.uri());
            println!("{:?}", artifact.metadata());
        }
        None => println!("No artifact provided!"),
    }
}

#[container_component]
fn custom_artifact_printer(artifact: Option<Input<Artifact>>) -> ContainerSpec {
    ContainerSpec::new("alpine")
        .command([if_present(&artifact, ("echo", artifact.uri()))
            .or_else(("echo", "No artifact provided!"))])
}

#[pipeline]
fn inner_pipeline(dataset: Option<Input<Dataset>>) {
    python_artifact_printer().artifact(dataset);
}

#[pipeline(name = "optional-artifact-pipeline")]
pub fn optional_artifact_pipeline(dataset1: Option<Input<Dataset>>) {
    custom_artifact_printer().artifact(dataset1);
    custom_artifact_printer();

    let imported = importer::<Dataset>("gs://ml-pipeline-playground/shakespeare1.txt");
    inner_pipeline().dataset(imported.output());
    inner_pipeline();
}

fn main() -> std::process::ExitCode {
    kfp_dsl::main!(optional_artifact_pipeline)
}
