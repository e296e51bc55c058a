//! Running a pipeline: the checks before it starts, the run's record, and
//! what comes back.

use std::collections::{BTreeMap, HashMap};
use std::fs::File;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::AtomicBool;

use kfp_ir_schema::PipelineFile;
use kfp_ir_schema::arguments::{ArgValue, ArgumentErrors, check_arguments};
use kfp_ir_schema::executor::RuntimeArtifact;
use serde_json::{Map, Value, json};

use crate::driver::Values;
use crate::driver::resolve::RunInfo;
use crate::engine::{self, Context, Native};
use crate::exec::TaskExecutor;
use crate::exec::host::Host;
use crate::layout::Layout;
use crate::plan::{self, Unsupported};
use crate::progress::{Event, Progress};
use crate::state::RunState;
use crate::store::{NewRun, RunRecord, Store, StoreError, TaskRecord};
use crate::time;

/// Where container tasks run.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum RunnerKind {
    /// As processes of this machine; images are ignored.
    #[default]
    Host,
    /// In their images, through the Docker Engine API (Docker or Podman).
    Container,
}

/// Why a run could not start (a run that starts and fails is an
/// [`Outcome`] in state `FAILED`).
#[derive(Debug, thiserror::Error)]
pub enum RunError {
    /// The arguments do not fit the pipeline's parameters.
    #[error(transparent)]
    Arguments(#[from] ArgumentErrors),
    /// The pipeline uses what the local runner cannot run.
    #[error("the pipeline cannot run locally:{}", .0.iter().map(|u| format!("\n  - {u}")).collect::<String>())]
    Unsupported(Vec<Unsupported>),
    /// The run store failed.
    #[error(transparent)]
    Store(#[from] StoreError),
    /// A folder or file of the run could not be made.
    #[error("could not prepare {}: {source}", path.display())]
    Io {
        /// The path.
        path: PathBuf,
        /// Why.
        source: std::io::Error,
    },
    /// The container engine could not be reached.
    #[error(transparent)]
    Engine(#[from] crate::exec::container::ConnectError),
}

impl RunError {
    /// True when the input was at fault (bad arguments, an unsupported
    /// pipeline), rather than this machine.
    pub fn is_bad_input(&self) -> bool {
        matches!(self, Self::Arguments(_) | Self::Unsupported(_))
    }
}

/// Runs pipelines on this machine: the local runner.
///
/// ```no_run
/// use std::collections::BTreeMap;
/// use kfp_local::{Runner, RunState};
/// use kfp_local::progress::Silent;
///
/// let file = kfp_ir_schema::PipelineFile::read("pipeline.yaml")?;
/// let args = kfp_ir_schema::arguments::parse_key_values(["text=hi"])?;
/// let outcome = Runner::new("kfp-local").parallelism(4).run(&file, &args, &mut Silent)?;
/// assert_eq!(outcome.state(), RunState::Succeeded);
/// println!("{:?}", outcome.output("Output"));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Clone, Debug)]
pub struct Runner {
    layout: Layout,
    pipeline_root: Option<PathBuf>,
    parallelism: usize,
    cache: bool,
    kind: RunnerKind,
    native: BTreeMap<String, Native>,
    verbose: bool,
    source: Option<String>,
    env: Vec<(String, String)>,
    cancel: Arc<AtomicBool>,
}

impl Runner {
    /// A runner whose runs and artifacts live under `home`.
    pub fn new(home: impl Into<PathBuf>) -> Self {
        Self::with_layout(Layout::new(home))
    }

    /// A runner over a home folder's layout.
    pub fn with_layout(layout: Layout) -> Self {
        Self {
            layout,
            pipeline_root: None,
            parallelism: std::thread::available_parallelism().map_or(2, |n| n.get()),
            cache: true,
            kind: RunnerKind::Host,
            native: BTreeMap::new(),
            verbose: false,
            source: None,
            env: Vec::new(),
            cancel: Arc::new(AtomicBool::new(false)),
        }
    }

    /// Writes artifacts under `dir` instead of `<home>/artifacts`.
    #[must_use]
    pub fn pipeline_root(mut self, dir: impl Into<PathBuf>) -> Self {
        self.pipeline_root = Some(dir.into());
        self
    }

    /// Runs at most `n` container tasks at once (default: the number of
    /// cores).
    #[must_use]
    pub fn parallelism(mut self, n: usize) -> Self {
        self.parallelism = n.max(1);
        self
    }

    /// Takes task outputs from the cache when their key matches (default:
    /// true, as tasks ask with `enableCache`).
    #[must_use]
    pub fn cache(mut self, enabled: bool) -> Self {
        self.cache = enabled;
        self
    }

    /// Where container tasks run.
    #[must_use]
    pub fn kind(mut self, kind: RunnerKind) -> Self {
        self.kind = kind;
        self
    }

    /// Runs the tasks of executor `label` (`exec-train`) as `how` says: a
    /// pipeline binary's own Rust-native components.
    #[must_use]
    pub fn native(mut self, label: impl Into<String>, how: Native) -> Self {
        self.native.insert(label.into(), how);
        self
    }

    /// Echoes every task's output lines to stderr, each after its path.
    #[must_use]
    pub fn verbose(mut self, verbose: bool) -> Self {
        self.verbose = verbose;
        self
    }

    /// Sets an environment variable for every task's command, before the
    /// task's own (`PATH` to a virtual environment, a credentials file).
    #[must_use]
    pub fn env(mut self, name: impl Into<String>, value: impl Into<String>) -> Self {
        self.env.push((name.into(), value.into()));
        self
    }

    /// Records the file the pipeline was read from.
    #[must_use]
    pub fn source(mut self, file: impl Into<String>) -> Self {
        self.source = Some(file.into());
        self
    }

    /// Cancels the run when `flag` is set (a Ctrl-C handler sets it).
    #[must_use]
    pub fn cancel_flag(mut self, flag: Arc<AtomicBool>) -> Self {
        self.cancel = flag;
        self
    }

    /// The home folder's layout.
    pub fn layout(&self) -> &Layout {
        &self.layout
    }

    /// Opens the run store, marking runs whose runner is gone as
    /// interrupted.
    ///
    /// # Errors
    /// When the store cannot be opened.
    pub fn open_store(&self) -> Result<Store, StoreError> {
        open_store(&self.layout)
    }

    /// Runs `file` with `args` to its end, telling `progress` as it goes.
    ///
    /// # Errors
    /// Bad arguments and unsupported constructs, before anything runs; a
    /// store or file system failure.
    pub fn run(
        &self,
        file: &PipelineFile,
        args: &BTreeMap<String, ArgValue>,
        progress: &mut dyn Progress,
    ) -> Result<Outcome, RunError> {
        let spec = &file.spec;
        let notes = plan::check(spec, file.platform.as_ref()).map_err(RunError::Unsupported)?;
        let root = spec.root.as_ref().expect("the plan checked the root");
        let inputs = root_inputs(root, args)?;
        let mut store = self.open_store()?;
        let executor: Arc<dyn TaskExecutor> = match self.kind {
            RunnerKind::Host => Arc::new(Host),
            RunnerKind::Container => Arc::new(crate::exec::container::Container::connect()?),
        };

        let run_id = new_run_id();
        let created_at = time::now();
        let pipeline_name = spec
            .pipeline_info
            .as_ref()
            .map(|i| i.name.to_string())
            .unwrap_or_default();
        let run_name = format!("{pipeline_name}-{}", compact_time(&created_at));
        let pipeline_root = self
            .pipeline_root
            .clone()
            .unwrap_or_else(|| self.layout.default_pipeline_root());
        let pipeline_root = absolute(&pipeline_root);
        let io = |path: &Path| {
            let path = path.to_path_buf();
            move |source| RunError::Io { path, source }
        };
        let workspace = self.layout.workspace(&run_id);
        std::fs::create_dir_all(&workspace).map_err(io(&workspace))?;
        std::fs::create_dir_all(&pipeline_root).map_err(io(&pipeline_root))?;
        let _lock = hold_lock(&self.layout.run_lock(&run_id))
            .map_err(io(&self.layout.run_lock(&run_id)))?;

        let spec_json = serde_json::to_value(spec).map_err(StoreError::from)?;
        let platform_json = file
            .platform
            .as_ref()
            .map(serde_json::to_value)
            .transpose()
            .map_err(StoreError::from)?;
        let parameters: Map<String, Value> = inputs.parameters.clone().into_iter().collect();
        let options = json!({
            "parallelism": self.parallelism,
            "cache": self.cache,
            "runner": match self.kind { RunnerKind::Host => "host", RunnerKind::Container => "container" },
        });
        store.create_run(&NewRun {
            id: &run_id,
            name: &run_name,
            pipeline_name: &pipeline_name,
            pipeline_file: self.source.as_deref(),
            pipeline_spec: &spec_json,
            platform_spec: platform_json.as_ref(),
            parameters: &parameters,
            created_at: &created_at,
            pipeline_root: &pipeline_root.display().to_string(),
            options: &options,
        })?;
        progress.event(&Event::RunStarted {
            run_id: &run_id,
            run_name: &run_name,
        });
        for note in &notes {
            progress.event(&Event::Warning(&note.0));
        }
        let ctx = Context {
            spec,
            platform: file.platform.as_ref(),
            run: RunInfo {
                run_id: run_id.clone(),
                run_name: run_name.clone(),
                resource_name: run_name.clone(),
                create_time: created_at.clone(),
                schedule_time: created_at.clone(),
                workspace_path: crate::workspace::seen_at(
                    self.kind == RunnerKind::Host,
                    &workspace,
                ),
                pipeline_root: pipeline_root.display().to_string(),
            },
            pipeline_name,
            layout: &self.layout,
            pipeline_root,
            parallelism: self.parallelism,
            cache: self.cache,
            executor,
            on_host: self.kind == RunnerKind::Host,
            native: &self.native,
            native_digests: self.native_digests(),
            verbose: self.verbose,
            env: &self.env,
            cancel: &self.cancel,
        };
        let ending = engine::run(ctx, &mut store, progress, inputs);
        progress.finish();
        let ending = match ending {
            Ok(ending) => ending,
            Err(e) => {
                // Record why the run stopped, if the store still takes it.
                let _ = store.finish_run(&run_id, RunState::Failed, None, Some(&e.to_string()));
                return Err(e.into());
            }
        };
        store.finish_run(
            &run_id,
            ending.state,
            Some(&ending.outputs),
            ending.error.as_deref(),
        )?;
        Ok(Outcome {
            run: store.run(&run_id)?,
            tasks: store.tasks(&run_id)?,
            notes: notes.into_iter().map(|n| n.0).collect(),
        })
    }

    /// What identifies each native program, so that a rebuilt binary is a
    /// cache miss: its size and modification time (hashing a debug binary
    /// of tens of megabytes would cost more than most tasks).
    fn native_digests(&self) -> HashMap<String, String> {
        self.native
            .iter()
            .map(|(label, how)| {
                let path = match how {
                    Native::Program(path) => path.clone(),
                    Native::InProcess(_) => std::env::current_exe().unwrap_or_default(),
                };
                (label.clone(), program_identity(&path))
            })
            .collect()
    }
}

/// A program's size and modification time, as text.
fn program_identity(path: &Path) -> String {
    let Ok(meta) = std::fs::metadata(path) else {
        return format!("missing:{}", path.display());
    };
    let modified = meta
        .modified()
        .ok()
        .and_then(|t| t.duration_since(std::time::UNIX_EPOCH).ok())
        .map_or(0, |d| d.as_nanos());
    format!("{}:{}:{modified}", path.display(), meta.len())
}

/// Opens the store of `layout`, marking runs whose runner is gone (its
/// lock is free) as interrupted.
///
/// # Errors
/// When the store cannot be opened or written.
pub fn open_store(layout: &Layout) -> Result<Store, StoreError> {
    let mut store = Store::open(&layout.database())?;
    mark_interrupted_runs(&mut store, layout)?;
    Ok(store)
}

/// Marks the runs of `store` whose runner is gone (the lock of the run in
/// `layout` is free) as interrupted; returns their ids. A reader that
/// keeps a store open (the UI) calls it to see a runner's death.
///
/// # Errors
/// When the store cannot be written.
pub fn mark_interrupted_runs(
    store: &mut Store,
    layout: &Layout,
) -> Result<Vec<String>, StoreError> {
    store.mark_interrupted(&|run_id| lock_is_held(&layout.run_lock(run_id)))
}

/// The run's parameters: the arguments given, checked, then each
/// parameter's default, or `null` for an optional one with none.
fn root_inputs(
    root: &kfp_ir_schema::ComponentSpec,
    args: &BTreeMap<String, ArgValue>,
) -> Result<Values, RunError> {
    let definitions = root.input_definitions.as_ref();
    let given = check_arguments(definitions, args)?;
    let mut values = Values::default();
    for (name, spec) in definitions.iter().flat_map(|d| d.parameters.iter()) {
        let value = given
            .get(name.as_str())
            .cloned()
            .or_else(|| spec.default_value.clone())
            .unwrap_or(Value::Null);
        values.parameters.insert(name.to_string(), value);
    }
    let required: Vec<Unsupported> = definitions
        .iter()
        .flat_map(|d| d.artifacts.iter())
        .filter(|(_, a)| !a.is_optional)
        .map(|(name, _)| Unsupported {
            pointer: format!("/root/inputDefinitions/artifacts/{name}"),
            message: format!(
                "the pipeline takes input artifact `{name}`, which a run cannot be given"
            ),
        })
        .collect();
    if !required.is_empty() {
        return Err(RunError::Unsupported(required));
    }
    Ok(values)
}

/// Creates and locks a run's lock file: the lock is held as long as the
/// returned file is open, and is freed by the system when the runner
/// dies, however it dies.
fn hold_lock(path: &Path) -> std::io::Result<File> {
    let file = File::create(path)?;
    file.try_lock().map_err(|e| match e {
        std::fs::TryLockError::Error(e) => e,
        std::fs::TryLockError::WouldBlock => {
            std::io::Error::other("the run is locked by another runner")
        }
    })?;
    Ok(file)
}

/// Whether a runner holds a run's lock.
fn lock_is_held(path: &Path) -> bool {
    let Ok(file) = File::options().read(true).write(true).open(path) else {
        return false;
    };
    match file.try_lock() {
        Ok(()) => false,
        Err(std::fs::TryLockError::WouldBlock) => true,
        Err(std::fs::TryLockError::Error(_)) => false,
    }
}

/// A new run id: a random (version 4) UUID.
fn new_run_id() -> String {
    let mut bytes = [0u8; 16];
    getrandom::fill(&mut bytes).expect("the system has a random source");
    bytes[6] = (bytes[6] & 0x0f) | 0x40;
    bytes[8] = (bytes[8] & 0x3f) | 0x80;
    let hex = crate::driver::cache::hex(&bytes);
    format!(
        "{}-{}-{}-{}-{}",
        &hex[..8],
        &hex[8..12],
        &hex[12..16],
        &hex[16..20],
        &hex[20..]
    )
}

/// `2026-12-06T16:26:18.123Z` as `20261206-162618`.
fn compact_time(rfc3339: &str) -> String {
    let digits: String = rfc3339
        .chars()
        .filter(char::is_ascii_digit)
        .take(14)
        .collect();
    format!(
        "{}-{}",
        &digits[..8.min(digits.len())],
        digits.get(8..).unwrap_or_default()
    )
}

fn absolute(path: &Path) -> PathBuf {
    if path.is_absolute() {
        path.to_path_buf()
    } else {
        std::env::current_dir().map_or_else(|_| path.to_path_buf(), |cwd| cwd.join(path))
    }
}

/// How a run ended: its record, its task executions, and what the runner
/// noted about it.
#[derive(Clone, Debug)]
pub struct Outcome {
    /// The run.
    pub run: RunRecord,
    /// Its task executions, in the order they started.
    pub tasks: Vec<TaskRecord>,
    /// What the runner did differently from a cluster.
    pub notes: Vec<String>,
}

impl Outcome {
    /// The run's id.
    pub fn id(&self) -> &str {
        &self.run.id
    }

    /// How it ended.
    pub fn state(&self) -> RunState {
        self.run.state
    }

    /// True when it succeeded.
    pub fn succeeded(&self) -> bool {
        self.run.state == RunState::Succeeded
    }

    /// A pipeline output parameter.
    pub fn output(&self, name: &str) -> Option<&Value> {
        self.run.outputs.as_ref()?.parameters.get(name)
    }

    /// A pipeline output artifact (a list, one item unless a list output).
    pub fn output_artifacts(&self, name: &str) -> &[RuntimeArtifact] {
        self.run
            .outputs
            .as_ref()
            .and_then(|o| o.artifacts.get(name))
            .map_or(&[], Vec::as_slice)
    }

    /// A task execution by its path (`for-loop-2/0/train`), or by its task
    /// name when that names one execution.
    pub fn task(&self, path_or_name: &str) -> Option<&TaskRecord> {
        self.tasks
            .iter()
            .find(|t| t.path == path_or_name)
            .or_else(|| {
                let mut named = self
                    .tasks
                    .iter()
                    .filter(|t| t.task_name == path_or_name && t.iteration.is_none());
                match (named.next(), named.next()) {
                    (Some(one), None) => Some(one),
                    _ => None,
                }
            })
    }

    /// An output parameter of a task execution.
    pub fn task_output(&self, path_or_name: &str, output: &str) -> Option<&Value> {
        self.task(path_or_name)?
            .outputs
            .as_ref()?
            .parameters
            .get(output)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn run_ids_are_version_4_uuids() {
        let id = new_run_id();
        assert_eq!(id.len(), 36);
        assert_eq!(&id[14..15], "4");
        assert_ne!(id, new_run_id());
        assert_eq!(compact_time("2026-12-06T16:26:18.123Z"), "20261206-162618");
    }

    #[test]
    fn a_lock_is_held_while_its_file_is_open() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join(".lock");
        assert!(!lock_is_held(&path));
        let lock = hold_lock(&path).unwrap();
        assert!(lock_is_held(&path));
        drop(lock);
        assert!(!lock_is_held(&path));
    }
}
