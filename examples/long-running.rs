//! kfp's `long-running` golden (`long-running.yaml`): two container tasks
//! that each sleep five minutes, one after the other.

use kfp_dsl::prelude::*;

#[container_component]
fn wait_op() -> ContainerSpec {
    ContainerSpec::new("alpine:latest")
        .command(["sh", "-c"])
        .args(["echo step-1 sleeping for 5m; sleep 300; echo done1"])
}

#[pipeline(name = "wait-awhile")]
pub fn wait_awhile() {
    let first = wait_op();
    wait_op().after(&first);
}

fn main() -> std::process::ExitCode {
    kfp_dsl::main!(wait_awhile)
}
