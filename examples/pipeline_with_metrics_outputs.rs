//! kfp's `pipeline_with_metrics_outputs` golden: a component that logs a
//! metric, run once and once per item of a loop.

use kfp_dsl::prelude::*;

/// Dummy component that outputs metrics with a random accuracy.
#[component]
fn output_metrics(metrics: Output<Metrics>) {
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.subsec_nanos());
    metrics.log_metric("accuracy", f64::from(nanos % 101));
}

#[pipeline(name = "pipeline-with-metrics-outputs")]
pub fn my_pipeline() {
    output_metrics();
    parallel_for([1, 2], |_| output_metrics());
}

fn main() -> std::process::ExitCode {
    kfp_dsl::main!(my_pipeline)
}
