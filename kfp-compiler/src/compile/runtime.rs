//! Values resolved when a task runs: the runtime task settings (resources,
//! accelerator, image) and the parts of an f-string. As kfp does, each
//! value read from a pipeline input, a task output or a loop item is
//! injected as an input of the task (`pipelinechannel--…`), and the setting
//! or string holds that input's placeholder.

use kfp_ir_schema::{self as ir, CompactString};
use serde_json::Value;

use super::context::{Dependencies, Reader, TaskCx};
use crate::error::{CompileError, TaskError};
use crate::graph::{ConfigValue, OutputRef};
use crate::naming;
use crate::placeholders;
use crate::to_ir::parameter_spec;

/// Where a runtime task setting or f-string part comes from, once checked.
pub(super) enum Runtime<'a> {
    Literal(&'a str),
    /// A value injected as an input of the task.
    Channel {
        /// The injected input's name.
        injected: CompactString,
        /// The injected input's placeholder.
        placeholder: CompactString,
        /// Where the injected input reads the value.
        source: ir::InputParameterKind,
        /// The task that produces the value, if a task does.
        producer: Option<CompactString>,
    },
}

impl<'a> TaskCx<'a> {
    /// The settings kfp turns into task inputs when they are runtime
    /// values, under the names kfp gives them.
    fn runtime_settings(&self) -> Vec<(&'static str, &'a ConfigValue)> {
        let r = &self.task.config.resources;
        [
            ("cpu_request", r.cpu_request.as_ref()),
            ("cpu_limit", r.cpu_limit.as_ref()),
            ("memory_request", r.memory_request.as_ref()),
            ("memory_limit", r.memory_limit.as_ref()),
            ("accelerator_type", r.accelerator_type.as_ref()),
            ("accelerator_count", r.accelerator_limit.as_ref()),
            ("base_image", self.task.config.image.as_ref()),
        ]
        .into_iter()
        .filter_map(|(n, v)| v.map(|v| (n, v)))
        .collect()
    }

    /// Adds to `inputs`, for each runtime setting that is not a literal,
    /// the setting as its placeholder and the injected input it reads.
    pub(super) fn inject_runtime_settings(
        &self,
        inputs: &mut ir::TaskInputsSpec,
        dependencies: &mut Dependencies,
    ) -> Result<(), CompileError> {
        for (setting, value) in self.runtime_settings() {
            let Runtime::Channel {
                injected,
                placeholder,
                source,
                producer,
            } = self.runtime(setting, value, Reader::Setting)?
            else {
                continue;
            };
            if self.component.input(setting).is_some()
                || self.component.input_artifact(setting).is_some()
            {
                return Err(self.err(TaskError::InjectedInputCollision {
                    input: setting.to_owned(),
                }));
            }
            inputs.parameters.insert(
                setting.into(),
                parameter_spec(ir::InputParameterKind::RuntimeValue(
                    ir::ValueOrRuntimeParameter::Constant(Value::String(placeholder.into())),
                )),
            );
            inputs.parameters.insert(injected, parameter_spec(source));
            // kfp registers the image's channel as a task input (a
            // dependency), but not the resources' channels.
            if setting == "base_image"
                && let Some(producer) = producer
            {
                dependencies.insert(producer);
            }
        }
        Ok(())
    }

    /// Where the value of a runtime setting or f-string part comes from;
    /// `reader` says which it is (a setting may read a later task).
    pub(super) fn runtime<'v>(
        &self,
        setting: &str,
        value: &'v ConfigValue,
        reader: Reader,
    ) -> Result<Runtime<'v>, CompileError> {
        let (injected, source, producer) = match value {
            ConfigValue::Literal(s) => return Ok(Runtime::Literal(s)),
            ConfigValue::PipelineParameter(name) => {
                if !self.pipeline.inputs.iter().any(|p| p.name == *name) {
                    return Err(self.err(TaskError::UnknownPipelineInput {
                        input: setting.to_owned(),
                        name: name.clone(),
                    }));
                }
                (
                    naming::pipeline_input_channel(name),
                    ir::InputParameterKind::ComponentInputParameter(name.as_str().into()),
                    None,
                )
            }
            ConfigValue::TaskOutput { task, output } => {
                let (producer, component) = self.producer(setting, *task, reader)?;
                if !matches!(component.output(output), Some(OutputRef::Parameter(_))) {
                    return Err(self.err(TaskError::UnknownTaskOutput {
                        input: setting.to_owned(),
                        producer: producer.to_owned(),
                        output: output.clone(),
                        kind: "output parameter",
                    }));
                }
                self.visible(setting, *task, producer)?;
                (
                    naming::task_output_channel(producer, output),
                    ir::InputParameterKind::TaskOutputParameter(ir::TaskOutputParameterSpec {
                        producer_task: producer.into(),
                        output_parameter_key: output.as_str().into(),
                    }),
                    Some(producer.into()),
                )
            }
            ConfigValue::LoopItem(group) => {
                self.loop_item(setting, *group)?;
                // The item is already a `pipelinechannel--` input of the
                // loop: the injected input has its name and reads it.
                let injected = CompactString::from(self.scopes.item(*group));
                let source = ir::InputParameterKind::ComponentInputParameter(injected.clone());
                (injected, source, None)
            }
        };
        Ok(Runtime::Channel {
            placeholder: placeholders::input_value(&injected),
            injected,
            source,
            producer,
        })
    }

    /// The value written for a runtime setting: the literal or the
    /// placeholder of its injected input, and the literal again when it is
    /// one.
    pub(super) fn runtime_string(
        &self,
        setting: &'static str,
        value: &'a ConfigValue,
    ) -> Result<(CompactString, Option<&'a str>), CompileError> {
        Ok(match self.runtime(setting, value, Reader::Setting)? {
            Runtime::Literal(s) => (s.into(), Some(s)),
            Runtime::Channel { placeholder, .. } => (placeholder, None),
        })
    }
}
