//! The ROC curve: the true positive rate (recall) against the false
//! positive rate, one point per confidence threshold, with axes, a grid,
//! the diagonal of a random classifier and, for several curves, a legend.

use std::fmt::Write;

use serde_json::Value;

use super::{SERIES, coord, number};
use crate::html::Esc;

/// One point of a ROC curve.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct RocPoint {
    /// The false positive rate.
    pub fpr: f64,
    /// The true positive rate (recall).
    pub tpr: f64,
    /// The confidence threshold that gives it.
    pub threshold: Option<f64>,
}

/// A named curve.
#[derive(Clone, Debug, PartialEq)]
pub struct RocSeries {
    /// Its name in the legend.
    pub label: String,
    /// Its points, by false positive rate.
    pub points: Vec<RocPoint>,
}

impl RocSeries {
    /// The curve of a `confidenceMetrics` list (`falsePositiveRate`,
    /// `recall`, `confidenceThreshold`); points that lack a rate, or whose
    /// rates are outside 0..1, are left out.
    pub fn from_confidence_metrics(label: impl Into<String>, data: &Value) -> Self {
        let mut points: Vec<RocPoint> = data
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(|p| {
                let fpr = p.get("falsePositiveRate")?.as_f64()?;
                let tpr = p.get("recall")?.as_f64()?;
                let unit = 0.0..=1.0;
                (unit.contains(&fpr) && unit.contains(&tpr)).then_some(RocPoint {
                    fpr,
                    tpr,
                    threshold: p.get("confidenceThreshold").and_then(Value::as_f64),
                })
            })
            .collect();
        points.sort_by(|a, b| a.fpr.total_cmp(&b.fpr).then(a.tpr.total_cmp(&b.tpr)));
        Self {
            label: label.into(),
            points,
        }
    }

    /// The area under the curve, by trapezoids, from (0, 0) to (1, 1).
    pub fn area(&self) -> f64 {
        let start = RocPoint {
            fpr: 0.0,
            tpr: 0.0,
            threshold: None,
        };
        let end = RocPoint {
            fpr: 1.0,
            tpr: 1.0,
            threshold: None,
        };
        let all: Vec<&RocPoint> = std::iter::once(&start)
            .chain(&self.points)
            .chain(std::iter::once(&end))
            .collect();
        all.windows(2)
            .map(|w| (w[1].fpr - w[0].fpr) * (w[1].tpr + w[0].tpr) / 2.0)
            .sum()
    }
}

const WIDTH: f64 = 440.0;
const HEIGHT: f64 = 380.0;
const LEFT: f64 = 58.0;
const TOP: f64 = 14.0;
const PLOT: f64 = 300.0;

/// The chart of `series` (one or more curves) as an SVG element.
pub fn roc_curve(series: &[RocSeries]) -> String {
    let legend_rows = series.len() as f64;
    let height = HEIGHT + 18.0 * legend_rows;
    let mut out = format!(
        "<svg class=\"chart roc\" role=\"img\" aria-label=\"ROC curve\" viewBox=\"0 0 {w} {h}\" \
         width=\"{w}\" height=\"{h}\" xmlns=\"http://www.w3.org/2000/svg\">\
         <title>ROC curve</title>",
        w = coord(WIDTH),
        h = coord(height),
    );
    axes(&mut out);
    let (x, y) = (|v: f64| LEFT + v * PLOT, |v: f64| TOP + (1.0 - v) * PLOT);
    let _ = write!(
        out,
        "<line class=\"diagonal\" x1=\"{}\" y1=\"{}\" x2=\"{}\" y2=\"{}\" stroke=\"#9aa0a6\" \
         stroke-dasharray=\"4 4\"><title>random classifier</title></line>",
        coord(x(0.0)),
        coord(y(0.0)),
        coord(x(1.0)),
        coord(y(1.0))
    );
    for (i, curve) in series.iter().enumerate() {
        let (colour, dash) = SERIES[i % SERIES.len()];
        let dash = if dash.is_empty() {
            String::new()
        } else {
            format!(" stroke-dasharray=\"{dash}\"")
        };
        let points: Vec<String> = curve
            .points
            .iter()
            .map(|p| format!("{},{}", coord(x(p.fpr)), coord(y(p.tpr))))
            .collect();
        let _ = write!(
            out,
            "<g class=\"curve\" data-series=\"{}\"><polyline points=\"{}\" fill=\"none\" stroke=\"{colour}\" \
             stroke-width=\"2\"{dash}/>",
            Esc(&curve.label),
            points.join(" ")
        );
        for p in &curve.points {
            let threshold = p.threshold.map(|t| format!(", threshold {}", number(t)));
            let _ = write!(
                out,
                "<circle cx=\"{}\" cy=\"{}\" r=\"2.5\" fill=\"{colour}\"><title>FPR {}, TPR {}{}</title></circle>",
                coord(x(p.fpr)),
                coord(y(p.tpr)),
                number(p.fpr),
                number(p.tpr),
                threshold.unwrap_or_default()
            );
        }
        out.push_str("</g>");
        let row = HEIGHT - 14.0 + 18.0 * i as f64;
        let _ = write!(
            out,
            "<line x1=\"{}\" y1=\"{}\" x2=\"{}\" y2=\"{}\" stroke=\"{colour}\" stroke-width=\"2\"{dash}/>\
             <text x=\"{}\" y=\"{}\" font-size=\"12\">{} (AUC {})</text>",
            coord(LEFT),
            coord(row - 4.0),
            coord(LEFT + 28.0),
            coord(row - 4.0),
            coord(LEFT + 34.0),
            coord(row),
            Esc(&curve.label),
            number(curve.area()),
        );
    }
    out.push_str("</svg>");
    out
}

/// The frame, grid, ticks and axis titles.
fn axes(out: &mut String) {
    for i in 0..=5 {
        let v = f64::from(i) / 5.0;
        let (gx, gy) = (LEFT + v * PLOT, TOP + (1.0 - v) * PLOT);
        let _ = write!(
            out,
            "<line x1=\"{gx}\" y1=\"{top}\" x2=\"{gx}\" y2=\"{bottom}\" stroke=\"#e8eaed\"/>\
             <line x1=\"{left}\" y1=\"{gy}\" x2=\"{right}\" y2=\"{gy}\" stroke=\"#e8eaed\"/>\
             <text x=\"{gx}\" y=\"{tick_y}\" font-size=\"11\" text-anchor=\"middle\">{label}</text>\
             <text x=\"{tick_x}\" y=\"{label_y}\" font-size=\"11\" text-anchor=\"end\">{label}</text>",
            gx = coord(gx),
            gy = coord(gy),
            top = coord(TOP),
            bottom = coord(TOP + PLOT),
            left = coord(LEFT),
            right = coord(LEFT + PLOT),
            tick_y = coord(TOP + PLOT + 16.0),
            tick_x = coord(LEFT - 6.0),
            label_y = coord(gy + 4.0),
            label = number(v),
        );
    }
    let _ = write!(
        out,
        "<rect class=\"frame\" x=\"{l}\" y=\"{t}\" width=\"{p}\" height=\"{p}\" fill=\"none\" stroke=\"#5f6368\"/>\
         <text class=\"axis-title\" x=\"{cx}\" y=\"{xy}\" font-size=\"12\" text-anchor=\"middle\">False positive rate</text>\
         <text class=\"axis-title\" transform=\"translate({yx} {cy}) rotate(-90)\" font-size=\"12\" \
         text-anchor=\"middle\">True positive rate (recall)</text>",
        l = coord(LEFT),
        t = coord(TOP),
        p = coord(PLOT),
        cx = coord(LEFT + PLOT / 2.0),
        xy = coord(TOP + PLOT + 36.0),
        yx = coord(LEFT - 40.0),
        cy = coord(TOP + PLOT / 2.0),
    );
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[test]
    fn a_curve_is_drawn_over_axes_and_the_diagonal() {
        let data = json!([
            {"confidenceThreshold": 0.9, "falsePositiveRate": 0.0, "recall": 0.5},
            {"confidenceThreshold": 0.1, "falsePositiveRate": 1.0, "recall": 1.0},
            {"confidenceThreshold": 0.5, "falsePositiveRate": 0.25, "recall": 0.75},
            {"confidenceThreshold": 0.5, "falsePositiveRate": 7.0, "recall": 0.75},
            {"recall": 0.1}
        ]);
        let series = RocSeries::from_confidence_metrics("eval <1>", &data);
        assert_eq!(series.points.len(), 3);
        assert_eq!(series.points[1].threshold, Some(0.5));
        // (0,0)-(0,.5): 0; (0,.5)-(.25,.75): .15625; (.25,.75)-(1,1): .65625.
        assert!((series.area() - 0.8125).abs() < 1e-9);
        let svg = roc_curve(&[series]);
        assert!(svg.starts_with("<svg class=\"chart roc\""));
        assert!(svg.contains("class=\"diagonal\""));
        assert!(svg.contains("False positive rate") && svg.contains("True positive rate"));
        assert!(svg.contains("eval &lt;1&gt; (AUC 0.812)"), "{svg}");
        assert!(svg.contains("points=\"58,164 133,89 358,14\""), "{svg}");
        assert_eq!(svg.matches("<circle").count(), 3);
        assert!(!svg.contains("style="));
    }
}
