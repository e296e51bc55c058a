use kfp_dsl::prelude::*;

#[component]
fn flip() -> String {
    "heads".into()
}

#[component]
fn count() -> i64 {
    1
}

#[component]
fn say(text: String) -> String {
    text
}

#[pipeline]
fn p() {
    let side = flip().output();
    If::new(side.eq("heads"))
        .then(|| say("heads").output())
        .otherwise(|| count().output());
}

fn main() {}
