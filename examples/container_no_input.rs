//! kfp's `container_no_input` golden: a container component without inputs.

use kfp_dsl::prelude::*;

#[container_component]
pub fn container_no_input() -> ContainerSpec {
    ContainerSpec::new("registry.access.redhat.com/ubi9/python-311:latest")
        .command(["echo", "hello world"])
}

fn main() -> std::process::ExitCode {
    kfp_dsl::main!(container_no_input)
}
