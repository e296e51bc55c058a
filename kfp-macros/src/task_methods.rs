//! The methods every generated task has. An optional input becomes a
//! method of its task, so its name must not be one of these: it would
//! shadow the method (an inherent method wins over a trait's), silently.

/// The methods of kfp-dsl's task-settings traits (`TaskSettings` and
/// `KubernetesSettings`, which every task implements). This is the one
/// list: kfp-dsl takes it through `__task_settings!` and its test
/// `task_settings` checks it against those traits' methods, both ways, so
/// a method added there without being added here fails that test.
pub const SETTINGS: &[&str] = &[
    // `kfp_dsl::TaskSettings`
    "task_handle",
    "after",
    "set_cpu_request",
    "set_cpu_limit",
    "set_memory_request",
    "set_memory_limit",
    "set_accelerator_type",
    "set_accelerator_limit",
    "set_env_variable",
    "set_caching_options",
    "set_cache_key",
    "set_retry",
    "set_retry_policy",
    "set_display_name",
    "set_container_image",
    "ignore_upstream_failure",
    // `kfp_dsl::kubernetes::KubernetesSettings`
    "use_secret_as_env",
    "use_secret_as_volume",
    "use_config_map_as_env",
    "use_config_map_as_volume",
    "mount_pvc",
    "mount_pvc_sub_path",
    "add_ephemeral_volume",
    "empty_dir_mount",
    "add_node_selector",
    "add_node_selector_json",
    "add_toleration",
    "add_toleration_json",
    "add_node_affinity",
    "add_node_affinity_json",
    "add_pod_label",
    "add_pod_annotation",
    "set_image_pull_secrets",
    "set_image_pull_policy",
    "use_field_path_as_env",
    "set_timeout",
    "set_security_context",
];

/// The methods the macros generate on a task: the handles of its outputs.
pub const GENERATED: &[&str] = &["outputs", "output"];

/// Whether a method named `name` would shadow a method of every task.
pub fn is_task_method(name: &str) -> bool {
    SETTINGS.contains(&name) || GENERATED.contains(&name)
}
