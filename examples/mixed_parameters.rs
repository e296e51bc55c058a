//! kfp's `mixed_parameters` golden: pipelines nested three deep, each
//! passing an integer output up, with caching turned off on every task,
//! the pipeline tasks too.

use kfp_dsl::prelude::*;

#[component]
fn core_comp() -> i64 {
    1
}

#[component]
fn crust_comp(x: i64, y: i64) {
    println!("sum: {}", x + y);
}

#[pipeline]
fn core() -> i64 {
    core_comp().set_caching_options(false).output()
}

#[pipeline]
fn mantle() -> i64 {
    core().set_caching_options(false).output()
}

#[pipeline(name = "mixed-parameters-pipeline")]
pub fn crust() {
    let mantle = mantle().set_caching_options(false);
    crust_comp(2, mantle.output()).set_caching_options(false);
}

fn main() -> std::process::ExitCode {
    kfp_dsl::main!(crust)
}
