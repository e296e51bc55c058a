//! The metrics an artifact carries, as KFP's UI reads them: the scalars of a
//! `system.Metrics` artifact's metadata, and the confusion matrix
//! (`confusionMatrix`) and ROC curve (`confidenceMetrics`) of a
//! `system.ClassificationMetrics` artifact's.

use serde_json::{Map, Value};

use crate::store::MetricKind;

/// A metric: its kind, name, scalar value or structured data.
pub type Metric = (MetricKind, String, Option<f64>, Option<Value>);

/// The metrics in an artifact of schema title `title`, produced as output
/// `output`. Other artifact types carry none.
///
/// ```
/// use kfp_local::metrics::of_artifact;
/// use kfp_local::store::MetricKind;
///
/// let meta = serde_json::json!({"accuracy": 0.9, "note": "x"});
/// let found = of_artifact(Some("system.Metrics"), "metrics", meta.as_object().unwrap());
/// assert_eq!(found, [(MetricKind::Scalar, "accuracy".to_owned(), Some(0.9), None)]);
/// ```
pub fn of_artifact(
    title: Option<&str>,
    output: &str,
    metadata: &Map<String, Value>,
) -> Vec<Metric> {
    match title {
        Some("system.Metrics") => metadata
            .iter()
            .filter_map(|(name, value)| {
                Some((
                    MetricKind::Scalar,
                    name.clone(),
                    Some(value.as_f64()?),
                    None,
                ))
            })
            .collect(),
        Some("system.ClassificationMetrics") => [
            ("confusionMatrix", MetricKind::ConfusionMatrix),
            ("confidenceMetrics", MetricKind::RocCurve),
        ]
        .into_iter()
        .filter_map(|(key, kind)| {
            Some((
                kind,
                output.to_owned(),
                None,
                Some(metadata.get(key)?.clone()),
            ))
        })
        .collect(),
        _ => Vec::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn classification_metrics_give_a_matrix_and_a_curve() {
        let meta = json!({
            "confusionMatrix": {"annotationSpecs": [{"displayName": "a"}], "rows": [{"row": [1]}]},
            "confidenceMetrics": [{"confidenceThreshold": 0.5, "falsePositiveRate": 0.1, "recall": 0.8}]
        });
        let found = of_artifact(
            Some("system.ClassificationMetrics"),
            "eval",
            meta.as_object().unwrap(),
        );
        assert_eq!(found.len(), 2);
        assert_eq!(found[0].0, MetricKind::ConfusionMatrix);
        assert_eq!(found[1].0, MetricKind::RocCurve);
        assert_eq!(found[1].3.as_ref().unwrap()[0]["recall"], json!(0.8));
        assert!(of_artifact(Some("system.Model"), "m", meta.as_object().unwrap()).is_empty());
    }
}
