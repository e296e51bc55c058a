use kfp_dsl::prelude::*;

load_component!("tests/components/train.yaml");
load_component!("tests/components/make_data.yaml");

#[component]
fn make_model(model: Output<Model>) {
    let _ = model;
}

#[pipeline]
fn p(name: String) {
    // A model where the file's `training-data` takes a Dataset.
    let model = make_model().outputs().model;
    train_model(model, name);
    // An integer where the file's `model-name` takes a string.
    let data = make_data().output();
    train_model(data, 3);
    // A string where the optional `class` takes an integer.
    train_model(data, name).class("three");
}

fn main() {}
