//! The order kfp builds a pipeline spec in (`build_spec_by_group` over the
//! groups in pre-order), which decides which of two equal component or
//! executor names gets `-2`.

use std::collections::BTreeSet;

use crate::graph::{GroupId, GroupKind, Pipeline};

/// A name kfp gives as it builds a pipeline spec: a group's component, or
/// a task's executor and component (after those of its sub-pipeline).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Claim {
    /// The component of a group.
    Group(GroupId),
    /// The executor and component of the task at this index.
    Task(usize),
}

/// The order kfp builds a pipeline in (`build_spec_by_group` over the
/// groups in pre-order), which decides which of two equal names gets
/// `-2`: each group's child groups, then its own tasks, in the order they
/// were added; the tasks of exit handlers last.
pub(super) fn claim_order(pipeline: &Pipeline) -> Vec<Claim> {
    let exit_tasks = exit_tasks(pipeline);
    let groups = &pipeline.groups;
    // Children and tasks by scope (slot 0: the pipeline's own DAG), in the
    // order they were added. A task in a group the pipeline does not have
    // is met nowhere; it comes last, and lowering it reports the group.
    let slot = |scope: Option<GroupId>| scope.map_or(0, |g| g.0 + 1);
    let mut children: Vec<Vec<usize>> = vec![Vec::new(); groups.len() + 1];
    for (g, group) in groups.iter().enumerate() {
        children[slot(group.parent)].push(g);
    }
    let mut tasks: Vec<Vec<usize>> = vec![Vec::new(); groups.len() + 1];
    let mut strays = Vec::new();
    for (i, task) in pipeline.tasks.iter().enumerate() {
        match task.group {
            _ if exit_tasks.contains(&i) => {}
            Some(g) if g.0 >= groups.len() => strays.push(i),
            scope => tasks[slot(scope)].push(i),
        }
    }
    // Where a group sits among its siblings: an If/Elif/Else chain takes
    // the place of its first branch, which kfp opens before the chain.
    let position: Vec<usize> = (0..groups.len())
        .map(|g| match groups[g].kind {
            GroupKind::ConditionBranches => children[g + 1].first().map_or(g, |&b| b.min(g)),
            _ => g,
        })
        .collect();
    let mut order = Vec::with_capacity(pipeline.tasks.len() + groups.len());
    let mut pending = vec![None];
    while let Some(scope) = pending.pop() {
        let mut kids = std::mem::take(&mut children[slot(scope)]);
        kids.sort_by_key(|&g| position[g]);
        order.extend(kids.iter().map(|&g| Claim::Group(GroupId(g))));
        order.extend(tasks[slot(scope)].iter().copied().map(Claim::Task));
        // Pre-order: the first child is visited next.
        pending.extend(kids.into_iter().rev().map(|g| Some(GroupId(g))));
    }
    order.extend(strays.into_iter().map(Claim::Task));
    order.extend(
        exit_tasks
            .iter()
            .copied()
            .filter(|&i| i < pipeline.tasks.len())
            .map(Claim::Task),
    );
    order
}

/// The exit tasks of the pipeline's exit handlers, which kfp builds after
/// everything else.
fn exit_tasks(pipeline: &Pipeline) -> BTreeSet<usize> {
    pipeline
        .groups
        .iter()
        .filter_map(|g| match g.kind {
            GroupKind::ExitHandler { exit_task } => Some(exit_task.0),
            _ => None,
        })
        .collect()
}
