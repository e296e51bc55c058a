//! The client against servers that misbehave, each test reproducing a
//! probe: an answer without end, a flood of an error message with escape
//! sequences, a create that gets no answer, a short outage during a wait,
//! and a host with credentials that is not valid.

mod support;

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use kfp_client::models::*;
use kfp_client::{
    Client, DEFAULT_MAX_RESPONSE_SIZE, Error, MAX_FAILED_POLLS, RetryPolicy, WaitOptions,
};
use serde_json::json;
use support::{FakeServer, Reply};

fn client(server: &FakeServer) -> Client {
    Client::builder(&server.url)
        .timeout(Duration::from_secs(10))
        .retry(RetryPolicy {
            max_retries: 3,
            initial_backoff: Duration::from_millis(10),
            max_backoff: Duration::from_millis(20),
        })
        .build()
        .unwrap()
}

/// The message of an error and of every cause, as `kfp` prints it.
fn chain(error: &(dyn std::error::Error + 'static)) -> String {
    let mut text = error.to_string();
    let mut source = error.source();
    while let Some(cause) = source {
        text.push_str(": ");
        text.push_str(&cause.to_string());
        source = cause.source();
    }
    text
}

/// The probe: `kfp run list` against an endless chunked 200 grew to 6 GB in
/// 20 s, then said "no answer". Now the answer is read up to the limit
/// (4 MiB, plus 32 MiB for runs, which carry pipeline specs) and the error
/// says that it was too large.
#[tokio::test]
async fn an_endless_answer_is_cut_at_the_limit_and_called_too_large() {
    let piece = "x".repeat(64 << 10);
    let server = FakeServer::start(move |_| Reply::Chunked {
        status: 200,
        piece: piece.clone(),
        times: 100_000, // 6.4 GB, were it all read
    });
    let started = Instant::now();
    let err = client(&server)
        .list_runs(None, &ListOptions::default())
        .await
        .unwrap_err();
    assert!(
        started.elapsed() < Duration::from_secs(8),
        "{:?}",
        started.elapsed()
    );
    let Error::TooLarge { limit, .. } = &err else {
        panic!("expected a too-large error, got {err}");
    };
    assert_eq!(*limit, DEFAULT_MAX_RESPONSE_SIZE + (32 << 20));
    assert_eq!(
        err.to_string(),
        "GET /apis/v2beta1/runs: the answer is larger than 36 MiB, more than this client reads; ask for fewer items per page, or raise the client's limit"
    );
    assert_eq!(
        server.requests().len(),
        1,
        "a too-large answer is not retried"
    );

    // Other calls get the plain limit, which a client may set.
    let err = client(&server)
        .list_experiments(&ListOptions::default())
        .await;
    assert!(matches!(err, Err(Error::TooLarge { limit, .. }) if limit == 4 << 20));
    let small = Client::builder(&server.url)
        .max_response_size(100_000)
        .build()
        .unwrap();
    let err = small.healthz().await.unwrap_err();
    assert!(
        err.to_string().contains("larger than 100000 bytes"),
        "{err}"
    );
}

#[tokio::test]
async fn a_declared_length_over_the_limit_is_refused_unread_and_a_run_may_carry_a_spec() {
    let big = format!(r#"{{"display_name": "{}"}}"#, "d".repeat(5 << 20));
    let server = FakeServer::start(move |_| Reply::status(200, &big));
    let err = client(&server).get_experiment("e").await.unwrap_err();
    assert!(matches!(err, Error::TooLarge { .. }), "{err}");
    // A run's answer carries its pipeline spec: room for 32 MiB more.
    let run = client(&server).get_run("r").await.unwrap();
    assert_eq!(run.display_name.len(), 5 << 20);
    let roomy = Client::builder(&server.url)
        .max_response_size(8 << 20)
        .build()
        .unwrap();
    assert!(roomy.get_experiment("e").await.is_ok());
}

#[tokio::test]
async fn an_error_answer_over_the_limit_keeps_its_status() {
    let server = FakeServer::start(|_| Reply::Chunked {
        status: 400,
        piece: "e".repeat(64 << 10),
        times: 1_000,
    });
    let Error::Api(e) = client(&server).get_experiment("e").await.unwrap_err() else {
        panic!("expected an API error");
    };
    assert_eq!(e.status, 400);
    assert_eq!(
        e.message,
        "Bad Request (the error answer is larger than 4 MiB, so it was not read)"
    );
}

/// The probe: a 5 MB `error_message` and raw escape sequences reached the
/// terminal.
#[tokio::test]
async fn a_flood_of_an_error_message_is_cut_and_escaped() {
    let server = FakeServer::start(|_| {
        let message = format!("\x1b[2J\x1b[31mfailed{}", "!".repeat(3 << 20));
        Reply::status(
            400,
            &json!({"error_message": message, "error_details": "\x1b]0;title\x07"}).to_string(),
        )
    });
    let upload = PipelineUpload::new("p.yaml", b"x: 1".to_vec());
    let err = client(&server).upload_pipeline(&upload).await.unwrap_err();
    let shown = chain(&err);
    assert!(shown.len() < 1_200, "{} bytes", shown.len());
    assert!(!shown.contains(['\x1b', '\x07']), "{shown:?}");
    assert!(
        shown.contains("HTTP 400: \\u{1b}[2J\\u{1b}[31mfailed!!!"),
        "{shown}"
    );
    assert!(shown.ends_with("more characters)"), "{shown}");
    let Error::Api(e) = err else { panic!() };
    assert_eq!(e.details.as_deref(), Some("\\u{1b}]0;title\\u{7}"));
}

/// A create that times out is not retried, and says that the run may
/// have been created all the same; a GET that times out does not.
#[tokio::test]
async fn a_create_that_times_out_may_have_been_done() {
    let server =
        FakeServer::start(|_| Reply::Delay(Duration::from_secs(3), Box::new(Reply::ok(json!({})))));
    let client = Client::builder(&server.url)
        .timeout(Duration::from_millis(200))
        .build()
        .unwrap();
    let run = NewRun::new("nightly", PipelineSource::version("p", None));
    let err = client.create_run(&run).await.unwrap_err();
    assert!(err.may_have_been_done(), "{err}");
    assert_eq!(
        err.to_string(),
        "POST /apis/v2beta1/runs: no answer within 200ms (request timeout); it was not retried, and the server may have carried it out all the same: check before sending it again"
    );
    assert_eq!(server.requests().len(), 1);

    let err = client.get_run("r").await.unwrap_err();
    assert!(!err.may_have_been_done());
    assert!(!err.to_string().contains("carried it out"), "{err}");

    // A create that could not even connect was not done.
    let refused = Client::builder("http://127.0.0.1:1").build().unwrap();
    let err = refused.create_run(&run).await.unwrap_err();
    assert!(matches!(err, Error::Transport { .. }), "{err}");
    assert!(!err.may_have_been_done(), "{err}");
}

/// A server whose `GET runs/run-1` fails (HTTP 503) for its first
/// `failures` requests, then says RUNNING, then SUCCEEDED.
fn outage(failures: usize) -> (FakeServer, Arc<AtomicUsize>) {
    let count = Arc::new(AtomicUsize::new(0));
    let seen = Arc::clone(&count);
    let server = FakeServer::start(move |_| {
        let n = seen.fetch_add(1, Ordering::SeqCst);
        if n < failures {
            Reply::status(503, "upstream connect error")
        } else {
            let state = if n == failures {
                "RUNNING"
            } else {
                "SUCCEEDED"
            };
            Reply::ok(json!({"run_id": "run-1", "state": state}))
        }
    });
    (server, count)
}

fn fast_wait() -> WaitOptions {
    WaitOptions {
        timeout: Some(Duration::from_secs(20)),
        initial_interval: Duration::from_millis(10),
        max_interval: Duration::from_millis(40),
    }
}

/// The probe: `run wait` gave up after 1.75 s, when the client's own
/// retries of one poll were spent. Now a few polls in a row may fail.
#[tokio::test]
async fn a_wait_rides_out_a_short_outage() {
    // Each poll is 4 requests (3 retries): the first 3 polls fail.
    let (server, count) = outage(12);
    let done = client(&server)
        .wait_for_run("run-1", &fast_wait())
        .await
        .unwrap();
    assert_eq!(done.state, RuntimeState::Succeeded);
    assert_eq!(count.load(Ordering::SeqCst), 14);
}

#[tokio::test]
async fn a_wait_gives_up_after_a_few_failed_polls_in_a_row() {
    let (server, count) = outage(usize::MAX);
    let err = client(&server)
        .wait_for_run("run-1", &fast_wait())
        .await
        .unwrap_err();
    let Error::WaitFailed { polls, source, .. } = &err else {
        panic!("expected a failed wait, got {err}");
    };
    assert_eq!(*polls, MAX_FAILED_POLLS + 1);
    assert_eq!(source.status(), Some(503));
    assert_eq!(
        count.load(Ordering::SeqCst),
        4 * (MAX_FAILED_POLLS as usize + 1)
    );
    assert!(
        chain(&err).starts_with(
            "gave up waiting for run run-1: 6 polls in a row got no answer (the run goes on): GET /apis/v2beta1/runs/run-1 failed with HTTP 503"
        ),
        "{}",
        chain(&err)
    );

    // Not found is not an outage: the wait ends at once.
    let server = FakeServer::start(|_| Reply::status(404, r#"{"code":5,"message":"no run"}"#));
    let err = client(&server)
        .wait_for_run("run-1", &fast_wait())
        .await
        .unwrap_err();
    assert_eq!(err.status(), Some(404));
    assert_eq!(server.requests().len(), 1);
}

/// The probe: an invalid `--host` was echoed whole, password included.
#[tokio::test]
async fn a_host_is_never_shown_with_its_credentials() {
    for host in [
        "https://alice:s3cret@kfp example.com",
        "ftp://alice:s3cret@kfp.example.com",
        "alice:s3cret@kfp.example.com/?x=1",
        "http://alice:s3cret@[::1",
        "http://alice:s3:cret@host:99999",
    ] {
        let err = Client::builder(host).build().unwrap_err();
        let shown = err.to_string();
        assert!(
            !shown.contains("s3cret") && !shown.contains("alice"),
            "{shown}"
        );
        assert!(shown.contains("***@"), "{shown}");
    }
    // A valid host with credentials: neither its Debug nor a transport
    // error shows them.
    let client = Client::builder("http://alice:s3cret@127.0.0.1:1")
        .retry(RetryPolicy::none())
        .build()
        .unwrap();
    assert!(!format!("{client:?}").contains("s3cret"));
    let err = client.get_run("r").await.unwrap_err();
    assert!(matches!(err, Error::Transport { .. }), "{err}");
    assert!(!chain(&err).contains("s3cret"), "{}", chain(&err));
}
