//! kfp's `container_io` golden: a container component with an input value
//! and an output parameter file.

use kfp_dsl::prelude::*;

#[container_component]
pub fn container_io(text: String, output_path: OutputPath<String>) -> ContainerSpec {
    ContainerSpec::new("registry.access.redhat.com/ubi9/python-311:latest")
        .command(("my_program", text))
        .args(("--output_path", output_path))
}

fn main() -> std::process::ExitCode {
    kfp_dsl::main!(container_io)
}
