//! Running a pipeline on this machine with the local runner (kfp-local):
//! what a pipeline binary's `run` does, and what a test calls to run a
//! whole pipeline and assert on its outputs.
//!
//! Either way the pipeline is compiled in memory and the runner executes
//! the IR, exactly as a cluster would, not the Rust closure. The binary's
//! own Rust-native components are run by the binary itself (`run`), or by
//! a function of the test's process ([`Run`]), whatever path the image's
//! command names.
//!
//! ```
//! use kfp_dsl::prelude::*;
//! use serde_json::json;
//!
//! #[component]
//! fn add(a: i64, b: i64) -> i64 {
//!     a + b
//! }
//!
//! #[pipeline]
//! fn sum(a: i64, #[kfp(default = 2)] b: i64) -> i64 {
//!     add(a, b).output()
//! }
//!
//! fn main() -> Result<(), kfp_dsl::local::LocalError> {
//!     let run = kfp_dsl::local::Run::new(sum::ENTRY).param("a", 40).start()?;
//!     assert!(run.succeeded(), "{:?}", run.run.error);
//!     assert_eq!(run.output("Output"), Some(&json!(42)));
//!     assert_eq!(run.task_output("add", "Output"), Some(&json!(42)));
//!     Ok(())
//! }
//! ```

use std::collections::BTreeMap;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use kfp_ir_schema::arguments::ArgValue;
use kfp_ir_schema::{ExecutorSpec, PipelineFile};
use kfp_local::progress::Silent;
use kfp_local::{Native, Outcome, Runner};
use serde_json::Value;

use crate::compile::{CompileError, PipelineEntry, compile};
use crate::executor::{ExecutorFn, execute};
use crate::recorder::Executors;

/// Why a pipeline could not be run locally.
#[derive(Debug, thiserror::Error)]
pub enum LocalError {
    /// It does not compile.
    #[error(transparent)]
    Compile(#[from] CompileError),
    /// The runner refused it or failed before it ended.
    #[error(transparent)]
    Run(#[from] kfp_local::RunError),
    /// The home folder could not be made.
    #[error("could not make a home folder for the run: {0}")]
    Home(std::io::Error),
}

/// The executor labels of the pipeline's Rust-native components, with the
/// function each runs: the executors that run this binary (its command is
/// this binary's path) and whose arguments name, after
/// `--function_to_execute`, a component of this binary. An executor of a
/// component loaded from a file, compiled by another binary, is not one of
/// them even when its function has the name of one of this binary's.
pub fn native_executors<'e>(
    file: &PipelineFile,
    executors: &'e Executors,
) -> Vec<(String, &'e str, ExecutorFn)> {
    let Some(deployment) = file.spec.deployment_spec.as_ref() else {
        return Vec::new();
    };
    let binary = crate::native::settings().binary_path;
    deployment
        .executors
        .iter()
        .filter_map(|(label, executor)| {
            let ExecutorSpec::Container(container) = executor else {
                return None;
            };
            if container.command.first().map(|c| c.as_str()) != Some(binary.as_str()) {
                return None;
            }
            let line: Vec<&str> = container
                .command
                .iter()
                .chain(&container.args)
                .map(|s| s.as_str())
                .collect();
            let at = line.iter().position(|a| *a == "--function_to_execute")?;
            let name = *line.get(at + 1)?;
            let (name, run) = executors.get_key_value(name)?;
            Some((label.to_string(), name.as_str(), *run))
        })
        .collect()
}

/// Runs a component's executor in this process, as the binary would with
/// `--executor_input JSON --function_to_execute NAME`; messages go to
/// `log`. Returns the exit status.
fn run_in_process(run: ExecutorFn, args: &[String], log: &mut dyn Write) -> i32 {
    let input = args
        .iter()
        .position(|a| a == "--executor_input")
        .and_then(|at| args.get(at + 1));
    let Some(input) = input else {
        let _ = writeln!(log, "error: no --executor_input among {args:?}");
        return 2;
    };
    match execute(input, run) {
        Ok(_) => 0,
        Err(e) => {
            let _ = writeln!(log, "error: {e}");
            1
        }
    }
}

/// A local run of a pipeline from a test: its arguments, where it runs,
/// then [`Run::start`].
#[derive(Debug)]
pub struct Run {
    entry: PipelineEntry,
    args: BTreeMap<String, ArgValue>,
    home: Option<PathBuf>,
    cache: bool,
    parallelism: Option<usize>,
}

impl Run {
    /// A run of `entry` with no arguments, in a fresh home folder, without
    /// the cache.
    pub fn new(entry: PipelineEntry) -> Self {
        Self {
            entry,
            args: BTreeMap::new(),
            home: None,
            cache: false,
            parallelism: None,
        }
    }

    /// Gives pipeline input `name` the value `value`.
    #[must_use]
    pub fn param(mut self, name: &str, value: impl Into<Value>) -> Self {
        self.args
            .insert(name.to_owned(), ArgValue::Json(value.into()));
        self
    }

    /// Runs in `home` (kept, with its run store and artifacts) instead of
    /// a fresh folder removed with the result.
    #[must_use]
    pub fn home(mut self, home: impl Into<PathBuf>) -> Self {
        self.home = Some(home.into());
        self
    }

    /// Takes task outputs from the cache where their key matches.
    #[must_use]
    pub fn cache(mut self, enabled: bool) -> Self {
        self.cache = enabled;
        self
    }

    /// Runs at most `n` container tasks at once.
    #[must_use]
    pub fn parallelism(mut self, n: usize) -> Self {
        self.parallelism = Some(n);
        self
    }

    /// Compiles the pipeline, runs its IR to the end and returns how it
    /// ended. The pipeline's Rust-native components run in this process,
    /// each on a thread: what they print goes to this process's output,
    /// they see this process's environment (a task's
    /// `set_env_variable` is not applied to them; the binary's `run`
    /// applies it), and one that calls `std::process::exit` ends the test.
    /// Container components run as processes, with their environment.
    ///
    /// # Errors
    /// When the pipeline does not compile, the arguments do not fit, or
    /// the runner fails before the run ends. A run that ends `FAILED` is
    /// not an error: look at [`Outcome::state`].
    pub fn start(self) -> Result<LocalRun, LocalError> {
        let file = compile(self.entry)?;
        let recorded = (self.entry.record)();
        let (home, temporary) = match &self.home {
            Some(home) => (home.clone(), None),
            None => {
                let dir = tempfile::Builder::new()
                    .prefix("kfp-local-test-")
                    .tempdir()
                    .map_err(LocalError::Home)?;
                (dir.path().to_path_buf(), Some(dir))
            }
        };
        let mut runner = Runner::new(&home).cache(self.cache);
        if let Some(n) = self.parallelism {
            runner = runner.parallelism(n);
        }
        for (label, _, run) in native_executors(&file, &recorded.executors) {
            let function: kfp_local::exec::InProcessFn =
                Arc::new(move |args: &[String], log: &mut dyn Write| {
                    run_in_process(run, args, log)
                });
            runner = runner.native(label, Native::InProcess(function));
        }
        let outcome = runner.run(&file, &self.args, &mut Silent)?;
        Ok(LocalRun {
            outcome,
            home,
            _temporary: temporary,
        })
    }
}

/// A finished local run: its [`Outcome`] (through `Deref`), and the home
/// folder holding its store, logs and artifacts (removed when this is
/// dropped, unless [`Run::home`] named it).
#[derive(Debug)]
pub struct LocalRun {
    outcome: Outcome,
    home: PathBuf,
    _temporary: Option<tempfile::TempDir>,
}

impl LocalRun {
    /// The home folder of the run.
    pub fn home(&self) -> &Path {
        &self.home
    }
}

impl std::ops::Deref for LocalRun {
    type Target = Outcome;

    fn deref(&self) -> &Outcome {
        &self.outcome
    }
}

/// The binary's `run`: compiles the pipeline, then runs it with the
/// binary as the program of its Rust-native components.
pub(crate) fn run_binary(
    entry: PipelineEntry,
    flags: &kfp_local::cli::RunFlags,
    json: bool,
) -> Result<u8, String> {
    let file = compile(entry).map_err(|e| e.to_string())?;
    let recorded = (entry.record)();
    let program =
        std::env::current_exe().map_err(|e| format!("cannot find this program's path: {e}"))?;
    let native = native_executors(&file, &recorded.executors)
        .into_iter()
        .map(|(label, _, _)| (label, Native::Program(program.clone())))
        .collect();
    let me = std::env::args()
        .next()
        .unwrap_or_else(|| "pipeline".to_owned());
    Ok(kfp_local::cli::run(
        &file,
        Some(&me),
        flags,
        json,
        native,
        &me,
    ))
}
