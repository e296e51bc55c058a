//! kfp's `container_component_with_no_inputs` golden: a container
//! component with neither inputs nor outputs, only a command.

use kfp_dsl::prelude::*;

#[container_component]
fn hello_world_container() -> ContainerSpec {
    ContainerSpec::new("registry.access.redhat.com/ubi9/python-311:latest")
        .command(["echo", "hello world"])
}

#[pipeline(name = "v2-container-component-no-input")]
pub fn pipeline_container_no_input() {
    hello_world_container();
}

fn main() -> std::process::ExitCode {
    kfp_dsl::main!(pipeline_container_no_input)
}
