//! kfp's `create_pod_metadata_complex` golden: one component with optional
//! inputs used by two tasks with different pod labels and annotations
//! (kfp-kubernetes' `add_pod_label`, `add_pod_annotation`), each read back
//! through environment variables (`use_field_path_as_env`), and a task with
//! none.

use kfp_dsl::kubernetes::KubernetesSettings;
use kfp_dsl::prelude::*;

/// Checks that each environment variable named holds the value expected.
fn check(pairs: [(Option<String>, Option<String>); 4]) -> Result<bool, String> {
    for (path, expected) in pairs {
        if let (Some(path), Some(expected)) = (path, expected) {
            let found = std::env::var(&path).unwrap_or_default();
            if found != expected {
                return Err(format!(
                    "{path} is {found} but is supposed to be {expected}."
                ));
            }
        }
    }
    Ok(true)
}

#[component]
#[allow(clippy::too_many_arguments)]
fn validate_pod_metadata(
    annotation_path_1: Option<String>,
    annotation_exp_val_1: Option<String>,
    annotation_path_2: Option<String>,
    annotation_exp_val_2: Option<String>,
    label_path_1: Option<String>,
    label_exp_val_1: Option<String>,
    label_path_2: Option<String>,
    label_exp_val_2: Option<String>,
) -> Result<bool, String> {
    check([
        (annotation_path_1, annotation_exp_val_1),
        (annotation_path_2, annotation_exp_val_2),
        (label_path_1, label_exp_val_1),
        (label_path_2, label_exp_val_2),
    ])
}

#[component]
fn validate_no_pod_metadata(annotation_path: String, label_path: String) -> Result<bool, String> {
    for name in [annotation_path, label_path] {
        if std::env::var(&name).is_ok_and(|v| !v.is_empty()) {
            return Err(format!("{name} is set but should not be."));
        }
    }
    Ok(true)
}

#[pipeline(name = "pipeline-with-pod-metadata")]
pub fn pipeline_with_pod_metadata() {
    validate_pod_metadata()
        .annotation_path_1("POD_TASK_ANNOTATION")
        .annotation_exp_val_1("annotation")
        .label_path_1("POD_TASK_LABEL_1")
        .label_exp_val_1("label-1")
        .label_path_2("POD_TASK_LABEL_2")
        .label_exp_val_2("label-2")
        .set_caching_options(false)
        .add_pod_annotation("task-annotation", "annotation")
        .add_pod_label("task-label-1", "label-1")
        .add_pod_label("task-label-2", "label-2")
        .use_field_path_as_env(
            "POD_TASK_ANNOTATION",
            "metadata.annotations['task-annotation']",
        )
        .use_field_path_as_env("POD_TASK_LABEL_1", "metadata.labels['task-label-1']")
        .use_field_path_as_env("POD_TASK_LABEL_2", "metadata.labels['task-label-2']");

    validate_pod_metadata()
        .annotation_path_1("POD_TASK_ANNOTATION_1")
        .annotation_exp_val_1("annotation-1")
        .annotation_path_2("POD_TASK_ANNOTATION_2")
        .annotation_exp_val_2("annotation-2")
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

    validate_no_pod_metadata("POD_TASK_ANNOTATION", "POD_TASK_LABEL").set_caching_options(false);
}

fn main() -> std::process::ExitCode {
    kfp_dsl::main!(pipeline_with_pod_metadata)
}
