//! Reading a pipeline file's text: only from a regular file, or from stdin
//! when the command line says `-`, and never more than the KFP API server's
//! upload limit ([`MAX_FILE_SIZE`]) plus one byte, whatever size the file
//! system reports.
//!
//! So `kfp validate fifo.yaml` is refused rather than waiting forever for
//! a writer, and `kfp validate /dev/zero` (or a file under `/proc`, whose
//! size reads as 0) is refused after 32 MiB rather than reading until
//! memory runs out.

use std::fs::{File, Metadata};
use std::io::Read;
use std::path::{Path, PathBuf};

use super::FileError;
use crate::validate::{self, Format, MAX_FILE_SIZE};

/// Where a pipeline file's text comes from.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Source<'a> {
    /// A file, which must be a regular file (a symbolic link to one is
    /// followed).
    File(&'a Path),
    /// The process's standard input, read to its end.
    Stdin,
}

impl<'a> Source<'a> {
    /// What a command-line argument names: `-` is stdin, as for most
    /// command-line tools; anything else is a file.
    ///
    /// ```
    /// use std::path::Path;
    /// use kfp_ir_schema::file::Source;
    ///
    /// assert_eq!(Source::from_arg(Path::new("-")), Source::Stdin);
    /// assert_eq!(Source::from_arg(Path::new("p.yaml")), Source::File(Path::new("p.yaml")));
    /// ```
    pub fn from_arg(arg: &'a Path) -> Source<'a> {
        if arg.as_os_str() == "-" {
            Source::Stdin
        } else {
            Source::File(arg)
        }
    }

    /// The name that messages give it: the path, or `<stdin>`.
    pub fn name(&self) -> &'a Path {
        match self {
            Source::File(path) => path,
            Source::Stdin => Path::new("<stdin>"),
        }
    }

    /// The format of its text `text`: from the file's name
    /// ([`Format::from_path`]), or from the text itself for stdin
    /// ([`Format::sniff`]).
    pub fn format(&self, text: &str) -> Format {
        match self {
            Source::File(path) => Format::from_path(path),
            Source::Stdin => Format::sniff(text),
        }
    }

    /// Reads the whole text: at most [`MAX_FILE_SIZE`] bytes of UTF-8.
    ///
    /// # Errors
    /// When the source cannot be read, is not a regular file (a FIFO, a
    /// device, a folder, a socket) or stdin, holds more than
    /// [`MAX_FILE_SIZE`] bytes, or is not UTF-8.
    pub fn read_text(&self) -> Result<String, FileError> {
        let path = self.name();
        let bytes = match self {
            Source::File(path) => read_bounded(open_regular(path)?, path)?,
            Source::Stdin => read_bounded(std::io::stdin().lock(), path)?,
        };
        String::from_utf8(bytes).map_err(|e| FileError::NotText {
            path: path.to_owned(),
            offset: e.utf8_error().valid_up_to(),
        })
    }
}

/// What a file that is not a regular file is, for messages.
pub(super) fn describe(metadata: &Metadata) -> &'static str {
    let kind = metadata.file_type();
    if kind.is_dir() {
        return "is a folder";
    }
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt;
        if kind.is_fifo() {
            return "is a FIFO (named pipe)";
        }
        if kind.is_char_device() {
            return "is a character device";
        }
        if kind.is_block_device() {
            return "is a block device";
        }
        if kind.is_socket() {
            return "is a socket";
        }
    }
    "is not a regular file"
}

/// Opens `path` for reading if it is a regular file, without ever waiting
/// on it: its type is checked before it is opened, and again on the open
/// file, which is opened non-blocking in case it became a FIFO in between.
fn open_regular(path: &Path) -> Result<File, FileError> {
    let io = |source| FileError::Io {
        path: path.to_owned(),
        source,
    };
    let check = |metadata: &Metadata| {
        if !metadata.is_file() {
            return Err(FileError::NotAFile {
                path: path.to_owned(),
                kind: describe(metadata),
            });
        }
        if metadata.len() > MAX_FILE_SIZE as u64 {
            return Err(too_large(path, Some(metadata.len())));
        }
        Ok(())
    };
    check(&std::fs::metadata(path).map_err(io)?)?;
    let mut options = std::fs::OpenOptions::new();
    options.read(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        // Reading a regular file never blocks, so this changes nothing for
        // one; opening a FIFO would wait for a writer without it.
        options.custom_flags(rustix::fs::OFlags::NONBLOCK.bits() as i32);
    }
    let file = options.open(path).map_err(io)?;
    check(&file.metadata().map_err(io)?)?;
    Ok(file)
}

/// Reads `reader` to its end, refusing it once it holds more than
/// [`MAX_FILE_SIZE`] bytes (after reading at most one byte more).
fn read_bounded(reader: impl Read, path: &Path) -> Result<Vec<u8>, FileError> {
    let mut bytes = Vec::new();
    reader
        .take(MAX_FILE_SIZE as u64 + 1)
        .read_to_end(&mut bytes)
        .map_err(|source| FileError::Io {
            path: path.to_owned(),
            source,
        })?;
    if bytes.len() > MAX_FILE_SIZE {
        return Err(too_large(path, None));
    }
    Ok(bytes)
}

fn too_large(path: &Path, size: Option<u64>) -> FileError {
    FileError::Invalid {
        path: PathBuf::from(path),
        source: validate::too_large(size),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_stream_is_read_up_to_the_limit_and_one_byte() {
        let path = Path::new("zeros");
        let endless = std::io::repeat(b'a');
        let err = read_bounded(endless, path).unwrap_err();
        assert!(
            err.to_string()
                .contains("more than 33554432 bytes; the KFP API server accepts"),
            "{err}"
        );
        let exact = std::io::repeat(b'a').take(MAX_FILE_SIZE as u64);
        assert_eq!(read_bounded(exact, path).unwrap().len(), MAX_FILE_SIZE);
    }
}
