//! The client against a small stateful fake server: run flows, waiting,
//! retries and faults.

mod support;

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use kfp_client::models::*;
use kfp_client::{Client, Error, RetryPolicy, WaitOptions};
use serde_json::json;
use support::{FakeServer, Reply, pipeline};

fn client(server: &FakeServer) -> Client {
    Client::builder(&server.url)
        .timeout(Duration::from_secs(5))
        .retry(RetryPolicy {
            max_retries: 3,
            initial_backoff: Duration::from_millis(10),
            max_backoff: Duration::from_millis(50),
        })
        .build()
        .unwrap()
}

fn fast_wait(timeout: Option<Duration>) -> WaitOptions {
    WaitOptions {
        timeout,
        initial_interval: Duration::from_millis(10),
        max_interval: Duration::from_millis(30),
    }
}

/// A server holding one run whose state moves along `states` on each GET.
fn run_server(states: &'static [&'static str]) -> FakeServer {
    let polls = AtomicUsize::new(0);
    FakeServer::start(move |req| match (req.method.as_str(), req.path.as_str()) {
        ("POST", "/apis/v2beta1/runs") => {
            let body = req.json();
            Reply::ok(json!({
                "run_id": "run-1",
                "display_name": body["display_name"],
                "state": "PENDING",
                "created_at": "2026-01-01T00:00:00Z"
            }))
        }
        ("GET", "/apis/v2beta1/runs/run-1") => {
            let i = polls.fetch_add(1, Ordering::SeqCst).min(states.len() - 1);
            Reply::ok(json!({
                "run_id": "run-1",
                "state": states[i],
                "run_details": {"task_details": [{"display_name": "echo", "state": states[i]}]}
            }))
        }
        _ => Reply::status(404, r#"{"code":5,"message":"no route"}"#),
    })
}

fn new_run() -> NewRun {
    NewRun::new("r", PipelineSource::version("pid", Some("vid".to_owned())))
}

#[tokio::test]
async fn create_then_wait_until_succeeded() {
    let server = run_server(&["PENDING", "RUNNING", "RUNNING", "SUCCEEDED"]);
    let client = client(&server);
    let run = client.create_run(&new_run()).await.unwrap();
    assert_eq!(run.run_id, "run-1");
    assert_eq!(run.state, RuntimeState::Pending);
    let mut seen = Vec::new();
    let done = client
        .wait_for_run_with(
            &run.run_id,
            &fast_wait(Some(Duration::from_secs(10))),
            std::future::pending(),
            |r| seen.push(r.state.clone()),
        )
        .await
        .unwrap();
    assert_eq!(done.state, RuntimeState::Succeeded);
    assert_eq!(
        seen,
        [
            RuntimeState::Pending,
            RuntimeState::Running,
            RuntimeState::Running,
            RuntimeState::Succeeded
        ]
    );
    let gets = server
        .requests()
        .iter()
        .filter(|r| r.method == "GET")
        .count();
    assert_eq!(gets, 4);
}

#[tokio::test]
async fn canceled_ends_the_wait() {
    let server = run_server(&["RUNNING", "CANCELING", "CANCELED"]);
    let done = client(&server)
        .wait_for_run("run-1", &fast_wait(Some(Duration::from_secs(10))))
        .await
        .unwrap();
    assert_eq!(done.state, RuntimeState::Canceled);
}

#[tokio::test]
async fn wait_times_out_with_the_last_state() {
    let server = run_server(&["RUNNING"]);
    let err = client(&server)
        .wait_for_run("run-1", &fast_wait(Some(Duration::from_millis(1000))))
        .await
        .unwrap_err();
    match err {
        Error::WaitTimeout {
            run_id, last_state, ..
        } => {
            assert_eq!(run_id, "run-1");
            assert_eq!(last_state, RuntimeState::Running);
        }
        other => panic!("expected a wait timeout, got {other}"),
    }
}

#[tokio::test]
async fn wait_stops_when_cancelled() {
    let server = run_server(&["RUNNING"]);
    let err = client(&server)
        .wait_for_run_with(
            "run-1",
            &fast_wait(None),
            tokio::time::sleep(Duration::from_millis(500)),
            |_| {},
        )
        .await
        .unwrap_err();
    assert!(
        matches!(err, Error::WaitCancelled { ref last_state, .. } if *last_state == RuntimeState::Running),
        "{err}"
    );
}

#[tokio::test]
async fn a_slow_answer_times_out_and_is_not_retried() {
    let server =
        FakeServer::start(|_| Reply::Delay(Duration::from_secs(3), Box::new(Reply::ok(json!({})))));
    let client = Client::builder(&server.url)
        .timeout(Duration::from_millis(200))
        .build()
        .unwrap();
    let started = std::time::Instant::now();
    let err = client.get_run("r").await.unwrap_err();
    assert!(matches!(err, Error::Timeout { .. }), "{err}");
    assert!(started.elapsed() < Duration::from_secs(2));
    assert_eq!(server.requests().len(), 1);
}

/// A server that fails the first `failures` requests with `fail`, then
/// answers `{}`.
fn flaky(failures: usize, fail: fn() -> Reply) -> (FakeServer, Arc<AtomicUsize>) {
    let count = Arc::new(AtomicUsize::new(0));
    let seen = Arc::clone(&count);
    let server = FakeServer::start(move |_| {
        if seen.fetch_add(1, Ordering::SeqCst) < failures {
            fail()
        } else {
            Reply::ok(json!({"run_id": "r", "state": "RUNNING"}))
        }
    });
    (server, count)
}

fn internal_error() -> Reply {
    Reply::status(
        500,
        r#"{"code":13,"message":"database is down","details":[]}"#,
    )
}

#[tokio::test]
async fn a_get_is_retried_after_500() {
    let (server, count) = flaky(2, internal_error);
    let run = client(&server).get_run("r").await.unwrap();
    assert_eq!(run.state, RuntimeState::Running);
    assert_eq!(count.load(Ordering::SeqCst), 3);
}

#[tokio::test]
async fn retries_give_up_after_the_policy() {
    let (server, count) = flaky(100, internal_error);
    let err = client(&server).delete_run("r").await.unwrap_err();
    assert_eq!(err.status(), Some(500));
    assert_eq!(count.load(Ordering::SeqCst), 4, "1 attempt + 3 retries");
    assert!(err.to_string().contains("database is down"), "{err}");
}

#[tokio::test]
async fn a_create_is_never_retried_after_500() {
    let (server, count) = flaky(1, internal_error);
    let err = client(&server).create_run(&new_run()).await.unwrap_err();
    assert_eq!(err.status(), Some(500));
    assert_eq!(count.load(Ordering::SeqCst), 1);
}

#[tokio::test]
async fn a_reset_connection_is_retried_for_a_get_only() {
    let (server, count) = flaky(1, || Reply::Reset);
    let run = client(&server).get_run("r").await.unwrap();
    assert_eq!(run.run_id, "r");
    assert_eq!(count.load(Ordering::SeqCst), 2);

    let (server, count) = flaky(1, || Reply::Reset);
    let err = client(&server).create_run(&new_run()).await.unwrap_err();
    assert!(matches!(err, Error::Transport { attempts: 1, .. }), "{err}");
    assert_eq!(count.load(Ordering::SeqCst), 1);
}

#[tokio::test]
async fn malformed_json_is_a_decode_error() {
    let server = FakeServer::start(|_| Reply::status(200, r#"{"run_id": "r", "#));
    let err = client(&server).get_run("r").await.unwrap_err();
    match err {
        Error::Decode {
            status, snippet, ..
        } => {
            assert_eq!(status, 200);
            assert!(snippet.starts_with(r#"{"run_id""#));
        }
        other => panic!("expected a decode error, got {other}"),
    }
}

#[tokio::test]
async fn unauthorized_and_not_found_keep_status_and_message() {
    let server = FakeServer::start(|req| {
        if req.header("authorization").is_none() {
            Reply::status(
                401,
                r#"{"code":16,"message":"Unauthenticated: no token","details":[{"@type":"type.googleapis.com/google.rpc.Status","code":16,"message":"Request header error: there is no user identity header."}]}"#,
            )
        } else {
            Reply::status(
                404,
                r#"{"code":5,"message":"Failed to get run: ResourceNotFoundError: Run nope not found","details":[{"@type":"type.googleapis.com/google.rpc.Status","code":5,"message":"Run nope not found"}]}"#,
            )
        }
    });
    let anonymous = client(&server);
    let Error::Api(e) = anonymous.get_run("nope").await.unwrap_err() else {
        panic!("expected an API error");
    };
    assert!(e.is_auth());
    assert_eq!(e.status, 401);
    assert_eq!(e.grpc_code, Some(16));
    assert_eq!(
        e.message,
        "Request header error: there is no user identity header. (Unauthenticated: no token)"
    );

    let with_token = Client::builder(&server.url).token("t").build().unwrap();
    let Error::Api(e) = with_token.get_run("nope").await.unwrap_err() else {
        panic!("expected an API error");
    };
    assert!(e.is_not_found());
    assert_eq!(e.message, "Run nope not found");
    assert_eq!(e.path, "/apis/v2beta1/runs/nope");
    // 4xx are not retried.
    assert_eq!(server.requests().len(), 2);
}

#[tokio::test]
async fn upload_errors_read_error_message() {
    let server = FakeServer::start(|req| {
        if req.query.contains("name=dup") {
            Reply::status(
                409,
                r#"{"error_message":"Failed to create a pipeline: already exists","error_details":"pipeline dup already exists"}"#,
            )
        } else {
            Reply::status(400, "Failed to read the uploaded file\n")
        }
    });
    let mut upload = PipelineUpload::new("p.yaml", b"x: 1".to_vec());
    upload.name = Some("dup".into());
    let Error::Api(e) = client(&server).upload_pipeline(&upload).await.unwrap_err() else {
        panic!("expected an API error");
    };
    assert_eq!(e.status, 409);
    assert_eq!(e.message, "Failed to create a pipeline: already exists");
    assert_eq!(e.details.as_deref(), Some("pipeline dup already exists"));

    upload.name = Some("other".into());
    let Error::Api(e) = client(&server).upload_pipeline(&upload).await.unwrap_err() else {
        panic!("expected an API error");
    };
    assert_eq!(e.status, 400);
    assert_eq!(e.message, "Failed to read the uploaded file");
}

#[tokio::test]
async fn credentials_are_sent_and_the_token_file_is_read_per_request() {
    let dir = tempfile::tempdir().unwrap();
    let token_path = dir.path().join("token");
    std::fs::write(&token_path, "first\n").unwrap();
    let server = FakeServer::start(|_| Reply::ok(json!({"multi_user": false})));
    let client = Client::builder(&server.url)
        .token_file(&token_path)
        .header("x-extra", "v1")
        .cookie("oauth2_proxy_kubeflow=abc")
        .cookie("other=1")
        .build()
        .unwrap();
    client.healthz().await.unwrap();
    std::fs::write(&token_path, "second").unwrap();
    client.healthz().await.unwrap();
    let reqs = server.requests();
    assert_eq!(reqs[0].header("authorization"), Some("Bearer first"));
    assert_eq!(reqs[1].header("authorization"), Some("Bearer second"));
    assert_eq!(reqs[0].header("x-extra"), Some("v1"));
    assert_eq!(
        reqs[0].header("cookie"),
        Some("oauth2_proxy_kubeflow=abc; other=1")
    );
    let debug = format!("{client:?}");
    assert!(!debug.contains("abc") && !debug.contains("first") && !debug.contains("v1"));

    std::fs::remove_file(&token_path).unwrap();
    let err = client.healthz().await.unwrap_err();
    assert!(matches!(err, Error::TokenFile { .. }), "{err}");
}

#[test]
fn the_blocking_client_runs_a_flow() {
    let server = run_server(&["RUNNING", "SUCCEEDED"]);
    let client = kfp_client::blocking::Client::new(client(&server)).unwrap();
    let run = client.create_run(&new_run()).unwrap();
    let done = client
        .wait_for_run(&run.run_id, Some(Duration::from_secs(20)))
        .unwrap();
    assert_eq!(done.state, RuntimeState::Succeeded);
    assert!(!format!("{client:?}").is_empty());
}

#[tokio::test]
async fn submit_checks_arguments_before_sending_anything() {
    let server = FakeServer::start(|req| match (req.method.as_str(), req.path.as_str()) {
        ("GET", "/apis/v2beta1/experiments") => Reply::ok(json!({})),
        ("POST", "/apis/v2beta1/experiments") => Reply::ok(json!({"experiment_id": "e-new"})),
        ("POST", "/apis/v2beta1/runs") => Reply::ok(json!({"run_id": "r", "state": "PENDING"})),
        _ => Reply::status(404, ""),
    });
    let client = client(&server);
    let spec = json!({
        "pipelineInfo": {"name": "demo"},
        "root": {"inputDefinitions": {"parameters": {
            "n": {"parameterType": "NUMBER_INTEGER"},
            "msg": {"parameterType": "STRING", "defaultValue": "hi"}
        }}}
    });
    let mut submission = kfp_client::Submission {
        experiment: Some("nightly".into()),
        namespace: Some("team-a".into()),
        caching: Some(false),
        ..Default::default()
    };
    submission.arguments.insert("n".into(), "x".into());
    let err = client
        .submit(pipeline(spec.clone(), None), &submission)
        .await
        .unwrap_err();
    assert!(
        err.to_string()
            .contains("parameter `n`: expected an integer (NUMBER_INTEGER), got `x`"),
        "{err}"
    );
    assert!(server.requests().is_empty(), "nothing may be sent");

    submission.arguments.insert("n".into(), "7".into());
    let run = client
        .submit(pipeline(spec, None), &submission)
        .await
        .unwrap();
    assert_eq!(run.run_id, "r");
    let reqs = server.requests();
    let methods: Vec<&str> = reqs.iter().map(|r| r.method.as_str()).collect();
    assert_eq!(methods, ["GET", "POST", "POST"]);
    assert_eq!(
        reqs[1].json(),
        json!({"display_name": "nightly", "namespace": "team-a"})
    );
    let body = reqs[2].json();
    assert_eq!(body["experiment_id"], "e-new");
    assert_eq!(body["runtime_config"], json!({"parameters": {"n": 7}}));
    assert!(
        body["display_name"]
            .as_str()
            .unwrap()
            .starts_with("demo 20")
    );
}

#[tokio::test]
async fn a_namespace_without_experiment_uses_default_there() {
    let server = FakeServer::start(|req| match (req.method.as_str(), req.path.as_str()) {
        ("GET", "/apis/v2beta1/experiments") => Reply::ok(
            json!({"experiments": [{"experiment_id": "e-default", "display_name": "Default"}]}),
        ),
        ("POST", "/apis/v2beta1/runs") => Reply::ok(json!({"run_id": "r"})),
        _ => Reply::status(404, ""),
    });
    let submission = kfp_client::Submission {
        namespace: Some("team-a".into()),
        run_name: Some("r".into()),
        ..Default::default()
    };
    let spec = json!({"pipelineInfo": {"name": "demo"}, "root": {}});
    client(&server)
        .submit(pipeline(spec, None), &submission)
        .await
        .unwrap();
    let reqs = server.requests();
    assert!(
        reqs[0].query.contains("namespace=team-a"),
        "{}",
        reqs[0].query
    );
    assert!(reqs[0].query.contains("Default"), "{}", reqs[0].query);
    assert_eq!(reqs[1].json()["experiment_id"], "e-default");
}

#[tokio::test]
async fn a_redirect_to_a_login_page_is_reported_not_followed() {
    let server = FakeServer::start(|req| {
        if req.path.starts_with("/dex") {
            Reply::status(200, "<!DOCTYPE html><html>login</html>")
        } else {
            Reply::WithHeaders {
                status: 302,
                headers: vec![(
                    "location".into(),
                    "/dex/auth?client_id=kubeflow&state=secret-state".into(),
                )],
                body: String::new(),
            }
        }
    });
    let Error::Api(e) = client(&server).get_run("r").await.unwrap_err() else {
        panic!("expected an API error");
    };
    assert_eq!(e.status, 302);
    assert!(
        e.message.starts_with("redirected to `/dex/auth`"),
        "{}",
        e.message
    );
    assert!(!e.message.contains("secret-state"));
    assert_eq!(server.requests().len(), 1, "the redirect is not followed");
}
