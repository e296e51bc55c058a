//! Where everything of a local run lives on disk, decided in this one
//! place:
//!
//! ```text
//! <home>/                      ./kfp-local, --home DIR or $KFP_LOCAL_HOME
//!   runs.db                    the run store
//!   runs/<run-id>/             a run's own files
//!     .lock                    held by the runner while the run is going
//!     .workspace/              the run's workspace ({{$.workspace_path}})
//!     <task path>/             one folder per execution (for-loop-2/3/train)
//!       log                    its stdout and stderr, every attempt
//!       outputs/<name>         its output parameter files
//!   artifacts/                 the default pipeline root
//!     <pipeline>/<run-id>/<task path>/
//!                              an execution's task root (kfp's get_uri)
//!       <output>               its output artifacts
//!       executor_output.json   what its command wrote back
//! ```

use std::path::{Path, PathBuf};

use crate::task_path::TaskPath;

/// The environment variable that names the home folder.
pub const HOME_ENV: &str = "KFP_LOCAL_HOME";

/// The home folder when neither `--home` nor [`HOME_ENV`] is given.
pub const DEFAULT_HOME: &str = "kfp-local";

/// The files of a local runner's home folder.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Layout {
    home: PathBuf,
}

impl Layout {
    /// The layout of `home`, made absolute against the current folder (so
    /// that paths handed to commands do not depend on where they run).
    pub fn new(home: impl Into<PathBuf>) -> Self {
        let home = home.into();
        let home = if home.is_absolute() {
            home
        } else {
            std::env::current_dir().map_or(home.clone(), |cwd| cwd.join(&home))
        };
        Self { home }
    }

    /// The home given by a `--home` flag, else by [`HOME_ENV`], else
    /// [`DEFAULT_HOME`] in the current folder.
    pub fn from_flag_or_env(flag: Option<&Path>) -> Self {
        let home = flag
            .map(Path::to_path_buf)
            .or_else(|| {
                std::env::var_os(HOME_ENV)
                    .filter(|v| !v.is_empty())
                    .map(PathBuf::from)
            })
            .unwrap_or_else(|| PathBuf::from(DEFAULT_HOME));
        Self::new(home)
    }

    /// The home folder.
    pub fn home(&self) -> &Path {
        &self.home
    }

    /// The run store.
    pub fn database(&self) -> PathBuf {
        self.home.join("runs.db")
    }

    /// The pipeline root when none is given.
    pub fn default_pipeline_root(&self) -> PathBuf {
        self.home.join("artifacts")
    }

    /// A run's own folder.
    pub fn run_dir(&self, run_id: &str) -> PathBuf {
        self.home.join("runs").join(run_id)
    }

    /// A run's workspace, the folder `{{$.workspace_path}}` stands for
    /// (a dot folder: no task folder can take its name).
    pub fn workspace(&self, run_id: &str) -> PathBuf {
        self.run_dir(run_id).join(".workspace")
    }

    /// The lock file a runner holds while a run is going.
    pub fn run_lock(&self, run_id: &str) -> PathBuf {
        self.run_dir(run_id).join(".lock")
    }

    /// An execution's folder.
    pub fn task_dir(&self, run_id: &str, path: &TaskPath) -> PathBuf {
        self.run_dir(run_id).join(path.to_relative_path())
    }

    /// An execution's log file.
    pub fn log_file(&self, run_id: &str, path: &TaskPath) -> PathBuf {
        self.task_dir(run_id, path).join("log")
    }
}

/// The folder of an execution's output artifacts under a pipeline root.
pub fn artifact_dir(
    pipeline_root: &Path,
    pipeline: &str,
    run_id: &str,
    path: &TaskPath,
) -> PathBuf {
    pipeline_root
        .join(pipeline)
        .join(run_id)
        .join(path.to_relative_path())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_path_has_one_place() {
        let layout = Layout::new("/h");
        let path = TaskPath::root()
            .task("for-loop-2")
            .iteration(3)
            .task("train");
        assert_eq!(layout.database(), Path::new("/h/runs.db"));
        assert_eq!(
            layout.log_file("r", &path),
            Path::new("/h/runs/r/for-loop-2/3/train/log")
        );
        assert_eq!(layout.run_lock("r"), Path::new("/h/runs/r/.lock"));
        assert_eq!(
            artifact_dir(&layout.default_pipeline_root(), "p", "r", &path),
            Path::new("/h/artifacts/p/r/for-loop-2/3/train")
        );
        assert!(Layout::new("rel").home().is_absolute());
    }
}
