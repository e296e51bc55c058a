use kfp_dsl::prelude::*;

#[component]
fn flip() -> String {
    "heads".into()
}

#[component]
fn count(n: i64) -> i64 {
    n
}

#[component]
fn say(text: String) -> String {
    text
}

#[pipeline]
fn p() {
    let side = flip().output();
    let said = If::new(side.eq("heads"))
        .then(|| say("heads").output())
        .otherwise(|| say("tails").output());
    // A OneOf of strings is not a number.
    count(said);
}

fn main() {}
