//! Recording a pipeline: the pipeline function runs at definition time and
//! every component call adds a task to the pipeline being built.
//!
//! The pipeline under construction lives in a thread-local stack of
//! [`Frame`]s (one per pipeline being defined; a pipeline used inside another
//! pushes its own). Handles remember the frame that issued them, so a handle
//! used in the wrong pipeline is reported instead of silently miswired.

use std::cell::RefCell;
use std::collections::{BTreeMap, HashMap};
use std::sync::atomic::{AtomicU64, Ordering};

use kfp_compiler::graph::{self, Binding, ComponentId, TaskId};
use kfp_ir_schema::CompactString;

use crate::executor::ExecutorFn;

/// The executors of the Rust-native components reachable from a pipeline,
/// keyed by the name given to `--function_to_execute`.
pub type Executors = BTreeMap<String, ExecutorFn>;

/// One pipeline being recorded.
pub(crate) struct Frame {
    pub(crate) id: u64,
    pub(crate) pipeline: graph::Pipeline,
    /// Component ids by the definition's unique key.
    components: HashMap<ComponentKey, ComponentId>,
    pub(crate) executors: Executors,
    /// The definition key of each executor, to catch two components that
    /// share a function name.
    native_keys: BTreeMap<String, &'static str>,
    /// Mistakes found while recording, reported when the pipeline compiles.
    pub(crate) errors: Vec<String>,
    /// Where the user made some of them (`file:line`), by their index in
    /// `errors`.
    error_calls: Vec<(usize, String)>,
    /// The groups (loops) being recorded, innermost last: new tasks join
    /// the innermost.
    pub(crate) groups: Vec<graph::GroupId>,
}

impl Frame {
    /// Registers the executor of a Rust-native component; two different
    /// components with one function name cannot both be run by name.
    fn add_executor(&mut self, name: String, key: &'static str, run: ExecutorFn) {
        match self.native_keys.get(&name) {
            Some(known) if *known != key => self.errors.push(format!(
                "two Rust-native components are called `{name}` (`{known}` and `{key}`): \
                 `--function_to_execute {name}` could not tell them apart; rename one"
            )),
            Some(_) => {}
            None => {
                self.native_keys.insert(name.clone(), key);
                self.executors.insert(name, run);
            }
        }
    }
}

thread_local! {
    static STACK: RefCell<Vec<Frame>> = const { RefCell::new(Vec::new()) };
}

static NEXT_FRAME: AtomicU64 = AtomicU64::new(1);

/// A pipeline recorded by running its definition function.
pub struct Recorded {
    /// The graph.
    pub pipeline: graph::Pipeline,
    /// The Rust-native executors it reaches (through sub-pipelines too).
    pub executors: Executors,
    /// Wiring mistakes found while recording.
    pub errors: Vec<String>,
    /// Where the user made some of them (`file:line` of the call), by their
    /// index in `errors`.
    pub error_calls: Vec<(usize, String)>,
    /// For a component recorded on its own, its description: kfp writes
    /// it in the file's header comment (where `load_component_from_file`
    /// reads it back), not in `pipelineInfo`.
    pub header_description: Option<String>,
    native_keys: BTreeMap<String, &'static str>,
}

/// Runs `define` with `pipeline` as the pipeline being recorded and returns
/// what it recorded. `define` gets the frame id to make input handles with,
/// and returns the pipeline outputs: (name, where the value comes from).
pub fn record_pipeline(
    pipeline: graph::Pipeline,
    define: impl FnOnce(u64) -> Vec<(String, graph::OutputSource)>,
) -> Recorded {
    let id = NEXT_FRAME.fetch_add(1, Ordering::Relaxed);
    STACK.with(|s| {
        s.borrow_mut().push(Frame {
            id,
            pipeline,
            components: HashMap::new(),
            executors: BTreeMap::new(),
            native_keys: BTreeMap::new(),
            errors: Vec::new(),
            error_calls: Vec::new(),
            groups: Vec::new(),
        })
    });
    // Pop the frame even if `define` panics, so the stack stays balanced.
    struct Pop;
    impl Drop for Pop {
        fn drop(&mut self) {
            STACK.with(|s| {
                s.borrow_mut().pop();
            });
        }
    }
    let guard = Pop;
    let outputs = define(id);
    let mut recorded = STACK.with(|s| {
        let mut stack = s.borrow_mut();
        let frame = stack.last_mut().expect("the frame pushed above");
        Recorded {
            pipeline: std::mem::take(&mut frame.pipeline),
            executors: std::mem::take(&mut frame.executors),
            errors: std::mem::take(&mut frame.errors),
            error_calls: std::mem::take(&mut frame.error_calls),
            header_description: None,
            native_keys: std::mem::take(&mut frame.native_keys),
        }
    });
    drop(guard);
    for (name, source) in outputs {
        recorded.pipeline.add_output_from(name, source);
    }
    recorded
}

/// Records a component on its own as a pipeline, as kfp compiles a single
/// component: one task, the component's inputs as pipeline inputs, its
/// outputs as pipeline outputs.
pub fn record_component(def: &Definition) -> Recorded {
    let component = (def.build)();
    let mut pipeline = graph::Pipeline::new(component.name.clone());
    pipeline.inputs = component.inputs.clone();
    pipeline.input_artifacts = component.input_artifacts.clone();
    let mut recorded = record_pipeline(pipeline, |_| {
        let bindings: Vec<(CompactString, _)> = component
            .inputs
            .iter()
            .map(|i| {
                (
                    i.name.as_str().into(),
                    Some(Binding::pipeline_parameter(&i.name)),
                )
            })
            .chain(component.input_artifacts.iter().map(|i| {
                (
                    i.name.as_str().into(),
                    Some(Binding::pipeline_artifact(&i.name)),
                )
            }))
            .collect();
        let task = add_task_owned(def, bindings.into_iter());
        component
            .outputs
            .iter()
            .map(|o| &o.name)
            .chain(component.output_artifacts.iter().map(|o| &o.name))
            .map(|name| {
                let source = graph::OutputSource::Task {
                    task: task.task,
                    output: name.clone(),
                };
                (name.clone(), source)
            })
            .collect()
    });
    // The outputs keep the component's descriptions, as in kfp.
    let descriptions = component
        .outputs
        .iter()
        .map(|o| (&o.name, &o.description))
        .chain(
            component
                .output_artifacts
                .iter()
                .map(|o| (&o.name, &o.description)),
        );
    for (name, description) in descriptions {
        if let Some(out) = recorded.pipeline.output_mut(name) {
            out.description.clone_from(description);
        }
    }
    recorded.header_description = component.description;
    recorded
}

/// Runs `f` on the innermost frame.
///
/// # Panics
///
/// When no pipeline is being defined: component builders may only be called
/// inside a `#[pipeline]` function (or under [`record_pipeline`]).
pub(crate) fn with_current<R>(f: impl FnOnce(&mut Frame) -> R) -> R {
    STACK.with(|s| {
        let mut stack = s.borrow_mut();
        match stack.last_mut() {
            Some(frame) => f(frame),
            None => panic!(
                "a kfp component was called outside a pipeline: call component builders \
                 inside a `#[pipeline]` function"
            ),
        }
    })
}

/// The id of the innermost frame.
pub(crate) fn current_frame_id() -> u64 {
    with_current(|f| f.id)
}

/// A recorded task, as held by a generated task type.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct TaskHandle {
    pub(crate) frame: u64,
    pub(crate) task: TaskId,
}

impl TaskHandle {
    /// The task's id in its pipeline.
    pub fn id(&self) -> TaskId {
        self.task
    }

    /// The name kfp gives the task (`say-2`), for error messages; `None`
    /// for a task of another pipeline.
    pub(crate) fn kfp_name(&self) -> Option<String> {
        with_current(|frame| {
            if frame.id != self.frame {
                return None;
            }
            let names = kfp_compiler::task_names(&frame.pipeline).ok()?;
            names.get(self.task.0).map(|name| name.to_string())
        })
    }

    /// Changes the recorded task. A handle from another pipeline is
    /// reported as an error of the current one.
    pub(crate) fn update(&self, what: &str, f: impl FnOnce(&mut graph::Task)) {
        with_current(|frame| {
            if frame.id == self.frame {
                f(frame.pipeline.task_mut(self.task));
            } else {
                frame
                    .errors
                    .push(format!("`{what}` was called on a task of another pipeline"));
            }
        });
    }

    /// Changes the pipeline the task is recorded in, given the task's id;
    /// `None` (and an error of the current pipeline) for a handle from
    /// another pipeline.
    pub(crate) fn update_in_pipeline<R>(
        &self,
        what: &str,
        f: impl FnOnce(&mut graph::Pipeline, TaskId) -> R,
    ) -> Option<R> {
        with_current(|frame| {
            if frame.id == self.frame {
                Some(f(&mut frame.pipeline, self.task))
            } else {
                frame
                    .errors
                    .push(format!("`{what}` was called on a task of another pipeline"));
                None
            }
        })
    }

    /// Changes the component of the recorded task (an importer's own).
    pub(crate) fn update_component(&self, what: &str, f: impl FnOnce(&mut graph::Component)) {
        with_current(|frame| {
            if frame.id == self.frame {
                let component = frame.pipeline.task(self.task).component;
                f(&mut frame.pipeline.components[component.0]);
            } else {
                frame
                    .errors
                    .push(format!("`{what}` was called on a task of another pipeline"));
            }
        });
    }
}

/// What identifies a component within a recording, so that tasks of one
/// component share its graph component.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub(crate) enum ComponentKey {
    /// A definition of generated code, by its key.
    Definition(&'static str),
    /// A component loaded when the program runs, by its load number.
    Loaded(u64),
}

/// A component definition, as generated code describes it.
pub struct Definition {
    /// A key unique to the definition: its Rust path and source location.
    pub key: &'static str,
    /// Builds the graph component (called once per pipeline).
    pub build: fn() -> graph::Component,
    /// For a Rust-native component: its function name and executor.
    pub native: Option<(&'static str, ExecutorFn)>,
    /// For a pipeline used as a component: what recording it gave.
    pub nested: Option<fn() -> Recorded>,
}

/// Adds a task calling `def` with the bindings given, and returns its
/// handle. `None` bindings (unset optional inputs) are left out.
pub fn add_task<const N: usize>(
    def: &Definition,
    bindings: [(&'static str, Option<Binding>); N],
) -> TaskHandle {
    add_task_owned(
        def,
        bindings
            .into_iter()
            .map(|(name, b)| (CompactString::const_new(name), b)),
    )
}

fn add_task_owned(
    def: &Definition,
    bindings: impl ExactSizeIterator<Item = (CompactString, Option<Binding>)>,
) -> TaskHandle {
    let component = component_id(ComponentKey::Definition(def.key), || {
        if let Some((name, run)) = def.native {
            with_current(|frame| frame.add_executor(name.to_owned(), def.key, run));
        }
        match def.nested {
            // A pipeline used as a component: record it in its own frame.
            Some(nested) => {
                let mut recorded = nested();
                let pipeline = std::mem::take(&mut recorded.pipeline);
                (graph::Component::from_pipeline(pipeline), Some(recorded))
            }
            None => ((def.build)(), None),
        }
    });
    add_task_of(component, bindings)
}

/// The id of the component known by `key` in the current pipeline, added
/// with `make` the first time (with what recording a nested pipeline gave:
/// its mistakes and executors join the current pipeline's).
pub(crate) fn component_id(
    key: ComponentKey,
    make: impl FnOnce() -> (graph::Component, Option<Recorded>),
) -> ComponentId {
    if let Some(id) = with_current(|frame| frame.components.get(&key).copied()) {
        return id;
    }
    let (component, nested) = make();
    with_current(|frame| {
        let id = frame.pipeline.add_component(component);
        frame.components.insert(key, id);
        if let Some(nested) = nested {
            let offset = frame.errors.len();
            frame.errors.extend(nested.errors);
            let calls = nested.error_calls.into_iter();
            frame
                .error_calls
                .extend(calls.map(|(i, at)| (offset + i, at)));
            for (name, run) in nested.executors {
                let key = nested.native_keys.get(&name).copied().unwrap_or_default();
                frame.add_executor(name, key, run);
            }
        }
        id
    })
}

/// Adds a task of `component` with the bindings given (`None`: unset).
pub(crate) fn add_task_of(
    component: ComponentId,
    bindings: impl ExactSizeIterator<Item = (CompactString, Option<Binding>)>,
) -> TaskHandle {
    with_current(|frame| {
        let mut task = graph::Task::new(component);
        task.group = frame.groups.last().copied();
        // Room for exactly these (a `Vec` would start at four).
        task.arguments.reserve_exact(bindings.len());
        for (input, binding) in bindings {
            if let Some(binding) = binding {
                task.set_argument(input, binding);
            }
        }
        let task = frame.pipeline.add_task(task);
        TaskHandle {
            frame: frame.id,
            task,
        }
    })
}

/// Adds a task of its own `component` (an importer: each has its own
/// settings) with its URI bound, and returns its handle.
pub(crate) fn add_importer_task(component: graph::Component, uri: Option<Binding>) -> TaskHandle {
    with_current(|frame| {
        let component = frame.pipeline.add_component(component);
        let mut task = graph::Task::new(component);
        task.group = frame.groups.last().copied();
        if let Some(uri) = uri {
            task.set_argument(graph::Component::IMPORTER_URI, uri);
        }
        TaskHandle {
            frame: frame.id,
            task: frame.pipeline.add_task(task),
        }
    })
}

/// Records an error found while wiring the current pipeline, with
/// `file:line` of the user's call when the functions on the way track
/// their caller (`#[track_caller]`: the generated task builders and
/// setters, the task settings and what they call).
#[track_caller]
pub(crate) fn report(message: String) {
    let at = user_call(std::panic::Location::caller());
    with_current(|frame| {
        if let Some(at) = at {
            let call = format!("{}:{}", at.file(), at.line());
            frame.error_calls.push((frame.errors.len(), call));
        }
        frame.errors.push(message);
    });
}

/// `at`, unless it is in kfp-dsl itself (a caller not tracked all the way
/// to the user's code).
fn user_call(
    at: &'static std::panic::Location<'static>,
) -> Option<&'static std::panic::Location<'static>> {
    let this = std::path::Path::new(file!());
    let src = this.parent().unwrap_or(this);
    (!std::path::Path::new(at.file()).starts_with(src)).then_some(at)
}

/// Sets (or replaces) the binding of input `name` of a recorded task; `None`
/// leaves the input unset.
pub fn set_input(handle: TaskHandle, name: &'static str, binding: Option<Binding>) {
    if let Some(binding) = binding {
        handle.update(name, |t| t.set_argument(name, binding));
    }
}
