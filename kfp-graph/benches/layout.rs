//! How long the graph takes to build, lay out and draw, for a 2000-task
//! chain and a wide DAG shaped like a 1000-iteration loop (one task, 1000
//! that read it, 1000 more, one that reads them all: 2002 tasks).
//!
//! ```text
//! cargo bench -p kfp-graph --bench layout
//! ```

use std::hint::black_box;

use criterion::{Criterion, criterion_group, criterion_main};
use kfp_graph::{Layout, PipelineGraph, SvgOptions, dot, mermaid, svg};

#[path = "../tests/common/generate.rs"]
mod generate;

fn bench(c: &mut Criterion) {
    for (name, spec) in [
        ("chain-2000", generate::chain(2000)),
        ("wide-1000", generate::wide(1000)),
    ] {
        let mut group = c.benchmark_group(name);
        group.sample_size(20);
        group.bench_function("graph", |b| {
            b.iter(|| PipelineGraph::from_spec(black_box(&spec)))
        });
        let graph = PipelineGraph::from_spec(&spec);
        group.bench_function("layout", |b| b.iter(|| Layout::of(black_box(&graph))));
        let layout = Layout::of(&graph);
        group.bench_function("svg", |b| {
            b.iter(|| svg::render(black_box(&graph), &layout, &SvgOptions::default()))
        });
        group.bench_function("dot", |b| b.iter(|| dot::render(black_box(&graph))));
        group.bench_function("mermaid", |b| b.iter(|| mermaid::render(black_box(&graph))));
        group.bench_function("whole svg", |b| {
            b.iter(|| kfp_graph::render(black_box(&spec), kfp_graph::Format::Svg))
        });
        group.finish();
    }
}

criterion_group!(benches, bench);
criterion_main!(benches);
