//! kfp's `arguments_parameters` golden: a container component compiled on
//! its own, with a default for one input given when compiling, not in the
//! component (kfp's `pipeline_parameters`):
//!
//! ```sh
//! cargo run --example arguments_parameters -- compile --pipeline-parameters '{"param1": "hello"}'
//! ```

use kfp_dsl::prelude::*;

#[container_component]
pub fn echo(param1: String, param2: String) -> ContainerSpec {
    ContainerSpec::new("registry.access.redhat.com/ubi9/python-311:latest")
        .command(["echo"])
        .args([format!("{param1}-{param2}")])
}

fn main() -> std::process::ExitCode {
    kfp_dsl::main!(echo)
}
