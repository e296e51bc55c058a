//! Define, compile, validate and write the `chain` example (a `source` task
//! and N chained `step` tasks, as `../shared/bench/chain_pipeline.py`), for
//! N = 100, 1000, 2000, 10000; then each of those steps alone for 2000
//! tasks (`CHAIN_STEPS=N` for another size), freeing the IR among them.
//!
//! The whole is what a pipeline binary's `compile -o FILE` does
//! ([`kfp_dsl::compile_to_file`]): [`kfp_dsl::compile`] (which frees the
//! recorded graph as soon as it is compiled), then the YAML streamed to a
//! file and renamed into place. The file is in `/dev/shm` where there is
//! one, so that the disk is not what is measured, and is removed before
//! each run, untimed. Freeing the IR afterwards is timed on its own (the
//! `free` step), not in the whole: the whole is what the target names,
//! defining, compiling, validating and writing. The bench runs with glibc's
//! heap kept (`common::keep_freed_memory`), so that no run faults memory
//! back in.
//!
//! ```text
//! cargo bench -p kfp-rs-tests --bench chain
//! ```

use std::hint::black_box;

use criterion::{BatchSize, BenchmarkId, Criterion, Throughput, criterion_group};
use kfp_ir_schema::PipelineFile;
use kfp_ir_schema::file::write_atomically_with;

mod common;
use common::{chain, compile_and_write};

fn whole(c: &mut Criterion) {
    let folder = common::output_folder();
    let path = folder.path().join("chain.yaml");
    let mut group = c.benchmark_group("chain define+compile+validate+write");
    for tasks in [100, 1000, 2000, 10000] {
        group.throughput(Throughput::Elements(tasks as u64));
        if tasks >= 2000 {
            group.sample_size(10);
        }
        group.bench_with_input(BenchmarkId::from_parameter(tasks), &tasks, |b, &tasks| {
            // Each run writes a new file: the one before is removed in
            // the untimed setup.
            b.iter_batched(
                || common::remove(&path),
                |()| compile_and_write(tasks, &path),
                BatchSize::PerIteration,
            )
        });
    }
    group.finish();
}

/// The steps of the whole, for 2000 tasks (or `CHAIN_STEPS`).
fn steps(c: &mut Criterion) {
    let tasks = std::env::var("CHAIN_STEPS").map_or(2000, |n| {
        n.parse().expect("CHAIN_STEPS is a number of tasks")
    });
    let mut group = c.benchmark_group(format!("chain-{tasks} step"));
    group.sample_size(20);
    chain::set_tasks(tasks);
    let record = chain::big::ENTRY.record;
    group.bench_function("define", |b| b.iter(record));
    let graph = record().pipeline;
    group.bench_function("compile", |b| {
        b.iter(|| kfp_compiler::compile(black_box(&graph)).expect("the chain compiles"))
    });
    let spec = kfp_compiler::compile(&graph).expect("the chain compiles");
    group.bench_function("validate", |b| {
        b.iter(|| kfp_ir_schema::validate::validate_spec(black_box(&spec), None))
    });
    let file = PipelineFile {
        spec,
        platform: None,
        description: None,
    };
    group.bench_function("write yaml", |b| b.iter(|| black_box(&file).to_yaml()));
    let folder = common::output_folder();
    let path = folder.path().join("chain.yaml");
    group.bench_function("write file", |b| {
        b.iter_batched(
            || common::remove(&path),
            |()| write_atomically_with(&path, |out| black_box(&file).write_yaml(out)),
            BatchSize::PerIteration,
        )
    });
    group.bench_function("free", |b| {
        b.iter_batched(|| file.clone(), drop, BatchSize::LargeInput)
    });
    group.finish();
}

criterion_group!(benches, whole, steps);

// `criterion_main!`, with the allocator settings of the benches first.
fn main() {
    common::keep_freed_memory();
    benches();
    Criterion::default().configure_from_args().final_summary();
}
