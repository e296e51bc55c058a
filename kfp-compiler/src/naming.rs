//! kfp's naming rules (`kfp/dsl/utils.py`, `kfp/components/structures.py`,
//! `kfp/compiler/compiler_utils.py`), reproduced exactly so that kfp-rs
//! writes the names kfp writes: component and task names, `comp-`/`exec-`
//! keys, group names (`for-loop-N`), and the `pipelinechannel--…` inputs
//! that carry values into components. Every such name is built here, one
//! function per rule.

use kfp_ir_schema::CompactString;

/// A `HashMap` keyed by names. The names come from the pipeline's own
/// code, so the fast Fx hash is safe (no hash flooding to fear).
pub(crate) type NameMap<K, V> = rustc_hash::FxHashMap<K, V>;
/// A `HashSet` of names, with the hash of [`NameMap`].
pub(crate) type NameSet<K> = rustc_hash::FxHashSet<K>;

pub use kfp_ir_schema::naming::maybe_rename_for_k8s;

/// kfp's `_python_function_name_to_component_name`: underscores become
/// spaces, runs of spaces collapse, ends are trimmed and the first character
/// is upper-cased (`add_numbers` → `Add numbers`).
pub fn python_function_name_to_component_name(function_name: &str) -> String {
    let spaced = function_name.replace('_', " ");
    let collapsed = spaced
        .split(' ')
        .filter(|s| !s.is_empty())
        .collect::<Vec<_>>()
        .join(" ");
    let mut chars = collapsed.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

/// The name kfp gives a component defined by a function: the two rules
/// above in turn (`add_numbers` → `add-numbers`).
pub fn component_name_from_function_name(function_name: &str) -> String {
    maybe_rename_for_k8s(&python_function_name_to_component_name(function_name))
}

/// kfp's `make_name_unique_by_adding_index(name, collection, '-')`: `name`
/// if it is free, else the first free `name-2`, `name-3`….
pub fn make_name_unique(name: &str, taken: impl Fn(&str) -> bool) -> String {
    if !taken(name) {
        return name.to_owned();
    }
    (2u64..)
        .map(|i| format!("{name}-{i}"))
        .find(|candidate| !taken(candidate))
        .unwrap_or_else(|| name.to_owned())
}

/// A set of names that hands out kfp-unique names (`name`, `name-2`,
/// `name-3`…) in constant time per name, however many share one base.
#[derive(Debug, Default, Clone)]
pub struct UniqueNames {
    taken: NameSet<CompactString>,
    /// For each base already asked for, the lowest index that may be free.
    /// Names are never released, so every index below it stays taken.
    next_index: NameMap<CompactString, u64>,
}

impl UniqueNames {
    /// An empty set.
    pub fn new() -> Self {
        Self::default()
    }

    /// An empty set with room for `n` names.
    pub fn with_capacity(n: usize) -> Self {
        UniqueNames {
            taken: NameSet::with_capacity_and_hasher(n, Default::default()),
            next_index: NameMap::default(),
        }
    }

    /// Whether `name` is taken.
    pub fn contains(&self, name: &str) -> bool {
        self.taken.contains(name)
    }

    /// Takes `name` as is (it may already be taken).
    pub fn insert(&mut self, name: impl Into<CompactString>) {
        self.taken.insert(name.into());
    }

    /// [`claim`](Self::claim) for a name already owned, which is returned
    /// as is when it is free.
    ///
    /// ```
    /// use kfp_compiler::naming::UniqueNames;
    ///
    /// let mut names = UniqueNames::new();
    /// assert_eq!(names.claim_owned("exec-add"), "exec-add");
    /// assert_eq!(names.claim_owned("exec-add"), "exec-add-2");
    /// ```
    pub fn claim_owned(&mut self, name: impl Into<CompactString>) -> CompactString {
        let name = name.into();
        if self.taken.contains(name.as_str()) {
            return self.claim(&name);
        }
        self.taken.insert(name.clone());
        name
    }

    /// Takes and returns the first free name of `name`, `name-2`,
    /// `name-3`… (kfp's `make_name_unique_by_adding_index(name, taken, '-')`).
    pub fn claim(&mut self, name: &str) -> CompactString {
        let unique = if !self.taken.contains(name) {
            CompactString::from(name)
        } else {
            let start = self.next_index.get(name).copied().unwrap_or(2);
            let (index, candidate) = (start..)
                .map(|i| (i, indexed(name, i)))
                .find(|(_, c)| !self.taken.contains(c))
                .unwrap_or_else(|| (start, indexed(name, start)));
            match self.next_index.get_mut(name) {
                Some(next) => *next = index + 1,
                None => {
                    self.next_index.insert(name.into(), index + 1);
                }
            }
            candidate
        };
        self.taken.insert(unique.clone());
        unique
    }
}

pub use kfp_ir_schema::naming::GroupType;
use kfp_ir_schema::naming::PIPELINE_CHANNEL as CHANNEL;

/// The input that carries pipeline input `name` into a group, or into a
/// task as a runtime setting or f-string part: `pipelinechannel--<name>`.
pub fn pipeline_input_channel(name: &str) -> CompactString {
    concat(&[CHANNEL, name])
}

/// The input or output that carries output `output` of task `task` across
/// a group boundary (or into a task as a runtime setting or f-string
/// part): `pipelinechannel--<task>-<output>`. `task` may be a group task
/// (`for-loop-2`) and `output` a channel itself, as kfp nests them.
pub fn task_output_channel(task: &str, output: &str) -> CompactString {
    concat(&[CHANNEL, task, "-", output])
}

/// The item input of a loop over a list fixed at compile time, numbered by
/// the group counter: `pipelinechannel--loop-item-param-<id>`.
pub fn loop_item_param(id: u64) -> CompactString {
    indexed(concat(&[CHANNEL, "loop-item-param"]).as_str(), id)
}

/// The item input of a loop over the list `items_channel` (a pipeline
/// input's or a task output's channel): `<items_channel>-loop-item`.
pub fn loop_item(items_channel: &str) -> CompactString {
    concat(&[items_channel, "-loop-item"])
}

/// kfp's selector of field `field` of a loop item that is an object:
/// `parseJson(string_value)["<field>"]`.
pub fn field_selector(field: &str) -> CompactString {
    concat(&["parseJson(string_value)[\"", field, "\"]"])
}

/// kfp's rule for the field names of loop items
/// (`LoopArgumentVariable.LEGAL_SUBVAR_NAME_REGEX`, `^[a-zA-Z_][0-9a-zA-Z_]*$`).
pub fn is_subvar_name(name: &str) -> bool {
    let mut bytes = name.bytes();
    bytes
        .next()
        .is_some_and(|b| b.is_ascii_alphabetic() || b == b'_')
        && bytes.all(|b| b.is_ascii_alphanumeric() || b == b'_')
}

/// The input that carries field `field` of loop item `item` (an object)
/// into a group: `<item>-subvar-<field>` (kfp's `LoopArgumentVariable`).
pub fn loop_item_subvar(item: &str, field: &str) -> CompactString {
    concat(&[item, "-subvar-", field])
}

/// The output of an If/Elif/Else chain's group `group` that holds its
/// `number`th OneOf: `pipelinechannel--<group>-oneof-<number>`.
pub fn one_of_output(group: &str, number: u64) -> CompactString {
    indexed(concat(&[CHANNEL, group, "-oneof"]).as_str(), number)
}

/// The key of a task's component, or of a group's: `comp-<name>`
/// (`sanitize_component_name`), before it is made unique.
pub fn component_key(name: &str) -> CompactString {
    concat(&["comp-", name])
}

/// The label of a task's executor: `exec-<task>` (`sanitize_executor_label`),
/// before it is made unique.
pub fn executor_label(task: &str) -> CompactString {
    concat(&["exec-", task])
}

/// A group's name, the key of its task: `<type>-<id>` (`for-loop-2`,
/// `condition-branches-1`), numbered by the pipeline's group counter.
pub fn group_name(kind: GroupType, id: u64) -> CompactString {
    indexed(kind.as_str(), id)
}

/// `parts` joined, allocated once at its final size (`format!` grows its
/// string as it writes).
pub(crate) fn concat(parts: &[&str]) -> CompactString {
    let mut out = CompactString::with_capacity(parts.iter().map(|p| p.len()).sum());
    for part in parts {
        out.push_str(part);
    }
    out
}

/// `name-index`, without the formatting machinery of `format!` (the
/// compiler makes one per task of a reused component).
fn indexed(name: &str, index: u64) -> CompactString {
    let mut digits = [0u8; 20];
    let mut at = digits.len();
    let mut n = index;
    loop {
        at -= 1;
        digits[at] = b'0' + (n % 10) as u8;
        n /= 10;
        if n == 0 {
            break;
        }
    }
    let mut out = CompactString::with_capacity(name.len() + 1 + digits.len() - at);
    out.push_str(name);
    out.push('-');
    out.extend(digits[at..].iter().map(|&d| char::from(d)));
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn function_names_become_kfp_component_names() {
        assert_eq!(
            component_name_from_function_name("add_numbers"),
            "add-numbers"
        );
        assert_eq!(component_name_from_function_name("print_op1"), "print-op1");
        assert_eq!(component_name_from_function_name("__a__b_"), "a-b");
        assert_eq!(
            component_name_from_function_name("Train2Model"),
            "train2model"
        );
        assert_eq!(
            python_function_name_to_component_name("add__numbers"),
            "Add numbers"
        );
        assert_eq!(
            maybe_rename_for_k8s("--My Pipeline!!--v2"),
            "my-pipeline-v2"
        );
        assert_eq!(maybe_rename_for_k8s(""), "");
    }

    #[test]
    fn indexed_names_are_written_as_format_writes_them() {
        for i in [0, 2, 9, 10, 99, 100, 12_345, u64::MAX] {
            assert_eq!(indexed("step", i), format!("step-{i}"));
        }
    }

    #[test]
    fn kfp_names_of_components_groups_and_channels() {
        assert_eq!(component_key("add"), "comp-add");
        assert_eq!(executor_label("add-2"), "exec-add-2");
        assert_eq!(group_name(GroupType::ForLoop, 2), "for-loop-2");
        assert_eq!(
            group_name(GroupType::ConditionBranches, 1),
            "condition-branches-1"
        );
        assert_eq!(group_name(GroupType::ExitHandler, 10), "exit-handler-10");
        assert_eq!(pipeline_input_channel("xs"), "pipelinechannel--xs");
        assert_eq!(
            task_output_channel("t", "Output"),
            "pipelinechannel--t-Output"
        );
        assert_eq!(loop_item_param(3), "pipelinechannel--loop-item-param-3");
        assert_eq!(
            loop_item(&pipeline_input_channel("xs")),
            "pipelinechannel--xs-loop-item"
        );
        assert_eq!(
            one_of_output("condition-branches-1", 2),
            "pipelinechannel--condition-branches-1-oneof-2"
        );
    }

    #[test]
    fn unique_names_take_the_first_free_index() {
        let taken = ["a", "a-2"];
        assert_eq!(make_name_unique("a", |n| taken.contains(&n)), "a-3");
        assert_eq!(make_name_unique("b", |n| taken.contains(&n)), "b");

        let mut names = UniqueNames::new();
        names.insert("x-3");
        assert_eq!(names.claim("x"), "x");
        assert_eq!(names.claim("x"), "x-2");
        assert_eq!(names.claim("x"), "x-4");
        assert_eq!(names.claim("x-2"), "x-2-2");
        assert_eq!(names.claim("x"), "x-5");
    }
}
