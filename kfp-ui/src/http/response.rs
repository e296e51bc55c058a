//! A response: status, headers and a body of bytes or a file, written with
//! `Connection: close` (one request per connection).

use std::fs::File;
use std::io::{self, Write};

/// A response's body.
#[derive(Debug)]
pub enum Body {
    /// Bytes made for this response.
    Bytes(Vec<u8>),
    /// Bytes compiled into the binary (the static assets).
    Static(&'static [u8]),
    /// An open file of `len` bytes, streamed.
    File(File, u64),
}

impl Body {
    /// Its length in bytes.
    pub fn len(&self) -> u64 {
        match self {
            Self::Bytes(b) => b.len() as u64,
            Self::Static(b) => b.len() as u64,
            Self::File(_, len) => *len,
        }
    }

    /// True when it has no bytes.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

/// A response.
#[derive(Debug)]
pub struct Response {
    /// Its status code.
    pub status: u16,
    /// Its headers besides `Content-Length` and `Connection`.
    pub headers: Vec<(&'static str, String)>,
    /// Its body.
    pub body: Body,
}

impl Response {
    /// A response of `status` with `body` of media type `content_type`.
    pub fn new(status: u16, content_type: &str, body: Body) -> Self {
        Self {
            status,
            headers: vec![("Content-Type", content_type.to_owned())],
            body,
        }
    }

    /// An HTML page.
    pub fn html(status: u16, page: String) -> Self {
        Self::new(
            status,
            "text/html; charset=utf-8",
            Body::Bytes(page.into_bytes()),
        )
    }

    /// A `200 OK` JSON document.
    pub fn json(value: &serde_json::Value) -> Self {
        Self::new(
            200,
            "application/json",
            Body::Bytes(value.to_string().into_bytes()),
        )
    }

    /// A plain-text response (for errors that have no page).
    pub fn text(status: u16, text: &str) -> Self {
        Self::new(
            status,
            "text/plain; charset=utf-8",
            Body::Bytes(text.as_bytes().to_vec()),
        )
    }

    /// Adds a header.
    #[must_use]
    pub fn header(mut self, name: &'static str, value: impl Into<String>) -> Self {
        self.headers.push((name, value.into()));
        self
    }

    /// The value of header `name`, if set.
    pub fn header_value(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    /// The body's bytes, when it is not a file (for tests and benchmarks).
    pub fn bytes(&self) -> Option<&[u8]> {
        match &self.body {
            Body::Bytes(b) => Some(b),
            Body::Static(b) => Some(b),
            Body::File(..) => None,
        }
    }

    /// Writes the response; with `head_only`, without its body.
    ///
    /// # Errors
    /// When the connection fails.
    pub fn write_to(self, out: &mut impl Write, head_only: bool) -> io::Result<()> {
        let mut head = format!("HTTP/1.1 {} {}\r\n", self.status, reason(self.status));
        for (name, value) in &self.headers {
            // Values are ours; a line break in one would split the head.
            let value: String = value.chars().filter(|c| !c.is_control()).collect();
            head.push_str(&format!("{name}: {value}\r\n"));
        }
        head.push_str(&format!(
            "Content-Length: {}\r\nConnection: close\r\n\r\n",
            self.body.len()
        ));
        out.write_all(head.as_bytes())?;
        if !head_only {
            match self.body {
                Body::Bytes(b) => out.write_all(&b)?,
                Body::Static(b) => out.write_all(b)?,
                Body::File(file, len) => {
                    io::copy(&mut io::Read::take(file, len), out)?;
                }
            }
        }
        out.flush()
    }
}

/// The reason phrase of a status code.
fn reason(status: u16) -> &'static str {
    match status {
        200 => "OK",
        304 => "Not Modified",
        400 => "Bad Request",
        404 => "Not Found",
        405 => "Method Not Allowed",
        413 => "Content Too Large",
        431 => "Request Header Fields Too Large",
        500 => "Internal Server Error",
        503 => "Service Unavailable",
        _ => "",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_response_is_written_with_its_length_and_closes() {
        let mut out = Vec::new();
        Response::text(404, "gone")
            .header("X-A", "b\r\nInjected: yes")
            .write_to(&mut out, false)
            .unwrap();
        let text = String::from_utf8(out).unwrap();
        assert_eq!(
            text,
            "HTTP/1.1 404 Not Found\r\nContent-Type: text/plain; charset=utf-8\r\n\
             X-A: bInjected: yes\r\nContent-Length: 4\r\nConnection: close\r\n\r\ngone"
        );
        let mut out = Vec::new();
        Response::text(200, "body")
            .write_to(&mut out, true)
            .unwrap();
        assert!(
            String::from_utf8(out)
                .unwrap()
                .ends_with("Content-Length: 4\r\nConnection: close\r\n\r\n")
        );
    }
}
