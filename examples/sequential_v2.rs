//! kfp's `sequential_v2` golden: a container component that downloads a
//! file into an output parameter (`OutputPath<String>` in `sh -c`), and one
//! that echoes it.

use kfp_dsl::prelude::*;

#[container_component]
fn download(url: String, downloaded: OutputPath<String>) -> ContainerSpec {
    ContainerSpec::new("google/cloud-sdk")
        .command(["sh", "-c"])
        .args([format!("gsutil cp {url} {downloaded}")])
}

#[container_component]
fn echo(downloaded: String) -> ContainerSpec {
    ContainerSpec::new("library/bash")
        .command(["sh", "-c"])
        .args([format!("echo {downloaded}")])
}

#[pipeline(name = "sequential")]
pub fn sequential(url: String) {
    let fetched = download(url);
    echo(fetched.outputs().downloaded);
}

fn main() -> std::process::ExitCode {
    kfp_dsl::main!(sequential)
}
