//! The states of runs and tasks, named as the KFP API names them
//! (`V2beta1RuntimeState`), plus `CACHED`, which the KFP UI shows for a task
//! whose result came from the cache, and `INTERRUPTED` for a run whose
//! runner process ended without finishing it.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

/// The state of one task execution.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum TaskState {
    /// Waiting for its upstream tasks.
    Pending,
    /// Running (its driver, its command, or the tasks of its DAG).
    Running,
    /// Ended well.
    Succeeded,
    /// Its result was taken from the cache.
    Cached,
    /// Not run: its condition was false, or an upstream task failed.
    Skipped,
    /// Ended badly.
    Failed,
    /// Stopped by a cancellation.
    Canceled,
}

impl TaskState {
    /// Every state.
    pub const ALL: [TaskState; 7] = [
        Self::Pending,
        Self::Running,
        Self::Succeeded,
        Self::Cached,
        Self::Skipped,
        Self::Failed,
        Self::Canceled,
    ];

    /// The state's name in the KFP API (`SUCCEEDED`).
    pub const fn as_str(self) -> &'static str {
        match self {
            Self::Pending => "PENDING",
            Self::Running => "RUNNING",
            Self::Succeeded => "SUCCEEDED",
            Self::Cached => "CACHED",
            Self::Skipped => "SKIPPED",
            Self::Failed => "FAILED",
            Self::Canceled => "CANCELED",
        }
    }

    /// True once the task will not change any more.
    pub const fn is_final(self) -> bool {
        !matches!(self, Self::Pending | Self::Running)
    }

    /// True when the task's outputs are there for the tasks after it.
    pub const fn produced_outputs(self) -> bool {
        matches!(self, Self::Succeeded | Self::Cached)
    }

    /// The state ML Metadata records for it, which is what KFP puts in a
    /// `PipelineTaskFinalStatus` (`COMPLETE`, `FAILED`, ...). A task that
    /// was not triggered is recorded as `CANCELED`.
    pub const fn mlmd_state(self) -> &'static str {
        match self {
            Self::Pending => "NEW",
            Self::Running => "RUNNING",
            Self::Succeeded => "COMPLETE",
            Self::Cached => "CACHED",
            Self::Skipped | Self::Canceled => "CANCELED",
            Self::Failed => "FAILED",
        }
    }
}

/// The state of a run.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum RunState {
    /// Running.
    Running,
    /// Every task ended well (or was skipped by its condition).
    Succeeded,
    /// A task failed.
    Failed,
    /// Stopped by a cancellation (Ctrl-C).
    Canceled,
    /// The runner process ended (killed, crashed) without finishing it.
    Interrupted,
}

impl RunState {
    /// Every state.
    pub const ALL: [RunState; 5] = [
        Self::Running,
        Self::Succeeded,
        Self::Failed,
        Self::Canceled,
        Self::Interrupted,
    ];

    /// The state's name (`SUCCEEDED`).
    pub const fn as_str(self) -> &'static str {
        match self {
            Self::Running => "RUNNING",
            Self::Succeeded => "SUCCEEDED",
            Self::Failed => "FAILED",
            Self::Canceled => "CANCELED",
            Self::Interrupted => "INTERRUPTED",
        }
    }
}

/// A state name that is not one of the known ones.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown state `{0}`")]
pub struct UnknownState(pub String);

macro_rules! named {
    ($ty:ty) => {
        impl fmt::Display for $ty {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl FromStr for $ty {
            type Err = UnknownState;

            fn from_str(s: &str) -> Result<Self, UnknownState> {
                Self::ALL
                    .into_iter()
                    .find(|state| state.as_str().eq_ignore_ascii_case(s))
                    .ok_or_else(|| UnknownState(s.to_owned()))
            }
        }
    };
}

named!(TaskState);
named!(RunState);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_read_back() {
        for state in TaskState::ALL {
            assert_eq!(state.to_string().parse::<TaskState>(), Ok(state));
        }
        for state in RunState::ALL {
            assert_eq!(state.as_str().parse::<RunState>(), Ok(state));
        }
        assert_eq!("failed".parse::<RunState>(), Ok(RunState::Failed));
        assert!("DONE".parse::<TaskState>().is_err());
        assert_eq!(
            serde_json::to_string(&TaskState::Cached).unwrap(),
            "\"CACHED\""
        );
    }
}
