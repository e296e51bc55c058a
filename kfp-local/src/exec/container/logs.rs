//! A container's output as the engine streams it: without a TTY, stdout and
//! stderr come multiplexed in frames, each an 8-byte header (the stream: 1
//! stdout, 2 stderr; three zero bytes; the payload's size as a big-endian
//! u32) and then the payload.

use std::io::{self, Read, Write};

/// Which output a piece came from.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Source {
    /// Standard output.
    Stdout,
    /// Standard error.
    Stderr,
}

/// Why a stream could not be copied.
#[derive(Debug, thiserror::Error)]
pub(super) enum DemuxError {
    /// Reading the stream failed.
    #[error("reading the log stream: {0}")]
    Read(io::Error),
    /// The sink refused a piece (writing the log failed).
    #[error("{0}")]
    Write(io::Error),
    /// The stream ended inside a frame.
    #[error("the log stream ended inside a frame")]
    Truncated,
    /// A frame names no known stream (a TTY's raw stream is not framed).
    #[error("the log stream has a frame of unknown stream {0} (is the container's TTY on?)")]
    UnknownStream(u8),
}

/// The size of the pieces a frame's payload is passed on in.
const PIECE: usize = 64 * 1024;

/// Reads frames from `stream` to its end, passing each payload to `sink`
/// (a large one in pieces). Stdin frames (stream 0) are passed as stdout.
pub(super) fn demultiplex(
    mut stream: impl Read,
    mut sink: impl FnMut(Source, &[u8]) -> io::Result<()>,
) -> Result<(), DemuxError> {
    let mut buffer = vec![0; PIECE];
    while let Some(header) = read_header(&mut stream)? {
        let source = match header[0] {
            0 | 1 => Source::Stdout,
            2 => Source::Stderr,
            other => return Err(DemuxError::UnknownStream(other)),
        };
        let mut left = u32::from_be_bytes([header[4], header[5], header[6], header[7]]) as usize;
        while left > 0 {
            let want = left.min(PIECE);
            let got = read_some(&mut stream, &mut buffer[..want])?;
            if got == 0 {
                return Err(DemuxError::Truncated);
            }
            sink(source, &buffer[..got]).map_err(DemuxError::Write)?;
            left -= got;
        }
    }
    Ok(())
}

/// Reads a frame's header; `None` at the end of the stream.
fn read_header(stream: &mut impl Read) -> Result<Option<[u8; 8]>, DemuxError> {
    let mut header = [0; 8];
    let mut filled = 0;
    while filled < header.len() {
        match read_some(stream, &mut header[filled..])? {
            0 if filled == 0 => return Ok(None),
            0 => return Err(DemuxError::Truncated),
            n => filled += n,
        }
    }
    Ok(Some(header))
}

fn read_some(stream: &mut impl Read, buf: &mut [u8]) -> Result<usize, DemuxError> {
    loop {
        match stream.read(buf) {
            Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
            other => return other.map_err(DemuxError::Read),
        }
    }
}

/// Echoes output line by line after a prefix, each stream's partial line
/// held until its end comes.
pub(super) struct LineEcho<W: Write> {
    prefix: String,
    out: W,
    pending: [Vec<u8>; 2],
}

impl<W: Write> LineEcho<W> {
    /// Echoes to `out` after `prefix`.
    pub(super) fn new(prefix: String, out: W) -> Self {
        Self {
            prefix,
            out,
            pending: [Vec::new(), Vec::new()],
        }
    }

    /// Takes a piece of `source`'s output; echoes the lines it completes.
    pub(super) fn push(&mut self, source: Source, mut bytes: &[u8]) {
        let pending = &mut self.pending[source as usize];
        while let Some(end) = bytes.iter().position(|&b| b == b'\n') {
            pending.extend_from_slice(&bytes[..=end]);
            // Echoing is best effort, as eprint! is.
            let _ = self
                .out
                .write_all(self.prefix.as_bytes())
                .and_then(|()| self.out.write_all(pending));
            pending.clear();
            bytes = &bytes[end + 1..];
        }
        pending.extend_from_slice(bytes);
    }

    /// Echoes what is left of each stream's last line, ended by a newline.
    pub(super) fn finish(&mut self) {
        for pending in &mut self.pending {
            if !pending.is_empty() {
                pending.push(b'\n');
                let _ = self
                    .out
                    .write_all(self.prefix.as_bytes())
                    .and_then(|()| self.out.write_all(pending));
                pending.clear();
            }
        }
        let _ = self.out.flush();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn frame(stream: u8, payload: &[u8]) -> Vec<u8> {
        let mut out = vec![stream, 0, 0, 0];
        out.extend((payload.len() as u32).to_be_bytes());
        out.extend(payload);
        out
    }

    fn collect(raw: &[u8]) -> Result<Vec<(Source, Vec<u8>)>, DemuxError> {
        let mut pieces: Vec<(Source, Vec<u8>)> = Vec::new();
        demultiplex(raw, |source, bytes| {
            match pieces.last_mut() {
                Some((last, text)) if *last == source => text.extend(bytes),
                _ => pieces.push((source, bytes.to_vec())),
            }
            Ok(())
        })?;
        Ok(pieces)
    }

    #[test]
    fn frames_are_split_by_stream_in_order() {
        let mut raw = frame(1, b"out 1\n");
        raw.extend(frame(2, b"err 1\n"));
        raw.extend(frame(1, b"out 2"));
        raw.extend(frame(1, b"\n"));
        raw.extend(frame(1, b""));
        assert_eq!(
            collect(&raw).unwrap(),
            [
                (Source::Stdout, b"out 1\n".to_vec()),
                (Source::Stderr, b"err 1\n".to_vec()),
                (Source::Stdout, b"out 2\n".to_vec()),
            ]
        );
        assert!(collect(b"").unwrap().is_empty());
    }

    #[test]
    fn a_frame_larger_than_a_piece_arrives_whole() {
        let payload: Vec<u8> = (0..200_000u32).map(|i| (i % 251) as u8).collect();
        let raw = frame(2, &payload);
        assert_eq!(collect(&raw).unwrap(), [(Source::Stderr, payload)]);
    }

    #[test]
    fn a_broken_stream_is_an_error() {
        let raw = frame(1, b"hello");
        let err = collect(&raw[..raw.len() - 1]).unwrap_err();
        assert!(matches!(err, DemuxError::Truncated), "{err}");
        let err = collect(&raw[..5]).unwrap_err();
        assert!(matches!(err, DemuxError::Truncated), "{err}");
        let err = collect(b"hello world\n").unwrap_err();
        assert_eq!(
            err.to_string(),
            "the log stream has a frame of unknown stream 104 (is the container's TTY on?)"
        );
        let err = demultiplex(&frame(1, b"x")[..], |_, _| {
            Err(io::Error::other("disk full"))
        });
        assert_eq!(err.unwrap_err().to_string(), "disk full");
    }

    #[test]
    fn echoed_lines_are_prefixed_and_kept_whole_per_stream() {
        let mut out = Vec::new();
        let mut echo = LineEcho::new("[t] ".into(), &mut out);
        echo.push(Source::Stdout, b"one\ntw");
        echo.push(Source::Stderr, b"oops\nhalf");
        echo.push(Source::Stdout, b"o\nthree");
        echo.finish();
        assert_eq!(
            String::from_utf8(out).unwrap(),
            "[t] one\n[t] oops\n[t] two\n[t] three\n[t] half\n"
        );
    }
}
