//! Loops (`for-loop-N`): the group task's iterator over a fixed list, a
//! pipeline input or an outer task's list output, and the loop's item
//! input.

use kfp_ir_schema::{self as ir, python_json};

use super::{Router, task_inputs};
use crate::error::CompileError;
use crate::graph::{GroupId, LoopItems, ParallelFor};
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
        self.groups[group.0].inputs.parameters.insert(
            item.as_str().into(),
            to_ir::input_parameter(to_ir::parameter_type(parallel_for.item_kind)),
        );
        let items = match &parallel_for.items {
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
                let source = match g.parent {
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
        };
        let task = &mut self.groups[group.0].task;
        task.iterator = Some(ir::TaskIterator::ParameterIterator(
            ir::ParameterIteratorSpec {
                items: Some(items),
                item_input: item.into(),
            },
        ));
        task.iterator_policy =
            parallel_for
                .parallelism
                .filter(|&p| p > 0)
                .map(|p| ir::IteratorPolicy {
                    parallelism_limit: i32::try_from(p).unwrap_or(i32::MAX),
                });
        Ok(())
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
        let from = self.scope_of(producer);
        if !self.scopes.contains(from, parent) {
            return Err(CompileError::Component {
                component: self.pipeline().name.clone(),
                reason: format!(
                    "loop `{}` iterates over output `{output}` of task `{producer}`, which runs \
                     in another loop or condition; a loop can iterate over the outputs of tasks \
                     in its own scope or an enclosing one",
                    self.scopes.name(group)
                ),
            });
        }
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
}
