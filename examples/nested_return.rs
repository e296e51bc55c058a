//! kfp's `nested_return` golden: a component returning a list of maps (a
//! `LIST` output), compiled on its own.

use std::collections::BTreeMap;

use kfp_dsl::prelude::*;

#[component]
pub fn nested_return() -> Vec<BTreeMap<String, String>> {
    [("1", "2"), ("10", "20")]
        .into_iter()
        .map(|(a, b)| BTreeMap::from([("A_a".into(), a.into()), ("B_b".into(), b.into())]))
        .collect()
}

fn main() -> std::process::ExitCode {
    kfp_dsl::main!(nested_return)
}
