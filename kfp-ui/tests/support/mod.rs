//! Helpers of the UI's tests: a home folder filled by real local runs, the
//! UI serving it, and a raw HTTP client (it sends targets exactly as
//! written, so `..` and `%2e%2e` reach the server unchanged).

#![allow(dead_code)]

use std::io::{Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::path::{Path, PathBuf};

use kfp_ir_schema::PipelineFile;
use kfp_ir_schema::arguments::parse_key_values;
use kfp_local::layout::Layout;
use kfp_local::progress::Silent;
use kfp_local::{Outcome, Runner};

/// A pipeline file: `name` in kfp-ui's `tests/pipelines`, else in
/// kfp-local's.
pub fn pipeline(name: &str) -> PipelineFile {
    let here = Path::new(env!("CARGO_MANIFEST_DIR"));
    let own = here.join("tests/pipelines").join(name);
    let path = if own.exists() {
        own
    } else {
        here.join("../kfp-local/tests/pipelines").join(name)
    };
    PipelineFile::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// Runs pipeline `name` with `NAME=VALUE` arguments in `home`.
pub fn run(home: &Path, name: &str, args: &[&str]) -> Outcome {
    let args = parse_key_values(args.iter().copied()).unwrap();
    Runner::new(home)
        .parallelism(4)
        .run(&pipeline(name), &args, &mut Silent)
        .unwrap_or_else(|e| panic!("{name}: {e}"))
}

/// A fresh folder under the target folder (kept after the test, for a
/// look; wiped when the test runs again).
pub fn scratch(name: &str) -> PathBuf {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join(name);
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// The UI serving `home` on a free port of 127.0.0.1.
pub fn serve(home: &Path) -> kfp_ui::Running {
    let options = kfp_ui::Options::new(Layout::new(home)).addr("127.0.0.1:0".parse().unwrap());
    kfp_ui::start(&options).unwrap()
}

/// A response, as read off the socket.
#[derive(Debug)]
pub struct Reply {
    /// Its status.
    pub status: u16,
    /// Its headers, names in lower case.
    pub headers: Vec<(String, String)>,
    /// Its body.
    pub body: Vec<u8>,
}

impl Reply {
    /// The value of header `name` (lower case).
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    }

    /// The body as text.
    pub fn text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }
}

/// Sends `GET target` (as written) and reads the whole response.
pub fn get(addr: SocketAddr, target: &str) -> Reply {
    request(addr, "GET", target)
}

/// Sends `method target` and reads the whole response.
pub fn request(addr: SocketAddr, method: &str, target: &str) -> Reply {
    let mut stream = TcpStream::connect(addr).unwrap();
    let head = format!("{method} {target} HTTP/1.1\r\nHost: {addr}\r\n\r\n");
    stream.write_all(head.as_bytes()).unwrap();
    let mut raw = Vec::new();
    stream.read_to_end(&mut raw).unwrap();
    let split = raw
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .unwrap_or_else(|| panic!("no head in {:?}", String::from_utf8_lossy(&raw)));
    let head = String::from_utf8(raw[..split].to_vec()).unwrap();
    let mut lines = head.split("\r\n");
    let status = lines
        .next()
        .unwrap()
        .split(' ')
        .nth(1)
        .unwrap()
        .parse()
        .unwrap();
    let headers = lines
        .map(|line| {
            let (name, value) = line.split_once(':').unwrap();
            (name.to_ascii_lowercase(), value.trim().to_owned())
        })
        .collect();
    Reply {
        status,
        headers,
        body: raw[split + 4..].to_vec(),
    }
}
