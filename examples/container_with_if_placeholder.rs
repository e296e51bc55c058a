//! kfp's `container_with_if_placeholder` golden: `IfPresent` placeholders.

use kfp_dsl::prelude::*;

#[container_component]
pub fn container_with_if_placeholder(
    output_path: OutputPath<String>,
    dataset: Output<Dataset>,
    #[kfp(default = "default")] optional_input: String,
) -> ContainerSpec {
    ContainerSpec::new("registry.access.redhat.com/ubi9/python-311:latest")
        .command((
            "my_program",
            if_present(&optional_input, [optional_input]).or_else(["bye"]),
            "--dataset",
            if_present(&optional_input, [dataset.uri()]).or_else(["bye"]),
        ))
        .args(("--output_path", output_path))
}

fn main() -> std::process::ExitCode {
    kfp_dsl::main!(container_with_if_placeholder)
}
