//! A task's bindings: each input the task sets, checked against the
//! component's declaration and written as the task input kfp writes (a
//! constant, a pipeline input, a task output, a loop item or one of its
//! fields, an f-string, a collected output, a OneOf), with the producer
//! added to the task's dependencies.

use kfp_ir_schema::{self as ir, CompactString};
use serde_json::Value;

use super::context::{Dependencies, Reader, TaskCx};
use super::runtime::Runtime;
use crate::error::{CompileError, TaskError};
use crate::graph::{
    ArtifactType, Binding, ConfigValue, GroupId, GroupKind, InputArtifact, LoopItemKind, OneOfId,
    OutputParameter, OutputRef, ParallelFor, ParameterType, Structured, TaskId,
};
use crate::naming;
use crate::to_ir::{self, parameter_spec};

/// An artifact given to an input: the task input, and the type and
/// list-ness of what it reads.
struct GivenArtifact<'a> {
    spec: ir::InputArtifactSpec,
    artifact_type: &'a ArtifactType,
    is_list: bool,
}

impl<'a> TaskCx<'a> {
    /// Checks the binding of `input` and adds it to `inputs` (and its
    /// producer to `dependencies`).
    pub(super) fn bind(
        &self,
        input: &str,
        binding: &Binding,
        inputs: &mut ir::TaskInputsSpec,
        dependencies: &mut Dependencies,
    ) -> Result<(), CompileError> {
        if let Some(param) = self.component.input(input) {
            let (kind, selector) =
                self.bind_parameter(input, param.kind, binding, inputs, dependencies)?;
            inputs.parameters.insert(
                input.into(),
                ir::InputParameterSpec {
                    kind: Some(kind),
                    parameter_expression_selector: selector,
                },
            );
            return Ok(());
        }
        if let Some(expected) = self.component.input_artifact(input) {
            let spec = self.bind_artifact(input, expected, binding, dependencies)?;
            inputs.artifacts.insert(input.into(), spec);
            return Ok(());
        }
        Err(self.err(TaskError::UnknownInput {
            component: self.component.name.clone(),
            input: input.to_owned(),
        }))
    }

    /// What input parameter `input` of type `kind` reads, and the selector
    /// of a field of it (empty for the whole value).
    fn bind_parameter(
        &self,
        input: &str,
        kind: ParameterType,
        binding: &Binding,
        inputs: &mut ir::TaskInputsSpec,
        dependencies: &mut Dependencies,
    ) -> Result<(ir::InputParameterKind, CompactString), CompileError> {
        let read = match binding {
            Binding::Constant(value) => self.constant(input, kind, value)?,
            Binding::PipelineParameter(name) => self.pipeline_parameter(input, kind, name)?,
            Binding::TaskOutputParameter { task, output } => {
                self.task_output_parameter(input, kind, *task, output, dependencies)?
            }
            Binding::LoopItem(group) => {
                let item_kind = self.loop_item(input, *group)?;
                self.same_type(input, kind, item_kind)?;
                ir::InputParameterKind::ComponentInputParameter(self.scopes.item(*group).into())
            }
            Binding::LoopItemField { group, field } => {
                return self.loop_item_field(input, *group, field);
            }
            Binding::Interpolated(parts) => {
                self.same_type(input, kind, ParameterType::String)?;
                let text = self.interpolate(input, parts, inputs, dependencies)?;
                ir::InputParameterKind::RuntimeValue(ir::ValueOrRuntimeParameter::Constant(
                    Value::String(text),
                ))
            }
            Binding::Structured(value) => {
                let value = self.structured(input, value, inputs, dependencies)?;
                self.constant(input, kind, &value)?
            }
            Binding::Collected { task, output } => {
                self.collected_parameter(input, kind, *task, output, dependencies)?
            }
            Binding::OneOf(id) => self.one_of_parameter(input, kind, *id, dependencies)?,
            Binding::PipelineArtifact(_) | Binding::TaskOutputArtifact { .. } => {
                return Err(self.err(TaskError::ExpectedParameter {
                    input: input.to_owned(),
                }));
            }
        };
        Ok((read, CompactString::default()))
    }

    /// A constant, checked against the input's type by KFP's rule and
    /// written as a `google.protobuf.Value`.
    fn constant(
        &self,
        input: &str,
        kind: ParameterType,
        value: &Value,
    ) -> Result<ir::InputParameterKind, CompileError> {
        let value = to_ir::parameter_value(kind, value).map_err(|error| {
            self.err(TaskError::ConstantTypeMismatch {
                input: input.to_owned(),
                error,
            })
        })?;
        Ok(ir::InputParameterKind::RuntimeValue(
            ir::ValueOrRuntimeParameter::Constant(value),
        ))
    }

    /// A pipeline input parameter of the input's type.
    fn pipeline_parameter(
        &self,
        input: &str,
        kind: ParameterType,
        name: &CompactString,
    ) -> Result<ir::InputParameterKind, CompileError> {
        let declared = self
            .pipeline
            .inputs
            .iter()
            .find(|p| p.name == *name)
            .ok_or_else(|| {
                self.err(TaskError::UnknownPipelineInput {
                    input: input.to_owned(),
                    name: name.to_string(),
                })
            })?;
        self.same_type(input, kind, declared.kind)?;
        Ok(ir::InputParameterKind::ComponentInputParameter(
            name.clone(),
        ))
    }

    /// The declaration of output parameter `output` of an earlier task, and
    /// the task's name.
    fn output_parameter(
        &self,
        input: &str,
        task: TaskId,
        output: &str,
    ) -> Result<(&'a str, &'a OutputParameter), CompileError> {
        let (producer, component) = self.producer(input, task, Reader::Input)?;
        match component.output(output) {
            Some(OutputRef::Parameter(out)) => Ok((producer, out)),
            _ => Err(self.err(TaskError::UnknownTaskOutput {
                input: input.to_owned(),
                producer: producer.to_owned(),
                output: output.to_owned(),
                kind: "output parameter",
            })),
        }
    }

    /// An output parameter of an earlier task that runs where this task
    /// can read it.
    fn task_output_parameter(
        &self,
        input: &str,
        kind: ParameterType,
        task: TaskId,
        output: &CompactString,
        dependencies: &mut Dependencies,
    ) -> Result<ir::InputParameterKind, CompileError> {
        let (producer, out) = self.output_parameter(input, task, output)?;
        self.same_type(input, kind, out.kind)?;
        self.visible(input, task, producer)?;
        dependencies.insert(producer);
        Ok(ir::InputParameterKind::TaskOutputParameter(
            ir::TaskOutputParameterSpec {
                producer_task: producer.into(),
                output_parameter_key: output.clone(),
            },
        ))
    }

    /// The list of the values of an output parameter of a task inside a
    /// loop (kfp's `dsl.Collected`).
    fn collected_parameter(
        &self,
        input: &str,
        kind: ParameterType,
        task: TaskId,
        output: &CompactString,
        dependencies: &mut Dependencies,
    ) -> Result<ir::InputParameterKind, CompileError> {
        let (producer, _) = self.output_parameter(input, task, output)?;
        self.same_type(input, kind, ParameterType::List)?;
        self.collectable(input, task, producer)?;
        dependencies.insert(producer);
        Ok(ir::InputParameterKind::TaskOutputParameter(
            ir::TaskOutputParameterSpec {
                producer_task: producer.into(),
                output_parameter_key: output.clone(),
            },
        ))
    }

    /// A field of the item of an enclosing loop over objects: the item,
    /// with a selector of the field (the field's type is only known when
    /// the task runs).
    fn loop_item_field(
        &self,
        input: &str,
        group: GroupId,
        field: &str,
    ) -> Result<(ir::InputParameterKind, CompactString), CompileError> {
        let item_kind = self.loop_item(input, group)?;
        if !ParallelFor::items_have_fields(item_kind) {
            return Err(self.err(TaskError::NotAnObjectItem {
                input: input.to_owned(),
                field: field.to_owned(),
                found: item_kind,
            }));
        }
        if !naming::is_subvar_name(field) {
            return Err(self.err(TaskError::InvalidItemField {
                input: input.to_owned(),
                field: field.to_owned(),
            }));
        }
        Ok((
            ir::InputParameterKind::ComponentInputParameter(self.scopes.item(group).into()),
            naming::field_selector(field),
        ))
    }

    /// The text of an f-string: its literal pieces, and the placeholder of
    /// an input injected into the task for each value (the value's
    /// producer becomes a dependency), as kfp writes it.
    fn interpolate(
        &self,
        input: &str,
        parts: &[ConfigValue],
        inputs: &mut ir::TaskInputsSpec,
        dependencies: &mut Dependencies,
    ) -> Result<String, CompileError> {
        let mut text = String::new();
        for part in parts {
            let (injected, placeholder, source, producer) =
                match self.runtime(input, part, Reader::Input)? {
                    Runtime::Literal(s) => {
                        text.push_str(s);
                        continue;
                    }
                    Runtime::Channel {
                        injected,
                        placeholder,
                        source,
                        producer,
                    } => (injected, placeholder, source, producer),
                };
            if self.component.input(&injected).is_some() {
                return Err(self.err(TaskError::InjectedInputCollision {
                    input: injected.to_string(),
                }));
            }
            text.push_str(&placeholder);
            inputs.parameters.insert(injected, parameter_spec(source));
            if let Some(producer) = producer {
                dependencies.insert(producer);
            }
        }
        Ok(text)
    }

    /// A list or struct with its strings' values injected as f-strings'
    /// are ([`interpolate`](Self::interpolate)).
    fn structured(
        &self,
        input: &str,
        value: &Structured,
        inputs: &mut ir::TaskInputsSpec,
        dependencies: &mut Dependencies,
    ) -> Result<Value, CompileError> {
        Ok(match value {
            Structured::Constant(value) => value.clone(),
            Structured::Text(parts) => {
                Value::String(self.interpolate(input, parts, inputs, dependencies)?)
            }
            Structured::List(items) => Value::Array(
                items
                    .iter()
                    .map(|item| self.structured(input, item, inputs, dependencies))
                    .collect::<Result<_, _>>()?,
            ),
            Structured::Object(fields) => {
                let mut object = serde_json::Map::new();
                for (key, value) in fields {
                    let value = self.structured(input, value, inputs, dependencies)?;
                    object.insert(key.clone(), value);
                }
                Value::Object(object)
            }
        })
    }

    /// A OneOf of parameters, read from its chain's group task.
    fn one_of_parameter(
        &self,
        input: &str,
        kind: ParameterType,
        id: OneOfId,
        dependencies: &mut Dependencies,
    ) -> Result<ir::InputParameterKind, CompileError> {
        let (group, key, output) = self.one_of(input, id)?;
        let OutputRef::Parameter(out) = output else {
            return Err(self.err(TaskError::ExpectedParameter {
                input: input.to_owned(),
            }));
        };
        self.same_type(input, kind, out.kind)?;
        dependencies.insert(group.as_str());
        Ok(ir::InputParameterKind::TaskOutputParameter(
            ir::TaskOutputParameterSpec {
                producer_task: group,
                output_parameter_key: key,
            },
        ))
    }

    /// What input artifact `input` reads, checked against its declared
    /// type.
    fn bind_artifact(
        &self,
        input: &str,
        expected: &InputArtifact,
        binding: &Binding,
        dependencies: &mut Dependencies,
    ) -> Result<ir::InputArtifactSpec, CompileError> {
        let given = match binding {
            Binding::PipelineArtifact(name) => self.pipeline_artifact(input, name)?,
            Binding::TaskOutputArtifact { task, output } => {
                self.task_output_artifact(input, *task, output, false, dependencies)?
            }
            // A collected output is the list of one artifact per loop
            // iteration.
            Binding::Collected { task, output } => {
                self.task_output_artifact(input, *task, output, true, dependencies)?
            }
            Binding::OneOf(id) => self.one_of_artifact(input, *id, dependencies)?,
            Binding::LoopItem(group) => self.loop_item_artifact(input, *group)?,
            _ => {
                return Err(self.err(TaskError::ExpectedArtifact {
                    input: input.to_owned(),
                }));
            }
        };
        if !ArtifactType::compatible(
            given.artifact_type,
            given.is_list,
            &expected.artifact_type,
            expected.is_list,
        ) {
            return Err(self.err(TaskError::ArtifactTypeMismatch {
                input: input.to_owned(),
                expected: describe_artifact(&expected.artifact_type, expected.is_list),
                found: describe_artifact(given.artifact_type, given.is_list),
            }));
        }
        Ok(given.spec)
    }

    /// A pipeline input artifact.
    fn pipeline_artifact(
        &self,
        input: &str,
        name: &CompactString,
    ) -> Result<GivenArtifact<'a>, CompileError> {
        let declared = self
            .pipeline
            .input_artifacts
            .iter()
            .find(|a| a.name == *name)
            .ok_or_else(|| {
                self.err(TaskError::UnknownPipelineInput {
                    input: input.to_owned(),
                    name: name.to_string(),
                })
            })?;
        Ok(GivenArtifact {
            spec: ir::InputArtifactSpec::ComponentInputArtifact(name.clone()),
            artifact_type: &declared.artifact_type,
            is_list: declared.is_list,
        })
    }

    /// An output artifact of an earlier task, read where it runs or, when
    /// `collected`, gathered out of the loop it runs in.
    fn task_output_artifact(
        &self,
        input: &str,
        task: TaskId,
        output: &CompactString,
        collected: bool,
        dependencies: &mut Dependencies,
    ) -> Result<GivenArtifact<'a>, CompileError> {
        let (producer, component) = self.producer(input, task, Reader::Input)?;
        let Some(OutputRef::Artifact(out)) = component.output(output) else {
            return Err(self.err(TaskError::UnknownTaskOutput {
                input: input.to_owned(),
                producer: producer.to_owned(),
                output: output.to_string(),
                kind: "output artifact",
            }));
        };
        if collected {
            self.collectable(input, task, producer)?;
        } else {
            self.visible(input, task, producer)?;
        }
        dependencies.insert(producer);
        Ok(GivenArtifact {
            spec: ir::InputArtifactSpec::TaskOutputArtifact(ir::TaskOutputArtifactSpec {
                producer_task: producer.into(),
                output_artifact_key: output.clone(),
            }),
            artifact_type: &out.artifact_type,
            is_list: collected || out.is_list,
        })
    }

    /// The item of an enclosing loop over a list of artifacts: one
    /// artifact of the list's type.
    fn loop_item_artifact(
        &self,
        input: &str,
        group: GroupId,
    ) -> Result<GivenArtifact<'a>, CompileError> {
        let not_artifacts = || {
            self.err(TaskError::ExpectedArtifact {
                input: input.to_owned(),
            })
        };
        let kind = self
            .scopes
            .loop_item_kind(input, group, self.task.group)
            .map_err(|e| self.err(e))?;
        let items = match self.pipeline.get_group(group).map(|g| &g.kind) {
            Some(GroupKind::ParallelFor(p)) if kind == LoopItemKind::Artifact => &p.items,
            _ => return Err(not_artifacts()),
        };
        let artifact_type = self
            .pipeline
            .artifact_items_type(items)
            .ok_or_else(not_artifacts)?;
        Ok(GivenArtifact {
            spec: ir::InputArtifactSpec::ComponentInputArtifact(self.scopes.item(group).into()),
            artifact_type,
            is_list: false,
        })
    }

    /// A OneOf of artifacts, read from its chain's group task.
    fn one_of_artifact(
        &self,
        input: &str,
        id: OneOfId,
        dependencies: &mut Dependencies,
    ) -> Result<GivenArtifact<'a>, CompileError> {
        let (group, key, output) = self.one_of(input, id)?;
        let OutputRef::Artifact(out) = output else {
            return Err(self.err(TaskError::ExpectedArtifact {
                input: input.to_owned(),
            }));
        };
        dependencies.insert(group.as_str());
        Ok(GivenArtifact {
            spec: ir::InputArtifactSpec::TaskOutputArtifact(ir::TaskOutputArtifactSpec {
                producer_task: group,
                output_artifact_key: key,
            }),
            artifact_type: &out.artifact_type,
            is_list: out.is_list,
        })
    }
}

fn describe_artifact(t: &ArtifactType, list: bool) -> String {
    let one = format!("{}@{}", t.schema_title, t.schema_version);
    if list {
        format!("a list of {one}")
    } else {
        one
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn loop_item_field_names_follow_kfps_rule() {
        for ok in ["a", "A_a", "_x1", "lr"] {
            assert!(naming::is_subvar_name(ok), "{ok}");
        }
        for bad in ["", "1a", "a-b", "a.b", "a\"b", "é"] {
            assert!(!naming::is_subvar_name(bad), "{bad}");
        }
        assert_eq!(
            naming::field_selector("lr"),
            "parseJson(string_value)[\"lr\"]"
        );
    }
}
