//! How long the UI takes to serve the first runs page of a store with
//! 10,000 runs: the server's own time (request in, page out, no socket),
//! and the same over HTTP on 127.0.0.1 (a fresh connection per request,
//! as a browser without keep-alive makes it).
//!
//! The store is filled through kfp-local's store API: 10,000 runs of three
//! pipelines, each with its pipeline spec, parameters and a final state.

use std::io::{Read, Write};
use std::net::TcpStream;
use std::time::Instant;

use criterion::{Criterion, criterion_group, criterion_main};
use kfp_local::RunState;
use kfp_local::layout::Layout;
use kfp_local::store::{NewRun, Store};
use kfp_ui::http::Request;
use serde_json::json;

const RUNS: usize = 10_000;

/// A home whose store holds [`RUNS`] runs.
fn filled_home() -> tempfile::TempDir {
    let home = tempfile::tempdir().unwrap();
    let layout = Layout::new(home.path());
    let mut store = Store::open(&layout.database()).unwrap();
    let spec_text = include_str!("../../kfp-local/tests/pipelines/parallel_loop.yaml");
    let spec = json!({"pipelineInfo": {"name": "bench"}, "text": spec_text});
    let options = json!({"parallelism": 4, "cache": true, "runner": "host"});
    let started = Instant::now();
    for i in 0..RUNS {
        let pipeline = ["train", "evaluate", "report"][i % 3];
        let parameters = json!({"seed": i, "learning_rate": 0.01, "text": "hello kubeflow"});
        let id = format!("{i:08x}-0000-4000-8000-000000000000");
        let created = format!(
            "2026-{:02}-{:02}T{:02}:{:02}:{:02}.000Z",
            1 + i / 2880 % 12,
            1 + i / 96 % 28,
            i / 4 % 24,
            i % 60,
            i * 7 % 60
        );
        store
            .create_run(&NewRun {
                id: &id,
                name: &format!("{pipeline}-{i}"),
                pipeline_name: pipeline,
                pipeline_file: Some("pipeline.yaml"),
                pipeline_spec: &spec,
                platform_spec: None,
                parameters: parameters.as_object().unwrap(),
                created_at: &created,
                pipeline_root: "/tmp/kfp-ui-bench",
                options: &options,
            })
            .unwrap();
        let state = [RunState::Succeeded, RunState::Failed, RunState::Succeeded][i % 3];
        store.finish_run(&id, state, None, None).unwrap();
    }
    eprintln!(
        "filled a store with {RUNS} runs in {:.1?}",
        started.elapsed()
    );
    home
}

fn bench(c: &mut Criterion) {
    let home = filled_home();
    let layout = Layout::new(home.path());
    let mut ui = kfp_ui::Ui::open(layout.clone()).unwrap();
    let first = Request::get("/");
    let page = ui.respond(&first);
    assert_eq!(page.status, 200);
    let html = String::from_utf8_lossy(page.bytes().unwrap()).into_owned();
    assert!(
        html.contains(&format!("Page 1 of 200 · {RUNS} runs")),
        "{html}"
    );

    let mut group = c.benchmark_group("runs page, 10000 runs");
    group.sample_size(50);
    group.bench_function("first page (server time)", |b| {
        b.iter(|| ui.respond(&first))
    });
    let filtered = Request::get("/?pipeline=evaluate&state=FAILED&page=3");
    group.bench_function("filtered, page 3 (server time)", |b| {
        b.iter(|| ui.respond(&filtered))
    });

    let options = kfp_ui::Options::new(layout).addr("127.0.0.1:0".parse().unwrap());
    let running = kfp_ui::start(&options).unwrap();
    let addr = running.addr();
    group.bench_function("first page (HTTP on 127.0.0.1)", |b| {
        b.iter(|| {
            let mut stream = TcpStream::connect(addr).unwrap();
            stream
                .write_all(b"GET / HTTP/1.1\r\nHost: bench\r\n\r\n")
                .unwrap();
            let mut reply = Vec::new();
            stream.read_to_end(&mut reply).unwrap();
            assert!(reply.starts_with(b"HTTP/1.1 200 "));
            reply
        })
    });
    group.finish();
    running.stop();
}

criterion_group!(benches, bench);
criterion_main!(benches);
