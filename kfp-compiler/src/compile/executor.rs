//! A task's executor: the container (command and args written out, image,
//! env and resources from the task's configuration) or the importer, and
//! the checks of settings that only a container task may make.

use kfp_ir_schema::{self as ir, CompactString};
use serde_json::Value;

use super::context::TaskCx;
use crate::error::{CompileError, TaskError};
use crate::graph::{Arg, Binding, Component, ContainerSpec, Importer, OutputRef, Pipeline};
use crate::placeholders::arg_to_string;
use crate::to_ir;

impl TaskCx<'_> {
    /// The executor's container: command and args written out, image,
    /// env and resources from the task config.
    pub(super) fn container(
        &self,
        spec: &ContainerSpec,
    ) -> Result<ir::PipelineContainerSpec, CompileError> {
        let component = self.component;
        let args = |list: &[Arg]| -> Result<Vec<CompactString>, CompileError> {
            list.iter()
                .map(|a| {
                    check_placeholder(component, a)?;
                    arg_to_string(a).map_err(|source| CompileError::Placeholder {
                        component: component.name.clone(),
                        source,
                    })
                })
                .collect()
        };
        let config = &self.task.config;
        let image = match &config.image {
            Some(value) => self.runtime_string("base_image", value)?.0,
            None => spec.image.as_str().into(),
        };
        Ok(ir::PipelineContainerSpec {
            image,
            command: args(&spec.command)?,
            args: args(&spec.args)?,
            lifecycle: None,
            resources: self.resources()?.map(Box::new),
            env: env(&spec.env, &config.env),
        })
    }

    /// The executor of an importer task: the URI as a constant when the
    /// task gives one, else read from its `uri` input at run time.
    pub(super) fn importer(&self, importer: &Importer) -> Result<ir::ImporterSpec, CompileError> {
        if let Some(setting) = self.container_setting() {
            return Err(self.err(TaskError::ContainerSettingOnImporter { setting }));
        }
        let artifact_uri = match self.task.argument(Component::IMPORTER_URI) {
            Some(Binding::Constant(Value::String(uri))) => {
                ir::ValueOrRuntimeParameter::Constant(Value::String(uri.clone()))
            }
            _ => ir::ValueOrRuntimeParameter::RuntimeParameter(Component::IMPORTER_URI.into()),
        };
        let artifact = self
            .component
            .output_artifacts
            .iter()
            .find(|a| a.name == Component::IMPORTER_OUTPUT && !a.is_list)
            .map(|a| &a.artifact_type)
            .ok_or_else(|| CompileError::Component {
                component: self.component.name.clone(),
                reason: format!(
                    "an importer has the output artifact `{}` (build it with `Component::importer`)",
                    Component::IMPORTER_OUTPUT
                ),
            })?;
        Ok(ir::ImporterSpec {
            artifact_uri: Some(artifact_uri),
            type_schema: Some(to_ir::artifact_type(artifact)),
            reimport: importer.reimport,
            metadata: importer.metadata.as_ref().map(|m| {
                m.iter()
                    .map(|(k, v)| (k.clone(), ir::parameter::protobuf_value(v)))
                    .collect()
            }),
            download_to_workspace: importer.download_to_workspace,
            ..ir::ImporterSpec::default()
        })
    }

    /// Checks that a pipeline task has no container-only settings, and that
    /// the component's interface is the pipeline's (`None`: a compiled
    /// pipeline, whose interface was read from its root).
    pub(super) fn check_pipeline_task(&self, inner: Option<&Pipeline>) -> Result<(), CompileError> {
        if let Some(setting) = self.container_setting() {
            return Err(self.err(TaskError::ContainerSettingOnPipeline { setting }));
        }
        let Some(inner) = inner else {
            return Ok(());
        };
        if self.component.inputs != inner.inputs
            || self.component.input_artifacts != inner.input_artifacts
        {
            return Err(CompileError::Component {
                component: self.component.name.clone(),
                reason: "its inputs differ from those of the pipeline that implements it (build it with `Component::from_pipeline`)".into(),
            });
        }
        Ok(())
    }

    /// The first container-only setting the task makes, if any.
    fn container_setting(&self) -> Option<&'static str> {
        let config = &self.task.config;
        [
            ("resources", !config.resources.is_empty()),
            ("env", !config.env.is_empty()),
            ("image", config.image.is_some()),
        ]
        .into_iter()
        .find_map(|(setting, set)| set.then_some(setting))
    }
}

/// The container's environment: the component's own variables, then the
/// task's, a task's replacing the component's of the same name in its
/// place (kfp's `container_spec.env[name] = value` on a dict).
fn env(component: &[(String, String)], task: &[(String, String)]) -> Vec<ir::EnvVar> {
    let mut out: Vec<ir::EnvVar> = Vec::with_capacity(component.len() + task.len());
    for (name, value) in component.iter().chain(task) {
        match out.iter_mut().find(|e| e.name == name.as_str()) {
            Some(existing) => existing.value = value.as_str().into(),
            None => out.push(ir::EnvVar {
                name: name.as_str().into(),
                value: value.as_str().into(),
            }),
        }
    }
    out
}

/// Checks that a placeholder names an input or output of the right kind.
fn check_placeholder(component: &Component, arg: &Arg) -> Result<(), CompileError> {
    let bad = |what: &str, name: &str| CompileError::Component {
        component: component.name.clone(),
        reason: format!(
            "a placeholder refers to {what} `{name}`, which the component does not declare"
        ),
    };
    let out_artifact = |n: &str| matches!(component.output(n), Some(OutputRef::Artifact(_)));
    match arg {
        Arg::Literal(_) | Arg::ExecutorInput => Ok(()),
        Arg::InputValue(n) if component.input(n).is_none() => Err(bad("input parameter", n)),
        Arg::InputPath(n)
        | Arg::InputUri(n)
        | Arg::InputMetadata(n)
        | Arg::InputArtifactList(n)
            if component.input_artifact(n).is_none() =>
        {
            Err(bad("input artifact", n))
        }
        Arg::OutputPath(n) | Arg::OutputUri(n) | Arg::OutputMetadata(n) if !out_artifact(n) => {
            Err(bad("output artifact", n))
        }
        Arg::OutputParameterFile(n)
            if !matches!(component.output(n), Some(OutputRef::Parameter(_))) =>
        {
            Err(bad("output parameter", n))
        }
        Arg::Concat(items) => items
            .iter()
            .try_for_each(|a| check_placeholder(component, a)),
        Arg::IfPresent {
            input,
            then,
            otherwise,
        } => {
            if component.input(input).is_none()
                && component.input_artifact(input).is_none()
                && component.output(input).is_none()
            {
                return Err(bad("input", input));
            }
            then.iter()
                .chain(otherwise.iter().flatten())
                .try_for_each(|a| check_placeholder(component, a))
        }
        _ => Ok(()),
    }
}
