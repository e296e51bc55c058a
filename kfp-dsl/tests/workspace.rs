//! Workspaces (kfp's `dsl.PipelineConfig(workspace=...)`): what is written
//! to the platform spec, and the pipelines kfp refuses, with kfp's reasons.

use kfp_dsl::placeholders;
use kfp_dsl::prelude::*;
use serde_json::json;

#[component]
fn echo(text: String) -> String {
    text
}

#[component]
fn read(data: Input<Dataset>) {
    let _ = data;
}

#[pipeline(pipeline_config = PipelineConfig::new().workspace(WorkspaceConfig::new(" 10Gi ")))]
fn sized_only() {
    echo(format!("{}/data", placeholders::WORKSPACE_PATH));
}

#[pipeline]
fn placeholder_without_workspace() {
    echo(placeholders::WORKSPACE_PATH);
}

#[pipeline]
fn mount_path_without_workspace() {
    echo("/kfp-workspace/data.csv");
}

#[pipeline]
fn uses_it_inside() {
    echo(placeholders::WORKSPACE_PATH);
}

#[pipeline]
fn sub_pipeline_uses_workspace() {
    uses_it_inside();
}

#[pipeline]
fn importer_without_workspace() {
    let imported = importer::<Dataset>("gs://bucket/data.csv").download_to_workspace(true);
    read(imported.output());
}

#[pipeline(pipeline_config = PipelineConfig::new().workspace(WorkspaceConfig::new("1 GB")))]
fn invalid_size() {
    echo("hi");
}

#[pipeline(pipeline_config = PipelineConfig::new().workspace(WorkspaceConfig::new("  ")))]
fn empty_size() {
    echo("hi");
}

#[pipeline(pipeline_config = PipelineConfig::new().workspace(
    WorkspaceConfig::new("1Gi").pvc_spec_patch(json!(["ReadWriteOnce"])),
))]
fn patch_not_an_object() {
    echo("hi");
}

#[pipeline(pipeline_config = PipelineConfig::new())]
fn empty_config() {
    echo("hi");
}

#[test]
fn a_workspace_is_written_with_kfps_empty_patch_and_trimmed_size() {
    let file = kfp_dsl::compile(sized_only::ENTRY).unwrap();
    let platform = serde_json::to_value(file.platform.unwrap()).unwrap();
    assert_eq!(
        platform,
        json!({"platforms": {"kubernetes": {"pipelineConfig": {"workspace": {
            "size": "10Gi",
            "kubernetes": {"pvcSpecPatch": {}}
        }}}}})
    );
}

#[test]
fn a_config_that_sets_nothing_writes_nothing() {
    let file = kfp_dsl::compile(empty_config::ENTRY).unwrap();
    assert!(file.platform.is_none());
}

#[test]
fn using_the_workspace_without_one_is_refused() {
    let cases = [
        (
            placeholder_without_workspace::ENTRY,
            "pipeline `placeholder-without-workspace`: task `echo` gives input `text` the workspace",
        ),
        (
            mount_path_without_workspace::ENTRY,
            "pipeline `mount-path-without-workspace`: task `echo` gives input `text` the workspace",
        ),
        (
            sub_pipeline_uses_workspace::ENTRY,
            "task `echo` (in `comp-uses-it-inside`) gives input `text` the workspace",
        ),
        (
            importer_without_workspace::ENTRY,
            "importer `exec-importer` downloads its artifact into the workspace (`download_to_workspace`), but the pipeline has no workspace",
        ),
    ];
    for (entry, expected) in cases {
        let error = kfp_dsl::compile(entry).unwrap_err().to_string();
        assert!(error.contains(expected), "{error}");
        assert!(
            error.ends_with(
                "give it one in its config (kfp's `PipelineConfig(workspace=WorkspaceConfig(size=...))`)"
            ),
            "{error}"
        );
    }
}

#[test]
fn a_workspace_kfp_refuses_is_refused_with_kfps_message() {
    let cases = [
        (
            invalid_size::ENTRY,
            "pipeline `invalid-size`: Workspace size \"1 GB\" is invalid. Must be a valid Kubernetes resource quantity (e.g., \"10Gi\", \"500Mi\", \"1Ti\")",
        ),
        (
            empty_size::ENTRY,
            "pipeline `empty-size`: Workspace size is required and cannot be empty",
        ),
        (
            patch_not_an_object::ENTRY,
            "pipeline `patch-not-an-object`: the PVC spec patch of the workspace is a JSON object, not [\"ReadWriteOnce\"]",
        ),
    ];
    for (entry, expected) in cases {
        let error = kfp_dsl::compile(entry).unwrap_err().to_string();
        assert!(error.ends_with(expected), "{error}");
    }
}

#[pipeline(pipeline_config = PipelineConfig::new()
    .ttl_seconds_after_finished(0)
    .active_deadline_seconds(0))]
fn zero_seconds() {
    echo("hi");
}

#[pipeline(pipeline_config = PipelineConfig::new().active_deadline_seconds(u32::MAX))]
fn deadline_too_long() {
    echo("hi");
}

#[test]
fn seconds_of_zero_are_not_written_as_kfp_leaves_them_out() {
    let file = kfp_dsl::compile(zero_seconds::ENTRY).unwrap();
    assert!(file.platform.is_none());
}

#[test]
fn seconds_above_int32_are_refused_with_kfps_message() {
    let error = kfp_dsl::compile(deadline_too_long::ENTRY)
        .unwrap_err()
        .to_string();
    assert!(
        error.ends_with(
            "pipeline `deadline-too-long`: active_deadline_seconds must not exceed the int32 \
             maximum (2147483647). Got: 4294967295"
        ),
        "{error}"
    );
}
