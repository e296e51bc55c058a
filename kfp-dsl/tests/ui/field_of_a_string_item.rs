// A loop over strings has no fields to read.
use kfp_dsl::prelude::*;

#[component]
fn show(text: String) {
    println!("{text}");
}

#[pipeline]
fn p(names: Vec<String>) {
    parallel_for(names, |name| {
        show(name.field("first"));
    });
}

fn main() {}
