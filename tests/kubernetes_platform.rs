//! kfp-kubernetes' own snapshot tests
//! (`../shared/kfp-golden/kubernetes_platform_snapshot/data/<stem>.yaml`),
//! written with kfp-rs: each pipeline is compiled and compared with its
//! snapshot as JSON, both documents, by the rule of the examples' golden
//! test.
//!
//! Not reproduced: `init_container` (newer than kfp-kubernetes 2.17).

mod golden;

use kfp_dsl::PipelineEntry;
use kfp_dsl::kubernetes::{
    EmptyDirMount, EphemeralVolume, KubernetesSettings, NodeAffinityTerm, SecurityContext,
    SelectorOperator, TaintEffect, Toleration, create_pvc, delete_pvc,
};
use kfp_dsl::prelude::*;
use serde_json::json;

/// Compares `entry` with the snapshot `<stem>.yaml`.
fn check(stem: &str, entry: PipelineEntry) {
    let Some(dir) = golden::shared_dir("kfp-golden/kubernetes_platform_snapshot/data") else {
        return;
    };
    golden::check(
        stem,
        &dir.join(format!("{stem}.yaml")),
        entry,
        &kfp_dsl::Overrides::default(),
    );
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

/// `CreatePVC` with a name made at run time and a snapshot as its data
/// source, mounted by two tasks, then `DeletePVC`.
mod create_mount_delete_dynamic_pvc {
    use super::*;
    use std::collections::BTreeMap;

    #[component]
    fn producer() -> std::io::Result<String> {
        std::fs::write("/data/file.txt", "Hello world")?;
        std::fs::read_to_string("/data/file.txt")
    }

    #[component]
    fn consumer() -> std::io::Result<String> {
        std::fs::read_to_string("/data/file.txt")
    }

    #[pipeline]
    pub fn my_pipeline() {
        let snapshot = BTreeMap::from([
            ("apiGroup".to_owned(), "snapshot.storage.k8s.io".to_owned()),
            ("kind".to_owned(), "VolumeSnapshot".to_owned()),
            ("name".to_owned(), "my-snap".to_owned()),
        ]);
        let pvc = create_pvc(["ReadWriteOnce"], "5Mi")
            .pvc_name_suffix("-my-pvc")
            .storage_class_name("standard")
            .data_source(snapshot);
        let claim = pvc.outputs().name;
        let written = producer().mount_pvc(claim, "/data");
        let read = consumer().after(&written).mount_pvc(claim, "/data");
        delete_pvc(claim).after(&read);
    }
}

#[test]
fn create_mount_delete_dynamic_pvc() {
    check(
        "create_mount_delete_dynamic_pvc",
        create_mount_delete_dynamic_pvc::my_pipeline::ENTRY,
    );
}

/// `CreatePVC` with a fixed name.
mod create_mount_delete_existing_pvc {
    use super::*;

    #[pipeline]
    pub fn my_pipeline() {
        let pvc = create_pvc(["ReadWriteOnce"], "5Gi")
            .pvc_name("static-pvc-name-cmdep")
            .storage_class_name("standard");
        let claim = pvc.outputs().name;
        let task = comp().mount_pvc(claim, "/data");
        delete_pvc(claim).after(&task);
    }
}

#[test]
fn create_mount_delete_existing_pvc() {
    check(
        "create_mount_delete_existing_pvc",
        create_mount_delete_existing_pvc::my_pipeline::ENTRY,
    );
}

/// `CreatePVC` named by an earlier task's output, which `DeletePVC` reads
/// too.
mod create_mount_delete_existing_pvc_from_task_output {
    use super::*;

    #[component]
    fn get_pvc_name() -> String {
        "static-pvc-name-cmdepfto".to_owned()
    }

    #[pipeline]
    pub fn my_pipeline() {
        let name = get_pvc_name().output();
        let pvc = create_pvc(["ReadWriteOnce"], "5Gi")
            .pvc_name(name)
            .storage_class_name("standard");
        let task = comp().mount_pvc(pvc.outputs().name, "/data");
        delete_pvc(name).after(&task);
    }
}

#[test]
fn create_mount_delete_existing_pvc_from_task_output() {
    check(
        "create_mount_delete_existing_pvc_from_task_output",
        create_mount_delete_existing_pvc_from_task_output::my_pipeline::ENTRY,
    );
}
