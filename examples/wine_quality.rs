//! Trains, picks, evaluates and deploys a wine-quality classifier, in pure
//! Rust: a complete machine-learning pipeline that runs on your machine with
//! `cargo run --example wine_quality -- run` and on a KFP cluster unchanged.
//!
//! The data is the UCI red wine quality data set (1599 wines, 11 chemical
//! measurements each, a quality score from 0 to 10), bundled in the
//! `linfa-datasets` crate, so nothing is downloaded. The task is binary: a
//! wine is *good* when its quality is 6 or more (53% of them are).
//!
//! ```text
//!             ┌─ train ─┐  one task per setting of `sweep`
//! load-data ──┼─ train ─┼──▶ select-best ──▶ evaluate ──▶ deploy, if the test
//!      │      └─ …     ─┘                       ▲          accuracy ≥ min_accuracy
//!      └──────────────────── test ──────────────┘
//! ```
//!
//! 1. `load-data` splits the wines 60/20/20 into `train`, `validation` and
//!    `test` datasets (stratified by class, shuffled with `seed`).
//! 2. A `parallel_for` over the pipeline input `sweep` (a list of
//!    [`TrainingSettings`]: L2 penalty and solver iterations) trains one
//!    logistic regression per setting on `train`; each task writes a `Model`
//!    and returns its accuracy on `validation`.
//! 3. `select-best` takes both lists, `collected` out of the loop, and keeps
//!    the model with the best validation accuracy.
//! 4. `evaluate` scores that model on `test`, which no earlier step has
//!    seen: `Metrics` (accuracy, precision, recall, F1, ROC AUC) and
//!    `ClassificationMetrics` (confusion matrix and ROC curve, shown by the
//!    KFP UI), and returns the test accuracy.
//! 5. If the test accuracy is at least `min_accuracy` (default 0.7),
//!    `deploy` copies the model to the folder `deploy_dir` (default
//!    `kfp-local/deployed`, relative to the folder the run starts in).
//!
//! The pipeline returns the selected model, both metrics artifacts and the
//! test accuracy, so a run lists where they are.
//!
//! File formats (each artifact is one file):
//! - **Dataset**: CSV with a header row; every column but the last is a
//!   feature, named as in the data set (`fixed acidity`, …, `alcohol`); the
//!   last, `good`, is `1` for a good wine and `0` otherwise. Metadata:
//!   `rows`, `features`, `positive_rate`.
//! - **Model**: JSON of [`WineModel`]: the features' names, the mean and
//!   standard deviation used to standardize each, the coefficients and
//!   intercept, the settings it was trained with and its validation
//!   accuracy. The probability that a wine is good is
//!   `1 / (1 + exp(-(intercept + Σ coefficient_i · (x_i - mean_i) / scale_i)))`,
//!   so the file is usable without linfa.
//!
//! Every component here is a plain Rust function: the same binary compiles
//! the pipeline (`cargo run --example wine_quality`, which writes
//! `wine-quality.yaml`) and runs each component, as KFP starts it:
//! `wine_quality --executor_input JSON --function_to_execute train`.

use std::fmt::Write as _;
use std::path::Path;

use anyhow::{Context, Result, bail, ensure};
use kfp_dsl::prelude::*;
use linfa::traits::Fit;
use linfa_logistic::LogisticRegression;
use ndarray::{Array1, Array2, ArrayView1, Axis};
use serde::{Deserialize, Serialize};

/// One setting of the hyperparameter sweep: a KFP `STRUCT` parameter, given
/// whole to each `train` task.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct TrainingSettings {
    /// The weight of the L2 penalty on the coefficients (linfa's `alpha`;
    /// the loss is summed over the training rows, so it is relative to
    /// their number, about 960).
    pub l2_penalty: f64,
    /// The most iterations of the L-BFGS solver.
    pub max_iterations: u64,
}
kfp_dsl::struct_parameter!(TrainingSettings);

/// The settings the pipeline tries unless its `sweep` input says otherwise:
/// from almost no regularization to a strong one (the solver converges in
/// fewer than 100 iterations).
pub fn default_sweep() -> Vec<TrainingSettings> {
    [0.1, 10.0, 100.0, 1000.0]
        .map(|l2_penalty| TrainingSettings {
            l2_penalty,
            max_iterations: 100,
        })
        .into()
}

/// A wine is good when its quality score is at least this.
const GOOD_QUALITY: usize = 6;
/// The fraction of the wines (of each class) in `train`.
const TRAIN_FRACTION: f64 = 0.6;
/// The fraction in `validation`; the rest is `test`.
const VALIDATION_FRACTION: f64 = 0.2;
/// The name of the label column of the datasets.
const LABEL: &str = "good";
/// The class names shown in the confusion matrix, for labels 0 and 1.
const CLASSES: [&str; 2] = ["not good", "good"];
/// The file name of the deployed model.
const DEPLOYED_FILE: &str = "wine-quality-model.json";

// ---------------------------------------------------------------------------
// Components
// ---------------------------------------------------------------------------

/// Loads the red wine quality data set bundled in `linfa-datasets`, labels
/// a wine good when its quality is 6 or more, and splits the wines 60/20/20
/// into train, validation and test datasets (CSV), stratified by label and
/// shuffled with `seed`.
#[component]
fn load_data(
    seed: u64,
    train: Output<Dataset>,
    validation: Output<Dataset>,
    test: Output<Dataset>,
) -> Result<()> {
    let wines = linfa_datasets::winequality();
    let features: Vec<String> = wines.feature_names().to_vec();
    let labels: Vec<bool> = wines.targets().iter().map(|&q| q >= GOOD_QUALITY).collect();
    let [train_rows, validation_rows, test_rows] = stratified_split(&labels, seed);
    for (output, rows) in [
        (&train, train_rows),
        (&validation, validation_rows),
        (&test, test_rows),
    ] {
        let table = Table {
            features: features.clone(),
            x: wines.records().select(Axis(0), &rows),
            y: rows.iter().map(|&i| labels[i]).collect(),
        };
        table.write(&output.path())?;
        output.set_metadata("rows", table.y.len());
        output.set_metadata("features", table.features.len());
        output.set_metadata("positive_rate", table.positive_rate());
    }
    Ok(())
}

/// Trains a logistic regression (linfa-logistic, L-BFGS) with `settings` on
/// the standardized `train` rows, writes it as a model, and returns its
/// accuracy on `validation`.
#[component]
fn train(
    settings: TrainingSettings,
    train: Input<Dataset>,
    validation: Input<Dataset>,
    model: Output<Model>,
) -> Result<f64> {
    let fitted = WineModel::fit(
        &Table::read(train.path())?,
        &Table::read(validation.path())?,
        &settings,
    )?;
    fitted.write(&model.path())?;
    fitted.describe(&model);
    println!(
        "{settings:?}: validation accuracy {:.4}",
        fitted.validation_accuracy
    );
    Ok(fitted.validation_accuracy)
}

/// Keeps the model with the best validation accuracy (the first of equals).
/// `models` and `accuracies` are the loop's outputs, gathered in the same
/// order; each model file records its own accuracy, which is checked.
#[component]
fn select_best(
    models: Vec<Input<Model>>,
    accuracies: Vec<f64>,
    best_model: Output<Model>,
) -> Result<()> {
    ensure!(
        !models.is_empty() && models.len() == accuracies.len(),
        "expected one accuracy per model, got {} models and {} accuracies",
        models.len(),
        accuracies.len()
    );
    // The first of equals (`Iterator::max_by` would keep the last).
    let mut best = 0;
    for (i, &accuracy) in accuracies.iter().enumerate() {
        if accuracy > accuracies[best] {
            best = i;
        }
    }
    let model = WineModel::read(models[best].path())?;
    ensure!(
        model.validation_accuracy == accuracies[best],
        "model {best} records the validation accuracy {}, the loop gave {}",
        model.validation_accuracy,
        accuracies[best]
    );
    model.write(&best_model.path())?;
    model.describe(&best_model);
    best_model.set_metadata("candidates", models.len());
    println!(
        "selected {:?} (validation accuracy {:.4}) of {} candidates",
        model.settings,
        model.validation_accuracy,
        models.len()
    );
    Ok(())
}

/// Scores the model on the `test` dataset: accuracy, precision, recall, F1
/// and ROC AUC as metrics, the confusion matrix and ROC curve as
/// classification metrics; returns the accuracy.
#[component]
fn evaluate(
    model: Input<Model>,
    test: Input<Dataset>,
    metrics: Output<Metrics>,
    classification_metrics: Output<ClassificationMetrics>,
) -> Result<f64> {
    let model = WineModel::read(model.path())?;
    let data = Table::read(test.path())?;
    let scores = model.predict(&data)?;
    let counts = Counts::new(&scores, &data.y);
    let roc = RocCurve::new(&scores, &data.y);
    metrics.log_metric("accuracy", counts.accuracy());
    metrics.log_metric("precision", counts.precision());
    metrics.log_metric("recall", counts.recall());
    metrics.log_metric("f1", counts.f1());
    metrics.log_metric("roc_auc", roc.area());
    metrics.log_metric("test_rows", data.y.len() as f64);
    classification_metrics.log_confusion_matrix(&CLASSES, &counts.confusion_matrix());
    classification_metrics.log_roc_curve(
        &roc.false_positive_rates,
        &roc.true_positive_rates,
        &roc.thresholds,
    )?;
    println!(
        "test accuracy {:.4}, precision {:.4}, recall {:.4}, ROC AUC {:.4}",
        counts.accuracy(),
        counts.precision(),
        counts.recall(),
        roc.area()
    );
    Ok(counts.accuracy())
}

/// Copies the model to `target_dir` (created if needed; relative paths are
/// relative to the folder the component runs in) as
/// `wine-quality-model.json`, and returns the path written.
#[component]
fn deploy(model: Input<Model>, target_dir: String) -> Result<String> {
    let dir = Path::new(&target_dir);
    std::fs::create_dir_all(dir).with_context(|| format!("creating {}", dir.display()))?;
    let target = dir.join(DEPLOYED_FILE);
    std::fs::copy(model.path(), &target).with_context(|| {
        format!(
            "copying the model {} to {}",
            model.path().display(),
            target.display()
        )
    })?;
    let shown = std::path::absolute(&target).unwrap_or(target);
    println!("deployed the model to {}", shown.display());
    Ok(shown.display().to_string())
}

// ---------------------------------------------------------------------------
// The pipeline
// ---------------------------------------------------------------------------

/// What a run of the pipeline gives.
#[derive(Outputs)]
pub struct WineQualityOutputs {
    /// The model with the best validation accuracy.
    model: Output<Model>,
    /// Its scores on the test dataset.
    metrics: Output<Metrics>,
    /// Its confusion matrix and ROC curve on the test dataset.
    classification_metrics: Output<ClassificationMetrics>,
    /// Its accuracy on the test dataset.
    test_accuracy: f64,
}

/// Trains a logistic regression per setting of `sweep` on the red wine
/// quality data, keeps the best on validation, evaluates it on test data,
/// and deploys it to `deploy_dir` if its test accuracy reaches
/// `min_accuracy`.
#[pipeline(name = "wine-quality")]
pub fn wine_quality(
    /// The seed of the shuffle that splits the data.
    #[kfp(default = 42)]
    seed: u64,
    /// The training settings to try, one `train` task each.
    #[kfp(default = default_sweep())]
    sweep: Vec<TrainingSettings>,
    /// The test accuracy the model needs to be deployed.
    #[kfp(default = 0.7)]
    min_accuracy: f64,
    /// The folder the model is deployed to.
    #[kfp(default = "kfp-local/deployed")]
    deploy_dir: String,
) -> WineQualityOutputs {
    let data = load_data(seed).outputs();
    let (models, accuracies) = parallel_for(sweep, |settings| {
        let trained = train(settings, data.train, data.validation);
        (trained.outputs().model, trained.output())
    });
    let best = select_best(collected(models), collected(accuracies))
        .outputs()
        .best_model;
    let evaluated = evaluate(best, data.test);
    condition(evaluated.output().ge(min_accuracy), || {
        deploy(best, deploy_dir);
    });
    WineQualityOutputsHandles {
        model: best,
        metrics: evaluated.outputs().metrics,
        classification_metrics: evaluated.outputs().classification_metrics,
        test_accuracy: evaluated.output(),
    }
}

fn main() -> std::process::ExitCode {
    kfp_dsl::main!(wine_quality)
}

// ---------------------------------------------------------------------------
// Data: the CSV datasets
// ---------------------------------------------------------------------------

/// A dataset in memory: one row of features per wine, and its label.
#[derive(Debug)]
struct Table {
    features: Vec<String>,
    x: Array2<f64>,
    y: Array1<bool>,
}

impl Table {
    /// Writes the CSV format described in the crate docs.
    fn write(&self, path: &Path) -> Result<()> {
        let mut text = self.features.join(",");
        text.push(',');
        text.push_str(LABEL);
        text.push('\n');
        for (row, &label) in self.x.rows().into_iter().zip(&self.y) {
            for value in row {
                write!(text, "{value},")?;
            }
            text.push_str(if label { "1\n" } else { "0\n" });
        }
        std::fs::write(path, text).with_context(|| format!("writing {}", path.display()))
    }

    /// Reads what [`write`](Self::write) wrote.
    fn read(path: &Path) -> Result<Table> {
        let text = std::fs::read_to_string(path)
            .with_context(|| format!("reading the dataset {}", path.display()))?;
        let mut lines = text.lines();
        let mut features: Vec<String> = match lines.next() {
            Some(header) => header.split(',').map(str::to_owned).collect(),
            None => bail!("{}: empty dataset", path.display()),
        };
        ensure!(
            features.pop().as_deref() == Some(LABEL) && !features.is_empty(),
            "{}: the last column must be `{LABEL}`, after the features",
            path.display()
        );
        let (mut values, mut y) = (Vec::new(), Vec::new());
        for (i, line) in lines.enumerate() {
            let cells: Vec<&str> = line.split(',').collect();
            let context = || format!("{} line {}", path.display(), i + 2);
            ensure!(
                cells.len() == features.len() + 1,
                "{}: wrong column count",
                context()
            );
            for cell in &cells[..features.len()] {
                values.push(cell.parse::<f64>().with_context(context)?);
            }
            y.push(match cells[features.len()] {
                "1" => true,
                "0" => false,
                other => bail!("{}: the label is `{other}`, not 0 or 1", context()),
            });
        }
        let x = Array2::from_shape_vec((y.len(), features.len()), values)?;
        Ok(Table {
            features,
            x,
            y: y.into(),
        })
    }

    /// The fraction of rows labelled good.
    fn positive_rate(&self) -> f64 {
        self.y.iter().filter(|&&good| good).count() as f64 / self.y.len().max(1) as f64
    }
}

/// The row indices of the train, validation and test splits: each class's
/// rows are shuffled with `seed` and split by the fractions above, so each
/// split has about the same share of good wines. Indices are sorted.
fn stratified_split(labels: &[bool], seed: u64) -> [Vec<usize>; 3] {
    let mut rng = SplitMix64(seed);
    let mut splits: [Vec<usize>; 3] = Default::default();
    for class in [false, true] {
        let mut rows: Vec<usize> = (0..labels.len()).filter(|&i| labels[i] == class).collect();
        rng.shuffle(&mut rows);
        let train_end = (rows.len() as f64 * TRAIN_FRACTION).round() as usize;
        let validation_end = train_end + (rows.len() as f64 * VALIDATION_FRACTION).round() as usize;
        splits[0].extend_from_slice(&rows[..train_end]);
        splits[1].extend_from_slice(&rows[train_end..validation_end]);
        splits[2].extend_from_slice(&rows[validation_end..]);
    }
    for rows in &mut splits {
        rows.sort_unstable();
    }
    splits
}

/// A small seeded random number generator (SplitMix64): the split must be
/// the same on every machine, so it depends on nothing but the seed.
struct SplitMix64(u64);

impl SplitMix64 {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// Fisher–Yates.
    fn shuffle<T>(&mut self, items: &mut [T]) {
        for i in (1..items.len()).rev() {
            let j = (self.next() % (i as u64 + 1)) as usize;
            items.swap(i, j);
        }
    }
}

// ---------------------------------------------------------------------------
// The model
// ---------------------------------------------------------------------------

/// A fitted logistic regression on standardized features: the JSON content
/// of a `Model` artifact (format in the crate docs).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct WineModel {
    /// The feature names, in column order.
    pub features: Vec<String>,
    /// The training mean of each feature.
    pub means: Vec<f64>,
    /// The training standard deviation of each feature (1 where it is 0).
    pub scales: Vec<f64>,
    /// One coefficient per standardized feature.
    pub coefficients: Vec<f64>,
    /// The intercept: the log-odds of a good wine at the means.
    pub intercept: f64,
    /// The settings it was trained with.
    pub settings: TrainingSettings,
    /// Its accuracy on the validation dataset.
    pub validation_accuracy: f64,
}

impl WineModel {
    /// Fits a logistic regression to the standardized `train` rows and
    /// scores it on `validation`.
    fn fit(train: &Table, validation: &Table, settings: &TrainingSettings) -> Result<WineModel> {
        let means = train
            .x
            .mean_axis(Axis(0))
            .context("an empty training dataset")?;
        let scales = train
            .x
            .std_axis(Axis(0), 0.0)
            .mapv(|s| if s > 0.0 { s } else { 1.0 });
        let standardized = (&train.x - &means) / &scales;
        let fitted = LogisticRegression::default()
            .alpha(settings.l2_penalty)
            .max_iterations(settings.max_iterations)
            .fit(&linfa::Dataset::new(standardized, train.y.clone()))?;
        // linfa models the probability of its `pos` class, whichever of the
        // two that is; the file always holds the log-odds of a good wine.
        let sign = if fitted.labels().pos.class { 1.0 } else { -1.0 };
        let mut model = WineModel {
            features: train.features.clone(),
            means: means.to_vec(),
            scales: scales.to_vec(),
            coefficients: fitted.params().iter().map(|w| sign * w).collect(),
            intercept: sign * fitted.intercept(),
            settings: settings.clone(),
            validation_accuracy: 0.0,
        };
        model.validation_accuracy =
            Counts::new(&model.predict(validation)?, &validation.y).accuracy();
        Ok(model)
    }

    /// Describes the model in the metadata of its artifact.
    fn describe(&self, artifact: &Output<Model>) {
        artifact.set_metadata("framework", "linfa-logistic");
        artifact.set_metadata("l2_penalty", self.settings.l2_penalty);
        artifact.set_metadata("max_iterations", self.settings.max_iterations);
        artifact.set_metadata("validation_accuracy", self.validation_accuracy);
    }

    /// The probability that the wine of `row` is good.
    fn probability(&self, row: ArrayView1<f64>) -> f64 {
        let log_odds = self.intercept
            + row
                .iter()
                .zip(&self.means)
                .zip(&self.scales)
                .zip(&self.coefficients)
                .map(|(((x, mean), scale), w)| w * (x - mean) / scale)
                .sum::<f64>();
        1.0 / (1.0 + (-log_odds).exp())
    }

    /// The probability of a good wine for each row of `data`, whose
    /// features must be the model's.
    fn predict(&self, data: &Table) -> Result<Vec<f64>> {
        ensure!(
            data.features == self.features,
            "the dataset's features {:?} are not the model's {:?}",
            data.features,
            self.features
        );
        Ok(data
            .x
            .rows()
            .into_iter()
            .map(|row| self.probability(row))
            .collect())
    }

    fn write(&self, path: &Path) -> Result<()> {
        let json = serde_json::to_string_pretty(self)?;
        std::fs::write(path, json).with_context(|| format!("writing {}", path.display()))
    }

    fn read(path: &Path) -> Result<WineModel> {
        let text = std::fs::read_to_string(path)
            .with_context(|| format!("reading the model {}", path.display()))?;
        serde_json::from_str(&text).with_context(|| format!("{} is not a model", path.display()))
    }
}

// ---------------------------------------------------------------------------
// Metrics
// ---------------------------------------------------------------------------

/// The confusion counts of probabilities against labels, a probability of
/// 0.5 or more calling a wine good (as `f64`s, as the confusion matrix
/// holds them).
#[derive(Clone, Copy, Debug, Default)]
struct Counts {
    true_positives: f64,
    false_positives: f64,
    true_negatives: f64,
    false_negatives: f64,
}

impl Counts {
    fn new(scores: &[f64], labels: &Array1<bool>) -> Counts {
        let mut c = Counts::default();
        for (&score, &good) in scores.iter().zip(labels) {
            match (score >= 0.5, good) {
                (true, true) => c.true_positives += 1.0,
                (true, false) => c.false_positives += 1.0,
                (false, false) => c.true_negatives += 1.0,
                (false, true) => c.false_negatives += 1.0,
            }
        }
        c
    }

    fn accuracy(&self) -> f64 {
        let total =
            self.true_positives + self.false_positives + self.true_negatives + self.false_negatives;
        ratio(self.true_positives + self.true_negatives, total)
    }

    fn precision(&self) -> f64 {
        ratio(
            self.true_positives,
            self.true_positives + self.false_positives,
        )
    }

    fn recall(&self) -> f64 {
        ratio(
            self.true_positives,
            self.true_positives + self.false_negatives,
        )
    }

    fn f1(&self) -> f64 {
        ratio(
            2.0 * self.precision() * self.recall(),
            self.precision() + self.recall(),
        )
    }

    /// Rows are the true class, columns the predicted one, in the order of
    /// [`CLASSES`].
    fn confusion_matrix(&self) -> [Vec<f64>; 2] {
        [
            vec![self.true_negatives, self.false_positives],
            vec![self.false_negatives, self.true_positives],
        ]
    }
}

/// `numerator / denominator`, or 0 when nothing was counted.
fn ratio(numerator: f64, denominator: f64) -> f64 {
    if denominator > 0.0 {
        numerator / denominator
    } else {
        0.0
    }
}

/// The ROC curve: one point per distinct score, from the highest threshold
/// (few wines called good) to the lowest (all of them).
#[derive(Debug)]
struct RocCurve {
    false_positive_rates: Vec<f64>,
    true_positive_rates: Vec<f64>,
    thresholds: Vec<f64>,
}

impl RocCurve {
    fn new(scores: &[f64], labels: &Array1<bool>) -> RocCurve {
        let mut ranked: Vec<(f64, bool)> =
            scores.iter().copied().zip(labels.iter().copied()).collect();
        ranked.sort_by(|a, b| b.0.total_cmp(&a.0));
        let positives = ranked.iter().filter(|(_, good)| *good).count() as f64;
        let negatives = ranked.len() as f64 - positives;
        let mut curve = RocCurve {
            false_positive_rates: Vec::new(),
            true_positive_rates: Vec::new(),
            thresholds: Vec::new(),
        };
        let (mut true_positives, mut false_positives) = (0.0, 0.0);
        for (i, &(score, good)) in ranked.iter().enumerate() {
            if good {
                true_positives += 1.0;
            } else {
                false_positives += 1.0;
            }
            // One point after the last row of each score.
            if ranked.get(i + 1).is_none_or(|next| next.0 < score) {
                curve
                    .false_positive_rates
                    .push(ratio(false_positives, negatives));
                curve
                    .true_positive_rates
                    .push(ratio(true_positives, positives));
                curve.thresholds.push(score);
            }
        }
        curve
    }

    /// The area under the curve (trapezoids, from the point (0, 0)).
    fn area(&self) -> f64 {
        let mut previous = (0.0, 0.0);
        let mut area = 0.0;
        for (&fpr, &tpr) in self
            .false_positive_rates
            .iter()
            .zip(&self.true_positive_rates)
        {
            area += (fpr - previous.0) * (tpr + previous.1) / 2.0;
            previous = (fpr, tpr);
        }
        area
    }
}
