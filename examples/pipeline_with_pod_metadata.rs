//! kfp's `pipeline_with_pod_metadata` golden: pod labels and annotations
//! (kfp-kubernetes' `add_pod_label`, `add_pod_annotation`) on four tasks,
//! each exposed to its container through the downward API
//! (`use_field_path_as_env`), and a fifth task without any, which checks
//! that the others' metadata did not leak into its pod.

use kfp_dsl::kubernetes::KubernetesSettings;
use kfp_dsl::prelude::*;

/// Checks that each environment variable of `expected` (name, value) holds
/// the value.
fn check_env(kind: &str, expected: &[(&str, &str)]) -> Result<bool, String> {
    for (name, value) in expected {
        let found = std::env::var(name).unwrap_or_default();
        if found != *value {
            return Err(format!(
                "Pod {kind} is {found} but is supposed to be {value}."
            ));
        }
    }
    Ok(true)
}

#[component]
fn validate_pod_metadata_task_a(
    annotation_path: String,
    annotation_exp_val: String,
    label_path_1: String,
    label_exp_val_1: String,
    label_path_2: String,
    label_exp_val_2: String,
) -> Result<bool, String> {
    check_env("annotation", &[(&annotation_path, &annotation_exp_val)])?;
    check_env(
        "label",
        &[
            (&label_path_1, &label_exp_val_1),
            (&label_path_2, &label_exp_val_2),
        ],
    )
}

#[component]
fn validate_pod_metadata_task_b(
    annotation_path_1: String,
    annotation_exp_val_1: String,
    annotation_path_2: String,
    annotation_exp_val_2: String,
    annotation_path_3: String,
    annotation_exp_val_3: String,
    annotation_path_4: String,
    annotation_exp_val_4: String,
    label_path_1: String,
    label_exp_val_1: String,
    label_path_2: String,
    label_exp_val_2: String,
    label_path_3: String,
    label_exp_val_3: String,
) -> Result<bool, String> {
    check_env(
        "annotation",
        &[
            (&annotation_path_1, &annotation_exp_val_1),
            (&annotation_path_2, &annotation_exp_val_2),
            (&annotation_path_3, &annotation_exp_val_3),
            (&annotation_path_4, &annotation_exp_val_4),
        ],
    )?;
    check_env(
        "label",
        &[
            (&label_path_1, &label_exp_val_1),
            (&label_path_2, &label_exp_val_2),
            (&label_path_3, &label_exp_val_3),
        ],
    )
}

#[component]
fn validate_pod_metadata_task_c(
    annotation_path_1: String,
    annotation_exp_val_1: String,
    annotation_path_2: String,
    annotation_exp_val_2: String,
) -> Result<bool, String> {
    check_env(
        "annotation",
        &[
            (&annotation_path_1, &annotation_exp_val_1),
            (&annotation_path_2, &annotation_exp_val_2),
        ],
    )
}

#[component]
fn validate_pod_metadata_task_d(
    label_path_1: String,
    label_exp_val_1: String,
    label_path_2: String,
    label_exp_val_2: String,
    label_path_3: String,
    label_exp_val_3: String,
) -> Result<bool, String> {
    check_env(
        "label",
        &[
            (&label_path_1, &label_exp_val_1),
            (&label_path_2, &label_exp_val_2),
            (&label_path_3, &label_exp_val_3),
        ],
    )
}

#[component]
fn validate_no_pod_metadata() -> Result<bool, String> {
    check_env(
        "annotation",
        &[("POD_TASK_ANNOTATION", ""), ("POD_TASK_ANNOTATION_1", "")],
    )?;
    check_env("label", &[("POD_TASK_LABEL", ""), ("POD_TASK_LABEL_1", "")])
}

#[pipeline]
pub fn pipeline_with_pod_metadata() {
    // One annotation and two labels.
    validate_pod_metadata_task_a(
        "POD_TASK_ANNOTATION",
        "annotation",
        "POD_TASK_LABEL_1",
        "label-1",
        "POD_TASK_LABEL_2",
        "label-2",
    )
    .set_caching_options(false)
    .add_pod_label("task-label-1", "label-1")
    .add_pod_label("task-label-2", "label-2")
    .add_pod_annotation("task-annotation", "annotation")
    .use_field_path_as_env(
        "POD_TASK_ANNOTATION",
        "metadata.annotations['task-annotation']",
    )
    .use_field_path_as_env("POD_TASK_LABEL_1", "metadata.labels['task-label-1']")
    .use_field_path_as_env("POD_TASK_LABEL_2", "metadata.labels['task-label-2']");

    // Four annotations and three labels.
    let mut b = validate_pod_metadata_task_b(
        "POD_TASK_ANNOTATION_1",
        "annotation-1",
        "POD_TASK_ANNOTATION_2",
        "annotation-2",
        "POD_TASK_ANNOTATION_3",
        "annotation-3",
        "POD_TASK_ANNOTATION_4",
        "annotation-4",
        "POD_TASK_LABEL_1",
        "label-1",
        "POD_TASK_LABEL_2",
        "label-2",
        "POD_TASK_LABEL_3",
        "label-3",
    )
    .set_caching_options(false);
    for i in 1..=4 {
        b = b.add_pod_annotation(format!("task-annotation-{i}"), format!("annotation-{i}"));
    }
    for i in 1..=3 {
        b = b.add_pod_label(format!("task-label-{i}"), format!("label-{i}"));
    }
    for i in 1..=4 {
        b = b.use_field_path_as_env(
            format!("POD_TASK_ANNOTATION_{i}"),
            format!("metadata.annotations['task-annotation-{i}']"),
        );
    }
    for i in 1..=3 {
        b = b.use_field_path_as_env(
            format!("POD_TASK_LABEL_{i}"),
            format!("metadata.labels['task-label-{i}']"),
        );
    }

    // Two annotations and no label.
    validate_pod_metadata_task_c(
        "POD_TASK_ANNOTATION_1",
        "annotation-1",
        "POD_TASK_ANNOTATION_2",
        "annotation-2",
    )
    .set_caching_options(false)
    .add_pod_annotation("task-annotation-1", "annotation-1")
    .add_pod_annotation("task-annotation-2", "annotation-2")
    .use_field_path_as_env(
        "POD_TASK_ANNOTATION_1",
        "metadata.annotations['task-annotation-1']",
    )
    .use_field_path_as_env(
        "POD_TASK_ANNOTATION_2",
        "metadata.annotations['task-annotation-2']",
    );

    // No annotation and three labels.
    validate_pod_metadata_task_d(
        "POD_TASK_LABEL_1",
        "label-1",
        "POD_TASK_LABEL_2",
        "label-2",
        "POD_TASK_LABEL_3",
        "label-3",
    )
    .set_caching_options(false)
    .add_pod_label("task-label-1", "label-1")
    .add_pod_label("task-label-2", "label-2")
    .add_pod_label("task-label-3", "label-3")
    .use_field_path_as_env("POD_TASK_LABEL_1", "metadata.labels['task-label-1']")
    .use_field_path_as_env("POD_TASK_LABEL_2", "metadata.labels['task-label-2']")
    .use_field_path_as_env("POD_TASK_LABEL_3", "metadata.labels['task-label-3']");

    // No metadata: the variables read fields that are not there.
    validate_no_pod_metadata()
        .set_caching_options(false)
        .use_field_path_as_env(
            "POD_TASK_ANNOTATION",
            "metadata.annotations['task-annotation']",
        )
        .use_field_path_as_env(
            "POD_TASK_ANNOTATION_1",
            "metadata.annotations['task-annotation-1']",
        )
        .use_field_path_as_env("POD_TASK_LABEL", "metadata.labels['task-label']")
        .use_field_path_as_env("POD_TASK_LABEL_1", "metadata.labels['task-label-1']");
}

fn main() -> std::process::ExitCode {
    kfp_dsl::main!(pipeline_with_pod_metadata)
}
