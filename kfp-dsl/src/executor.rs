//! The executor side: what runs inside the container when KFP starts a
//! Rust-native component (`--executor_input {{$}} --function_to_execute f`).
//!
//! It reads the executor input, maps artifact URIs to the local paths where
//! the KFP launcher puts the files (kfp-ir-schema's [`local_path`]: `gs://`
//! → `/gcs/`, `s3://` → `/s3/`, `minio://` → `/minio/`, `oci://` →
//! `/oci/…/models`; a local run's absolute paths and `file://` URIs as
//! they are; any other scheme, and a `..` segment, refused), calls the
//! component's function, and writes the executor output file the launcher
//! reads back.

use std::cell::RefCell;
use std::marker::PhantomData;
use std::path::{Path, PathBuf};
use std::rc::Rc;

use kfp_ir_schema::executor::{ArtifactList, RuntimeArtifact};
pub use kfp_ir_schema::executor::{ExecutorInput, ExecutorOutput, UriError, local_path};
use serde_json::{Map, Value};

use crate::artifact::{ArtifactType, ClassificationMetrics, Metrics};
use crate::param::{ParamValueError, Parameter};

/// Runs a component's function on a parsed executor input.
pub type ExecutorFn = fn(&ExecutorInput) -> Result<ExecutorOutput, ExecutorError>;

/// Why a component could not run.
#[derive(Debug, thiserror::Error)]
pub enum ExecutorError {
    /// The executor input is not valid JSON of the expected shape.
    #[error("the executor input is not valid: {0}")]
    BadInput(#[source] serde_json::Error),
    /// The executor output could not be serialized.
    #[error("the executor output cannot be written as JSON: {0}")]
    Serialize(#[source] serde_json::Error),
    /// A required input parameter is missing.
    #[error("the executor input has no value for the input parameter `{0}`")]
    MissingParameter(String),
    /// An input parameter has a value of the wrong type.
    #[error(
        "the input parameter `{name}` has the wrong type: {}",
        source.describe(Some(name))
    )]
    ParameterType {
        /// The input's name.
        name: String,
        /// What is wrong.
        #[source]
        source: Box<ParamValueError>,
    },
    /// An artifact's URI has no local path: a storage scheme KFP does not
    /// mount, or a `..` segment.
    #[error("the {direction} artifact `{name}`: {source}")]
    ArtifactUri {
        /// `input` or `output`.
        direction: &'static str,
        /// The artifact's name.
        name: String,
        /// Why the URI has no local path.
        #[source]
        source: UriError,
    },
    /// An input or output artifact is missing.
    #[error("the executor input has no {direction} artifact `{name}`")]
    MissingArtifact {
        /// `input` or `output`.
        direction: &'static str,
        /// The artifact's name.
        name: String,
    },
    /// The executor input gives no file for an output parameter.
    #[error("the executor input has no output file for the output parameter `{0}`")]
    MissingOutputParameter(String),
    /// The executor input has no `outputs.outputFile`.
    #[error("the executor input has no `outputs.outputFile`")]
    NoOutputFile,
    /// No component of this pipeline is called that.
    #[error("no Rust-native component called `{name}` in this pipeline (known: {known})")]
    UnknownFunction {
        /// The name asked for.
        name: String,
        /// The names that exist, comma-separated.
        known: String,
    },
    /// The component's function returned an error.
    #[error("the component failed: {0}")]
    Failed(String),
    /// Reading or writing a file failed.
    #[error("{what} `{path}`: {source}")]
    Io {
        /// What was being done.
        what: &'static str,
        /// The file.
        path: PathBuf,
        /// The error.
        #[source]
        source: std::io::Error,
    },
}

/// The local path of an artifact: its `custom_path` when set (KFP 2.15+),
/// else the path the launcher derives from its URI ([`local_path`]).
fn artifact_path(
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

    fn shared(&self) -> Self {
        Output {
            state: Rc::clone(&self.state),
            _type: PhantomData,
        }
    }

    /// The artifact as written back: name, URI and metadata.
    fn written(&self) -> RuntimeArtifact {
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

/// The executor's view of one run: the parsed input and the outputs handed
/// to the function, to collect when it returns.
#[doc(hidden)]
pub struct Run<'a> {
    input: &'a ExecutorInput,
    outputs: Vec<(String, Box<dyn Fn() -> RuntimeArtifact>)>,
}

impl<'a> Run<'a> {
    /// Starts a run.
    pub fn new(input: &'a ExecutorInput) -> Self {
        Run {
            input,
            outputs: Vec::new(),
        }
    }

    /// The value of the input parameter `name`; absent or `null` values of
    /// optional inputs are `None`.
    pub fn param<T: Parameter>(&self, name: &str) -> Result<T, ExecutorError> {
        let value = self.parameter_value(name).cloned().unwrap_or(Value::Null);
        if value.is_null() && !T::OPTIONAL {
            return Err(ExecutorError::MissingParameter(name.to_owned()));
        }
        T::from_value(value).map_err(|source| ExecutorError::ParameterType {
            name: name.to_owned(),
            source: Box::new(source),
        })
    }

    /// The input parameter `name`, or the default (as JSON) when absent.
    pub fn param_with_default<T: Parameter>(
        &self,
        name: &str,
        default: Value,
    ) -> Result<T, ExecutorError> {
        match self.parameter_value(name) {
            None | Some(Value::Null) => {
                T::from_value(default).map_err(|source| ExecutorError::ParameterType {
                    name: name.to_owned(),
                    source: Box::new(source),
                })
            }
            Some(_) => self.param(name),
        }
    }

    fn parameter_value(&self, name: &str) -> Option<&Value> {
        self.input.inputs.as_ref()?.parameter_values.get(name)
    }

    fn input_list(&self, name: &str) -> Option<&ArtifactList> {
        self.input.inputs.as_ref()?.artifacts.get(name)
    }

    fn first(
        list: Option<&ArtifactList>,
        direction: &'static str,
        name: &str,
    ) -> Result<RuntimeArtifact, ExecutorError> {
        list.and_then(|l| l.artifacts.first())
            .cloned()
            .ok_or_else(|| ExecutorError::MissingArtifact {
                direction,
                name: name.to_owned(),
            })
    }

    /// The input artifact `name`.
    pub fn input_artifact<A: ArtifactType>(&self, name: &str) -> Result<Input<A>, ExecutorError> {
        Self::input(name, Self::first(self.input_list(name), "input", name)?)
    }

    /// The input `input` given as `artifact`, at its local path.
    fn input<A: ArtifactType>(
        input: &str,
        artifact: RuntimeArtifact,
    ) -> Result<Input<A>, ExecutorError> {
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

    /// The list-of-artifacts input `name` (empty when none was given).
    pub fn input_artifacts<A: ArtifactType>(
        &self,
        name: &str,
    ) -> Result<Vec<Input<A>>, ExecutorError> {
        let list = self
            .input_list(name)
            .map(|l| l.artifacts.clone())
            .unwrap_or_default();
        list.into_iter().map(|a| Self::input(name, a)).collect()
    }

    /// The optional input artifact `name`.
    pub fn optional_input_artifact<A: ArtifactType>(
        &self,
        name: &str,
    ) -> Result<Option<Input<A>>, ExecutorError> {
        match self.input_list(name) {
            Some(l) if !l.artifacts.is_empty() => self.input_artifact(name).map(Some),
            _ => Ok(None),
        }
    }

    /// The output artifact `name`; its parent folder is created.
    pub fn output_artifact<A: ArtifactType>(
        &mut self,
        name: &str,
    ) -> Result<Output<A>, ExecutorError> {
        let list = self
            .input
            .outputs
            .as_ref()
            .and_then(|o| o.artifacts.get(name));
        let a = Self::first(list, "output", name)?;
        let out: Output<A> = Output::with_path(name.to_owned(), a.uri, a.custom_path.as_deref())?;
        {
            let mut state = out.state.borrow_mut();
            state.name = a.name;
            state.metadata = a.metadata.unwrap_or_default();
        }
        let path = out.path();
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent).map_err(|source| ExecutorError::Io {
                what: "creating the folder of the output artifact",
                path: parent.to_owned(),
                source,
            })?;
        }
        let kept = out.shared();
        self.outputs
            .push((name.to_owned(), Box::new(move || kept.written())));
        Ok(out)
    }

    /// The file of the output parameter `name`; its folder is created.
    pub fn output_parameter<T: Parameter>(
        &self,
        name: &str,
    ) -> Result<OutputPath<T>, ExecutorError> {
        let file = self
            .input
            .outputs
            .as_ref()
            .and_then(|o| o.parameters.get(name))
            .map(|p| p.output_file.clone())
            .filter(|f| !f.is_empty())
            .ok_or_else(|| ExecutorError::MissingOutputParameter(name.to_owned()))?;
        // A local path the launcher chose (`/tmp/kfp/outputs/NAME`), not a URI.
        let path = PathBuf::from(file);
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent).map_err(|source| ExecutorError::Io {
                what: "creating the folder of the output parameter",
                path: parent.to_owned(),
                source,
            })?;
        }
        Ok(OutputPath::new(path))
    }

    /// Collects the outputs once the function has returned.
    pub fn finish(self, params: Vec<(&'static str, Value)>) -> ExecutorOutput {
        ExecutorOutput {
            parameter_values: params.into_iter().map(|(k, v)| (k.to_owned(), v)).collect(),
            artifacts: self
                .outputs
                .into_iter()
                .map(|(name, written)| {
                    (
                        name,
                        ArtifactList {
                            artifacts: vec![written()],
                        },
                    )
                })
                .collect(),
            ..ExecutorOutput::default()
        }
    }
}

/// Parses an executor input, runs `run` on it and writes the executor output
/// where the input says.
pub fn execute(executor_input: &str, run: ExecutorFn) -> Result<ExecutorOutput, ExecutorError> {
    let input: ExecutorInput =
        serde_json::from_str(executor_input).map_err(ExecutorError::BadInput)?;
    let output_file = input
        .outputs
        .as_ref()
        .map(|o| o.output_file.clone())
        .filter(|f| !f.is_empty())
        .ok_or(ExecutorError::NoOutputFile)?;
    let output = run(&input)?;
    // A local path the launcher chose, not a URI.
    let path = PathBuf::from(output_file);
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent).map_err(|source| ExecutorError::Io {
            what: "creating the folder of the executor output",
            path: parent.to_owned(),
            source,
        })?;
    }
    let json = serde_json::to_string(&output).map_err(ExecutorError::Serialize)?;
    std::fs::write(&path, json).map_err(|source| ExecutorError::Io {
        what: "writing the executor output",
        path: path.clone(),
        source,
    })?;
    Ok(output)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{Dataset, Model};
    use serde_json::json;

    /// An executor input with the input artifact `ds` at `input_uri` and the
    /// output artifact `model` at `output_uri`.
    fn with_uris(input_uri: &str, output_uri: &str) -> ExecutorInput {
        serde_json::from_value(json!({
            "inputs": {"artifacts": {"ds": {"artifacts": [{"name": "ds", "uri": input_uri}]}}},
            "outputs": {"artifacts": {"model": {"artifacts": [{"name": "model", "uri": output_uri}]}}}
        }))
        .unwrap()
    }

    /// The probe: the `modelcar` example could not find its model on a
    /// cluster, which mounts `oci://` models at `/oci/<path, / as _>/models`.
    #[test]
    fn uris_map_as_the_launcher_maps_them() {
        let input = with_uris(
            "oci://registry.domain.local/modelcar:test",
            "/tmp/run/model",
        );
        let run = Run::new(&input);
        let model: Input<Model> = run.input_artifact("ds").unwrap();
        assert_eq!(
            model.path(),
            Path::new("/oci/registry.domain.local_modelcar:test/models")
        );
        for (uri, path) in [
            ("gs://b/k", "/gcs/b/k"),
            ("s3://b/k", "/s3/b/k"),
            ("minio://mlpipeline/v2/x", "/minio/mlpipeline/v2/x"),
            ("file:///data/x.csv", "/data/x.csv"),
            ("/tmp/local/run/x", "/tmp/local/run/x"),
        ] {
            let input: Input<Dataset> = Input::new("x", uri).unwrap();
            assert_eq!(input.path(), Path::new(path), "{uri}");
        }
    }

    /// The probe: `gs://b/../../etc/passwd` was resolved to `/etc/passwd`.
    #[test]
    fn a_uri_that_goes_up_or_has_no_mount_is_refused_naming_the_artifact() {
        let input = with_uris("gs://b/../../etc/passwd", "/tmp/run/model");
        let err = Run::new(&input)
            .input_artifact::<Dataset>("ds")
            .unwrap_err();
        assert_eq!(
            err.to_string(),
            "the input artifact `ds`: artifact URI `gs://b/../../etc/passwd` has a `..` segment; KFP paths never go up"
        );
        let input = with_uris("gs://b/ds", "https://example.com/model");
        let err = Run::new(&input)
            .output_artifact::<Model>("model")
            .unwrap_err();
        assert_eq!(
            err.to_string(),
            "the output artifact `model`: artifact URI `https://example.com/model` has a storage scheme KFP cannot mount (expected gs://, s3://, minio://, oci://, file:// or an absolute path)"
        );
        let err = Run::new(&input).input_artifacts::<Dataset>("ds");
        assert!(err.is_ok(), "a list maps each of its artifacts");
        let input = with_uris("relative/ds", "/tmp/run/model");
        let err = Run::new(&input)
            .input_artifacts::<Dataset>("ds")
            .unwrap_err();
        assert!(
            matches!(
                err,
                ExecutorError::ArtifactUri {
                    direction: "input",
                    ..
                }
            ),
            "{err}"
        );
    }

    fn sample(dir: &Path) -> String {
        json!({
            "inputs": {
                "parameterValues": {"n": 2.0, "tag": "t"},
                "artifacts": {"ds": {"artifacts": [{"name": "ds", "uri": "gs://b/ds", "metadata": {"rows": 2}}]}}
            },
            "outputs": {
                "parameters": {"Output": {"outputFile": "/tmp/kfp/outputs/Output"}},
                "artifacts": {"model": {"artifacts": [{"name": "model", "type": {"schemaTitle": "system.Model"},
                    "uri": dir.join("out/model").to_str().unwrap(), "metadata": {}}]}},
                "outputFile": dir.join("meta/executor_output.json").to_str().unwrap()
            }
        })
        .to_string()
    }

    fn component(input: &ExecutorInput) -> Result<ExecutorOutput, ExecutorError> {
        let mut run = Run::new(input);
        let n: i64 = run.param("n")?;
        let missing: Option<String> = run.param("absent")?;
        let ds: Input<Dataset> = run.input_artifact("ds")?;
        let model: Output<Model> = run.output_artifact("model")?;
        assert_eq!(ds.path(), Path::new("/gcs/b/ds"));
        assert_eq!(missing, None);
        std::fs::write(model.path(), "weights").unwrap();
        model.set_metadata("n", n);
        Ok(run.finish(vec![("Output", json!(n * 2))]))
    }

    #[test]
    fn executes_and_writes_the_executor_output() {
        let dir = tempfile::tempdir().unwrap();
        let out = execute(&sample(dir.path()), component).unwrap();
        assert_eq!(out.parameter_values["Output"], json!(4));
        let written: Value = serde_json::from_str(
            &std::fs::read_to_string(dir.path().join("meta/executor_output.json")).unwrap(),
        )
        .unwrap();
        assert_eq!(
            written["artifacts"]["model"]["artifacts"][0]["metadata"]["n"],
            json!(2)
        );
        assert_eq!(written["parameterValues"]["Output"], json!(4));
        assert_eq!(
            std::fs::read_to_string(dir.path().join("out/model")).unwrap(),
            "weights"
        );
    }

    #[test]
    fn classification_metrics_are_logged_as_kfp_shows_them() {
        let m: Output<ClassificationMetrics> = Output::new("m", "/tmp/m").unwrap();
        m.log_confusion_matrix(&["cat", "dog"], &[vec![9.0, 1.0], vec![2.0, 8.0]]);
        m.log_roc_data_point(0.1, 0.8, 0.5);
        m.log_roc_data_point(0.2, 0.9, 0.3);
        let meta = Value::Object(m.metadata());
        assert_eq!(
            meta["confusionMatrix"],
            json!({"annotationSpecs": [{"displayName": "cat"}, {"displayName": "dog"}],
                   "rows": [{"row": [9.0, 1.0]}, {"row": [2.0, 8.0]}]})
        );
        assert_eq!(meta["confidenceMetrics"][1]["recall"], json!(0.9));
    }

    #[test]
    fn a_roc_curve_is_logged_point_by_point_and_needs_lists_of_one_length() {
        let m: Output<ClassificationMetrics> = Output::new("m", "/tmp/m").unwrap();
        m.log_roc_curve(&[0.0, 0.5], &[0.4, 1.0], &[0.9, 0.1])
            .unwrap();
        let meta = Value::Object(m.metadata());
        assert_eq!(
            meta["confidenceMetrics"],
            json!([
                {"confidenceThreshold": 0.9, "falsePositiveRate": 0.0, "recall": 0.4},
                {"confidenceThreshold": 0.1, "falsePositiveRate": 0.5, "recall": 1.0}
            ])
        );
        let error = m
            .log_roc_curve(&[0.0], &[0.4, 1.0], &[0.9, 0.1])
            .unwrap_err();
        assert!(
            error.to_string().contains("false positive rates (1)"),
            "{error}"
        );
        assert_eq!(
            Value::Object(m.metadata())["confidenceMetrics"]
                .as_array()
                .unwrap()
                .len(),
            2
        );
    }

    #[test]
    fn an_output_written_elsewhere_tells_the_launcher_where() {
        let data: Output<Dataset> = Output::new("data", "gs://b/run/data").unwrap();
        assert_eq!(data.written().custom_path, None);
        data.set_path("/tmp/data.csv");
        data.set_uri("gs://b/elsewhere");
        let written = data.written();
        assert_eq!(written.custom_path.as_deref(), Some("/tmp/data.csv"));
        assert_eq!(written.uri, "gs://b/elsewhere");
        assert_eq!(data.path(), Path::new("/tmp/data.csv"));
    }

    #[test]
    fn a_custom_path_wins_over_the_uri() {
        let input: ExecutorInput = serde_json::from_value(json!({
            "inputs": {"artifacts": {"ds": {"artifacts": [
                {"name": "ds", "uri": "gs://b/ds", "custom_path": "/data/ds"}
            ]}}}
        }))
        .unwrap();
        let run = Run::new(&input);
        let ds: Input<Dataset> = run.input_artifact("ds").unwrap();
        assert_eq!(ds.path(), Path::new("/data/ds"));
        assert_eq!(ds.uri(), "gs://b/ds");
    }

    /// What kfp.local sends for a `List[int]` input, and a value with a
    /// fraction where an integer belongs.
    #[test]
    fn integers_inside_values_may_come_as_whole_floats_only() {
        let input: ExecutorInput = serde_json::from_value(json!({
            "inputs": {"parameterValues": {"nums": [8.0, 10.0, 12.0], "bad": [1.0, 2.5]}}
        }))
        .unwrap();
        let run = Run::new(&input);
        assert_eq!(run.param::<Vec<i64>>("nums").unwrap(), [8, 10, 12]);
        let err = run.param::<Vec<i64>>("bad").unwrap_err();
        assert_eq!(
            err.to_string(),
            "the input parameter `bad` has the wrong type: at `bad[1]`: invalid type: floating point `2.5`, expected i64"
        );
    }

    #[test]
    fn bad_input_is_a_clear_error() {
        let err = execute("{not json", component).unwrap_err();
        assert!(
            err.to_string()
                .starts_with("the executor input is not valid")
        );
        let err = execute(r#"{"outputs": {"outputFile": "/tmp/x"}}"#, component).unwrap_err();
        assert_eq!(
            err.to_string(),
            "the executor input has no value for the input parameter `n`"
        );
    }
}
