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

/// kfp's `maybe_rename_for_k8s`: lowercases, turns every run of characters
/// outside `[-0-9a-z]` into `-`, collapses runs of `-`, and trims `-` at
/// both ends (`Add numbers` → `add-numbers`). kfp names components, tasks
/// and pipelines with it.
///
/// ```
/// use kfp_ir_schema::naming::maybe_rename_for_k8s;
///
/// assert_eq!(maybe_rename_for_k8s("Xgboost train"), "xgboost-train");
/// assert_eq!(maybe_rename_for_k8s("--Flip  coin!"), "flip-coin");
/// ```
pub fn maybe_rename_for_k8s(name: &str) -> String {
    let mut out = String::with_capacity(name.len());
    for c in name.chars().flat_map(char::to_lowercase) {
        let c = if c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-' {
            c
        } else {
            '-'
        };
        if !(c == '-' && out.ends_with('-')) {
            out.push(c);
        }
    }
    out.trim_matches('-').to_owned()
}

/// kfp's `sanitize_input_name`: lowercases, turns every run of characters
/// outside `[_0-9a-z]` into `_`, and trims `_` at both ends. kfp names the
/// inputs and outputs of a legacy (v1) component with it (`Training data`
/// → `training_data`).
///
/// ```
/// use kfp_ir_schema::naming::sanitize_input_name;
///
/// assert_eq!(sanitize_input_name("Training data"), "training_data");
/// assert_eq!(sanitize_input_name("model-name"), "model_name");
/// assert_eq!(sanitize_input_name("__a__b"), "a__b");
/// ```
pub fn sanitize_input_name(name: &str) -> String {
    let mut out = String::with_capacity(name.len());
    let mut in_run = false;
    for c in name.chars().flat_map(char::to_lowercase) {
        if c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_' {
            out.push(c);
            in_run = false;
        } else if !in_run {
            out.push('_');
            in_run = true;
        }
    }
    out.trim_matches('_').to_owned()
}

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
