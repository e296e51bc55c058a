//! The names kfp gives what it adds to a pipeline, which both the compiler
//! (writing them) and the tools that read IR (the graph, the UI) need:
//! control-flow groups are `<kind>-<number>` tasks, and values carried into
//! a component get `pipelinechannel--` inputs.
//!
//! ```
//! use kfp_ir_schema::naming::GroupType;
//!
//! assert_eq!(GroupType::of_key("condition-branches-4"), Some((GroupType::ConditionBranches, 4)));
//! assert_eq!(GroupType::of_key("condition-x"), None);
//! assert_eq!(GroupType::ExitHandler.as_str(), "exit-handler");
//! ```

/// The prefix of every input kfp injects for a value it carries into a
/// component (`compiler_utils.additional_input_name_for_pipeline_channel`).
pub const PIPELINE_CHANNEL: &str = "pipelinechannel--";

/// The kinds of control-flow group, by the names kfp gives them.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum GroupType {
    /// A `ParallelFor` (`for-loop`).
    ForLoop,
    /// An `If`, `Elif` or `Else` (`condition`).
    Condition,
    /// The wrapper of an If/Elif/Else chain (`condition-branches`).
    ConditionBranches,
    /// An `ExitHandler` (`exit-handler`).
    ExitHandler,
}

impl GroupType {
    /// Every kind.
    pub const ALL: [GroupType; 4] = [
        Self::ForLoop,
        Self::Condition,
        Self::ConditionBranches,
        Self::ExitHandler,
    ];

    /// The name kfp gives the kind.
    pub const fn as_str(self) -> &'static str {
        match self {
            GroupType::ForLoop => "for-loop",
            GroupType::Condition => "condition",
            GroupType::ConditionBranches => "condition-branches",
            GroupType::ExitHandler => "exit-handler",
        }
    }

    /// The kind and number of a group's task key (`<kind>-<number>`, kfp's
    /// `Pipeline.get_next_group_id` numbering); `None` for any other key.
    pub fn of_key(key: &str) -> Option<(GroupType, u64)> {
        // `condition-branches-` before `condition-`, which it starts with.
        let mut kinds = Self::ALL;
        kinds.sort_by_key(|k| std::cmp::Reverse(k.as_str().len()));
        kinds.into_iter().find_map(|kind| {
            let number = key.strip_prefix(kind.as_str())?.strip_prefix('-')?;
            let all_digits = !number.is_empty() && number.bytes().all(|b| b.is_ascii_digit());
            Some((kind, number.parse().ok().filter(|_| all_digits)?))
        })
    }
}
