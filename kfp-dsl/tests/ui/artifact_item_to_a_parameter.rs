// An item of a loop over a list of artifacts is an artifact: it cannot go
// to a parameter input, nor to an artifact input of another type.
use kfp_dsl::prelude::*;

#[component]
fn make_dataset() -> Result<Output<Dataset>, kfp_dsl::ExecutorError> {
    Output::<Dataset>::at(get_uri("Output")?)
}

#[pipeline]
fn make_datasets(texts: Vec<String>) -> Vec<Output<Dataset>> {
    collected(parallel_for(texts, |_text| make_dataset().output()))
}

#[component]
fn takes_text(text: String) {
    println!("{text}");
}

#[component]
fn takes_model(model: Input<Model>) {
    println!("{}", model.uri());
}

#[pipeline]
fn wrong(texts: Vec<String>) {
    parallel_for(make_datasets(texts).output(), |dataset| {
        takes_text(dataset);
        takes_model(dataset);
    });
}

fn main() {}
