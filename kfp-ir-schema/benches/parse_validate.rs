//! Parse and validate `../shared/bench/chain-1000.yaml` (1.1 MB, written by
//! kfp 2.17.3 from `chain_pipeline.py`).
//!
//! ```text
//! cargo bench -p kfp-ir-schema --bench parse_validate
//! ```

use std::hint::black_box;
use std::path::Path;

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use kfp_ir_schema::validate::{Format, validate_str};
use kfp_ir_schema::yaml;

fn chain(tasks: usize) -> Option<String> {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../shared/bench")
        .join(format!("chain-{tasks}.yaml"));
    std::fs::read_to_string(path).ok()
}

fn bench(c: &mut Criterion) {
    let Some(text) = chain(1000) else {
        println!("skipped: ../shared/bench/chain-1000.yaml not found");
        return;
    };
    let mut group = c.benchmark_group("chain-1000");
    group.throughput(Throughput::Bytes(text.len() as u64));
    group.bench_function("yaml load", |b| {
        b.iter(|| yaml::load(black_box(&text)).unwrap())
    });
    group.bench_function("parse and validate", |b| {
        b.iter(|| validate_str(black_box(&text), Format::Yaml).unwrap())
    });
    let file = validate_str(&text, Format::Yaml).unwrap();
    group.bench_function("write yaml", |b| b.iter(|| black_box(&file).to_yaml()));
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
