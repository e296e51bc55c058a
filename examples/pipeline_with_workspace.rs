//! kfp's `critical/pipeline_with_workspace` golden: the pipeline has a
//! workspace (kfp's `dsl.PipelineConfig(workspace=dsl.WorkspaceConfig(...))`),
//! a volume its tasks share; one task writes a file under
//! `placeholders::WORKSPACE_PATH` and the next reads it by the path the
//! first returned.

use kfp_dsl::placeholders;
use kfp_dsl::prelude::*;
use serde_json::json;

/// Write a file to the workspace.
#[component]
fn write_to_workspace(workspace_path: String) -> std::io::Result<String> {
    let file_path = std::path::Path::new(&workspace_path).join("data/test_file.txt");
    std::fs::create_dir_all(file_path.parent().expect("a file in a folder"))?;
    std::fs::write(&file_path, "Hello from workspace!")?;
    println!("Wrote file to: {}", file_path.display());
    Ok(file_path.display().to_string())
}

/// Read a file from the workspace using the provided file path.
#[component]
fn read_from_workspace(file_path: String) -> std::io::Result<String> {
    if !std::path::Path::new(&file_path).exists() {
        println!("File not found at: {file_path}");
        return Ok("File not found".to_owned());
    }
    let content = std::fs::read_to_string(&file_path)?;
    println!("Read content from: {file_path}");
    println!("Content: {content}");
    assert_eq!(content, "Hello from workspace!");
    Ok(content)
}

#[pipeline(
    name = "pipeline-with-workspace",
    description = "A pipeline that demonstrates workspace functionality",
    pipeline_config = PipelineConfig::new().workspace(
        WorkspaceConfig::new("1Gi").pvc_spec_patch(json!({
            "storageClassName": "standard",
            "accessModes": ["ReadWriteOnce"],
        })),
    ),
)]
pub fn pipeline_with_workspace() -> String {
    let write_task = write_to_workspace(placeholders::WORKSPACE_PATH);
    let read_task = read_from_workspace(write_task.output());
    read_task.output()
}

fn main() -> std::process::ExitCode {
    kfp_dsl::main!(pipeline_with_workspace)
}
