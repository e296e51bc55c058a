use kfp_dsl::prelude::*;

load_component!("tests/components/no_such_component.yaml");

fn main() {}
