//! Exit handlers (kfp's `dsl.ExitHandler`): a task that runs when a group
//! of tasks has ended, whether they succeeded or not. An input of type
//! [`PipelineTaskFinalStatus`] of the exit task is set to how the group
//! ended.
//!
//! ```
//! use kfp_dsl::prelude::*;
//!
//! #[component]
//! fn notify(message: String) {
//!     println!("{message}");
//! }
//!
//! #[component]
//! fn train(epochs: i64) {
//!     println!("training for {epochs} epochs");
//! }
//!
//! #[pipeline(name = "train-then-notify")]
//! fn train_then_notify() {
//!     // The exit task is added first, where the handler is.
//!     let done = notify("Training has ended.");
//!     ExitHandler::new(&done).run(|| {
//!         train(10);
//!     });
//! }
//!
//! fn main() {
//!     let (_, yaml) = kfp_dsl::compile_to_string(train_then_notify::ENTRY, false).unwrap();
//!     assert!(yaml.contains("comp-exit-handler-1:"));
//!     assert!(yaml.contains("strategy: ALL_UPSTREAM_TASKS_COMPLETED"));
//! }
//! ```

use kfp_compiler::graph::{self, Binding};
pub use kfp_ir_schema::executor::PipelineTaskFinalStatus;
use serde_json::Value;

use super::Close;
use crate::handle::{IntoParam, PipelineParam};
use crate::param::{ParamKind, ParamValueError, Parameter, from_json};
use crate::recorder::{TaskHandle, with_current};
use crate::task::TaskSettings;

/// An exit handler being set up (kfp's `dsl.ExitHandler`): [`run`](Self::run)
/// records its tasks. [`exit_handler`] is the short form.
#[derive(Debug)]
#[must_use = "an exit handler records nothing until `run` is called"]
pub struct ExitHandler {
    exit_task: TaskHandle,
    display_name: Option<String>,
}

impl ExitHandler {
    /// An exit handler whose exit task is `exit_task`: a task added before
    /// the handler, where the handler is, that reads no other task's
    /// outputs (as kfp requires; the compiler checks it).
    pub fn new(exit_task: &impl TaskSettings) -> Self {
        Self {
            exit_task: exit_task.task_handle(),
            display_name: None,
        }
    }

    /// The name shown for the handler's group (kfp's `name=`).
    pub fn display_name(mut self, name: impl Into<String>) -> Self {
        self.display_name = Some(name.into());
        self
    }

    /// Records the handler: `body` runs once, now, and when the tasks it
    /// adds have ended (succeeded or failed), the exit task runs. Returns
    /// what `body` returns.
    ///
    /// # Panics
    ///
    /// Outside a `#[pipeline]` function.
    pub fn run<R>(self, body: impl FnOnce() -> R) -> R {
        let opened = with_current(|frame| {
            if frame.id != self.exit_task.frame {
                frame
                    .errors
                    .push("an exit handler was given a task of another pipeline".to_owned());
                return false;
            }
            let mut group =
                graph::Group::exit_handler(frame.groups.last().copied(), self.exit_task.task);
            group.display_name = self.display_name;
            let id = frame.pipeline.add_group(group);
            frame.groups.push(id);
            true
        });
        if !opened {
            // Reported; record the body so its own mistakes are found too.
            return body();
        }
        let close = Close;
        let result = body();
        drop(close);
        result
    }
}

/// Records an exit handler (kfp's `with dsl.ExitHandler(exit_task):`):
/// see [`ExitHandler::run`].
pub fn exit_handler<R>(exit_task: &impl TaskSettings, body: impl FnOnce() -> R) -> R {
    ExitHandler::new(exit_task).run(body)
}

/// The final status of the tasks an exit task follows (kfp's
/// `dsl.PipelineTaskFinalStatus`, `TASK_FINAL_STATUS`). A component or
/// pipeline input of this type is not an argument of its builder: the
/// compiler sets it on an exit task (and on a task that ignores upstream
/// failures, to its one upstream task); inside a pipeline it may be passed
/// on, also to a JSON-object input (`serde_json::Map<String, Value>`).
impl Parameter for PipelineTaskFinalStatus {
    const KIND: ParamKind = ParamKind::TaskFinalStatus;
    const OPTIONAL: bool = true;

    fn to_value(&self) -> Value {
        serde_json::to_value(self).unwrap_or(Value::Null)
    }

    fn from_value(value: Value) -> Result<Self, ParamValueError> {
        from_json(
            "a task's final status (`state`, `error`, `pipelineTaskName`, ...)",
            value,
        )
    }
}

impl IntoParam<serde_json::Map<String, Value>> for PipelineParam<PipelineTaskFinalStatus> {
    fn into_binding(self) -> Option<Binding> {
        <Self as IntoParam<PipelineTaskFinalStatus>>::into_binding(self)
    }
}
