//! kfp's `parameters_simple` golden: a loop over a static list, and its
//! outputs gathered after the loop (`collected`) into a Rust-native
//! component, a container component and the pipeline's output.

use kfp_dsl::prelude::*;

#[component]
fn double(num: i64) -> i64 {
    2 * num
}

#[component]
fn add(nums: Vec<i64>) -> i64 {
    nums.iter().sum()
}

#[container_component]
fn add_container(nums: Vec<i64>, sum: OutputPath<i64>) -> ContainerSpec {
    ContainerSpec::new("jetbrainsinfra/jq")
        .command(("sh", "-c"))
        .args((format!(
            "\n            set -ex\n            mkdir -p $(dirname {sum})\n            \
             echo {nums} | jq 'add' > {sum}\n            "
        ),))
}

#[pipeline(name = "math-pipeline")]
pub fn math_pipeline() -> Vec<i64> {
    let doubled = parallel_for(vec![1, 2, 3], |num| double(num).output());
    add(collected(doubled));
    add_container(collected(doubled));
    collected(doubled)
}

fn main() -> std::process::ExitCode {
    kfp_dsl::main!(math_pipeline)
}
