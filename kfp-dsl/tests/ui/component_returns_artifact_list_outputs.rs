use kfp_dsl::prelude::*;

// A component returns artifacts one per output; a list of artifacts is
// what a pipeline gathers from a loop.
#[derive(Outputs)]
pub struct Trained {
    models: Vec<Output<Model>>,
    accuracy: f64,
}

#[component]
fn train() -> Trained {
    unimplemented!()
}

fn main() {}
