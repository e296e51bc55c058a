//! kfp's `essential/iris_pipeline_compiled` golden: the iris data set
//! written as a CSV dataset, normalized (standard or min-max scaling, a
//! pipeline input decides), and a k-nearest-neighbours classifier trained
//! on it, whose cross-validated confusion matrix is logged
//! (`ClassificationMetrics`); caching off. kfp's components use pandas
//! and scikit-learn; these are plain Rust doing the same: the CSV layout
//! is pandas' (an index column first), the scalers are scikit-learn's
//! (population standard deviation), the train/test split keeps a quarter
//! for testing (shuffled by a seeded generator of its own, not numpy's),
//! and the cross-validation is scikit-learn's unshuffled 3-fold one. The
//! model is saved as JSON, not a pickle.

use std::collections::BTreeMap;

use kfp_dsl::prelude::*;

/// The data set as kfp's component holds it: sepal length and width,
/// petal length and width, and the label.
const IRIS: &str = "
5.1,3.5,1.4,0.2,Iris-setosa
4.9,3.0,1.4,0.2,Iris-setosa
4.7,3.2,1.3,0.2,Iris-setosa
4.6,3.1,1.5,0.2,Iris-setosa
5.0,3.6,1.4,0.2,Iris-setosa
5.7,3.8,1.7,0.3,Iris-setosa
5.1,3.8,1.5,0.3,Iris-setosa
5.4,3.4,1.7,0.2,Iris-setosa
5.1,3.7,1.5,0.4,Iris-setosa
5.1,3.4,1.5,0.2,Iris-setosa
5.0,3.5,1.3,0.3,Iris-setosa
4.5,2.3,1.3,0.3,Iris-setosa
4.4,3.2,1.3,0.2,Iris-setosa
5.0,3.5,1.6,0.6,Iris-setosa
5.1,3.8,1.9,0.4,Iris-setosa
4.8,3.0,1.4,0.3,Iris-setosa
5.1,3.8,1.6,0.2,Iris-setosa
4.6,3.2,1.4,0.2,Iris-setosa
5.3,3.7,1.5,0.2,Iris-setosa
5.0,3.3,1.4,0.2,Iris-setosa
7.0,3.2,4.7,1.4,Iris-versicolor
6.4,3.2,4.5,1.5,Iris-versicolor
6.9,3.1,4.9,1.5,Iris-versicolor
5.5,2.3,4.0,1.3,Iris-versicolor
6.5,2.8,4.6,1.5,Iris-versicolor
6.2,2.2,4.5,1.5,Iris-versicolor
5.6,2.5,3.9,1.1,Iris-versicolor
5.9,3.2,4.8,1.8,Iris-versicolor
6.1,2.8,4.0,1.3,Iris-versicolor
6.3,2.5,4.9,1.5,Iris-versicolor
6.1,2.8,4.7,1.2,Iris-versicolor
6.4,2.9,4.3,1.3,Iris-versicolor
6.6,3.0,4.4,1.4,Iris-versicolor
5.6,2.7,4.2,1.3,Iris-versicolor
5.7,3.0,4.2,1.2,Iris-versicolor
5.7,2.9,4.2,1.3,Iris-versicolor
6.2,2.9,4.3,1.3,Iris-versicolor
5.1,2.5,3.0,1.1,Iris-versicolor
5.7,2.8,4.1,1.3,Iris-versicolor
6.3,3.3,6.0,2.5,Iris-virginica
5.8,2.7,5.1,1.9,Iris-virginica
7.1,3.0,5.9,2.1,Iris-virginica
6.3,2.9,5.6,1.8,Iris-virginica
6.5,3.0,5.8,2.2,Iris-virginica
6.9,3.1,5.1,2.3,Iris-virginica
5.8,2.7,5.1,1.9,Iris-virginica
6.8,3.2,5.9,2.3,Iris-virginica
6.7,3.3,5.7,2.5,Iris-virginica
6.7,3.0,5.2,2.3,Iris-virginica
6.3,2.5,5.0,1.9,Iris-virginica
6.5,3.0,5.2,2.0,Iris-virginica
6.2,3.4,5.4,2.3,Iris-virginica
5.9,3.0,5.1,1.8,Iris-virginica
";

/// The column names of the data set.
const COLUMNS: [&str; 5] = [
    "Sepal_Length",
    "Sepal_Width",
    "Petal_Length",
    "Petal_Width",
    "Labels",
];

/// The categories of the confusion matrix, in the labels' sorted order.
const CATEGORIES: [&str; 3] = ["Iris-Setosa", "Iris-Versicolour", "Iris-Virginica"];

/// An error of bad data.
fn invalid(message: String) -> std::io::Error {
    std::io::Error::new(std::io::ErrorKind::InvalidData, message)
}

/// Rows of features and their labels.
struct Table {
    features: Vec<Vec<f64>>,
    labels: Vec<String>,
}

impl Table {
    /// Reads rows of comma-separated numbers ending with a label, skipping
    /// `skip` leading columns (pandas' index).
    fn parse<'a>(lines: impl Iterator<Item = &'a str>, skip: usize) -> std::io::Result<Self> {
        let mut table = Table {
            features: Vec::new(),
            labels: Vec::new(),
        };
        for line in lines.map(str::trim).filter(|l| !l.is_empty()) {
            let cells: Vec<&str> = line.split(',').skip(skip).collect();
            let Some((label, numbers)) = cells.split_last() else {
                return Err(invalid(format!("an empty row: {line:?}")));
            };
            let row = numbers
                .iter()
                .map(|n| n.parse::<f64>())
                .collect::<Result<Vec<_>, _>>()
                .map_err(|e| invalid(format!("{line:?}: {e}")))?;
            table.features.push(row);
            table.labels.push((*label).to_owned());
        }
        Ok(table)
    }

    /// Reads a CSV file as pandas' `to_csv` writes it: a header, then an
    /// index column.
    fn read(path: &std::path::Path) -> std::io::Result<Self> {
        Table::parse(std::fs::read_to_string(path)?.lines().skip(1), 1)
    }

    /// Writes the table as pandas' `to_csv` does, under `header`.
    fn write(&self, path: &std::path::Path, header: &[String]) -> std::io::Result<()> {
        let mut csv = format!(",{}\n", header.join(","));
        for (i, (row, label)) in self.features.iter().zip(&self.labels).enumerate() {
            let cells: Vec<String> = row.iter().map(f64::to_string).collect();
            csv.push_str(&format!("{i},{},{label}\n", cells.join(",")));
        }
        std::fs::write(path, csv)
    }
}

#[component]
fn create_dataset(iris_dataset: Output<Dataset>) -> std::io::Result<()> {
    let table = Table::parse(IRIS.lines(), 0)?;
    let header: Vec<String> = COLUMNS.iter().map(|c| (*c).to_owned()).collect();
    table.write(&iris_dataset.path(), &header)
}

#[component]
fn normalize_dataset(
    input_iris_dataset: Input<Dataset>,
    normalized_iris_dataset: Output<Dataset>,
    standard_scaler: bool,
) -> std::io::Result<()> {
    let mut table = Table::read(input_iris_dataset.path())?;
    let width = table.features.first().map_or(0, Vec::len);
    let count = table.features.len() as f64;
    for column in 0..width {
        let values: Vec<f64> = table.features.iter().map(|r| r[column]).collect();
        let (shift, scale) = if standard_scaler {
            let mean = values.iter().sum::<f64>() / count;
            let variance = values.iter().map(|v| (v - mean).powi(2)).sum::<f64>() / count;
            (mean, variance.sqrt())
        } else {
            let min = values.iter().copied().fold(f64::INFINITY, f64::min);
            let max = values.iter().copied().fold(f64::NEG_INFINITY, f64::max);
            (min, max - min)
        };
        let scale = if scale == 0.0 { 1.0 } else { scale };
        for row in &mut table.features {
            row[column] = (row[column] - shift) / scale;
        }
    }
    normalized_iris_dataset.set_metadata("state", "Normalized");
    // pandas names the columns of a scaled array by their numbers.
    let mut header: Vec<String> = (0..width).map(|i| i.to_string()).collect();
    header.push("Labels".to_owned());
    table.write(&normalized_iris_dataset.path(), &header)
}

/// A k-nearest-neighbours classifier: the training rows themselves.
#[derive(serde::Serialize)]
struct Knn<'a> {
    n_neighbors: usize,
    features: Vec<&'a [f64]>,
    labels: Vec<&'a str>,
}

impl Knn<'_> {
    /// The most common label of the `n_neighbors` nearest rows (ties go
    /// to the nearer).
    fn predict(&self, row: &[f64]) -> &str {
        let distance =
            |other: &[f64]| -> f64 { row.iter().zip(other).map(|(a, b)| (a - b).powi(2)).sum() };
        let mut nearest: Vec<(f64, &str)> = self
            .features
            .iter()
            .zip(&self.labels)
            .map(|(f, l)| (distance(f), *l))
            .collect();
        nearest.sort_by(|a, b| a.0.total_cmp(&b.0));
        let mut votes: BTreeMap<&str, (usize, usize)> = BTreeMap::new();
        for (rank, (_, label)) in nearest.iter().take(self.n_neighbors).enumerate() {
            let vote = votes.entry(label).or_insert((0, rank));
            vote.0 += 1;
        }
        votes
            .into_iter()
            .max_by(|a, b| a.1.0.cmp(&b.1.0).then(b.1.1.cmp(&a.1.1)))
            .map_or("", |(label, _)| label)
    }
}

/// The indices `0..n` shuffled by a seeded generator (a linear
/// congruential one: the same order on every machine).
fn shuffled(n: usize, seed: u64) -> Vec<usize> {
    let mut state = seed;
    let mut order: Vec<usize> = (0..n).collect();
    for i in (1..n).rev() {
        state = state
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        order.swap(i, (state >> 33) as usize % (i + 1));
    }
    order
}

#[component]
fn train_model(
    normalized_iris_dataset: Input<Dataset>,
    model: Output<Model>,
    metrics: Output<ClassificationMetrics>,
    n_neighbors: i64,
) -> std::io::Result<()> {
    let table = Table::read(normalized_iris_dataset.path())?;
    let n_neighbors = usize::try_from(n_neighbors)
        .ok()
        .filter(|&k| k > 0)
        .ok_or_else(|| invalid(format!("n_neighbors is {n_neighbors}")))?;
    // A quarter for testing, as scikit-learn's `train_test_split`.
    let order = shuffled(table.labels.len(), 0);
    let train: Vec<usize> = order[order.len().div_ceil(4)..].to_vec();
    let fit = |rows: &[usize]| Knn {
        n_neighbors,
        features: rows.iter().map(|&i| table.features[i].as_slice()).collect(),
        labels: rows.iter().map(|&i| table.labels[i].as_str()).collect(),
    };

    // Predictions of 3-fold cross-validation on the training rows.
    let mut labels: Vec<&str> = train.iter().map(|&i| table.labels[i].as_str()).collect();
    labels.sort_unstable();
    labels.dedup();
    let mut matrix = vec![vec![0.0; labels.len()]; labels.len()];
    let folds = 3;
    for fold in 0..folds {
        let (start, end) = (fold * train.len() / folds, (fold + 1) * train.len() / folds);
        let rest: Vec<usize> = [&train[..start], &train[end..]].concat();
        let knn = fit(&rest);
        for &i in &train[start..end] {
            let predicted = knn.predict(&table.features[i]);
            let actual = labels.iter().position(|l| *l == table.labels[i]);
            let guessed = labels.iter().position(|l| *l == predicted);
            if let (Some(a), Some(g)) = (actual, guessed) {
                matrix[a][g] += 1.0;
            }
        }
    }
    metrics.log_confusion_matrix(&CATEGORIES, &matrix);

    model.set_metadata("framework", "k-nearest neighbours in Rust");
    let json = serde_json::to_vec(&fit(&train)).map_err(std::io::Error::other)?;
    std::fs::write(model.path(), json)
}

#[pipeline(name = "iris-training-pipeline")]
pub fn my_pipeline(
    #[kfp(default = true)] standard_scaler: bool,
    #[kfp(default = 3)] neighbors: i64,
) {
    let create_dataset_task = create_dataset().set_caching_options(false);
    let normalize_dataset_task =
        normalize_dataset(create_dataset_task.outputs().iris_dataset, standard_scaler)
            .set_caching_options(false);
    train_model(
        normalize_dataset_task.outputs().normalized_iris_dataset,
        neighbors,
    )
    .set_caching_options(false);
}

fn main() -> std::process::ExitCode {
    kfp_dsl::main!(my_pipeline)
}
