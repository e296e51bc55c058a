//! kfp's `critical/pipeline_with_submit_request` golden: two tasks that
//! reach a URL, one outside the cluster and one inside it, only in a
//! multi-user deployment (`MULTI_USER=true`); caching off.

use std::io::{Read, Write};
use std::net::TcpStream;

use kfp_dsl::prelude::*;

// kfp's component has no docstring, so no description. kfp's installs
// `requests`; this one speaks HTTP/1.0 over a socket.
#[component]
fn submit_request(url: String) -> Result<(), String> {
    let multi_user = std::env::var("MULTI_USER").unwrap_or_else(|_| "false".to_owned());
    if !multi_user.eq_ignore_ascii_case("true") {
        return Ok(());
    }
    let (host, path) = url.split_once('/').unwrap_or((&url, ""));
    let address = if host.contains(':') {
        host.to_owned()
    } else {
        format!("{host}:80")
    };
    let mut stream = TcpStream::connect(&address).map_err(|e| format!("{address}: {e}"))?;
    write!(stream, "GET /{path} HTTP/1.0\r\nHost: {host}\r\n\r\n").map_err(|e| e.to_string())?;
    let mut response = String::new();
    stream
        .read_to_string(&mut response)
        .map_err(|e| e.to_string())?;
    println!("{}", response.lines().next().unwrap_or_default());
    Ok(())
}

/// A pipeline that requests both in-cluster & external URLs.
#[pipeline(name = "pipeline-with-external-request")]
pub fn pipeline_with_external_request() {
    submit_request("httpbin.org/get").set_caching_options(false);
    submit_request("ml-pipeline:8888/apis/v2beta1/healthz").set_caching_options(false);
}

fn main() -> std::process::ExitCode {
    kfp_dsl::main!(pipeline_with_external_request)
}
