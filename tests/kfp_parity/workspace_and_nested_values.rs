//! `workspace_and_nested_values.py` in Rust: a workspace with a size only
//! (kfp trims it and writes an empty PVC patch), used by a formatted
//! string, a path under its mount and an importer; a task output formatted
//! into a struct argument.

use kfp_dsl::placeholders;
use kfp_dsl::prelude::*;
use serde_json::json;

#[component]
pub fn write(path: String) -> String {
    path
}

#[component]
pub fn read(data: Input<Dataset>, config: serde_json::Map<String, serde_json::Value>) -> String {
    let _ = config;
    data.path().display().to_string()
}

#[pipeline(
    name = "workspace-and-nested-values",
    pipeline_config = PipelineConfig::new().workspace(WorkspaceConfig::new(" 2Gi ")),
)]
pub fn workspace_and_nested_values(
    #[kfp(default = "gs://bucket/data.csv")] uri: String,
) {
    let written = write(format!("{}/data", placeholders::WORKSPACE_PATH));
    write("/kfp-workspace/fixed");
    let imported = importer::<Dataset>(uri).download_to_workspace(true);
    let path = written.output();
    let config = json!({
        "path": path.to_string(),
        "files": [format!("{path}/a"), "fixed"],
        "count": 1,
    });
    read(imported.output(), config.as_object().cloned().unwrap_or_default());
}
