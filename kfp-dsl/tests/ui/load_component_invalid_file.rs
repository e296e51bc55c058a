use kfp_dsl::prelude::*;

load_component!("tests/components/broken_placeholder.yaml");

fn main() {}
