//! `struct_defaults.py` in Rust: map, list-of-maps and struct defaults
//! given as `json!(..)`, and an integer default for a float input.

use std::collections::BTreeMap;

use kfp_dsl::prelude::*;
use serde_json::{Map, Value, json};

#[component]
pub fn train(
    #[kfp(default = json!({"depth": 3, "width": 8}))] config: BTreeMap<String, i64>,
    #[kfp(default = json!([{"kind": "dense"}, {"kind": "dropout"}]))] layers: Vec<
        BTreeMap<String, String>,
    >,
    #[kfp(default = 1)] rate: f64,
) -> String {
    format!("{config:?} {layers:?} {rate}")
}

#[pipeline]
pub fn struct_defaults(
    #[kfp(default = json!({"tags": ["a", "b"]}))] settings: Map<String, Value>,
    #[kfp(default = json!([{"lr": 0.1}, {"lr": 0.01}]))] grid: Vec<Map<String, Value>>,
) {
    let _ = (settings, grid);
    train();
    train()
        .config(BTreeMap::from([("depth".to_owned(), 1)]))
        .layers(Vec::new())
        .rate(2.0);
}
