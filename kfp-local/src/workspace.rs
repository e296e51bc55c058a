//! The run's workspace (kfp's `dsl.PipelineConfig(workspace=...)`): a
//! folder of the run's own ([`Layout::workspace`](crate::layout::Layout::workspace)),
//! which `{{$.workspace_path}}` stands for. A process of this machine sees
//! the folder itself; a container sees it at `/kfp-workspace`, where the
//! backend mounts the workspace's volume.
//!
//! An importer with `downloadToWorkspace` copies its artifact into it, at
//! the path the launcher downloads it to (`.artifacts/` and the URI's
//! local path), and the tasks that take the artifact read that copy: its
//! `custom_path` points there (kfp.local's way; the backend marks it
//! `_kfp_workspace` instead, which only its own launcher reads).

use std::io;
use std::path::Path;

use kfp_ir_schema::executor::local_path;
use kfp_ir_schema::workspace::{MOUNT_PATH, artifact_path};

/// The path `{{$.workspace_path}}` stands for in a task: the folder
/// `host` itself on this machine, [`MOUNT_PATH`] in a container.
pub(crate) fn seen_at(on_host: bool, host: &Path) -> String {
    if on_host {
        host.display().to_string()
    } else {
        MOUNT_PATH.to_owned()
    }
}

/// Copies the artifact at `uri` into the workspace `host`, which tasks see
/// at `seen`, replacing an earlier copy; returns the path of the copy as
/// tasks see it.
///
/// # Errors
/// A URI the launcher cannot map or the workspace cannot take (`oci://`),
/// an artifact that is not a file or folder of this machine, or a failed
/// copy, as a message for the importer's failure.
pub(crate) fn download(uri: &str, host: &Path, seen: &str) -> Result<String, String> {
    let cannot = |why: String| format!("cannot download `{uri}` into the workspace: {why}");
    let relative = artifact_path(uri).map_err(|e| cannot(e.to_string()))?;
    let source = local_path(uri).map_err(|e| cannot(e.to_string()))?;
    if !source.exists() {
        return Err(cannot("it is not a file or folder on this machine".into()));
    }
    let target = host.join(&relative);
    copy(&source, &target).map_err(|e| {
        format!(
            "cannot download `{uri}` into the workspace ({}): {e}",
            target.display()
        )
    })?;
    Ok(Path::new(seen).join(relative).display().to_string())
}

/// Copies a file or a folder (recursively) to `target`, replacing what is
/// there.
fn copy(source: &Path, target: &Path) -> io::Result<()> {
    match std::fs::symlink_metadata(target) {
        Ok(meta) if meta.is_dir() => std::fs::remove_dir_all(target)?,
        Ok(_) => std::fs::remove_file(target)?,
        Err(_) => {}
    }
    if let Some(parent) = target.parent() {
        std::fs::create_dir_all(parent)?;
    }
    copy_into(source, target)
}

fn copy_into(source: &Path, target: &Path) -> io::Result<()> {
    if !source.is_dir() {
        return std::fs::copy(source, target).map(drop);
    }
    std::fs::create_dir_all(target)?;
    for entry in std::fs::read_dir(source)? {
        let entry = entry?;
        // A symlink to a folder is not followed, so that a loop cannot
        // make the copy endless.
        if entry.file_type()?.is_symlink() && entry.path().is_dir() {
            continue;
        }
        copy_into(&entry.path(), &target.join(entry.file_name()))?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_folder_is_copied_where_the_launcher_downloads_it() {
        let dir = tempfile::tempdir().unwrap();
        let source = dir.path().join("root/ds");
        std::fs::create_dir_all(source.join("sub")).unwrap();
        std::fs::write(source.join("a.txt"), "a").unwrap();
        std::fs::write(source.join("sub/b.txt"), "b").unwrap();
        let host = dir.path().join("ws");
        let uri = source.display().to_string();

        let seen = download(&uri, &host, "/kfp-workspace").unwrap();
        let relative = format!(".artifacts{uri}");
        assert_eq!(seen, format!("/kfp-workspace/{relative}"));
        let copy = host.join(&relative);
        assert_eq!(std::fs::read_to_string(copy.join("a.txt")).unwrap(), "a");
        assert_eq!(
            std::fs::read_to_string(copy.join("sub/b.txt")).unwrap(),
            "b"
        );

        // Again, after the artifact changed: the copy is replaced.
        std::fs::remove_file(source.join("sub/b.txt")).unwrap();
        download(&uri, &host, "/kfp-workspace").unwrap();
        assert!(!copy.join("sub/b.txt").exists());
    }

    #[test]
    fn what_is_not_here_is_not_downloaded() {
        let dir = tempfile::tempdir().unwrap();
        let err = download("gs://bucket/none.csv", dir.path(), "/ws").unwrap_err();
        assert_eq!(
            err,
            "cannot download `gs://bucket/none.csv` into the workspace: it is not a file or folder on this machine"
        );
        let err = download("oci://r/m:1", dir.path(), "/ws").unwrap_err();
        assert!(
            err.ends_with("is an OCI image, which the workspace does not take"),
            "{err}"
        );
    }
}
