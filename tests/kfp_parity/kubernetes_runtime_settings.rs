//! `kubernetes_runtime_settings.py` in Rust: one list of image pull
//! secrets mixing a constant, a pipeline input and a task output;
//! `add_toleration_json` with a constant, a list, a pipeline input and a
//! loop item; `add_node_selector_json` with a loop item.

use std::collections::BTreeMap;

use kfp_dsl::kubernetes::{KubernetesSettings, ResourceName};
use kfp_dsl::prelude::*;
use serde_json::{Map, Value, json};

#[component]
pub fn secret_name() -> String {
    "from-task".to_owned()
}

#[component]
pub fn train() {}

#[pipeline]
pub fn kubernetes_runtime_settings(
    #[kfp(default = "from-input")] pull_secret: String,
    #[kfp(default = json!([{"key": "gpu"}]))] tolerations: Vec<Map<String, Value>>,
) {
    let name = secret_name();
    train()
        .set_image_pull_secrets([
            ResourceName::from("constant"),
            pull_secret.into(),
            name.output().into(),
        ])
        .add_toleration_json(json!({
            "key": "a", "operator": "Equal", "value": "b", "effect": "NoSchedule",
        }))
        .add_toleration_json(json!([
            {"key": "c", "operator": "Exists", "effect": "NoExecute", "toleration_seconds": 30},
            {"key": "d", "operator": "Exists"},
        ]))
        .add_toleration_json(tolerations);
    let items = [BTreeMap::from([("key", "e"), ("operator", "Exists")].map(|(k, v)| (k.to_owned(), v.to_owned())))];
    parallel_for(items, |item| {
        train().add_toleration_json(item).add_node_selector_json(item);
    });
}
