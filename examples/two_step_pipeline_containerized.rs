//! kfp's `two_step_pipeline_containerized` golden: two container
//! components passing a dataset. kfp compiles it with
//! `pipeline_parameters={'text': …}`, which gives the input a value without
//! making it optional; `#[kfp(argument = …)]` is the same.

use kfp_dsl::prelude::*;

#[container_component]
fn component1(text: String, output_gcs: Output<Dataset>) -> ContainerSpec {
    ContainerSpec::new("alpine")
        .command((
            "sh",
            "-c",
            "mkdir --parents $(dirname \"$1\") && echo \"$0\" > \"$1\"",
        ))
        .args((text, output_gcs.path()))
}

#[container_component]
fn component2(input_gcs: Input<Dataset>) -> ContainerSpec {
    ContainerSpec::new("alpine")
        .command(("cat",))
        .args((input_gcs.path(),))
}

#[pipeline(name = "containerized-two-step-pipeline")]
pub fn two_step_pipeline_containerized(#[kfp(argument = "Hello KFP Containerized!")] text: String) {
    let producer = component1(text);
    component2(producer.outputs().output_gcs);
}

fn main() -> std::process::ExitCode {
    kfp_dsl::main!(two_step_pipeline_containerized)
}
