//! kfp's `artifact_cache` golden: a dataset written by a task and returned
//! through two levels of pipelines used as components, then read by a
//! task; every task may be taken from the cache.

use kfp_dsl::prelude::*;

#[component]
fn core_comp(dataset: Output<Dataset>) -> std::io::Result<()> {
    std::fs::write(dataset.path(), "foo")
}

#[component]
fn crust_comp(input: Input<Dataset>) -> std::io::Result<()> {
    println!("input:  {}", std::fs::read_to_string(input.path())?);
    Ok(())
}

#[pipeline]
fn core() -> Output<Dataset> {
    core_comp().outputs().dataset
}

#[pipeline]
fn mantle() -> Output<Dataset> {
    core().output()
}

#[pipeline(name = "artifact-cache-pipeline")]
pub fn crust() {
    crust_comp(mantle().output());
}

fn main() -> std::process::ExitCode {
    kfp_dsl::main!(crust)
}
