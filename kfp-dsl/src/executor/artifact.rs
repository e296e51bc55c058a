//! The artifacts and output parameter files a component's function is
//! handed: [`Input`], [`Output`] and [`OutputPath`].

use std::cell::RefCell;
use std::marker::PhantomData;
use std::path::{Path, PathBuf};
use std::rc::Rc;

use kfp_ir_schema::executor::{RuntimeArtifact, local_path};
use serde_json::{Map, Value};

use super::error::ExecutorError;
use crate::artifact::{ArtifactType, ClassificationMetrics, Metrics};
use crate::param::Parameter;

/// The local path of an artifact: its `custom_path` when set (KFP 2.15+),
/// else the path the launcher derives from its URI ([`local_path`]).
pub(super) fn artifact_path(
    direction: &'static str,
    name: &str,
    uri: &str,
    custom_path: Option<&str>,
) -> Result<PathBuf, ExecutorError> {
    match custom_path {
        Some(path) => Ok(PathBuf::from(path)),
        None => local_path(uri).map_err(|source| ExecutorError::ArtifactUri {
            direction,
            name: name.to_owned(),
            source,
        }),
    }
}

/// The shared state of an artifact given to a component.
#[derive(Debug)]
struct ArtifactState {
    name: String,
    uri: String,
    path: PathBuf,
    metadata: Map<String, Value>,
    /// The path an output was written at instead of its URI's (`set_path`).
    custom_path: Option<String>,
}

/// An input artifact of type `A`, as the component's function sees it.
#[derive(Debug)]
pub struct Input<A> {
    state: ArtifactState,
    _type: PhantomData<fn() -> A>,
}

impl<A: ArtifactType> Input<A> {
    /// The local file or folder holding the artifact.
    pub fn path(&self) -> &Path {
        &self.state.path
    }

    /// The artifact's URI.
    pub fn uri(&self) -> &str {
        &self.state.uri
    }

    /// The artifact's name.
    pub fn name(&self) -> &str {
        &self.state.name
    }

    /// The artifact's metadata.
    pub fn metadata(&self) -> &Map<String, Value> {
        &self.state.metadata
    }

    /// The input `input` as the executor input gives it, at its local path
    /// (its `custom_path` when set).
    pub(super) fn handed(input: &str, artifact: RuntimeArtifact) -> Result<Self, ExecutorError> {
        let path = artifact_path(
            "input",
            input,
            &artifact.uri,
            artifact.custom_path.as_deref(),
        )?;
        Ok(Input {
            state: ArtifactState {
                name: artifact.name,
                path,
                uri: artifact.uri,
                metadata: artifact.metadata.unwrap_or_default(),
                custom_path: None,
            },
            _type: PhantomData,
        })
    }

    /// An input artifact at `uri` (for testing component functions), whose
    /// path is the one the KFP launcher gives it.
    ///
    /// ```
    /// use kfp_dsl::{Dataset, Input};
    ///
    /// let data: Input<Dataset> = Input::new("data", "minio://bucket/run/data").unwrap();
    /// assert_eq!(data.path(), std::path::Path::new("/minio/bucket/run/data"));
    /// assert!(Input::<Dataset>::new("data", "https://example.com/data").is_err());
    /// ```
    ///
    /// # Errors
    /// A URI KFP cannot map to a path ([`ExecutorError::ArtifactUri`]).
    pub fn new(name: impl Into<String>, uri: impl Into<String>) -> Result<Self, ExecutorError> {
        let (name, uri) = (name.into(), uri.into());
        Ok(Input {
            state: ArtifactState {
                path: artifact_path("input", &name, &uri, None)?,
                name,
                uri,
                metadata: Map::new(),
                custom_path: None,
            },
            _type: PhantomData,
        })
    }
}

/// An output artifact of type `A`: write the file at [`path`](Self::path)
/// and set metadata; KFP uploads the file when the function returns.
///
/// A component gets one as a parameter (`model: Output<Model>`, kfp's
/// `Output[Model]`), at the URI KFP chose, or makes one itself with
/// [`Output::at`] and returns it (`-> Output<Model>`, kfp's `-> Model`),
/// at a URI of its choosing, usually [`get_uri`](crate::get_uri)'s.
#[derive(Debug)]
pub struct Output<A> {
    state: Rc<RefCell<ArtifactState>>,
    _type: PhantomData<fn() -> A>,
}

impl<A: ArtifactType> Output<A> {
    /// An output artifact at `uri` (for testing component functions), whose
    /// path is the one the KFP launcher gives it.
    ///
    /// # Errors
    /// A URI KFP cannot map to a path ([`ExecutorError::ArtifactUri`]).
    pub fn new(name: impl Into<String>, uri: impl Into<String>) -> Result<Self, ExecutorError> {
        Self::with_path(name.into(), uri.into(), None)
    }

    /// An artifact the component's function makes itself, at `uri`, to
    /// return it (kfp's `Model(uri=dsl.get_uri("model"))` in a function
    /// declared `-> Model`): its [`path`](Self::path) is the one the KFP
    /// launcher gives `uri`, and that path's folder is created. When the
    /// function returns it, KFP records its URI and metadata as the output
    /// (kfp's pythonic artifacts).
    ///
    /// ```
    /// use kfp_dsl::prelude::*;
    ///
    /// /// Trains a language model on the text.
    /// #[component]
    /// fn make_language_model(
    ///     text_dataset: Input<Dataset>,
    /// ) -> Result<Output<Model>, Box<dyn std::error::Error>> {
    ///     let text = std::fs::read_to_string(text_dataset.path())?;
    ///     let model = Output::<Model>::at(get_uri("model")?)?;
    ///     model.set_metadata("data", text_dataset.name());
    ///     std::fs::write(model.path(), format!("a model of {} bytes", text.len()))?;
    ///     Ok(model)
    /// }
    ///
    /// fn main() {
    ///     let dir = tempfile::tempdir().unwrap();
    ///     let at = dir.path().join("task/model");
    ///     let model = Output::<Model>::at(at.to_str().unwrap()).unwrap();
    ///     assert!(dir.path().join("task").is_dir());
    ///     assert_eq!(model.path(), at);
    ///     assert!(Output::<Model>::at("https://example.com/model").is_err());
    /// }
    /// ```
    ///
    /// # Errors
    /// A URI KFP cannot map to a path ([`ExecutorError::ArtifactUri`]), or
    /// a folder that cannot be created ([`ExecutorError::Io`]).
    pub fn at(uri: impl Into<String>) -> Result<Self, ExecutorError> {
        let out = Self::with_path(String::new(), uri.into(), None)?;
        out.create_folder()?;
        Ok(out)
    }

    /// The output `output` as the executor input hands it (name, URI,
    /// metadata and custom path), its folder created.
    pub(super) fn handed(output: &str, artifact: RuntimeArtifact) -> Result<Self, ExecutorError> {
        let out = Self::with_path(
            output.to_owned(),
            artifact.uri,
            artifact.custom_path.as_deref(),
        )?;
        {
            let mut state = out.state.borrow_mut();
            state.name = artifact.name;
            state.metadata = artifact.metadata.unwrap_or_default();
        }
        out.create_folder()?;
        Ok(out)
    }

    /// Creates the folder of [`path`](Self::path).
    fn create_folder(&self) -> Result<(), ExecutorError> {
        let path = self.path();
        let Some(parent) = path.parent() else {
            return Ok(());
        };
        std::fs::create_dir_all(parent).map_err(|source| ExecutorError::Io {
            what: "creating the folder of the output artifact",
            path: parent.to_owned(),
            source,
        })
    }

    /// An output artifact at `uri`, written at `custom_path` when given.
    fn with_path(
        name: String,
        uri: String,
        custom_path: Option<&str>,
    ) -> Result<Self, ExecutorError> {
        Ok(Output {
            state: Rc::new(RefCell::new(ArtifactState {
                path: artifact_path("output", &name, &uri, custom_path)?,
                name,
                uri,
                metadata: Map::new(),
                custom_path: None,
            })),
            _type: PhantomData,
        })
    }

    /// The local file or folder to write the artifact to (its parent
    /// folder exists).
    pub fn path(&self) -> PathBuf {
        self.state.borrow().path.clone()
    }

    /// The artifact's URI.
    pub fn uri(&self) -> String {
        self.state.borrow().uri.clone()
    }

    /// The metadata set so far.
    pub fn metadata(&self) -> Map<String, Value> {
        self.state.borrow().metadata.clone()
    }

    /// Points the artifact at `uri` instead of the one KFP chose (kfp's
    /// `artifact.uri = ...`), for an artifact that lives elsewhere, such
    /// as a model image in an OCI registry; [`path`](Self::path) follows
    /// it (unless [`set_path`](Self::set_path) chose a path). KFP records
    /// the new URI when the function returns. A URI whose storage KFP does
    /// not mount (say `https://…`) is recorded as it is, and nothing is
    /// uploaded (the launcher warns); [`path`](Self::path) stays where it
    /// was then.
    ///
    /// ```
    /// use kfp_dsl::{Model, Output};
    ///
    /// let model: Output<Model> = Output::new("model", "gs://bucket/run/model").unwrap();
    /// model.set_uri("oci://registry.example.com/org/llm:v1");
    /// assert_eq!(model.uri(), "oci://registry.example.com/org/llm:v1");
    /// assert_eq!(
    ///     model.path(),
    ///     std::path::Path::new("/oci/registry.example.com_org_llm:v1/models")
    /// );
    /// model.set_uri("https://example.com/llm");
    /// assert_eq!(model.uri(), "https://example.com/llm");
    /// assert_eq!(
    ///     model.path(),
    ///     std::path::Path::new("/oci/registry.example.com_org_llm:v1/models")
    /// );
    /// ```
    pub fn set_uri(&self, uri: impl Into<String>) {
        let mut state = self.state.borrow_mut();
        state.uri = uri.into();
        if state.custom_path.is_none()
            && let Ok(path) = local_path(&state.uri)
        {
            state.path = path;
        }
    }

    /// Writes the artifact at the local `path` instead (kfp 2.15's
    /// `artifact.set_path`): [`path`](Self::path) returns it from now on,
    /// and the KFP launcher uploads the artifact from there.
    ///
    /// ```
    /// use kfp_dsl::{Dataset, Output};
    ///
    /// let data: Output<Dataset> = Output::new("data", "gs://bucket/run/data").unwrap();
    /// data.set_path("/tmp/data.csv");
    /// assert_eq!(data.path(), std::path::Path::new("/tmp/data.csv"));
    /// assert_eq!(data.uri(), "gs://bucket/run/data");
    /// ```
    pub fn set_path(&self, path: impl Into<PathBuf>) {
        let mut state = self.state.borrow_mut();
        state.path = path.into();
        state.custom_path = Some(state.path.to_string_lossy().into_owned());
    }

    /// Sets a metadata entry.
    pub fn set_metadata(&self, key: impl Into<String>, value: impl Into<Value>) {
        self.state
            .borrow_mut()
            .metadata
            .insert(key.into(), value.into());
    }

    /// The same artifact, shared: what the function writes to it is seen
    /// here.
    pub(super) fn shared(&self) -> Self {
        Output {
            state: Rc::clone(&self.state),
            _type: PhantomData,
        }
    }

    /// The artifact as written back: name, URI, metadata, and the custom
    /// path when set.
    pub(crate) fn written(&self) -> RuntimeArtifact {
        let state = self.state.borrow();
        RuntimeArtifact {
            name: state.name.clone(),
            uri: state.uri.clone(),
            metadata: Some(state.metadata.clone()),
            custom_path: state.custom_path.clone(),
            ..RuntimeArtifact::default()
        }
    }
}

impl Output<Metrics> {
    /// Logs a scalar metric (shown in the KFP UI).
    pub fn log_metric(&self, name: impl Into<String>, value: f64) {
        self.set_metadata(name, value);
    }
}

impl Output<ClassificationMetrics> {
    /// Logs a confusion matrix (shown in the KFP UI): `matrix[i][j]` counts
    /// items of category `i` predicted as `j`.
    pub fn log_confusion_matrix(&self, categories: &[&str], matrix: &[Vec<f64>]) {
        let specs: Vec<Value> = categories
            .iter()
            .map(|c| serde_json::json!({ "displayName": c }))
            .collect();
        let rows: Vec<Value> = matrix
            .iter()
            .map(|r| serde_json::json!({ "row": r }))
            .collect();
        self.set_metadata(
            "confusionMatrix",
            serde_json::json!({ "annotationSpecs": specs, "rows": rows }),
        );
    }

    /// Logs a ROC curve, one point per threshold (kfp's `log_roc_curve`):
    /// the false positive rates, true positive rates (recall) and
    /// thresholds, of the same length.
    ///
    /// # Errors
    /// When the three lists differ in length; nothing is logged then.
    pub fn log_roc_curve(
        &self,
        false_positive_rates: &[f64],
        true_positive_rates: &[f64],
        thresholds: &[f64],
    ) -> Result<(), ExecutorError> {
        let n = thresholds.len();
        if false_positive_rates.len() != n || true_positive_rates.len() != n {
            return Err(ExecutorError::Failed(format!(
                "a ROC curve needs as many false positive rates ({}), true positive rates ({}) \
                 and thresholds ({n})",
                false_positive_rates.len(),
                true_positive_rates.len(),
            )));
        }
        for ((&fpr, &tpr), &threshold) in false_positive_rates
            .iter()
            .zip(true_positive_rates)
            .zip(thresholds)
        {
            self.log_roc_data_point(fpr, tpr, threshold);
        }
        Ok(())
    }

    /// Logs one point of the ROC curve (shown in the KFP UI).
    pub fn log_roc_data_point(&self, false_positive_rate: f64, recall: f64, threshold: f64) {
        let mut state = self.state.borrow_mut();
        let points = state
            .metadata
            .entry("confidenceMetrics")
            .or_insert_with(|| Value::Array(Vec::new()));
        if let Value::Array(points) = points {
            points.push(serde_json::json!({
                "confidenceThreshold": threshold,
                "falsePositiveRate": false_positive_rate,
                "recall": recall,
            }));
        }
    }
}

/// An output parameter of type `T` that the function writes to a file
/// (kfp's `OutputPath(T)`): write the value's text at [`path`](Self::path)
/// and the KFP launcher reads it back. In a container component it is the
/// placeholder of that file.
#[derive(Debug)]
pub struct OutputPath<T> {
    path: PathBuf,
    _type: PhantomData<fn() -> T>,
}

impl<T: Parameter> OutputPath<T> {
    /// An output parameter file at `path` (for testing component functions).
    pub fn new(path: impl Into<PathBuf>) -> Self {
        OutputPath {
            path: path.into(),
            _type: PhantomData,
        }
    }

    /// The file to write the value to (its folder exists).
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Writes `value` as the launcher reads it: strings as they are, other
    /// types as JSON.
    pub fn write(&self, value: &T) -> std::io::Result<()> {
        let text = match value.to_value() {
            Value::String(s) => s,
            other => other.to_string(),
        };
        std::fs::write(&self.path, text)
    }
}
