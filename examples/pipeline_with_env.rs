//! kfp's `pipeline_with_env` golden: environment variables on tasks.

use kfp_dsl::prelude::*;

/// Prints `ENV1`.
#[component]
fn print_env_op() {
    println!("ENV1: {}", std::env::var("ENV1").unwrap_or_default());
}

#[container_component]
fn print_env() -> ContainerSpec {
    ContainerSpec::new("alpine").command((
        "sh",
        "-c",
        "set -e -x\necho \"$ENV1\"\necho \"$ENV2\"\necho \"$ENV3\"\n",
    ))
}

#[pipeline(name = "pipeline-with-env")]
pub fn pipeline_with_env() {
    print_env_op().set_env_variable("ENV1", "val1");
    print_env()
        .set_env_variable("ENV1", "val0")
        .set_env_variable("ENV2", "val2")
        .set_env_variable("ENV3", "val3");
}

fn main() -> std::process::ExitCode {
    kfp_dsl::main!(pipeline_with_env)
}
