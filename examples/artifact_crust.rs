//! kfp's `critical/artifact_crust` golden: `artifact_cache` with caching
//! off on every task, the pipelines used as components too.

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
    core_comp().set_caching_options(false).outputs().dataset
}

#[pipeline]
fn mantle() -> Output<Dataset> {
    core().set_caching_options(false).output()
}

#[pipeline(name = "artifact-pipeline")]
pub fn crust() {
    let mantle = mantle().set_caching_options(false);
    crust_comp(mantle.output()).set_caching_options(false);
}

fn main() -> std::process::ExitCode {
    kfp_dsl::main!(crust)
}
