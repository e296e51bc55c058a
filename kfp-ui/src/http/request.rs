//! Reading one HTTP/1.1 request head, within limits: a UI that only reads
//! takes `GET` and `HEAD` with no body.

use std::io::BufRead;

/// The most bytes a request's head (request line and headers) may have.
pub const MAX_HEAD_BYTES: usize = 16 * 1024;
/// The most header lines a request may have.
pub const MAX_HEADERS: usize = 64;

/// What a request asks for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Method {
    /// `GET`.
    Get,
    /// `HEAD`: the headers of a `GET`, without its body.
    Head,
}

/// A request's head.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Request {
    /// Its method.
    pub method: Method,
    /// Its target as sent: the path and the query (`/runs?page=2`).
    pub target: String,
    /// Its headers, names in lower case, in order.
    pub headers: Vec<(String, String)>,
}

impl Request {
    /// A `GET` of `target` with no headers (for tests and benchmarks that
    /// call the UI without a socket).
    pub fn get(target: &str) -> Self {
        Self {
            method: Method::Get,
            target: target.to_owned(),
            headers: Vec::new(),
        }
    }

    /// The value of header `name` (lower case), if sent.
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    }
}

/// Why a request was refused before it was handled; each is answered with
/// its status.
#[derive(Debug, thiserror::Error)]
pub enum RequestError {
    /// The client closed the connection, or sent nothing in time.
    #[error("no request: {0}")]
    Closed(std::io::Error),
    /// The head is not HTTP/1.x.
    #[error("{0}")]
    Malformed(&'static str),
    /// The head is over [`MAX_HEAD_BYTES`] or [`MAX_HEADERS`].
    #[error("the request head is too large")]
    TooLarge,
    /// A method other than `GET` or `HEAD`.
    #[error("only GET and HEAD are served")]
    Method,
    /// A request with a body.
    #[error("a request body is not accepted")]
    Body,
}

impl RequestError {
    /// The status that answers it, or `None` when nothing should be sent.
    pub fn status(&self) -> Option<u16> {
        match self {
            Self::Closed(_) => None,
            Self::Malformed(_) => Some(400),
            Self::TooLarge => Some(431),
            Self::Method => Some(405),
            Self::Body => Some(413),
        }
    }
}

/// Reads one request head from `reader`.
///
/// # Errors
/// See [`RequestError`].
pub fn read(reader: &mut impl BufRead) -> Result<Request, RequestError> {
    let mut budget = MAX_HEAD_BYTES;
    let request_line = loop {
        let line = read_line(reader, &mut budget)?
            .ok_or_else(|| RequestError::Closed(std::io::ErrorKind::UnexpectedEof.into()))?;
        // RFC 9112 §2.2: empty lines before the request line are ignored.
        if !line.is_empty() {
            break line;
        }
    };
    // The whole head is read before it is judged, so that a refused
    // request is answered, not cut off with its head half read.
    let mut headers = Vec::new();
    loop {
        let line = read_line(reader, &mut budget)?.ok_or(RequestError::Malformed(
            "the head ends before its empty line",
        ))?;
        if line.is_empty() {
            break;
        }
        if headers.len() == MAX_HEADERS {
            return Err(RequestError::TooLarge);
        }
        let (name, value) = line
            .split_once(':')
            .filter(|(name, _)| !name.is_empty() && !name.contains([' ', '\t']))
            .ok_or(RequestError::Malformed("a header line is not NAME: VALUE"))?;
        headers.push((name.to_ascii_lowercase(), value.trim().to_owned()));
    }
    let mut parts = request_line.split(' ');
    let (Some(method), Some(target), Some(version), None) =
        (parts.next(), parts.next(), parts.next(), parts.next())
    else {
        return Err(RequestError::Malformed(
            "the request line is not METHOD TARGET VERSION",
        ));
    };
    if !matches!(version, "HTTP/1.1" | "HTTP/1.0") {
        return Err(RequestError::Malformed(
            "only HTTP/1.1 and HTTP/1.0 are served",
        ));
    }
    let method = match method {
        "GET" => Method::Get,
        "HEAD" => Method::Head,
        _ => return Err(RequestError::Method),
    };
    if !target.starts_with('/') {
        return Err(RequestError::Malformed("the target must be a path"));
    }
    let request = Request {
        method,
        target: target.to_owned(),
        headers,
    };
    let has_body = request.header("transfer-encoding").is_some()
        || request
            .header("content-length")
            .is_some_and(|n| n.trim() != "0");
    if has_body {
        return Err(RequestError::Body);
    }
    Ok(request)
}

/// One line without its CRLF (or LF), taken from `budget`; `None` at the
/// end of the stream.
fn read_line<R: BufRead>(
    reader: &mut R,
    budget: &mut usize,
) -> Result<Option<String>, RequestError> {
    let mut bytes = Vec::new();
    let limit = u64::try_from(*budget).unwrap_or(u64::MAX) + 1;
    let n = std::io::Read::take(&mut *reader, limit)
        .read_until(b'\n', &mut bytes)
        .map_err(RequestError::Closed)?;
    if n == 0 {
        return Ok(None);
    }
    if n > *budget {
        return Err(RequestError::TooLarge);
    }
    *budget -= n;
    if bytes.last() != Some(&b'\n') {
        return Err(RequestError::Malformed("the head ends mid-line"));
    }
    bytes.pop();
    if bytes.last() == Some(&b'\r') {
        bytes.pop();
    }
    String::from_utf8(bytes)
        .map(Some)
        .map_err(|_| RequestError::Malformed("the head is not UTF-8"))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(text: &str) -> Result<Request, RequestError> {
        read(&mut text.as_bytes())
    }

    #[test]
    fn a_get_is_read_with_its_headers() {
        let request =
            parse("GET /runs/1?x=2 HTTP/1.1\r\nHost: a\r\nAccept:  text/html \r\n\r\n").unwrap();
        assert_eq!(request.method, Method::Get);
        assert_eq!(request.target, "/runs/1?x=2");
        assert_eq!(request.header("accept"), Some("text/html"));
        assert_eq!(
            parse("\r\nHEAD / HTTP/1.0\n\n").unwrap().method,
            Method::Head
        );
    }

    #[test]
    fn what_a_read_only_server_refuses() {
        let status = |text: &str| parse(text).unwrap_err().status();
        assert_eq!(status("POST / HTTP/1.1\r\n\r\n"), Some(405));
        assert_eq!(status("GET / HTTP/2\r\n\r\n"), Some(400));
        assert_eq!(status("GET http://x/ HTTP/1.1\r\n\r\n"), Some(400));
        assert_eq!(status("GET /  HTTP/1.1\r\n\r\n"), Some(400));
        assert_eq!(
            status("GET / HTTP/1.1\r\nContent-Length: 3\r\n\r\nabc"),
            Some(413)
        );
        assert_eq!(
            status("GET / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n"),
            Some(413)
        );
        assert_eq!(status("GET / HTTP/1.1\r\nBad header\r\n\r\n"), Some(400));
        assert_eq!(status("GET / HTTP/1.1\r\nHost: a"), Some(400));
        assert_eq!(status(""), None);
        let long = format!("GET /{} HTTP/1.1\r\n\r\n", "a".repeat(MAX_HEAD_BYTES));
        assert_eq!(status(&long), Some(431));
        let many: String = (0..=MAX_HEADERS).map(|i| format!("X-{i}: y\r\n")).collect();
        assert_eq!(status(&format!("GET / HTTP/1.1\r\n{many}\r\n")), Some(431));
    }
}
