//! Every client call against Prism serving KFP's strict v2beta1 swagger
//! (`../shared/kfp-api/v2beta1-strict/`): Prism answers 422 with an
//! `sl-violations` header to any request that breaks the contract (wrong
//! type, unknown field, bad enum, wrong content type).
//!
//! The test starts Prism itself (`node_modules/.bin/prism` under the
//! workspace root, installed by `npm ci`) on 127.0.0.1 and a free port, and
//! kills it at the end. Requests go through a recording pass-through (the
//! fake server of `support`) so the `sl-violations` header of every answer
//! can be checked, not only the status.

mod support;

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use kfp_client::models::*;
use kfp_client::{Client, Error, WaitOptions};
use serde_json::json;
use support::{FakeServer, Recorded, Reply};

/// Kills Prism when dropped.
struct PrismGuard(Child);

impl Drop for PrismGuard {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .expect("a free port")
}

fn start_prism(bin: &Path, spec: &Path) -> (PrismGuard, u16) {
    let port = free_port();
    let child = Command::new(bin)
        .args(["mock", "-h", "127.0.0.1", "-p", &port.to_string()])
        .arg(spec)
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("start prism");
    let guard = PrismGuard(child);
    let deadline = Instant::now() + Duration::from_secs(90);
    while Instant::now() < deadline {
        if let Ok((status, _, _)) = forward_raw(
            port,
            "GET /apis/v2beta1/healthz HTTP/1.1\r\nauthorization: Bearer x\r\n",
            &[],
        ) && status == 200
        {
            return (guard, port);
        }
        std::thread::sleep(Duration::from_millis(300));
    }
    panic!("prism did not answer on 127.0.0.1:{port} within 90 s");
}

/// An answer: status, headers (lowercased names) and body.
type Answer = (u16, Vec<(String, String)>, Vec<u8>);

/// Sends one request to Prism and reads the whole answer: status, headers
/// (lowercased names) and body.
fn forward_raw(port: u16, head: &str, body: &[u8]) -> std::io::Result<Answer> {
    let mut stream = TcpStream::connect(("127.0.0.1", port))?;
    stream.set_read_timeout(Some(Duration::from_secs(20)))?;
    write!(
        stream,
        "{head}host: 127.0.0.1:{port}\r\nconnection: close\r\ncontent-length: {}\r\n\r\n",
        body.len()
    )?;
    stream.write_all(body)?;
    let mut reader = BufReader::new(stream);
    let mut status_line = String::new();
    reader.read_line(&mut status_line)?;
    let status = status_line
        .split(' ')
        .nth(1)
        .and_then(|s| s.parse().ok())
        .ok_or_else(|| std::io::Error::other(format!("bad status line {status_line:?}")))?;
    let mut headers = Vec::new();
    loop {
        let mut line = String::new();
        reader.read_line(&mut line)?;
        let line = line.trim_end();
        if line.is_empty() {
            break;
        }
        if let Some((n, v)) = line.split_once(':') {
            headers.push((n.trim().to_ascii_lowercase(), v.trim().to_owned()));
        }
    }
    let mut raw = Vec::new();
    reader.read_to_end(&mut raw)?;
    let chunked = headers
        .iter()
        .any(|(n, v)| n == "transfer-encoding" && v.contains("chunked"));
    Ok((status, headers, if chunked { dechunk(&raw) } else { raw }))
}

fn dechunk(mut raw: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    while let Some(i) = raw.windows(2).position(|w| w == b"\r\n") {
        let size =
            usize::from_str_radix(String::from_utf8_lossy(&raw[..i]).trim(), 16).unwrap_or(0);
        if size == 0 {
            break;
        }
        let start = i + 2;
        out.extend_from_slice(&raw[start..(start + size).min(raw.len())]);
        raw = &raw[(start + size + 2).min(raw.len())..];
    }
    out
}

/// Passes a recorded request on to Prism; notes any contract violation.
fn pass_through(port: u16, req: &Recorded, violations: &Mutex<Vec<String>>) -> Reply {
    let target = if req.query.is_empty() {
        req.path.clone()
    } else {
        format!("{}?{}", req.path, req.query)
    };
    let mut head = format!("{} {target} HTTP/1.1\r\n", req.method);
    for (name, value) in &req.headers {
        if !matches!(name.as_str(), "host" | "connection" | "content-length") {
            head.push_str(&format!("{name}: {value}\r\n"));
        }
    }
    match forward_raw(port, &head, &req.body) {
        Ok((status, headers, body)) => {
            let found = headers.iter().find(|(n, _)| n == "sl-violations");
            if status == 422 || found.is_some() {
                violations.lock().unwrap().push(format!(
                    "{} {target}: HTTP {status}, sl-violations: {}",
                    req.method,
                    found.map(|(_, v)| v.as_str()).unwrap_or("-")
                ));
            }
            Reply::Send {
                status,
                body: String::from_utf8_lossy(&body).into_owned(),
            }
        }
        Err(e) => {
            violations.lock().unwrap().push(format!(
                "{} {target}: prism did not answer: {e}",
                req.method
            ));
            Reply::Reset
        }
    }
}

fn small_spec(platform: Option<serde_json::Value>) -> kfp_ir_schema::PipelineFile {
    support::pipeline(
        json!({
            "pipelineInfo": {"name": "contract-test"},
            "schemaVersion": "2.1.0",
            "sdkVersion": "kfp-rs-0.1.0",
            "root": {"inputDefinitions": {"parameters": {"msg": {"parameterType": "STRING"}}}}
        }),
        platform,
    )
}

async fn exercise_every_call(client: &Client) -> kfp_client::Result<()> {
    client.healthz().await?;

    // Pipelines and versions.
    let mut upload = PipelineUpload::new(
        "contract-test.yaml",
        b"pipelineInfo:\n  name: contract-test\n".to_vec(),
    );
    upload.name = Some("contract-test".into());
    upload.display_name = Some("Contract test".into());
    upload.description = Some("d".into());
    upload.namespace = Some("team-a".into());
    upload.tags = [("team".to_owned(), "a".to_owned())].into();
    client.upload_pipeline(&upload).await?;
    client.upload_pipeline_version("pid-1", &upload).await?;
    let listing = ListOptions {
        page_token: Some("token".into()),
        page_size: Some(10),
        sort_by: Some("created_at desc".into()),
        filter: Some(Filter::string_equals("name", "contract-test")),
        namespace: Some("team-a".into()),
    };
    client.list_pipelines(&listing).await?;
    client.get_pipeline("pid-1").await?;
    client
        .get_pipeline_by_name("contract-test", Some("team-a"))
        .await
        .ok();
    client.delete_pipeline("pid-1", true).await?;
    client.delete_pipeline("pid-1", false).await?;
    client.list_pipeline_versions("pid-1", &listing).await?;
    client.get_pipeline_version("pid-1", "vid-1").await?;
    client.delete_pipeline_version("pid-1", "vid-1").await?;

    // Experiments.
    client
        .create_experiment(&NewExperiment {
            display_name: "exp".into(),
            description: Some("d".into()),
            namespace: Some("team-a".into()),
        })
        .await?;
    client.get_experiment("e1").await?;
    client.list_experiments(&listing).await?;
    client.get_experiment_by_name("exp", Some("team-a")).await?;
    client.ensure_experiment("exp", None).await?;
    client.archive_experiment("e1").await?;
    client.unarchive_experiment("e1").await?;
    client.delete_experiment("e1").await?;

    // Runs.
    let config = RuntimeConfig {
        parameters: [("msg".to_owned(), json!("hi")), ("n".to_owned(), json!(3))].into(),
        pipeline_root: "minio://mlpipeline/v2".into(),
    };
    let mut inline =
        PipelineSource::inline(small_spec(Some(json!({"platforms": {"kubernetes": {}}}))));
    inline.set_caching(false);
    let sources = [
        inline,
        PipelineSource::inline(small_spec(None)),
        PipelineSource::version("pid-1", Some("vid-1".into())),
        PipelineSource::version("pid-1", None),
    ];
    for source in &sources {
        let mut run = NewRun::new("contract run", source.clone());
        run.description = Some("d".into());
        run.experiment_id = Some("e1".into());
        run.runtime_config = Some(config.clone());
        run.service_account = Some("sa".into());
        client.create_run(&run).await?;
    }
    let mut submission = kfp_client::Submission {
        experiment: Some("exp".into()),
        namespace: Some("team-a".into()),
        pipeline_root: Some("minio://mlpipeline/v2".into()),
        service_account: Some("sa".into()),
        caching: Some(true),
        ..Default::default()
    };
    submission.arguments.insert("msg".into(), "hi".into());
    client.submit(small_spec(None), &submission).await?;
    client.get_run("r1").await?;
    client.list_runs(Some("e1"), &listing).await?;
    client.list_runs(None, &ListOptions::default()).await?;
    client.terminate_run("r1").await?;
    client.retry_run("r1").await?;
    client.archive_run("r1").await?;
    client.unarchive_run("r1").await?;
    client.delete_run("r1").await?;
    let wait = WaitOptions {
        timeout: Some(Duration::from_millis(500)),
        initial_interval: Duration::from_millis(100),
        max_interval: Duration::from_millis(100),
    };
    match client.wait_for_run("r1", &wait).await {
        Ok(_) | Err(Error::WaitTimeout { .. }) => {}
        Err(e) => return Err(e),
    }

    // Recurring runs.
    let mut cron = Trigger::cron("0 0 9 ? * 2-6");
    if let Some(c) = cron.cron_schedule.as_mut() {
        c.start_time = Some("2026-01-01T00:00:00Z".into());
        c.end_time = Some("2027-01-01T00:00:00Z".into());
    }
    for (source, trigger) in [
        (sources[2].clone(), cron),
        (sources[0].clone(), Trigger::every(3600)),
    ] {
        let mut rr = NewRecurringRun::new("contract rr", source, trigger);
        rr.description = Some("d".into());
        rr.experiment_id = Some("e1".into());
        rr.runtime_config = config.clone();
        rr.service_account = Some("sa".into());
        rr.max_concurrency = 2;
        rr.no_catchup = true;
        client.create_recurring_run(&rr).await?;
    }
    client.get_recurring_run("rr1").await?;
    client.list_recurring_runs(Some("e1"), &listing).await?;
    client.enable_recurring_run("rr1").await?;
    client.disable_recurring_run("rr1").await?;
    client.delete_recurring_run("rr1").await?;
    Ok(())
}

#[tokio::test]
async fn every_call_keeps_the_strict_contract() {
    let root = support::workspace_root();
    let bin = root.join("node_modules/.bin/prism");
    if !bin.exists() {
        println!(
            "skipped: prism not installed (run npm ci, or npm install @stoplight/prism-cli@5.16.0, in the workspace root)"
        );
        return;
    }
    let Some(shared) = support::shared_dir() else {
        return;
    };
    let spec = shared.join("kfp-api/v2beta1-strict/kfp_api_single_file.strict.swagger.json");
    let (_prism, port) = tokio::task::spawn_blocking(move || start_prism(&bin, &spec))
        .await
        .unwrap();

    let violations = Arc::new(Mutex::new(Vec::new()));
    let seen = Arc::clone(&violations);
    let proxy = FakeServer::start(move |req| pass_through(port, req, &seen));
    let client = Client::builder(&proxy.url)
        .token("contract-token")
        .timeout(Duration::from_secs(30))
        .build()
        .unwrap();

    let result = exercise_every_call(&client).await;
    let violations = violations.lock().unwrap().clone();
    assert!(
        violations.is_empty(),
        "contract violations:\n{}",
        violations.join("\n")
    );
    result.expect("every call succeeds against Prism");
    assert!(
        proxy.requests().len() >= 40,
        "{} requests",
        proxy.requests().len()
    );
}
