//! kfp's `pipeline_producer_consumer` golden: pipelines used as tasks
//! inside two nested loops, their outputs gathered after both loops as a
//! list of lists (`Vec<Vec<i64>>`, as kfp gathers them), and a pipeline
//! with two named outputs, one gathered from its own loop.

use kfp_dsl::prelude::*;

#[component]
fn double(num: i64) -> i64 {
    2 * num
}

#[pipeline]
fn double_pipeline(num: i64) -> i64 {
    double(num).output()
}

#[component]
fn echo_and_return(string: String) -> String {
    println!("{string}");
    string
}

#[component]
fn add(nums: Vec<Vec<i64>>) -> i64 {
    nums.into_iter().flatten().sum()
}

/// The outputs of `add_pipeline`.
#[derive(Outputs)]
pub struct AddOutputs {
    out1: i64,
    out2: Vec<String>,
}

#[pipeline]
fn add_pipeline(nums: Vec<Vec<i64>>) -> AddOutputs {
    let sum = add(nums).output();
    let echoed = parallel_for(["m", "a", "t", "h"], |letter| {
        echo_and_return(letter).output()
    });
    AddOutputsHandles {
        out1: sum,
        out2: collected(echoed),
    }
}

#[component]
fn join_and_print(strings: Vec<String>) {
    println!("{}", strings.concat());
}

#[pipeline(name = "math-pipeline")]
pub fn math_pipeline() -> i64 {
    let doubled = parallel_for([1, 2, 3], |_| {
        parallel_for([1, 2, 3], |num| double_pipeline(num).output())
    });
    let added = add_pipeline(collected(doubled)).output();
    join_and_print(added.out2);
    added.out1
}

fn main() -> std::process::ExitCode {
    kfp_dsl::main!(math_pipeline)
}
