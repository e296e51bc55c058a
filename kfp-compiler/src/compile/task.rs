//! A task's `PipelineTaskSpec`: its inputs (bindings, injected runtime
//! settings, final statuses), dependencies, caching, trigger and retry
//! policy, as kfp's `build_task_spec_for_task` writes them.

use kfp_ir_schema::{self as ir, CompactString};

use super::context::{Dependencies, Reader, TaskCx};
use crate::error::{CompileError, TaskError};
use crate::graph::RetryPolicy;

impl TaskCx<'_> {
    /// The task's spec, with no `componentRef` yet (its key is claimed
    /// after its component is built).
    pub(super) fn task_spec(&self) -> Result<ir::PipelineTaskSpec, CompileError> {
        let config = &self.task.config;
        let mut inputs = ir::TaskInputsSpec::default();
        let mut dependencies = Dependencies::default();

        for (input, binding) in &self.task.arguments {
            self.bind(input, binding, &mut inputs, &mut dependencies)?;
        }
        self.check_required_inputs()?;
        self.inject_runtime_settings(&mut inputs, &mut dependencies)?;
        for &after in &config.after {
            let (name, _) = self.producer("after", after, Reader::Setting)?;
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
            .map(|r| self.retry_policy(r))
            .transpose()?;

        Ok(ir::PipelineTaskSpec {
            task_info: Some(ir::PipelineTaskInfo {
                name: config
                    .display_name
                    .as_deref()
                    .map_or_else(|| self.name().clone(), CompactString::from),
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

    /// Checks that every required input, parameter or artifact, is bound.
    fn check_required_inputs(&self) -> Result<(), CompileError> {
        let parameters = self
            .component
            .inputs
            .iter()
            .filter(|p| !p.is_optional())
            .map(|p| &p.name);
        let artifacts = self
            .component
            .input_artifacts
            .iter()
            .filter(|a| !a.optional)
            .map(|a| &a.name);
        match parameters
            .chain(artifacts)
            .find(|name| self.task.argument(name).is_none())
        {
            Some(name) => Err(self.err(TaskError::MissingInput {
                input: name.clone(),
            })),
            None => Ok(()),
        }
    }

    /// kfp's `set_retry`, with its defaults: backoff `0s`, factor `2.0`,
    /// max `3600s`.
    fn retry_policy(&self, r: &RetryPolicy) -> Result<ir::RetryPolicy, CompileError> {
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
}
