//! `kfp component fetch URL -o FILE` against a server on 127.0.0.1: the
//! file written is the download with its URL and sha256 in its header, and
//! loads; a download that is not a component, or an error status, writes
//! nothing.

use std::io::{BufRead, BufReader, Write};
use std::net::TcpListener;
use std::path::Path;
use std::process::{Command, Output};

use kfp_ir_schema::component::{self, provenance};

const PRINT: &str = "# A legacy (v1) component.
name: Print
inputs:
- {name: msg, type: String}
implementation:
  container:
    image: alpine
    command: [echo, {inputValue: msg}]
";

/// Serves one HTTP request with `status` and `body`, on a port of
/// 127.0.0.1; returns the URL of `/component.yaml` on it.
fn serve_once(status: &'static str, body: &'static str) -> String {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    std::thread::spawn(move || {
        let (stream, _) = listener.accept().unwrap();
        let mut reader = BufReader::new(stream.try_clone().unwrap());
        let mut line = String::new();
        while reader.read_line(&mut line).unwrap() > 0 && line != "\r\n" {
            line.clear();
        }
        let mut stream = stream;
        write!(
            stream,
            "HTTP/1.1 {status}\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
            body.len()
        )
        .unwrap();
    });
    format!("http://127.0.0.1:{port}/component.yaml")
}

fn fetch(url: &str, output: &Path) -> Output {
    Command::new(env!("CARGO_BIN_EXE_kfp"))
        .args(["component", "fetch", url, "-o"])
        .arg(output)
        // The server is on this machine: no proxy between.
        .env("NO_PROXY", "127.0.0.1")
        .env_remove("HTTP_PROXY")
        .env_remove("http_proxy")
        .env_remove("ALL_PROXY")
        .env_remove("all_proxy")
        .output()
        .expect("kfp runs")
}

#[test]
fn fetch_writes_the_component_with_its_url_and_sha256() {
    let url = serve_once("200 OK", PRINT);
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("print.yaml");
    let out = fetch(&url, &file);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let text = std::fs::read_to_string(&file).unwrap();
    let sha256 = provenance::sha256_hex(PRINT.as_bytes());
    assert!(
        text.starts_with(&format!(
            "# A legacy (v1) component.\n# Fetched from: {url}\n# sha256: {sha256}\nname: Print\n"
        )),
        "{text}"
    );
    let (recorded, original) = provenance::split(&text).unwrap();
    assert_eq!(
        (recorded.url.as_str(), original.as_str()),
        (url.as_str(), PRINT)
    );
    assert_eq!(component::load_str(&text).unwrap().name, "Print");
    assert!(String::from_utf8_lossy(&out.stdout).contains(&sha256));

    // Edited after it was fetched, it no longer loads.
    let edited = text.replace("image: alpine", "image: busybox");
    let error = component::load_str(&edited).unwrap_err().to_string();
    assert!(
        error.contains("was changed after it was fetched"),
        "{error}"
    );

    // It is not replaced without --force.
    let out = fetch(&url, &file);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("--force"));
}

#[test]
fn fetch_writes_nothing_for_what_is_not_a_component() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("c.yaml");

    let out = fetch(&serve_once("200 OK", "<html>not found</html>\n"), &file);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("is not a component kfp can load"),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(!file.exists());

    let out = fetch(&serve_once("404 Not Found", "no\n"), &file);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("the server answered 404 Not Found"),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(!file.exists());
    assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 0);
}
