//! Components read from YAML files: kfp's compiled components and
//! pipelines, and its legacy v1 components.
//!
//! Two ways, one reader (`kfp_ir_schema::component`):
//!
//! * [`load_component!`](crate::load_component) reads the file when the
//!   crate is built and generates a typed component, which rustc checks
//!   like a `#[component]`; the generated code embeds the file, and reads
//!   it again here ([`embedded`]) when a pipeline using it is recorded.
//! * [`LoadedComponent`] reads a file, a string or bytes when the program
//!   runs; a task of it is wired by input name ([`LoadedCall`]), and the
//!   wiring is checked when the pipeline is recorded: an unknown input or
//!   output, one of the wrong kind or type, a required input left unset,
//!   each reported naming the input, as a wiring mistake of the pipeline.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};

use kfp_compiler::graph::{self, Binding};
use kfp_ir_schema::CompactString;
use kfp_ir_schema::component as loaded;
use kfp_ir_schema::suggest::did_you_mean;
use kfp_ir_schema::validate::ValidationError;

use crate::artifact::{ArtifactType, artifact_type_of};
use crate::control::{CollectedArtifacts, OneOf};
use crate::handle::{
    AcceptsArtifact, ArtifactListOutput, ArtifactOutput, IntoArtifact, IntoArtifactList, IntoParam,
    ParamOutput, PipelineArtifact, PipelineArtifacts,
};
use crate::param::Parameter;
use crate::recorder::{self, ComponentKey, TaskHandle, report};
use crate::task::TaskSettings;

/// Why a component file could not be loaded.
#[derive(Debug, thiserror::Error)]
pub enum LoadError {
    /// The file could not be read.
    #[error("cannot read {}: {source}", path.display())]
    Read {
        /// The file.
        path: PathBuf,
        /// Why.
        source: std::io::Error,
    },
    /// The file is not a component kfp can load; every problem, with its
    /// line when known.
    #[error("{origin}: {error}")]
    Invalid {
        /// The file, or `<text>` for text given directly.
        origin: String,
        /// What is wrong.
        error: ValidationError,
    },
}

/// A component loaded when the program runs, from a file, a string or
/// bytes: kfp's compiled component or pipeline, or a legacy v1 component
/// (kfp's `load_component_from_file`/`_text`).
///
/// A task of it is wired by name: [`task`](Self::task) starts a call, its
/// methods set inputs, [`add`](LoadedCall::add) adds the task to the
/// pipeline being recorded, and the task's outputs are read by name.
/// Every name and type is checked against the file when the pipeline is
/// recorded; a mistake makes the pipeline fail to compile with a message
/// naming the input or output.
///
/// ```
/// use kfp_dsl::LoadedComponent;
/// use kfp_dsl::prelude::*;
///
/// const TRAIN: &str = r#"
/// name: Train
/// inputs:
/// - {name: data, type: Dataset}
/// - {name: epochs, type: Integer, default: '10'}
/// outputs:
/// - {name: model, type: Model}
/// implementation:
///   container:
///     image: ghcr.io/acme/train:1
///     args: [{inputPath: data}, {inputValue: epochs}, {outputPath: model}]
/// "#;
///
/// #[container_component]
/// fn download(data: Output<Dataset>) -> ContainerSpec {
///     ContainerSpec::new("alpine").command(("touch", data.path()))
/// }
///
/// #[pipeline]
/// fn training() {
///     let train = LoadedComponent::from_yaml(TRAIN).unwrap_or_else(|e| panic!("{e}"));
///     let data = download().outputs().data;
///     let trained = train.task().artifact("data", data).param::<i64>("epochs", 3).add();
///     let _model: ArtifactOutput<Model> = trained.output_artifact("model");
/// }
///
/// fn main() {
///     let file = kfp_dsl::compile(training::ENTRY).unwrap();
///     assert!(file.spec.components.contains_key("comp-train"));
/// }
/// ```
#[derive(Clone, Debug)]
pub struct LoadedComponent {
    inner: Arc<Inner>,
}

#[derive(Debug)]
struct Inner {
    /// Its load number: tasks of one loaded component share its graph
    /// component.
    id: u64,
    component: graph::Component,
}

static NEXT_LOAD: AtomicU64 = AtomicU64::new(1);

impl LoadedComponent {
    /// Reads the component file at `path`.
    ///
    /// # Errors
    /// When the file cannot be read or is not a component (every problem,
    /// with its line when known, after the file's name).
    pub fn from_file(path: impl AsRef<Path>) -> Result<Self, LoadError> {
        let path = path.as_ref();
        let bytes = std::fs::read(path).map_err(|source| LoadError::Read {
            path: path.to_owned(),
            source,
        })?;
        Self::read(&bytes, &path.display().to_string())
    }

    /// Reads a component from its YAML text.
    ///
    /// # Errors
    /// When the text is not a component (every problem, with its line).
    pub fn from_yaml(text: &str) -> Result<Self, LoadError> {
        Self::read(text.as_bytes(), "<text>")
    }

    /// Reads a component from the bytes of its file.
    ///
    /// # Errors
    /// When the bytes are not a component (every problem, with its line).
    pub fn from_bytes(bytes: &[u8]) -> Result<Self, LoadError> {
        Self::read(bytes, "<bytes>")
    }

    fn read(bytes: &[u8], origin: &str) -> Result<Self, LoadError> {
        let component = loaded::load_bytes(bytes).map_err(|error| LoadError::Invalid {
            origin: origin.to_owned(),
            error,
        })?;
        Ok(LoadedComponent {
            inner: Arc::new(Inner {
                id: NEXT_LOAD.fetch_add(1, Ordering::Relaxed),
                component: graph::Component::from_loaded(component),
            }),
        })
    }

    /// The component's name, as its file gives it.
    pub fn name(&self) -> &str {
        &self.inner.component.name
    }

    /// The component as the graph holds it: its inputs, outputs and how it
    /// runs.
    pub fn component(&self) -> &graph::Component {
        &self.inner.component
    }

    /// Starts a task of the component: set its inputs, then
    /// [`add`](LoadedCall::add) it to the pipeline being recorded.
    pub fn task(&self) -> LoadedCall {
        LoadedCall {
            component: self.clone(),
            bindings: Vec::new(),
            mistakes: Vec::new(),
        }
    }

    /// "component `name`", for messages.
    fn what(&self) -> String {
        format!("component `{}`", self.name())
    }
}

/// A task of a [`LoadedComponent`] being wired: its inputs, by name.
#[must_use = "a call adds no task until `add` is called"]
pub struct LoadedCall {
    component: LoadedComponent,
    bindings: Vec<(CompactString, Option<Binding>)>,
    mistakes: Vec<String>,
}

impl LoadedCall {
    /// Sets the input parameter `name` to `value`, a `T` (a value, a
    /// pipeline input or a task output). The input must be a parameter of
    /// type `T`.
    pub fn param<T: Parameter>(mut self, name: &str, value: impl IntoParam<T>) -> Self {
        let component = &self.component.inner.component;
        match component.input(name) {
            Some(input) if input.kind == T::KIND => self.set(name, value.into_binding()),
            Some(input) => self.mistakes.push(format!(
                "input `{name}` of {} is {}, but it is given {} (`{}`)",
                self.component.what(),
                kind_words(input.kind),
                kind_words(T::KIND),
                std::any::type_name::<T>()
            )),
            None => self.unknown_input(name, "parameter"),
        }
        self
    }

    /// Sets the input artifact `name` to `value`, an artifact of a known
    /// type (a task's output, a pipeline's input, a OneOf). The input must
    /// take it (kfp's rule: the same type, or `system.Artifact` on either
    /// side).
    pub fn artifact<G: GivenArtifact>(mut self, name: &str, value: G) -> Self {
        let binding = IntoArtifact::<G::Type>::into_binding(value);
        self.set_artifact(name, artifact_type_of::<G::Type>(), false, binding);
        self
    }

    /// Sets the list-of-artifacts input `name` to `value`, artifacts of a
    /// known type (a list output, a pipeline's list input, artifacts
    /// collected out of a loop).
    pub fn artifacts<G: GivenArtifacts>(mut self, name: &str, value: G) -> Self {
        let binding = IntoArtifactList::<G::Type>::into_binding(value);
        self.set_artifact(name, artifact_type_of::<G::Type>(), true, binding);
        self
    }

    fn set_artifact(
        &mut self,
        name: &str,
        given: graph::ArtifactType,
        list: bool,
        binding: Option<Binding>,
    ) {
        let component = &self.component.inner.component;
        match component.input_artifact(name) {
            Some(input)
                if graph::ArtifactType::compatible(
                    &given,
                    list,
                    &input.artifact_type,
                    input.is_list,
                ) =>
            {
                self.set(name, binding);
            }
            Some(input) => self.mistakes.push(format!(
                "input `{name}` of {} takes {}, but it is given {}",
                self.component.what(),
                artifact_words(&input.artifact_type, input.is_list),
                artifact_words(&given, list)
            )),
            None => self.unknown_input(name, "artifact"),
        }
    }

    fn set(&mut self, name: &str, binding: Option<Binding>) {
        self.bindings.retain(|(n, _)| n != name);
        self.bindings.push((name.into(), binding));
    }

    fn unknown_input(&mut self, name: &str, wanted: &str) {
        let component = &self.component.inner.component;
        let other = if wanted == "parameter" {
            component
                .input_artifact(name)
                .map(|_| "an artifact: set it with `.artifact`")
        } else {
            component
                .input(name)
                .map(|_| "a parameter: set it with `.param`")
        };
        let names = input_names(component);
        let message = match other {
            Some(is) => format!("input `{name}` of {} is {is}", self.component.what()),
            None => format!(
                "{} has no input `{name}`{}; its inputs are: {}",
                self.component.what(),
                hint(name, &names),
                list_or_none(&names)
            ),
        };
        self.mistakes.push(message);
    }

    /// Adds the task to the pipeline being recorded. A required input left
    /// unset, and every mistake made in the call, is reported as a wiring
    /// mistake of the pipeline (naming the input); the task is added all
    /// the same, so that its outputs can be wired.
    ///
    /// # Panics
    /// When no pipeline is being recorded (outside a `#[pipeline]`
    /// function).
    pub fn add(mut self) -> LoadedTask {
        let component = &self.component.inner.component;
        let set: BTreeSet<&str> = self.bindings.iter().map(|(n, _)| n.as_str()).collect();
        let required = component
            .inputs
            .iter()
            .filter(|i| !i.is_optional())
            .map(|i| i.name.as_str())
            .chain(
                component
                    .input_artifacts
                    .iter()
                    .filter(|a| !a.optional)
                    .map(|a| a.name.as_str()),
            );
        let missing: Vec<String> = required
            .filter(|name| !set.contains(name))
            .map(|name| {
                format!(
                    "the required input `{name}` of {} is not set",
                    self.component.what()
                )
            })
            .collect();
        self.mistakes.extend(missing);
        for mistake in self.mistakes {
            report(mistake);
        }
        let inner = Arc::clone(&self.component.inner);
        let id = recorder::component_id(ComponentKey::Loaded(inner.id), || {
            (inner.component.clone(), None)
        });
        let handle = recorder::add_task_of(id, self.bindings.into_iter());
        LoadedTask {
            handle,
            component: self.component,
        }
    }
}

/// An artifact given to an input of a [`LoadedComponent`]'s task, whose
/// own type is known, so that [`LoadedCall::artifact`] needs no type
/// annotation: the type is checked against the file when the pipeline is
/// recorded.
pub trait GivenArtifact: IntoArtifact<Self::Type> {
    /// The artifact type of the value.
    type Type: ArtifactType;
}

/// Artifacts given to a list-of-artifacts input of a
/// [`LoadedComponent`]'s task ([`LoadedCall::artifacts`]).
pub trait GivenArtifacts: IntoArtifactList<Self::Type> {
    /// The artifact type of the values.
    type Type: ArtifactType;
}

macro_rules! given {
    ($trait:ident: $($handle:ident),*) => {$(
        impl<B: ArtifactType + AcceptsArtifact<B>> $trait for $handle<B> {
            type Type = B;
        }
    )*};
}
given!(GivenArtifact: ArtifactOutput, PipelineArtifact);
given!(GivenArtifacts: ArtifactListOutput, PipelineArtifacts, CollectedArtifacts);

impl<B: ArtifactType + AcceptsArtifact<B>> GivenArtifact for OneOf<ArtifactOutput<B>> {
    type Type = B;
}

/// A task of a [`LoadedComponent`] in the pipeline being recorded: its
/// outputs by name, and every task setting ([`TaskSettings`]).
#[derive(Clone, Debug)]
pub struct LoadedTask {
    handle: TaskHandle,
    component: LoadedComponent,
}

impl TaskSettings for LoadedTask {
    fn task_handle(&self) -> TaskHandle {
        self.handle
    }
}

impl LoadedTask {
    /// The output parameter `name`, of type `T`.
    pub fn output<T: Parameter>(&self, name: &str) -> ParamOutput<T> {
        let component = &self.component.inner.component;
        match component.output(name) {
            Some(graph::OutputRef::Parameter(p)) if p.kind == T::KIND => {}
            Some(graph::OutputRef::Parameter(p)) => report(format!(
                "output `{name}` of {} is {}, but it is read as {} (`{}`)",
                self.component.what(),
                kind_words(p.kind),
                kind_words(T::KIND),
                std::any::type_name::<T>()
            )),
            Some(graph::OutputRef::Artifact(_)) => report(format!(
                "output `{name}` of {} is an artifact: read it with `.output_artifact`",
                self.component.what()
            )),
            None => self.unknown_output(name),
        }
        ParamOutput::__new(self.handle, intern(name))
    }

    /// The output artifact `name`, of type `A` (the output's type, or
    /// `Artifact` for any).
    pub fn output_artifact<A: ArtifactType>(&self, name: &str) -> ArtifactOutput<A> {
        self.check_artifact_output(name, artifact_type_of::<A>(), false);
        ArtifactOutput::__new(self.handle, intern(name))
    }

    /// The list-of-artifacts output `name`, of type `A`.
    pub fn output_artifacts<A: ArtifactType>(&self, name: &str) -> ArtifactListOutput<A> {
        self.check_artifact_output(name, artifact_type_of::<A>(), true);
        ArtifactListOutput::__new(self.handle, intern(name))
    }

    fn check_artifact_output(&self, name: &str, wanted: graph::ArtifactType, list: bool) {
        let component = &self.component.inner.component;
        match component.output(name) {
            Some(graph::OutputRef::Artifact(a))
                if graph::ArtifactType::compatible(&a.artifact_type, a.is_list, &wanted, list) => {}
            Some(graph::OutputRef::Artifact(a)) => report(format!(
                "output `{name}` of {} is {}, but it is read as {}",
                self.component.what(),
                artifact_words(&a.artifact_type, a.is_list),
                artifact_words(&wanted, list)
            )),
            Some(graph::OutputRef::Parameter(_)) => report(format!(
                "output `{name}` of {} is a parameter: read it with `.output`",
                self.component.what()
            )),
            None => self.unknown_output(name),
        }
    }

    fn unknown_output(&self, name: &str) {
        let component = &self.component.inner.component;
        let names: Vec<&str> = component
            .outputs
            .iter()
            .map(|o| o.name.as_str())
            .chain(component.output_artifacts.iter().map(|o| o.name.as_str()))
            .collect();
        report(format!(
            "{} has no output `{name}`{}; its outputs are: {}",
            self.component.what(),
            hint(name, &names),
            list_or_none(&names)
        ));
    }
}

/// The names of a component's inputs, parameters first.
fn input_names(component: &graph::Component) -> Vec<&str> {
    component
        .inputs
        .iter()
        .map(|i| i.name.as_str())
        .chain(component.input_artifacts.iter().map(|a| a.name.as_str()))
        .collect()
}

/// " (did you mean `x`?)", or nothing.
fn hint(name: &str, known: &[&str]) -> String {
    did_you_mean(name, known)
        .map(|k| format!(" (did you mean `{k}`?)"))
        .unwrap_or_default()
}

fn list_or_none(names: &[&str]) -> String {
    if names.is_empty() {
        "none".to_owned()
    } else {
        names.join(", ")
    }
}

/// A parameter type in words.
fn kind_words(kind: graph::ParameterType) -> &'static str {
    use graph::ParameterType as K;
    match kind {
        K::String => "a string (STRING)",
        K::Integer => "an integer (NUMBER_INTEGER)",
        K::Double => "a number (NUMBER_DOUBLE)",
        K::Boolean => "a boolean (BOOLEAN)",
        K::List => "a list (LIST)",
        K::Struct => "an object (STRUCT)",
        K::TaskFinalStatus => "a final status (TASK_FINAL_STATUS)",
    }
}

/// An artifact type in words.
fn artifact_words(t: &graph::ArtifactType, list: bool) -> String {
    if list {
        format!("a list of {} artifacts", t.schema_title)
    } else {
        format!("a {} artifact", t.schema_title)
    }
}

/// `name` as a `&'static str`, as the handles of task outputs hold their
/// names: each distinct name is kept once for the life of the program.
fn intern(name: &str) -> &'static str {
    static NAMES: Mutex<BTreeSet<&'static str>> = Mutex::new(BTreeSet::new());
    let mut names = NAMES
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner);
    if let Some(known) = names.get(name) {
        return known;
    }
    let leaked: &'static str = Box::leak(name.to_owned().into_boxed_str());
    names.insert(leaked);
    leaked
}

/// The graph component of a file `load_component!` embedded: read again
/// from the same bytes it checked when the crate was built.
///
/// # Panics
/// Never for bytes `load_component!` embedded (it refuses a file that does
/// not load); otherwise when the bytes are not a component.
#[doc(hidden)]
pub fn embedded(bytes: &[u8], path: &str) -> graph::Component {
    match loaded::load_bytes(bytes) {
        Ok(component) => graph::Component::from_loaded(component),
        Err(error) => panic!(
            "{path} was checked by `load_component!` when the crate was built, and now does not load: {error}"
        ),
    }
}
