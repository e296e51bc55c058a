//! `kubernetes_runtime_names.py` in Rust: every kfp-kubernetes setting
//! that reads a run-time value, reading one — secret, config map, claim
//! and image pull secret names from a pipeline input, a task output and
//! the item of a loop over a list of unknown element type; the JSON
//! settings from a task output and a pipeline input read inside a loop.

use kfp_dsl::Untyped;
use kfp_dsl::kubernetes::KubernetesSettings;
use kfp_dsl::prelude::*;
use serde_json::{Map, Value};

#[component]
pub fn make_name() -> String {
    "generated".to_owned()
}

#[component]
pub fn make_json() -> Map<String, Value> {
    Map::new()
}

#[component]
pub fn train() {}

#[pipeline]
pub fn kubernetes_runtime_names(
    secret: String,
    config_map: String,
    tenants: Vec<Untyped>,
    affinity: Map<String, Value>,
) {
    let name = make_name().output();
    let selector = make_json().output();
    train()
        .use_secret_as_env(secret, [("token", "TOKEN")])
        .use_secret_as_volume(name, "/etc/generated")
        .use_config_map_as_env(name, [("key", "KEY")])
        .use_config_map_as_volume(config_map, "/etc/config")
        .mount_pvc(name, "/data")
        .set_image_pull_secrets([secret])
        .add_node_selector_json(selector)
        .add_toleration_json(selector);
    parallel_for(tenants, |tenant| {
        train()
            .use_secret_as_volume(tenant, "/etc/tenant")
            .use_config_map_as_env(tenant, [("key", "KEY")])
            .mount_pvc(tenant, "/tenant")
            .set_image_pull_secrets([tenant])
            .add_node_affinity_json(affinity);
    });
}
