//! The local runner's own cost per task, beyond the command it runs.
//!
//! `cargo bench -p kfp-local --bench overhead` runs, with the host runner:
//!
//! * a chain of 200 container tasks (`sh -c` copying a file, the shape of
//!   `../shared/bench/chain_pipeline.py`), and 200 bare `sh -c` processes
//!   one after another: the difference per task is the runner's overhead
//!   (resolving inputs, the executor input, placeholders, the store's
//!   transactions, output folders, reading outputs back, digests);
//! * a `ParallelFor` of 1000 iterations of a `sh -c :` task, with
//!   parallelism 2 (this machine's cores);
//! * a `ParallelFor` of 8 tasks that each sleep 1 s, with parallelism 8.
//!
//! Each figure is the median of `RUNNER_BENCH_ROUNDS` rounds (default 5).

use std::collections::BTreeMap;
use std::process::Command;
use std::time::{Duration, Instant};

use kfp_ir_schema::PipelineFile;
use kfp_local::progress::Silent;
use kfp_local::{RunState, Runner};
use serde_json::{Value, json};

fn main() {
    let rounds: usize = std::env::var("RUNNER_BENCH_ROUNDS")
        .ok()
        .and_then(|r| r.parse().ok())
        .unwrap_or(5);
    let chain = chain(200);
    let spawn = median(rounds, || {
        let dir = tempfile::tempdir().unwrap();
        let src = dir.path().join("a");
        std::fs::write(&src, "hi").unwrap();
        let start = Instant::now();
        for i in 0..200 {
            let out = dir.path().join(format!("b{i}"));
            let status = Command::new("sh")
                .args(["-c", "cp $0 $1"])
                .arg(&src)
                .arg(&out)
                .status()
                .unwrap();
            assert!(status.success());
        }
        start.elapsed()
    });
    let run = median(rounds, || time_run(&chain, 2));
    let per_task = run.saturating_sub(spawn) / 201;
    println!(
        "chain of 200 tasks (+1 source): {} in all; 200 bare processes: {}",
        ms(run),
        ms(spawn)
    );
    println!(
        "  runner overhead per task: {} (target: under 5 ms)",
        ms(per_task)
    );

    let wide = parallel_for(1000, ":");
    let fanout = median(rounds.min(3), || time_run(&wide, 2));
    println!(
        "ParallelFor of 1000 iterations (`sh -c :`), parallelism 2: {} in all, {} per iteration",
        ms(fanout),
        ms(fanout / 1000)
    );

    let sleepers = parallel_for(8, "sleep 1");
    let slept = median(rounds.min(3), || time_run(&sleepers, 8));
    println!(
        "ParallelFor of 8 tasks sleeping 1 s, parallelism 8: {} (target: under 1.5 s)",
        ms(slept)
    );
}

fn ms(d: Duration) -> String {
    format!("{:.2} ms", d.as_secs_f64() * 1000.0)
}

fn median(rounds: usize, mut f: impl FnMut() -> Duration) -> Duration {
    let mut times: Vec<Duration> = (0..rounds.max(1)).map(|_| f()).collect();
    times.sort();
    times[times.len() / 2]
}

/// Runs a pipeline in a fresh home, without the cache, and times it.
fn time_run(file: &PipelineFile, parallelism: usize) -> Duration {
    let home = tempfile::tempdir().unwrap();
    let runner = Runner::new(home.path())
        .parallelism(parallelism)
        .cache(false);
    let start = Instant::now();
    let outcome = runner.run(file, &BTreeMap::new(), &mut Silent).unwrap();
    let took = start.elapsed();
    assert_eq!(
        outcome.state(),
        RunState::Succeeded,
        "{:?}",
        outcome.run.error
    );
    took
}

fn dataset() -> Value {
    json!({"artifactType": {"schemaTitle": "system.Dataset", "schemaVersion": "0.0.1"}})
}

/// kfp's chain: a source writing a file, then `n` steps each copying the
/// one before.
fn chain(n: usize) -> PipelineFile {
    let mut components = serde_json::Map::new();
    let mut executors = serde_json::Map::new();
    let mut tasks = serde_json::Map::new();
    components.insert("comp-source".into(), json!({"executorLabel": "exec-source", "outputDefinitions": {"artifacts": {"out": dataset()}}}));
    executors.insert("exec-source".into(), json!({"container": {"image": "alpine:3.20", "command": ["sh", "-c"], "args": ["echo hi > $0", "{{$.outputs.artifacts['out'].path}}"]}}));
    tasks.insert(
        "source".into(),
        json!({"componentRef": {"name": "comp-source"}, "taskInfo": {"name": "source"}}),
    );
    let mut previous = "source".to_owned();
    for i in 1..=n {
        let name = format!("step-{i}");
        components.insert(
            format!("comp-{name}"),
            json!({
                "executorLabel": format!("exec-{name}"),
                "inputDefinitions": {"artifacts": {"data": dataset()}},
                "outputDefinitions": {"artifacts": {"out": dataset()}}
            }),
        );
        executors.insert(format!("exec-{name}"), json!({"container": {"image": "alpine:3.20", "command": ["sh", "-c"],
            "args": ["cp $0 $1", "{{$.inputs.artifacts['data'].path}}", "{{$.outputs.artifacts['out'].path}}"]}}));
        tasks.insert(name.clone(), json!({
            "componentRef": {"name": format!("comp-{name}")},
            "dependentTasks": [previous],
            "inputs": {"artifacts": {"data": {"taskOutputArtifact": {"producerTask": previous, "outputArtifactKey": "out"}}}},
            "taskInfo": {"name": name}
        }));
        previous = name;
    }
    file(json!({
        "components": components,
        "deploymentSpec": {"executors": executors},
        "pipelineInfo": {"name": "chain"},
        "root": {"dag": {"tasks": tasks}},
        "schemaVersion": "2.1.0",
        "sdkVersion": "kfp-rs-bench"
    }))
}

/// A loop of `n` iterations, each running `script`.
fn parallel_for(n: usize, script: &str) -> PipelineFile {
    let items: Vec<usize> = (0..n).collect();
    file(json!({
        "components": {
            "comp-for-loop-1": {
                "dag": {"tasks": {"work": {"componentRef": {"name": "comp-work"}, "taskInfo": {"name": "work"}}}},
                "inputDefinitions": {"parameters": {"pipelinechannel--loop-item-param-1": {"parameterType": "NUMBER_INTEGER"}}}
            },
            "comp-work": {"executorLabel": "exec-work"}
        },
        "deploymentSpec": {"executors": {"exec-work": {"container": {"image": "alpine:3.20", "command": ["sh", "-c", script]}}}},
        "pipelineInfo": {"name": "fan-out"},
        "root": {"dag": {"tasks": {"for-loop-1": {
            "componentRef": {"name": "comp-for-loop-1"},
            "parameterIterator": {"itemInput": "pipelinechannel--loop-item-param-1", "items": {"raw": serde_json::to_string(&items).unwrap()}},
            "taskInfo": {"name": "for-loop-1"}
        }}}},
        "schemaVersion": "2.1.0",
        "sdkVersion": "kfp-rs-bench"
    }))
}

fn file(spec: Value) -> PipelineFile {
    PipelineFile {
        spec: serde_json::from_value(spec).unwrap(),
        platform: None,
        description: None,
    }
}
