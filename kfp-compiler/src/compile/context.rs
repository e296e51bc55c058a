//! One task being lowered ([`TaskCx`]): what it may look up (its pipeline,
//! the kfp task names, the groups), how its errors name it, and the checks
//! of what it reads: another task's output (an earlier task's for an
//! input), visible or collectable where it runs, a loop item, a OneOf, a
//! parameter of the input's type.

use kfp_ir_schema::CompactString;

use crate::error::{CompileError, TaskError};
use crate::graph::{
    Component, GroupId, GroupKind, OneOfId, OutputRef, ParameterType, Pipeline, Task, TaskId,
};
use crate::groups::{Scopes, resolve_one_of};

/// One task being lowered, with what it needs to look up.
pub(super) struct TaskCx<'a> {
    pub(super) pipeline: &'a Pipeline,
    /// The kfp names of the pipeline's tasks.
    pub(super) names: &'a [CompactString],
    /// The task's index in the pipeline.
    pub(super) index: usize,
    pub(super) task: &'a Task,
    pub(super) component: &'a Component,
    pub(super) scopes: &'a Scopes<'a>,
}

/// What reads another task's output or waits for it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Reader {
    /// An input (or an f-string part of one): only a task added before,
    /// as in kfp, where a task's inputs are given when it is made.
    Input,
    /// A task setting or `after`: any other task, as in kfp, which lets
    /// `t1.set_cpu_request(t2.output)` read a task `t2` made after `t1`.
    /// The task graph decides the order; a cycle is refused when the IR is
    /// validated (`dependency cycle: `a` → `b` → `a``).
    Setting,
}

/// The tasks a task depends on (its `dependentTasks`): a few names, so a
/// vector searched in full rather than a `BTreeSet` (whose first node has
/// room for eleven), sorted at the end as kfp sorts them.
#[derive(Debug, Default)]
pub(super) struct Dependencies(Vec<CompactString>);

impl Dependencies {
    pub(super) fn insert(&mut self, task: impl Into<CompactString> + AsRef<str>) {
        if !self.0.iter().any(|t| t == task.as_ref()) {
            self.0.push(task.into());
        }
    }

    pub(super) fn len(&self) -> usize {
        self.0.len()
    }

    /// The one task depended on, if there is exactly one.
    pub(super) fn single(&self) -> Option<&CompactString> {
        match self.0.as_slice() {
            [one] => Some(one),
            _ => None,
        }
    }

    pub(super) fn into_sorted(mut self) -> Vec<CompactString> {
        self.0.sort_unstable();
        self.0
    }
}

/// The component task `index` of `pipeline` calls.
///
/// # Errors
/// [`CompileError::UnknownComponent`] when the pipeline did not issue it.
pub(super) fn component_of<'p>(
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

impl<'a> TaskCx<'a> {
    /// The task's kfp name.
    pub(super) fn name(&self) -> &'a CompactString {
        &self.names[self.index]
    }

    /// `error`, naming the pipeline and the task.
    pub(super) fn err(&self, error: TaskError) -> CompileError {
        CompileError::Task {
            pipeline: self.pipeline.name.clone(),
            task: self.name().to_string(),
            error: Box::new(error),
        }
    }

    /// The name and component of task `id`, referred to by `what`: an
    /// earlier task for an input, any other task for a setting.
    pub(super) fn producer(
        &self,
        what: &str,
        id: TaskId,
        reader: Reader,
    ) -> Result<(&'a str, &'a Component), CompileError> {
        let task = self.pipeline.get_task(id).ok_or_else(|| {
            self.err(TaskError::UnknownTask {
                input: what.to_owned(),
                task: id,
            })
        })?;
        let name = self.names[id.0].as_str();
        let refused = match reader {
            Reader::Input => id.0 >= self.index,
            Reader::Setting => id.0 == self.index,
        };
        if refused {
            return Err(self.err(TaskError::ForwardReference {
                input: what.to_owned(),
                producer: name.to_owned(),
            }));
        }
        let component = component_of(self.pipeline, id.0, task)?;
        Ok((name, component))
    }

    /// Checks that the output of `task` (`producer`) may be read where this
    /// task runs: the producer is not inside a loop, condition branch or
    /// exit handler this task is not in (the error names which).
    pub(super) fn visible(
        &self,
        input: &str,
        task: TaskId,
        producer: &str,
    ) -> Result<(), CompileError> {
        let from = self.pipeline.tasks[task.0].group;
        if self.scopes.contains(from, self.task.group) {
            return Ok(());
        }
        // The outermost group around the producer that this task is not in.
        let mut outside = from;
        while let Some(group) = outside.and_then(|g| self.scopes.parent(g)) {
            if self.scopes.contains(Some(group), self.task.group) {
                break;
            }
            outside = Some(group);
        }
        let kind = outside.map(|g| &self.pipeline.groups[g.0].kind);
        let reason = match kind {
            Some(GroupKind::ParallelFor(_)) | None => format!(
                "task `{producer}` runs in a loop this task is not in; read its outputs after \
                 the loop with `collected(..)` (kfp's `Collected`)"
            ),
            Some(GroupKind::ExitHandler { .. }) => format!(
                "task `{producer}` runs in an exit handler this task is not in, so its outputs \
                 are not available here"
            ),
            Some(_) => format!(
                "task `{producer}` runs in a condition branch this task is not in; read its \
                 output after the If/Elif/Else chain as the chain's OneOf (each branch returns \
                 its value), or with `collected(..)`"
            ),
        };
        Err(self.err(TaskError::OutOfScope {
            input: input.to_owned(),
            reason,
        }))
    }

    /// Checks that `task` (`producer`) runs in a loop inside the scope of
    /// this task, so its outputs can be collected here.
    pub(super) fn collectable(
        &self,
        input: &str,
        task: TaskId,
        producer: &str,
    ) -> Result<(), CompileError> {
        let from = self.pipeline.tasks[task.0].group;
        if !self.scopes.contains(from, self.task.group) {
            return Ok(());
        }
        Err(self.err(TaskError::OutOfScope {
            input: input.to_owned(),
            reason: format!(
                "`collected(..)` (kfp's `Collected`) gathers the outputs of a task inside a loop \
                 or condition, but task \
                 `{producer}` runs where this task does"
            ),
        }))
    }

    /// Checks that this task runs inside loop `group`; returns the item's
    /// type.
    pub(super) fn loop_item(
        &self,
        input: &str,
        group: GroupId,
    ) -> Result<ParameterType, CompileError> {
        self.scopes
            .loop_item(input, group, self.task.group)
            .map_err(|e| self.err(e))
    }

    /// Checks OneOf `id`, read by `input`, and that this task runs where
    /// its chain is or inside a group there; returns the chain's group task,
    /// the output read and its declaration.
    pub(super) fn one_of(
        &self,
        input: &str,
        id: OneOfId,
    ) -> Result<(CompactString, CompactString, OutputRef<'a>), CompileError> {
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

    /// Checks that a value of type `found` may be given to `input`, of type
    /// `expected`.
    pub(super) fn same_type(
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
}
