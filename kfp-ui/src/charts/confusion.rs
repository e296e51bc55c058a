//! The confusion matrix as a heat map: one row per actual category, one
//! column per predicted one, each cell's count written in it and its
//! shade growing with the count.

use std::fmt::Write;

use serde_json::Value;

use super::{coord, number};
use crate::html::Esc;

/// A confusion matrix.
#[derive(Clone, Debug, PartialEq)]
pub struct ConfusionMatrix {
    /// The categories, in row (and column) order.
    pub categories: Vec<String>,
    /// `rows[actual][predicted]`: how many.
    pub rows: Vec<Vec<f64>>,
}

impl ConfusionMatrix {
    /// The matrix of a `confusionMatrix` value (`annotationSpecs` with
    /// `displayName`s, `rows` of `row`s); `None` when it is not square
    /// over its categories.
    pub fn from_value(data: &Value) -> Option<Self> {
        let categories: Vec<String> = data
            .get("annotationSpecs")?
            .as_array()?
            .iter()
            .map(|spec| {
                spec.get("displayName")
                    .and_then(Value::as_str)
                    .unwrap_or_default()
                    .to_owned()
            })
            .collect();
        let rows: Vec<Vec<f64>> = data
            .get("rows")?
            .as_array()?
            .iter()
            .map(|row| {
                row.get("row")?
                    .as_array()?
                    .iter()
                    .map(Value::as_f64)
                    .collect::<Option<Vec<f64>>>()
            })
            .collect::<Option<_>>()?;
        let n = categories.len();
        (n > 0 && rows.len() == n && rows.iter().all(|r| r.len() == n))
            .then_some(Self { categories, rows })
    }
}

const CELL: f64 = 64.0;
const LABELS: f64 = 110.0;
const HEADER: f64 = 44.0;
/// Room for the legend below the cells.
const MIN_WIDTH: f64 = 300.0;
/// The most characters of a category's name drawn (the whole is in its
/// tooltip).
const LABEL_CHARS: usize = 14;

/// The heat map of `matrix` as an SVG element, titled `title`.
pub fn confusion_matrix(matrix: &ConfusionMatrix, title: &str) -> String {
    let n = matrix.categories.len();
    let cell = if n > 6 {
        (CELL * 6.0 / n as f64).max(24.0)
    } else {
        CELL
    };
    let width = (LABELS + cell * n as f64 + 12.0).max(MIN_WIDTH);
    let height = HEADER + cell * n as f64 + 34.0;
    let max = matrix.rows.iter().flatten().copied().fold(0.0, f64::max);
    let mut out = format!(
        "<svg class=\"chart confusion-matrix\" role=\"img\" aria-label=\"confusion matrix: {t}\" \
         viewBox=\"0 0 {w} {h}\" width=\"{w}\" height=\"{h}\" xmlns=\"http://www.w3.org/2000/svg\">\
         <title>confusion matrix: {t}</title>\
         <text x=\"{cx}\" y=\"14\" font-size=\"12\" text-anchor=\"middle\" font-weight=\"600\">Predicted</text>\
         <text transform=\"translate(12 {cy}) rotate(-90)\" font-size=\"12\" text-anchor=\"middle\" \
         font-weight=\"600\">Actual</text>",
        t = Esc(title),
        w = coord(width),
        h = coord(height),
        cx = coord(LABELS + cell * n as f64 / 2.0),
        cy = coord(HEADER + cell * n as f64 / 2.0),
    );
    for (i, name) in matrix.categories.iter().enumerate() {
        let short = shorten(name);
        let centre = cell * i as f64 + cell / 2.0;
        let _ = write!(
            out,
            "<text class=\"predicted\" x=\"{}\" y=\"{}\" font-size=\"11\" text-anchor=\"middle\">{}<title>{}</title></text>\
             <text class=\"actual\" x=\"{}\" y=\"{}\" font-size=\"11\" text-anchor=\"end\">{}<title>{}</title></text>",
            coord(LABELS + centre),
            coord(HEADER - 8.0),
            Esc(&short),
            Esc(name),
            coord(LABELS - 8.0),
            coord(HEADER + centre + 4.0),
            Esc(&short),
            Esc(name),
        );
    }
    for (a, row) in matrix.rows.iter().enumerate() {
        for (p, &count) in row.iter().enumerate() {
            let share = if max > 0.0 { count / max } else { 0.0 };
            let (x, y) = (LABELS + cell * p as f64, HEADER + cell * a as f64);
            let _ = write!(
                out,
                "<g class=\"cell\"><rect x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\" fill=\"{}\" stroke=\"#ffffff\">\
                 <title>actual {}, predicted {}: {}</title></rect>\
                 <text x=\"{}\" y=\"{}\" font-size=\"13\" text-anchor=\"middle\" fill=\"{}\">{}</text></g>",
                coord(x),
                coord(y),
                coord(cell),
                coord(cell),
                shade(share),
                Esc(&matrix.categories[a]),
                Esc(&matrix.categories[p]),
                number(count),
                coord(x + cell / 2.0),
                coord(y + cell / 2.0 + 5.0),
                if share > 0.55 { "#ffffff" } else { "#202124" },
                number(count),
            );
        }
    }
    let _ = write!(
        out,
        "<text x=\"{}\" y=\"{}\" font-size=\"11\" fill=\"#5f6368\">darker: more (the largest: {})</text></svg>",
        coord(LABELS),
        coord(height - 10.0),
        number(max)
    );
    out
}

fn shorten(name: &str) -> String {
    if name.chars().count() > LABEL_CHARS {
        let cut: String = name.chars().take(LABEL_CHARS - 1).collect();
        format!("{cut}…")
    } else {
        name.to_owned()
    }
}

/// White to the UI's blue (`#1a73e8`) as `share` goes from 0 to 1.
fn shade(share: f64) -> String {
    let share = share.clamp(0.0, 1.0);
    let mix = |to: u8| {
        let v = 255.0 + (f64::from(to) - 255.0) * share;
        v.round() as u8
    };
    format!("#{:02x}{:02x}{:02x}", mix(0x1a), mix(0x73), mix(0xe8))
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[test]
    fn a_matrix_is_a_grid_of_shaded_counts_with_labels() {
        let data = json!({
            "annotationSpecs": [{"displayName": "bad"}, {"displayName": "good <wine>"}],
            "rows": [{"row": [120, 30]}, {"row": [25, 145]}]
        });
        let matrix = ConfusionMatrix::from_value(&data).unwrap();
        let svg = confusion_matrix(&matrix, "eval");
        assert_eq!(svg.matches("<g class=\"cell\">").count(), 4);
        assert!(svg.contains(">145</text>") && svg.contains(">25</text>"));
        assert!(svg.contains("good &lt;wine&gt;"));
        assert!(svg.contains("actual good &lt;wine&gt;, predicted bad: 25"));
        // The largest count is the darkest, in white text.
        assert!(svg.contains("fill=\"#1a73e8\" stroke"));
        assert!(svg.contains("fill=\"#ffffff\">145</text>"));
        assert!(!svg.contains("style="));
        assert_eq!(shade(0.0), "#ffffff");
        let ragged = json!({"annotationSpecs": [{"displayName": "a"}], "rows": [{"row": [1, 2]}]});
        assert_eq!(ConfusionMatrix::from_value(&ragged), None);
    }
}
