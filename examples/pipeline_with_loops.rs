//! kfp's `pipeline_with_loops` golden: loops over a pipeline input, over
//! a task's list of objects and over a static list of objects; tasks read
//! the whole item or one field of it (kfp's `item.A_a`).

use std::collections::BTreeMap;

use kfp_dsl::prelude::*;

/// One item of the lists looped over.
fn args(a: &str, b: &str) -> BTreeMap<String, String> {
    BTreeMap::from([
        ("A_a".to_owned(), a.to_owned()),
        ("B_b".to_owned(), b.to_owned()),
    ])
}

#[component]
fn args_generator_op() -> Vec<BTreeMap<String, String>> {
    vec![args("1", "2"), args("10", "20")]
}

#[component]
fn print_text(msg: String) {
    println!("{msg}");
}

#[component]
fn print_struct(r#struct: BTreeMap<String, String>) {
    println!("{struct:?}");
}

#[pipeline(name = "pipeline-with-loops")]
pub fn my_pipeline(#[kfp(default = ["a", "b"])] loop_parameter: Vec<String>) {
    // The items are a pipeline input.
    parallel_for(loop_parameter, print_text);

    // The items are a task's output.
    let generated = args_generator_op().output();
    parallel_for(generated, |item| {
        print_struct(item);
        print_text(item.field("A_a"));
        print_text(item.field("B_b"));
    });

    // The items are known when compiling.
    parallel_for([args("1", "2"), args("10", "20")], |item| {
        print_struct(item);
        print_text(item.field("A_a"));
        print_text(item.field("B_b"));
    });
}

fn main() -> std::process::ExitCode {
    kfp_dsl::main!(my_pipeline)
}
