//! Task settings shared by every task (kfp's `PipelineTask.set_*` methods).

use kfp_compiler::graph::{ConfigValue, RetryPolicy};

use crate::Untyped;
use crate::control::LoopItem;
use crate::fstring::check_setting;
use crate::handle::{ParamOutput, PipelineParam};
use crate::recorder::{TaskHandle, report};

/// A value for a resource setting: a literal such as `"500m"` or `"4Gi"`,
/// or, resolved at run time, a `String` pipeline input, task output or loop
/// item.
pub trait IntoConfigValue {
    /// The setting's value.
    fn into_config_value(self) -> ConfigValue;
}

impl IntoConfigValue for &str {
    #[track_caller]
    fn into_config_value(self) -> ConfigValue {
        self.to_owned().into_config_value()
    }
}

/// A literal; the setting it is given to refuses a string with a pipeline
/// value formatted into it.
impl IntoConfigValue for String {
    #[track_caller]
    fn into_config_value(self) -> ConfigValue {
        ConfigValue::Literal(self)
    }
}

impl IntoConfigValue for PipelineParam<String> {
    #[track_caller]
    fn into_config_value(self) -> ConfigValue {
        ConfigValue::PipelineParameter(self.name().to_owned())
    }
}

impl IntoConfigValue for LoopItem<String> {
    #[track_caller]
    fn into_config_value(self) -> ConfigValue {
        self.config_value()
    }
}

/// The item of a loop over a list of unknown element type, a string to
/// kfp.
impl IntoConfigValue for LoopItem<Untyped> {
    #[track_caller]
    fn into_config_value(self) -> ConfigValue {
        self.config_value()
    }
}

impl IntoConfigValue for ParamOutput<String> {
    #[track_caller]
    fn into_config_value(self) -> ConfigValue {
        ConfigValue::TaskOutput {
            task: self.task(),
            output: self.name().to_owned(),
        }
    }
}

/// `value` as setting `setting` of `task`; a string with a pipeline value
/// formatted into it is reported, naming the setting and the task.
#[track_caller]
fn setting_value(task: TaskHandle, setting: &str, value: impl IntoConfigValue) -> ConfigValue {
    let value = value.into_config_value();
    if let ConfigValue::Literal(text) = &value {
        check_setting(task, setting, text);
    }
    value
}

/// The settings every task has. Each method returns the task, so settings
/// chain: `train(data).set_cpu_limit("2").set_retry(3)`.
pub trait TaskSettings: Sized {
    /// The recorded task.
    #[doc(hidden)]
    fn task_handle(&self) -> TaskHandle;

    /// Runs this task after `other` (kfp's `.after`).
    #[track_caller]
    fn after(self, other: &impl TaskSettings) -> Self {
        let other = other.task_handle();
        if other.frame != self.task_handle().frame {
            report("`.after` was given a task of another pipeline".to_owned());
            return self;
        }
        self.task_handle().update("after", |t| {
            if !t.config.after.contains(&other.task) {
                t.config.after.push(other.task);
            }
        });
        self
    }

    /// Sets the CPU request (`"500m"`, `"2"`).
    #[track_caller]
    fn set_cpu_request(self, cpu: impl IntoConfigValue) -> Self {
        let v = setting_value(self.task_handle(), "set_cpu_request", cpu);
        self.task_handle().update("set_cpu_request", |t| {
            t.config.resources.cpu_request = Some(v)
        });
        self
    }

    /// Sets the CPU limit (`"500m"`, `"2"`).
    #[track_caller]
    fn set_cpu_limit(self, cpu: impl IntoConfigValue) -> Self {
        let v = setting_value(self.task_handle(), "set_cpu_limit", cpu);
        self.task_handle()
            .update("set_cpu_limit", |t| t.config.resources.cpu_limit = Some(v));
        self
    }

    /// Sets the memory request (`"512Mi"`, `"4G"`).
    #[track_caller]
    fn set_memory_request(self, memory: impl IntoConfigValue) -> Self {
        let v = setting_value(self.task_handle(), "set_memory_request", memory);
        self.task_handle().update("set_memory_request", |t| {
            t.config.resources.memory_request = Some(v)
        });
        self
    }

    /// Sets the memory limit (`"512Mi"`, `"4G"`).
    #[track_caller]
    fn set_memory_limit(self, memory: impl IntoConfigValue) -> Self {
        let v = setting_value(self.task_handle(), "set_memory_limit", memory);
        self.task_handle().update("set_memory_limit", |t| {
            t.config.resources.memory_limit = Some(v)
        });
        self
    }

    /// Sets the accelerator type (`"nvidia.com/gpu"`); without a limit it
    /// means one accelerator.
    #[track_caller]
    fn set_accelerator_type(self, accelerator: impl IntoConfigValue) -> Self {
        let v = setting_value(self.task_handle(), "set_accelerator_type", accelerator);
        self.task_handle().update("set_accelerator_type", |t| {
            t.config.resources.accelerator_type = Some(v)
        });
        self
    }

    /// Sets how many accelerators the task uses (`"1"`).
    #[track_caller]
    fn set_accelerator_limit(self, limit: impl IntoConfigValue) -> Self {
        let v = setting_value(self.task_handle(), "set_accelerator_limit", limit);
        self.task_handle().update("set_accelerator_limit", |t| {
            t.config.resources.accelerator_limit = Some(v)
        });
        self
    }

    /// Sets an environment variable of the task's container.
    #[track_caller]
    fn set_env_variable(self, name: impl Into<String>, value: impl Into<String>) -> Self {
        let (name, value) = (name.into(), value.into());
        check_setting(self.task_handle(), "set_env_variable", &value);
        self.task_handle()
            .update("set_env_variable", |t| t.config.set_env(name, value));
        self
    }

    /// Turns caching of the task's result on or off (on by default).
    #[track_caller]
    fn set_caching_options(self, enable_caching: bool) -> Self {
        self.task_handle()
            .update("set_caching_options", |t| t.config.caching = enable_caching);
        self
    }

    /// Sets a custom cache key.
    #[track_caller]
    fn set_cache_key(self, key: impl Into<String>) -> Self {
        let key = key.into();
        check_setting(self.task_handle(), "set_cache_key", &key);
        self.task_handle()
            .update("set_cache_key", |t| t.config.cache_key = Some(key));
        self
    }

    /// Retries the task up to `num_retries` times with kfp's default
    /// backoff.
    #[track_caller]
    fn set_retry(self, num_retries: u32) -> Self {
        self.set_retry_policy(RetryPolicy::new(num_retries))
    }

    /// Sets the full retry policy (count, backoff duration, factor and
    /// maximum).
    #[track_caller]
    fn set_retry_policy(self, policy: RetryPolicy) -> Self {
        self.task_handle()
            .update("set_retry", |t| t.config.retry = Some(policy));
        self
    }

    /// Sets the name shown for the task (`taskInfo.name`).
    #[track_caller]
    fn set_display_name(self, name: impl Into<String>) -> Self {
        let name = name.into();
        check_setting(self.task_handle(), "set_display_name", &name);
        self.task_handle()
            .update("set_display_name", |t| t.config.display_name = Some(name));
        self
    }

    /// Runs the task in `image` instead of the component's image (a
    /// literal, or a `String` pipeline input, task output or loop item).
    #[track_caller]
    fn set_container_image(self, image: impl IntoConfigValue) -> Self {
        let image = setting_value(self.task_handle(), "set_container_image", image);
        self.task_handle()
            .update("set_container_image", |t| t.config.image = Some(image));
        self
    }

    /// Runs the task even when upstream tasks fail.
    #[track_caller]
    fn ignore_upstream_failure(self) -> Self {
        self.task_handle().update("ignore_upstream_failure", |t| {
            t.config.ignore_upstream_failure = true
        });
        self
    }
}
