//! Tasks (calls of components) and their configuration: ordering,
//! resources, environment, caching, retries, image and Kubernetes
//! settings.

use kfp_ir_schema::CompactString;

use super::alloc_on_write::{AllocOnWrite, Unwritten};
use super::binding::{Binding, ConfigValue};
use super::kubernetes;
use super::{ComponentId, GroupId, TaskId};

/// A call of a component in a pipeline.
#[derive(Clone, Debug, PartialEq)]
pub struct Task {
    /// The component called.
    pub component: ComponentId,
    /// The values of the inputs this task sets, in the order they were
    /// bound (input name, binding). Inputs left out take their defaults.
    pub arguments: Vec<(CompactString, Binding)>,
    /// The task's configuration, allocated once a setting is made.
    pub config: AllocOnWrite<TaskConfig>,
    /// The innermost group the task runs in (`None`: the pipeline's top
    /// level).
    pub group: Option<GroupId>,
}

impl Task {
    /// A call of `component` with no inputs bound and the default config.
    pub fn new(component: ComponentId) -> Self {
        Self {
            component,
            arguments: Vec::new(),
            config: AllocOnWrite::default(),
            group: None,
        }
    }

    /// Puts the task in group `group`.
    pub fn in_group(mut self, group: GroupId) -> Self {
        self.group = Some(group);
        self
    }

    /// Binds the input `input` (replacing an earlier binding of it).
    pub fn bind(mut self, input: impl Into<CompactString>, binding: Binding) -> Self {
        self.set_argument(input, binding);
        self
    }

    /// Binds the input `input` in place (replacing an earlier binding of it).
    pub fn set_argument(&mut self, input: impl Into<CompactString>, binding: Binding) {
        let input = input.into();
        match self.arguments.iter_mut().find(|(n, _)| *n == input) {
            Some((_, b)) => *b = binding,
            None => self.arguments.push((input, binding)),
        }
    }

    /// The binding of input `input`, if bound.
    pub fn argument(&self, input: &str) -> Option<&Binding> {
        self.arguments
            .iter()
            .find(|(n, _)| n == input)
            .map(|(_, b)| b)
    }

    /// Sets the configuration.
    pub fn with_config(mut self, config: TaskConfig) -> Self {
        self.config = config.into();
        self
    }
}

/// A task's configuration (kfp's `PipelineTask.set_*` methods).
#[derive(Clone, Debug, PartialEq)]
pub struct TaskConfig {
    /// Tasks that must finish first, besides data dependencies (`.after`).
    pub after: Vec<TaskId>,
    /// CPU, memory and accelerator.
    pub resources: Resources,
    /// Environment variables, in the order set (setting a name again
    /// replaces its value; see [`set_env`](Self::set_env)).
    pub env: Vec<(String, String)>,
    /// Whether the result may be taken from the cache (default `true`).
    pub caching: bool,
    /// A custom cache key.
    pub cache_key: Option<String>,
    /// The retry policy, if retries are wanted.
    pub retry: Option<RetryPolicy>,
    /// The display name (`taskInfo.name`); the task key does not change.
    pub display_name: Option<String>,
    /// An image replacing the component's (a literal, or a pipeline input
    /// or task output resolved at run time).
    pub image: Option<ConfigValue>,
    /// Run even when upstream tasks fail
    /// (`ALL_UPSTREAM_TASKS_COMPLETED`).
    pub ignore_upstream_failure: bool,
    /// The Kubernetes settings of kfp-kubernetes (container tasks only).
    pub kubernetes: kubernetes::TaskKubernetes,
}

impl Default for TaskConfig {
    fn default() -> Self {
        Self::DEFAULT
    }
}

impl Unwritten for TaskConfig {
    const UNWRITTEN: &'static Self = &TaskConfig::DEFAULT;
}

impl TaskConfig {
    /// No setting made: caching on, nothing else set. What a task's
    /// [`AllocOnWrite`] config reads as until it is written.
    pub const DEFAULT: TaskConfig = TaskConfig {
        after: Vec::new(),
        resources: Resources::NONE,
        env: Vec::new(),
        caching: true,
        cache_key: None,
        retry: None,
        display_name: None,
        image: None,
        ignore_upstream_failure: false,
        kubernetes: AllocOnWrite::UNWRITTEN,
    };

    /// Sets an environment variable, replacing an earlier value of `name`
    /// in place (as kfp's dict does).
    pub fn set_env(&mut self, name: impl Into<String>, value: impl Into<String>) {
        let (name, value) = (name.into(), value.into());
        match self.env.iter_mut().find(|(n, _)| *n == name) {
            Some((_, v)) => *v = value,
            None => self.env.push((name, value)),
        }
    }
}

/// Resource requests and limits of a task's container.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Resources {
    /// CPU request, e.g. `"500m"` or `"2"`.
    pub cpu_request: Option<ConfigValue>,
    /// CPU limit.
    pub cpu_limit: Option<ConfigValue>,
    /// Memory request, e.g. `"1Gi"` or `"512M"`.
    pub memory_request: Option<ConfigValue>,
    /// Memory limit.
    pub memory_limit: Option<ConfigValue>,
    /// Accelerator type, e.g. `"nvidia.com/gpu"`.
    pub accelerator_type: Option<ConfigValue>,
    /// Accelerator count; a type without a count means 1, as in kfp.
    pub accelerator_limit: Option<ConfigValue>,
}

impl Resources {
    /// Nothing set.
    pub const NONE: Resources = Resources {
        cpu_request: None,
        cpu_limit: None,
        memory_request: None,
        memory_limit: None,
        accelerator_type: None,
        accelerator_limit: None,
    };

    /// Whether nothing is set.
    pub fn is_empty(&self) -> bool {
        *self == Self::default()
    }
}

/// A retry policy (kfp's `set_retry`). Unset fields take kfp's defaults
/// when compiled: backoff `0s`, factor `2.0`, max `3600s`.
#[derive(Clone, Debug, PartialEq)]
pub struct RetryPolicy {
    /// How many times to retry.
    pub max_retry_count: u32,
    /// The first backoff, as a duration string (`"30s"`, `"1h"`, `"5m"`)
    /// or seconds (`"30"`).
    pub backoff_duration: Option<String>,
    /// The backoff multiplier.
    pub backoff_factor: Option<f64>,
    /// The longest backoff, as for `backoff_duration`.
    pub backoff_max_duration: Option<String>,
}

impl RetryPolicy {
    /// Retry `max_retry_count` times with kfp's default backoff.
    pub fn new(max_retry_count: u32) -> Self {
        Self {
            max_retry_count,
            backoff_duration: None,
            backoff_factor: None,
            backoff_max_duration: None,
        }
    }
}
