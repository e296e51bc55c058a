//! kfp's `pipeline_with_reused_component` golden: one component called three
//! times (`add-numbers`, `add-numbers-2`, `add-numbers-3`).

use kfp_dsl::prelude::*;

#[component]
fn add_numbers(a: i64, b: i64) -> i64 {
    a + b
}

#[pipeline]
pub fn pipeline_with_reused_component(#[kfp(default = 2)] a: i64, #[kfp(default = 5)] b: i64) {
    let first = add_numbers(a, 3);
    let second = add_numbers(first.output(), b);
    add_numbers(second.output(), 7);
}

fn main() -> std::process::ExitCode {
    kfp_dsl::main!(pipeline_with_reused_component)
}
