//! The kfp names of a pipeline's groups (`for-loop-N`, `condition-N`, …)
//! and of their loop items, their nesting, and the checks that the groups
//! form a tree kfp can build.

use kfp_ir_schema::CompactString;

use crate::error::{CompileError, TaskError};
use crate::graph::{GroupId, GroupKind, LoopItemKind, LoopItems, ParameterType, Pipeline};
use crate::naming::{self, GroupType};

/// The kfp names of a pipeline's groups, and their nesting.
pub(crate) struct Scopes<'p> {
    pipeline: &'p Pipeline,
    /// `for-loop-N`, by group.
    names: Vec<CompactString>,
    /// The name of the loop item input, by group.
    items: Vec<CompactString>,
}

impl<'p> Scopes<'p> {
    /// Numbers the groups as kfp does: one counter per pipeline, in the
    /// order the groups were opened; a loop over a static list takes one
    /// number for its item first; an If/Elif/Else wrapper swaps numbers
    /// with its first branch, opened before it.
    pub(crate) fn new(
        pipeline: &'p Pipeline,
        names: &[CompactString],
    ) -> Result<Self, CompileError> {
        check_nesting(pipeline)?;
        let mut next = 1;
        let mut numbers = Vec::with_capacity(pipeline.groups.len());
        let mut items = Vec::with_capacity(pipeline.groups.len());
        for group in &pipeline.groups {
            let item = match &group.kind {
                GroupKind::ParallelFor(parallel_for) => {
                    let item_id = next;
                    if let LoopItems::Raw(_) = parallel_for.items {
                        next += 1;
                    }
                    loop_item_name(pipeline, names, &parallel_for.items, &items, item_id)?
                }
                // Other groups have no item: an empty name matches no input.
                _ => CompactString::default(),
            };
            numbers.push(next);
            items.push(item);
            next += 1;
        }
        // kfp opens the wrapper of an If when an Elif or Else follows it,
        // then swaps their numbers so the wrapper reads first.
        for (index, group) in pipeline.groups.iter().enumerate() {
            if group.kind == GroupKind::ConditionBranches
                && let Some(first) = branches_of(pipeline, GroupId(index)).first()
                && first.0 < index
            {
                numbers.swap(first.0, index);
            }
        }
        let names = pipeline
            .groups
            .iter()
            .zip(&numbers)
            .map(|(group, &number)| naming::group_name(group_type(&group.kind), number))
            .collect();
        Ok(Self {
            pipeline,
            names,
            items,
        })
    }

    /// The pipeline whose groups these are.
    pub(crate) fn pipeline(&self) -> &'p Pipeline {
        self.pipeline
    }

    /// The group's task and component name (`for-loop-N`).
    pub(crate) fn name(&self, group: GroupId) -> &str {
        &self.names[group.0]
    }

    /// The name of the group's loop item input.
    pub(crate) fn item(&self, group: GroupId) -> &str {
        &self.items[group.0]
    }

    /// The type of the item of loop `group`, which parameter input `input`
    /// of a task in group `at` reads: the loop must enclose the task, and
    /// iterate over parameter values.
    pub(crate) fn loop_item(
        &self,
        input: &str,
        group: GroupId,
        at: Option<GroupId>,
    ) -> Result<ParameterType, TaskError> {
        self.loop_item_kind(input, group, at)?
            .parameter()
            .ok_or_else(|| TaskError::ExpectedParameter {
                input: input.to_owned(),
            })
    }

    /// What the item of loop `group` is, which `input` of a task in group
    /// `at` reads: the loop must enclose the task.
    pub(crate) fn loop_item_kind(
        &self,
        input: &str,
        group: GroupId,
        at: Option<GroupId>,
    ) -> Result<LoopItemKind, TaskError> {
        let Some(g) = self.pipeline.get_group(group) else {
            return Err(TaskError::UnknownGroup { group: group.0 });
        };
        if !self.contains(Some(group), at) {
            return Err(TaskError::OutOfScope {
                input: input.to_owned(),
                reason: format!(
                    "it reads the item of `{}` outside that loop",
                    self.name(group)
                ),
            });
        }
        match &g.kind {
            GroupKind::ParallelFor(p) => Ok(p.item_kind),
            _ => Err(TaskError::OutOfScope {
                input: input.to_owned(),
                reason: format!("`{}` is not a loop: it has no item", self.name(group)),
            }),
        }
    }

    /// Whether `group` is known.
    pub(crate) fn exists(&self, group: GroupId) -> bool {
        group.0 < self.names.len()
    }

    pub(crate) fn parent(&self, group: GroupId) -> Option<GroupId> {
        self.pipeline.groups[group.0].parent
    }

    /// The group called `name` (`for-loop-2`, `condition-branches-1`).
    pub(crate) fn find(&self, name: &str) -> Option<GroupId> {
        self.names.iter().position(|n| n == name).map(GroupId)
    }

    /// How deep `group` is: 1 for a group at the top level.
    pub(super) fn depth(&self, group: GroupId) -> usize {
        self.path(Some(group), None).len()
    }

    /// Whether scope `outer` is scope `inner` or encloses it (`None` is the
    /// pipeline's top level).
    pub(crate) fn contains(&self, outer: Option<GroupId>, inner: Option<GroupId>) -> bool {
        let mut scope = inner;
        loop {
            if scope == outer {
                return true;
            }
            match scope {
                Some(g) => scope = self.parent(g),
                None => return false,
            }
        }
    }

    /// The groups from `inner` out to `outer` (which must contain it),
    /// innermost first, `outer` excluded.
    pub(super) fn path(&self, inner: Option<GroupId>, outer: Option<GroupId>) -> Vec<GroupId> {
        let mut path = Vec::new();
        let mut scope = inner;
        while scope != outer {
            let Some(g) = scope else { break };
            path.push(g);
            scope = self.parent(g);
        }
        path
    }

    /// The closest scope containing both.
    pub(super) fn common(&self, a: Option<GroupId>, b: Option<GroupId>) -> Option<GroupId> {
        let mut scope = a;
        while !self.contains(scope, b) {
            scope = scope.and_then(|g| self.parent(g));
        }
        scope
    }
}

/// The branches of the chain `branches`, in the order they were opened.
pub(crate) fn branches_of(pipeline: &Pipeline, branches: GroupId) -> Vec<GroupId> {
    (0..pipeline.groups.len())
        .filter(|&i| pipeline.groups[i].parent == Some(branches))
        .map(GroupId)
        .collect()
}

/// Checks that the groups form a tree (every parent exists, no cycle, a
/// parent opened before its child but for the first branch of a chain) and
/// that chains hold branches only, with the `Else` last.
fn check_nesting(pipeline: &Pipeline) -> Result<(), CompileError> {
    let bad = |reason: String| CompileError::Component {
        component: pipeline.name.clone(),
        reason,
    };
    for index in 0..pipeline.groups.len() {
        check_group(pipeline, index).map_err(bad)?;
    }
    for index in 0..pipeline.groups.len() {
        if pipeline.groups[index].kind == GroupKind::ConditionBranches {
            check_chain(pipeline, index).map_err(bad)?;
        }
    }
    Ok(())
}

/// Checks group `index` against its parent: the parent exists and is
/// opened first (but for a chain's first branch), a chain holds only
/// branches, and an `Else` is in a chain.
fn check_group(pipeline: &Pipeline, index: usize) -> Result<(), String> {
    let group = &pipeline.groups[index];
    if let GroupKind::ExitHandler { exit_task } = group.kind
        && exit_task.0 >= pipeline.tasks.len()
    {
        return Err(format!(
            "exit handler #{index} ends with task #{}, which is not in the pipeline",
            exit_task.0
        ));
    }
    let else_outside = || format!("group #{index} is an `Else` outside an If/Elif/Else chain");
    let Some(parent) = group.parent else {
        return match group.kind {
            GroupKind::Else => Err(else_outside()),
            _ => Ok(()),
        };
    };
    let Some(parent_group) = pipeline.groups.get(parent.0) else {
        return Err(format!(
            "group #{index} is inside group #{}, which does not exist",
            parent.0
        ));
    };
    let in_chain = parent_group.kind == GroupKind::ConditionBranches;
    let first_branch = in_chain && branches_of(pipeline, parent).first() == Some(&GroupId(index));
    if parent.0 >= index && !first_branch {
        return Err(format!(
            "group #{index} is inside group #{}, which is not opened before it",
            parent.0
        ));
    }
    match (&group.kind, in_chain) {
        (GroupKind::Condition(_), _) | (GroupKind::Else, true) => Ok(()),
        (GroupKind::Else, false) => Err(else_outside()),
        (_, true) => Err(format!(
            "group #{index} is inside the If/Elif/Else chain #{}, whose groups are its \
             branches (conditions and a last `Else`)",
            parent.0
        )),
        (_, false) => Ok(()),
    }
}

/// Checks the If/Elif/Else chain `index`: no branch after its `Else`, no
/// `Else` first, and the chain not inside itself.
fn check_chain(pipeline: &Pipeline, index: usize) -> Result<(), String> {
    let groups = &pipeline.groups;
    let branches = branches_of(pipeline, GroupId(index));
    let else_at = branches
        .iter()
        .position(|b| groups[b.0].kind == GroupKind::Else);
    if let Some(at) = else_at
        && at + 1 != branches.len()
    {
        return Err(format!(
            "the If/Elif/Else chain #{index} has a branch after its `Else`"
        ));
    }
    if else_at == Some(0) {
        return Err(format!(
            "the If/Elif/Else chain #{index} starts with an `Else`"
        ));
    }
    // A cycle would pass through the wrapper: its first branch is the only
    // child allowed before it.
    let mut scope = groups[index].parent;
    let mut steps = 0;
    while let Some(g) = scope {
        steps += 1;
        if g.0 == index || steps > groups.len() {
            return Err(format!("group #{index} is inside itself"));
        }
        scope = groups[g.0].parent;
    }
    Ok(())
}

/// The kfp kind of a group, which its name starts with.
fn group_type(kind: &GroupKind) -> GroupType {
    match kind {
        GroupKind::ParallelFor(_) => GroupType::ForLoop,
        GroupKind::Condition(_) | GroupKind::Else => GroupType::Condition,
        GroupKind::ConditionBranches => GroupType::ConditionBranches,
        GroupKind::ExitHandler { .. } => GroupType::ExitHandler,
    }
}

/// The name of the item input of a loop over `items`; `items_so_far` are
/// the item names of the groups opened before it, `id` is the next group
/// number, which a loop over a fixed list takes for its item.
fn loop_item_name(
    pipeline: &Pipeline,
    names: &[CompactString],
    items: &LoopItems,
    items_so_far: &[CompactString],
    id: u64,
) -> Result<CompactString, CompileError> {
    Ok(match items {
        LoopItems::Raw(_) => naming::loop_item_param(id),
        // An enclosing loop is opened first, so its item is named.
        LoopItems::LoopItemField { group, field } => {
            let outer = items_so_far
                .get(group.0)
                .ok_or_else(|| CompileError::Component {
                    component: pipeline.name.clone(),
                    reason: format!(
                        "a loop iterates over field `{field}` of the item of group #{}, which is \
                     not opened before it",
                        group.0
                    ),
                })?;
            naming::loop_item(&naming::loop_item_subvar(outer, field))
        }
        LoopItems::PipelineParameter(name) | LoopItems::PipelineArtifacts(name) => {
            naming::loop_item(&naming::pipeline_input_channel(name))
        }
        LoopItems::TaskOutput { task, output } | LoopItems::TaskArtifacts { task, output } => {
            let producer = names.get(task.0).ok_or_else(|| CompileError::Component {
                component: pipeline.name.clone(),
                reason: format!(
                    "a loop iterates over output `{output}` of task #{}, which is not in the \
                     pipeline",
                    task.0
                ),
            })?;
            naming::loop_item(&naming::task_output_channel(producer, output))
        }
    })
}
