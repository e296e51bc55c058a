//! kfp's `output_metrics` golden: a component that logs a metric to its
//! `Metrics` output artifact, compiled on its own, so the pipeline outputs
//! that artifact.

use kfp_dsl::prelude::*;

/// Dummy component that outputs metrics with a random accuracy.
#[component]
pub fn output_metrics(metrics: Output<Metrics>) {
    // A number in 0..=100 that changes from run to run.
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.subsec_nanos());
    metrics.log_metric("accuracy", f64::from(nanos % 101));
}

fn main() -> std::process::ExitCode {
    kfp_dsl::main!(output_metrics)
}
