//! The artifact store's side of things: the digest and size of an
//! artifact's content (a file, or a folder of files), whether it is still
//! there, and the tail of a log.

use std::fs;
use std::io::{self, Read, Seek, SeekFrom};
use std::path::Path;

use sha2::{Digest, Sha256};

use crate::driver::cache::hex;

/// The SHA-256 of a file's bytes, or of a folder's files (each file's path
/// relative to the folder, a zero byte, and its digest, in path order), and
/// the total size in bytes. A symbolic link counts as its target's path.
///
/// # Errors
/// When the path or something in it cannot be read.
pub fn digest(path: &Path) -> io::Result<(String, u64)> {
    let meta = fs::symlink_metadata(path)?;
    if meta.is_dir() {
        let mut entries = Vec::new();
        walk(path, Path::new(""), &mut entries)?;
        entries.sort();
        let mut hasher = Sha256::new();
        let mut size = 0;
        for (relative, digest, bytes) in entries {
            hasher.update(relative.as_bytes());
            hasher.update([0]);
            hasher.update(digest.as_bytes());
            size += bytes;
        }
        Ok((hex(&hasher.finalize()), size))
    } else if meta.file_type().is_symlink() {
        let target = fs::read_link(path)?;
        Ok((
            hex(&Sha256::digest(target.as_os_str().as_encoded_bytes())),
            0,
        ))
    } else {
        let mut file = fs::File::open(path)?;
        let mut hasher = Sha256::new();
        let mut buffer = vec![0; 64 * 1024];
        let mut size = 0;
        loop {
            let n = file.read(&mut buffer)?;
            if n == 0 {
                break;
            }
            hasher.update(&buffer[..n]);
            size += n as u64;
        }
        Ok((hex(&hasher.finalize()), size))
    }
}

fn walk(root: &Path, relative: &Path, out: &mut Vec<(String, String, u64)>) -> io::Result<()> {
    for entry in fs::read_dir(root.join(relative))? {
        let entry = entry?;
        let rel = relative.join(entry.file_name());
        if entry.file_type()?.is_dir() {
            walk(root, &rel, out)?;
        } else {
            let (digest, size) = digest(&root.join(&rel))?;
            out.push((rel.to_string_lossy().into_owned(), digest, size));
        }
    }
    Ok(())
}

/// The last `lines` lines of a log file (at most its last 64 KiB), or
/// nothing when it cannot be read.
pub fn log_tail(path: &Path, lines: usize) -> String {
    let Ok(mut file) = fs::File::open(path) else {
        return String::new();
    };
    let len = file.metadata().map(|m| m.len()).unwrap_or(0);
    let start = len.saturating_sub(64 * 1024);
    if file.seek(SeekFrom::Start(start)).is_err() {
        return String::new();
    }
    let mut bytes = Vec::new();
    if file.read_to_end(&mut bytes).is_err() {
        return String::new();
    }
    let text = String::from_utf8_lossy(&bytes);
    let all: Vec<&str> = text.lines().collect();
    // A tail that starts mid-line drops that partial line.
    let skip = usize::from(start > 0);
    let kept = &all[skip.min(all.len())..];
    kept[kept.len().saturating_sub(lines)..].join("\n")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folders_digest_by_content_and_names() {
        let dir = tempfile::tempdir().unwrap();
        let a = dir.path().join("a");
        fs::create_dir_all(a.join("sub")).unwrap();
        fs::write(a.join("x"), "1").unwrap();
        fs::write(a.join("sub/y"), "22").unwrap();
        let (first, size) = digest(&a).unwrap();
        assert_eq!(size, 3);
        fs::write(a.join("sub/y"), "23").unwrap();
        assert_ne!(digest(&a).unwrap().0, first);
        let f = dir.path().join("f");
        fs::write(&f, "1").unwrap();
        assert_eq!(digest(&f).unwrap(), digest(&a.join("x")).unwrap());
        assert!(digest(&dir.path().join("missing")).is_err());
    }

    #[test]
    fn the_tail_of_a_log() {
        let dir = tempfile::tempdir().unwrap();
        let log = dir.path().join("log");
        let text: String = (1..=100).map(|i| format!("line {i}\n")).collect();
        fs::write(&log, text).unwrap();
        assert_eq!(log_tail(&log, 2), "line 99\nline 100");
        assert_eq!(log_tail(&dir.path().join("none"), 2), "");
    }
}
