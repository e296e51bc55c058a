//! Define, compile, validate and write to a string the `chain` example (a
//! `source` task and N chained `step` tasks, as
//! `../shared/bench/chain_pipeline.py`), for N = 100, 1000, 2000, 10000.
//!
//! ```text
//! cargo bench -p kfp-rs-tests --bench chain
//! ```

use std::hint::black_box;

use criterion::{BenchmarkId, Criterion, Throughput, criterion_group, criterion_main};

#[allow(dead_code)]
#[path = "../examples/chain.rs"]
mod chain;

fn bench(c: &mut Criterion) {
    let mut group = c.benchmark_group("chain define+compile+validate+write");
    for tasks in [100, 1000, 2000, 10000] {
        group.throughput(Throughput::Elements(tasks as u64));
        if tasks >= 2000 {
            group.sample_size(10);
        }
        group.bench_with_input(BenchmarkId::from_parameter(tasks), &tasks, |b, &tasks| {
            chain::set_tasks(tasks);
            b.iter(|| {
                let (_, yaml) = kfp_dsl::compile_to_string(black_box(chain::big::ENTRY), false)
                    .expect("the chain compiles");
                yaml
            })
        });
    }
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
