//! Errors of the client.

use std::path::PathBuf;
use std::time::Duration;

use kfp_ir_schema::arguments::ArgumentErrors;

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

impl ApiError {
    /// Reads an error body. It may be a `google.rpc.Status` (grpc-gateway
    /// routes), `{error_message, error_details}` (upload endpoints), plain
    /// text, or nothing.
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
            error.message = truncate(text.trim(), 500);
        }
        if error.message.is_empty() {
            error.message = reason_phrase(status).to_owned();
        }
        error
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

fn truncate(text: &str, max: usize) -> String {
    match text.char_indices().nth(max) {
        Some((cut, _)) => format!("{}…", &text[..cut]),
        None => text.to_owned(),
    }
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
    #[error("{method} {path}: no answer from the server after {attempts} attempt(s)")]
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
    #[error("{method} {path}: no answer within {after:?} (request timeout)")]
    Timeout {
        /// The HTTP method.
        method: String,
        /// The request path.
        path: String,
        /// The per-request timeout.
        after: Duration,
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

    #[test]
    fn reads_plain_text_and_empty_bodies() {
        let e = ApiError::from_body("POST", "/p", 400, b"File size too large\n");
        assert_eq!(e.message, "File size too large");
        let e = ApiError::from_body("GET", "/p", 503, b"");
        assert_eq!(e.message, "Service Unavailable");
    }
}
