//! `one_of_some_branches.py` in Rust: a OneOf over some branches of a
//! chain, after the chain's own OneOf (unused, but numbered first).

use kfp_dsl::prelude::*;

#[component]
pub fn flip() -> String {
    "heads".to_owned()
}

#[component]
pub fn say(text: String) -> String {
    text
}

#[pipeline(name = "one-of-some-branches")]
pub fn one_of_some_branches() -> String {
    let side = flip().output();
    let (mut heads, mut edge) = (None, None);
    let _unused = If::new(side.eq("heads"))
        .then(|| *heads.insert(say("heads").output()))
        .else_if(side.eq("tails"), || {
            let tails = say("tails").output();
            say("tails again");
            tails
        })
        .otherwise(|| *edge.insert(say("edge").output()));
    let some = OneOf::of(heads.into_iter().chain(edge));
    say(some);
    some
}
