//! The pipeline graph: what a kfp-rs pipeline *is*, before it becomes IR.
//!
//! The DSL (`kfp-dsl` and its macros) builds this model when a pipeline
//! function runs at definition time; [`compile`](crate::compile()) lowers it to
//! a `kfp_ir_schema::PipelineSpec` with kfp 2.17's names and conventions. The
//! model holds no derived names: it says what the user declared, and the
//! compiler derives everything else (task names, `comp-`/`exec-` keys,
//! dependencies, the placeholder strings). It holds no IR types either, but
//! for one: a pipeline loaded from a file ([`Implementation::Compiled`]),
//! which is IR already.
//!
//! # Shape
//!
//! * A [`Pipeline`] owns two arenas, in insertion order: its
//!   [`components`](Pipeline::components) (definitions) and its
//!   [`tasks`](Pipeline::tasks) (calls of those definitions). They are
//!   addressed by the copyable ids [`ComponentId`] and [`TaskId`], which are
//!   indexes into the arenas of the pipeline that issued them. A pipeline's
//!   interface is its [`inputs`](Pipeline::inputs),
//!   [`input_artifacts`](Pipeline::input_artifacts) and
//!   [`outputs`](Pipeline::outputs) (wired from task outputs).
//! * A [`Component`] is an interface ([`InputParameter`], [`InputArtifact`],
//!   [`OutputParameter`], [`OutputArtifact`]) plus an [`Implementation`]: a
//!   [`ContainerSpec`] whose command and args are lists of [`Arg`]s (literals
//!   and typed placeholders), a whole [`Pipeline`] used as a component, an
//!   importer, or a pipeline compiled before and loaded from its file.
//!   Registering one definition once and calling it from many tasks is
//!   cheap; the compiler still gives every task its own `comp-`/`exec-`
//!   entry, as kfp does.
//! * A [`Task`] calls a component: one [`Binding`] per input it sets, and a
//!   [`TaskConfig`] (ordering, resources, env, caching, retry, display name,
//!   image override, trigger policy, and the [`kubernetes`] settings of
//!   kfp-kubernetes).
//!
//! # Building
//!
//! ```
//! use kfp_compiler::graph::*;
//!
//! let mut p = Pipeline::new("hello-world");
//! p.inputs.push(InputParameter::new("text", ParameterType::String).with_default("hi"));
//! let echo = p.add_component(
//!     Component::from_function_name("echo")
//!         .with_input(InputParameter::new("text", ParameterType::String))
//!         .with_implementation(ContainerSpec::new("alpine").command(["echo"]).arg(Arg::input_value("text"))),
//! );
//! let task = p.add_task(Task::new(echo).bind("text", Binding::pipeline_parameter("text")));
//! p.task_mut(task).config.caching = false;
//! assert_eq!(p.component(echo).name, "echo");
//! ```
//!
//! Ids are only meaningful in the pipeline that issued them: a [`TaskId`] of
//! an inner pipeline means nothing in the outer one. The compiler reports an
//! id that is out of range as an error, never a panic.

use serde_json::Value;

use crate::naming;

mod alloc_on_write;
mod binding;
mod component;
mod group;
mod interface;
pub mod kubernetes;
mod pipeline_config;
mod task;

pub use alloc_on_write::{AllocOnWrite, Unwritten};
pub use binding::{Binding, ConfigValue, Structured};
pub use component::{Arg, Component, ContainerSpec, Implementation, Importer};
pub use group::{
    Comparison, Condition, Group, GroupKind, LoopItemKind, LoopItems, OneOf, ParallelFor,
};
pub use interface::{
    ArtifactType, InputArtifact, InputParameter, OutputArtifact, OutputParameter, OutputRef,
    ParameterType,
};
pub use pipeline_config::{PipelineConfig, Workspace};
pub use task::{Resources, RetryPolicy, Task, TaskConfig};

/// The index of a [`Component`] in [`Pipeline::components`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct ComponentId(pub usize);

/// The index of a [`Task`] in [`Pipeline::tasks`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct TaskId(pub usize);

/// The index of a [`Group`] in [`Pipeline::groups`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct GroupId(pub usize);

/// The index of a [`OneOf`] in [`Pipeline::one_ofs`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct OneOfId(pub usize);

/// A pipeline: its metadata, its interface, and the tasks of its DAG.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Pipeline {
    /// The pipeline's name (`pipelineInfo.name`). For a pipeline used as a
    /// component, its component name is derived from this (see
    /// [`Component::from_pipeline`]).
    pub name: String,
    /// A description (`pipelineInfo.description`).
    pub description: Option<String>,
    /// A display name (`pipelineInfo.displayName`).
    pub display_name: Option<String>,
    /// The default pipeline root (`defaultPipelineRoot`).
    pub pipeline_root: Option<String>,
    /// Platform settings of the whole pipeline (kfp's `pipeline_config`):
    /// its workspace.
    pub config: PipelineConfig,
    /// The input parameters, in declaration order.
    pub inputs: Vec<InputParameter>,
    /// The input artifacts, in declaration order.
    pub input_artifacts: Vec<InputArtifact>,
    /// The outputs, each wired from a task output, in declaration order.
    pub outputs: Vec<PipelineOutput>,
    /// Values given to input parameters when the pipeline is compiled as
    /// the root (kfp's `pipeline_parameters`): each becomes its input's
    /// `defaultValue`, replacing a declared default, and leaves the input as
    /// optional or required as declared. Ignored when the pipeline is used
    /// as a component.
    pub arguments: Vec<(String, Value)>,
    /// The component definitions that tasks call.
    pub components: Vec<Component>,
    /// The tasks, in the order they were added (this order decides the
    /// `-2`, `-3`… suffixes of task names, as in kfp).
    pub tasks: Vec<Task>,
    /// The control-flow groups (loops, conditions), in the order they were
    /// opened (this order decides their `-N` numbers, as in kfp).
    pub groups: Vec<Group>,
    /// The values taken from whichever branch of an If/Elif/Else ran
    /// (kfp's `dsl.OneOf`), in the order they were made (this order
    /// decides their `-oneof-M` numbers in their chain).
    pub one_ofs: Vec<OneOf>,
}

impl Pipeline {
    /// An empty pipeline called `name` (used as given; the compiler checks
    /// it against kfp's `^[a-z0-9][a-z0-9-]{0,127}$`).
    pub fn new(name: impl Into<String>) -> Self {
        Self {
            name: name.into(),
            ..Self::default()
        }
    }

    /// An empty pipeline named after a Rust function as kfp names one after
    /// a Python function (`my_pipeline` → `my-pipeline`).
    pub fn from_function_name(function_name: &str) -> Self {
        Self::new(naming::component_name_from_function_name(function_name))
    }

    /// Sets the description.
    pub fn with_description(mut self, description: impl Into<String>) -> Self {
        self.description = Some(description.into());
        self
    }

    /// Sets the display name.
    pub fn with_display_name(mut self, display_name: impl Into<String>) -> Self {
        self.display_name = Some(display_name.into());
        self
    }

    /// Sets the default pipeline root.
    pub fn with_pipeline_root(mut self, pipeline_root: impl Into<String>) -> Self {
        self.pipeline_root = Some(pipeline_root.into());
        self
    }

    /// Gives the input parameter `name` the value `value` for this
    /// compilation (see [`arguments`](Self::arguments)), replacing an
    /// earlier value of it.
    pub fn set_argument(&mut self, name: impl Into<String>, value: impl Into<Value>) {
        let (name, value) = (name.into(), value.into());
        match self.arguments.iter_mut().find(|(n, _)| *n == name) {
            Some((_, v)) => *v = value,
            None => self.arguments.push((name, value)),
        }
    }

    /// Adds a component definition and returns its id.
    pub fn add_component(&mut self, component: Component) -> ComponentId {
        self.components.push(component);
        ComponentId(self.components.len() - 1)
    }

    /// The id of the first component equal to `component`, adding it if
    /// there is none. Lets a DSL register a definition once per pipeline
    /// without keeping its own table.
    pub fn intern_component(&mut self, component: Component) -> ComponentId {
        match self.components.iter().position(|c| *c == component) {
            Some(i) => ComponentId(i),
            None => self.add_component(component),
        }
    }

    /// Adds a task and returns its id.
    pub fn add_task(&mut self, task: Task) -> TaskId {
        self.tasks.push(task);
        TaskId(self.tasks.len() - 1)
    }

    /// Opens a group (e.g. a loop) and returns its id; tasks join it by
    /// setting [`Task::group`].
    pub fn add_group(&mut self, group: Group) -> GroupId {
        self.groups.push(group);
        GroupId(self.groups.len() - 1)
    }

    /// The group `id`, if this pipeline issued it.
    pub fn get_group(&self, id: GroupId) -> Option<&Group> {
        self.groups.get(id.0)
    }

    /// Adds a pipeline output wired from a task output.
    pub fn add_output(
        &mut self,
        name: impl Into<String>,
        task: TaskId,
        output: impl Into<String>,
    ) -> &mut Self {
        self.add_output_from(
            name,
            OutputSource::Task {
                task,
                output: output.into(),
            },
        )
    }

    /// Adds a pipeline output wired from `source`.
    pub fn add_output_from(&mut self, name: impl Into<String>, source: OutputSource) -> &mut Self {
        self.outputs.push(PipelineOutput {
            name: name.into(),
            source,
            description: None,
        });
        self
    }

    /// Adds a value taken from whichever branch ran and returns its id.
    pub fn add_one_of(&mut self, one_of: OneOf) -> OneOfId {
        self.one_ofs.push(one_of);
        OneOfId(self.one_ofs.len() - 1)
    }

    /// The OneOf `id`, if this pipeline issued it.
    pub fn get_one_of(&self, id: OneOfId) -> Option<&OneOf> {
        self.one_ofs.get(id.0)
    }

    /// The declaration of what `source` publishes: the task output, or for a
    /// OneOf the output of its first branch. `None` when it does not exist.
    pub fn source_output(&self, source: &OutputSource) -> Option<OutputRef<'_>> {
        match source {
            OutputSource::Task { task, output } => self.task_output(*task, output),
            OutputSource::OneOf(id) => {
                let (task, output) = self.get_one_of(*id)?.outputs.first()?;
                self.task_output(*task, output)
            }
        }
    }

    /// The pipeline output called `name`, mutably (to describe it).
    pub fn output_mut(&mut self, name: &str) -> Option<&mut PipelineOutput> {
        self.outputs.iter_mut().find(|o| o.name == name)
    }

    /// The component `id`, if this pipeline issued it.
    pub fn get_component(&self, id: ComponentId) -> Option<&Component> {
        self.components.get(id.0)
    }

    /// The task `id`, if this pipeline issued it.
    pub fn get_task(&self, id: TaskId) -> Option<&Task> {
        self.tasks.get(id.0)
    }

    /// The component `id`.
    ///
    /// # Panics
    ///
    /// If `id` was not issued by this pipeline (a bug in the caller); use
    /// [`get_component`](Self::get_component) for untrusted ids.
    pub fn component(&self, id: ComponentId) -> &Component {
        &self.components[id.0]
    }

    /// The task `id`.
    ///
    /// # Panics
    ///
    /// If `id` was not issued by this pipeline; see [`get_task`](Self::get_task).
    pub fn task(&self, id: TaskId) -> &Task {
        &self.tasks[id.0]
    }

    /// The task `id`, mutably, to configure it after adding it.
    ///
    /// # Panics
    ///
    /// If `id` was not issued by this pipeline.
    pub fn task_mut(&mut self, id: TaskId) -> &mut Task {
        &mut self.tasks[id.0]
    }

    /// The type of the parameter `value` names: a pipeline input, a task's
    /// output parameter or a loop's item (a literal is a string). `None`
    /// when it names nothing of this pipeline.
    pub fn parameter_kind(&self, value: &ConfigValue) -> Option<ParameterType> {
        match value {
            ConfigValue::Literal(_) => Some(ParameterType::String),
            ConfigValue::PipelineParameter(name) => {
                self.inputs.iter().find(|i| i.name == *name).map(|i| i.kind)
            }
            ConfigValue::TaskOutput { task, output } => match self.task_output(*task, output)? {
                OutputRef::Parameter(parameter) => Some(parameter.kind),
                OutputRef::Artifact(_) => None,
            },
            ConfigValue::LoopItem(group) => match &self.get_group(*group)?.kind {
                GroupKind::ParallelFor(parallel_for) => parallel_for.item_kind.parameter(),
                _ => None,
            },
        }
    }

    /// The artifact type of the list of artifacts a loop iterates over
    /// (a pipeline input or a task output): `None` when `items` is not a
    /// list of artifacts, or names nothing of this pipeline that is one.
    pub fn artifact_items_type(&self, items: &LoopItems) -> Option<&ArtifactType> {
        match items {
            LoopItems::PipelineArtifacts(name) => self
                .input_artifacts
                .iter()
                .find(|a| a.name == *name && a.is_list)
                .map(|a| &a.artifact_type),
            LoopItems::TaskArtifacts { task, output } => match self.task_output(*task, output)? {
                OutputRef::Artifact(a) if a.is_list => Some(&a.artifact_type),
                _ => None,
            },
            _ => None,
        }
    }

    /// The output of task `task` called `output`, as declared by its
    /// component: `None` when the task or the output does not exist.
    pub fn task_output(&self, task: TaskId, output: &str) -> Option<OutputRef<'_>> {
        let component = self.get_component(self.get_task(task)?.component)?;
        component.output(output)
    }
}

/// A pipeline output: what `source` gives, published as `name`. Whether
/// it is a parameter or an artifact, and its type, come from the producing
/// component's declaration.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PipelineOutput {
    /// The name of the pipeline output.
    pub name: String,
    /// Where its value comes from.
    pub source: OutputSource,
    /// A description (the root's `outputDefinitions`, and the outputs of
    /// the pipeline used as a component).
    pub description: Option<String>,
}

/// Where a [`PipelineOutput`] takes its value from.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum OutputSource {
    /// The output `output` of task `task`; the output of a task inside a
    /// loop or condition is published as the list of its values (kfp's
    /// `dsl.Collected`).
    Task {
        /// The producing task.
        task: TaskId,
        /// The name of the producing task's output.
        output: String,
    },
    /// The value of whichever branch ran (a [`OneOf`]).
    OneOf(OneOfId),
}
