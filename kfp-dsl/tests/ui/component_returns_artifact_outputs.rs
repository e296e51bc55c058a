use kfp_dsl::prelude::*;

#[derive(Outputs)]
pub struct Trained {
    model: Output<Model>,
    accuracy: f64,
}

#[component]
fn train() -> Trained {
    unimplemented!()
}

fn main() {}
