//! Task executors: what runs one command line. They know nothing of KFP:
//! they take a resolved command, its environment, limits and the folders
//! to make visible, write its output to a log file, and say how it ended.
//!
//! * [`host::Host`] runs the command as a process of this machine, in its
//!   own process group;
//! * [`container::Container`] runs it in its image through the Docker
//!   Engine API (Docker, or Podman's compatible service);
//! * [`InProcess`] calls a Rust function of this process (a pipeline's own
//!   Rust-native components, in tests).

use std::io::Write;
use std::path::PathBuf;
use std::sync::Arc;

pub mod container;
pub mod host;

/// What to run.
#[derive(Clone, Debug, Default)]
pub struct ProcessSpec {
    /// The command and its arguments.
    pub argv: Vec<String>,
    /// Environment variables to set.
    pub env: Vec<(String, String)>,
    /// The image (for a container).
    pub image: String,
    /// Whether to pull the image when absent (`IfNotPresent`), always
    /// (`Always`), or never (`Never`).
    pub pull_policy: PullPolicy,
    /// A CPU limit, in cores.
    pub cpu_limit: Option<f64>,
    /// A memory limit, in bytes.
    pub memory_limit: Option<u64>,
    /// Folders to make visible at the same path (a container's mounts).
    pub mounts: Vec<PathBuf>,
    /// Folders to make visible at another path, `(folder, path)` (a
    /// container's; a process of this machine sees only the folder).
    pub mounted_at: Vec<(PathBuf, PathBuf)>,
    /// The file to write the command's stdout and stderr to (appended).
    pub log: PathBuf,
    /// When set, each output line is also written to stderr after this
    /// prefix (`--verbose`).
    pub echo_prefix: Option<String>,
}

/// When a container's image is pulled.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum PullPolicy {
    /// Only when it is not there (Kubernetes' default for a tagged image).
    #[default]
    IfNotPresent,
    /// Every time.
    Always,
    /// Never: a missing image is an error.
    Never,
}

/// How a command ended.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Exit {
    /// It exited with this code.
    Code(i32),
    /// A signal ended it.
    Signal(i32),
}

impl Exit {
    /// True for exit code 0.
    pub fn success(self) -> bool {
        self == Self::Code(0)
    }
}

impl std::fmt::Display for Exit {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::Code(c) => write!(f, "exit code {c}"),
            Self::Signal(s) => write!(f, "signal {s}"),
        }
    }
}

/// Why a command could not be run.
#[derive(Debug, thiserror::Error)]
pub enum ExecError {
    /// The program was not found or could not be started.
    #[error("could not start `{program}`: {source}")]
    Spawn {
        /// The program.
        program: String,
        /// Why.
        source: std::io::Error,
    },
    /// The log file could not be written.
    #[error("could not write the log {}: {source}", path.display())]
    Log {
        /// The log file.
        path: PathBuf,
        /// Why.
        source: std::io::Error,
    },
    /// The container engine refused or failed.
    #[error("container engine: {0}")]
    Engine(String),
    /// An empty command line.
    #[error("the command line is empty")]
    EmptyCommand,
}

/// Stops a running command from another thread.
pub type Killer = Arc<dyn Fn() + Send + Sync>;

/// A started command.
pub trait Running: Send {
    /// Something that stops it (gently, then for good after a grace period).
    fn killer(&self) -> Killer;
    /// Waits for it to end.
    ///
    /// # Errors
    /// When waiting fails.
    fn wait(self: Box<Self>) -> Result<Exit, ExecError>;
}

/// Runs commands.
pub trait TaskExecutor: Send + Sync {
    /// Starts `spec`.
    ///
    /// # Errors
    /// When it cannot be started.
    fn start(&self, spec: &ProcessSpec) -> Result<Box<dyn Running>, ExecError>;
}

/// A Rust function that runs a component in this process: it gets the
/// command line's arguments after the program, and a writer for its
/// messages (the task's log); it returns the exit code.
pub type InProcessFn = Arc<dyn Fn(&[String], &mut dyn Write) -> i32 + Send + Sync>;

/// Runs a command by calling a function of this process instead of
/// starting the program: the pipeline binary's own Rust-native components,
/// when a test runs a pipeline. What the function prints goes to this
/// process's output; what it writes to its writer, to the task's log. It
/// cannot be stopped; a cancelled run waits for it.
pub struct InProcess(pub InProcessFn);

impl TaskExecutor for InProcess {
    fn start(&self, spec: &ProcessSpec) -> Result<Box<dyn Running>, ExecError> {
        Ok(Box::new(InProcessRun {
            function: self.0.clone(),
            spec: spec.clone(),
        }))
    }
}

struct InProcessRun {
    function: InProcessFn,
    spec: ProcessSpec,
}

impl Running for InProcessRun {
    fn killer(&self) -> Killer {
        Arc::new(|| {})
    }

    fn wait(self: Box<Self>) -> Result<Exit, ExecError> {
        let log_error = |source| ExecError::Log {
            path: self.spec.log.clone(),
            source,
        };
        let mut log = open_log(&self.spec.log).map_err(log_error)?;
        let args = self.spec.argv.get(1..).unwrap_or_default().to_vec();
        let function = self.function.clone();
        let outcome =
            std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| function(&args, &mut log)));
        Ok(match outcome {
            Ok(code) => Exit::Code(code),
            Err(panic) => {
                let message = panic
                    .downcast_ref::<&str>()
                    .map(|s| (*s).to_owned())
                    .or_else(|| panic.downcast_ref::<String>().cloned())
                    .unwrap_or_else(|| "a panic".to_owned());
                writeln!(log, "the component panicked: {message}").map_err(log_error)?;
                Exit::Code(101)
            }
        })
    }
}

/// Opens a log file for appending, making its folder.
pub(crate) fn open_log(path: &std::path::Path) -> std::io::Result<std::fs::File> {
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir)?;
    }
    std::fs::OpenOptions::new()
        .create(true)
        .append(true)
        .open(path)
}
