//! kfp's `input_artifact` golden: a component with one input artifact,
//! compiled on its own, so the pipeline takes that artifact as its input.

use kfp_dsl::prelude::*;

#[component]
pub fn input_artifact(data: Input<Dataset>) {
    println!("uri: {}", data.uri());
    println!("path: {}", data.path().display());
    println!("metadata: {:?}", data.metadata());
}

fn main() -> std::process::ExitCode {
    kfp_dsl::main!(input_artifact)
}
