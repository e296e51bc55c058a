//! The pipeline graph: what a kfp-rs pipeline *is*, before it becomes IR.
//!
//! The DSL (`kfp-dsl` and its macros) builds this model when a pipeline
//! function runs at definition time; [`compile`](crate::compile()) lowers it to
//! a `kfp_ir_schema::PipelineSpec` with kfp 2.17's names and conventions. The
//! model holds no IR types and no derived names: it says what the user
//! declared, and the compiler derives everything else (task names,
//! `comp-`/`exec-` keys, dependencies, the placeholder strings).
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
//!   and typed placeholders), or a whole [`Pipeline`] used as a component.
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

use kfp_ir_schema::CompactString;
use serde_json::Value;

use crate::naming;

pub mod kubernetes;

/// The index of a [`Component`] in [`Pipeline::components`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct ComponentId(pub usize);

/// The index of a [`Task`] in [`Pipeline::tasks`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct TaskId(pub usize);

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

    /// The output of task `task` called `output`, as declared by its
    /// component: `None` when the task or the output does not exist.
    pub fn task_output(&self, task: TaskId, output: &str) -> Option<OutputRef<'_>> {
        let component = self.get_component(self.get_task(task)?.component)?;
        component.output(output)
    }
}

/// The index of a [`Group`] in [`Pipeline::groups`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct GroupId(pub usize);

/// A control-flow group of a pipeline: a sub-DAG of its tasks (kfp's
/// `TasksGroup`), compiled to a `comp-<kind>-N` component run by a
/// `<kind>-N` task (`for-loop-N`, `condition-N`, `condition-branches-N`).
/// Groups nest through [`parent`](Self::parent).
#[derive(Clone, Debug, PartialEq)]
pub struct Group {
    /// The enclosing group, `None` at the pipeline's top level. A parent
    /// is opened before its children, except the first branch of a
    /// [`GroupKind::ConditionBranches`]: kfp wraps an `If` once an `Elif`
    /// or `Else` follows it, so the wrapper is opened after it.
    pub parent: Option<GroupId>,
    /// What the group does.
    pub kind: GroupKind,
    /// The name shown for the group task (kfp's `name=`).
    pub display_name: Option<String>,
}

impl Group {
    /// A loop (kfp's `dsl.ParallelFor`) inside `parent`.
    pub fn parallel_for(parent: Option<GroupId>, parallel_for: ParallelFor) -> Self {
        Self {
            parent,
            kind: GroupKind::ParallelFor(parallel_for),
            display_name: None,
        }
    }
}

impl Group {
    /// A condition (kfp's `dsl.If`, or `dsl.Elif` inside a
    /// [`GroupKind::ConditionBranches`]) inside `parent`.
    pub fn condition(parent: Option<GroupId>, condition: Condition) -> Self {
        Self {
            parent,
            kind: GroupKind::Condition(condition),
            display_name: None,
        }
    }

    /// An If/Elif/Else chain inside `parent` (see
    /// [`GroupKind::ConditionBranches`]).
    pub fn condition_branches(parent: Option<GroupId>) -> Self {
        Self {
            parent,
            kind: GroupKind::ConditionBranches,
            display_name: None,
        }
    }

    /// The `Else` branch of the chain `branches`.
    pub fn else_branch(branches: GroupId) -> Self {
        Self {
            parent: Some(branches),
            kind: GroupKind::Else,
            display_name: None,
        }
    }

    /// An exit handler inside `parent` whose exit task is `exit_task` (see
    /// [`GroupKind::ExitHandler`]).
    pub fn exit_handler(parent: Option<GroupId>, exit_task: TaskId) -> Self {
        Self {
            parent,
            kind: GroupKind::ExitHandler { exit_task },
            display_name: None,
        }
    }
}

/// The kinds of [`Group`].
#[derive(Clone, Debug, PartialEq)]
pub enum GroupKind {
    /// Runs its tasks once per item (`for-loop-N`).
    ParallelFor(ParallelFor),
    /// Runs its tasks only when a comparison holds (`condition-N`). Directly
    /// inside a [`ConditionBranches`](Self::ConditionBranches) it is a
    /// branch: it runs only when, besides, no earlier branch's comparison
    /// holds (kfp's `dsl.If` then `dsl.Elif`).
    Condition(Condition),
    /// An If/Elif/Else chain (`condition-branches-N`): its child groups, in
    /// the order they were opened, are its branches, `Condition`s and
    /// at most one `Else`, last.
    ConditionBranches,
    /// The last branch of a chain (`condition-N`, kfp's `dsl.Else`): runs
    /// when no earlier branch's comparison holds.
    Else,
    /// Runs its tasks, then `exit_task` however they ended (kfp's
    /// `dsl.ExitHandler`, `exit-handler-N`). The exit task is a task of the
    /// scope the group is in that reads no other task's outputs.
    ExitHandler {
        /// The task run when the group's tasks have ended.
        exit_task: TaskId,
    },
}

/// The index of a [`OneOf`] in [`Pipeline::one_ofs`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct OneOfId(pub usize);

/// The value of whichever branch of an If/Elif/Else chain ran (kfp's
/// `dsl.OneOf`): one output per branch, each of a task directly inside its
/// branch, all of one type. Read after the chain, through
/// [`Binding::OneOf`] or [`OutputSource::OneOf`].
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct OneOf {
    /// The [`GroupKind::ConditionBranches`] group.
    pub branches: GroupId,
    /// The output of each branch, in branch order: (task, output name).
    pub outputs: Vec<(TaskId, String)>,
}

/// A comparison of two parameter values, evaluated when the pipeline runs
/// (kfp's `dsl.If(a >= b)`). Each operand is a constant, a pipeline input,
/// a loop item or a task output parameter.
#[derive(Clone, Debug, PartialEq)]
pub struct Condition {
    /// The left operand.
    pub left: Binding,
    /// The comparison.
    pub op: Comparison,
    /// The right operand.
    pub right: Binding,
}

/// A comparison operator of a [`Condition`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Comparison {
    /// `==`
    Eq,
    /// `!=`
    Ne,
    /// `<`
    Lt,
    /// `<=`
    Le,
    /// `>`
    Gt,
    /// `>=`
    Ge,
}

impl Comparison {
    /// The operator as written in CEL.
    pub fn as_str(self) -> &'static str {
        match self {
            Comparison::Eq => "==",
            Comparison::Ne => "!=",
            Comparison::Lt => "<",
            Comparison::Le => "<=",
            Comparison::Gt => ">",
            Comparison::Ge => ">=",
        }
    }
}

/// A loop over a list of parameter values (kfp's `dsl.ParallelFor`). Its
/// tasks read the current item through [`Binding::LoopItem`]; tasks after
/// the loop read a list of their outputs through [`Binding::Collected`].
#[derive(Clone, Debug, PartialEq)]
pub struct ParallelFor {
    /// What the loop iterates over.
    pub items: LoopItems,
    /// The type of one item.
    pub item_kind: ParameterType,
    /// At most this many iterations run at once (`None`: no limit).
    pub parallelism: Option<u32>,
}

/// What a [`ParallelFor`] iterates over.
#[derive(Clone, Debug, PartialEq)]
pub enum LoopItems {
    /// A list fixed at compile time (`parameterIterator.items.raw`).
    Raw(Vec<Value>),
    /// A `LIST` input parameter of the pipeline.
    PipelineParameter(String),
    /// A `LIST` output parameter of a task outside the loop (in the scope
    /// the loop is in, or one enclosing it); the loop runs after it.
    TaskOutput {
        /// The producing task.
        task: TaskId,
        /// Its output parameter.
        output: String,
    },
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

/// The type of a parameter (`ParameterType.ParameterTypeEnum` of the IR).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum ParameterType {
    /// A string (`STRING`; Rust `String`).
    String,
    /// An integer (`NUMBER_INTEGER`; every Rust integer type).
    Integer,
    /// A floating point number (`NUMBER_DOUBLE`; `f32`, `f64`).
    Double,
    /// A boolean (`BOOLEAN`).
    Boolean,
    /// A JSON array (`LIST`; `Vec<T>`).
    List,
    /// A JSON object (`STRUCT`; maps and serde structs).
    Struct,
    /// The final status of the tasks an exit task follows
    /// (`TASK_FINAL_STATUS`, kfp's `dsl.PipelineTaskFinalStatus`): an
    /// input the compiler sets on an exit task, or on a task that ignores
    /// upstream failures, to the status of what it follows. It may be
    /// passed on to a `Struct` input.
    TaskFinalStatus,
}

/// An artifact type: a schema title such as `system.Dataset` and its
/// version.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct ArtifactType {
    /// The schema title, e.g. `system.Model` or `google.VertexModel`.
    pub schema_title: String,
    /// The schema version, e.g. `0.0.1`.
    pub schema_version: String,
}

impl ArtifactType {
    /// An artifact type with the given title and version.
    pub fn new(schema_title: impl Into<String>, schema_version: impl Into<String>) -> Self {
        Self {
            schema_title: schema_title.into(),
            schema_version: schema_version.into(),
        }
    }

    /// A KFP system type, `system.<class>` at version `0.0.1` (for example
    /// `ArtifactType::system("Dataset")`).
    pub fn system(class: &str) -> Self {
        Self::new(format!("system.{class}"), "0.0.1")
    }
}

/// An input parameter of a component or pipeline.
#[derive(Clone, Debug, PartialEq)]
pub struct InputParameter {
    /// The input's name (the Rust parameter name, unchanged).
    pub name: String,
    /// Its type.
    pub kind: ParameterType,
    /// Its default, if any. The compiler writes numbers as kfp does (as
    /// doubles). A default makes the input optional.
    pub default: Option<Value>,
    /// Whether the input may be left unset even without a default
    /// (`Option<T>` with a `None` default).
    pub optional: bool,
    /// A description (from doc comments).
    pub description: Option<String>,
}

impl InputParameter {
    /// A required input parameter.
    pub fn new(name: impl Into<String>, kind: ParameterType) -> Self {
        Self {
            name: name.into(),
            kind,
            default: None,
            optional: false,
            description: None,
        }
    }

    /// Sets a default (which also makes the input optional).
    pub fn with_default(mut self, default: impl Into<Value>) -> Self {
        self.default = Some(default.into());
        self
    }

    /// Makes the input optional without a default (kfp's `= None`).
    pub fn optional(mut self) -> Self {
        self.optional = true;
        self
    }

    /// Sets the description.
    pub fn with_description(mut self, description: impl Into<String>) -> Self {
        self.description = Some(description.into());
        self
    }

    /// Whether the input may be left unset: it has a default or is optional.
    pub fn is_optional(&self) -> bool {
        self.optional || self.default.is_some()
    }
}

/// An input artifact of a component or pipeline.
#[derive(Clone, Debug, PartialEq)]
pub struct InputArtifact {
    /// The input's name.
    pub name: String,
    /// Its artifact type.
    pub artifact_type: ArtifactType,
    /// Whether it takes a list of artifacts (`isArtifactList`).
    pub is_list: bool,
    /// Whether it may be left unset.
    pub optional: bool,
    /// A description.
    pub description: Option<String>,
}

impl InputArtifact {
    /// A required input artifact of one artifact.
    pub fn new(name: impl Into<String>, artifact_type: ArtifactType) -> Self {
        Self {
            name: name.into(),
            artifact_type,
            is_list: false,
            optional: false,
            description: None,
        }
    }

    /// Makes it take a list of artifacts.
    pub fn list(mut self) -> Self {
        self.is_list = true;
        self
    }

    /// Makes it optional.
    pub fn optional(mut self) -> Self {
        self.optional = true;
        self
    }

    /// Sets the description.
    pub fn with_description(mut self, description: impl Into<String>) -> Self {
        self.description = Some(description.into());
        self
    }
}

/// An output parameter of a component.
#[derive(Clone, Debug, PartialEq)]
pub struct OutputParameter {
    /// The output's name (`Output` for a single return value, as in kfp).
    pub name: String,
    /// Its type.
    pub kind: ParameterType,
    /// A description.
    pub description: Option<String>,
}

impl OutputParameter {
    /// An output parameter.
    pub fn new(name: impl Into<String>, kind: ParameterType) -> Self {
        Self {
            name: name.into(),
            kind,
            description: None,
        }
    }

    /// Sets the description.
    pub fn with_description(mut self, description: impl Into<String>) -> Self {
        self.description = Some(description.into());
        self
    }
}

/// An output artifact of a component.
#[derive(Clone, Debug, PartialEq)]
pub struct OutputArtifact {
    /// The output's name.
    pub name: String,
    /// Its artifact type.
    pub artifact_type: ArtifactType,
    /// Whether it is a list of artifacts.
    pub is_list: bool,
    /// A description.
    pub description: Option<String>,
}

impl OutputArtifact {
    /// An output artifact of one artifact.
    pub fn new(name: impl Into<String>, artifact_type: ArtifactType) -> Self {
        Self {
            name: name.into(),
            artifact_type,
            is_list: false,
            description: None,
        }
    }

    /// Makes it a list of artifacts.
    pub fn list(mut self) -> Self {
        self.is_list = true;
        self
    }

    /// Sets the description.
    pub fn with_description(mut self, description: impl Into<String>) -> Self {
        self.description = Some(description.into());
        self
    }
}

/// A component output looked up by name: a parameter or an artifact.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum OutputRef<'a> {
    /// An output parameter.
    Parameter(&'a OutputParameter),
    /// An output artifact.
    Artifact(&'a OutputArtifact),
}

/// A component definition: its interface and its implementation.
#[derive(Clone, Debug, PartialEq)]
pub struct Component {
    /// The component name, already in kfp's form (see
    /// [`from_function_name`](Self::from_function_name)). Task names,
    /// `comp-` and `exec-` keys derive from it.
    pub name: String,
    /// A description (from doc comments).
    pub description: Option<String>,
    /// The input parameters, in declaration order.
    pub inputs: Vec<InputParameter>,
    /// The input artifacts, in declaration order.
    pub input_artifacts: Vec<InputArtifact>,
    /// The output parameters, in declaration order.
    pub outputs: Vec<OutputParameter>,
    /// The output artifacts, in declaration order.
    pub output_artifacts: Vec<OutputArtifact>,
    /// How the component runs.
    pub implementation: Implementation,
}

impl Component {
    /// A component with no inputs or outputs and an empty container
    /// implementation, named `name` as given.
    pub fn new(name: impl Into<String>) -> Self {
        Self {
            name: name.into(),
            description: None,
            inputs: Vec::new(),
            input_artifacts: Vec::new(),
            outputs: Vec::new(),
            output_artifacts: Vec::new(),
            implementation: Implementation::Container(ContainerSpec::default()),
        }
    }

    /// A component named after a function as kfp names it:
    /// `_python_function_name_to_component_name` then `maybe_rename_for_k8s`
    /// (`add_numbers` → `add-numbers`).
    pub fn from_function_name(function_name: &str) -> Self {
        Self::new(naming::component_name_from_function_name(function_name))
    }

    /// A pipeline used as a component: named after the pipeline (through
    /// `maybe_rename_for_k8s`, as kfp does), with the pipeline's inputs as
    /// its inputs and its outputs (typed from their producers) as its
    /// outputs. Outputs whose producer does not exist are left out here and
    /// reported by the compiler.
    pub fn from_pipeline(pipeline: Pipeline) -> Self {
        let mut outputs = Vec::new();
        let mut output_artifacts = Vec::new();
        for out in &pipeline.outputs {
            // The output of a task inside a loop is published as a list.
            let collected = match &out.source {
                OutputSource::Task { task, .. } => {
                    pipeline.get_task(*task).is_some_and(|t| t.group.is_some())
                }
                OutputSource::OneOf(_) => false,
            };
            match pipeline.source_output(&out.source) {
                Some(OutputRef::Parameter(p)) => outputs.push(OutputParameter {
                    name: out.name.clone(),
                    kind: if collected {
                        ParameterType::List
                    } else {
                        p.kind
                    },
                    description: out.description.clone(),
                }),
                Some(OutputRef::Artifact(a)) => output_artifacts.push(OutputArtifact {
                    name: out.name.clone(),
                    artifact_type: a.artifact_type.clone(),
                    is_list: a.is_list || collected,
                    description: out.description.clone(),
                }),
                None => {}
            }
        }
        Self {
            name: naming::maybe_rename_for_k8s(&pipeline.name),
            description: pipeline.description.clone(),
            inputs: pipeline.inputs.clone(),
            input_artifacts: pipeline.input_artifacts.clone(),
            outputs,
            output_artifacts,
            implementation: Implementation::Pipeline(Box::new(pipeline)),
        }
    }

    /// An importer of an artifact of type `artifact_type`, as kfp makes it:
    /// named `importer`, with the input parameter `uri` (`STRING`) and the
    /// output artifact `artifact`. A task of it binds `uri`.
    pub fn importer(artifact_type: ArtifactType, importer: Importer) -> Self {
        Self {
            inputs: vec![InputParameter::new(
                Self::IMPORTER_URI,
                ParameterType::String,
            )],
            output_artifacts: vec![OutputArtifact::new(Self::IMPORTER_OUTPUT, artifact_type)],
            implementation: Implementation::Importer(importer),
            ..Self::new("importer")
        }
    }

    /// The input of an importer that holds the artifact's URI.
    pub const IMPORTER_URI: &str = "uri";

    /// The output of an importer: the imported artifact.
    pub const IMPORTER_OUTPUT: &str = "artifact";

    /// Sets the description.
    pub fn with_description(mut self, description: impl Into<String>) -> Self {
        self.description = Some(description.into());
        self
    }

    /// Adds an input parameter.
    pub fn with_input(mut self, input: InputParameter) -> Self {
        self.inputs.push(input);
        self
    }

    /// Adds an input artifact.
    pub fn with_input_artifact(mut self, input: InputArtifact) -> Self {
        self.input_artifacts.push(input);
        self
    }

    /// Adds an output parameter.
    pub fn with_output(mut self, output: OutputParameter) -> Self {
        self.outputs.push(output);
        self
    }

    /// Adds an output artifact.
    pub fn with_output_artifact(mut self, output: OutputArtifact) -> Self {
        self.output_artifacts.push(output);
        self
    }

    /// Sets the implementation.
    pub fn with_implementation(mut self, implementation: impl Into<Implementation>) -> Self {
        self.implementation = implementation.into();
        self
    }

    /// The input parameter called `name`.
    pub fn input(&self, name: &str) -> Option<&InputParameter> {
        self.inputs.iter().find(|i| i.name == name)
    }

    /// The input artifact called `name`.
    pub fn input_artifact(&self, name: &str) -> Option<&InputArtifact> {
        self.input_artifacts.iter().find(|i| i.name == name)
    }

    /// The output (parameter or artifact) called `name`.
    pub fn output(&self, name: &str) -> Option<OutputRef<'_>> {
        if let Some(p) = self.outputs.iter().find(|o| o.name == name) {
            return Some(OutputRef::Parameter(p));
        }
        self.output_artifacts
            .iter()
            .find(|o| o.name == name)
            .map(OutputRef::Artifact)
    }
}

/// How a component runs.
#[derive(Clone, Debug, PartialEq)]
pub enum Implementation {
    /// A container (Rust-native components, whose command runs the pipeline
    /// binary, and container components alike).
    Container(ContainerSpec),
    /// A pipeline used as a component (a sub-DAG).
    Pipeline(Box<Pipeline>),
    /// An importer (kfp's `dsl.importer`), made by
    /// [`Component::importer`].
    Importer(Importer),
}

/// An importer: it runs no container, but registers an artifact that
/// already exists at a URI (its input `uri`) as its output `artifact`.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Importer {
    /// Registers a new artifact even when one with this URI exists.
    pub reimport: bool,
    /// The artifact's metadata.
    pub metadata: Option<serde_json::Map<String, Value>>,
}

impl From<ContainerSpec> for Implementation {
    fn from(c: ContainerSpec) -> Self {
        Implementation::Container(c)
    }
}

impl From<Pipeline> for Implementation {
    fn from(p: Pipeline) -> Self {
        Implementation::Pipeline(Box::new(p))
    }
}

/// A container: image, command and args.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct ContainerSpec {
    /// The image.
    pub image: String,
    /// The command (entrypoint); empty for the image's own.
    pub command: Vec<Arg>,
    /// The arguments.
    pub args: Vec<Arg>,
}

impl ContainerSpec {
    /// A container running `image` with no command or args.
    pub fn new(image: impl Into<String>) -> Self {
        Self {
            image: image.into(),
            command: Vec::new(),
            args: Vec::new(),
        }
    }

    /// Appends to the command.
    pub fn command<I, A>(mut self, command: I) -> Self
    where
        I: IntoIterator<Item = A>,
        A: Into<Arg>,
    {
        self.command.extend(command.into_iter().map(Into::into));
        self
    }

    /// Appends to the args.
    pub fn args<I, A>(mut self, args: I) -> Self
    where
        I: IntoIterator<Item = A>,
        A: Into<Arg>,
    {
        self.args.extend(args.into_iter().map(Into::into));
        self
    }

    /// Appends one arg.
    pub fn arg(mut self, arg: impl Into<Arg>) -> Self {
        self.args.push(arg.into());
        self
    }
}

/// One element of a container's command or args: a literal or a
/// placeholder that KFP resolves at run time.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Arg {
    /// A literal string, written as is.
    Literal(String),
    /// The value of an input parameter: `{{$.inputs.parameters['x']}}`.
    InputValue(String),
    /// The local path of an input artifact:
    /// `{{$.inputs.artifacts['x'].path}}`.
    InputPath(String),
    /// The URI of an input artifact: `{{$.inputs.artifacts['x'].uri}}`.
    InputUri(String),
    /// The metadata of an input artifact:
    /// `{{$.inputs.artifacts['x'].metadata}}`.
    InputMetadata(String),
    /// A list-of-artifacts input: `{{$.inputs.artifacts['x']}}`.
    InputArtifactList(String),
    /// The local path of an output artifact:
    /// `{{$.outputs.artifacts['y'].path}}`.
    OutputPath(String),
    /// The URI of an output artifact: `{{$.outputs.artifacts['y'].uri}}`.
    OutputUri(String),
    /// The metadata of an output artifact:
    /// `{{$.outputs.artifacts['y'].metadata}}`.
    OutputMetadata(String),
    /// The file an output parameter is written to:
    /// `{{$.outputs.parameters['z'].output_file}}`.
    OutputParameterFile(String),
    /// The whole executor input as JSON: `{{$}}`.
    ExecutorInput,
    /// The items joined into one argument (kfp's `ConcatPlaceholder`).
    Concat(Vec<Arg>),
    /// `then` if the input `input` is set, else `otherwise` (kfp's
    /// `IfPresentPlaceholder`); `otherwise: None` writes no `Else`.
    IfPresent {
        /// The input whose presence is tested.
        input: String,
        /// The args when it is present.
        then: Vec<Arg>,
        /// The args when it is absent.
        otherwise: Option<Vec<Arg>>,
    },
}

impl Arg {
    /// A literal.
    pub fn literal(s: impl Into<String>) -> Self {
        Arg::Literal(s.into())
    }

    /// The value of input parameter `name`.
    pub fn input_value(name: impl Into<String>) -> Self {
        Arg::InputValue(name.into())
    }

    /// The local path of input artifact `name`.
    pub fn input_path(name: impl Into<String>) -> Self {
        Arg::InputPath(name.into())
    }

    /// The URI of input artifact `name`.
    pub fn input_uri(name: impl Into<String>) -> Self {
        Arg::InputUri(name.into())
    }

    /// The local path of output artifact `name`.
    pub fn output_path(name: impl Into<String>) -> Self {
        Arg::OutputPath(name.into())
    }

    /// The URI of output artifact `name`.
    pub fn output_uri(name: impl Into<String>) -> Self {
        Arg::OutputUri(name.into())
    }

    /// The output file of output parameter `name`.
    pub fn output_parameter_file(name: impl Into<String>) -> Self {
        Arg::OutputParameterFile(name.into())
    }
}

impl From<&str> for Arg {
    fn from(s: &str) -> Self {
        Arg::Literal(s.to_owned())
    }
}

impl From<String> for Arg {
    fn from(s: String) -> Self {
        Arg::Literal(s)
    }
}

/// A value with a fixed reading before it is first written: the
/// configuration kept by [`AllocOnWrite`].
pub trait Unwritten: Clone + 'static {
    /// What the value reads as until it is written.
    const UNWRITTEN: &'static Self;
}

/// A configuration that takes memory only once it is written: it reads as
/// [`Unwritten::UNWRITTEN`] until it is borrowed mutably (`DerefMut`),
/// which allocates a copy to write. Most tasks of a large pipeline set
/// nothing, and a task's configuration is hundreds of bytes, which the
/// pipeline would otherwise hold for every task.
///
/// ```
/// use kfp_compiler::graph::{AllocOnWrite, TaskConfig};
///
/// let mut config = AllocOnWrite::<TaskConfig>::default();
/// assert!(config.caching);
/// assert!(!config.is_written());
/// config.caching = false;
/// assert!(config.is_written());
/// assert!(!config.caching);
/// ```
#[derive(Clone)]
pub struct AllocOnWrite<T: Unwritten>(Option<Box<T>>);

impl<T: Unwritten> AllocOnWrite<T> {
    /// Not written: reads as [`Unwritten::UNWRITTEN`].
    pub const UNWRITTEN: Self = AllocOnWrite(None);

    /// Whether the value was borrowed mutably (and so allocated), even if
    /// it still equals its unwritten reading.
    pub fn is_written(&self) -> bool {
        self.0.is_some()
    }
}

impl<T: Unwritten> Default for AllocOnWrite<T> {
    fn default() -> Self {
        Self::UNWRITTEN
    }
}

impl<T: Unwritten> std::ops::Deref for AllocOnWrite<T> {
    type Target = T;

    fn deref(&self) -> &T {
        self.0.as_deref().unwrap_or(T::UNWRITTEN)
    }
}

impl<T: Unwritten> std::ops::DerefMut for AllocOnWrite<T> {
    fn deref_mut(&mut self) -> &mut T {
        self.0.get_or_insert_with(|| Box::new(T::UNWRITTEN.clone()))
    }
}

impl<T: Unwritten> From<T> for AllocOnWrite<T> {
    fn from(value: T) -> Self {
        AllocOnWrite(Some(Box::new(value)))
    }
}

/// Equal when the values are, written or not.
impl<T: Unwritten + PartialEq> PartialEq for AllocOnWrite<T> {
    fn eq(&self, other: &Self) -> bool {
        **self == **other
    }
}

impl<T: Unwritten + std::fmt::Debug> std::fmt::Debug for AllocOnWrite<T> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        (**self).fmt(f)
    }
}

/// A call of a component in a pipeline.
#[derive(Clone, Debug, PartialEq)]
pub struct Task {
    /// The component called.
    pub component: ComponentId,
    /// The values of the inputs this task sets, in the order they were
    /// bound (input name, binding). Inputs left out take their defaults.
    pub arguments: Vec<(CompactString, Binding)>,
    /// The task's configuration, allocated once a setting is made.
    pub config: AllocOnWrite<TaskConfig>,
    /// The innermost group the task runs in (`None`: the pipeline's top
    /// level).
    pub group: Option<GroupId>,
}

impl Task {
    /// A call of `component` with no inputs bound and the default config.
    pub fn new(component: ComponentId) -> Self {
        Self {
            component,
            arguments: Vec::new(),
            config: AllocOnWrite::default(),
            group: None,
        }
    }

    /// Puts the task in group `group`.
    pub fn in_group(mut self, group: GroupId) -> Self {
        self.group = Some(group);
        self
    }

    /// Binds the input `input` (replacing an earlier binding of it).
    pub fn bind(mut self, input: impl Into<CompactString>, binding: Binding) -> Self {
        self.set_argument(input, binding);
        self
    }

    /// Binds the input `input` in place (replacing an earlier binding of it).
    pub fn set_argument(&mut self, input: impl Into<CompactString>, binding: Binding) {
        let input = input.into();
        match self.arguments.iter_mut().find(|(n, _)| *n == input) {
            Some((_, b)) => *b = binding,
            None => self.arguments.push((input, binding)),
        }
    }

    /// The binding of input `input`, if bound.
    pub fn argument(&self, input: &str) -> Option<&Binding> {
        self.arguments
            .iter()
            .find(|(n, _)| n == input)
            .map(|(_, b)| b)
    }

    /// Sets the configuration.
    pub fn with_config(mut self, config: TaskConfig) -> Self {
        self.config = config.into();
        self
    }
}

/// Where a task input takes its value from.
#[derive(Clone, Debug, PartialEq)]
pub enum Binding {
    /// A constant (any JSON value; runtime placeholders such as
    /// `{{$.pipeline_job_name}}` are string constants).
    Constant(Value),
    /// An input parameter of the enclosing pipeline.
    PipelineParameter(CompactString),
    /// An input artifact of the enclosing pipeline.
    PipelineArtifact(CompactString),
    /// An output parameter of another task of the same pipeline.
    TaskOutputParameter {
        /// The producing task.
        task: TaskId,
        /// Its output's name.
        output: CompactString,
    },
    /// An output artifact of another task of the same pipeline.
    TaskOutputArtifact {
        /// The producing task.
        task: TaskId,
        /// Its output's name.
        output: CompactString,
    },
    /// The current item of the enclosing loop `group`.
    LoopItem(GroupId),
    /// A field of the current item of the enclosing loop `group`, whose
    /// items are objects (kfp's `item.field`): the task reads the item and
    /// selects the field when it runs.
    LoopItemField {
        /// The loop.
        group: GroupId,
        /// The field's name.
        field: CompactString,
    },
    /// A string with values formatted into it when the task runs (kfp's
    /// f-strings, `f'hi {name}'`): literal pieces and pipeline inputs, task
    /// output parameters or loop items, for a `STRING` input.
    Interpolated(Vec<ConfigValue>),
    /// The value of whichever branch of an If/Elif/Else chain ran (kfp's
    /// `dsl.OneOf`), read where the chain is or inside groups there.
    OneOf(OneOfId),
    /// The values of an output of a task inside a loop, gathered after the
    /// loop (kfp's `dsl.Collected`): a `LIST` parameter, or a list of
    /// artifacts.
    Collected {
        /// The producing task, inside a loop the consumer is not in.
        task: TaskId,
        /// Its output's name.
        output: CompactString,
    },
}

impl Binding {
    /// A constant.
    pub fn constant(value: impl Into<Value>) -> Self {
        Binding::Constant(value.into())
    }

    /// An input parameter of the enclosing pipeline.
    pub fn pipeline_parameter(name: impl Into<CompactString>) -> Self {
        Binding::PipelineParameter(name.into())
    }

    /// An input artifact of the enclosing pipeline.
    pub fn pipeline_artifact(name: impl Into<CompactString>) -> Self {
        Binding::PipelineArtifact(name.into())
    }

    /// An output parameter of `task`.
    pub fn task_output_parameter(task: TaskId, output: impl Into<CompactString>) -> Self {
        Binding::TaskOutputParameter {
            task,
            output: output.into(),
        }
    }

    /// An output artifact of `task`.
    pub fn task_output_artifact(task: TaskId, output: impl Into<CompactString>) -> Self {
        Binding::TaskOutputArtifact {
            task,
            output: output.into(),
        }
    }

    /// The producing task, for bindings to a task output.
    pub fn producer(&self) -> Option<TaskId> {
        match self {
            Binding::TaskOutputParameter { task, .. }
            | Binding::TaskOutputArtifact { task, .. }
            | Binding::Collected { task, .. } => Some(*task),
            _ => None,
        }
    }
}

/// A task setting whose value is a literal or, as kfp allows for resources,
/// the accelerator, the image and the names of Kubernetes objects, a value
/// resolved at run time: a pipeline input, a task output parameter or the
/// item of an enclosing loop.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ConfigValue {
    /// A literal, e.g. `"500m"`, `"1Gi"`, `"nvidia.com/gpu"`, `"1"`.
    Literal(String),
    /// An input parameter of the enclosing pipeline.
    PipelineParameter(String),
    /// An output parameter of another task.
    TaskOutput {
        /// The producing task.
        task: TaskId,
        /// Its output's name.
        output: String,
    },
    /// The current item of the enclosing loop `group` (a `String` item for
    /// settings; of any type in an f-string).
    LoopItem(GroupId),
}

impl From<&str> for ConfigValue {
    fn from(s: &str) -> Self {
        ConfigValue::Literal(s.to_owned())
    }
}

impl From<String> for ConfigValue {
    fn from(s: String) -> Self {
        ConfigValue::Literal(s)
    }
}

/// A task's configuration (kfp's `PipelineTask.set_*` methods).
#[derive(Clone, Debug, PartialEq)]
pub struct TaskConfig {
    /// Tasks that must finish first, besides data dependencies (`.after`).
    pub after: Vec<TaskId>,
    /// CPU, memory and accelerator.
    pub resources: Resources,
    /// Environment variables, in the order set (setting a name again
    /// replaces its value; see [`set_env`](Self::set_env)).
    pub env: Vec<(String, String)>,
    /// Whether the result may be taken from the cache (default `true`).
    pub caching: bool,
    /// A custom cache key.
    pub cache_key: Option<String>,
    /// The retry policy, if retries are wanted.
    pub retry: Option<RetryPolicy>,
    /// The display name (`taskInfo.name`); the task key does not change.
    pub display_name: Option<String>,
    /// An image replacing the component's (a literal, or a pipeline input
    /// or task output resolved at run time).
    pub image: Option<ConfigValue>,
    /// Run even when upstream tasks fail
    /// (`ALL_UPSTREAM_TASKS_COMPLETED`).
    pub ignore_upstream_failure: bool,
    /// The Kubernetes settings of kfp-kubernetes (container tasks only).
    pub kubernetes: kubernetes::TaskKubernetes,
}

impl Default for TaskConfig {
    fn default() -> Self {
        Self::DEFAULT
    }
}

impl Unwritten for TaskConfig {
    const UNWRITTEN: &'static Self = &TaskConfig::DEFAULT;
}

impl TaskConfig {
    /// No setting made: caching on, nothing else set. What a task's
    /// [`AllocOnWrite`] config reads as until it is written.
    pub const DEFAULT: TaskConfig = TaskConfig {
        after: Vec::new(),
        resources: Resources::NONE,
        env: Vec::new(),
        caching: true,
        cache_key: None,
        retry: None,
        display_name: None,
        image: None,
        ignore_upstream_failure: false,
        kubernetes: AllocOnWrite::UNWRITTEN,
    };

    /// Sets an environment variable, replacing an earlier value of `name`
    /// in place (as kfp's dict does).
    pub fn set_env(&mut self, name: impl Into<String>, value: impl Into<String>) {
        let (name, value) = (name.into(), value.into());
        match self.env.iter_mut().find(|(n, _)| *n == name) {
            Some((_, v)) => *v = value,
            None => self.env.push((name, value)),
        }
    }
}

/// Resource requests and limits of a task's container.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Resources {
    /// CPU request, e.g. `"500m"` or `"2"`.
    pub cpu_request: Option<ConfigValue>,
    /// CPU limit.
    pub cpu_limit: Option<ConfigValue>,
    /// Memory request, e.g. `"1Gi"` or `"512M"`.
    pub memory_request: Option<ConfigValue>,
    /// Memory limit.
    pub memory_limit: Option<ConfigValue>,
    /// Accelerator type, e.g. `"nvidia.com/gpu"`.
    pub accelerator_type: Option<ConfigValue>,
    /// Accelerator count; a type without a count means 1, as in kfp.
    pub accelerator_limit: Option<ConfigValue>,
}

impl Resources {
    /// Nothing set.
    pub const NONE: Resources = Resources {
        cpu_request: None,
        cpu_limit: None,
        memory_request: None,
        memory_limit: None,
        accelerator_type: None,
        accelerator_limit: None,
    };

    /// Whether nothing is set.
    pub fn is_empty(&self) -> bool {
        *self == Self::default()
    }
}

/// A retry policy (kfp's `set_retry`). Unset fields take kfp's defaults
/// when compiled: backoff `0s`, factor `2.0`, max `3600s`.
#[derive(Clone, Debug, PartialEq)]
pub struct RetryPolicy {
    /// How many times to retry.
    pub max_retry_count: u32,
    /// The first backoff, as a duration string (`"30s"`, `"1h"`, `"5m"`)
    /// or seconds (`"30"`).
    pub backoff_duration: Option<String>,
    /// The backoff multiplier.
    pub backoff_factor: Option<f64>,
    /// The longest backoff, as for `backoff_duration`.
    pub backoff_max_duration: Option<String>,
}

impl RetryPolicy {
    /// Retry `max_retry_count` times with kfp's default backoff.
    pub fn new(max_retry_count: u32) -> Self {
        Self {
            max_retry_count,
            backoff_duration: None,
            backoff_factor: None,
            backoff_max_duration: None,
        }
    }
}
