//! The cluster subcommands against a local fake server that counts what it
//! is sent: a file is checked before anything is sent (`--no-validate`
//! sends it as it is), a create that gets no answer says how to look for
//! what it may have made, and a host's credentials are never shown.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::thread::JoinHandle;
use std::time::Duration;

/// A request as the server received it.
#[derive(Clone, Debug)]
struct Request {
    /// `POST /apis/v2beta1/runs?...`
    line: String,
    body: Vec<u8>,
}

/// A server on 127.0.0.1 that answers every request with `{}`-like JSON
/// after `delay`, and records what it receives; dropped, it stops.
struct FakeServer {
    url: String,
    requests: Arc<Mutex<Vec<Request>>>,
    stop: Arc<AtomicBool>,
    thread: Option<JoinHandle<()>>,
}

impl FakeServer {
    fn start(delay: Duration) -> Self {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        listener.set_nonblocking(true).unwrap();
        let url = format!("http://{}", listener.local_addr().unwrap());
        let requests = Arc::new(Mutex::new(Vec::new()));
        let stop = Arc::new(AtomicBool::new(false));
        let thread = {
            let (requests, stop) = (Arc::clone(&requests), Arc::clone(&stop));
            std::thread::spawn(move || {
                // Bounded by `stop`, which dropping the server sets.
                while !stop.load(Ordering::SeqCst) {
                    match listener.accept() {
                        Ok((stream, _)) => serve(stream, &requests, delay),
                        Err(_) => std::thread::sleep(Duration::from_millis(5)),
                    }
                }
            })
        };
        Self {
            url,
            requests,
            stop,
            thread: Some(thread),
        }
    }

    fn requests(&self) -> Vec<Request> {
        self.requests.lock().unwrap().clone()
    }
}

impl Drop for FakeServer {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::SeqCst);
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

/// Serves the requests of one connection, one at a time.
fn serve(stream: TcpStream, requests: &Mutex<Vec<Request>>, delay: Duration) {
    let _ = stream.set_nonblocking(false);
    let _ = stream.set_read_timeout(Some(Duration::from_secs(5)));
    let mut reader = BufReader::new(stream);
    loop {
        let mut line = String::new();
        if reader.read_line(&mut line).unwrap_or(0) == 0 {
            return;
        }
        let mut length = 0;
        loop {
            let mut header = String::new();
            if reader.read_line(&mut header).unwrap_or(0) == 0 {
                return;
            }
            if header.trim().is_empty() {
                break;
            }
            if let Some((name, value)) = header.split_once(':')
                && name.eq_ignore_ascii_case("content-length")
            {
                length = value.trim().parse().unwrap_or(0);
            }
        }
        let mut body = vec![0; length];
        if reader.read_exact(&mut body).is_err() {
            return;
        }
        requests.lock().unwrap().push(Request {
            line: line.trim().to_owned(),
            body,
        });
        std::thread::sleep(delay);
        let answer = r#"{"run_id": "r-1", "pipeline_id": "p-1", "state": "PENDING"}"#;
        let reply = format!(
            "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: {}\r\n\r\n{answer}",
            answer.len()
        );
        if reader.get_mut().write_all(reply.as_bytes()).is_err() {
            return;
        }
    }
}

/// `kfp` with a clean environment: no context file, no endpoint or token
/// from the environment.
fn kfp(home: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_kfp"))
        .args(args)
        .env("HOME", home)
        .env_remove("KF_PIPELINES_ENDPOINT")
        .env_remove("KF_PIPELINES_TOKEN")
        .env_remove("KF_PIPELINES_SA_TOKEN_PATH")
        .env_remove("KUBERNETES_SERVICE_HOST")
        .output()
        .unwrap()
}

fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

const VALID: &str = "\
components:
  comp-say:
    executorLabel: exec-say
    inputDefinitions:
      parameters:
        n:
          parameterType: NUMBER_INTEGER
deploymentSpec:
  executors:
    exec-say:
      container:
        image: alpine
pipelineInfo:
  name: demo
root:
  dag:
    tasks:
      say:
        componentRef:
          name: comp-say
        inputs:
          parameters:
            n:
              componentInputParameter: n
        taskInfo:
          name: say
  inputDefinitions:
    parameters:
      n:
        parameterType: NUMBER_INTEGER
schemaVersion: 2.1.0
";

/// A file the checker refuses: a field the 2.1.0 schema does not have (a
/// newer server's, say).
fn with_unknown_field() -> String {
    format!("{VALID}futureField: 1\n")
}

fn write(dir: &Path, name: &str, text: &str) -> PathBuf {
    let path = dir.join(name);
    std::fs::write(&path, text).unwrap();
    path
}

/// The probe: an invalid file must be refused before any request; the
/// server counts what it receives.
#[test]
fn an_invalid_file_is_refused_before_anything_is_sent() {
    let dir = tempfile::tempdir().unwrap();
    let server = FakeServer::start(Duration::ZERO);
    let bad = write(dir.path(), "bad.yaml", &with_unknown_field());
    let bad = bad.to_str().unwrap();
    let host = server.url.as_str();
    for args in [
        &["--host", host, "run", "create", bad, "-p", "n=1"][..],
        &[
            "--host", host, "run", "create", bad, "-p", "n=1", "-e", "nightly",
        ],
        &["--host", host, "pipeline", "upload", bad],
        &[
            "--host",
            host,
            "pipeline",
            "upload",
            bad,
            "--version-of",
            "p-1",
        ],
        &[
            "--host",
            host,
            "recurring-run",
            "create",
            bad,
            "--name",
            "r",
            "--every",
            "60",
        ],
    ] {
        let output = kfp(dir.path(), args);
        assert_eq!(
            output.status.code(),
            Some(2),
            "{args:?}: {}",
            stderr(&output)
        );
        assert!(
            stderr(&output).contains("unknown field `futureField`"),
            "{args:?}: {}",
            stderr(&output)
        );
    }
    assert!(server.requests().is_empty(), "{:?}", server.requests());
}

#[test]
fn no_validate_sends_the_file_as_it_is() {
    let dir = tempfile::tempdir().unwrap();
    let server = FakeServer::start(Duration::ZERO);
    let text = with_unknown_field();
    let file = write(dir.path(), "future.yaml", &text);
    let file = file.to_str().unwrap();
    let host = server.url.as_str();

    let output = kfp(
        dir.path(),
        &[
            "--host",
            host,
            "run",
            "create",
            file,
            "--no-validate",
            "-p",
            "n=3",
        ],
    );
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    // `--param` is still checked against the root inputs.
    let output = kfp(
        dir.path(),
        &[
            "--host",
            host,
            "run",
            "create",
            file,
            "--no-validate",
            "-p",
            "n=x",
        ],
    );
    assert_eq!(output.status.code(), Some(2));
    assert!(
        stderr(&output).contains("parameter `n`"),
        "{}",
        stderr(&output)
    );

    let output = kfp(
        dir.path(),
        &["--host", host, "pipeline", "upload", file, "--no-validate"],
    );
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));

    let requests = server.requests();
    assert_eq!(requests.len(), 2, "{requests:?}");
    assert_eq!(requests[0].line, "POST /apis/v2beta1/runs HTTP/1.1");
    let run: serde_json::Value = serde_json::from_slice(&requests[0].body).unwrap();
    assert_eq!(run["pipeline_spec"]["futureField"], 1);
    assert_eq!(run["runtime_config"]["parameters"]["n"], 3);
    assert!(
        requests[1]
            .line
            .starts_with("POST /apis/v2beta1/pipelines/upload?name=demo"),
        "{}",
        requests[1].line
    );
    let body = String::from_utf8_lossy(&requests[1].body);
    assert!(body.contains(&text), "the file's own text is sent: {body}");
}

#[test]
fn a_valid_file_is_sent() {
    let dir = tempfile::tempdir().unwrap();
    let server = FakeServer::start(Duration::ZERO);
    let file = write(dir.path(), "demo.yaml", VALID);
    let file = file.to_str().unwrap();
    let output = kfp(
        dir.path(),
        &[
            "--host",
            &server.url,
            "run",
            "create",
            file,
            "-p",
            "n=2",
            "--json",
        ],
    );
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    assert_eq!(server.requests().len(), 1);
}

/// A create whose answer does not come within the request timeout may
/// have been done: the message says so, and how to look.
#[test]
fn a_create_without_an_answer_says_how_to_check() {
    let dir = tempfile::tempdir().unwrap();
    let server = FakeServer::start(Duration::from_secs(2));
    let file = write(dir.path(), "demo.yaml", VALID);
    let file = file.to_str().unwrap();
    let output = kfp(
        dir.path(),
        &[
            "--host",
            &server.url,
            "--request-timeout",
            "1",
            "run",
            "create",
            file,
            "-p",
            "n=2",
            "--name",
            "nightly",
        ],
    );
    assert_eq!(output.status.code(), Some(2));
    let shown = stderr(&output);
    assert!(
        shown.starts_with(
            "error: run `nightly` may have been created: check with `kfp run list --name-contains 'nightly'` before creating it again: POST /apis/v2beta1/runs: no answer within 1s (request timeout)"
        ),
        "{shown}"
    );
    assert_eq!(server.requests().len(), 1, "a create is never retried");
}

/// The probe: an invalid `--host` was echoed with its password.
#[test]
fn a_host_with_credentials_is_never_shown_whole() {
    let dir = tempfile::tempdir().unwrap();
    for host in [
        "https://alice:s3cret@kfp example.com",
        "ftp://alice:s3cret@kfp",
    ] {
        let output = kfp(dir.path(), &["--host", host, "run", "list"]);
        assert_eq!(output.status.code(), Some(2));
        let shown = stderr(&output);
        assert!(shown.contains("***@"), "{shown}");
        assert!(
            !shown.contains("s3cret") && !shown.contains("alice"),
            "{shown}"
        );
    }
}
