//! The Docker Engine API calls the container executor makes, API version
//! 1.41 (Docker 20.10 and later, Podman's compatible service), over the
//! [`http`] client: one connection per call.
//!
//! Every error names the engine's address, what was being done (with the
//! image or the container) and what the engine said.

use std::io::{BufRead, BufReader, Read};
use std::path::PathBuf;
use std::time::Duration;

use serde::Deserialize;
use serde_json::Value;

use super::http::{self, Body, Connection, HttpError};
use super::logs::{self, DemuxError, Source};

/// The API version every call but the ping is made at.
const API: &str = "/v1.41";

/// The most a response read whole may take (streams are not bounded).
const MAX_BODY: u64 = 4 * 1024 * 1024;

/// The most one line of the pull progress stream may take.
const MAX_PROGRESS_LINE: u64 = 1024 * 1024;

/// How long connecting over TCP may take.
const CONNECT_TIMEOUT: Duration = Duration::from_secs(5);

/// How long the engine may take to answer a short call (create, start,
/// inspect, remove, list).
const CALL_TIMEOUT: Duration = Duration::from_secs(120);

/// How long the ping of an engine being looked for may take.
const PING_TIMEOUT: Duration = Duration::from_secs(5);

/// How long a pull may go without a word of progress.
const PULL_TIMEOUT: Duration = Duration::from_secs(15 * 60);

/// Where a container engine listens.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Endpoint {
    /// A Unix socket (`unix:///run/podman/podman.sock`).
    Unix(PathBuf),
    /// `host:port` over TCP, plain HTTP (`tcp://127.0.0.1:2375`).
    Tcp(String),
}

impl Endpoint {
    /// Reads `DOCKER_HOST`'s forms `unix:///PATH` and `tcp://HOST:PORT`.
    ///
    /// # Errors
    /// For any other form, saying which are read.
    pub fn parse(text: &str) -> Result<Self, String> {
        if let Some(path) = text.strip_prefix("unix://") {
            if path.starts_with('/') {
                return Ok(Self::Unix(PathBuf::from(path)));
            }
        } else if let Some(address) = text.strip_prefix("tcp://") {
            let address = address.trim_end_matches('/');
            if address.rsplit_once(':').is_some_and(|(host, port)| {
                !host.is_empty() && !port.is_empty() && port.bytes().all(|b| b.is_ascii_digit())
            }) {
                return Ok(Self::Tcp(address.to_owned()));
            }
        }
        Err("not unix:///PATH or tcp://HOST:PORT (the forms kfp-local reads)".to_owned())
    }

    fn connect(&self) -> std::io::Result<Connection> {
        match self {
            Self::Unix(path) => Connection::unix(path),
            Self::Tcp(address) => Connection::tcp(address, CONNECT_TIMEOUT),
        }
    }

    /// The `Host` header.
    fn authority(&self) -> &str {
        match self {
            Self::Unix(_) => "docker",
            Self::Tcp(address) => address,
        }
    }
}

impl std::fmt::Display for Endpoint {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::Unix(path) => write!(f, "unix://{}", path.display()),
            Self::Tcp(address) => write!(f, "tcp://{address}"),
        }
    }
}

/// A call that failed.
#[derive(Debug, thiserror::Error)]
#[error("{endpoint}: {action}: {problem}")]
pub(super) struct EngineError {
    endpoint: Endpoint,
    action: String,
    problem: Problem,
}

/// What went wrong in a call.
#[derive(Debug, thiserror::Error)]
enum Problem {
    #[error("{0}")]
    Http(#[from] HttpError),
    #[error("the engine answered {status}: {message}")]
    Status { status: u16, message: String },
    #[error("{0}")]
    Said(String),
}

impl EngineError {
    /// True when the engine answered 404 (no such image or container).
    fn not_found(&self) -> bool {
        matches!(self.problem, Problem::Status { status: 404, .. })
    }
}

/// A response read whole.
struct Reply {
    status: u16,
    body: Vec<u8>,
}

/// One container of the list call.
#[derive(Debug, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub(super) struct Listed {
    pub id: String,
    #[serde(default)]
    pub image: String,
    #[serde(default)]
    pub state: String,
    #[serde(default)]
    pub labels: Option<std::collections::BTreeMap<String, String>>,
}

/// A container engine's API.
#[derive(Clone, Debug)]
pub(super) struct Engine {
    endpoint: Endpoint,
    podman: bool,
}

impl Engine {
    /// The engine at `endpoint`, once it answers a ping (`GET /_ping`).
    ///
    /// # Errors
    /// Why it does not answer, or what it answers instead.
    pub(super) fn connect(endpoint: Endpoint) -> Result<Self, String> {
        let mut engine = Self {
            endpoint,
            podman: false,
        };
        let response = engine
            .open("GET", "/_ping", None, Some(PING_TIMEOUT))
            .map_err(|e| e.to_string())?;
        let status = response.status;
        engine.podman = response.header("libpod-api-version").is_some();
        let body = http::read_limited(response.body, MAX_BODY).map_err(|e| e.to_string())?;
        if status == 200 {
            Ok(engine)
        } else {
            Err(format!("GET /_ping: {}", status_problem(status, &body)))
        }
    }

    /// Where it listens.
    pub(super) fn endpoint(&self) -> &Endpoint {
        &self.endpoint
    }

    /// True for Podman's service (its answers carry `Libpod-Api-Version`).
    pub(super) fn is_podman(&self) -> bool {
        self.podman
    }

    fn error(&self, action: impl Into<String>, problem: impl Into<Problem>) -> EngineError {
        EngineError {
            endpoint: self.endpoint.clone(),
            action: action.into(),
            problem: problem.into(),
        }
    }

    /// Sends a request and reads the response's head.
    fn open(
        &self,
        method: &str,
        target: &str,
        json: Option<&Value>,
        timeout: Option<Duration>,
    ) -> Result<http::Response<Connection>, HttpError> {
        let connection = self.send(method, target, json, timeout)?;
        http::read_response(connection)
    }

    /// Sends a request; its answer is read from the connection given.
    fn send(
        &self,
        method: &str,
        target: &str,
        json: Option<&Value>,
        timeout: Option<Duration>,
    ) -> Result<Connection, HttpError> {
        let mut connection = self.endpoint.connect()?;
        connection.set_timeouts(timeout, CALL_TIMEOUT)?;
        let body = json.map(|v| serde_json::to_vec(v).unwrap_or_default());
        http::write_request(
            &mut connection,
            method,
            target,
            self.endpoint.authority(),
            body.as_deref(),
        )?;
        Ok(connection)
    }

    /// Makes a call and reads its response whole.
    fn call(
        &self,
        action: &str,
        method: &str,
        target: &str,
        json: Option<&Value>,
        timeout: Duration,
    ) -> Result<Reply, EngineError> {
        let response = self
            .open(method, target, json, Some(timeout))
            .map_err(|e| self.error(action, e))?;
        let body =
            http::read_limited(response.body, MAX_BODY).map_err(|e| self.error(action, e))?;
        Ok(Reply {
            status: response.status,
            body,
        })
    }

    /// Makes a call that succeeds with one of `ok`.
    fn expect(
        &self,
        action: &str,
        method: &str,
        target: &str,
        json: Option<&Value>,
        ok: &[u16],
    ) -> Result<Reply, EngineError> {
        let reply = self.call(action, method, target, json, CALL_TIMEOUT)?;
        if ok.contains(&reply.status) {
            Ok(reply)
        } else {
            Err(self.error(action, status_problem(reply.status, &reply.body)))
        }
    }

    /// Whether `image` is present.
    pub(super) fn image_present(&self, image: &str) -> Result<bool, EngineError> {
        let action = format!("looking for image `{image}`");
        let target = format!("{API}/images/{}/json", http::percent_encode(image, b"/:@"));
        match self.expect(&action, "GET", &target, None, &[200]) {
            Ok(_) => Ok(true),
            Err(e) if e.not_found() => Ok(false),
            Err(e) => Err(e),
        }
    }

    /// Pulls `image`, reading the progress stream to its end: the engine
    /// reports a failure either as the status or as an `error` in it.
    pub(super) fn pull(&self, image: &str) -> Result<(), EngineError> {
        let action = format!("pulling image `{image}`");
        let (name, tag) = split_reference(image);
        let target = format!(
            "{API}/images/create?fromImage={}&tag={}",
            http::percent_encode(name, b""),
            http::percent_encode(tag, b"")
        );
        let response = self
            .open("POST", &target, None, Some(PULL_TIMEOUT))
            .map_err(|e| self.error(&action, e))?;
        if response.status != 200 {
            let body = http::read_limited(response.body, MAX_BODY).unwrap_or_default();
            return Err(self.error(&action, status_problem(response.status, &body)));
        }
        let mut progress = BufReader::new(response.body);
        let mut line = Vec::new();
        loop {
            line.clear();
            let read = progress
                .by_ref()
                .take(MAX_PROGRESS_LINE)
                .read_until(b'\n', &mut line)
                .map_err(|e| self.error(&action, HttpError::Io(e)))?;
            if read == 0 {
                return Ok(());
            }
            if !line.ends_with(b"\n") && read as u64 == MAX_PROGRESS_LINE {
                return Err(self.error(&action, Problem::Said("a progress line over 1 MiB".into())));
            }
            let event: Value = serde_json::from_slice(&line).unwrap_or(Value::Null);
            if let Some(message) = event.get("error").and_then(Value::as_str) {
                return Err(self.error(&action, Problem::Said(message.to_owned())));
            }
        }
    }

    /// Creates a container of `image` from `config`; gives its id.
    pub(super) fn create(&self, image: &str, config: &Value) -> Result<String, EngineError> {
        let action = format!("creating a container of image `{image}`");
        let reply = self.expect(
            &action,
            "POST",
            &format!("{API}/containers/create"),
            Some(config),
            &[201],
        )?;
        #[derive(Deserialize)]
        struct Created {
            #[serde(rename = "Id")]
            id: String,
        }
        serde_json::from_slice::<Created>(&reply.body)
            .map(|c| c.id)
            .map_err(|e| {
                self.error(
                    &action,
                    Problem::Said(format!("an answer without an id: {e}")),
                )
            })
    }

    /// Starts a created container.
    pub(super) fn start(&self, id: &str, image: &str) -> Result<(), EngineError> {
        let action = format!("starting container {} of image `{image}`", short(id));
        self.expect(
            &action,
            "POST",
            &format!("{API}/containers/{id}/start"),
            None,
            &[204, 304],
        )
        .map(drop)
    }

    /// Asks for a container's output from its start, to its end (`follow`)
    /// or to now. The answer is read from the result: Podman sends its head
    /// only with the first output.
    pub(super) fn logs(
        &self,
        id: &str,
        image: &str,
        follow: bool,
    ) -> Result<LogRequest, EngineError> {
        let action = format!(
            "reading the output of container {} of image `{image}`",
            short(id)
        );
        let target = format!(
            "{API}/containers/{id}/logs?follow={}&stdout=1&stderr=1",
            u8::from(follow)
        );
        let timeout = (!follow).then_some(CALL_TIMEOUT);
        match self.send("GET", &target, None, timeout) {
            Ok(connection) => Ok(LogRequest {
                engine: self.clone(),
                action,
                connection,
            }),
            Err(e) => Err(self.error(action, e)),
        }
    }

    /// Waits for a container to stop; gives its exit code.
    pub(super) fn wait(&self, id: &str, image: &str) -> Result<i64, EngineError> {
        let action = format!("waiting for container {} of image `{image}`", short(id));
        let target = format!("{API}/containers/{id}/wait");
        let response = self
            .open("POST", &target, None, None)
            .map_err(|e| self.error(&action, e))?;
        let status = response.status;
        let body =
            http::read_limited(response.body, MAX_BODY).map_err(|e| self.error(&action, e))?;
        if status != 200 {
            return Err(self.error(&action, status_problem(status, &body)));
        }
        #[derive(Deserialize)]
        struct Waited {
            #[serde(rename = "StatusCode")]
            status_code: i64,
            #[serde(rename = "Error", default)]
            error: Option<WaitError>,
        }
        #[derive(Deserialize)]
        struct WaitError {
            #[serde(rename = "Message", default)]
            message: String,
        }
        let waited: Waited = serde_json::from_slice(&body).map_err(|e| {
            self.error(
                &action,
                Problem::Said(format!("an answer without a status code: {e}")),
            )
        })?;
        match waited.error {
            Some(WaitError { message }) if !message.is_empty() => {
                Err(self.error(&action, Problem::Said(message)))
            }
            _ => Ok(waited.status_code),
        }
    }

    /// Stops a container: SIGTERM, then SIGKILL after `grace`.
    pub(super) fn stop(&self, id: &str, grace: Duration) -> Result<(), EngineError> {
        let action = format!("stopping container {}", short(id));
        let target = format!("{API}/containers/{id}/stop?t={}", grace.as_secs());
        let reply = self.call(&action, "POST", &target, None, grace + CALL_TIMEOUT)?;
        // 304: already stopped; 404: already gone.
        match reply.status {
            204 | 304 | 404 => Ok(()),
            status => Err(self.error(&action, status_problem(status, &reply.body))),
        }
    }

    /// Removes a container, stopping it first if it runs.
    pub(super) fn remove(&self, id: &str) -> Result<(), EngineError> {
        let action = format!("removing container {}", short(id));
        let target = format!("{API}/containers/{id}?force=1");
        match self.expect(&action, "DELETE", &target, None, &[200, 204]) {
            Err(e) if !e.not_found() => Err(e),
            _ => Ok(()),
        }
    }

    /// The containers, running or not, that carry the label `key`.
    pub(super) fn list(&self, key: &str) -> Result<Vec<Listed>, EngineError> {
        let action = format!("listing the containers labelled {key}");
        let filters = serde_json::json!({ "label": [key] }).to_string();
        let target = format!(
            "{API}/containers/json?all=1&filters={}",
            http::percent_encode(&filters, b"")
        );
        let reply = self.expect(&action, "GET", &target, None, &[200])?;
        serde_json::from_slice(&reply.body)
            .map_err(|e| self.error(&action, Problem::Said(format!("an unreadable list: {e}"))))
    }
}

/// A request for a container's output, sent, its answer not read yet.
pub(super) struct LogRequest {
    engine: Engine,
    action: String,
    connection: Connection,
}

impl LogRequest {
    /// Another handle on its connection, to cut the stream from another
    /// thread.
    pub(super) fn handle(&self) -> Result<Connection, EngineError> {
        self.connection
            .try_clone()
            .map_err(|e| self.engine.error(&self.action, HttpError::Io(e)))
    }

    /// Reads the answer to its end, passing each piece of output to `sink`.
    pub(super) fn copy_to(
        self,
        sink: impl FnMut(Source, &[u8]) -> std::io::Result<()>,
    ) -> Result<(), CopyError> {
        let engine = self.engine.clone();
        let action = self.action.clone();
        let body = self.answer().map_err(CopyError::Engine)?;
        logs::demultiplex(body, sink).map_err(|e| match e {
            DemuxError::Write(e) => CopyError::Sink(e),
            other => CopyError::Engine(engine.error(action, Problem::Said(other.to_string()))),
        })
    }

    /// Reads the answer's head; the body is the stream of frames.
    fn answer(self) -> Result<Body<Connection>, EngineError> {
        let mut response =
            http::read_response(self.connection).map_err(|e| self.engine.error(&self.action, e))?;
        if response.status != 200 {
            let body = http::read_limited(&mut response.body, MAX_BODY).unwrap_or_default();
            return Err(self
                .engine
                .error(&self.action, status_problem(response.status, &body)));
        }
        Ok(response.body)
    }
}

/// Why a container's output could not be copied.
#[derive(Debug)]
pub(super) enum CopyError {
    /// Reading it from the engine failed.
    Engine(EngineError),
    /// The sink refused a piece (writing the log failed).
    Sink(std::io::Error),
}

/// What an error answer says: the `message` of its JSON, else its text.
fn status_problem(status: u16, body: &[u8]) -> Problem {
    let message = serde_json::from_slice::<Value>(body)
        .ok()
        .and_then(|v| v.get("message").and_then(Value::as_str).map(str::to_owned))
        .unwrap_or_else(|| {
            let text = String::from_utf8_lossy(body);
            let text = text.trim();
            match text.char_indices().nth(500) {
                Some((at, _)) => format!("{}…", &text[..at]),
                None if text.is_empty() => "(no message)".to_owned(),
                None => text.to_owned(),
            }
        });
    Problem::Status { status, message }
}

/// A container id as Docker shows it: its first 12 characters.
pub(super) fn short(id: &str) -> &str {
    id.get(..12).unwrap_or(id)
}

/// Splits an image reference into the `fromImage` and `tag` of a pull:
/// `name@sha256:…` pulls the digest, `name:tag` the tag, `name` `latest`.
fn split_reference(image: &str) -> (&str, &str) {
    if let Some((name, digest)) = image.rsplit_once('@') {
        return (name, digest);
    }
    let last_part = image.rfind('/').map_or(0, |slash| slash + 1);
    match image[last_part..].rfind(':') {
        Some(colon) => (&image[..last_part + colon], &image[last_part + colon + 1..]),
        None => (image, "latest"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn docker_host_forms() {
        assert_eq!(
            Endpoint::parse("unix:///run/podman/podman.sock"),
            Ok(Endpoint::Unix("/run/podman/podman.sock".into()))
        );
        assert_eq!(
            Endpoint::parse("tcp://127.0.0.1:2375/"),
            Ok(Endpoint::Tcp("127.0.0.1:2375".into()))
        );
        assert_eq!(
            Endpoint::Unix("/x.sock".into()).to_string(),
            "unix:///x.sock"
        );
        for bad in [
            "ssh://me@host",
            "unix://relative",
            "tcp://host",
            "tcp://:1",
            "/x.sock",
        ] {
            assert!(Endpoint::parse(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn image_references_split_into_name_and_tag() {
        assert_eq!(split_reference("busybox"), ("busybox", "latest"));
        assert_eq!(
            split_reference("localhost:5000/a/b"),
            ("localhost:5000/a/b", "latest")
        );
        assert_eq!(
            split_reference("localhost:5000/a/b:1.2"),
            ("localhost:5000/a/b", "1.2")
        );
        assert_eq!(
            split_reference("python@sha256:abc"),
            ("python", "sha256:abc")
        );
    }

    #[test]
    fn an_error_answer_gives_its_message() {
        let problem = status_problem(404, br#"{"message":"no such image: x"}"#);
        assert_eq!(
            problem.to_string(),
            "the engine answered 404: no such image: x"
        );
        let problem = status_problem(500, b"  plain text\n");
        assert_eq!(problem.to_string(), "the engine answered 500: plain text");
        let error = EngineError {
            endpoint: Endpoint::Unix("/e.sock".into()),
            action: "pulling image `x`".into(),
            problem: status_problem(500, b""),
        };
        assert_eq!(
            error.to_string(),
            "unix:///e.sock: pulling image `x`: the engine answered 500: (no message)"
        );
    }
}
