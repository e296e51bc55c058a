//! A minimal blocking HTTP/1.1 client, enough for the Docker Engine API over
//! a Unix socket or TCP.
//!
//! One connection per request (`Connection: close`), so a body ends at its
//! `Content-Length`, at the last chunk of a `chunked` one, or when the
//! engine closes the connection. Everything read is bounded: a response head
//! at [`MAX_HEAD`], a chunk-size line at [`MAX_LINE`], a body read whole at
//! what the caller allows ([`read_limited`]). Streams (logs, pull progress)
//! are read piece by piece through [`Body`].

use std::io::{self, BufRead, BufReader, Read, Write};
use std::net::{Shutdown, TcpStream, ToSocketAddrs};
use std::os::unix::net::UnixStream;
use std::path::Path;
use std::time::Duration;

/// The most a response's status line and headers may take.
pub(super) const MAX_HEAD: u64 = 64 * 1024;

/// The most a line inside a body (a chunk size, a trailer) may take.
pub(super) const MAX_LINE: u64 = 4 * 1024;

/// What went wrong talking HTTP.
#[derive(Debug, thiserror::Error)]
pub(super) enum HttpError {
    /// Reading or writing the connection failed.
    #[error("{0}")]
    Io(#[from] io::Error),
    /// The response is not HTTP/1.x as this client reads it.
    #[error("a malformed HTTP response: {0}")]
    Malformed(String),
    /// A body is larger than the caller allows.
    #[error("the response body is over {} KiB; refused", limit / 1024)]
    TooLarge {
        /// The limit, in bytes.
        limit: u64,
    },
}

/// A connection to the engine: a Unix socket or TCP.
#[derive(Debug)]
pub(super) enum Connection {
    /// A Unix socket.
    Unix(UnixStream),
    /// TCP.
    Tcp(TcpStream),
}

impl Connection {
    /// Connects to a Unix socket.
    pub(super) fn unix(path: &Path) -> io::Result<Self> {
        UnixStream::connect(path).map(Self::Unix)
    }

    /// Connects to `address` (`host:port`) over TCP, giving up on each
    /// address it resolves to after `timeout`.
    pub(super) fn tcp(address: &str, timeout: Duration) -> io::Result<Self> {
        let mut last = io::Error::new(io::ErrorKind::NotFound, "the name resolves to no address");
        for resolved in address.to_socket_addrs()? {
            match TcpStream::connect_timeout(&resolved, timeout) {
                Ok(stream) => return Ok(Self::Tcp(stream)),
                Err(e) => last = e,
            }
        }
        Err(last)
    }

    /// Sets how long a read or a write may block (`None`: for ever).
    pub(super) fn set_timeouts(&self, read: Option<Duration>, write: Duration) -> io::Result<()> {
        match self {
            Self::Unix(s) => {
                s.set_read_timeout(read)?;
                s.set_write_timeout(Some(write))
            }
            Self::Tcp(s) => {
                s.set_read_timeout(read)?;
                s.set_write_timeout(Some(write))
            }
        }
    }

    /// Another handle on the same connection (to shut it down from another
    /// thread).
    pub(super) fn try_clone(&self) -> io::Result<Self> {
        match self {
            Self::Unix(s) => s.try_clone().map(Self::Unix),
            Self::Tcp(s) => s.try_clone().map(Self::Tcp),
        }
    }

    /// Shuts the connection down both ways: a read blocked on it returns.
    pub(super) fn shutdown(&self) {
        // Already closed is fine.
        let _ = match self {
            Self::Unix(s) => s.shutdown(Shutdown::Both),
            Self::Tcp(s) => s.shutdown(Shutdown::Both),
        };
    }
}

impl Read for Connection {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        match self {
            Self::Unix(s) => s.read(buf),
            Self::Tcp(s) => s.read(buf),
        }
    }
}

impl Write for Connection {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        match self {
            Self::Unix(s) => s.write(buf),
            Self::Tcp(s) => s.write(buf),
        }
    }

    fn flush(&mut self) -> io::Result<()> {
        match self {
            Self::Unix(s) => s.flush(),
            Self::Tcp(s) => s.flush(),
        }
    }
}

/// Writes a request: `target` is the path with its query; a body is sent
/// as JSON.
pub(super) fn write_request(
    out: &mut impl Write,
    method: &str,
    target: &str,
    host: &str,
    json: Option<&[u8]>,
) -> io::Result<()> {
    let mut head = format!(
        "{method} {target} HTTP/1.1\r\nHost: {host}\r\nUser-Agent: kfp-local\r\n\
         Accept: application/json\r\nConnection: close\r\n"
    );
    match json {
        Some(body) => head.push_str(&format!(
            "Content-Type: application/json\r\nContent-Length: {}\r\n\r\n",
            body.len()
        )),
        None => head.push_str("Content-Length: 0\r\n\r\n"),
    }
    out.write_all(head.as_bytes())?;
    if let Some(body) = json {
        out.write_all(body)?;
    }
    out.flush()
}

/// A response: its status, its headers and its body, still to be read.
pub(super) struct Response<R> {
    /// The status code.
    pub status: u16,
    /// The headers, names in lower case.
    pub headers: Vec<(String, String)>,
    /// The body.
    pub body: Body<R>,
}

impl<R> Response<R> {
    /// The value of the header `name` (in lower case).
    pub(super) fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, value)| value.as_str())
    }
}

/// How a body ends.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Framing {
    /// After this many more bytes.
    Length(u64),
    /// In chunks; `left` bytes of the current one remain.
    Chunked { left: u64, done: bool },
    /// When the connection closes.
    Close,
}

/// A response body, read as it arrives, its framing taken off.
pub(super) struct Body<R> {
    reader: BufReader<R>,
    framing: Framing,
}

/// Reads a response's head from `input`; its body is read from the result.
pub(super) fn read_response<R: Read>(input: R) -> Result<Response<R>, HttpError> {
    let mut reader = BufReader::new(input);
    let mut budget = MAX_HEAD;
    loop {
        let status_line = read_line(&mut reader, &mut budget, "status line")?;
        let status = parse_status(&status_line)?;
        let mut headers = Vec::new();
        let mut length = None;
        let mut chunked = false;
        loop {
            let line = read_line(&mut reader, &mut budget, "header")?;
            if line.is_empty() {
                break;
            }
            let (name, value) = line.split_once(':').ok_or_else(|| {
                HttpError::Malformed(format!("a header without a colon: {line:?}"))
            })?;
            let (name, value) = (name.trim().to_ascii_lowercase(), value.trim());
            if name == "content-length" {
                let n = value.parse::<u64>().map_err(|_| {
                    HttpError::Malformed(format!("Content-Length is not a number: {value:?}"))
                })?;
                length = Some(n);
            } else if name == "transfer-encoding" {
                chunked = value
                    .rsplit(',')
                    .next()
                    .is_some_and(|last| last.trim().eq_ignore_ascii_case("chunked"));
            }
            headers.push((name, value.to_owned()));
        }
        // An interim response (100 Continue) is followed by the real one.
        if (100..200).contains(&status) && status != 101 {
            continue;
        }
        let no_body = status == 204 || status == 304 || (100..200).contains(&status);
        let framing = if no_body {
            Framing::Length(0)
        } else if chunked {
            Framing::Chunked {
                left: 0,
                done: false,
            }
        } else {
            length.map_or(Framing::Close, Framing::Length)
        };
        return Ok(Response {
            status,
            headers,
            body: Body { reader, framing },
        });
    }
}

/// `HTTP/1.1 200 OK` -> 200.
fn parse_status(line: &str) -> Result<u16, HttpError> {
    let mut parts = line.splitn(3, ' ');
    let version = parts.next().unwrap_or_default();
    let code = parts.next().unwrap_or_default();
    if !version.starts_with("HTTP/1.") || code.len() != 3 {
        return Err(HttpError::Malformed(format!(
            "not an HTTP/1 status line: {line:?}"
        )));
    }
    code.parse()
        .map_err(|_| HttpError::Malformed(format!("not an HTTP/1 status line: {line:?}")))
}

/// Reads one CRLF- (or LF-) ended line, taking its length from `budget`.
fn read_line(reader: &mut impl BufRead, budget: &mut u64, what: &str) -> Result<String, HttpError> {
    let mut line = Vec::new();
    let read = reader.by_ref().take(*budget).read_until(b'\n', &mut line)?;
    *budget -= read as u64;
    if !line.ends_with(b"\n") {
        return Err(if read == 0 || *budget > 0 {
            HttpError::Malformed(format!("the connection closed inside a {what}"))
        } else {
            HttpError::Malformed(format!("a {what} too long"))
        });
    }
    line.pop();
    if line.ends_with(b"\r") {
        line.pop();
    }
    String::from_utf8(line).map_err(|_| HttpError::Malformed(format!("a {what} that is not UTF-8")))
}

impl<R: Read> Body<R> {
    /// Reads a chunk-size line (`1a;ext=1`), and after the last chunk its
    /// trailers.
    fn next_chunk(&mut self) -> Result<u64, HttpError> {
        let mut budget = MAX_LINE;
        let line = read_line(&mut self.reader, &mut budget, "chunk size")?;
        let digits = line.split(';').next().unwrap_or_default().trim();
        let size = u64::from_str_radix(digits, 16)
            .map_err(|_| HttpError::Malformed(format!("a chunk size that is not hex: {line:?}")))?;
        if size == 0 {
            let mut budget = MAX_HEAD;
            while !read_line(&mut self.reader, &mut budget, "trailer")?.is_empty() {}
        }
        Ok(size)
    }

    fn end_of_chunk(&mut self) -> Result<(), HttpError> {
        let mut budget = MAX_LINE;
        let line = read_line(&mut self.reader, &mut budget, "chunk end")?;
        if line.is_empty() {
            Ok(())
        } else {
            Err(HttpError::Malformed(format!(
                "a chunk longer than its size: {line:?}"
            )))
        }
    }
}

fn io_error(error: HttpError) -> io::Error {
    match error {
        HttpError::Io(e) => e,
        other => io::Error::new(io::ErrorKind::InvalidData, other.to_string()),
    }
}

fn closed_early() -> io::Error {
    io::Error::new(
        io::ErrorKind::UnexpectedEof,
        "the connection closed before the end of the response",
    )
}

impl<R: Read> Read for Body<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        if buf.is_empty() {
            return Ok(0);
        }
        loop {
            match self.framing {
                Framing::Length(0) | Framing::Chunked { done: true, .. } => return Ok(0),
                Framing::Length(left) => {
                    let max = buf.len().min(usize::try_from(left).unwrap_or(usize::MAX));
                    let got = self.reader.read(&mut buf[..max])?;
                    if got == 0 {
                        return Err(closed_early());
                    }
                    self.framing = Framing::Length(left - got as u64);
                    return Ok(got);
                }
                Framing::Chunked { left: 0, .. } => {
                    let size = self.next_chunk().map_err(io_error)?;
                    self.framing = Framing::Chunked {
                        left: size,
                        done: size == 0,
                    };
                }
                Framing::Chunked { left, .. } => {
                    let max = buf.len().min(usize::try_from(left).unwrap_or(usize::MAX));
                    let got = self.reader.read(&mut buf[..max])?;
                    if got == 0 {
                        return Err(closed_early());
                    }
                    let left = left - got as u64;
                    if left == 0 {
                        self.end_of_chunk().map_err(io_error)?;
                    }
                    self.framing = Framing::Chunked { left, done: false };
                    return Ok(got);
                }
                Framing::Close => return self.reader.read(buf),
            }
        }
    }
}

/// Reads a whole body, refusing one over `limit` bytes.
pub(super) fn read_limited(body: impl Read, limit: u64) -> Result<Vec<u8>, HttpError> {
    let mut out = Vec::new();
    body.take(limit + 1).read_to_end(&mut out)?;
    if out.len() as u64 > limit {
        return Err(HttpError::TooLarge { limit });
    }
    Ok(out)
}

/// Percent-encodes `text` for a URL, keeping the unreserved characters and
/// those in `keep`.
pub(super) fn percent_encode(text: &str, keep: &[u8]) -> String {
    let mut out = String::with_capacity(text.len());
    for &byte in text.as_bytes() {
        if byte.is_ascii_alphanumeric() || b"-._~".contains(&byte) || keep.contains(&byte) {
            out.push(char::from(byte));
        } else {
            out.push_str(&format!("%{byte:02X}"));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn body_of(raw: &[u8]) -> Result<(u16, Vec<u8>), HttpError> {
        let response = read_response(raw)?;
        let body = read_limited(response.body, 1024)?;
        Ok((response.status, body))
    }

    /// A reader that gives one byte per read, as a slow socket may.
    struct Trickle<'a>(&'a [u8]);

    impl Read for Trickle<'_> {
        fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
            match (self.0.split_first(), buf.first_mut()) {
                (Some((&byte, rest)), Some(slot)) => {
                    *slot = byte;
                    self.0 = rest;
                    Ok(1)
                }
                _ => Ok(0),
            }
        }
    }

    #[test]
    fn a_request_has_its_length_and_closes_the_connection() {
        let mut out = Vec::new();
        write_request(&mut out, "POST", "/v1.41/x?a=1", "docker", Some(b"{}")).unwrap();
        let text = String::from_utf8(out).unwrap();
        assert!(text.starts_with("POST /v1.41/x?a=1 HTTP/1.1\r\nHost: docker\r\n"));
        assert!(text.contains("Connection: close\r\n"));
        assert!(text.ends_with("Content-Type: application/json\r\nContent-Length: 2\r\n\r\n{}"));
        let mut out = Vec::new();
        write_request(&mut out, "POST", "/start", "docker", None).unwrap();
        assert!(
            String::from_utf8(out)
                .unwrap()
                .ends_with("Content-Length: 0\r\n\r\n")
        );
    }

    #[test]
    fn a_body_ends_at_its_content_length() {
        let raw = b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\ncontent-length: 7\r\n\r\n{\"a\":1}trailing";
        assert_eq!(body_of(raw).unwrap(), (200, b"{\"a\":1}".to_vec()));
        let response = read_response(&raw[..]).unwrap();
        assert_eq!(response.header("content-type"), Some("application/json"));
        assert_eq!(response.header("content-length"), Some("7"));
    }

    #[test]
    fn a_chunked_body_is_joined_with_extensions_and_trailers_dropped() {
        let raw = b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n\
                    4\r\nWiki\r\n6;name=x\r\npedia \r\nE\r\nin \r\n\r\nchunks.\r\n\
                    0\r\nX-Trailer: 1\r\n\r\n";
        let expected = b"Wikipedia in \r\n\r\nchunks.".to_vec();
        assert_eq!(body_of(raw).unwrap(), (200, expected.clone()));
        let response = read_response(Trickle(raw)).unwrap();
        assert_eq!(read_limited(response.body, 1024).unwrap(), expected);
    }

    #[test]
    fn a_body_without_length_runs_to_the_close_and_no_content_has_none() {
        let raw = b"HTTP/1.0 404 Not Found\r\n\r\n{\"message\":\"no such image\"}";
        assert_eq!(
            body_of(raw).unwrap(),
            (404, b"{\"message\":\"no such image\"}".to_vec())
        );
        let raw = b"HTTP/1.1 204 No Content\r\n\r\nignored";
        assert_eq!(body_of(raw).unwrap(), (204, Vec::new()));
        let raw =
            b"HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 201 Created\r\nContent-Length: 2\r\n\r\nok";
        assert_eq!(body_of(raw).unwrap(), (201, b"ok".to_vec()));
    }

    #[test]
    fn an_oversized_body_is_refused_saying_so() {
        let raw = b"HTTP/1.1 200 OK\r\nContent-Length: 2000\r\n\r\n";
        let mut full = raw.to_vec();
        full.extend(std::iter::repeat_n(b'x', 2000));
        let err = body_of(&full).unwrap_err();
        assert_eq!(err.to_string(), "the response body is over 1 KiB; refused");
    }

    #[test]
    fn truncated_and_malformed_responses_are_errors() {
        let cases: &[(&[u8], &str)] = &[
            (b"", "the connection closed inside a status line"),
            (b"SSH-2.0-OpenSSH\r\n\r\n", "not an HTTP/1 status line"),
            (
                b"HTTP/1.1 200 OK\r\nBroken\r\n\r\n",
                "a header without a colon",
            ),
            (
                b"HTTP/1.1 200 OK\r\nContent-Length: x\r\n\r\n",
                "Content-Length is not a number",
            ),
            (
                b"HTTP/1.1 200 OK\r\nContent-Length: 9\r\n\r\nshort",
                "closed before the end",
            ),
            (
                b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n",
                "not hex",
            ),
            (
                b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n2\r\nabc\r\n0\r\n\r\n",
                "longer than its size",
            ),
            (
                b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nab",
                "closed before the end",
            ),
        ];
        for (raw, expected) in cases {
            let err = body_of(raw).unwrap_err().to_string();
            assert!(err.contains(expected), "{err:?} should say {expected:?}");
        }
        let endless = vec![b'a'; 100_000];
        let err = body_of(&endless).unwrap_err().to_string();
        assert!(err.contains("a status line too long"), "{err}");
    }

    #[test]
    fn percent_encoding_keeps_what_is_asked() {
        assert_eq!(
            percent_encode("localhost/img:1.0@x y", b"/:@"),
            "localhost/img:1.0@x%20y"
        );
        assert_eq!(
            percent_encode("{\"label\":[\"a=b\"]}", b""),
            "%7B%22label%22%3A%5B%22a%3Db%22%5D%7D"
        );
    }
}
