//! The rules a schema cannot express: what the KFP backend checks when a
//! pipeline is uploaded or compiled for Argo, and what would make a run fail
//! before any task starts.
//!
//! * `schemaVersion` is exactly `2.1.0` (`v2_template.go`).
//! * `pipelineInfo.name` is present and matches `^[a-z0-9][a-z0-9-]{0,127}$`.
//! * `root` is present and is a DAG.
//! * Every `componentRef` names a component, and every `executorLabel` an
//!   executor of `deploymentSpec` whose kind the backend runs (container or
//!   importer).
//! * `dependentTasks`, `producerTask` and DAG output `producerSubtask` name
//!   tasks of the same DAG, and the output keys they name exist.
//! * The tasks of a DAG have no dependency cycle.
//! * Every DAG has a task that is not an exit task.
//! * Iterator item inputs are declared by the component, and the inputs they
//!   iterate over are bound.
//! * A task's input artifacts exist in its component's `inputDefinitions`,
//!   no input is bound as the wrong kind (parameter or artifact), and every
//!   required input is bound.
//! * Platform executor configs name executors of `deploymentSpec`.
//!
//! And one warning: a task input *parameter* that its component does not
//! declare, unless kfp itself binds such inputs under that name
//! ([`injected_by_kfp`]). The backend resolves and then ignores it, so the
//! file is valid, but it is nearly always a misspelt input of a hand-edited
//! file.

use std::collections::BTreeSet;

use rustc_hash::FxHashMap;

use crate::diagnostic::{Diagnostic, Document, JsonPointer};
use crate::pipeline_spec::{
    ComponentImplementation, ComponentInputsSpec, ComponentSpec, DagOutputParameterSpec, DagSpec,
    ExecutorSpec, InputArtifactSpec, InputParameterKind, ParameterItemsSpec, PipelineSpec,
    PipelineTaskSpec, PlatformSpec, TaskInputsSpec, TaskIterator, TriggerStrategy,
};
use crate::{CompactString, SCHEMA_VERSION, kubernetes::KubernetesExecutorConfig};

/// Where a rule looks: JSON pointer segments chained on the stack, made
/// into a [`JsonPointer`] only when a problem is reported there. (Building
/// every pointer up front cost more than the checks themselves.)
#[derive(Debug, Clone, Copy)]
enum Path<'p> {
    Root,
    Key(&'p Path<'p>, &'p str),
    Index(&'p Path<'p>, usize),
}

impl<'p> Path<'p> {
    fn join(&'p self, key: &'p str) -> Path<'p> {
        Path::Key(self, key)
    }

    fn index(&'p self, index: usize) -> Path<'p> {
        Path::Index(self, index)
    }

    fn pointer(&self) -> JsonPointer {
        match self {
            Path::Root => JsonPointer::root(),
            Path::Key(parent, key) => parent.pointer().join(key),
            Path::Index(parent, index) => parent.pointer().join(index),
        }
    }
}

/// Collects the problems of one file.
struct Checker<'a> {
    spec: &'a PipelineSpec,
    diagnostics: Vec<Diagnostic>,
    /// The spec's components and executors, and the tasks of the DAG being
    /// checked, by name: looked up once or more per task, which in a
    /// `BTreeMap` of thousands of `comp-…` names costs a dozen string
    /// comparisons each. The hash is Fx: files are checked by the person
    /// about to submit them, so there is no one to flood the maps.
    components: FxHashMap<&'a str, &'a ComponentSpec>,
    executors: FxHashMap<&'a str, &'a ExecutorSpec>,
    tasks: FxHashMap<&'a str, &'a PipelineTaskSpec>,
}

/// Checks every rule, returning every violation.
pub(crate) fn check(spec: &PipelineSpec, platform: Option<&PlatformSpec>) -> Vec<Diagnostic> {
    let mut checker = Checker {
        spec,
        diagnostics: Vec::new(),
        components: spec
            .components
            .iter()
            .map(|(k, v)| (k.as_str(), v))
            .collect(),
        executors: spec
            .deployment_spec
            .iter()
            .flat_map(|d| &d.executors)
            .map(|(k, v)| (k.as_str(), v))
            .collect(),
        tasks: FxHashMap::default(),
    };
    checker.header();
    let root = Path::Root;
    match &spec.root {
        None => checker.error(
            &root.join("root"),
            "missing `root`: the pipeline's own component (its DAG) is required",
        ),
        Some(component) => {
            if !matches!(
                component.implementation,
                Some(ComponentImplementation::Dag(_))
            ) {
                checker.error(
                    &root.join("root"),
                    "`root` must be a DAG (`dag`), not an executor",
                );
            }
            checker.component(&root.join("root"), component);
        }
    }
    for (name, component) in &spec.components {
        checker.component(&root.join("components").join(name), component);
    }
    if let Some(platform) = platform {
        checker.platform(platform);
    }
    checker.diagnostics
}

/// Whether `name` follows the KFP backend's name rule of pipelines and
/// versions, `^[a-z0-9][a-z0-9-]{0,127}$`.
///
/// ```
/// use kfp_ir_schema::validate::valid_pipeline_name;
/// assert!(valid_pipeline_name("my-pipeline-2"));
/// assert!(!valid_pipeline_name("My Pipeline"));
/// assert!(!valid_pipeline_name("-leading-dash"));
/// ```
pub fn valid_pipeline_name(name: &str) -> bool {
    let bytes = name.as_bytes();
    !bytes.is_empty()
        && bytes.len() <= 128
        && (bytes[0].is_ascii_lowercase() || bytes[0].is_ascii_digit())
        && bytes
            .iter()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || *b == b'-')
}

/// The warning on a loop over a list of artifacts: kfp 2.17 writes
/// `artifactIterator`, but the KFP backend refuses it (its Argo compiler:
/// "artifact iterator not implemented yet"; its driver: "ArtifactIterator
/// is not implemented"); kfp.local and kfp-local run it.
const ARTIFACT_ITERATOR_UNSUPPORTED: &str = "the KFP backend does not run a loop over a list of \
     artifacts (\"artifact iterator not implemented yet\"); kfp.local and kfp-local run it";

/// The prefix of the inputs kfp injects into a task or a group for the
/// values it reads from outside: `pipelinechannel--<input>`,
/// `pipelinechannel--<task>-<output>`, `pipelinechannel--loop-item-param-<n>`.
const PIPELINE_CHANNEL: &str = "pipelinechannel--";

/// The task inputs kfp binds for a task setting given at run time (kfp's
/// `PipelineTask.set_cpu_limit(...)` and the others, with a pipeline input
/// or task output), which the component does not declare.
const TASK_CONFIG_INPUTS: &[&str] = &[
    "accelerator_count",
    "accelerator_type",
    "base_image",
    "cpu_limit",
    "cpu_request",
    "memory_limit",
    "memory_request",
];

/// Whether kfp binds task inputs of this name that the component need not
/// declare: the `pipelinechannel--…` inputs and the task-setting inputs
/// (`cpu_limit`, `accelerator_type`, …). Any other undeclared input is
/// reported as a warning.
///
/// ```
/// use kfp_ir_schema::validate::injected_by_kfp;
/// assert!(injected_by_kfp("pipelinechannel--train-Output"));
/// assert!(injected_by_kfp("cpu_limit"));
/// assert!(!injected_by_kfp("epochs"));
/// ```
pub fn injected_by_kfp(name: &str) -> bool {
    name.starts_with(PIPELINE_CHANNEL) || TASK_CONFIG_INPUTS.contains(&name)
}

/// A task's inputs beside its component's: what the input checks compare.
struct TaskInputs<'p, 'i> {
    /// Where the task's `inputs` are.
    path: &'p Path<'p>,
    /// What the task binds.
    bound: &'i TaskInputsSpec,
    /// What the component declares.
    declared: Option<&'i ComponentInputsSpec>,
    /// The component's name, for messages.
    component: &'i str,
}

fn is_exit_task(task: &PipelineTaskSpec) -> bool {
    task.trigger_policy
        .as_ref()
        .is_some_and(|t| t.strategy == TriggerStrategy::AllUpstreamTasksCompleted)
}

impl<'a> Checker<'a> {
    fn error(&mut self, path: &Path<'_>, message: impl Into<String>) {
        self.diagnostics.push(Diagnostic::new(
            Document::PipelineSpec,
            path.pointer(),
            message,
        ));
    }

    fn warning(&mut self, path: &Path<'_>, message: impl Into<String>) {
        self.diagnostics.push(Diagnostic::warning(
            Document::PipelineSpec,
            path.pointer(),
            message,
        ));
    }

    fn header(&mut self) {
        let root = Path::Root;
        if self.spec.schema_version != SCHEMA_VERSION {
            self.error(
                &root.join("schemaVersion"),
                format!(
                    "schemaVersion is {:?}; KFP only supports schema version {SCHEMA_VERSION}",
                    self.spec.schema_version
                ),
            );
        }
        let name = self
            .spec
            .pipeline_info
            .as_ref()
            .map_or("", |i| i.name.as_str());
        if name.is_empty() {
            self.error(
                &root.join("pipelineInfo").join("name"),
                "missing pipeline name: the KFP backend requires `pipelineInfo.name`",
            );
        } else if !valid_pipeline_name(name) {
            self.error(
                &root.join("pipelineInfo").join("name"),
                format!(
                    "pipeline name {name:?} is not allowed: it must match ^[a-z0-9][a-z0-9-]{{0,127}}$ (lower-case letters, digits and `-`, at most 128)"
                ),
            );
        }
    }

    fn component(&mut self, path: &Path<'_>, component: &'a ComponentSpec) {
        match &component.implementation {
            None => self.error(path, "the component has neither `dag` nor `executorLabel`"),
            Some(ComponentImplementation::ExecutorLabel(label)) => {
                self.executor(&path.join("executorLabel"), label);
            }
            Some(ComponentImplementation::Dag(dag)) => self.dag(&path.join("dag"), dag),
        }
    }

    fn executor(&mut self, path: &Path<'_>, label: &str) {
        let executors = self.spec.deployment_spec.as_ref().map(|d| &d.executors);
        match self.executors.get(label).copied() {
            None => {
                let known: Vec<&str> = executors
                    .map(|e| e.keys().map(CompactString::as_str).collect())
                    .unwrap_or_default();
                let hint = super::did_you_mean(label, &known)
                    .map(|k| format!(" (did you mean `{k}`?)"))
                    .unwrap_or_default();
                self.error(
                    path,
                    format!("executor `{label}` is not in `deploymentSpec.executors`{hint}"),
                );
            }
            Some(ExecutorSpec::Resolver(_)) | Some(ExecutorSpec::CustomJob(_)) => self.error(
                path,
                format!(
                    "executor `{label}` is a resolver or custom job, which the KFP backend does not run (only container and importer executors)"
                ),
            ),
            Some(_) => {}
        }
    }

    fn component_named(&self, name: &str) -> Option<&'a ComponentSpec> {
        self.components.get(name).copied()
    }

    fn dag(&mut self, path: &Path<'_>, dag: &'a DagSpec) {
        self.tasks.clear();
        self.tasks
            .extend(dag.tasks.iter().map(|(k, v)| (k.as_str(), v)));
        let tasks_path = path.join("tasks");
        if !dag.tasks.values().any(|t| !is_exit_task(t)) {
            self.error(
                &tasks_path,
                "the DAG must contain one or more non-exit tasks",
            );
        }
        for (name, task) in &dag.tasks {
            self.task(&tasks_path.join(name), dag, task);
        }
        self.cycles(&tasks_path, dag);
        self.dag_outputs(&path.join("outputs"), dag);
    }

    /// The component a task runs, or `None` (reported) when it is missing.
    fn task_component(
        &mut self,
        path: &Path<'_>,
        task: &'a PipelineTaskSpec,
    ) -> Option<&'a ComponentSpec> {
        let reference = task.component_ref.as_ref().map_or("", |r| r.name.as_str());
        if reference.is_empty() {
            self.error(&path.join("componentRef"), "the task names no component");
            return None;
        }
        let found = self.component_named(reference);
        if found.is_none() {
            let known: Vec<&str> = self
                .spec
                .components
                .keys()
                .map(CompactString::as_str)
                .collect();
            let hint = super::did_you_mean(reference, &known)
                .map(|k| format!(" (did you mean `{k}`?)"))
                .unwrap_or_default();
            self.error(
                &path.join("componentRef").join("name"),
                format!("component `{reference}` is not in `components`{hint}"),
            );
        }
        found
    }

    fn task(&mut self, path: &Path<'_>, dag: &'a DagSpec, task: &'a PipelineTaskSpec) {
        self.dependencies(path, task);
        let component = self.task_component(path, task);
        let no_inputs = TaskInputsSpec::default();
        let inputs = task.inputs.as_ref().unwrap_or(&no_inputs);
        let inputs_path = path.join("inputs");
        self.producers(&inputs_path, dag, inputs);

        let Some(component) = component else { return };
        let task_inputs = TaskInputs {
            path: &inputs_path,
            bound: inputs,
            declared: component.input_definitions.as_ref(),
            component: task.component_ref.as_ref().map_or("", |r| r.name.as_str()),
        };
        let bound_by_iterator = self.iterator(path, task, &task_inputs);
        let undeclared = self.input_kinds(&task_inputs);
        self.undeclared_parameters(task, &task_inputs, &undeclared);
        self.required_inputs(&task_inputs, bound_by_iterator, &undeclared);
    }

    /// The tasks a task depends on are tasks of its DAG.
    fn dependencies(&mut self, path: &Path<'_>, task: &PipelineTaskSpec) {
        for (i, dependency) in task.dependent_tasks.iter().enumerate() {
            if !self.tasks.contains_key(dependency.as_str()) {
                self.error(
                    &path.join("dependentTasks").index(i),
                    format!("dependent task `{dependency}` is not a task of this DAG"),
                );
            }
        }
    }

    /// The tasks a task's inputs come from are tasks of its DAG, whose
    /// components declare the outputs named.
    fn producers(&mut self, inputs_path: &Path<'_>, dag: &'a DagSpec, inputs: &TaskInputsSpec) {
        let parameters_path = inputs_path.join("parameters");
        let artifacts_path = inputs_path.join("artifacts");

        for (name, input) in &inputs.parameters {
            let at = parameters_path.join(name);
            match &input.kind {
                Some(InputParameterKind::TaskOutputParameter(output)) => {
                    let at = at.join("taskOutputParameter");
                    self.producer(
                        &at,
                        dag,
                        &output.producer_task,
                        |c| {
                            c.output_definitions.as_ref().is_some_and(|o| {
                                o.parameters.contains_key(&output.output_parameter_key)
                            })
                        },
                        "output parameter",
                        &output.output_parameter_key,
                    );
                }
                Some(InputParameterKind::TaskFinalStatus(status))
                    if !self.tasks.contains_key(status.producer_task.as_str()) =>
                {
                    self.error(
                        &at.join("taskFinalStatus").join("producerTask"),
                        format!(
                            "producer task `{}` is not a task of this DAG",
                            status.producer_task
                        ),
                    );
                }
                _ => {}
            }
        }
        for (name, input) in &inputs.artifacts {
            if let InputArtifactSpec::TaskOutputArtifact(output) = input {
                let artifact = artifacts_path.join(name);
                let at = artifact.join("taskOutputArtifact");
                self.producer(
                    &at,
                    dag,
                    &output.producer_task,
                    |c| {
                        c.output_definitions
                            .as_ref()
                            .is_some_and(|o| o.artifacts.contains_key(&output.output_artifact_key))
                    },
                    "output artifact",
                    &output.output_artifact_key,
                );
            }
        }
    }

    /// A loop's item input is declared by the component, and what the loop
    /// iterates over is bound. Returns the item input, which the iterator
    /// binds.
    fn iterator<'t>(
        &mut self,
        path: &Path<'_>,
        task: &'t PipelineTaskSpec,
        inputs: &TaskInputs<'_, '_>,
    ) -> Option<&'t str> {
        let declared_parameters = inputs.declared.map(|d| &d.parameters);
        let declared_artifacts = inputs.declared.map(|d| &d.artifacts);
        let reference = inputs.component;
        // The loop item input is bound by the iterator, not by `inputs`.
        let mut bound_by_iterator: Option<&str> = None;
        match &task.iterator {
            Some(TaskIterator::ParameterIterator(iterator)) => {
                let at = path.join("parameterIterator");
                bound_by_iterator = Some(&iterator.item_input);
                if !declared_parameters.is_some_and(|p| p.contains_key(&iterator.item_input)) {
                    self.error(
                        &at.join("itemInput"),
                        format!(
                            "loop item input `{}` is not an input parameter of component `{reference}`",
                            iterator.item_input
                        ),
                    );
                }
                if let Some(ParameterItemsSpec::InputParameter(items)) = &iterator.items
                    && !inputs.bound.parameters.contains_key(items)
                {
                    self.error(
                        &at.join("items").join("inputParameter"),
                        format!("the loop iterates over `{items}`, which is not an input parameter of the task"),
                    );
                }
            }
            Some(TaskIterator::ArtifactIterator(iterator)) => {
                let at = path.join("artifactIterator");
                bound_by_iterator = Some(&iterator.item_input);
                // kfp writes it, so it is valid IR; but a cluster refuses it.
                self.warning(&at, ARTIFACT_ITERATOR_UNSUPPORTED);
                if !declared_artifacts.is_some_and(|a| a.contains_key(&iterator.item_input)) {
                    self.error(
                        &at.join("itemInput"),
                        format!(
                            "loop item input `{}` is not an input artifact of component `{reference}`",
                            iterator.item_input
                        ),
                    );
                }
                if let Some(items) = &iterator.items
                    && !inputs.bound.artifacts.contains_key(&items.input_artifact)
                {
                    self.error(
                        &at.join("items").join("inputArtifact"),
                        format!(
                            "the loop iterates over `{}`, which is not an input artifact of the task",
                            items.input_artifact
                        ),
                    );
                }
            }
            None => {}
        }
        bound_by_iterator
    }

    /// No input is bound as another kind (parameter or artifact) than its
    /// component declares.
    /// Returns the parameters the task binds that the component does not
    /// declare.
    fn input_kinds<'i>(&mut self, inputs: &TaskInputs<'_, 'i>) -> Vec<&'i str> {
        let declared_parameters = inputs.declared.map(|d| &d.parameters);
        let declared_artifacts = inputs.declared.map(|d| &d.artifacts);
        let reference = inputs.component;
        // An input the task binds as one kind must not be declared as the
        // other. Undeclared parameters are valid: kfp itself binds extra
        // ones (the `pipelinechannel--` inputs that resource placeholders and
        // f-strings read, and the task-config inputs), and the backend
        // resolves them all.
        let mut undeclared: Vec<&str> = Vec::new();
        for name in inputs.bound.parameters.keys() {
            if declared_parameters.is_some_and(|p| p.contains_key(name)) {
                continue;
            }
            if declared_artifacts.is_some_and(|a| a.contains_key(name)) {
                self.error(
                    &inputs.path.join("parameters").join(name),
                    format!("`{name}` is an input artifact of component `{reference}`, but the task binds it as a parameter"),
                );
            } else {
                undeclared.push(name);
            }
        }
        for name in inputs.bound.artifacts.keys() {
            if declared_artifacts.is_some_and(|a| a.contains_key(name)) {
                continue;
            }
            let message = if declared_parameters.is_some_and(|p| p.contains_key(name)) {
                format!(
                    "`{name}` is an input parameter of component `{reference}`, but the task binds it as an artifact"
                )
            } else {
                format!("component `{reference}` has no input artifact `{name}`")
            };
            self.error(&inputs.path.join("artifacts").join(name), message);
        }
        undeclared
    }

    /// Warns of each parameter in `undeclared` that kfp does not bind
    /// itself and that the task's loop and condition do not read: the
    /// backend ignores it, so it is nearly always a typo.
    fn undeclared_parameters(
        &mut self,
        task: &PipelineTaskSpec,
        inputs: &TaskInputs<'_, '_>,
        undeclared: &[&str],
    ) {
        let iterated = match &task.iterator {
            Some(TaskIterator::ParameterIterator(iterator)) => match &iterator.items {
                Some(ParameterItemsSpec::InputParameter(items)) => items.as_str(),
                _ => "",
            },
            _ => "",
        };
        let condition = task.trigger_policy.as_ref().map_or("", |t| &t.condition);
        let read_by_task = |name: &str| {
            name == iterated
                || condition.contains(&format!("['{name}']"))
                || condition.contains(&format!("[\"{name}\"]"))
        };
        let declared: Vec<&str> = inputs
            .declared
            .iter()
            .flat_map(|d| d.parameters.keys())
            .map(CompactString::as_str)
            .collect();
        for name in undeclared
            .iter()
            .filter(|n| !injected_by_kfp(n) && !read_by_task(n))
        {
            let hint = super::did_you_mean(name, &declared)
                .map(|k| format!(" (did you mean `{k}`?)"))
                .unwrap_or_default();
            self.warning(
                &inputs.path.join("parameters").join(name),
                format!(
                    "component `{}` has no input parameter `{name}`{hint}; the KFP backend ignores it",
                    inputs.component
                ),
            );
        }
    }

    /// Every required input of the component is bound (by the task, or by
    /// its loop: `bound_by_iterator`).
    fn required_inputs(
        &mut self,
        inputs: &TaskInputs<'_, '_>,
        bound_by_iterator: Option<&str>,
        undeclared: &[&str],
    ) {
        let declared_parameters = inputs.declared.map(|d| &d.parameters);
        let declared_artifacts = inputs.declared.map(|d| &d.artifacts);
        let reference = inputs.component;
        let is_bound = |name: &str, bound: bool| bound || bound_by_iterator == Some(name);
        let mut missing: BTreeSet<&str> = BTreeSet::new();
        for (name, parameter) in declared_parameters.into_iter().flatten() {
            let required = !parameter.is_optional && parameter.default_value.is_none();
            if required && !is_bound(name, inputs.bound.parameters.contains_key(name)) {
                missing.insert(name);
            }
        }
        for (name, artifact) in declared_artifacts.into_iter().flatten() {
            if !artifact.is_optional && !is_bound(name, inputs.bound.artifacts.contains_key(name)) {
                missing.insert(name);
            }
        }
        for name in missing {
            let hint = super::did_you_mean(name, undeclared)
                .map(|typo| {
                    format!(" (the task binds `{typo}`, which the component does not declare)")
                })
                .unwrap_or_default();
            self.error(
                inputs.path,
                format!("required input `{name}` of component `{reference}` is not bound{hint}"),
            );
        }
    }

    /// Checks that `producer` is a task of `dag` whose component declares the
    /// output `key` (of the given kind).
    fn producer(
        &mut self,
        at: &Path<'_>,
        dag: &'a DagSpec,
        producer: &str,
        declares: impl Fn(&ComponentSpec) -> bool,
        kind: &str,
        key: &str,
    ) {
        let Some(task) = self.tasks.get(producer).copied() else {
            let known: Vec<&str> = dag.tasks.keys().map(CompactString::as_str).collect();
            let hint = super::did_you_mean(producer, &known)
                .map(|k| format!(" (did you mean `{k}`?)"))
                .unwrap_or_default();
            self.error(
                &at.join("producerTask"),
                format!("producer task `{producer}` is not a task of this DAG{hint}"),
            );
            return;
        };
        let component = task
            .component_ref
            .as_ref()
            .and_then(|r| self.component_named(&r.name));
        if let Some(component) = component
            && !declares(component)
        {
            let reference = task.component_ref.as_ref().map_or("", |r| r.name.as_str());
            self.error(
                at,
                format!("task `{producer}` (component `{reference}`) has no {kind} `{key}`"),
            );
        }
    }

    fn dag_outputs(&mut self, path: &Path<'_>, dag: &'a DagSpec) {
        let Some(outputs) = &dag.outputs else { return };
        let parameters = path.join("parameters");
        for (name, output) in &outputs.parameters {
            let at = parameters.join(name);
            match output {
                DagOutputParameterSpec::ValueFromParameter(s) => {
                    let at = at.join("valueFromParameter");
                    self.producer_subtask(&at, &s.producer_subtask);
                }
                DagOutputParameterSpec::ValueFromOneof(s) => {
                    let oneof = at.join("valueFromOneof");
                    let selectors = oneof.join("parameterSelectors");
                    for (i, s) in s.parameter_selectors.iter().enumerate() {
                        self.producer_subtask(&selectors.index(i), &s.producer_subtask);
                    }
                }
            }
        }
        let artifacts = path.join("artifacts");
        for (name, output) in &outputs.artifacts {
            let at = artifacts.join(name);
            let selectors = at.join("artifactSelectors");
            for (i, s) in output.artifact_selectors.iter().enumerate() {
                self.producer_subtask(&selectors.index(i), &s.producer_subtask);
            }
        }
    }

    /// A DAG output's selector at `at` names a task of the DAG.
    fn producer_subtask(&mut self, at: &Path<'_>, producer: &str) {
        if !self.tasks.contains_key(producer) {
            self.error(
                &at.join("producerSubtask"),
                format!("producer subtask `{producer}` is not a task of this DAG"),
            );
        }
    }

    /// Reports each dependency cycle once, naming its tasks in order.
    fn cycles(&mut self, tasks_path: &Path<'_>, dag: &'a DagSpec) {
        // Tasks by their position in the (sorted) DAG, so the search below
        // works on numbers rather than names.
        let names: Vec<&str> = dag.tasks.keys().map(CompactString::as_str).collect();
        let position: FxHashMap<&str, usize> =
            names.iter().enumerate().map(|(i, n)| (*n, i)).collect();
        // Edges: explicit `dependentTasks` and data dependencies, to tasks
        // of this DAG (others are reported elsewhere). The upstream tasks
        // of task `i` are `edges[ends[i - 1]..ends[i]]` (from 0 for the
        // first): one vector for all, rather than one per task.
        let mut edges: Vec<usize> = Vec::with_capacity(dag.tasks.len());
        let mut ends: Vec<usize> = Vec::with_capacity(dag.tasks.len());
        let mut of_task: Vec<usize> = Vec::new();
        for task in dag.tasks.values() {
            of_task.clear();
            let mut add = |name: &str| of_task.extend(position.get(name).copied());
            task.dependent_tasks.iter().for_each(|d| add(d));
            if let Some(inputs) = &task.inputs {
                for input in inputs.parameters.values() {
                    match &input.kind {
                        Some(InputParameterKind::TaskOutputParameter(o)) => add(&o.producer_task),
                        Some(InputParameterKind::TaskFinalStatus(s)) => add(&s.producer_task),
                        _ => {}
                    }
                }
                for input in inputs.artifacts.values() {
                    if let InputArtifactSpec::TaskOutputArtifact(o) = input {
                        add(&o.producer_task);
                    }
                }
            }
            of_task.sort_unstable();
            of_task.dedup();
            edges.extend_from_slice(&of_task);
            ends.push(edges.len());
        }
        let upstream = |task: usize| {
            let start = if task == 0 { 0 } else { ends[task - 1] };
            &edges[start..ends[task]]
        };

        #[derive(Clone, Copy, PartialEq)]
        enum Mark {
            New,
            Open,
            Done,
        }
        let mut marks = vec![Mark::New; names.len()];
        let mut found: Vec<Vec<usize>> = Vec::new();
        // Iterative depth-first search, so a long chain cannot overflow the
        // stack. Each frame is a task and how many of its edges are done.
        for start in 0..names.len() {
            if marks[start] != Mark::New {
                continue;
            }
            let mut stack: Vec<(usize, usize)> = vec![(start, 0)];
            marks[start] = Mark::Open;
            while let Some((node, done)) = stack.last_mut() {
                let node = *node;
                let Some(&next) = upstream(node).get(*done) else {
                    marks[node] = Mark::Done;
                    stack.pop();
                    continue;
                };
                *done += 1;
                match marks[next] {
                    Mark::Done => {}
                    Mark::Open => {
                        let from = stack.iter().position(|(n, _)| *n == next).unwrap_or(0);
                        found.push(stack[from..].iter().map(|(n, _)| *n).collect());
                    }
                    Mark::New => {
                        marks[next] = Mark::Open;
                        stack.push((next, 0));
                    }
                }
            }
        }
        for cycle in found {
            let first = names[cycle[0]];
            let mut listed: Vec<String> =
                cycle.iter().map(|&n| format!("`{}`", names[n])).collect();
            listed.push(format!("`{first}`"));
            self.error(
                &tasks_path.join(first),
                format!(
                    "dependency cycle: {} (each task depends on the next)",
                    listed.join(" → ")
                ),
            );
        }
    }

    fn platform(&mut self, platform: &PlatformSpec) {
        let executors = self.spec.deployment_spec.as_ref().map(|d| &d.executors);
        for (name, single) in &platform.platforms {
            let Some(deployment) = &single.deployment_spec else {
                continue;
            };
            let base = JsonPointer::root()
                .join("platforms")
                .join(name)
                .join("deploymentSpec")
                .join("executors");
            for (label, config) in &deployment.executors {
                if !executors.is_some_and(|e| e.contains_key(label)) {
                    self.diagnostics.push(Diagnostic::new(
                        Document::PlatformSpec { index: 2 },
                        base.join(label),
                        format!("platform executor `{label}` is not in the pipeline's `deploymentSpec.executors`"),
                    ));
                }
                if name == "kubernetes" {
                    // The schema checked the shape; make sure the typed form
                    // reads it too.
                    if let Err(e) = serde_json::from_value::<KubernetesExecutorConfig>(
                        serde_json::Value::Object(config.clone()),
                    ) {
                        self.diagnostics.push(Diagnostic::new(
                            Document::PlatformSpec { index: 2 },
                            base.join(label),
                            format!("not a Kubernetes executor config: {e}"),
                        ));
                    }
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pipeline_names_follow_the_backend_rule() {
        for good in ["a", "hello-world", "0pipe", &"a".repeat(128)] {
            assert!(valid_pipeline_name(good), "{good}");
        }
        for bad in ["", "-a", "Hello", "a_b", "a.b", &"a".repeat(129)] {
            assert!(!valid_pipeline_name(bad), "{bad}");
        }
    }
}
