//! Test support: a small hand-rolled HTTP/1.1 server on 127.0.0.1 that
//! records every request and answers with a scripted [`Reply`], and the
//! workspace paths the tests read.
//!
//! The server runs on its own thread and runtime, so async and blocking
//! clients can both talk to it; dropping [`FakeServer`] stops it.

#![allow(dead_code)]

use std::path::PathBuf;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use kfp_ir_schema::PipelineFile;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

/// A request as the server received it.
#[derive(Debug, Clone)]
pub struct Recorded {
    /// `GET`, `POST`, ...
    pub method: String,
    /// The path, without the query.
    pub path: String,
    /// The raw query (after `?`), or empty.
    pub query: String,
    /// Headers, names lowercased.
    pub headers: Vec<(String, String)>,
    /// The body.
    pub body: Vec<u8>,
}

impl Recorded {
    /// The value of a header.
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    }

    /// The body as JSON.
    pub fn json(&self) -> serde_json::Value {
        serde_json::from_slice(&self.body).expect("JSON request body")
    }
}

/// What the server does with a request.
pub enum Reply {
    /// Answers with a status and a JSON or text body.
    Send {
        /// HTTP status.
        status: u16,
        /// The body.
        body: String,
    },
    /// Waits, then does the inner reply.
    Delay(Duration, Box<Reply>),
    /// Closes the connection without answering.
    Reset,
    /// Answers with a chunked body: `piece` sent `times` times, as long as
    /// the client reads (an endless answer, within a bound).
    Chunked {
        /// HTTP status.
        status: u16,
        /// One chunk.
        piece: String,
        /// How many chunks at most.
        times: usize,
    },
    /// Answers with a status and extra headers.
    WithHeaders {
        /// HTTP status.
        status: u16,
        /// Extra headers.
        headers: Vec<(String, String)>,
        /// The body.
        body: String,
    },
}

impl Reply {
    /// 200 with a JSON body.
    pub fn ok(body: serde_json::Value) -> Self {
        Self::Send {
            status: 200,
            body: body.to_string(),
        }
    }

    /// A status with a raw body.
    pub fn status(status: u16, body: &str) -> Self {
        Self::Send {
            status,
            body: body.to_owned(),
        }
    }
}

type Handler = dyn Fn(&Recorded) -> Reply + Send + Sync;

/// A running fake server; dropped, it stops.
pub struct FakeServer {
    /// `http://127.0.0.1:PORT`.
    pub url: String,
    requests: Arc<Mutex<Vec<Recorded>>>,
    stop: Option<tokio::sync::oneshot::Sender<()>>,
    thread: Option<std::thread::JoinHandle<()>>,
}

impl FakeServer {
    /// Starts a server answering every request with `handler`.
    pub fn start(handler: impl Fn(&Recorded) -> Reply + Send + Sync + 'static) -> Self {
        let handler: Arc<Handler> = Arc::new(handler);
        let requests = Arc::new(Mutex::new(Vec::new()));
        let (stop_tx, stop_rx) = tokio::sync::oneshot::channel::<()>();
        let (addr_tx, addr_rx) = std::sync::mpsc::channel();
        let recorded = Arc::clone(&requests);
        let thread = std::thread::spawn(move || {
            let rt = tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
                .expect("runtime");
            rt.block_on(async move {
                let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind");
                addr_tx
                    .send(listener.local_addr().expect("addr"))
                    .expect("send addr");
                let accept = async {
                    loop {
                        let Ok((stream, _)) = listener.accept().await else {
                            continue;
                        };
                        let handler = Arc::clone(&handler);
                        let recorded = Arc::clone(&recorded);
                        tokio::spawn(serve(stream, handler, recorded));
                    }
                };
                tokio::select! {
                    () = accept => {}
                    _ = stop_rx => {}
                }
            });
        });
        let addr = addr_rx.recv().expect("server address");
        Self {
            url: format!("http://{addr}"),
            requests,
            stop: Some(stop_tx),
            thread: Some(thread),
        }
    }

    /// The requests received so far.
    pub fn requests(&self) -> Vec<Recorded> {
        self.requests.lock().expect("lock").clone()
    }
}

impl Drop for FakeServer {
    fn drop(&mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

async fn serve(mut stream: TcpStream, handler: Arc<Handler>, recorded: Arc<Mutex<Vec<Recorded>>>) {
    loop {
        let Some(request) = read_request(&mut stream).await else {
            return;
        };
        recorded.lock().expect("lock").push(request.clone());
        let mut reply = handler(&request);
        while let Reply::Delay(d, inner) = reply {
            tokio::time::sleep(d).await;
            reply = *inner;
        }
        let (status, extra, body) = match reply {
            Reply::Chunked {
                status,
                piece,
                times,
            } => {
                send_chunked(&mut stream, status, &piece, times).await;
                return;
            }
            Reply::Send { status, body } => (status, Vec::new(), body),
            Reply::WithHeaders {
                status,
                headers,
                body,
            } => (status, headers, body),
            Reply::Reset | Reply::Delay(..) => {
                // Linger 0: closing sends a TCP RST, a real connection reset.
                let _ = stream.set_zero_linger();
                return;
            }
        };
        let extra: String = extra.iter().map(|(n, v)| format!("{n}: {v}\r\n")).collect();
        let head = format!(
            "HTTP/1.1 {status} X\r\ncontent-type: application/json\r\n{extra}content-length: {}\r\n\r\n",
            body.len()
        );
        if stream.write_all(head.as_bytes()).await.is_err()
            || stream.write_all(body.as_bytes()).await.is_err()
        {
            return;
        }
    }
}

/// Sends a chunked answer of `times` pieces; stops when the client hangs
/// up, and then closes the connection.
async fn send_chunked(stream: &mut TcpStream, status: u16, piece: &str, times: usize) {
    let head = format!(
        "HTTP/1.1 {status} X\r\ncontent-type: application/json\r\ntransfer-encoding: chunked\r\n\r\n"
    );
    if stream.write_all(head.as_bytes()).await.is_err() {
        return;
    }
    let chunk = format!("{:x}\r\n{piece}\r\n", piece.len());
    for _ in 0..times {
        if stream.write_all(chunk.as_bytes()).await.is_err() {
            return;
        }
    }
    let _ = stream.write_all(b"0\r\n\r\n").await;
}

async fn read_request(stream: &mut TcpStream) -> Option<Recorded> {
    let mut buf = Vec::new();
    let header_end = loop {
        if let Some(i) = buf.windows(4).position(|w| w == b"\r\n\r\n") {
            break i + 4;
        }
        let mut chunk = [0u8; 4096];
        let n = stream.read(&mut chunk).await.ok()?;
        if n == 0 {
            return None;
        }
        buf.extend_from_slice(&chunk[..n]);
    };
    let head = String::from_utf8_lossy(&buf[..header_end]).into_owned();
    let mut lines = head.split("\r\n");
    let mut first = lines.next()?.split(' ');
    let method = first.next()?.to_owned();
    let target = first.next()?.to_owned();
    let headers: Vec<(String, String)> = lines
        .filter_map(|l| l.split_once(':'))
        .map(|(n, v)| (n.trim().to_ascii_lowercase(), v.trim().to_owned()))
        .collect();
    let length: usize = headers
        .iter()
        .find(|(n, _)| n == "content-length")
        .and_then(|(_, v)| v.parse().ok())
        .unwrap_or(0);
    let mut body = buf[header_end..].to_vec();
    while body.len() < length {
        let mut chunk = [0u8; 8192];
        let n = stream.read(&mut chunk).await.ok()?;
        if n == 0 {
            return None;
        }
        body.extend_from_slice(&chunk[..n]);
    }
    let (path, query) = match target.split_once('?') {
        Some((p, q)) => (p.to_owned(), q.to_owned()),
        None => (target, String::new()),
    };
    Some(Recorded {
        method,
        path,
        query,
        headers,
        body,
    })
}

/// The workspace root (the parent of this crate).
pub fn workspace_root() -> PathBuf {
    let manifest = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    manifest
        .ancestors()
        .find(|p| p.join("Cargo.lock").exists())
        .unwrap_or(&manifest)
        .to_path_buf()
}

/// `../shared` beside the workspace, if it is there.
pub fn shared_dir() -> Option<PathBuf> {
    let shared = workspace_root().join("../shared");
    if shared.is_dir() {
        Some(shared)
    } else {
        println!("skipped: ../shared not found");
        None
    }
}

/// A pipeline from the JSON of its spec and platform spec.
pub fn pipeline(spec: serde_json::Value, platform: Option<serde_json::Value>) -> PipelineFile {
    PipelineFile {
        spec: serde_json::from_value(spec).expect("a pipeline spec"),
        platform: platform.map(|p| serde_json::from_value(p).expect("a platform spec")),
        description: None,
    }
}
