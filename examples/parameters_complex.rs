//! kfp's `parameters_complex` golden: outputs collected out of nested
//! loops, into the enclosing loop, into a sibling loop and into the root
//! (a list of lists out of two loops), and a pipeline output computed from
//! lists collected out of a loop.

use kfp_dsl::prelude::*;

#[component]
fn double(num: i64) -> i64 {
    2 * num
}

#[component]
fn simple_add(nums: Vec<i64>) -> i64 {
    nums.iter().sum()
}

#[component]
fn nested_add(nums: Vec<Vec<i64>>) -> i64 {
    nums.iter().flatten().sum()
}

#[component]
fn add_two_numbers(x: Vec<i64>, y: Vec<i64>) -> i64 {
    x.iter().sum::<i64>() + y.iter().sum::<i64>()
}

#[pipeline(name = "math-pipeline")]
pub fn math_pipeline() -> i64 {
    let (doubled, doubled_inner) = parallel_for([1, 2, 3], |x| {
        let doubled = double(x).output();
        let doubled_inner = parallel_for([4, 5, 6], |y| double(y).output());
        simple_add(collected(doubled_inner));
        (doubled, doubled_inner)
    });
    nested_add(collected(doubled_inner));
    let (simple, nested) = parallel_for([0, 0, 0], |_| {
        let simple = simple_add(collected(doubled)).output();
        let nested = nested_add(collected(doubled_inner)).output();
        (simple, nested)
    });
    add_two_numbers(collected(simple), collected(nested)).output()
}

fn main() -> std::process::ExitCode {
    kfp_dsl::main!(math_pipeline)
}
