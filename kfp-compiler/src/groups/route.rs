//! Routing values across group boundaries: a value from outside a group
//! is punched in as a `pipelinechannel--…` input of every group on the way
//! in, an output from inside a loop or condition is collected out as a
//! list through every group on the way out (see the [module docs](super)).

use kfp_ir_schema::{self as ir, CompactString};

use super::{Router, task_inputs};
use crate::error::CompileError;
use crate::graph::{GroupId, GroupKind, LoopItemKind, OutputRef, TaskId};
use crate::naming;
use crate::to_ir;

impl<'p> Router<'p> {
    /// Rewrites `kind`, read by a task in `scope`, to what the task can
    /// read in its own DAG: a pipeline input or an outer task's output is
    /// punched in as a `pipelinechannel--…` input of each group on the way,
    /// an output from inside a loop is collected out to the common scope.
    pub(crate) fn route_parameter(
        &mut self,
        scope: Option<GroupId>,
        kind: &mut ir::InputParameterKind,
    ) -> Result<(), CompileError> {
        match kind {
            ir::InputParameterKind::ComponentInputParameter(name) => {
                if let Some(declared) = self.pipeline().inputs.iter().find(|p| p.name == *name) {
                    if scope.is_some() {
                        let channel = naming::pipeline_input_channel(name);
                        self.punch_parameter(
                            scope,
                            None,
                            &channel,
                            to_ir::parameter_type(declared.kind),
                            ir::InputParameterKind::ComponentInputParameter(name.clone()),
                        );
                        *name = channel;
                    }
                } else if let Some(g) = self
                    .scopes
                    .path(scope, None)
                    .into_iter()
                    .find(|g| self.scopes.item(*g) == name.as_str())
                {
                    // The innermost enclosing loop with this item name (two
                    // loops over one pipeline input share it).
                    let GroupKind::ParallelFor(p) = &self.pipeline().groups[g.0].kind else {
                        return Ok(());
                    };
                    let Some(item_kind) = p.item_kind.parameter() else {
                        return Ok(());
                    };
                    let item_kind = to_ir::parameter_type(item_kind);
                    let channel = name.clone();
                    self.punch_parameter(
                        scope,
                        Some(g),
                        &channel,
                        item_kind,
                        ir::InputParameterKind::ComponentInputParameter(channel.clone()),
                    );
                }
            }
            ir::InputParameterKind::TaskOutputParameter(t) => {
                let from = self.scope_of(&t.producer_task);
                if from == scope {
                    return Ok(());
                }
                if self.scopes.contains(from, scope) {
                    let channel = self.channel_of(&t.producer_task, &t.output_parameter_key);
                    let ty = self.output_parameter_type(&t.producer_task, &t.output_parameter_key);
                    self.punch_parameter(scope, from, &channel, ty, kind.clone());
                    *kind = ir::InputParameterKind::ComponentInputParameter(channel);
                } else {
                    // Collected out to the closest common scope, then
                    // punched in from there if this task is deeper.
                    let common = self.scopes.common(scope, from);
                    let (top, channel) =
                        self.collect(&t.producer_task, &t.output_parameter_key, common);
                    t.producer_task = top.clone();
                    t.output_parameter_key = channel.clone();
                    if common != scope {
                        let punched = naming::task_output_channel(&top, &channel);
                        self.punch_parameter(
                            scope,
                            common,
                            &punched,
                            ir::ParameterType::List,
                            kind.clone(),
                        );
                        *kind = ir::InputParameterKind::ComponentInputParameter(punched);
                    }
                }
            }
            _ => {}
        }
        Ok(())
    }

    /// As [`route_parameter`](Self::route_parameter), for an artifact.
    pub(super) fn route_artifact(
        &mut self,
        scope: Option<GroupId>,
        spec: &mut ir::InputArtifactSpec,
    ) -> Result<(), CompileError> {
        match spec {
            ir::InputArtifactSpec::ComponentInputArtifact(name) => {
                if let Some(g) = self.enclosing_artifact_loop(scope, name) {
                    // The item of an enclosing loop over artifacts, punched
                    // into the groups inside that loop.
                    let input = self.groups[g.0]
                        .inputs
                        .artifacts
                        .get(name.as_str())
                        .cloned();
                    let source = ir::InputArtifactSpec::ComponentInputArtifact(name.clone());
                    self.punch_artifact(scope, Some(g), name, input.unwrap_or_default(), source);
                } else if scope.is_some()
                    && let Some(declared) = self
                        .pipeline()
                        .input_artifacts
                        .iter()
                        .find(|a| a.name == *name)
                {
                    let channel = naming::pipeline_input_channel(name);
                    let input = ir::ComponentInputArtifactSpec {
                        artifact_type: Some(to_ir::artifact_type(&declared.artifact_type)),
                        is_artifact_list: declared.is_list,
                        ..Default::default()
                    };
                    let source = ir::InputArtifactSpec::ComponentInputArtifact(name.clone());
                    self.punch_artifact(scope, None, &channel, input, source);
                    *name = channel;
                }
            }
            ir::InputArtifactSpec::TaskOutputArtifact(t) => {
                let from = self.scope_of(&t.producer_task);
                if from == scope {
                    return Ok(());
                }
                if self.scopes.contains(from, scope) {
                    let channel = self.channel_of(&t.producer_task, &t.output_artifact_key);
                    let declared = self
                        .output_artifact(&t.producer_task, &t.output_artifact_key)
                        .unwrap_or_default();
                    let input = ir::ComponentInputArtifactSpec {
                        artifact_type: declared.artifact_type,
                        is_artifact_list: declared.is_artifact_list,
                        ..Default::default()
                    };
                    self.punch_artifact(scope, from, &channel, input, spec.clone());
                    *spec = ir::InputArtifactSpec::ComponentInputArtifact(channel);
                } else {
                    let common = self.scopes.common(scope, from);
                    let declared = self
                        .output_artifact(&t.producer_task, &t.output_artifact_key)
                        .unwrap_or_default();
                    let (top, channel) =
                        self.collect(&t.producer_task, &t.output_artifact_key, common);
                    t.producer_task = top.clone();
                    t.output_artifact_key = channel.clone();
                    if common != scope {
                        let punched = naming::task_output_channel(&top, &channel);
                        let input = ir::ComponentInputArtifactSpec {
                            artifact_type: declared.artifact_type,
                            is_artifact_list: true,
                            ..Default::default()
                        };
                        self.punch_artifact(scope, common, &punched, input, spec.clone());
                        *spec = ir::InputArtifactSpec::ComponentInputArtifact(punched);
                    }
                }
            }
        }
        Ok(())
    }

    /// The innermost loop over artifacts enclosing `scope` whose item is
    /// `name`.
    fn enclosing_artifact_loop(&self, scope: Option<GroupId>, name: &str) -> Option<GroupId> {
        self.scopes.path(scope, None).into_iter().find(|g| {
            self.scopes.item(*g) == name
                && matches!(
                    &self.pipeline().groups[g.0].kind,
                    GroupKind::ParallelFor(p) if p.item_kind == LoopItemKind::Artifact
                )
        })
    }

    /// Declares `channel` as an input of every group from `inner` out to
    /// `outer`; the outermost group task reads it from `source`.
    pub(super) fn punch_parameter(
        &mut self,
        inner: Option<GroupId>,
        outer: Option<GroupId>,
        channel: &str,
        kind: ir::ParameterType,
        source: ir::InputParameterKind,
    ) {
        let path = self.scopes.path(inner, outer);
        for (j, g) in path.iter().enumerate() {
            let build = &mut self.groups[g.0];
            build
                .inputs
                .parameters
                .insert(channel.into(), to_ir::input_parameter(kind));
            let from = if j + 1 == path.len() {
                source.clone()
            } else {
                ir::InputParameterKind::ComponentInputParameter(channel.into())
            };
            task_inputs(&mut build.task)
                .parameters
                .insert(channel.into(), to_ir::parameter_spec(from));
        }
    }

    /// As [`punch_parameter`](Self::punch_parameter), for an artifact.
    fn punch_artifact(
        &mut self,
        inner: Option<GroupId>,
        outer: Option<GroupId>,
        channel: &str,
        spec: ir::ComponentInputArtifactSpec,
        source: ir::InputArtifactSpec,
    ) {
        let path = self.scopes.path(inner, outer);
        for (j, g) in path.iter().enumerate() {
            let build = &mut self.groups[g.0];
            build.inputs.artifacts.insert(channel.into(), spec.clone());
            let from = if j + 1 == path.len() {
                source.clone()
            } else {
                ir::InputArtifactSpec::ComponentInputArtifact(channel.into())
            };
            task_inputs(&mut build.task)
                .artifacts
                .insert(channel.into(), from);
        }
    }

    /// Publishes output `output` of task `producer` (inside a loop) out to
    /// scope `outer`; returns the outermost group's name and the output
    /// name there.
    pub(crate) fn collect(
        &mut self,
        producer: &str,
        output: &str,
        outer: Option<GroupId>,
    ) -> (CompactString, CompactString) {
        let channel = naming::task_output_channel(producer, output);
        let path = self.scopes.path(self.scope_of(producer), outer);
        let artifact = self.output_artifact(producer, output);
        for (j, g) in path.iter().enumerate() {
            let (subtask, key): (CompactString, CompactString) = match j {
                0 => (producer.into(), output.into()),
                _ => (self.scopes.name(path[j - 1]).into(), channel.clone()),
            };
            let build = &mut self.groups[g.0];
            let dag_outputs = build.dag.outputs.get_or_insert_with(Default::default);
            match &artifact {
                Some(a) => {
                    build.outputs.artifacts.insert(
                        channel.clone(),
                        ir::ComponentOutputArtifactSpec {
                            artifact_type: a.artifact_type.clone(),
                            is_artifact_list: true,
                            ..Default::default()
                        },
                    );
                    dag_outputs.artifacts.insert(
                        channel.clone(),
                        ir::DagOutputArtifactSpec {
                            artifact_selectors: vec![ir::ArtifactSelectorSpec {
                                producer_subtask: subtask,
                                output_artifact_key: key,
                            }],
                        },
                    );
                }
                None => {
                    build.outputs.parameters.insert(
                        channel.clone(),
                        ir::ComponentOutputParameterSpec {
                            parameter_type: ir::ParameterType::List,
                            ..Default::default()
                        },
                    );
                    dag_outputs.parameters.insert(
                        channel.clone(),
                        ir::DagOutputParameterSpec::ValueFromParameter(ir::ParameterSelectorSpec {
                            producer_subtask: subtask,
                            output_parameter_key: key,
                        }),
                    );
                }
            }
        }
        let top = path.last().map_or(producer, |g| self.scopes.name(*g));
        (top.into(), channel)
    }

    /// The declaration of `producer`'s output artifact `output`, as an IR
    /// output spec; `None` for an output parameter.
    fn output_artifact(
        &self,
        producer: &str,
        output: &str,
    ) -> Option<ir::ComponentOutputArtifactSpec> {
        match self.declared_output(producer, output)? {
            OutputRef::Artifact(a) => Some(to_ir::output_artifact(a)),
            OutputRef::Parameter(_) => None,
        }
    }

    /// The declaration of output `output` of `producer`: a task, or the
    /// group task of an If/Elif/Else chain publishing a OneOf.
    pub(super) fn declared_output(&self, producer: &str, output: &str) -> Option<OutputRef<'p>> {
        match self.task_scopes.get(producer) {
            Some((index, _)) => self.pipeline().task_output(TaskId(*index), output),
            None => self.one_of_output(producer, output),
        }
    }

    /// The name of the input that carries output `output` of `producer`
    /// into a group: `pipelinechannel--<producer>-<output>`, or the name of
    /// a OneOf's output itself.
    fn channel_of(&self, producer: &str, output: &str) -> CompactString {
        if self.task_scopes.contains_key(producer) {
            naming::task_output_channel(producer, output)
        } else {
            output.into()
        }
    }

    pub(super) fn output_parameter_type(&self, producer: &str, output: &str) -> ir::ParameterType {
        match self.declared_output(producer, output) {
            Some(OutputRef::Parameter(p)) => to_ir::parameter_type(p.kind),
            _ => ir::ParameterType::Unspecified,
        }
    }
}
