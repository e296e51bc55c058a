//! Importers (kfp's `dsl.importer`): tasks that register an artifact that
//! already exists at a URI, so that components can take it as an input.

use std::marker::PhantomData;

use kfp_compiler::graph::{self, Binding, ConfigValue, TaskId};
use serde_json::Value;

use crate::artifact::{ArtifactType, artifact_type_of};
use crate::fstring;
use crate::handle::{ArtifactOutput, IntoParam};
use crate::recorder::{TaskHandle, add_importer_task, current_frame_id, report};
use crate::task::TaskSettings;

/// Imports the artifact at `artifact_uri` as an artifact of type `A`
/// (kfp's `dsl.importer(artifact_uri=..., artifact_class=A)`): a task whose
/// [`output`](ImporterTask::output) other tasks take as an `Input<A>`.
///
/// The URI is a literal, or a `String` pipeline input or task output read
/// when the pipeline runs. Like any task it takes the task settings that
/// do not concern a container (caching, display name, `after`, ...).
///
/// ```
/// use kfp_dsl::importer;
/// use kfp_dsl::prelude::*;
///
/// #[component]
/// fn count_lines(text: Input<Dataset>) -> std::io::Result<i64> {
///     Ok(std::fs::read_to_string(text.path())?.lines().count() as i64)
/// }
///
/// #[pipeline]
/// fn count(#[kfp(default = "gs://bucket/shakespeare.txt")] uri: String) {
///     let text = importer::<Dataset>(uri)
///         .reimport(true)
///         .metadata(serde_json::json!({"source": "gutenberg"}));
///     count_lines(text.output());
/// }
///
/// fn main() {
///     let (_, yaml) = kfp_dsl::compile_to_string(count::ENTRY, false).unwrap();
///     assert!(yaml.contains("runtimeParameter: uri"));
///     assert!(yaml.contains("schemaTitle: system.Dataset"));
///     assert!(yaml.contains("reimport: true"));
/// }
/// ```
///
/// # Panics
///
/// Outside a `#[pipeline]` function.
pub fn importer<A: ArtifactType>(artifact_uri: impl IntoParam<String>) -> ImporterTask<A> {
    let component = graph::Component::importer(artifact_type_of::<A>(), graph::Importer::default());
    ImporterTask {
        handle: add_importer_task(component, artifact_uri.into_binding()),
        _type: PhantomData,
    }
}

/// An importer task, made by [`importer`].
pub struct ImporterTask<A> {
    handle: TaskHandle,
    _type: PhantomData<fn() -> A>,
}

impl<A> Clone for ImporterTask<A> {
    fn clone(&self) -> Self {
        *self
    }
}

impl<A> Copy for ImporterTask<A> {}

impl<A> std::fmt::Debug for ImporterTask<A> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ImporterTask")
            .field("task", &self.handle.id())
            .finish_non_exhaustive()
    }
}

impl<A: ArtifactType> ImporterTask<A> {
    /// The imported artifact (kfp's `.output`).
    pub fn output(&self) -> ArtifactOutput<A> {
        ArtifactOutput::__new(self.handle, graph::Component::IMPORTER_OUTPUT)
    }

    /// Registers a new artifact even when one with this URI was imported
    /// before (kfp's `reimport=True`; the default reuses it).
    pub fn reimport(self, reimport: bool) -> Self {
        self.update("reimport", |i| i.reimport = reimport);
        self
    }

    /// Downloads the artifact into the pipeline's workspace (kfp's
    /// `download_to_workspace=True`); the tasks that take it read it from
    /// there. The pipeline needs a workspace
    /// ([`PipelineConfig`](crate::PipelineConfig)), or it is refused when
    /// compiled.
    pub fn download_to_workspace(self, download: bool) -> Self {
        self.update("download_to_workspace", |i| {
            i.download_to_workspace = download;
        });
        self
    }

    /// Adds the entries of `metadata`, a JSON object, to the artifact's
    /// metadata (kfp's `metadata=`). Its strings, keys included, may hold
    /// pipeline inputs, task outputs and loop items formatted into them
    /// (`name.to_string()`, `format!("prefix-{out}")`), read when the
    /// importer runs: each value read gets an input of the importer, named
    /// as kfp names them (`metadata`, `metadata-2`, …) in the order the
    /// object lists them, serde_json's (keys sorted); kfp's is its dict's,
    /// which [`metadata_entry`](Self::metadata_entry) follows. Anything but
    /// an object is reported as a wiring mistake.
    #[track_caller]
    pub fn metadata(self, metadata: Value) -> Self {
        match metadata {
            Value::Object(map) => self.add_metadata(map.into_iter().collect()),
            other => report(format!(
                "the metadata of an importer is a JSON object, not {other}"
            )),
        }
        self
    }

    /// Adds the entry `key: value` to the artifact's metadata, after those
    /// added before, as [`metadata`](Self::metadata) adds an object's: so
    /// that the values read get their inputs in the order of kfp's dict.
    #[track_caller]
    pub fn metadata_entry(self, key: impl Into<String>, value: impl Into<Value>) -> Self {
        self.add_metadata(vec![(key.into(), value.into())]);
        self
    }

    /// Adds `entries` to the metadata, each pipeline value formatted into
    /// one of its strings replaced by the placeholder of the input that
    /// reads it (one input per value, as kfp minimizes them).
    #[track_caller]
    fn add_metadata(&self, entries: Vec<(String, Value)>) {
        let frame = current_frame_id();
        let errors = self
            .handle
            .update_in_pipeline("metadata", |pipeline, task| {
                let mut reads = MetadataReads::of(pipeline, task);
                let entries: Vec<(String, Value)> = entries
                    .into_iter()
                    .map(|(key, value)| {
                        let key = reads.text(pipeline, frame, key);
                        (
                            key,
                            map_strings(value, &mut |s| reads.text(pipeline, frame, s)),
                        )
                    })
                    .collect();
                let component = pipeline.task(task).component;
                if let graph::Implementation::Importer(importer) =
                    &mut pipeline.components[component.0].implementation
                {
                    importer.metadata.get_or_insert_default().extend(entries);
                }
                reads.bind(pipeline, task)
            });
        for error in errors.into_iter().flatten() {
            report(error);
        }
    }

    /// Changes the importer's settings, which its own component holds.
    fn update(&self, what: &str, f: impl FnOnce(&mut graph::Importer)) {
        self.handle.update_component(what, |component| {
            if let graph::Implementation::Importer(importer) = &mut component.implementation {
                f(importer);
            }
        });
    }
}

/// The inputs through which an importer's metadata reads pipeline values:
/// those of its task so far, and those added now, which its task has still
/// to bind.
struct MetadataReads {
    /// The task.
    task: TaskId,
    /// Each input's name and what it reads.
    reads: Vec<(String, Binding)>,
    /// How many of `reads` the task binds already.
    bound: usize,
    /// What could not be read, for the pipeline's errors.
    errors: Vec<String>,
}

impl MetadataReads {
    /// The metadata inputs importer task `task` binds already (every input
    /// but its URI).
    fn of(pipeline: &graph::Pipeline, task: TaskId) -> Self {
        let reads: Vec<(String, Binding)> = pipeline
            .task(task)
            .arguments
            .iter()
            .filter(|(name, _)| name != graph::Component::IMPORTER_URI)
            .map(|(name, binding)| (name.to_string(), binding.clone()))
            .collect();
        Self {
            task,
            bound: reads.len(),
            reads,
            errors: Vec::new(),
        }
    }

    /// `text` with each pipeline value formatted into it (of pipeline
    /// `frame`) replaced by the placeholder of the input that reads it,
    /// declared on the importer's component if it is new.
    fn text(&mut self, pipeline: &mut graph::Pipeline, frame: u64, text: String) -> String {
        if !fstring::holds_token(&text) {
            return text;
        }
        let parts = match fstring::parse(&text, frame) {
            Ok(parts) => parts,
            Err(error) => {
                self.errors.push(error);
                return text;
            }
        };
        parts
            .into_iter()
            .map(|part| match part {
                ConfigValue::Literal(literal) => literal,
                value => match self.input(pipeline, value) {
                    Some(name) => kfp_ir_schema::placeholder::input_parameter(&name),
                    None => String::new(),
                },
            })
            .collect()
    }

    /// The input that reads `value`: the one that reads it already, else a
    /// new input of its type.
    fn input(&mut self, pipeline: &mut graph::Pipeline, value: ConfigValue) -> Option<String> {
        let Some(kind) = pipeline.parameter_kind(&value) else {
            self.errors.push(
                "the metadata of an importer reads a pipeline value that is no parameter of \
                 this pipeline"
                    .to_owned(),
            );
            return None;
        };
        let binding = match value {
            ConfigValue::Literal(text) => Binding::Constant(text.into()),
            ConfigValue::PipelineParameter(name) => Binding::PipelineParameter(name.into()),
            ConfigValue::TaskOutput { task, output } => {
                Binding::task_output_parameter(task, output)
            }
            ConfigValue::LoopItem(group) => Binding::LoopItem(group),
        };
        if let Some((name, _)) = self.reads.iter().find(|(_, read)| *read == binding) {
            return Some(name.clone());
        }
        let component = pipeline.task(self.task).component;
        let name = pipeline.components[component.0].add_importer_metadata_input(kind);
        self.reads.push((name.clone(), binding));
        Some(name)
    }

    /// Binds the new inputs on the task; the errors met.
    fn bind(self, pipeline: &mut graph::Pipeline, task: TaskId) -> Vec<String> {
        let task = pipeline.task_mut(task);
        for (name, binding) in self.reads.into_iter().skip(self.bound) {
            task.set_argument(name, binding);
        }
        self.errors
    }
}

/// `value` with `text` applied to each of its strings, object keys
/// included, each key before its value (kfp's order).
fn map_strings(value: Value, text: &mut impl FnMut(String) -> String) -> Value {
    match value {
        Value::String(s) => Value::String(text(s)),
        Value::Array(items) => {
            Value::Array(items.into_iter().map(|v| map_strings(v, text)).collect())
        }
        Value::Object(fields) => Value::Object(
            fields
                .into_iter()
                .map(|(key, value)| {
                    let key = text(key);
                    (key, map_strings(value, text))
                })
                .collect(),
        ),
        other => other,
    }
}

impl<A> TaskSettings for ImporterTask<A> {
    fn task_handle(&self) -> TaskHandle {
        self.handle
    }
}
