//! kfp-kubernetes' own snapshot tests
//! (`../shared/kfp-golden/kubernetes_platform_snapshot/data/<stem>.yaml`),
//! written with kfp-rs: each pipeline is compiled and compared with its
//! snapshot as JSON, both documents, by the rule of the examples' golden
//! test.
//!
//! Not reproduced: the three `create_mount_delete_*` snapshots (they need
//! kfp-kubernetes' `CreatePVC`/`DeletePVC` components, which kfp-rs does
//! not ship) and `init_container` (newer than kfp-kubernetes 2.17).

mod golden;

use kfp_dsl::PipelineEntry;
use kfp_dsl::kubernetes::{
    EmptyDirMount, EphemeralVolume, KubernetesSettings, NodeAffinityTerm, SecurityContext,
    SelectorOperator, TaintEffect, Toleration,
};
use kfp_dsl::prelude::*;
use serde_json::json;

/// Compares `entry` with the snapshot `<stem>.yaml`.
fn check(stem: &str, entry: PipelineEntry) {
    let Some(dir) = golden::shared_dir("kfp-golden/kubernetes_platform_snapshot/data") else {
        return;
    };
    golden::check(stem, &dir.join(format!("{stem}.yaml")), entry);
}

/// `@dsl.component def comp(): pass`.
#[component]
fn comp() {}

/// One test per snapshot: `snapshot!(stem, |task| settings)` builds
/// `my_pipeline`, whose one task `comp` gets the settings.
macro_rules! snapshot {
    ($stem:ident, |$task:ident| $settings:expr) => {
        mod $stem {
            use super::*;

            #[pipeline]
            pub fn my_pipeline() {
                let $task = comp();
                $settings;
            }
        }

        #[test]
        fn $stem() {
            check(stringify!($stem), $stem::my_pipeline::ENTRY);
        }
    };
}

snapshot!(toleration, |task| task.add_toleration(
    Toleration::equal("key1", "value1")
        .effect(TaintEffect::NoExecute)
        .toleration_seconds(10)
));

snapshot!(node_selector, |task| task.add_node_selector(
    "cloud.google.com/gke-accelerator",
    "nvidia-tesla-p4"
));

snapshot!(secret_as_env, |task| task
    .use_secret_as_env("my-secret", [("password", "SECRET_VAR")]));

snapshot!(secret_as_vol, |task| task
    .use_secret_as_volume("my-secret", "/mnt/my_vol"));

snapshot!(config_map_as_env, |task| task
    .use_config_map_as_env("my-cm", [("foo", "CONFIG_MAP_VAR")]));

snapshot!(config_map_as_vol, |task| task
    .use_config_map_as_volume("my-cm", "/mnt/my_vol"));

snapshot!(image_pull_secrets, |task| task
    .set_image_pull_secrets(["my-secret"]));

snapshot!(empty_dir_mounts, |task| task.empty_dir_mount(
    EmptyDirMount::new("emptydir-vol-1", "/mnt/my_vol_1")
        .medium("Memory")
        .size_limit("1Gi")
));

snapshot!(field_path_as_env, |task| task.use_field_path_as_env(
    "KFP_RUN_NAME",
    "metadata.annotations['pipelines.kubeflow.org/run_name']"
));

snapshot!(timeout, |task| task.set_timeout(20));

snapshot!(general_ephemeral_volume, |task| task.add_ephemeral_volume(
    EphemeralVolume::new("pvc-name", "path", ["ReadWriteOnce"], "5Gi")
        .annotation("annotation1", "a1")
));

mod security_context {
    use super::*;

    #[component]
    fn print_greeting() {
        println!("hello world");
    }

    #[pipeline]
    pub fn my_pipeline() {
        print_greeting()
            .set_security_context(SecurityContext::new().run_as_user(65534).run_as_group(0));
    }
}

#[test]
fn security_context() {
    check("security_context", security_context::my_pipeline::ENTRY);
}

mod nodeaffinity {
    use super::*;

    #[component]
    fn print_hello_with_json_affinity() {}

    #[component]
    fn print_hello_with_preferred_affinity() {}

    #[component]
    fn print_hello_with_empty_json() {}

    /// A preferred term of a `NodeAffinity` JSON: `key In [value]`.
    fn preferred(weight: i64, key: &str, value: &str) -> serde_json::Value {
        json!({
            "weight": weight,
            "preference": {"matchExpressions": [{"key": key, "operator": "In", "values": [value]}]}
        })
    }

    #[pipeline(name = "test-node-affinity")]
    pub fn my_pipeline() {
        print_hello_with_json_affinity().add_node_affinity_json(json!({
            "preferredDuringSchedulingIgnoredDuringExecution": [preferred(100, "disktype", "ssd")]
        }));
        print_hello_with_preferred_affinity().add_node_affinity(
            NodeAffinityTerm::new()
                .match_expression("zone", SelectorOperator::In, ["us-west-1"])
                .weight(50),
        );
        print_hello_with_empty_json().add_node_affinity_json(json!({}));
        print_hello_with_json_affinity().add_node_affinity_json(json!({
            "preferredDuringSchedulingIgnoredDuringExecution": [
                preferred(100, "zone", "us-west-1"),
                preferred(50, "instance-type", "n1-standard-4"),
            ]
        }));
    }
}

#[test]
fn nodeaffinity() {
    check("nodeaffinity", nodeaffinity::my_pipeline::ENTRY);
}
