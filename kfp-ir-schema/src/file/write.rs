//! Writing a file the way a careful tool does: what is there decides how.
//!
//! * **Nothing**: a new file, with mode `0666` less the umask, written to
//!   a temporary file in the same folder and renamed into place.
//! * **A regular file**: replaced atomically in the same way, keeping its
//!   permission bits and (when the process may set them) its owner and
//!   group; the temporary file is created with `O_EXCL` under a random
//!   name, so a planted file or symbolic link of a predictable name cannot
//!   redirect the write, and the folder is synced after the rename. A file
//!   with other hard links, or whose owner cannot be kept, is rewritten in
//!   place instead (from the fully written temporary file), so that every
//!   link sees the new text. A read-only file is refused.
//! * **A symbolic link**: followed; the file it points to is written as
//!   above, and the link stays a link. A link to nothing is refused.
//! * **A character device or a FIFO** (`/dev/stdout`, `/dev/null`, a named
//!   pipe): written in place, as a shell's `>` writes it; never replaced by
//!   a regular file.
//! * **Anything else** (a folder, a block device, a socket): refused.

use std::fs::{File, Metadata, OpenOptions};
use std::io::{Seek, SeekFrom, Write};
use std::path::{Path, PathBuf};

use super::FileError;
use super::read::describe;

/// Writes `bytes` to `path` safely (see [`write_atomically_with`]).
///
/// # Errors
/// As [`write_atomically_with`].
pub fn write_atomically(path: &Path, bytes: &[u8]) -> Result<(), FileError> {
    write_atomically_with(path, |file| file.write_all(bytes))
}

/// Writes to `path` what `write` writes, safely: a regular file (or one that
/// does not exist yet) through a temporary file in its folder and a rename,
/// so that when `write` fails `path` is left as it was and the temporary file
/// is removed; a character device or FIFO in place. See the module
/// documentation for every case.
///
/// # Errors
/// When `write` or the file system fails ([`FileError::Io`]), when `path` is
/// read-only ([`FileError::ReadOnly`]), and when it is something that is not
/// written to, such as a folder ([`FileError::NotWritable`]).
pub fn write_atomically_with(
    path: &Path,
    write: impl FnOnce(&mut File) -> std::io::Result<()>,
) -> Result<(), FileError> {
    let io = |path: &Path| {
        let path = path.to_owned();
        move |source| FileError::Io { path, source }
    };
    match Target::of(path)? {
        Target::New => replace(path, None, write).map_err(io(path)),
        Target::Regular { path, metadata } => {
            refuse_read_only(&path, &metadata)?;
            replace(&path, Some(&metadata), write).map_err(io(&path))
        }
        Target::Stream => {
            let mut file = OpenOptions::new()
                .write(true)
                .open(path)
                .map_err(io(path))?;
            write(&mut file)
                .and_then(|()| file.flush())
                .map_err(io(path))
        }
    }
}

/// What `path` is, once symbolic links are followed.
enum Target {
    /// Nothing: a new file.
    New,
    /// A regular file, at `path` (the file a symbolic link points to).
    Regular { path: PathBuf, metadata: Metadata },
    /// A character device or a FIFO.
    Stream,
}

impl Target {
    fn of(path: &Path) -> Result<Target, FileError> {
        let io = |source| FileError::Io {
            path: path.to_owned(),
            source,
        };
        let not_found = |e: &std::io::Error| e.kind() == std::io::ErrorKind::NotFound;
        let own = match std::fs::symlink_metadata(path) {
            Err(e) if not_found(&e) => return Ok(Target::New),
            result => result.map_err(io)?,
        };
        let link = own.file_type().is_symlink();
        let metadata = if link {
            match std::fs::metadata(path) {
                Err(e) if not_found(&e) => {
                    return Err(FileError::NotWritable {
                        path: path.to_owned(),
                        kind: "is a symbolic link to a file that does not exist",
                    });
                }
                result => result.map_err(io)?,
            }
        } else {
            own
        };
        if metadata.is_file() {
            let path = if link {
                std::fs::canonicalize(path).map_err(io)?
            } else {
                path.to_owned()
            };
            return Ok(Target::Regular { path, metadata });
        }
        if is_stream(&metadata) {
            return Ok(Target::Stream);
        }
        Err(FileError::NotWritable {
            path: path.to_owned(),
            kind: describe(&metadata),
        })
    }
}

/// Whether the file is a character device or a FIFO.
fn is_stream(metadata: &Metadata) -> bool {
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt;
        let kind = metadata.file_type();
        kind.is_char_device() || kind.is_fifo()
    }
    #[cfg(not(unix))]
    {
        let _ = metadata;
        false
    }
}

/// Refuses a file that its mode makes read-only (even for root, who may
/// write any file), or that this process may not write.
fn refuse_read_only(path: &Path, metadata: &Metadata) -> Result<(), FileError> {
    let read_only = metadata.permissions().readonly()
        || OpenOptions::new()
            .write(true)
            .open(path)
            .is_err_and(|e| e.kind() == std::io::ErrorKind::PermissionDenied);
    if read_only {
        return Err(FileError::ReadOnly {
            path: path.to_owned(),
        });
    }
    Ok(())
}

/// Writes a temporary file beside `path` and renames it over `path`, or,
/// when the file's hard links or owner could not be kept so, copies it into
/// `path`. `existing` is what is at `path` now.
fn replace(
    path: &Path,
    existing: Option<&Metadata>,
    write: impl FnOnce(&mut File) -> std::io::Result<()>,
) -> std::io::Result<()> {
    let folder = match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    };
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "pipeline".to_owned());
    let prefix = format!(".{name}.");
    let mut builder = tempfile::Builder::new();
    builder.prefix(&prefix).suffix(".tmp");
    #[cfg(unix)]
    if existing.is_none() {
        use std::os::unix::fs::PermissionsExt;
        // As `File::create` would: the umask applies.
        builder.permissions(std::fs::Permissions::from_mode(0o666));
    }
    // Created with O_EXCL under a random name; removed when dropped, so on
    // every error below.
    let mut temporary = builder.tempfile_in(folder)?;
    let in_place = match existing {
        Some(metadata) => !keep_attributes(temporary.as_file(), metadata)?,
        None => false,
    };
    write(temporary.as_file_mut())?;
    temporary.as_file().sync_all()?;
    if in_place {
        return copy_into(temporary.as_file_mut(), path);
    }
    temporary.persist(path).map_err(|e| e.error)?;
    File::open(folder)?.sync_all()
}

/// Gives `temporary` the owner, group and permission bits of `existing`;
/// returns false when the file must be rewritten in place instead: it has
/// other hard links, or its owner cannot be kept.
fn keep_attributes(temporary: &File, existing: &Metadata) -> std::io::Result<bool> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt;
        if existing.nlink() > 1 {
            return Ok(false);
        }
        let ours = temporary.metadata()?;
        if (ours.uid(), ours.gid()) != (existing.uid(), existing.gid())
            && std::os::unix::fs::fchown(temporary, Some(existing.uid()), Some(existing.gid()))
                .is_err()
        {
            return Ok(false);
        }
    }
    // After the owner: changing it clears the set-user-ID bit.
    temporary.set_permissions(existing.permissions())?;
    Ok(true)
}

/// Copies the whole of `from` into the existing file `path`, truncated.
fn copy_into(from: &mut File, path: &Path) -> std::io::Result<()> {
    from.seek(SeekFrom::Start(0))?;
    let mut to = OpenOptions::new().write(true).truncate(true).open(path)?;
    std::io::copy(from, &mut to)?;
    to.sync_all()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn atomic_write_replaces_and_leaves_no_temporary() {
        let folder = tempfile::tempdir().unwrap();
        let path = folder.path().join("p.yaml");
        std::fs::write(&path, "old").unwrap();
        write_atomically(&path, b"new").unwrap();
        assert_eq!(std::fs::read_to_string(&path).unwrap(), "new");
        let names: Vec<_> = std::fs::read_dir(folder.path()).unwrap().collect();
        assert_eq!(names.len(), 1);
    }

    #[test]
    fn a_failed_write_keeps_the_old_file_and_removes_the_temporary() {
        let folder = tempfile::tempdir().unwrap();
        let missing = folder.path().join("no-such-folder").join("p.yaml");
        let err = write_atomically(&missing, b"new").unwrap_err();
        assert!(err.to_string().contains("no-such-folder"), "{err}");

        let path = folder.path().join("p.yaml");
        std::fs::write(&path, "old").unwrap();
        let err = write_atomically_with(&path, |file| {
            file.write_all(b"half")?;
            Err(std::io::Error::other("the writer failed"))
        })
        .unwrap_err();
        assert!(err.to_string().contains("the writer failed"), "{err}");
        assert_eq!(std::fs::read_to_string(&path).unwrap(), "old");
        assert_eq!(std::fs::read_dir(folder.path()).unwrap().count(), 1);
    }
}
