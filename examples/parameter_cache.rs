//! kfp's `parameter_cache` golden: a parameter returned through two
//! levels of pipelines used as components, then read by a task; every
//! task may be taken from the cache.

use kfp_dsl::prelude::*;

#[component]
fn core_comp() -> String {
    "foo".to_owned()
}

#[component]
fn crust_comp(input: String) {
    println!("input : {input}");
}

#[pipeline]
fn core() -> String {
    core_comp().output()
}

#[pipeline]
fn mantle() -> String {
    core().output()
}

#[pipeline(name = "parameter-cache-pipeline")]
pub fn crust() {
    crust_comp(mantle().output());
}

fn main() -> std::process::ExitCode {
    kfp_dsl::main!(crust)
}
