//! Charts drawn on the server as inline SVG (no script, no style
//! attribute: colours are presentation attributes, which the page's
//! Content-Security-Policy allows): the ROC curve and the confusion matrix
//! of a `system.ClassificationMetrics` artifact, from the data KFP's UI
//! reads (`confidenceMetrics`, `confusionMatrix`).

mod confusion;
mod roc;

pub use confusion::{ConfusionMatrix, confusion_matrix};
pub use roc::{RocPoint, RocSeries, roc_curve};

/// A number as a chart labels it: an integer as one, anything else with
/// at most three decimals.
///
/// ```
/// assert_eq!(kfp_ui::charts::number(12.0), "12");
/// assert_eq!(kfp_ui::charts::number(0.83333), "0.833");
/// assert_eq!(kfp_ui::charts::number(0.5), "0.5");
/// ```
pub fn number(value: f64) -> String {
    if value.fract() == 0.0 && value.abs() < 1e15 {
        format!("{value:.0}")
    } else {
        let text = format!("{value:.3}");
        text.trim_end_matches('0').trim_end_matches('.').to_owned()
    }
}

/// A coordinate written into SVG (two decimals are plenty).
fn coord(value: f64) -> String {
    number((value * 100.0).round() / 100.0)
}

/// Colours of series drawn together (the first is the UI's blue), each
/// paired with a dash pattern so that they differ without colour too.
const SERIES: [(&str, &str); 6] = [
    ("#1a73e8", ""),
    ("#d93025", "6 3"),
    ("#188038", "2 3"),
    ("#9334e6", "8 3 2 3"),
    ("#e37400", "12 4"),
    ("#007b83", "4 4"),
];
