//! kfp's `identity` golden: a component compiled on its own. The pipeline
//! written has the component's input and output as its own.

use kfp_dsl::prelude::*;

#[component]
pub fn identity(value: String) -> String {
    value
}

fn main() -> std::process::ExitCode {
    kfp_dsl::main!(identity)
}
