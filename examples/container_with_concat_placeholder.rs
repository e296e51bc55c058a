//! kfp's `container_with_concat_placeholder` golden: a `Concat` placeholder.

use kfp_dsl::prelude::*;

#[container_component]
pub fn container_with_concat_placeholder(
    text1: String,
    text2: Output<Dataset>,
    output_path: OutputPath<String>,
) -> ContainerSpec {
    ContainerSpec::new("registry.access.redhat.com/ubi9/python-311:latest")
        .command(("my_program", concat(("prefix-", text1, text2.uri()))))
        .args(("--output_path", output_path))
}

fn main() -> std::process::ExitCode {
    kfp_dsl::main!(container_with_concat_placeholder)
}
