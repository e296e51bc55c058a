//! kfp's `container_with_placeholder_in_fstring` golden: a container
//! component whose command formats placeholders into strings, as a kfp
//! f-string does (`format!("prefix-{text1}")`).

use kfp_dsl::prelude::*;

#[container_component]
pub fn container_with_placeholder_in_fstring(
    output_artifact: Output<Artifact>,
    #[kfp(default = "text!")] text1: String,
) -> ContainerSpec {
    ContainerSpec::new("registry.access.redhat.com/ubi9/python-311:latest").command((
        "my_program",
        format!("prefix-{text1}"),
        format!("{}/0", output_artifact.uri()),
    ))
}

fn main() -> std::process::ExitCode {
    kfp_dsl::main!(container_with_placeholder_in_fstring)
}
