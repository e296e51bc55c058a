use kfp_dsl::prelude::*;

// The returned artifact is the output `Output`; so is this parameter.
#[component]
fn train(#[kfp(name = "Output")] model: Output<Model>) -> Result<Output<Model>, kfp_dsl::ExecutorError> {
    let _ = model;
    Output::at(get_uri("model")?)
}

fn main() {}
