use kfp_dsl::prelude::*;

#[component]
fn pass_on(data: Input<Dataset>) -> Result<Input<Dataset>, kfp_dsl::ExecutorError> {
    Ok(data)
}

fn main() {}
