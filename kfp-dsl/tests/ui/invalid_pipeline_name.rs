use kfp_dsl::prelude::*;

#[component]
fn make_model(model: Output<Model>) {
    let _ = model;
}

#[component]
fn make_text() -> String {
    String::new()
}

#[component]
fn read_data(data: Input<Dataset>) {
    let _ = data;
}

#[component]
fn add(a: i64, b: i64) -> i64 {
    a + b
}

#[component]
fn shout(text: String) {
    let _ = text;
}

#[pipeline(name = "~~ !!! ~~")]
fn p() {}

fn main() {}
