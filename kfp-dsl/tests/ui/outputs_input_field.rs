use kfp_dsl::prelude::*;

#[derive(Outputs)]
pub struct Bad {
    data: Input<Dataset>,
    paths: Vec<Input<Dataset>>,
    ok: String,
}

fn main() {}
