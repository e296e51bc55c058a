//! kfp's `conditional_producer_and_consumers` golden: a condition inside a
//! loop on the loop item, and a condition after the loop that reads the
//! outputs gathered from the first (`collected`).

use kfp_dsl::prelude::*;

#[component]
fn double(num: i64) -> i64 {
    2 * num
}

#[component]
fn add(nums: Vec<i64>) -> i64 {
    nums.iter().sum()
}

#[pipeline(name = "math-pipeline")]
pub fn math_pipeline(#[kfp(default = 2)] threshold: i64) -> Vec<i64> {
    let doubled = parallel_for([1, 2, 3], |x| {
        condition(x.ge(threshold), || double(x).output())
    });
    let sum = condition(threshold.eq(2), || add(collected(doubled)).output());
    collected(sum)
}

fn main() -> std::process::ExitCode {
    kfp_dsl::main!(math_pipeline)
}
