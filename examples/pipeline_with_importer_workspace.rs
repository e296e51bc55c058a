//! kfp's `critical/pipeline_with_importer_workspace` golden: importers
//! with `download_to_workspace(true)` download a file artifact and a folder
//! artifact into the pipeline's workspace, inside a sub-pipeline, and the
//! tasks that take them read them there.

use std::path::Path;

use kfp_dsl::prelude::*;
use serde_json::json;

/// What `train` gives (kfp's `NamedTuple('Outputs', scalar=str, message=str)`).
#[derive(Outputs)]
pub struct TrainOutputs {
    scalar: String,
    message: String,
}

/// Dummy Training step.
#[component]
fn train(dataset: Input<Dataset>) -> std::io::Result<TrainOutputs> {
    let data = std::fs::read_to_string(dataset.path())?;
    println!("Dataset: {data}");
    Ok(TrainOutputs {
        scalar: "123".to_owned(),
        message: format!("My model trained using data: {data}"),
    })
}

/// Walk the directory and return a summary of file names.
#[component]
fn read_dir(data: Input<Dataset>) -> Result<String, String> {
    let path = data.path();
    if !path.exists() {
        return Err(format!("Path does not exist: {}", path.display()));
    }
    if !path.is_dir() {
        return Err(format!("Not a directory: {}", path.display()));
    }
    let mut names = Vec::new();
    walk(path, path, &mut names).map_err(|e| e.to_string())?;
    names.sort();
    let result = if names.is_empty() {
        "EMPTY_DIRECTORY".to_owned()
    } else {
        names.join(",")
    };
    println!("Found {} files: {result}", names.len());
    Ok(result)
}

/// The files under `dir`, as paths relative to `root` (Python's `os.walk`).
fn walk(root: &Path, dir: &Path, names: &mut Vec<String>) -> std::io::Result<()> {
    for entry in std::fs::read_dir(dir)? {
        let path = entry?.path();
        if path.is_dir() {
            walk(root, &path, names)?;
        } else if let Ok(relative) = path.strip_prefix(root) {
            names.push(relative.display().to_string());
        }
    }
    Ok(())
}

#[component]
fn write_file_artifact(out_ds: Output<Dataset>) -> std::io::Result<()> {
    if let Some(parent) = out_ds.path().parent() {
        std::fs::create_dir_all(parent)?;
    }
    std::fs::write(out_ds.path(), "Hello from producer file\n")
}

#[component]
fn write_dir_artifact(out_ds: Output<Dataset>) -> std::io::Result<()> {
    let dir = out_ds.path();
    std::fs::create_dir_all(&dir)?;
    std::fs::write(dir.join("part-000.txt"), "First file in directory.\n")?;
    std::fs::write(dir.join("part-001.txt"), "Second file in directory.\n")
}

#[component]
fn get_uri(d: Input<Dataset>) -> String {
    println!("Artifact URI: {}", d.uri());
    d.uri().to_owned()
}

/// The results of the import stage and of the pipeline.
#[derive(Outputs)]
pub struct ImportOutputs {
    train_result: String,
    dir_result: String,
}

/// Nested stage that imports by URI and runs consumers.
#[pipeline(name = "import-stage")]
fn import_stage(file_uri: String, dir_uri: String) -> ImportOutputs {
    let importer1 = importer::<Dataset>(file_uri)
        .reimport(false)
        .metadata(json!({"key": "value"}))
        .download_to_workspace(true);
    let dir_import = importer::<Dataset>(dir_uri)
        .reimport(true)
        .download_to_workspace(true)
        .metadata(json!({"source": "directory"}));
    let train_task = train(importer1.output());
    let dir_task = read_dir(dir_import.output());
    ImportOutputsHandles {
        train_result: train_task.output().scalar,
        dir_result: dir_task.output(),
    }
}

/// Test pipeline for importer with download_to_workspace feature.
#[pipeline(
    name = "pipeline-with-importer-workspace",
    description = "Importer downloads an artifact into workspace; downstream reads it",
    pipeline_config = PipelineConfig::new().workspace(
        WorkspaceConfig::new("1Gi").pvc_spec_patch(json!({
            "storageClassName": "standard",
            "accessModes": ["ReadWriteOnce"],
        })),
    ),
)]
pub fn pipeline_with_importer_workspace() -> ImportOutputs {
    // Produce a file artifact and compute its runtime URI.
    let file_writer = write_file_artifact();
    let file_uri = get_uri(file_writer.outputs().out_ds);
    // Produce a directory artifact and compute its runtime URI.
    let dir_writer = write_dir_artifact();
    let dir_uri = get_uri(dir_writer.outputs().out_ds);
    // Import and consume inside a nested sub-pipeline.
    import_stage(file_uri.output(), dir_uri.output()).output()
}

fn main() -> std::process::ExitCode {
    kfp_dsl::main!(pipeline_with_importer_workspace)
}
