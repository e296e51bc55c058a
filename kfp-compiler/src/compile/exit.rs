//! Exit tasks and final statuses: the exit handler a task ends (checked as
//! kfp requires), and the `TASK_FINAL_STATUS` inputs the compiler sets to
//! the status of what a task follows.

use kfp_ir_schema as ir;

use super::context::{Dependencies, TaskCx};
use crate::error::{CompileError, TaskError};
use crate::graph::{Binding, GroupId, GroupKind, ParameterType, TaskId};
use crate::to_ir::parameter_spec;

impl TaskCx<'_> {
    /// The exit handler this task is the exit task of, checked: the task
    /// runs where the handler is and depends on no other task (as kfp
    /// requires), and ends one handler only.
    pub(super) fn exit_handler(&self) -> Result<Option<GroupId>, CompileError> {
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
            reason: format!("task `{}`: {reason}", self.name()),
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
        self.check_exit_task_reads_no_task(name)?;
        Ok(Some(handler))
    }

    /// Checks that the exit task of handler `name` depends on no task: it
    /// reads no task's output and waits for none (kfp's exit task runs
    /// after its handler's group only).
    fn check_exit_task_reads_no_task(&self, name: &str) -> Result<(), CompileError> {
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
        Ok(())
    }

    /// Sets the unset `TASK_FINAL_STATUS` inputs to the status of what the
    /// task follows: its exit handler's group, or, for a task that ignores
    /// upstream failures, its single upstream task (as kfp does).
    pub(super) fn bind_final_status(
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
                (None, true) => dependencies.single().cloned().ok_or_else(|| {
                    self.err(TaskError::OutOfScope {
                        input: input.name.clone(),
                        reason: format!(
                            "the final status is that of the one task this task follows, but it \
                             follows {}",
                            dependencies.len()
                        ),
                    })
                })?,
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
}
