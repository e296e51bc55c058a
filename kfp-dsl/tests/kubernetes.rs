//! Kubernetes settings (kfp-kubernetes) through the DSL: what they record
//! and the platform spec they compile to.

use kfp_dsl::kubernetes::{
    EmptyDirMount, KubernetesSettings, NodeAffinityTerm, SecurityContext, SelectorOperator,
    TaintEffect, Toleration, optional,
};
use kfp_dsl::prelude::*;
use kfp_dsl::{PipelineEntry, Untyped, condition, parallel_for};
use kfp_ir_schema::validate::Format;
use serde_json::{Value, json};

#[component]
fn make_name() -> String {
    "generated".to_owned()
}

#[container_component]
fn consume() -> ContainerSpec {
    ContainerSpec::new("alpine").command(["true"])
}

/// The compiled pipeline spec and the Kubernetes config of executor
/// `label`.
fn compiled(entry: PipelineEntry, label: &str) -> (Value, Value) {
    let (_, yaml) = kfp_dsl::compile_to_string(entry, false).unwrap_or_else(|e| panic!("{e}"));
    let file = kfp_ir_schema::validate::validate_str(&yaml, Format::Yaml)
        .unwrap_or_else(|e| panic!("{e}\n{yaml}"));
    let platform = serde_json::to_value(file.platform.expect("a platform document")).unwrap();
    (
        serde_json::to_value(file.spec).unwrap(),
        platform["platforms"]["kubernetes"]["deploymentSpec"]["executors"][label].clone(),
    )
}

#[pipeline]
fn names_at_run_time(secret: String, config_map: Option<String>) {
    let name = make_name();
    consume()
        .use_secret_as_env(secret, [("token", "TOKEN")])
        .use_config_map_as_volume(optional(config_map), "/etc/config")
        .use_secret_as_volume(name.output(), "/etc/generated")
        .mount_pvc(name.output(), "/data");
}

#[test]
fn names_from_inputs_and_outputs_are_read_at_run_time() {
    let (spec, config) = compiled(names_at_run_time::ENTRY, "exec-consume");
    // Reading an output makes the task run after its producer.
    assert_eq!(
        spec["root"]["dag"]["tasks"]["consume"]["dependentTasks"],
        json!(["make-name"])
    );
    let from_task = json!({"taskOutputParameter": {"producerTask": "make-name", "outputParameterKey": "Output"}});
    assert_eq!(
        config,
        json!({
            "secretAsEnv": [{
                "secretNameParameter": {"componentInputParameter": "secret"},
                "keyToEnv": [{"secretKey": "token", "envVar": "TOKEN"}],
                "optional": false
            }],
            "configMapAsVolume": [{
                "configMapNameParameter": {"componentInputParameter": "config_map"},
                "mountPath": "/etc/config",
                "optional": true
            }],
            "secretAsVolume": [{
                "secretNameParameter": from_task,
                "mountPath": "/etc/generated",
                "optional": false
            }],
            "pvcMount": [{
                "taskOutputParameter": from_task["taskOutputParameter"],
                "pvcNameParameter": from_task,
                "mountPath": "/data"
            }]
        })
    );
}

#[pipeline]
fn repeated_settings(affinity: serde_json::Map<String, Value>) {
    consume()
        .add_node_affinity(NodeAffinityTerm::new().match_expression(
            "zone",
            SelectorOperator::NotIn,
            ["eu"],
        ))
        .add_node_affinity_json(json!({"preferred": 1}))
        .add_node_affinity_json(affinity)
        .set_security_context(SecurityContext::new().run_as_user(1000))
        .set_security_context(SecurityContext::new().run_as_non_root(true))
        .add_pod_label("a", "1")
        .add_pod_label("a", "2")
        .add_toleration(Toleration::default())
        .set_timeout(30);
}

#[test]
fn settings_made_twice_behave_as_in_kfp_kubernetes() {
    let (_, config) = compiled(repeated_settings::ENTRY, "exec-consume");
    assert_eq!(
        config,
        json!({
            // A JSON affinity replaces the one before; terms stay.
            "nodeAffinity": [
                {"matchExpressions": [{"key": "zone", "operator": "NotIn", "values": ["eu"]}]},
                {"nodeAffinityJson": {"componentInputParameter": "affinity"}}
            ],
            // Security context fields merge; a label is replaced.
            "securityContext": {"runAsUser": "1000", "runAsNonRoot": true},
            "podMetadata": {"labels": {"a": "2"}},
            // An empty toleration (tolerate nothing in particular) is kept.
            "tolerations": [{}],
            "activeDeadlineSeconds": "30"
        })
    );
}

#[pipeline]
fn timeout_removed() {
    consume().set_timeout(20).set_timeout(0);
}

#[test]
fn a_timeout_of_zero_removes_it_and_no_platform_document_is_written() {
    let (_, yaml) = kfp_dsl::compile_to_string(timeout_removed::ENTRY, false).unwrap();
    assert!(!yaml.contains("\n---\n"), "{yaml}");
    // Without platform config JSON is written as before.
    assert!(kfp_dsl::compile_to_string(timeout_removed::ENTRY, true).is_ok());
}

#[pipeline]
fn gpu() {
    consume().add_toleration(Toleration::exists("nvidia.com/gpu").effect(TaintEffect::NoSchedule));
}

#[test]
fn json_output_is_refused_with_platform_config() {
    let error = kfp_dsl::compile_to_string(gpu::ENTRY, true).unwrap_err();
    assert_eq!(
        error.to_string(),
        "pipeline `gpu` has Kubernetes settings (kfp-kubernetes), which kfp writes only to \
         YAML, as a second document: compile it without `--json`"
    );
}

#[pipeline]
fn inner() {
    consume();
}

#[pipeline]
fn outer() {
    inner().add_pod_label("a", "b");
}

#[test]
fn a_pipeline_used_as_a_component_cannot_have_kubernetes_settings() {
    let error = kfp_dsl::compile_to_string(outer::ENTRY, false).unwrap_err();
    assert!(
        error
            .to_string()
            .contains("can only be set on container components"),
        "{error}"
    );
}

#[pipeline]
fn in_a_loop(secret: String) {
    let name = make_name();
    parallel_for([1, 2], |_| {
        consume()
            .use_secret_as_volume(secret, "/s")
            .mount_pvc(name.output(), "/data");
    });
}

#[test]
fn inside_a_loop_names_are_read_through_the_loop() {
    let (spec, config) = compiled(in_a_loop::ENTRY, "exec-consume");
    assert_eq!(
        config,
        json!({
            "secretAsVolume": [{
                "secretNameParameter": {"componentInputParameter": "pipelinechannel--secret"},
                "mountPath": "/s",
                "optional": false
            }],
            "pvcMount": [{
                "componentInputParameter": "pipelinechannel--make-name-Output",
                "pvcNameParameter": {"componentInputParameter": "pipelinechannel--make-name-Output"},
                "mountPath": "/data"
            }]
        })
    );
    let for_loop = &spec["root"]["dag"]["tasks"]["for-loop-2"];
    assert_eq!(for_loop["dependentTasks"], json!(["make-name"]));
    assert_eq!(
        for_loop["inputs"]["parameters"],
        json!({
            "pipelinechannel--make-name-Output": {
                "taskOutputParameter": {"producerTask": "make-name", "outputParameterKey": "Output"}
            },
            "pipelinechannel--secret": {"componentInputParameter": "secret"}
        })
    );
    let inner = &spec["components"]["comp-for-loop-2"]["dag"]["tasks"]["consume"];
    assert_eq!(inner.get("inputs"), None, "{inner}");
}

#[pipeline]
fn in_a_condition(secret: String, config_map: String) {
    condition(secret.ne(""), || {
        consume()
            .use_config_map_as_env(config_map, [("key", "KEY")])
            .set_image_pull_secrets([secret]);
    });
}

#[test]
fn inside_a_condition_names_are_read_through_the_condition() {
    let (spec, config) = compiled(in_a_condition::ENTRY, "exec-consume");
    assert_eq!(
        config,
        json!({
            "configMapAsEnv": [{
                "configMapNameParameter": {
                    "componentInputParameter": "pipelinechannel--config_map"
                },
                "keyToEnv": [{"configMapKey": "key", "envVar": "KEY"}],
                "optional": false
            }],
            "imagePullSecret": [{
                "secretNameParameter": {"componentInputParameter": "pipelinechannel--secret"}
            }]
        })
    );
    assert_eq!(
        spec["components"]["comp-condition-1"]["inputDefinitions"]["parameters"],
        json!({
            "pipelinechannel--config_map": {"parameterType": "STRING"},
            "pipelinechannel--secret": {"parameterType": "STRING"}
        })
    );
}

#[pipeline]
fn named_by_the_item(tenants: Vec<String>, region: String) {
    parallel_for(tenants, |tenant| {
        consume().use_secret_as_env(tenant, [("token", "TOKEN")]);
        condition(region.ne(""), || {
            consume().mount_pvc(tenant, "/data");
        });
    });
}

#[test]
fn a_loop_item_names_objects_and_reaches_groups_inside_the_loop() {
    let (spec, config) = compiled(named_by_the_item::ENTRY, "exec-consume");
    let item = json!({"componentInputParameter": "pipelinechannel--tenants-loop-item"});
    assert_eq!(
        config,
        json!({
            "secretAsEnv": [{
                "secretNameParameter": item,
                "keyToEnv": [{"secretKey": "token", "envVar": "TOKEN"}],
                "optional": false
            }]
        })
    );
    let (_, inner) = compiled(named_by_the_item::ENTRY, "exec-consume-2");
    assert_eq!(
        inner,
        json!({
            "pvcMount": [{
                "componentInputParameter": "pipelinechannel--tenants-loop-item",
                "pvcNameParameter": item,
                "mountPath": "/data"
            }]
        })
    );
    // The condition inside the loop receives the item from the loop.
    let condition = &spec["components"]["comp-for-loop-1"]["dag"]["tasks"]["condition-2"];
    assert_eq!(
        condition["inputs"]["parameters"]["pipelinechannel--tenants-loop-item"], item,
        "{condition}"
    );
    assert_eq!(
        spec["components"]["comp-condition-2"]["inputDefinitions"]["parameters"]["pipelinechannel--tenants-loop-item"],
        json!({"parameterType": "STRING"})
    );
}

#[pipeline]
fn cpu_per_item() {
    parallel_for(["500m", "2"], |cpu| {
        consume().set_cpu_limit(cpu);
    });
}

#[test]
fn a_loop_item_sets_a_resource_at_run_time() {
    let (_, yaml) = kfp_dsl::compile_to_string(cpu_per_item::ENTRY, false).unwrap();
    let file = kfp_ir_schema::validate::validate_str(&yaml, Format::Yaml).unwrap();
    let spec = serde_json::to_value(file.spec).unwrap();
    let task = &spec["components"]["comp-for-loop-2"]["dag"]["tasks"]["consume"];
    let placeholder = "{{$.inputs.parameters['pipelinechannel--loop-item-param-1']}}";
    assert_eq!(
        task["inputs"]["parameters"],
        json!({
            "cpu_limit": {"runtimeValue": {"constant": placeholder}},
            "pipelinechannel--loop-item-param-1": {
                "componentInputParameter": "pipelinechannel--loop-item-param-1"
            }
        })
    );
    let resources = &spec["deploymentSpec"]["executors"]["exec-consume"]["container"]["resources"];
    assert_eq!(resources["resourceCpuLimit"], placeholder, "{resources}");
}

#[pipeline]
fn item_outside_its_loop() {
    let mut escaped = None;
    parallel_for(["a", "b"], |item| escaped = Some(item));
    if let Some(item) = escaped {
        consume().use_secret_as_env(item, [("token", "TOKEN")]);
    }
}

#[test]
fn a_loop_item_cannot_name_an_object_after_its_loop() {
    let error = kfp_dsl::compile_to_string(item_outside_its_loop::ENTRY, false)
        .unwrap_err()
        .to_string();
    assert!(
        error.contains("task `consume`") && error.contains("outside that loop"),
        "{error}"
    );
}

/// kfp-kubernetes 2.17 compiles
/// `with dsl.ParallelFor(items) as it: use_config_map_as_volume(t, it, '/mnt')`
/// over a bare `items: list` to exactly this.
#[pipeline]
fn named_by_an_untyped_item(items: Vec<Untyped>) {
    parallel_for(items, |item| {
        consume().use_config_map_as_volume(item, "/mnt");
    });
}

#[test]
fn the_item_of_a_list_of_unknown_element_type_names_an_object() {
    let (_, config) = compiled(named_by_an_untyped_item::ENTRY, "exec-consume");
    assert_eq!(
        config,
        json!({
            "configMapAsVolume": [{
                "configMapNameParameter": {
                    "componentInputParameter": "pipelinechannel--items-loop-item"
                },
                "mountPath": "/mnt",
                "optional": false
            }]
        })
    );
}

/// The line of the first formatted name below, as the error must name it.
const FORMATTED_NAME_LINE: u32 = line!() + 7;
#[pipeline]
fn formatted_into_names(tenant: String) {
    let name = make_name();
    let pull = kfp_dsl::kubernetes::ResourceName::from(format!("{tenant}-pull"));
    consume()
        .use_secret_as_env(format!("{tenant}-token"), [("token", "TOKEN")])
        .use_config_map_as_volume(optional(format!("{}-config", name.output())), "/etc/c")
        .mount_pvc("data", format!("/data/{tenant}"))
        .add_pod_label("tenant", format!("{tenant}"))
        .set_image_pull_secrets([pull])
        .add_toleration(Toleration::equal("pool", format!("{tenant}")))
        .empty_dir_mount(EmptyDirMount::new("scratch", format!("/scratch/{tenant}")))
        .add_node_selector_json(json!({"pool": format!("{tenant}")}));
}

#[test]
fn a_formatted_string_given_to_a_kubernetes_setting_names_the_task_and_the_setting() {
    // kfp-kubernetes writes such an f-string as a constant, placeholder and
    // all, which names no object when the task runs.
    let error = kfp_dsl::compile(formatted_into_names::ENTRY)
        .unwrap_err()
        .to_string();
    for setting in [
        "use_secret_as_env",
        "use_config_map_as_volume",
        "mount_pvc",
        "add_pod_label",
        "set_image_pull_secrets",
        "add_toleration",
        "empty_dir_mount",
        "add_node_selector_json",
    ] {
        assert!(
            error.contains(&format!(
                "task `consume`: `{setting}` was given a string with a pipeline input, task \
                 output or loop item formatted into it"
            )),
            "{setting}: {error}"
        );
    }
    assert!(
        error.contains(&format!("{}:{FORMATTED_NAME_LINE}: ", file!())),
        "{error}"
    );
}
