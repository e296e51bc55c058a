//! kfp's `nested_with_parameters` golden: a task inside two nested loops
//! reads both loops' items; its outputs are collected out of both loops as
//! a list of lists, which a task adds up and the pipeline returns.

use kfp_dsl::prelude::*;

#[component]
fn double(num: i64) -> i64 {
    2 * num
}

#[component]
fn add_two_nums(x: i64, y: i64) -> i64 {
    x + y
}

#[component]
fn add(nums: Vec<Vec<i64>>) -> i64 {
    nums.iter().flatten().sum()
}

#[pipeline(name = "math-pipeline")]
pub fn math_pipeline() -> Vec<Vec<i64>> {
    let sums = parallel_for([1, 2, 3], |x| {
        parallel_for([1, 2, 3], |y| {
            let t1 = double(x).output();
            let t2 = double(y).output();
            add_two_nums(t1, t2).output()
        })
    });
    add(collected(sums));
    collected(sums)
}

fn main() -> std::process::ExitCode {
    kfp_dsl::main!(math_pipeline)
}
