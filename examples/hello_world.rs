//! kfp's `hello_world` golden: a container component compiled on its own.
//!
//! `cargo run --example hello_world` writes `echo.yaml`.

use kfp_dsl::prelude::*;

// kfp's component has no docstring, so no description.
#[container_component]
pub fn echo() -> ContainerSpec {
    ContainerSpec::new("registry.access.redhat.com/ubi9/python-311:latest")
        .command(["echo"])
        .args(["hello world"])
}

fn main() -> std::process::ExitCode {
    kfp_dsl::main!(echo)
}
