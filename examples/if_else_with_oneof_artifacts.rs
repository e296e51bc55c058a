//! kfp's `if_else_with_oneof_artifacts` golden: an If/Else chain whose
//! branches each write an artifact; the artifact of the branch that ran
//! feeds a task and is the sub-pipeline's output.

use kfp_dsl::prelude::*;

/// The nanoseconds of the clock: chance enough for these examples.
fn clock_nanos() -> u32 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.subsec_nanos())
}

#[component]
fn flip_coin() -> String {
    if clock_nanos().is_multiple_of(2) {
        "heads"
    } else {
        "tails"
    }
    .to_owned()
}

#[component]
fn param_to_artifact(val: String, a: Output<Artifact>) -> std::io::Result<()> {
    std::fs::write(a.path(), val)
}

#[component]
fn print_artifact(a: Input<Artifact>) -> std::io::Result<()> {
    println!("{}", std::fs::read_to_string(a.path())?);
    Ok(())
}

#[pipeline]
fn flip_coin_pipeline() -> Output<Artifact> {
    let side = flip_coin().output();
    let written = If::new(side.eq("heads"))
        .then(|| param_to_artifact(side).outputs().a)
        .otherwise(|| param_to_artifact(side).outputs().a);
    print_artifact(written);
    written
}

#[pipeline(name = "outer-pipeline")]
pub fn outer_pipeline() {
    print_artifact(flip_coin_pipeline().output());
}

fn main() -> std::process::ExitCode {
    kfp_dsl::main!(outer_pipeline)
}
