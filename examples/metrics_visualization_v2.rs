//! kfp's `metrics_visualization_v2` golden: components that write the
//! artifacts the KFP UI shows: scalar metrics, a confusion matrix, a ROC
//! curve, HTML and Markdown. (kfp's version trains scikit-learn models;
//! here each component logs the kind of result such a model gives, from
//! fixed data.)

use kfp_dsl::ExecutorError;
use kfp_dsl::prelude::*;

/// Logs the accuracy of a classifier.
#[component]
fn digit_classification(metrics: Output<Metrics>) {
    let (correct, total) = (43.0, 45.0);
    metrics.log_metric("accuracy", correct / total * 100.0);
}

/// Logs the confusion matrix of a three-class classifier.
#[component]
fn iris_sgdclassifier(test_samples_fraction: f64, metrics: Output<ClassificationMetrics>) {
    println!("test samples: {:.0}%", test_samples_fraction * 100.0);
    metrics.log_confusion_matrix(
        &["Setosa", "Versicolour", "Virginica"],
        &[
            vec![50.0, 0.0, 0.0],
            vec![0.0, 44.0, 6.0],
            vec![0.0, 3.0, 47.0],
        ],
    );
}

/// Logs the ROC curve of a binary classifier.
#[component]
fn wine_classification(metrics: Output<ClassificationMetrics>) -> Result<(), ExecutorError> {
    metrics.log_roc_curve(
        &[0.0, 0.0, 0.1, 0.3, 1.0],
        &[0.0, 0.6, 0.8, 0.95, 1.0],
        &[1.0 - 1e-6, 0.8, 0.6, 0.4, 0.0],
    )
}

#[component]
fn html_visualization(html_artifact: Output<HTML>) -> std::io::Result<()> {
    std::fs::write(
        html_artifact.path(),
        "<!DOCTYPE html><html><body><h1>Hello world</h1></body></html>",
    )
}

#[component]
fn markdown_visualization(markdown_artifact: Output<Markdown>) -> std::io::Result<()> {
    std::fs::write(
        markdown_artifact.path(),
        "## Hello world \n\n Markdown content",
    )
}

#[pipeline(name = "metrics-visualization-pipeline")]
pub fn metrics_visualization_pipeline() {
    wine_classification();
    iris_sgdclassifier(0.3);
    digit_classification();
    html_visualization();
    markdown_visualization();
}

fn main() -> std::process::ExitCode {
    kfp_dsl::main!(metrics_visualization_pipeline)
}
