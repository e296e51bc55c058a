//! Lowering a [`Pipeline`] graph to a `kfp_ir_schema::PipelineSpec`, as kfp
//! 2.17's `pipeline_spec_builder` does.
//!
//! A pipeline is lowered task by task, in insertion order:
//!
//! * the task's name is its component's name made unique in the pipeline
//!   with `-2`, `-3`…;
//! * a container task gets its own executor `exec-<task>` and component
//!   `comp-<task>` (each made unique against the keys already used, with no
//!   dedup of equal contents);
//! * a task running a pipeline first lowers that pipeline, merges its
//!   executors and components into the outer ones (renaming collisions
//!   with `-2`…), then adds the inner root as `comp-<task>`;
//! * the root component holds the pipeline's inputs, outputs and DAG.
//!
//! Everything is validated on the way: an error names the pipeline, the
//! task and the input or setting at fault, and no partial spec is returned.
//! The output is deterministic: it depends only on the graph.

use std::collections::BTreeSet;

use kfp_ir_schema::{self as ir, CompactString, format_compact};
use serde_json::Value;

use crate::error::{CompileError, TaskError};
use crate::graph::{
    Arg, ArtifactType, Binding, Component, ConfigValue, ContainerSpec, GroupId, GroupKind,
    Implementation, Importer, InputParameter, OneOfId, OutputRef, OutputSource, ParameterType,
    Pipeline, Task, TaskId,
};
use crate::groups::{Router, Scopes, resolve_one_of};
use crate::naming::{NameMap, UniqueNames, concat, maybe_rename_for_k8s};
use crate::placeholders::arg_to_string;

/// The `sdkVersion` kfp-rs writes.
pub const SDK_VERSION: &str = concat!("kfp-rs-", env!("CARGO_PKG_VERSION"));

/// Compiles `pipeline` to the KFP IR, with the names and conventions of kfp
/// 2.17.
///
/// # Errors
/// A [`CompileError`] naming the pipeline, task and input at fault when the
/// graph is invalid: an unknown or missing input, a binding of the wrong
/// kind or type, a reference to an unknown or later task, an invalid
/// resource, retry or placeholder, an invalid pipeline name.
pub fn compile(pipeline: &Pipeline) -> Result<ir::PipelineSpec, CompileError> {
    compile_file(pipeline).map(|file| file.spec)
}

/// Compiles `pipeline` to a pipeline file: the IR, and the `PlatformSpec`
/// holding the tasks' Kubernetes settings when any task has some (see
/// [`platform`](crate::platform)).
///
/// # Errors
/// As [`compile`], and when a Kubernetes setting is invalid.
pub fn compile_file(pipeline: &Pipeline) -> Result<ir::PipelineFile, CompileError> {
    let lowered = lower(pipeline)?;
    let platform = crate::platform::platform_spec(lowered.platform);
    let spec = ir::PipelineSpec {
        pipeline_info: Some(ir::PipelineInfo {
            name: lowered.name.into(),
            display_name: pipeline.display_name.as_deref().unwrap_or_default().into(),
            description: pipeline.description.as_deref().unwrap_or_default().into(),
        }),
        deployment_spec: Some(ir::PipelineDeploymentConfig {
            executors: sorted_map(lowered.executors),
        }),
        sdk_version: SDK_VERSION.into(),
        schema_version: ir::SCHEMA_VERSION.into(),
        components: sorted_map(lowered.components),
        root: Some(lowered.root),
        default_pipeline_root: pipeline.pipeline_root.as_deref().unwrap_or_default().into(),
    };
    Ok(ir::PipelineFile {
        spec,
        platform,
        description: None,
    })
}

/// Collects `entries` into a map as `VecMap::from_iter` does (of equal
/// keys the last value counts), but sorts their positions rather than the
/// entries: a component, executor or task is hundreds of bytes, which a
/// sort would move a dozen times over. The entries are then put in key
/// order in place, following each cycle of the permutation, and the same
/// vector becomes the map (`from_iter` reuses it, and finds it sorted).
pub(crate) fn sorted_map<V>(mut entries: Vec<(CompactString, V)>) -> ir::VecMap<CompactString, V> {
    // Positions with the first 16 bytes of their key, so that nearly every
    // comparison (names rarely share 16 bytes) stays in this vector instead
    // of reading two keys scattered over the heap: in a large pipeline each
    // such read is a cache miss. Zero-padding keeps the prefixes in the
    // keys' order, and equal prefixes fall back to the whole keys.
    let mut order: Vec<(u128, usize)> = entries
        .iter()
        .enumerate()
        .map(|(i, (key, _))| {
            let mut prefix = [0; 16];
            let len = key.len().min(16);
            prefix[..len].copy_from_slice(&key.as_bytes()[..len]);
            (u128::from_be_bytes(prefix), i)
        })
        .collect();
    // Stable, so equal keys stay in order and `from_iter` keeps the last.
    order.sort_by(|&(pa, a), &(pb, b)| pa.cmp(&pb).then_with(|| entries[a].0.cmp(&entries[b].0)));
    // `order[k].1` is where the entry for position `k` is; `usize::MAX`
    // marks a position already filled.
    for start in 0..order.len() {
        let mut k = start;
        while order[k].1 != usize::MAX {
            let from = std::mem::replace(&mut order[k].1, usize::MAX);
            if from == start {
                break;
            }
            entries.swap(k, from);
            k = from;
        }
    }
    entries.into_iter().collect()
}

/// The tasks a task depends on (its `dependentTasks`): a few names, so a
/// vector searched in full rather than a `BTreeSet` (whose first node has
/// room for eleven), sorted at the end as kfp sorts them.
#[derive(Debug, Default)]
struct Dependencies(Vec<CompactString>);

impl Dependencies {
    fn insert(&mut self, task: impl Into<CompactString> + AsRef<str>) {
        if !self.0.iter().any(|t| t == task.as_ref()) {
            self.0.push(task.into());
        }
    }

    fn len(&self) -> usize {
        self.0.len()
    }

    fn into_sorted(mut self) -> Vec<CompactString> {
        self.0.sort_unstable();
        self.0
    }
}

/// The task names kfp gives the tasks of `pipeline`, in task order: the
/// component name, made unique with `-2`, `-3`… (`task` for an empty name).
///
/// # Errors
/// [`CompileError::UnknownComponent`] if a task calls a component id the
/// pipeline did not issue.
pub fn task_names(pipeline: &Pipeline) -> Result<Vec<CompactString>, CompileError> {
    let mut taken = UniqueNames::with_capacity(pipeline.tasks.len());
    // The base name of each component, made once: a component is usually
    // called by many tasks.
    let mut bases: Vec<Option<String>> = vec![None; pipeline.components.len()];
    pipeline
        .tasks
        .iter()
        .enumerate()
        .map(|(index, task)| {
            let component = component_of(pipeline, index, task)?;
            let base = bases[task.component.0]
                .get_or_insert_with(|| maybe_rename_for_k8s(&component.name));
            Ok(if base.is_empty() {
                taken.claim("task")
            } else {
                taken.claim(base)
            })
        })
        .collect()
}

/// A lowered pipeline: its root component, and the components and
/// executors it needs, in the order kfp adds them (which decides renames
/// when it is merged into an outer pipeline).
struct Lowered {
    name: String,
    root: ir::ComponentSpec,
    components: Vec<(CompactString, ir::ComponentSpec)>,
    executors: Vec<(CompactString, ir::ExecutorSpec)>,
    /// The Kubernetes config of each executor that has one.
    platform: Vec<(CompactString, ir::Struct)>,
}

fn component_of<'p>(
    pipeline: &'p Pipeline,
    index: usize,
    task: &Task,
) -> Result<&'p Component, CompileError> {
    pipeline
        .get_component(task.component)
        .ok_or_else(|| CompileError::UnknownComponent {
            pipeline: pipeline.name.clone(),
            index,
            component: task.component.0,
        })
}

/// kfp's `validate_pipeline_name` after `maybe_rename_for_k8s`.
fn pipeline_name(pipeline: &Pipeline) -> Result<String, CompileError> {
    let renamed = maybe_rename_for_k8s(&pipeline.name);
    let valid = !renamed.is_empty()
        && renamed.len() <= 128
        && renamed
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-');
    if valid {
        Ok(renamed)
    } else {
        Err(CompileError::InvalidPipelineName {
            name: pipeline.name.clone(),
            renamed,
        })
    }
}

fn lower(pipeline: &Pipeline) -> Result<Lowered, CompileError> {
    let name = pipeline_name(pipeline)?;
    if pipeline.tasks.is_empty() {
        return Err(CompileError::EmptyPipeline {
            pipeline: pipeline.name.clone(),
        });
    }
    let names = task_names(pipeline)?;
    let n = pipeline.tasks.len();
    let mut components: Vec<(CompactString, ir::ComponentSpec)> = Vec::with_capacity(n);
    let mut component_keys = UniqueNames::with_capacity(n);
    let mut executors: Vec<(CompactString, ir::ExecutorSpec)> = Vec::with_capacity(n);
    let mut executor_keys = UniqueNames::with_capacity(n);
    let mut platform = Vec::new();
    // The root DAG's tasks when there are no groups (else the router
    // places them), in task order.
    let mut tasks = Vec::with_capacity(if pipeline.groups.is_empty() { n } else { 0 });
    let scopes = Scopes::new(pipeline, &names)?;
    let mut router = if pipeline.groups.is_empty() {
        None
    } else {
        Some(Router::new(pipeline, &names)?)
    };

    // kfp builds exit tasks after everything else, which decides the keys
    // their components and executors get when names clash.
    let exit_tasks: BTreeSet<usize> = pipeline
        .groups
        .iter()
        .filter_map(|g| match g.kind {
            GroupKind::ExitHandler { exit_task } => Some(exit_task.0),
            _ => None,
        })
        .collect();
    // kfp names components (and executors) as it meets them; the first
    // takes a name, a later one gets `-2`.
    let mut group_keys: Vec<Option<CompactString>> = vec![None; pipeline.groups.len()];
    for claim in claim_order(pipeline, &exit_tasks) {
        let index = match claim {
            Claim::Group(group) => {
                let key = concat(&["comp-", scopes.name(group)]);
                group_keys[group.0] = Some(component_keys.claim_owned(key));
                continue;
            }
            Claim::Task(index) => index,
        };
        let task = &pipeline.tasks[index];
        let component = component_of(pipeline, index, task)?;
        let cx = TaskCx {
            pipeline,
            names: &names,
            index,
            task,
            component,
            scopes: &scopes,
        };
        if let Some(group) = task.group {
            if !scopes.exists(group) {
                return Err(cx.err(TaskError::UnknownGroup { group: group.0 }));
            }
            if pipeline.groups[group.0].kind == GroupKind::ConditionBranches {
                return Err(CompileError::Component {
                    component: pipeline.name.clone(),
                    reason: format!(
                        "task `{}` is directly in the If/Elif/Else chain `{}`; tasks go in its \
                         branches",
                        names[index],
                        scopes.name(group)
                    ),
                });
            }
        }
        let mut task_spec = cx.task_spec()?;
        // A setting of a task in a group reads a pipeline input or an
        // outer task's output through the groups, as its inputs do.
        let mut route = |kind: &mut ir::InputParameterKind| match (&mut router, task.group) {
            (Some(router), Some(group)) => router.route_parameter(Some(group), kind),
            _ => Ok(()),
        };
        let kubernetes = crate::platform::executor_config(
            crate::platform::TaskRef {
                pipeline,
                names: &names,
                scopes: &scopes,
                index,
                task,
            },
            component,
            &mut route,
        )?;
        let component_spec = match &component.implementation {
            Implementation::Container(container) => {
                let label = executor_keys.claim_owned(concat(&["exec-", &names[index]]));
                executors.push((
                    label.clone(),
                    ir::ExecutorSpec::Container(cx.container(container)?),
                ));
                platform.extend(kubernetes.map(|config| (label.clone(), config)));
                interface(component, ir::ComponentImplementation::ExecutorLabel(label))?
            }
            Implementation::Importer(importer) => {
                let spec = cx.importer(importer)?;
                let label = executor_keys.claim_owned(concat(&["exec-", &names[index]]));
                executors.push((label.clone(), ir::ExecutorSpec::Importer(spec)));
                interface(component, ir::ComponentImplementation::ExecutorLabel(label))?
            }
            Implementation::Pipeline(inner) => {
                cx.check_pipeline_task(inner)?;
                let lowered = lower(inner)?;
                merge(
                    lowered,
                    &mut components,
                    &mut component_keys,
                    &mut executors,
                    &mut executor_keys,
                    &mut platform,
                )
            }
        };
        let key = component_keys.claim_owned(concat(&["comp-", &names[index]]));
        task_spec.component_ref = Some(ir::ComponentRef { name: key.clone() });
        components.push((key, component_spec));
        match &mut router {
            Some(router) => router.add_task(index, task_spec)?,
            None => tasks.push((names[index].clone(), task_spec)),
        }
    }

    let mut root = pipeline_interface(pipeline)?;
    let outputs = dag_outputs(pipeline, &names, &scopes, &mut root, router.as_mut())?;
    let tasks = match router {
        Some(router) => {
            let (top, groups) = router.finish(|group| {
                group_keys[group.0]
                    .take()
                    .expect("every group is in the claim order")
            });
            components.extend(groups);
            top
        }
        None => sorted_map(tasks),
    };
    root.implementation = Some(ir::ComponentImplementation::Dag(ir::DagSpec {
        tasks,
        outputs,
    }));
    Ok(Lowered {
        name,
        root,
        components,
        executors,
        platform,
    })
}

/// A name kfp gives as it builds a pipeline spec: a group's component, or
/// a task's executor and component (after those of its sub-pipeline).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Claim {
    Group(GroupId),
    Task(usize),
}

/// The order kfp builds a pipeline in (`build_spec_by_group` over the
/// groups in pre-order), which decides which of two equal names gets
/// `-2`: each group's child groups, then its own tasks, in the order they
/// were added; the tasks of exit handlers last.
fn claim_order(pipeline: &Pipeline, exit_tasks: &BTreeSet<usize>) -> Vec<Claim> {
    let groups = &pipeline.groups;
    // Children and tasks by scope (slot 0: the pipeline's own DAG), in the
    // order they were added. A task in a group the pipeline does not have
    // is met nowhere; it comes last, and lowering it reports the group.
    let slot = |scope: Option<GroupId>| scope.map_or(0, |g| g.0 + 1);
    let mut children: Vec<Vec<usize>> = vec![Vec::new(); groups.len() + 1];
    for (g, group) in groups.iter().enumerate() {
        children[slot(group.parent)].push(g);
    }
    let mut tasks: Vec<Vec<usize>> = vec![Vec::new(); groups.len() + 1];
    let mut strays = Vec::new();
    for (i, task) in pipeline.tasks.iter().enumerate() {
        match task.group {
            _ if exit_tasks.contains(&i) => {}
            Some(g) if g.0 >= groups.len() => strays.push(i),
            scope => tasks[slot(scope)].push(i),
        }
    }
    // Where a group sits among its siblings: an If/Elif/Else chain takes
    // the place of its first branch, which kfp opens before the chain.
    let position: Vec<usize> = (0..groups.len())
        .map(|g| match groups[g].kind {
            GroupKind::ConditionBranches => children[g + 1].first().map_or(g, |&b| b.min(g)),
            _ => g,
        })
        .collect();
    let mut order = Vec::with_capacity(pipeline.tasks.len() + groups.len());
    let mut pending = vec![None];
    while let Some(scope) = pending.pop() {
        let mut kids = std::mem::take(&mut children[slot(scope)]);
        kids.sort_by_key(|&g| position[g]);
        order.extend(kids.iter().map(|&g| Claim::Group(GroupId(g))));
        order.extend(tasks[slot(scope)].iter().copied().map(Claim::Task));
        // Pre-order: the first child is visited next.
        pending.extend(kids.into_iter().rev().map(|g| Some(GroupId(g))));
    }
    order.extend(strays.into_iter().map(Claim::Task));
    order.extend(
        exit_tasks
            .iter()
            .copied()
            .filter(|&i| i < pipeline.tasks.len())
            .map(Claim::Task),
    );
    order
}

/// Merges a lowered inner pipeline's executors and components into the
/// outer ones, renaming collisions with `-2`… as kfp's
/// `merge_deployment_spec_and_component_spec` does, and returns the inner
/// root with its references renamed.
///
/// kfp renames executor labels one after another, which can mislabel a
/// component when a renamed label equals a later original label; here all
/// renames apply at once, which gives kfp's result whenever kfp's is
/// consistent.
fn merge(
    inner: Lowered,
    components: &mut Vec<(CompactString, ir::ComponentSpec)>,
    component_keys: &mut UniqueNames,
    executors: &mut Vec<(CompactString, ir::ExecutorSpec)>,
    executor_keys: &mut UniqueNames,
    platform: &mut Vec<(CompactString, ir::Struct)>,
) -> ir::ComponentSpec {
    let mut executor_renames = NameMap::default();
    for (label, executor) in inner.executors {
        let new = executor_keys.claim(&label);
        executors.push((new.clone(), executor));
        executor_renames.insert(label, new);
    }
    for (label, config) in inner.platform {
        let label = executor_renames.get(&label).cloned().unwrap_or(label);
        platform.push((label, config));
    }
    // kfp checks each name against the outer names and the inner names
    // already mapped (old and new).
    let mut component_renames = NameMap::default();
    let mut mapped = component_keys.clone();
    for (key, _) in &inner.components {
        let new = mapped.claim(key);
        mapped.insert(key.clone());
        component_renames.insert(key.clone(), new);
    }
    for (key, mut spec) in inner.components {
        rename_refs(&mut spec, &executor_renames, &component_renames);
        let new = component_renames[&key].clone();
        component_keys.insert(new.clone());
        components.push((new, spec));
    }
    let mut root = inner.root;
    rename_refs(&mut root, &executor_renames, &component_renames);
    root
}

fn rename_refs(
    spec: &mut ir::ComponentSpec,
    executors: &NameMap<CompactString, CompactString>,
    components: &NameMap<CompactString, CompactString>,
) {
    match &mut spec.implementation {
        Some(ir::ComponentImplementation::ExecutorLabel(label)) => {
            if let Some(new) = executors.get(label) {
                *label = new.clone();
            }
        }
        Some(ir::ComponentImplementation::Dag(dag)) => {
            for task in dag.tasks.values_mut() {
                if let Some(r) = &mut task.component_ref
                    && let Some(new) = components.get(&r.name)
                {
                    r.name = new.clone();
                }
            }
        }
        None => {}
    }
}

/// One task being lowered, with what it needs to look up.
struct TaskCx<'a> {
    pipeline: &'a Pipeline,
    names: &'a [CompactString],
    index: usize,
    task: &'a Task,
    component: &'a Component,
    scopes: &'a Scopes<'a>,
}

/// Where a runtime task setting comes from, once checked.
enum Runtime<'a> {
    Literal(&'a str),
    /// The injected input's name, its placeholder, and its source.
    Channel {
        injected: CompactString,
        placeholder: CompactString,
        source: ir::InputParameterKind,
        producer: Option<CompactString>,
    },
}

impl<'a> TaskCx<'a> {
    fn err(&self, error: TaskError) -> CompileError {
        CompileError::Task {
            pipeline: self.pipeline.name.clone(),
            task: self.names[self.index].to_string(),
            error: Box::new(error),
        }
    }

    /// The name of an earlier task `id`, referred to by `what`.
    fn producer(&self, what: &str, id: TaskId) -> Result<(&'a str, &'a Component), CompileError> {
        let task = self.pipeline.get_task(id).ok_or_else(|| {
            self.err(TaskError::UnknownTask {
                input: what.to_owned(),
                task: id,
            })
        })?;
        let name = self.names[id.0].as_str();
        if id.0 >= self.index {
            return Err(self.err(TaskError::ForwardReference {
                input: what.to_owned(),
                producer: name.to_owned(),
            }));
        }
        // Every earlier task's component was checked when it was lowered.
        let component = component_of(self.pipeline, id.0, task)?;
        Ok((name, component))
    }

    fn task_spec(&self) -> Result<ir::PipelineTaskSpec, CompileError> {
        let config = &self.task.config;
        let mut inputs = ir::TaskInputsSpec::default();
        let mut dependencies = Dependencies::default();

        for (input, binding) in &self.task.arguments {
            self.bind(input, binding, &mut inputs, &mut dependencies)?;
        }
        for p in &self.component.inputs {
            if !p.is_optional() && self.task.argument(&p.name).is_none() {
                return Err(self.err(TaskError::MissingInput {
                    input: p.name.clone(),
                }));
            }
        }
        for a in &self.component.input_artifacts {
            if !a.optional && self.task.argument(&a.name).is_none() {
                return Err(self.err(TaskError::MissingInput {
                    input: a.name.clone(),
                }));
            }
        }
        for (setting, value) in self.runtime_settings() {
            if let Runtime::Channel {
                injected,
                placeholder,
                source,
                producer,
            } = self.runtime(setting, value)?
            {
                if self.component.input(setting).is_some()
                    || self.component.input_artifact(setting).is_some()
                {
                    return Err(self.err(TaskError::InjectedInputCollision {
                        input: setting.to_owned(),
                    }));
                }
                inputs.parameters.insert(
                    setting.into(),
                    parameter_spec(ir::InputParameterKind::RuntimeValue(
                        ir::ValueOrRuntimeParameter::Constant(Value::String(placeholder.into())),
                    )),
                );
                inputs.parameters.insert(injected, parameter_spec(source));
                // kfp registers the image's channel as a task input (a
                // dependency), but not the resources' channels.
                if setting == "base_image"
                    && let Some(producer) = producer
                {
                    dependencies.insert(producer);
                }
            }
        }
        for &after in &config.after {
            let (name, _) = self.producer("after", after)?;
            dependencies.insert(name);
        }
        let exit_handler = self.exit_handler()?;
        if let Some(handler) = exit_handler {
            dependencies.insert(self.scopes.name(handler));
        }
        self.bind_final_status(exit_handler, &dependencies, &mut inputs)?;

        let retry_policy = config
            .retry
            .as_ref()
            .map(|r| -> Result<_, CompileError> {
                Ok(ir::RetryPolicy {
                    max_retry_count: i32::try_from(r.max_retry_count).map_err(|_| {
                        self.err(TaskError::InvalidSetting {
                            setting: "max_retry_count",
                            value: r.max_retry_count.to_string(),
                            reason: "it must fit in an int32",
                        })
                    })?,
                    backoff_duration: Some(
                        self.duration(
                            "backoff_duration",
                            r.backoff_duration.as_deref().unwrap_or("0s"),
                        )?
                        .into(),
                    ),
                    // Python's `factor or 2.0`: zero means the default.
                    backoff_factor: match r.backoff_factor {
                        Some(f) if f != 0.0 => f,
                        _ => 2.0,
                    },
                    backoff_max_duration: Some(
                        self.duration(
                            "backoff_max_duration",
                            r.backoff_max_duration.as_deref().unwrap_or("3600s"),
                        )?
                        .into(),
                    ),
                })
            })
            .transpose()?;

        Ok(ir::PipelineTaskSpec {
            task_info: Some(ir::PipelineTaskInfo {
                name: config
                    .display_name
                    .as_deref()
                    .map_or_else(|| self.names[self.index].clone(), CompactString::from),
            }),
            inputs: (!inputs.parameters.is_empty() || !inputs.artifacts.is_empty())
                .then_some(inputs),
            dependent_tasks: dependencies.into_sorted(),
            caching_options: Some(ir::CachingOptions {
                enable_cache: config.caching,
                cache_key: config.cache_key.as_deref().unwrap_or_default().into(),
            }),
            component_ref: None,
            trigger_policy: (config.ignore_upstream_failure || exit_handler.is_some()).then(|| {
                ir::TriggerPolicy {
                    condition: CompactString::default(),
                    strategy: ir::TriggerStrategy::AllUpstreamTasksCompleted,
                }
            }),
            iterator: None,
            retry_policy,
            iterator_policy: None,
        })
    }

    /// Checks one binding and adds it to `inputs` (and its producer to
    /// `dependencies`).
    fn bind(
        &self,
        input: &str,
        binding: &Binding,
        inputs: &mut ir::TaskInputsSpec,
        dependencies: &mut Dependencies,
    ) -> Result<(), CompileError> {
        let param = self.component.input(input);
        let artifact = self.component.input_artifact(input);
        let err = |e| self.err(e);
        let input_s = || input.to_owned();
        match (param, artifact) {
            (None, None) => Err(err(TaskError::UnknownInput {
                component: self.component.name.clone(),
                input: input_s(),
            })),
            (Some(param), _) => {
                // Set when the input reads a field of the value it names.
                let mut selector = CompactString::default();
                let kind = match binding {
                    Binding::Constant(value) => {
                        if !constant_fits(value, param.kind) {
                            return Err(err(TaskError::ConstantTypeMismatch {
                                input: input_s(),
                                expected: param.kind,
                                value: value.clone(),
                            }));
                        }
                        ir::InputParameterKind::RuntimeValue(ir::ValueOrRuntimeParameter::Constant(
                            protobuf_value(value),
                        ))
                    }
                    Binding::PipelineParameter(name) => {
                        let declared = self
                            .pipeline
                            .inputs
                            .iter()
                            .find(|p| p.name == *name)
                            .ok_or_else(|| {
                                err(TaskError::UnknownPipelineInput {
                                    input: input_s(),
                                    name: name.to_string(),
                                })
                            })?;
                        self.same_type(input, param.kind, declared.kind)?;
                        ir::InputParameterKind::ComponentInputParameter(name.clone())
                    }
                    Binding::TaskOutputParameter { task, output } => {
                        let (producer, component) = self.producer(input, *task)?;
                        let Some(OutputRef::Parameter(out)) = component.output(output) else {
                            return Err(err(TaskError::UnknownTaskOutput {
                                input: input_s(),
                                producer: producer.to_owned(),
                                output: output.to_string(),
                                kind: "output parameter",
                            }));
                        };
                        self.same_type(input, param.kind, out.kind)?;
                        self.visible(input, *task, producer)?;
                        dependencies.insert(producer);
                        ir::InputParameterKind::TaskOutputParameter(ir::TaskOutputParameterSpec {
                            producer_task: producer.into(),
                            output_parameter_key: output.clone(),
                        })
                    }
                    Binding::LoopItem(group) => {
                        let item_kind = self.loop_item(input, *group)?;
                        self.same_type(input, param.kind, item_kind)?;
                        ir::InputParameterKind::ComponentInputParameter(
                            self.scopes.item(*group).into(),
                        )
                    }
                    Binding::Interpolated(parts) => {
                        self.same_type(input, param.kind, ParameterType::String)?;
                        let mut text = String::new();
                        for part in parts {
                            match self.runtime(input, part)? {
                                Runtime::Literal(s) => text.push_str(s),
                                Runtime::Channel {
                                    injected,
                                    placeholder,
                                    source,
                                    producer,
                                } => {
                                    if self.component.input(&injected).is_some() {
                                        return Err(err(TaskError::InjectedInputCollision {
                                            input: injected.to_string(),
                                        }));
                                    }
                                    text.push_str(&placeholder);
                                    inputs.parameters.insert(injected, parameter_spec(source));
                                    if let Some(producer) = producer {
                                        dependencies.insert(producer);
                                    }
                                }
                            }
                        }
                        ir::InputParameterKind::RuntimeValue(ir::ValueOrRuntimeParameter::Constant(
                            Value::String(text),
                        ))
                    }
                    Binding::LoopItemField { group, field } => {
                        let item_kind = self.loop_item(input, *group)?;
                        // The field's own type is only known when it runs.
                        if item_kind != ParameterType::Struct {
                            return Err(err(TaskError::NotAnObjectItem {
                                input: input_s(),
                                field: field.to_string(),
                                found: item_kind,
                            }));
                        }
                        if !is_subvar_name(field) {
                            return Err(err(TaskError::InvalidItemField {
                                input: input_s(),
                                field: field.to_string(),
                            }));
                        }
                        selector = format_compact!("parseJson(string_value)[\"{field}\"]");
                        ir::InputParameterKind::ComponentInputParameter(
                            self.scopes.item(*group).into(),
                        )
                    }
                    Binding::Collected { task, output } => {
                        let (producer, component) = self.producer(input, *task)?;
                        let Some(OutputRef::Parameter(_)) = component.output(output) else {
                            return Err(err(TaskError::UnknownTaskOutput {
                                input: input_s(),
                                producer: producer.to_owned(),
                                output: output.to_string(),
                                kind: "output parameter",
                            }));
                        };
                        self.same_type(input, param.kind, ParameterType::List)?;
                        self.collectable(input, *task, producer)?;
                        dependencies.insert(producer);
                        ir::InputParameterKind::TaskOutputParameter(ir::TaskOutputParameterSpec {
                            producer_task: producer.into(),
                            output_parameter_key: output.clone(),
                        })
                    }
                    Binding::OneOf(id) => {
                        let (group, key, output) = self.one_of(input, *id)?;
                        let OutputRef::Parameter(out) = output else {
                            return Err(err(TaskError::ExpectedParameter { input: input_s() }));
                        };
                        self.same_type(input, param.kind, out.kind)?;
                        dependencies.insert(group.clone());
                        ir::InputParameterKind::TaskOutputParameter(ir::TaskOutputParameterSpec {
                            producer_task: group.into(),
                            output_parameter_key: key.into(),
                        })
                    }
                    Binding::PipelineArtifact(_) | Binding::TaskOutputArtifact { .. } => {
                        return Err(err(TaskError::ExpectedParameter { input: input_s() }));
                    }
                };
                inputs.parameters.insert(
                    input.into(),
                    ir::InputParameterSpec {
                        kind: Some(kind),
                        parameter_expression_selector: selector,
                    },
                );
                Ok(())
            }
            (None, Some(expected)) => {
                let (spec, found, found_list) = match binding {
                    Binding::PipelineArtifact(name) => {
                        let declared = self
                            .pipeline
                            .input_artifacts
                            .iter()
                            .find(|a| a.name == *name)
                            .ok_or_else(|| {
                                err(TaskError::UnknownPipelineInput {
                                    input: input_s(),
                                    name: name.to_string(),
                                })
                            })?;
                        (
                            ir::InputArtifactSpec::ComponentInputArtifact(name.clone()),
                            &declared.artifact_type,
                            declared.is_list,
                        )
                    }
                    Binding::TaskOutputArtifact { task, output }
                    | Binding::Collected { task, output } => {
                        // A collected output is the list of one artifact per
                        // loop iteration.
                        let collected = matches!(binding, Binding::Collected { .. });
                        let (producer, component) = self.producer(input, *task)?;
                        let Some(OutputRef::Artifact(out)) = component.output(output) else {
                            return Err(err(TaskError::UnknownTaskOutput {
                                input: input_s(),
                                producer: producer.to_owned(),
                                output: output.to_string(),
                                kind: "output artifact",
                            }));
                        };
                        if collected {
                            self.collectable(input, *task, producer)?;
                        } else {
                            self.visible(input, *task, producer)?;
                        }
                        dependencies.insert(producer);
                        (
                            ir::InputArtifactSpec::TaskOutputArtifact(ir::TaskOutputArtifactSpec {
                                producer_task: producer.into(),
                                output_artifact_key: output.clone(),
                            }),
                            &out.artifact_type,
                            collected || out.is_list,
                        )
                    }
                    Binding::OneOf(id) => {
                        let (group, key, output) = self.one_of(input, *id)?;
                        let OutputRef::Artifact(out) = output else {
                            return Err(err(TaskError::ExpectedArtifact { input: input_s() }));
                        };
                        dependencies.insert(group.clone());
                        (
                            ir::InputArtifactSpec::TaskOutputArtifact(ir::TaskOutputArtifactSpec {
                                producer_task: group.into(),
                                output_artifact_key: key.into(),
                            }),
                            &out.artifact_type,
                            out.is_list,
                        )
                    }
                    _ => return Err(err(TaskError::ExpectedArtifact { input: input_s() })),
                };
                if !artifacts_compatible(
                    found,
                    found_list,
                    &expected.artifact_type,
                    expected.is_list,
                ) {
                    return Err(err(TaskError::ArtifactTypeMismatch {
                        input: input_s(),
                        expected: describe_artifact(&expected.artifact_type, expected.is_list),
                        found: describe_artifact(found, found_list),
                    }));
                }
                inputs.artifacts.insert(input.into(), spec);
                Ok(())
            }
        }
    }

    /// Checks that the output of `task` (`producer`) may be read where this
    /// task runs: the producer is not inside a loop this task is not in.
    fn visible(&self, input: &str, task: TaskId, producer: &str) -> Result<(), CompileError> {
        let from = self.pipeline.tasks[task.0].group;
        if self.scopes.contains(from, self.task.group) {
            return Ok(());
        }
        Err(self.err(TaskError::OutOfScope {
            input: input.to_owned(),
            reason: format!(
                "task `{producer}` runs in a loop this task is not in; read its outputs after \
                 the loop as `Collected`"
            ),
        }))
    }

    /// Sets the unset `TASK_FINAL_STATUS` inputs to the status of what the
    /// task follows: its exit handler's group, or, for a task that ignores
    /// upstream failures, its single upstream task (as kfp does).
    fn bind_final_status(
        &self,
        exit_handler: Option<GroupId>,
        dependencies: &Dependencies,
        inputs: &mut ir::TaskInputsSpec,
    ) -> Result<(), CompileError> {
        let unset = self.component.inputs.iter().filter(|p| {
            p.kind == ParameterType::TaskFinalStatus && self.task.argument(&p.name).is_none()
        });
        for input in unset {
            let producer = match (exit_handler, self.task.config.ignore_upstream_failure) {
                (Some(handler), _) => self.scopes.name(handler).into(),
                (None, true) if dependencies.len() == 1 => {
                    dependencies.0.first().cloned().unwrap_or_default()
                }
                (None, true) => {
                    return Err(self.err(TaskError::OutOfScope {
                        input: input.name.clone(),
                        reason: format!(
                            "the final status is that of the one task this task follows, but it \
                             follows {}",
                            dependencies.len()
                        ),
                    }));
                }
                (None, false) => {
                    return Err(self.err(TaskError::OutOfScope {
                        input: input.name.clone(),
                        reason: "a task's final status is given to an exit task, or to a task \
                                 that ignores upstream failures; pass it on explicitly elsewhere"
                            .to_owned(),
                    }));
                }
            };
            inputs.parameters.insert(
                input.name.as_str().into(),
                parameter_spec(ir::InputParameterKind::TaskFinalStatus(
                    ir::TaskFinalStatus {
                        producer_task: producer,
                    },
                )),
            );
        }
        Ok(())
    }

    /// The exit handler this task is the exit task of, checked: the task
    /// runs where the handler is and depends on no other task (as kfp
    /// requires), and ends one handler only.
    fn exit_handler(&self) -> Result<Option<GroupId>, CompileError> {
        let me = TaskId(self.index);
        let mut handlers = self
            .pipeline
            .groups
            .iter()
            .enumerate()
            .filter_map(|(i, g)| {
                matches!(g.kind, GroupKind::ExitHandler { exit_task } if exit_task == me)
                    .then_some(GroupId(i))
            });
        let Some(handler) = handlers.next() else {
            return Ok(None);
        };
        let bad = |reason: String| CompileError::Component {
            component: self.pipeline.name.clone(),
            reason: format!("task `{}`: {reason}", self.names[self.index]),
        };
        let name = self.scopes.name(handler);
        if let Some(other) = handlers.next() {
            return Err(bad(format!(
                "it is the exit task of both `{name}` and `{}`",
                self.scopes.name(other)
            )));
        }
        if self.pipeline.groups[handler.0].parent != self.task.group {
            return Err(bad(format!(
                "it is the exit task of `{name}`, so it runs where `{name}` is"
            )));
        }
        let reads_a_task = |b: &Binding| {
            matches!(
                b,
                Binding::TaskOutputParameter { .. }
                    | Binding::TaskOutputArtifact { .. }
                    | Binding::Collected { .. }
                    | Binding::OneOf(_)
            )
        };
        let depends = self.task.arguments.iter().find(|(_, b)| reads_a_task(b));
        if let Some((input, _)) = depends {
            return Err(self.err(TaskError::OutOfScope {
                input: input.to_string(),
                reason: format!(
                    "the exit task of `{name}` cannot read another task's output (kfp's exit \
                     task depends on no task)"
                ),
            }));
        }
        if !self.task.config.after.is_empty() {
            return Err(self.err(TaskError::OutOfScope {
                input: "after".to_owned(),
                reason: format!("the exit task of `{name}` runs after that group only"),
            }));
        }
        Ok(Some(handler))
    }

    /// Checks OneOf `id`, read by `input`, and that this task runs where
    /// its chain is or inside a group there; returns the chain's group task,
    /// the output read and its declaration.
    fn one_of(
        &self,
        input: &str,
        id: OneOfId,
    ) -> Result<(String, String, OutputRef<'a>), CompileError> {
        let out_of_scope = |reason: String| {
            self.err(TaskError::OutOfScope {
                input: input.to_owned(),
                reason,
            })
        };
        let resolved = resolve_one_of(self.pipeline, self.scopes, id).map_err(out_of_scope)?;
        let chain = resolved.branches;
        let scope = self.task.group;
        if !self.scopes.contains(self.scopes.parent(chain), scope)
            || self.scopes.contains(Some(chain), scope)
        {
            return Err(out_of_scope(format!(
                "a OneOf of `{}` is read after its If/Elif/Else chain, where the chain runs \
                 (or inside a group there)",
                resolved.group
            )));
        }
        Ok((resolved.group, resolved.key, resolved.output))
    }

    /// Checks that `task` (`producer`) runs in a loop inside the scope of
    /// this task, so its outputs can be collected here.
    fn collectable(&self, input: &str, task: TaskId, producer: &str) -> Result<(), CompileError> {
        let from = self.pipeline.tasks[task.0].group;
        if !self.scopes.contains(from, self.task.group) {
            return Ok(());
        }
        Err(self.err(TaskError::OutOfScope {
            input: input.to_owned(),
            reason: format!(
                "`Collected` gathers the outputs of a task inside a loop or condition, but task \
                 `{producer}` runs where this task does"
            ),
        }))
    }

    /// Checks that this task runs inside loop `group`; returns the item's
    /// type.
    fn loop_item(&self, input: &str, group: GroupId) -> Result<ParameterType, CompileError> {
        self.scopes
            .loop_item(input, group, self.task.group)
            .map_err(|e| self.err(e))
    }

    fn same_type(
        &self,
        input: &str,
        expected: ParameterType,
        found: ParameterType,
    ) -> Result<(), CompileError> {
        // kfp passes a task's final status on as a JSON object.
        let status_as_struct =
            expected == ParameterType::Struct && found == ParameterType::TaskFinalStatus;
        if expected == found || status_as_struct {
            Ok(())
        } else {
            Err(self.err(TaskError::ParameterTypeMismatch {
                input: input.to_owned(),
                expected,
                found,
            }))
        }
    }

    /// The settings kfp turns into task inputs when they are runtime
    /// values, under the names kfp gives them.
    fn runtime_settings(&self) -> Vec<(&'static str, &'a ConfigValue)> {
        let r = &self.task.config.resources;
        [
            ("cpu_request", r.cpu_request.as_ref()),
            ("cpu_limit", r.cpu_limit.as_ref()),
            ("memory_request", r.memory_request.as_ref()),
            ("memory_limit", r.memory_limit.as_ref()),
            ("accelerator_type", r.accelerator_type.as_ref()),
            ("accelerator_count", r.accelerator_limit.as_ref()),
            ("base_image", self.task.config.image.as_ref()),
        ]
        .into_iter()
        .filter_map(|(n, v)| v.map(|v| (n, v)))
        .collect()
    }

    /// Where the value of a runtime setting or f-string part comes from.
    fn runtime<'v>(
        &self,
        setting: &str,
        value: &'v ConfigValue,
    ) -> Result<Runtime<'v>, CompileError> {
        Ok(match value {
            ConfigValue::Literal(s) => Runtime::Literal(s),
            ConfigValue::PipelineParameter(name) => {
                if !self.pipeline.inputs.iter().any(|p| p.name == *name) {
                    return Err(self.err(TaskError::UnknownPipelineInput {
                        input: setting.to_owned(),
                        name: name.clone(),
                    }));
                }
                let injected = format_compact!("pipelinechannel--{name}");
                Runtime::Channel {
                    placeholder: format_compact!("{{{{$.inputs.parameters['{injected}']}}}}"),
                    injected,
                    source: ir::InputParameterKind::ComponentInputParameter(name.as_str().into()),
                    producer: None,
                }
            }
            ConfigValue::TaskOutput { task, output } => {
                let (producer, component) = self.producer(setting, *task)?;
                if !matches!(component.output(output), Some(OutputRef::Parameter(_))) {
                    return Err(self.err(TaskError::UnknownTaskOutput {
                        input: setting.to_owned(),
                        producer: producer.to_owned(),
                        output: output.clone(),
                        kind: "output parameter",
                    }));
                }
                self.visible(setting, *task, producer)?;
                let injected = format_compact!("pipelinechannel--{producer}-{output}");
                Runtime::Channel {
                    placeholder: format_compact!("{{{{$.inputs.parameters['{injected}']}}}}"),
                    injected,
                    source: ir::InputParameterKind::TaskOutputParameter(
                        ir::TaskOutputParameterSpec {
                            producer_task: producer.into(),
                            output_parameter_key: output.as_str().into(),
                        },
                    ),
                    producer: Some(producer.into()),
                }
            }
            ConfigValue::LoopItem(group) => {
                self.loop_item(setting, *group)?;
                // The item is already a `pipelinechannel--` input of the
                // loop: the injected input has its name and reads it.
                let injected = CompactString::from(self.scopes.item(*group));
                Runtime::Channel {
                    placeholder: format_compact!("{{{{$.inputs.parameters['{injected}']}}}}"),
                    source: ir::InputParameterKind::ComponentInputParameter(injected.clone()),
                    injected,
                    producer: None,
                }
            }
        })
    }

    /// The value written for a runtime setting: the literal or the
    /// placeholder of its injected input.
    fn runtime_string(
        &self,
        setting: &'static str,
        value: &'a ConfigValue,
    ) -> Result<(CompactString, Option<&'a str>), CompileError> {
        Ok(match self.runtime(setting, value)? {
            Runtime::Literal(s) => (s.into(), Some(s)),
            Runtime::Channel { placeholder, .. } => (placeholder, None),
        })
    }

    /// kfp's `convert_duration_to_seconds`, written as `"<n>s"`.
    fn duration(&self, setting: &'static str, value: &str) -> Result<String, CompileError> {
        let invalid = || {
            self.err(TaskError::InvalidSetting {
                setting,
                value: value.to_owned(),
                reason: "expected an integer and a unit of s, m, h, d or w, such as `30s` or `1 hour`",
            })
        };
        let compact: String = value.chars().filter(|c| *c != ' ').collect();
        let digits_end = compact
            .find(|c: char| !c.is_ascii_digit())
            .ok_or_else(invalid)?;
        let (digits, unit) = compact.split_at(digits_end);
        if digits.is_empty() || unit.chars().any(|c| c.is_ascii_digit()) {
            return Err(invalid());
        }
        let per_unit: u64 = match unit.chars().next() {
            Some('s') => 1,
            Some('m') => 60,
            Some('h') => 3_600,
            Some('d') => 86_400,
            Some('w') => 604_800,
            _ => return Err(invalid()),
        };
        let seconds = digits
            .parse::<u64>()
            .ok()
            .and_then(|n| n.checked_mul(per_unit))
            .ok_or_else(invalid)?;
        Ok(format!("{seconds}s"))
    }

    /// The first container-only setting the task makes, if any.
    fn container_setting(&self) -> Option<&'static str> {
        let config = &self.task.config;
        [
            ("resources", !config.resources.is_empty()),
            ("env", !config.env.is_empty()),
            ("image", config.image.is_some()),
        ]
        .into_iter()
        .find_map(|(setting, set)| set.then_some(setting))
    }

    /// The executor of an importer task: the URI as a constant when the
    /// task gives one, else read from its `uri` input at run time.
    fn importer(&self, importer: &Importer) -> Result<ir::ImporterSpec, CompileError> {
        if let Some(setting) = self.container_setting() {
            return Err(self.err(TaskError::ContainerSettingOnImporter { setting }));
        }
        let artifact_uri = match self.task.argument(Component::IMPORTER_URI) {
            Some(Binding::Constant(Value::String(uri))) => {
                ir::ValueOrRuntimeParameter::Constant(Value::String(uri.clone()))
            }
            _ => ir::ValueOrRuntimeParameter::RuntimeParameter(Component::IMPORTER_URI.into()),
        };
        let artifact = self
            .component
            .output_artifacts
            .iter()
            .find(|a| a.name == Component::IMPORTER_OUTPUT && !a.is_list)
            .map(|a| &a.artifact_type)
            .ok_or_else(|| CompileError::Component {
                component: self.component.name.clone(),
                reason: format!(
                    "an importer has the output artifact `{}` (build it with `Component::importer`)",
                    Component::IMPORTER_OUTPUT
                ),
            })?;
        Ok(ir::ImporterSpec {
            artifact_uri: Some(artifact_uri),
            type_schema: Some(ir_artifact_type(artifact)),
            reimport: importer.reimport,
            metadata: importer.metadata.as_ref().map(|m| {
                m.iter()
                    .map(|(k, v)| (k.clone(), protobuf_value(v)))
                    .collect()
            }),
            ..ir::ImporterSpec::default()
        })
    }

    /// Checks that a pipeline task has no container-only settings, and that
    /// the component's interface is the pipeline's.
    fn check_pipeline_task(&self, inner: &Pipeline) -> Result<(), CompileError> {
        if let Some(setting) = self.container_setting() {
            return Err(self.err(TaskError::ContainerSettingOnPipeline { setting }));
        }
        if self.component.inputs != inner.inputs
            || self.component.input_artifacts != inner.input_artifacts
        {
            return Err(CompileError::Component {
                component: self.component.name.clone(),
                reason: "its inputs differ from those of the pipeline that implements it (build it with `Component::from_pipeline`)".into(),
            });
        }
        Ok(())
    }

    /// The executor's container: command and args written out, image,
    /// env and resources from the task config.
    fn container(&self, spec: &ContainerSpec) -> Result<ir::PipelineContainerSpec, CompileError> {
        let component = self.component;
        let args = |list: &[Arg]| -> Result<Vec<CompactString>, CompileError> {
            list.iter()
                .map(|a| {
                    check_placeholder(component, a)?;
                    arg_to_string(a).map_err(|source| CompileError::Placeholder {
                        component: component.name.clone(),
                        source,
                    })
                })
                .collect()
        };
        let config = &self.task.config;
        let image = match &config.image {
            Some(value) => self.runtime_string("base_image", value)?.0,
            None => spec.image.as_str().into(),
        };
        Ok(ir::PipelineContainerSpec {
            image,
            command: args(&spec.command)?,
            args: args(&spec.args)?,
            lifecycle: None,
            resources: self.resources()?.map(Box::new),
            env: config
                .env
                .iter()
                .map(|(name, value)| ir::EnvVar {
                    name: name.as_str().into(),
                    value: value.as_str().into(),
                })
                .collect(),
        })
    }

    /// kfp's resources: the `resource*` strings, plus the deprecated
    /// doubles for literal values.
    fn resources(&self) -> Result<Option<ir::ResourceSpec>, CompileError> {
        let r = &self.task.config.resources;
        if r.is_empty() {
            return Ok(None);
        }
        let mut spec = ir::ResourceSpec::default();
        let cpu = |setting, value: &'a ConfigValue| -> Result<(CompactString, f64), CompileError> {
            let (s, literal) = self.runtime_string(setting, value)?;
            let number = match literal {
                Some(l) => cpu_to_float(l).ok_or_else(|| {
                    self.err(TaskError::InvalidSetting {
                        setting,
                        value: l.to_owned(),
                        reason: "expected a number, or a number followed by `m`",
                    })
                })?,
                None => 0.0,
            };
            Ok((s, number))
        };
        let memory = |setting,
                      value: &'a ConfigValue|
         -> Result<(CompactString, f64), CompileError> {
            let (s, literal) = self.runtime_string(setting, value)?;
            let number = match literal {
                Some(l) => memory_to_float(l).ok_or_else(|| {
                    self.err(TaskError::InvalidSetting {
                        setting,
                        value: l.to_owned(),
                        reason: "expected an integer, optionally followed by one of E, Ei, P, Pi, T, Ti, G, Gi, M, Mi, K, Ki",
                    })
                })?,
                None => 0.0,
            };
            Ok((s, number))
        };
        if let Some(v) = &r.cpu_request {
            (spec.resource_cpu_request, spec.cpu_request) = cpu("cpu_request", v)?;
        }
        if let Some(v) = &r.cpu_limit {
            (spec.resource_cpu_limit, spec.cpu_limit) = cpu("cpu_limit", v)?;
        }
        if let Some(v) = &r.memory_request {
            (spec.resource_memory_request, spec.memory_request) = memory("memory_request", v)?;
        }
        if let Some(v) = &r.memory_limit {
            (spec.resource_memory_limit, spec.memory_limit) = memory("memory_limit", v)?;
        }
        // kfp sets the count to 1 with the type, and writes an accelerator
        // whenever a count is set.
        let one = ConfigValue::Literal("1".into());
        let count = r
            .accelerator_limit
            .as_ref()
            .or(r.accelerator_type.as_ref().map(|_| &one));
        if let Some(count) = count {
            let mut accelerator = ir::AcceleratorConfig::default();
            if let Some(t) = &r.accelerator_type {
                let (s, literal) = self.runtime_string("accelerator_type", t)?;
                accelerator.resource_type = s;
                accelerator.r#type = literal.unwrap_or_default().into();
            }
            let (s, literal) = match count {
                ConfigValue::Literal(l) => (l.as_str().into(), Some(l.as_str())),
                other => (self.runtime_string("accelerator_count", other)?.0, None),
            };
            if let Some(l) = literal {
                accelerator.count = (!l.is_empty() && l.bytes().all(|b| b.is_ascii_digit()))
                    .then(|| l.parse::<i64>().ok())
                    .flatten()
                    .ok_or_else(|| {
                        self.err(TaskError::InvalidSetting {
                            setting: "accelerator_limit",
                            value: l.to_owned(),
                            reason: "expected a non-negative integer",
                        })
                    })?;
            }
            accelerator.resource_count = s;
            spec.accelerator = Some(accelerator);
        }
        Ok(Some(spec))
    }
}

pub(crate) fn parameter_spec(kind: ir::InputParameterKind) -> ir::InputParameterSpec {
    ir::InputParameterSpec {
        kind: Some(kind),
        parameter_expression_selector: CompactString::default(),
    }
}

/// Checks that a placeholder names an input or output of the right kind.
fn check_placeholder(component: &Component, arg: &Arg) -> Result<(), CompileError> {
    let bad = |what: &str, name: &str| CompileError::Component {
        component: component.name.clone(),
        reason: format!(
            "a placeholder refers to {what} `{name}`, which the component does not declare"
        ),
    };
    let out_artifact = |n: &str| matches!(component.output(n), Some(OutputRef::Artifact(_)));
    match arg {
        Arg::Literal(_) | Arg::ExecutorInput => Ok(()),
        Arg::InputValue(n) if component.input(n).is_none() => Err(bad("input parameter", n)),
        Arg::InputPath(n)
        | Arg::InputUri(n)
        | Arg::InputMetadata(n)
        | Arg::InputArtifactList(n)
            if component.input_artifact(n).is_none() =>
        {
            Err(bad("input artifact", n))
        }
        Arg::OutputPath(n) | Arg::OutputUri(n) | Arg::OutputMetadata(n) if !out_artifact(n) => {
            Err(bad("output artifact", n))
        }
        Arg::OutputParameterFile(n)
            if !matches!(component.output(n), Some(OutputRef::Parameter(_))) =>
        {
            Err(bad("output parameter", n))
        }
        Arg::Concat(items) => items
            .iter()
            .try_for_each(|a| check_placeholder(component, a)),
        Arg::IfPresent {
            input,
            then,
            otherwise,
        } => {
            if component.input(input).is_none()
                && component.input_artifact(input).is_none()
                && component.output(input).is_none()
            {
                return Err(bad("input", input));
            }
            then.iter()
                .chain(otherwise.iter().flatten())
                .try_for_each(|a| check_placeholder(component, a))
        }
        _ => Ok(()),
    }
}

/// A component's interface as IR, with its implementation.
fn interface(
    component: &Component,
    implementation: ir::ComponentImplementation,
) -> Result<ir::ComponentSpec, CompileError> {
    let inputs = input_definitions(&component.inputs, &component.input_artifacts).map_err(
        |(input, reason)| CompileError::Component {
            component: component.name.clone(),
            reason: format!("input `{input}`: {reason}"),
        },
    )?;
    let mut outputs = ir::ComponentOutputsSpec::default();
    for p in &component.outputs {
        outputs.parameters.insert(
            p.name.as_str().into(),
            ir::ComponentOutputParameterSpec {
                parameter_type: ir_parameter_type(p.kind),
                description: p.description.as_deref().unwrap_or_default().into(),
                ..Default::default()
            },
        );
    }
    for a in &component.output_artifacts {
        outputs.artifacts.insert(
            a.name.as_str().into(),
            ir::ComponentOutputArtifactSpec {
                artifact_type: Some(ir_artifact_type(&a.artifact_type)),
                is_artifact_list: a.is_list,
                description: a.description.as_deref().unwrap_or_default().into(),
                ..Default::default()
            },
        );
    }
    Ok(ir::ComponentSpec {
        input_definitions: inputs,
        output_definitions: non_empty_outputs(outputs),
        implementation: Some(implementation),
        ..Default::default()
    })
}

fn non_empty_outputs(o: ir::ComponentOutputsSpec) -> Option<ir::ComponentOutputsSpec> {
    (!o.parameters.is_empty() || !o.artifacts.is_empty()).then_some(o)
}

/// The root's interface: the pipeline inputs, and outputs typed from their
/// producers.
fn pipeline_interface(pipeline: &Pipeline) -> Result<ir::ComponentSpec, CompileError> {
    let err = |input: String, reason: String| CompileError::PipelineInput {
        pipeline: pipeline.name.clone(),
        input,
        reason,
    };
    let mut inputs = input_definitions(&pipeline.inputs, &pipeline.input_artifacts)
        .map_err(|(input, reason)| err(input, reason))?;
    // Compile-time arguments set the default, not the optionality (kfp's
    // `pipeline_parameters`).
    for (name, value) in &pipeline.arguments {
        let declared = pipeline.inputs.iter().find(|p| p.name == *name);
        let spec = inputs
            .as_mut()
            .and_then(|i| i.parameters.get_mut(name.as_str()));
        let (Some(declared), Some(spec)) = (declared, spec) else {
            return Err(err(
                name.clone(),
                "a value is given for it at compile time, but the pipeline has no such input                  parameter"
                    .to_owned(),
            ));
        };
        if !constant_fits(value, declared.kind) {
            return Err(err(
                name.clone(),
                format!(
                    "the value {value} given at compile time is not a {:?}",
                    declared.kind
                ),
            ));
        }
        spec.default_value = Some(protobuf_value(value));
    }
    Ok(ir::ComponentSpec {
        input_definitions: inputs,
        ..Default::default()
    })
}

/// Fills the root's `outputDefinitions` and returns `dag.outputs`.
fn dag_outputs(
    pipeline: &Pipeline,
    names: &[CompactString],
    scopes: &Scopes<'_>,
    root: &mut ir::ComponentSpec,
    mut router: Option<&mut Router<'_>>,
) -> Result<Option<ir::DagOutputsSpec>, CompileError> {
    let mut definitions = ir::ComponentOutputsSpec::default();
    let mut dag = ir::DagOutputsSpec::default();
    for out in &pipeline.outputs {
        let err = |reason: String| CompileError::PipelineOutput {
            pipeline: pipeline.name.clone(),
            output: out.name.clone(),
            reason,
        };
        let (producer, key, declared, collected) = match &out.source {
            OutputSource::Task { task, output } => {
                let producer = names
                    .get(task.0)
                    .ok_or_else(|| err(format!("task #{} is not in the pipeline", task.0)))?;
                let declared = pipeline
                    .task_output(*task, output)
                    .ok_or_else(|| err(format!("task `{producer}` has no output `{output}`")))?;
                // The output of a task inside a loop is published collected.
                match (&mut router, pipeline.tasks[task.0].group) {
                    (Some(router), Some(_)) => {
                        let (top, channel) = router.collect(producer, output, None);
                        (top, channel, declared, true)
                    }
                    _ => (producer.clone(), output.as_str().into(), declared, false),
                }
            }
            OutputSource::OneOf(id) => {
                let (Some(router), Ok(resolved)) =
                    (&mut router, resolve_one_of(pipeline, scopes, *id))
                else {
                    let reason = resolve_one_of(pipeline, scopes, *id)
                        .err()
                        .unwrap_or_else(|| format!("OneOf #{} has no chain", id.0));
                    return Err(err(reason));
                };
                if scopes.parent(resolved.branches).is_some() {
                    return Err(err(format!(
                        "a OneOf of `{}`, which runs inside a loop or condition, cannot be \
                         published: publish it from that group's pipeline level",
                        resolved.group
                    )));
                }
                let (group, key) = router.publish_one_of(*id).map_err(err)?;
                (group, key, resolved.output, false)
            }
        };
        let (producer, key) = (&producer, &key);
        match declared {
            OutputRef::Parameter(p) => {
                definitions.parameters.insert(
                    out.name.as_str().into(),
                    ir::ComponentOutputParameterSpec {
                        parameter_type: if collected {
                            ir::ParameterType::List
                        } else {
                            ir_parameter_type(p.kind)
                        },
                        description: out.description.as_deref().unwrap_or_default().into(),
                        ..Default::default()
                    },
                );
                dag.parameters.insert(
                    out.name.as_str().into(),
                    ir::DagOutputParameterSpec::ValueFromParameter(ir::ParameterSelectorSpec {
                        producer_subtask: producer.clone(),
                        output_parameter_key: key.clone(),
                    }),
                );
            }
            OutputRef::Artifact(a) => {
                definitions.artifacts.insert(
                    out.name.as_str().into(),
                    ir::ComponentOutputArtifactSpec {
                        artifact_type: Some(ir_artifact_type(&a.artifact_type)),
                        is_artifact_list: a.is_list || collected,
                        description: out.description.as_deref().unwrap_or_default().into(),
                        ..Default::default()
                    },
                );
                dag.artifacts.insert(
                    out.name.as_str().into(),
                    ir::DagOutputArtifactSpec {
                        artifact_selectors: vec![ir::ArtifactSelectorSpec {
                            producer_subtask: producer.clone(),
                            output_artifact_key: key.clone(),
                        }],
                    },
                );
            }
        }
    }
    root.output_definitions = non_empty_outputs(definitions);
    Ok((!dag.parameters.is_empty() || !dag.artifacts.is_empty()).then_some(dag))
}

/// `inputDefinitions` as kfp writes them; errors give the input and what is
/// wrong.
fn input_definitions(
    parameters: &[InputParameter],
    artifacts: &[crate::graph::InputArtifact],
) -> Result<Option<ir::ComponentInputsSpec>, (String, String)> {
    let mut spec = ir::ComponentInputsSpec::default();
    for p in parameters {
        let default_value = match &p.default {
            None | Some(Value::Null) => None,
            Some(v) if constant_fits(v, p.kind) => Some(protobuf_value(v)),
            Some(v) => {
                return Err((
                    p.name.clone(),
                    format!("the default {v} is not a {:?}", p.kind),
                ));
            }
        };
        spec.parameters.insert(
            p.name.as_str().into(),
            ir::ComponentInputParameterSpec {
                parameter_type: ir_parameter_type(p.kind),
                default_value,
                is_optional: p.is_optional(),
                description: p.description.as_deref().unwrap_or_default().into(),
                ..Default::default()
            },
        );
    }
    for a in artifacts {
        spec.artifacts.insert(
            a.name.as_str().into(),
            ir::ComponentInputArtifactSpec {
                artifact_type: Some(ir_artifact_type(&a.artifact_type)),
                is_artifact_list: a.is_list,
                is_optional: a.optional,
                description: a.description.as_deref().unwrap_or_default().into(),
            },
        );
    }
    Ok((!spec.parameters.is_empty() || !spec.artifacts.is_empty()).then_some(spec))
}

pub(crate) fn ir_parameter_type(kind: ParameterType) -> ir::ParameterType {
    match kind {
        ParameterType::String => ir::ParameterType::String,
        ParameterType::Integer => ir::ParameterType::NumberInteger,
        ParameterType::Double => ir::ParameterType::NumberDouble,
        ParameterType::Boolean => ir::ParameterType::Boolean,
        ParameterType::List => ir::ParameterType::List,
        ParameterType::Struct => ir::ParameterType::Struct,
        ParameterType::TaskFinalStatus => ir::ParameterType::TaskFinalStatus,
    }
}

pub(crate) fn ir_artifact_type(t: &ArtifactType) -> ir::ArtifactTypeSchema {
    ir::ArtifactTypeSchema {
        kind: Some(ir::ArtifactTypeKind::SchemaTitle(
            t.schema_title.as_str().into(),
        )),
        schema_version: t.schema_version.as_str().into(),
    }
}

/// Whether a constant may be given to a parameter of type `kind`.
fn constant_fits(value: &Value, kind: ParameterType) -> bool {
    match (kind, value) {
        (ParameterType::String, Value::String(_))
        | (ParameterType::Boolean, Value::Bool(_))
        | (ParameterType::Double, Value::Number(_))
        | (ParameterType::List, Value::Array(_))
        | (ParameterType::Struct, Value::Object(_)) => true,
        (ParameterType::Integer, Value::Number(n)) => n.is_i64() || n.is_u64(),
        _ => false,
    }
}

/// kfp's rule for the field names of loop items
/// (`LoopArgumentVariable.LEGAL_SUBVAR_NAME_REGEX`, `^[a-zA-Z_][0-9a-zA-Z_]*$`).
fn is_subvar_name(name: &str) -> bool {
    let mut bytes = name.bytes();
    bytes
        .next()
        .is_some_and(|b| b.is_ascii_alphabetic() || b == b'_')
        && bytes.all(|b| b.is_ascii_alphanumeric() || b == b'_')
}

/// A JSON value as a `google.protobuf.Value` holds it: every number is a
/// double (kfp writes the default `3` as `3.0`).
pub(crate) fn protobuf_value(value: &Value) -> Value {
    match value {
        Value::Number(n) => n
            .as_f64()
            .and_then(serde_json::Number::from_f64)
            .map_or(Value::Null, Value::Number),
        Value::Array(items) => Value::Array(items.iter().map(protobuf_value).collect()),
        Value::Object(fields) => Value::Object(
            fields
                .iter()
                .map(|(k, v)| (k.clone(), protobuf_value(v)))
                .collect(),
        ),
        other => other.clone(),
    }
}

/// kfp's artifact compatibility: same list-ness, and `system.Artifact` on
/// either side or the same title with the same major version.
fn artifacts_compatible(
    given: &ArtifactType,
    given_list: bool,
    expected: &ArtifactType,
    expected_list: bool,
) -> bool {
    fn major(version: &str) -> &str {
        version.split('.').next().unwrap_or("")
    }
    given_list == expected_list
        && (given.schema_title == "system.Artifact"
            || expected.schema_title == "system.Artifact"
            || (given.schema_title == expected.schema_title
                && major(&given.schema_version) == major(&expected.schema_version)))
}

fn describe_artifact(t: &ArtifactType, list: bool) -> String {
    let one = format!("{}@{}", t.schema_title, t.schema_version);
    if list {
        format!("a list of {one}")
    } else {
        one
    }
}

/// kfp's `_cpu_to_float` after its validation regex
/// `([0-9]*[.])?[0-9]+m?$`.
fn cpu_to_float(cpu: &str) -> Option<f64> {
    let (number, milli) = match cpu.strip_suffix('m') {
        Some(n) => (n, true),
        None => (cpu, false),
    };
    let (int, frac) = match number.split_once('.') {
        Some((i, f)) => (i, f),
        None => ("", number),
    };
    let digits = |s: &str| s.bytes().all(|b| b.is_ascii_digit());
    if frac.is_empty() || !digits(int) || !digits(frac) {
        return None;
    }
    let value: f64 = number.parse().ok()?;
    Some(if milli { value / 1000.0 } else { value })
}

/// kfp's `_memory_to_float` (in GB) after its validation regex
/// `^[0-9]+(E|Ei|P|Pi|T|Ti|G|Gi|M|Mi|K|Ki){0,1}$`.
fn memory_to_float(memory: &str) -> Option<f64> {
    const G: f64 = 1e9;
    let units: [(&str, f64); 12] = [
        ("Ei", (1u64 << 60) as f64),
        ("Pi", (1u64 << 50) as f64),
        ("Ti", (1u64 << 40) as f64),
        ("Gi", (1u64 << 30) as f64),
        ("Mi", (1u64 << 20) as f64),
        ("Ki", (1u64 << 10) as f64),
        ("E", 1e18),
        ("P", 1e15),
        ("T", 1e12),
        ("G", G),
        ("M", 1e6),
        ("K", 1e3),
    ];
    let (digits, factor) = units
        .iter()
        .find_map(|(suffix, factor)| memory.strip_suffix(suffix).map(|d| (d, Some(*factor))))
        .unwrap_or((memory, None));
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let value: f64 = digits.parse().ok()?;
    Some(match factor {
        // `float(memory[:-1])` for G, as kfp does, without a round trip.
        Some(f) if f == G => value,
        Some(f) => value * f / G,
        None => value / G,
    })
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;

    use super::*;

    /// `sorted_map` gives what `BTreeMap::from_iter` gives, for every order
    /// of a few keys with repeats (the last value of a key counts).
    #[test]
    fn sorted_map_is_from_iter() {
        let long = "a-name-longer-than-sixteen-bytes";
        let keys = [
            "b",
            "a",
            "c",
            "a",
            "d",
            "b",
            long,
            "a-name-longer-than-sixteen",
            long,
            "a\0",
        ];
        let mut seed: u64 = 7;
        for _ in 0..500 {
            let mut entries: Vec<(CompactString, usize)> = keys
                .iter()
                .enumerate()
                .map(|(i, k)| (CompactString::from(*k), i))
                .collect();
            for i in (1..entries.len()).rev() {
                seed = seed.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1);
                entries.swap(i, (seed >> 33) as usize % (i + 1));
            }
            let want: BTreeMap<CompactString, usize> = entries.clone().into_iter().collect();
            assert_eq!(
                sorted_map(entries.clone()),
                ir::VecMap::from(want),
                "{entries:?}"
            );
        }
        assert_eq!(sorted_map::<u8>(Vec::new()), ir::VecMap::new());
    }

    #[test]
    fn resources_convert_as_kfp() {
        assert_eq!(cpu_to_float("500m"), Some(0.5));
        assert_eq!(cpu_to_float("1000m"), Some(1.0));
        assert_eq!(cpu_to_float("2"), Some(2.0));
        assert_eq!(cpu_to_float(".5"), Some(0.5));
        assert_eq!(cpu_to_float("1."), None);
        assert_eq!(cpu_to_float("m"), None);
        assert_eq!(memory_to_float("256Mi"), Some(0.268435456));
        assert_eq!(memory_to_float("1Gi"), Some(1.073741824));
        assert_eq!(memory_to_float("15G"), Some(15.0));
        assert_eq!(memory_to_float("1.5G"), None);
        assert_eq!(memory_to_float("Gi"), None);
    }

    #[test]
    fn protobuf_values_make_numbers_doubles() {
        let v = protobuf_value(&serde_json::json!({"a": [1, 2.5, true, "x"]}));
        assert_eq!(v, serde_json::json!({"a": [1.0, 2.5, true, "x"]}));
        assert!(v["a"][0].is_f64());
    }

    #[test]
    fn loop_item_field_names_follow_kfps_rule() {
        for ok in ["a", "A_a", "_x1", "lr"] {
            assert!(is_subvar_name(ok), "{ok}");
        }
        for bad in ["", "1a", "a-b", "a.b", "a\"b", "é"] {
            assert!(!is_subvar_name(bad), "{bad}");
        }
    }
}
