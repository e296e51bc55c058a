//! Loops (`for-loop-N`): the group task's iterator over a fixed list, a
//! pipeline input, an outer task's list output or a field of an enclosing
//! loop's item (`parameterIterator`), or over a list of artifacts, a
//! pipeline input or an outer task's output (`artifactIterator`), and the
//! loop's item input.

use kfp_ir_schema::{self as ir, CompactString, python_json};

use super::{Router, task_inputs};
use crate::error::CompileError;
use crate::graph::{GroupId, GroupKind, LoopItemKind, LoopItems, ParallelFor};
use crate::naming;
use crate::to_ir;

impl Router<'_> {
    /// Builds the task of loop `group` and declares its item input.
    pub(super) fn open_loop(
        &mut self,
        group: GroupId,
        parallel_for: &ParallelFor,
    ) -> Result<(), CompileError> {
        let g = &self.pipeline().groups[group.0];
        let item = self.scopes.item(group).to_owned();
        let iterator = match parallel_for.item_kind {
            LoopItemKind::Artifact => ir::TaskIterator::ArtifactIterator(
                self.loop_over_artifacts(group, &parallel_for.items, &item)?,
            ),
            LoopItemKind::Parameter(kind) => {
                self.groups[group.0].inputs.parameters.insert(
                    item.as_str().into(),
                    to_ir::input_parameter(to_ir::parameter_type(kind)),
                );
                ir::TaskIterator::ParameterIterator(ir::ParameterIteratorSpec {
                    items: Some(self.parameter_items(group, g.parent, &parallel_for.items)?),
                    item_input: item.into(),
                })
            }
        };
        let task = &mut self.groups[group.0].task;
        task.iterator = Some(iterator);
        task.iterator_policy =
            parallel_for
                .parallelism
                .filter(|&p| p > 0)
                .map(|p| ir::IteratorPolicy {
                    parallelism_limit: i32::try_from(p).unwrap_or(i32::MAX),
                });
        Ok(())
    }

    /// What parameter loop `group`, inside `parent`, iterates over.
    fn parameter_items(
        &mut self,
        group: GroupId,
        parent: Option<GroupId>,
        items: &LoopItems,
    ) -> Result<ir::ParameterItemsSpec, CompileError> {
        Ok(match items {
            // kfp writes `json.dumps(items, sort_keys=True)`.
            LoopItems::Raw(values) => {
                ir::ParameterItemsSpec::Raw(python_json::to_string(values).into())
            }
            LoopItems::PipelineParameter(list) => {
                let channel = naming::pipeline_input_channel(list);
                self.groups[group.0].inputs.parameters.insert(
                    channel.clone(),
                    to_ir::input_parameter(ir::ParameterType::List),
                );
                let source = match parent {
                    None => ir::InputParameterKind::ComponentInputParameter(list.as_str().into()),
                    Some(parent) => {
                        self.punch_parameter(
                            Some(parent),
                            None,
                            &channel,
                            ir::ParameterType::List,
                            ir::InputParameterKind::ComponentInputParameter(list.as_str().into()),
                        );
                        ir::InputParameterKind::ComponentInputParameter(channel.clone())
                    }
                };
                task_inputs(&mut self.groups[group.0].task)
                    .parameters
                    .insert(channel.clone(), to_ir::parameter_spec(source));
                ir::ParameterItemsSpec::InputParameter(channel)
            }
            LoopItems::TaskOutput { task, output } => {
                let producer = self.names[task.0].clone();
                self.loop_over_task_output(group, &producer, output)?
            }
            LoopItems::LoopItemField {
                group: outer,
                field,
            } => self.loop_over_item_field(group, *outer, field)?,
            LoopItems::PipelineArtifacts(_) | LoopItems::TaskArtifacts { .. } => {
                return Err(self.mismatched_items(group));
            }
        })
    }

    /// Loop `group`'s items and item kind do not match: a list of
    /// artifacts has artifact items, a list of values parameter items.
    fn mismatched_items(&self, group: GroupId) -> CompileError {
        CompileError::Component {
            component: self.pipeline().name.clone(),
            reason: format!(
                "loop `{}` iterates over a list of artifacts with parameter items, or over \
                 parameter values with artifact items",
                self.scopes.name(group)
            ),
        }
    }

    /// Checks that task `producer`, whose output `output` loop `group`
    /// iterates over, runs in the loop's scope or one enclosing it.
    fn check_outer_producer(
        &self,
        group: GroupId,
        producer: &str,
        output: &str,
    ) -> Result<(), CompileError> {
        let from = self.scope_of(producer);
        if self.scopes.contains(from, self.scopes.parent(group)) {
            return Ok(());
        }
        Err(CompileError::Component {
            component: self.pipeline().name.clone(),
            reason: format!(
                "loop `{}` iterates over output `{output}` of task `{producer}`, which runs in \
                 another loop or condition; a loop can iterate over the outputs of tasks in its \
                 own scope or an enclosing one",
                self.scopes.name(group)
            ),
        })
    }

    /// Gives loop `group` the list of artifacts it iterates over, a
    /// pipeline input or task `producer`'s output, as its input artifact
    /// `pipelinechannel--<input>` or `pipelinechannel--<producer>-<output>`
    /// (through the groups between, if it comes from further out), and
    /// declares its item input `item`, one artifact of the list's type, as
    /// kfp's `artifactIterator` does; the loop runs after the producer.
    fn loop_over_artifacts(
        &mut self,
        group: GroupId,
        items: &LoopItems,
        item: &str,
    ) -> Result<ir::ArtifactIteratorSpec, CompileError> {
        let (channel, mut source, producer) = match items {
            LoopItems::PipelineArtifacts(name) => (
                naming::pipeline_input_channel(name),
                ir::InputArtifactSpec::ComponentInputArtifact(name.as_str().into()),
                None,
            ),
            LoopItems::TaskArtifacts { task, output } => {
                let producer = self.names[task.0].clone();
                self.check_outer_producer(group, &producer, output)?;
                let source =
                    ir::InputArtifactSpec::TaskOutputArtifact(ir::TaskOutputArtifactSpec {
                        producer_task: producer.clone(),
                        output_artifact_key: output.as_str().into(),
                    });
                (
                    naming::task_output_channel(&producer, output),
                    source,
                    Some(producer),
                )
            }
            _ => return Err(self.mismatched_items(group)),
        };
        let Some(artifact_type) = self.pipeline().artifact_items_type(items) else {
            return Err(CompileError::Component {
                component: self.pipeline().name.clone(),
                reason: format!(
                    "loop `{}` iterates over `{channel}`, which is not a list of artifacts",
                    self.scopes.name(group)
                ),
            });
        };
        let declared = to_ir::artifact_type(artifact_type);
        let inputs = &mut self.groups[group.0].inputs.artifacts;
        inputs.insert(
            channel.clone(),
            ir::ComponentInputArtifactSpec {
                artifact_type: Some(declared.clone()),
                is_artifact_list: true,
                ..Default::default()
            },
        );
        inputs.insert(
            item.into(),
            ir::ComponentInputArtifactSpec {
                artifact_type: Some(declared),
                ..Default::default()
            },
        );
        self.route_artifact(self.scopes.parent(group), &mut source)?;
        task_inputs(&mut self.groups[group.0].task)
            .artifacts
            .insert(channel.clone(), source);
        if let Some(producer) = producer {
            self.depend(Some(group), &producer);
        }
        Ok(ir::ArtifactIteratorSpec {
            items: Some(ir::ArtifactItemsSpec {
                input_artifact: channel,
            }),
            item_input: item.into(),
        })
    }

    /// Gives loop `group` the list output `output` of task `producer` as
    /// its input `pipelinechannel--<producer>-<output>` (through the
    /// groups between, if the producer is further out), makes the loop run
    /// after the producer, and returns what the loop iterates over.
    fn loop_over_task_output(
        &mut self,
        group: GroupId,
        producer: &str,
        output: &str,
    ) -> Result<ir::ParameterItemsSpec, CompileError> {
        let parent = self.scopes.parent(group);
        self.check_outer_producer(group, producer, output)?;
        let ty = self.output_parameter_type(producer, output);
        if ty != ir::ParameterType::List {
            return Err(CompileError::Component {
                component: self.pipeline().name.clone(),
                reason: format!(
                    "loop `{}` iterates over output `{output}` of task `{producer}`, which is \
                     not a list (it is {ty})",
                    self.scopes.name(group)
                ),
            });
        }
        let channel = naming::task_output_channel(producer, output);
        self.groups[group.0].inputs.parameters.insert(
            channel.clone(),
            to_ir::input_parameter(ir::ParameterType::List),
        );
        let mut source = ir::InputParameterKind::TaskOutputParameter(ir::TaskOutputParameterSpec {
            producer_task: producer.into(),
            output_parameter_key: output.into(),
        });
        self.route_parameter(parent, &mut source)?;
        task_inputs(&mut self.groups[group.0].task)
            .parameters
            .insert(channel.clone(), to_ir::parameter_spec(source));
        // Seen from inside the loop, the producer is outside it: the loop
        // task (or the group around it that the producer is beside)
        // depends on it, as a condition's task does on what it compares.
        self.depend(Some(group), producer);
        Ok(ir::ParameterItemsSpec::InputParameter(channel))
    }

    /// Gives loop `group` field `field` of the item of the enclosing loop
    /// `outer` as its input `<item>-subvar-<field>`, selected from the item
    /// (punched in from `outer`) by the loop task, as kfp writes a loop over
    /// `item.field`; returns what the loop iterates over.
    ///
    /// kfp types that input by the value type of the item's dict, which a
    /// Rust item does not carry: it is `STRING`, as kfp types the field of
    /// an item whose type it does not know (an item of a bare `list`).
    fn loop_over_item_field(
        &mut self,
        group: GroupId,
        outer: GroupId,
        field: &str,
    ) -> Result<ir::ParameterItemsSpec, CompileError> {
        let bad = |reason: String| CompileError::Component {
            component: self.pipeline().name.clone(),
            reason: format!(
                "loop `{}` iterates over field `{field}` of the item of group #{}: {reason}",
                self.scopes.name(group),
                outer.0
            ),
        };
        let Some(GroupKind::ParallelFor(p)) = self.pipeline().get_group(outer).map(|g| &g.kind)
        else {
            return Err(bad("that group is not a loop".to_owned()));
        };
        if outer == group || !self.scopes.contains(Some(outer), self.scopes.parent(group)) {
            return Err(bad(format!(
                "`{}` does not enclose it",
                self.scopes.name(outer)
            )));
        }
        let Some(item_kind) = p
            .item_kind
            .parameter()
            .filter(|&kind| ParallelFor::items_have_fields(kind))
        else {
            return Err(bad(format!(
                "its items are {:?}, not objects (STRUCT)",
                p.item_kind
            )));
        };
        if !naming::is_subvar_name(field) {
            return Err(bad(
                "kfp allows field names `^[a-zA-Z_][0-9a-zA-Z_]*$` only".to_owned(),
            ));
        }
        let item = CompactString::from(self.scopes.item(outer));
        self.punch_parameter(
            Some(group),
            Some(outer),
            &item,
            to_ir::parameter_type(item_kind),
            ir::InputParameterKind::ComponentInputParameter(item.clone()),
        );
        let subvar = naming::loop_item_subvar(&item, field);
        self.groups[group.0].inputs.parameters.insert(
            subvar.clone(),
            to_ir::input_parameter(ir::ParameterType::String),
        );
        task_inputs(&mut self.groups[group.0].task)
            .parameters
            .insert(
                subvar.clone(),
                ir::InputParameterSpec {
                    kind: Some(ir::InputParameterKind::ComponentInputParameter(item)),
                    parameter_expression_selector: naming::field_selector(field),
                },
            );
        Ok(ir::ParameterItemsSpec::InputParameter(subvar))
    }
}
