//! Errors of the client.

use std::path::PathBuf;
use std::time::Duration;

use kfp_ir_schema::arguments::ArgumentErrors;
use kfp_ir_schema::printable::excerpt;

use crate::models::{RuntimeState, Status};

/// The result type of this crate.
pub type Result<T, E = Error> = std::result::Result<T, E>;

/// An error answer of the server, with its HTTP status kept.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[error("{method} {path} failed with HTTP {status}: {message}")]
pub struct ApiError {
    /// The HTTP method of the request.
    pub method: String,
    /// The request path (no query, no host).
    pub path: String,
    /// The HTTP status code.
    pub status: u16,
    /// The gRPC code, when the body was a `google.rpc.Status`.
    pub grpc_code: Option<i32>,
    /// The message for a user, read from the body (or the status reason).
    pub message: String,
    /// More detail from the body, when it had some (the internal error
    /// chain, or the upload endpoints' `error_details`).
    pub details: Option<String>,
}

/// How many characters of a server's error message are kept (the rest is
/// cut, with how much more there was).
const MESSAGE_CHARS: usize = 1000;

/// How many characters of an error body that is plain text are kept.
const TEXT_CHARS: usize = 500;

impl ApiError {
    /// Reads an error body. It may be a `google.rpc.Status` (grpc-gateway
    /// routes), `{error_message, error_details}` (upload endpoints), plain
    /// text, or nothing. What the server says is kept as it may be printed:
    /// at most 1000 characters of a message (500 of plain text), control
    /// characters escaped, so that it cannot flood or drive a terminal.
    pub fn from_body(method: &str, path: &str, status: u16, body: &[u8]) -> Self {
        let mut error = Self {
            method: method.to_owned(),
            path: path.to_owned(),
            status,
            grpc_code: None,
            message: String::new(),
            details: None,
        };
        let json: Option<serde_json::Value> = serde_json::from_slice(body).ok();
        if let Some(obj) = json.as_ref().and_then(|v| v.as_object()) {
            if let Some(msg) = obj.get("error_message").and_then(|m| m.as_str()) {
                error.message = msg.trim().to_owned();
                error.details = obj
                    .get("error_details")
                    .and_then(|d| d.as_str())
                    .map(str::trim)
                    .filter(|d| !d.is_empty() && *d != error.message)
                    .map(str::to_owned);
            } else if (obj.contains_key("code") || obj.contains_key("message"))
                && let Ok(s) =
                    serde_json::from_value::<Status>(serde_json::Value::Object(obj.clone()))
            {
                error.grpc_code = Some(s.code);
                error.message = s.user_message();
                let top = s.message.trim();
                if !top.is_empty() && !error.message.contains(top) {
                    error.details = Some(top.to_owned());
                }
            }
        }
        if error.message.is_empty() {
            let text = String::from_utf8_lossy(body);
            error.message = excerpt(text.trim(), TEXT_CHARS).into_owned();
        } else {
            error.message = excerpt(&error.message, MESSAGE_CHARS).into_owned();
        }
        error.details = error
            .details
            .map(|d| excerpt(&d, MESSAGE_CHARS).into_owned());
        if error.message.is_empty() {
            error.message = reason_phrase(status).to_owned();
        }
        error
    }

    /// An error answer whose body is over `limit` bytes, so not read.
    pub(crate) fn unread(method: &str, path: &str, status: u16, limit: usize) -> Self {
        Self {
            method: method.to_owned(),
            path: path.to_owned(),
            status,
            grpc_code: None,
            message: format!(
                "{} (the error answer is larger than {}, so it was not read)",
                reason_phrase(status),
                size(limit)
            ),
            details: None,
        }
    }

    /// True for HTTP 404.
    pub fn is_not_found(&self) -> bool {
        self.status == 404
    }

    /// True for HTTP 401 and 403: a missing, wrong or insufficient
    /// credential.
    pub fn is_auth(&self) -> bool {
        matches!(self.status, 401 | 403)
    }
}

/// A size in bytes for a message: `4 MiB`, `1500 bytes`.
fn size(bytes: usize) -> String {
    if bytes >= 1 << 20 && bytes.is_multiple_of(1 << 20) {
        format!("{} MiB", bytes >> 20)
    } else {
        format!("{bytes} bytes")
    }
}

/// What a message adds when a request that is not retried (a create, an
/// action) may have been carried out although no answer came.
fn unsure(method: &str, sent: bool) -> &'static str {
    if sent && !is_idempotent(method) {
        "; it was not retried, and the server may have carried it out all the same: check before sending it again"
    } else {
        ""
    }
}

/// GET, HEAD and DELETE may be sent twice; the client retries them.
fn is_idempotent(method: &str) -> bool {
    matches!(method, "GET" | "HEAD" | "DELETE")
}

fn reason_phrase(status: u16) -> &'static str {
    reqwest::StatusCode::from_u16(status)
        .ok()
        .and_then(|s| s.canonical_reason())
        .unwrap_or("no reason given")
}

/// An error of the client. Causes are given by `source()`, not repeated
/// in the message (print the chain, e.g. with anyhow's `{:#}`).
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// The server answered with an error status.
    #[error(transparent)]
    Api(#[from] ApiError),
    /// The request did not get an answer (connection refused or reset, TLS,
    /// DNS).
    #[error(
        "{method} {path}: no answer from the server after {attempts} attempt(s){}",
        unsure(method, !source.is_connect())
    )]
    Transport {
        /// The HTTP method.
        method: String,
        /// The request path.
        path: String,
        /// How many times it was sent.
        attempts: u32,
        /// The cause.
        #[source]
        source: reqwest::Error,
    },
    /// The request timed out.
    #[error(
        "{method} {path}: no answer within {after:?} (request timeout){}",
        unsure(method, true)
    )]
    Timeout {
        /// The HTTP method.
        method: String,
        /// The request path.
        path: String,
        /// The per-request timeout.
        after: Duration,
    },
    /// The answer is larger than the client reads
    /// ([`ClientBuilder::max_response_size`](crate::ClientBuilder::max_response_size)).
    #[error(
        "{method} {path}: the answer is larger than {}, more than this client reads; ask for fewer items per page, or raise the client's limit",
        size(*limit)
    )]
    TooLarge {
        /// The HTTP method.
        method: String,
        /// The request path.
        path: String,
        /// The limit, in bytes.
        limit: usize,
    },
    /// The answer was not the JSON expected.
    #[error(
        "{method} {path}: HTTP {status} with a body that is not the expected JSON; body starts with: {snippet}"
    )]
    Decode {
        /// The HTTP method.
        method: String,
        /// The request path.
        path: String,
        /// The HTTP status.
        status: u16,
        /// The first bytes of the body.
        snippet: String,
        /// The parse error.
        #[source]
        source: serde_json::Error,
    },
    /// The client was configured wrongly (bad host, bad header).
    #[error("invalid client configuration: {0}")]
    Config(String),
    /// A request was refused before being sent.
    #[error("invalid request: {0}")]
    InvalidRequest(String),
    /// The token file could not be read.
    #[error("cannot read the token file {}", path.display())]
    TokenFile {
        /// The file.
        path: PathBuf,
        /// The cause.
        #[source]
        source: std::io::Error,
    },
    /// Run arguments do not fit the pipeline's inputs.
    #[error(transparent)]
    Arguments(#[from] ArgumentErrors),
    /// A Kubernetes API call failed (feature `kube`).
    #[error("{what}")]
    Kubernetes {
        /// What was being done.
        what: String,
        /// The cause.
        #[source]
        source: Box<dyn std::error::Error + Send + Sync>,
    },
    /// A wait for a run ran out of time.
    #[error("run {run_id} did not finish within {after:?} (last state {last_state})")]
    WaitTimeout {
        /// The run.
        run_id: String,
        /// The overall timeout.
        after: Duration,
        /// The state seen last.
        last_state: RuntimeState,
    },
    /// A wait for a run gave up: its polls failed, several in a row.
    #[error(
        "gave up waiting for run {run_id}: {polls} polls in a row got no answer (the run goes on)"
    )]
    WaitFailed {
        /// The run.
        run_id: String,
        /// How many polls failed in a row.
        polls: u32,
        /// The last poll's error.
        #[source]
        source: Box<Error>,
    },
    /// A wait for a run was cancelled by the caller (Ctrl-C).
    #[error("stopped waiting for run {run_id} (last state {last_state}); the run goes on")]
    WaitCancelled {
        /// The run.
        run_id: String,
        /// The state seen last.
        last_state: RuntimeState,
    },
}

impl Error {
    /// The HTTP status of an error answer.
    pub fn status(&self) -> Option<u16> {
        match self {
            Self::Api(e) => Some(e.status),
            Self::Decode { status, .. } => Some(*status),
            _ => None,
        }
    }

    /// True when a request that is never retried (a create or an action:
    /// POST) was sent and got no answer, so that the server may have
    /// carried it out: it timed out, or its connection broke after it was
    /// opened. Look (list what it would have created) before sending it
    /// again.
    pub fn may_have_been_done(&self) -> bool {
        match self {
            Self::Timeout { method, .. } => !is_idempotent(method),
            Self::Transport { method, source, .. } => {
                !is_idempotent(method) && !source.is_connect()
            }
            _ => false,
        }
    }

    /// True when the server may answer a later request: no answer came
    /// (a broken connection, a timeout) or the server said it is failing
    /// or overloaded (HTTP 5xx, 429). What to retry is the caller's choice
    /// (see [`may_have_been_done`](Self::may_have_been_done)).
    pub fn is_transient(&self) -> bool {
        match self {
            Self::Transport { .. } | Self::Timeout { .. } => true,
            Self::Api(e) => e.status >= 500 || e.status == 429,
            _ => false,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_a_grpc_status_body() {
        let body = br#"{"code":5,"message":"Failed to get run: Run r not found","details":[{"@type":"type.googleapis.com/google.rpc.Status","code":5,"message":"Run r not found"}]}"#;
        let e = ApiError::from_body("GET", "/apis/v2beta1/runs/r", 404, body);
        assert_eq!(e.grpc_code, Some(5));
        assert_eq!(e.message, "Run r not found");
        assert_eq!(
            e.details.as_deref(),
            Some("Failed to get run: Run r not found")
        );
        assert!(e.is_not_found());
        assert_eq!(
            e.to_string(),
            "GET /apis/v2beta1/runs/r failed with HTTP 404: Run r not found"
        );
    }

    #[test]
    fn reads_an_upload_error_body() {
        let body = br#"{"error_message":"Failed to create a pipeline: already exists","error_details":"Failed to create a pipeline: already exists: name demo"}"#;
        let e = ApiError::from_body("POST", "/apis/v2beta1/pipelines/upload", 409, body);
        assert_eq!(e.message, "Failed to create a pipeline: already exists");
        assert_eq!(
            e.details.as_deref(),
            Some("Failed to create a pipeline: already exists: name demo")
        );
        assert_eq!(e.grpc_code, None);
    }

    /// The probe: a 5 MB `error_message` full of escape sequences reached
    /// the terminal as it was.
    #[test]
    fn a_long_message_with_escape_sequences_is_cut_and_escaped() {
        let flood = format!("\x1b[2J\x1b]0;owned\x07{}", "x".repeat(5_000_000));
        let body =
            serde_json::json!({"error_message": flood, "error_details": format!("{flood}!")})
                .to_string();
        let e = ApiError::from_body(
            "POST",
            "/apis/v2beta1/pipelines/upload",
            400,
            body.as_bytes(),
        );
        let shown = e.to_string();
        assert!(shown.len() < 1_200, "{} bytes", shown.len());
        assert!(!shown.contains(['\x1b', '\x07']), "{shown:?}");
        assert!(
            shown.contains("\\u{1b}[2J\\u{1b}]0;owned\\u{7}xxx"),
            "{shown}"
        );
        let more = flood.chars().count() - 1000;
        assert!(
            shown.ends_with(&format!("x… ({more} more characters)")),
            "{shown}"
        );
        assert!(e.details.unwrap().len() < 1_100);
        let grpc =
            serde_json::json!({"code": 3, "message": format!("bad\x1b[31m{}", "y".repeat(3000))});
        let e = ApiError::from_body("GET", "/p", 400, grpc.to_string().as_bytes());
        assert!(e.message.starts_with("bad\\u{1b}[31myyy"), "{}", e.message);
        assert!(e.message.len() < 1_100);
        let e = ApiError::from_body("GET", "/p", 502, "\x1b[5mgateway\x1b[0m".as_bytes());
        assert_eq!(e.message, "\\u{1b}[5mgateway\\u{1b}[0m");
    }

    #[test]
    fn reads_plain_text_and_empty_bodies() {
        let e = ApiError::from_body("POST", "/p", 400, b"File size too large\n");
        assert_eq!(e.message, "File size too large");
        let e = ApiError::from_body("GET", "/p", 503, b"");
        assert_eq!(e.message, "Service Unavailable");
    }
}
