//! Artifacts on disk, served safely: a file is served only when its real
//! path (symbolic links resolved) lies inside both the run's pipeline
//! root and the artifact's own file or folder. Anything else, or anything
//! that does not exist, is "not found", so the answer says nothing about
//! what lies outside.

use std::fs;
use std::io::Read;
use std::path::{Path, PathBuf};

/// The most entries a folder listing shows.
pub const MAX_LISTED: usize = 500;
/// The most bytes of a file shown in a page (a Markdown preview).
pub const MAX_PREVIEW_BYTES: u64 = 1024 * 1024;

/// The real path of `rest` (names, one per level) inside the artifact at
/// `uri`, if it exists inside both the artifact and `pipeline_root`.
///
/// `rest` comes from a URL whose segments the router checked; each is
/// checked again here, so this function is safe on its own.
pub fn resolve(pipeline_root: &str, uri: &str, rest: &[String]) -> Option<PathBuf> {
    let root = fs::canonicalize(pipeline_root).ok()?;
    let local = kfp_ir_schema::executor::local_path(uri).ok()?;
    let base = fs::canonicalize(&local).ok()?;
    let mut path = base.clone();
    for name in rest {
        let plain =
            !name.is_empty() && name != "." && name != ".." && !name.contains(['/', '\\', '\0']);
        if !plain {
            return None;
        }
        path.push(name);
    }
    let real = fs::canonicalize(&path).ok()?;
    (base.starts_with(&root) && real.starts_with(&base)).then_some(real)
}

/// `path` if its real path lies inside `dir`'s.
pub fn inside(dir: &Path, path: &Path) -> Option<PathBuf> {
    let dir = fs::canonicalize(dir).ok()?;
    let real = fs::canonicalize(path).ok()?;
    real.starts_with(&dir).then_some(real)
}

/// An entry of a listing.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Entry {
    /// Its path relative to the listed folder, with `/`.
    pub path: String,
    /// Its size in bytes (a folder's: 0).
    pub size: u64,
    /// True for a folder.
    pub folder: bool,
}

/// The files and folders under `dir`, depth first in name order, at most
/// [`MAX_LISTED`] (the second value is true when some were left out).
/// Symbolic links are listed, not followed.
pub fn list(dir: &Path) -> (Vec<Entry>, bool) {
    let mut entries = Vec::new();
    let mut truncated = false;
    walk(dir, "", &mut entries, &mut truncated);
    (entries, truncated)
}

fn walk(dir: &Path, prefix: &str, out: &mut Vec<Entry>, truncated: &mut bool) {
    let Ok(read) = fs::read_dir(dir) else { return };
    let mut children: Vec<(String, fs::Metadata)> = read
        .filter_map(Result::ok)
        .filter_map(|e| Some((e.file_name().into_string().ok()?, e.metadata().ok()?)))
        .collect();
    children.sort_by(|a, b| a.0.cmp(&b.0));
    for (name, meta) in children {
        if out.len() == MAX_LISTED {
            *truncated = true;
            return;
        }
        let path = if prefix.is_empty() {
            name.clone()
        } else {
            format!("{prefix}/{name}")
        };
        out.push(Entry {
            path: path.clone(),
            size: if meta.is_file() { meta.len() } else { 0 },
            folder: meta.is_dir(),
        });
        if meta.is_dir() {
            walk(&dir.join(&name), &path, out, truncated);
        }
    }
}

/// The start of a file's text, at most [`MAX_PREVIEW_BYTES`] (the second
/// value is true when it goes on), or `None` when it is not a readable
/// UTF-8 text file.
pub fn read_text(path: &Path) -> Option<(String, bool)> {
    let file = fs::File::open(path).ok()?;
    if !file.metadata().ok()?.is_file() {
        return None;
    }
    let mut bytes = Vec::new();
    file.take(MAX_PREVIEW_BYTES + 1)
        .read_to_end(&mut bytes)
        .ok()?;
    let more = bytes.len() as u64 > MAX_PREVIEW_BYTES;
    bytes.truncate(MAX_PREVIEW_BYTES as usize);
    let text = match String::from_utf8(bytes) {
        Ok(text) => text,
        // A cut in the middle of a character is not a binary file.
        Err(e) if more && e.utf8_error().error_len().is_none() => {
            let valid = e.utf8_error().valid_up_to();
            let mut bytes = e.into_bytes();
            bytes.truncate(valid);
            String::from_utf8(bytes).ok()?
        }
        Err(_) => return None,
    };
    Some((text, more))
}

/// The media type a file is served as: HTML only for an HTML artifact's
/// own file (`html_artifact`) or a `.html` file, images by extension,
/// other text as plain text, and the rest as bytes.
pub fn content_type(path: &Path, html_artifact: bool) -> &'static str {
    let extension = path
        .extension()
        .and_then(|e| e.to_str())
        .map(str::to_ascii_lowercase);
    match extension.as_deref() {
        _ if html_artifact => "text/html; charset=utf-8",
        Some("html" | "htm") => "text/html; charset=utf-8",
        Some("png") => "image/png",
        Some("jpg" | "jpeg") => "image/jpeg",
        Some("gif") => "image/gif",
        Some("webp") => "image/webp",
        Some("svg") => "image/svg+xml",
        Some("pdf") => "application/pdf",
        Some("json") => "application/json",
        _ if looks_like_text(path) => "text/plain; charset=utf-8",
        _ => "application/octet-stream",
    }
}

/// True when the first 8 KiB of a file are UTF-8 without NUL bytes.
fn looks_like_text(path: &Path) -> bool {
    let Ok(file) = fs::File::open(path) else {
        return false;
    };
    let mut head = Vec::new();
    if file.take(8192).read_to_end(&mut head).is_err() {
        return false;
    }
    if head.contains(&0) {
        return false;
    }
    match std::str::from_utf8(&head) {
        Ok(_) => true,
        // Cut inside a character at the end of the 8 KiB.
        Err(e) => e.error_len().is_none() && head.len() == 8192,
    }
}

/// A size as people read it: `512 B`, `1.5 KiB`, `12.0 MiB`.
pub fn human_size(bytes: u64) -> String {
    const UNITS: [&str; 4] = ["KiB", "MiB", "GiB", "TiB"];
    if bytes < 1024 {
        return format!("{bytes} B");
    }
    let mut value = bytes as f64 / 1024.0;
    let mut unit = 0;
    while value >= 1024.0 && unit + 1 < UNITS.len() {
        value /= 1024.0;
        unit += 1;
    }
    format!("{value:.1} {}", UNITS[unit])
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names(rest: &[&str]) -> Vec<String> {
        rest.iter().map(|s| (*s).to_owned()).collect()
    }

    #[test]
    fn only_paths_inside_the_artifact_and_the_root_resolve() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().join("root");
        let artifact = root.join("p/run/task/data");
        fs::create_dir_all(artifact.join("sub")).unwrap();
        fs::write(artifact.join("sub/rows.csv"), "a,b\n").unwrap();
        fs::write(root.join("p/run/task/other"), "x").unwrap();
        fs::write(dir.path().join("secret"), "s").unwrap();
        std::os::unix::fs::symlink(dir.path().join("secret"), artifact.join("out")).unwrap();
        std::os::unix::fs::symlink(root.join("p/run/task/other"), artifact.join("sideways"))
            .unwrap();
        std::os::unix::fs::symlink(dir.path(), artifact.join("up")).unwrap();
        let (root, uri) = (root.to_str().unwrap(), artifact.to_str().unwrap());

        let found = resolve(root, uri, &names(&["sub", "rows.csv"])).unwrap();
        assert!(found.ends_with("sub/rows.csv"));
        assert_eq!(
            resolve(root, uri, &[]),
            Some(fs::canonicalize(&artifact).unwrap())
        );
        assert_eq!(
            resolve(root, &format!("file://{uri}"), &names(&["sub"])),
            Some(fs::canonicalize(artifact.join("sub")).unwrap())
        );
        for rest in [
            &["..", "other"][..],
            &["sub", "..", "..", "other"],
            &["."],
            &[""],
            &["sub/rows.csv"],
            &["/etc/passwd"],
            &["a\0b"],
            &["sub\\..\\..\\other"],
            &["out"],
            &["sideways"],
            &["up", "secret"],
            &["missing"],
        ] {
            assert_eq!(resolve(root, uri, &names(rest)), None, "{rest:?}");
        }
        // An artifact outside the pipeline root, or with `..` in its URI.
        let secret = dir.path().join("secret");
        assert_eq!(resolve(root, secret.to_str().unwrap(), &[]), None);
        assert_eq!(resolve(root, &format!("{uri}/../other"), &[]), None);
        assert_eq!(resolve(root, "https://example.com/x", &[]), None);
        assert_eq!(resolve("/nonexistent-root", uri, &[]), None);
    }

    #[test]
    fn listings_types_and_sizes() {
        let dir = tempfile::tempdir().unwrap();
        fs::create_dir_all(dir.path().join("b")).unwrap();
        fs::write(dir.path().join("b/c.txt"), "hello").unwrap();
        fs::write(dir.path().join("a.bin"), [0u8, 1, 2]).unwrap();
        let (entries, truncated) = list(dir.path());
        let paths: Vec<(&str, u64, bool)> = entries
            .iter()
            .map(|e| (e.path.as_str(), e.size, e.folder))
            .collect();
        assert_eq!(
            paths,
            [("a.bin", 3, false), ("b", 0, true), ("b/c.txt", 5, false)]
        );
        assert!(!truncated);
        assert_eq!(
            content_type(&dir.path().join("a.bin"), false),
            "application/octet-stream"
        );
        assert_eq!(
            content_type(&dir.path().join("b/c.txt"), false),
            "text/plain; charset=utf-8"
        );
        assert_eq!(
            content_type(&dir.path().join("b/c.txt"), true),
            "text/html; charset=utf-8"
        );
        assert_eq!(content_type(Path::new("x.PNG"), false), "image/png");
        assert_eq!(
            read_text(&dir.path().join("b/c.txt")),
            Some(("hello".into(), false))
        );
        assert_eq!(
            read_text(&dir.path().join("a.bin")).map(|t| t.0.len()),
            Some(3)
        );
        assert_eq!(read_text(dir.path()), None);
        assert_eq!(human_size(512), "512 B");
        assert_eq!(human_size(1536), "1.5 KiB");
        assert_eq!(human_size(12 * 1024 * 1024), "12.0 MiB");
        assert!(inside(dir.path(), &dir.path().join("b/c.txt")).is_some());
        assert!(inside(&dir.path().join("b"), &dir.path().join("a.bin")).is_none());
    }
}
