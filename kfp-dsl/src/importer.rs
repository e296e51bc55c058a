//! Importers (kfp's `dsl.importer`): tasks that register an artifact that
//! already exists at a URI, so that components can take it as an input.

use std::marker::PhantomData;

use kfp_compiler::graph;
use serde_json::Value;

use crate::artifact::{ArtifactType, artifact_type_of};
use crate::handle::{ArtifactOutput, IntoParam};
use crate::recorder::{TaskHandle, add_importer_task, report};
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

    /// The artifact's metadata: a JSON object of constants (kfp's
    /// `metadata=`). Anything but an object is reported as a wiring
    /// mistake.
    pub fn metadata(self, metadata: Value) -> Self {
        match metadata {
            Value::Object(map) => self.update("metadata", |i| i.metadata = Some(map)),
            other => report(format!(
                "the metadata of an importer is a JSON object, not {other}"
            )),
        }
        self
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

impl<A> TaskSettings for ImporterTask<A> {
    fn task_handle(&self) -> TaskHandle {
        self.handle
    }
}
