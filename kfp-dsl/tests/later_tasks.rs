//! A setting, a Kubernetes setting or `after` may name a task made after
//! the task it is set on, as in kfp: the task graph decides the order
//! (`tests/kfp_parity/setting_reads_later_task.rs` compares one such
//! pipeline with kfp's IR). A real cycle is refused, naming its tasks.

use kfp_dsl::kubernetes::KubernetesSettings;
use kfp_dsl::prelude::*;

#[component]
fn pick() -> String {
    "2".to_owned()
}

#[component]
fn echo(text: String) -> String {
    text
}

#[pipeline]
fn kubernetes_setting_reads_later_task() {
    let consumer = echo("hi");
    let name = pick();
    consumer.use_secret_as_env(name.output(), [("token", "TOKEN")]);
}

#[pipeline]
fn setting_makes_a_cycle() {
    let first = echo("hi");
    let second = echo(first.output());
    first.set_cpu_request(second.output());
}

#[pipeline]
fn after_makes_a_cycle() {
    let first = echo("hi");
    let second = echo(first.output());
    first.after(&second);
}

#[test]
fn a_kubernetes_setting_may_read_a_later_task() {
    let file = kfp_dsl::compile(kubernetes_setting_reads_later_task::ENTRY).unwrap();
    let spec = serde_json::to_value(&file.spec).unwrap();
    let echo = &spec["root"]["dag"]["tasks"]["echo"];
    assert_eq!(
        echo["dependentTasks"],
        serde_json::json!(["pick"]),
        "{echo}"
    );
}

#[test]
fn a_cycle_is_refused_naming_its_tasks() {
    for entry in [setting_makes_a_cycle::ENTRY, after_makes_a_cycle::ENTRY] {
        let error = kfp_dsl::compile(entry).unwrap_err().to_string();
        assert!(
            error.contains("dependency cycle: `echo` → `echo-2` → `echo`"),
            "{error}"
        );
    }
}
