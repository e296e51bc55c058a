use kfp_dsl::prelude::*;

#[component]
fn make_datasets() -> Vec<Output<Dataset>> {
    Vec::new()
}

fn main() {}
