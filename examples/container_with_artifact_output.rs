//! kfp's `container_with_artifact_output` golden: a container component
//! that writes a model artifact (by URI, with its metadata) and an output
//! parameter file, compiled on its own.

use kfp_dsl::prelude::*;

#[container_component]
pub fn container_with_artifact_output(
    num_epochs: i64,
    model: Output<Model>,
    model_config_path: OutputPath<String>,
) -> ContainerSpec {
    ContainerSpec::new("gcr.io/my-image")
        .command(["sh", "run.sh"])
        .args((
            "--epochs",
            num_epochs,
            "--model_path",
            model.uri(),
            "--model_metadata",
            model.metadata(),
            "--model_config_path",
            model_config_path,
        ))
}

fn main() -> std::process::ExitCode {
    kfp_dsl::main!(container_with_artifact_output)
}
