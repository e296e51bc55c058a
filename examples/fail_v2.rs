//! kfp's `failing/fail_v2` golden: a pipeline whose one task fails (a
//! Rust-native component that returns an error).

use kfp_dsl::prelude::*;

#[component]
fn fail() -> Result<(), String> {
    Err("failing on purpose".to_owned())
}

#[pipeline(name = "fail-pipeline")]
pub fn fail_pipeline() {
    fail();
}

fn main() -> std::process::ExitCode {
    kfp_dsl::main!(fail_pipeline)
}
