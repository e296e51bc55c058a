//! kfp's `add_numbers` golden: a Rust-native component compiled on its own.
//!
//! `cargo run --example add_numbers` writes `add-numbers.yaml`; KFP runs the
//! task as `add_numbers --executor_input … --function_to_execute add_numbers`.

use kfp_dsl::prelude::*;

#[component]
pub fn add_numbers(a: i64, b: i64) -> i64 {
    a + b
}

fn main() -> std::process::ExitCode {
    kfp_dsl::main!(add_numbers)
}
