//! Control-flow groups: loops, conditions, If/Elif/Else chains and exit
//! handlers, the comparisons of conditions, and the OneOf values taken from
//! whichever branch of a chain ran.

use serde_json::Value;

use super::binding::Binding;
use super::interface::ParameterType;
use super::{GroupId, TaskId};

/// A control-flow group of a pipeline: a sub-DAG of its tasks (kfp's
/// `TasksGroup`), compiled to a `comp-<kind>-N` component run by a
/// `<kind>-N` task (`for-loop-N`, `condition-N`, `condition-branches-N`).
/// Groups nest through [`parent`](Self::parent).
#[derive(Clone, Debug, PartialEq)]
pub struct Group {
    /// The enclosing group, `None` at the pipeline's top level. A parent
    /// is opened before its children, except the first branch of a
    /// [`GroupKind::ConditionBranches`]: kfp wraps an `If` once an `Elif`
    /// or `Else` follows it, so the wrapper is opened after it.
    pub parent: Option<GroupId>,
    /// What the group does.
    pub kind: GroupKind,
    /// The name shown for the group task (kfp's `name=`).
    pub display_name: Option<String>,
}

impl Group {
    /// A loop (kfp's `dsl.ParallelFor`) inside `parent`.
    pub fn parallel_for(parent: Option<GroupId>, parallel_for: ParallelFor) -> Self {
        Self {
            parent,
            kind: GroupKind::ParallelFor(parallel_for),
            display_name: None,
        }
    }

    /// A condition (kfp's `dsl.If`, or `dsl.Elif` inside a
    /// [`GroupKind::ConditionBranches`]) inside `parent`.
    pub fn condition(parent: Option<GroupId>, condition: Condition) -> Self {
        Self {
            parent,
            kind: GroupKind::Condition(condition),
            display_name: None,
        }
    }

    /// An If/Elif/Else chain inside `parent` (see
    /// [`GroupKind::ConditionBranches`]).
    pub fn condition_branches(parent: Option<GroupId>) -> Self {
        Self {
            parent,
            kind: GroupKind::ConditionBranches,
            display_name: None,
        }
    }

    /// The `Else` branch of the chain `branches`.
    pub fn else_branch(branches: GroupId) -> Self {
        Self {
            parent: Some(branches),
            kind: GroupKind::Else,
            display_name: None,
        }
    }

    /// An exit handler inside `parent` whose exit task is `exit_task` (see
    /// [`GroupKind::ExitHandler`]).
    pub fn exit_handler(parent: Option<GroupId>, exit_task: TaskId) -> Self {
        Self {
            parent,
            kind: GroupKind::ExitHandler { exit_task },
            display_name: None,
        }
    }
}

/// The kinds of [`Group`].
#[derive(Clone, Debug, PartialEq)]
pub enum GroupKind {
    /// Runs its tasks once per item (`for-loop-N`).
    ParallelFor(ParallelFor),
    /// Runs its tasks only when a comparison holds (`condition-N`). Directly
    /// inside a [`ConditionBranches`](Self::ConditionBranches) it is a
    /// branch: it runs only when, besides, no earlier branch's comparison
    /// holds (kfp's `dsl.If` then `dsl.Elif`).
    Condition(Condition),
    /// An If/Elif/Else chain (`condition-branches-N`): its child groups, in
    /// the order they were opened, are its branches, `Condition`s and
    /// at most one `Else`, last.
    ConditionBranches,
    /// The last branch of a chain (`condition-N`, kfp's `dsl.Else`): runs
    /// when no earlier branch's comparison holds.
    Else,
    /// Runs its tasks, then `exit_task` however they ended (kfp's
    /// `dsl.ExitHandler`, `exit-handler-N`). The exit task is a task of the
    /// scope the group is in that reads no other task's outputs.
    ExitHandler {
        /// The task run when the group's tasks have ended.
        exit_task: TaskId,
    },
}

/// The value of whichever branch of an If/Elif/Else chain ran (kfp's
/// `dsl.OneOf`): outputs of tasks directly inside branches of the chain
/// (of some branches or all, as in kfp 2.17), all of one type; the chain
/// must end in an `Else`. Read after the chain, through
/// [`Binding::OneOf`] or [`OutputSource::OneOf`](super::OutputSource::OneOf).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct OneOf {
    /// The [`GroupKind::ConditionBranches`] group.
    pub branches: GroupId,
    /// The outputs to select, in the order given: (task, output name). Each
    /// task's group is the branch it gives the output of.
    pub outputs: Vec<(TaskId, String)>,
}

/// A comparison of two parameter values, evaluated when the pipeline runs
/// (kfp's `dsl.If(a >= b)`). Each operand is a constant, a pipeline input,
/// a loop item or a task output parameter.
#[derive(Clone, Debug, PartialEq)]
pub struct Condition {
    /// The left operand.
    pub left: Binding,
    /// The comparison.
    pub op: Comparison,
    /// The right operand.
    pub right: Binding,
}

/// A comparison operator of a [`Condition`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Comparison {
    /// `==`
    Eq,
    /// `!=`
    Ne,
    /// `<`
    Lt,
    /// `<=`
    Le,
    /// `>`
    Gt,
    /// `>=`
    Ge,
}

impl Comparison {
    /// The operator as written in CEL.
    pub fn as_str(self) -> &'static str {
        match self {
            Comparison::Eq => "==",
            Comparison::Ne => "!=",
            Comparison::Lt => "<",
            Comparison::Le => "<=",
            Comparison::Gt => ">",
            Comparison::Ge => ">=",
        }
    }
}

/// A loop over a list of parameter values or of artifacts (kfp's
/// `dsl.ParallelFor`). Its tasks read the current item through
/// [`Binding::LoopItem`]; tasks after the loop read a list of their outputs
/// through [`Binding::Collected`].
#[derive(Clone, Debug, PartialEq)]
pub struct ParallelFor {
    /// What the loop iterates over.
    pub items: LoopItems,
    /// What one item is.
    pub item_kind: LoopItemKind,
    /// At most this many iterations run at once (`None`: no limit).
    pub parallelism: Option<u32>,
}

impl ParallelFor {
    /// Whether fields of the items may be read ([`Binding::LoopItemField`],
    /// [`LoopItems::LoopItemField`]): objects (`STRUCT`), and the `STRING`
    /// kfp types the item of a list it knows no element type of (Python's
    /// bare `list`), which holds whatever JSON the list does.
    pub fn items_have_fields(item_kind: ParameterType) -> bool {
        matches!(item_kind, ParameterType::Struct | ParameterType::String)
    }
}

/// What the item of a [`ParallelFor`] is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum LoopItemKind {
    /// A parameter value of this type (`parameterIterator`).
    Parameter(ParameterType),
    /// One artifact of a list of artifacts (kfp's `artifactIterator`,
    /// [`LoopItems::PipelineArtifacts`] or [`LoopItems::TaskArtifacts`]),
    /// of the list's artifact type.
    Artifact,
}

impl LoopItemKind {
    /// The parameter type of the item; `None` for an artifact.
    pub fn parameter(self) -> Option<ParameterType> {
        match self {
            LoopItemKind::Parameter(kind) => Some(kind),
            LoopItemKind::Artifact => None,
        }
    }
}

/// What a [`ParallelFor`] iterates over.
#[derive(Clone, Debug, PartialEq)]
pub enum LoopItems {
    /// A list fixed at compile time (`parameterIterator.items.raw`).
    Raw(Vec<Value>),
    /// A `LIST` input parameter of the pipeline.
    PipelineParameter(String),
    /// Field `field` of the item of loop `group`, a loop enclosing this
    /// one (kfp's `dsl.ParallelFor(item.field)`): the item's field is
    /// selected into a `<item>-subvar-<field>` input of the loop.
    LoopItemField {
        /// The enclosing loop whose item holds the list.
        group: GroupId,
        /// The field.
        field: String,
    },
    /// A `LIST` output parameter of a task outside the loop (in the scope
    /// the loop is in, or one enclosing it); the loop runs after it.
    TaskOutput {
        /// The producing task.
        task: TaskId,
        /// Its output parameter.
        output: String,
    },
    /// A list-of-artifacts input of the pipeline: kfp's `artifactIterator`,
    /// whose items are [`LoopItemKind::Artifact`].
    PipelineArtifacts(String),
    /// A list-of-artifacts output of a task outside the loop (in the scope
    /// the loop is in, or one enclosing it), such as a sub-pipeline's
    /// outputs collected out of its loop: kfp's `artifactIterator`, whose
    /// items are [`LoopItemKind::Artifact`]; the loop runs after the task.
    TaskArtifacts {
        /// The producing task.
        task: TaskId,
        /// Its output artifact (a list).
        output: String,
    },
}
