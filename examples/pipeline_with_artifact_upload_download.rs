//! kfp's `critical/pipeline_with_artifact_upload_download` golden: a
//! dataset downloaded from the Hugging Face Hub into an output dataset,
//! which the next task describes.
//!
//! kfp's component calls the `datasets` package (`load_dataset(repo,
//! name).save_to_disk(path)`). This one downloads the dataset
//! repository's files as they are, with `curl`, into the output dataset's
//! folder: all of them, or, given `dataset_name`, those of that
//! configuration (under its folder). A `file://` URL as `dataset_repo`
//! names a folder on this machine to copy instead, so that the pipeline
//! runs offline:
//!
//! ```sh
//! cargo run --example pipeline_with_artifact_upload_download -- run \
//!     dataset_repo=file:///path/to/a/dataset
//! ```

use std::fs;
use std::path::Path;
use std::process::Command;

use kfp_dsl::prelude::*;

/// The Hugging Face Hub.
const HUB: &str = "https://huggingface.co";

#[component]
fn download_dataset_and_upload_as_artifact(
    dataset_repo: String,
    dataset_name: String,
    output_dataset: Output<Dataset>,
) -> Result<(), String> {
    let target = output_dataset.path();
    fs::create_dir_all(&target).map_err(|e| format!("{}: {e}", target.display()))?;
    match dataset_repo.strip_prefix("file://") {
        Some(folder) => copy_folder(Path::new(folder), &target)?,
        None => download_repo(&dataset_repo, &dataset_name, &target)?,
    }
    println!("Downloaded Hugging Face data");
    println!("Saved to {}", target.display());
    Ok(())
}

#[component]
fn print_dataset_info(dataset: Input<Dataset>) -> Result<(), String> {
    println!("Information about the artifact");
    println!("Name: {}", dataset.name());
    println!("URI: {}", dataset.uri());
    if dataset
        .uri()
        .contains("download-dataset-and-upload-as-artifact")
    {
        Ok(())
    } else {
        Err(
            "The URI of the downloaded artifact does not match the expected function's name \
             that generated it"
                .to_owned(),
        )
    }
}

/// Downloads the files of dataset repository `repo` (those under folder
/// `name`, unless it is empty) into `target`, keeping their paths.
fn download_repo(repo: &str, name: &str, target: &Path) -> Result<(), String> {
    let listing = curl(
        &format!("{HUB}/api/datasets/{repo}/tree/main?recursive=true"),
        None,
    )?;
    let entries: Vec<serde_json::Value> = serde_json::from_slice(&listing)
        .map_err(|e| format!("the Hub's file list of `{repo}`: {e}"))?;
    let prefix = if name.is_empty() {
        String::new()
    } else {
        format!("{name}/")
    };
    let files = entries
        .iter()
        .filter(|e| e["type"] == "file")
        .filter_map(|e| e["path"].as_str())
        .filter(|path| path.starts_with(&prefix) && *path != ".gitattributes");
    let mut count = 0;
    for path in files {
        let file = target.join(path);
        if let Some(parent) = file.parent() {
            fs::create_dir_all(parent).map_err(|e| format!("{}: {e}", parent.display()))?;
        }
        curl(
            &format!("{HUB}/datasets/{repo}/resolve/main/{path}"),
            Some(&file),
        )?;
        count += 1;
    }
    if count == 0 {
        return Err(format!("dataset `{repo}` has no files under `{name}`"));
    }
    Ok(())
}

/// The body of `url`, or nothing once it is written to `file`.
fn curl(url: &str, file: Option<&Path>) -> Result<Vec<u8>, String> {
    let mut command = Command::new("curl");
    command.args(["--fail", "--silent", "--show-error", "--location"]);
    if let Some(file) = file {
        command.arg("--output").arg(file);
    }
    let output = command
        .arg(url)
        .output()
        .map_err(|e| format!("curl: {e}"))?;
    if !output.status.success() {
        let stderr = String::from_utf8_lossy(&output.stderr);
        return Err(format!("curl {url}: {}", stderr.trim()));
    }
    Ok(output.stdout)
}

/// Copies the files of folder `from` into `to`, sub-folders included.
fn copy_folder(from: &Path, to: &Path) -> Result<(), String> {
    let entries = fs::read_dir(from).map_err(|e| format!("{}: {e}", from.display()))?;
    for entry in entries {
        let entry = entry.map_err(|e| format!("{}: {e}", from.display()))?;
        let (source, copy) = (entry.path(), to.join(entry.file_name()));
        if source.is_dir() {
            fs::create_dir_all(&copy).map_err(|e| format!("{}: {e}", copy.display()))?;
            copy_folder(&source, &copy)?;
        } else {
            fs::copy(&source, &copy).map_err(|e| format!("{}: {e}", source.display()))?;
        }
    }
    Ok(())
}

#[pipeline(
    name = "pipeline-with-datasets",
    description = "Download Hugging Face Data Set, upload it as an artifact and print its metadata"
)]
pub fn pipeline_with_datasets(
    #[kfp(default = "google/frames-benchmark")] dataset_repo: String,
    #[kfp(default = "")] dataset_name: String,
) {
    let downloaded = download_dataset_and_upload_as_artifact(dataset_repo, dataset_name);
    print_dataset_info(downloaded.outputs().output_dataset);
}

fn main() -> std::process::ExitCode {
    kfp_dsl::main!(pipeline_with_datasets)
}
