//! OneOf: the value of whichever branch of an If/Elif/Else chain ran
//! (kfp's `dsl.OneOf`).
//!
//! Each branch publishes its task's output as `pipelinechannel--<task>-<output>`
//! (of the output's own type: one branch runs at most once), and the
//! chain's `condition-branches-N` group publishes
//! `pipelinechannel--condition-branches-N-oneof-M`, selecting the branch
//! outputs in order (`valueFromOneof` for parameters, several
//! `artifactSelectors` for artifacts). Readers take it from the chain's
//! group task, as from a task's output.

use kfp_ir_schema::{self as ir, CompactString};

use super::{Router, Scopes, branches_of};
use crate::graph::{GroupId, GroupKind, OneOfId, OutputRef, Pipeline, TaskId};
use crate::naming;
use crate::to_ir;

/// A checked OneOf.
pub(crate) struct Resolved<'p> {
    /// The chain.
    pub(crate) branches: GroupId,
    /// The chain's group task (`condition-branches-N`).
    pub(crate) group: CompactString,
    /// The output of the chain's group (`pipelinechannel--…-oneof-M`).
    pub(crate) key: CompactString,
    /// The type of the value, as the first branch's output declares it.
    pub(crate) output: OutputRef<'p>,
}

/// Checks OneOf `id` (a chain ending in `Else`; outputs of tasks directly
/// in its branches, any number of them and of any of its branches, as kfp
/// 2.17 allows, all of one type) and names its output (numbered among the
/// chain's OneOfs, used or not); the error says what is wrong.
pub(crate) fn resolve<'p>(
    pipeline: &'p Pipeline,
    scopes: &Scopes<'_>,
    id: OneOfId,
) -> Result<Resolved<'p>, String> {
    let one_of = pipeline
        .get_one_of(id)
        .ok_or_else(|| format!("OneOf #{} is not in the pipeline", id.0))?;
    let chain = one_of.branches;
    if pipeline.get_group(chain).map(|g| &g.kind) != Some(&GroupKind::ConditionBranches) {
        return Err(format!(
            "OneOf #{}: group #{} is not an If/Elif/Else chain",
            id.0, chain.0
        ));
    }
    let group = CompactString::from(scopes.name(chain));
    let branches = branches_of(pipeline, chain);
    if branches
        .last()
        .is_none_or(|b| pipeline.groups[b.0].kind != GroupKind::Else)
    {
        return Err(format!(
            "a OneOf of `{group}` needs an `Else`: without one, no branch may run"
        ));
    }
    if one_of.outputs.is_empty() {
        return Err(format!("a OneOf of `{group}` takes at least one output"));
    }
    let mut first: Option<OutputRef<'p>> = None;
    for (task, output) in &one_of.outputs {
        let in_branch = branch_of(pipeline, *task).is_some_and(|b| branches.contains(&b));
        if !in_branch {
            let component = pipeline
                .get_task(*task)
                .and_then(|t| pipeline.get_component(t.component))
                .map_or("?", |c| c.name.as_str());
            return Err(format!(
                "the output `{output}` a OneOf of `{group}` takes (of a `{component}` task) must \
                 be the output of a task directly in one of its branches"
            ));
        }
        let declared = pipeline
            .task_output(*task, output)
            .ok_or_else(|| format!("task #{} has no output `{output}`", task.0))?;
        match first {
            None => first = Some(declared),
            Some(f) if same_type(f, declared) => {}
            Some(_) => {
                return Err(format!(
                    "the branches of `{group}` give a OneOf values of different types"
                ));
            }
        }
    }
    let number = pipeline.one_ofs[..id.0]
        .iter()
        .filter(|o| o.branches == chain)
        .count() as u64
        + 1;
    Ok(Resolved {
        branches: chain,
        key: naming::one_of_output(&group, number),
        group,
        output: first.ok_or_else(|| format!("`{}` has no branches", scopes.name(chain)))?,
    })
}

/// The group `task` is directly in: the branch whose output it gives.
fn branch_of(pipeline: &Pipeline, task: TaskId) -> Option<GroupId> {
    pipeline.get_task(task)?.group
}

/// Whether two outputs have one type (parameter type, or artifact type and
/// list-ness).
fn same_type(a: OutputRef<'_>, b: OutputRef<'_>) -> bool {
    match (a, b) {
        (OutputRef::Parameter(a), OutputRef::Parameter(b)) => a.kind == b.kind,
        (OutputRef::Artifact(a), OutputRef::Artifact(b)) => {
            a.artifact_type == b.artifact_type && a.is_list == b.is_list
        }
        _ => false,
    }
}

impl<'p> Router<'p> {
    /// The OneOf whose output is `key` of group task `group`, if any.
    pub(super) fn one_of_output(&self, group: &str, key: &str) -> Option<OutputRef<'p>> {
        let chain = self.scopes.find(group)?;
        (0..self.pipeline().one_ofs.len())
            .map(OneOfId)
            .filter(|id| self.pipeline().one_ofs[id.0].branches == chain)
            .filter_map(|id| resolve(self.pipeline(), &self.scopes, id).ok())
            .find(|r| r.key == key)
            .map(|r| r.output)
    }

    /// Publishes OneOf `id` from its branches and its chain's group (once
    /// read, as kfp does); returns the group task and its output.
    pub(crate) fn publish_one_of(
        &mut self,
        id: OneOfId,
    ) -> Result<(CompactString, CompactString), String> {
        let pipeline = self.pipeline();
        let resolved = resolve(pipeline, &self.scopes, id)?;
        // What the chain selects: each output's branch group task and the
        // output it publishes, in the OneOf's order.
        let selected: Vec<(CompactString, CompactString)> = pipeline.one_ofs[id.0]
            .outputs
            .iter()
            .filter_map(|(task, output)| {
                let branch = branch_of(pipeline, *task)?;
                let channel = self.publish_from_branch(branch, *task, output);
                Some((self.scopes.name(branch).into(), channel))
            })
            .collect();
        let build = &mut self.groups[resolved.branches.0];
        let dag_outputs = build.dag.outputs.get_or_insert_with(Default::default);
        match resolved.output {
            OutputRef::Parameter(p) => {
                build
                    .outputs
                    .parameters
                    .insert(resolved.key.clone(), to_ir::output_parameter(p.kind));
                let parameter_selectors = selected
                    .into_iter()
                    .map(|(branch, channel)| ir::ParameterSelectorSpec {
                        producer_subtask: branch,
                        output_parameter_key: channel,
                    })
                    .collect();
                dag_outputs.parameters.insert(
                    resolved.key.clone(),
                    ir::DagOutputParameterSpec::ValueFromOneof(ir::ParameterSelectorsSpec {
                        parameter_selectors,
                    }),
                );
            }
            OutputRef::Artifact(a) => {
                build
                    .outputs
                    .artifacts
                    .insert(resolved.key.clone(), to_ir::output_artifact(a));
                let artifact_selectors = selected
                    .into_iter()
                    .map(|(branch, channel)| ir::ArtifactSelectorSpec {
                        producer_subtask: branch,
                        output_artifact_key: channel,
                    })
                    .collect();
                dag_outputs.artifacts.insert(
                    resolved.key.clone(),
                    ir::DagOutputArtifactSpec { artifact_selectors },
                );
            }
        }
        Ok((resolved.group, resolved.key))
    }

    /// Publishes output `output` of `task`, directly in `branch`, from the
    /// branch's group as `pipelinechannel--<task>-<output>` (of the
    /// output's own type: a branch runs at most once); returns that name.
    fn publish_from_branch(
        &mut self,
        branch: GroupId,
        task: TaskId,
        output: &str,
    ) -> CompactString {
        let producer = self.names[task.0].clone();
        let channel = naming::task_output_channel(&producer, output);
        let declared = self.pipeline().task_output(task, output);
        let build = &mut self.groups[branch.0];
        let dag_outputs = build.dag.outputs.get_or_insert_with(Default::default);
        match declared {
            Some(OutputRef::Parameter(p)) => {
                build
                    .outputs
                    .parameters
                    .insert(channel.clone(), to_ir::output_parameter(p.kind));
                dag_outputs.parameters.insert(
                    channel.clone(),
                    ir::DagOutputParameterSpec::ValueFromParameter(ir::ParameterSelectorSpec {
                        producer_subtask: producer,
                        output_parameter_key: output.into(),
                    }),
                );
            }
            Some(OutputRef::Artifact(a)) => {
                build
                    .outputs
                    .artifacts
                    .insert(channel.clone(), to_ir::output_artifact(a));
                dag_outputs.artifacts.insert(
                    channel.clone(),
                    ir::DagOutputArtifactSpec {
                        artifact_selectors: vec![ir::ArtifactSelectorSpec {
                            producer_subtask: producer,
                            output_artifact_key: output.into(),
                        }],
                    },
                );
            }
            // `resolve` checked every output.
            None => {}
        }
        channel
    }
}
