//! Conditions: the trigger of a `condition-N` group and the values its
//! comparisons read.
//!
//! As kfp does, a value a condition compares is given to the condition's
//! group *and* to every group between it and each task inside it (kfp's
//! `get_condition_channels_for_tasks`): a task in nested conditions sees the
//! operands of all of them. A branch of an If/Elif/Else chain runs when its
//! own comparison holds and none of the earlier branches' does, so its
//! trigger is `!(earlier) && … && own`, and an `Else` only the negations.

use kfp_ir_schema::{self as ir, CompactString};
use serde_json::Value;

use super::{Router, branches_of};
use crate::error::CompileError;
use crate::graph::{
    Binding, Comparison, Condition, GroupId, GroupKind, OutputRef, ParallelFor, ParameterType,
};
use crate::naming;
use crate::to_ir;

/// A non-constant operand: the input it becomes and where it comes from.
struct Channel {
    /// `pipelinechannel--…`.
    name: CompactString,
    kind: ParameterType,
    /// The scope where the value exists (punched in from there).
    from: Option<GroupId>,
    /// How the outermost group task reads it.
    source: ir::InputParameterKind,
    /// The producing task, for a task output.
    producer: Option<CompactString>,
    /// For a field of a loop item (the channel is then the item): the field
    /// compared, which the condition's group selects into an input of its
    /// own (kfp's `LoopArgumentVariable`); the tasks inside it get the
    /// item.
    field: Option<CompactString>,
}

/// An operand as the condition reads it.
enum Operand {
    /// A constant, written into the CEL text.
    Constant(String),
    Channel(Channel),
}

impl Router<'_> {
    /// The comparisons the trigger of `group` ANDs, each with whether it
    /// is negated: its own, after the negated comparisons of the branches
    /// before it in its chain. Empty for groups that are not conditions.
    pub(super) fn conditions(&self, group: GroupId) -> Vec<(&Condition, bool)> {
        let groups = &self.pipeline().groups;
        let own = match &groups[group.0].kind {
            GroupKind::Condition(c) => Some(c),
            GroupKind::Else => None,
            _ => return Vec::new(),
        };
        let mut conditions = Vec::new();
        if let Some(parent) = self.scopes.parent(group)
            && groups[parent.0].kind == GroupKind::ConditionBranches
        {
            for branch in branches_of(self.pipeline(), parent) {
                if branch == group {
                    break;
                }
                if let GroupKind::Condition(c) = &groups[branch.0].kind {
                    conditions.push((c, true));
                }
            }
        }
        conditions.extend(own.map(|c| (c, false)));
        conditions
    }

    /// Sets the trigger of condition `group` and gives it the values its
    /// comparisons read.
    pub(super) fn open_condition(&mut self, group: GroupId) -> Result<(), CompileError> {
        let conditions: Vec<(Condition, bool)> = self
            .conditions(group)
            .into_iter()
            .map(|(c, negated)| (c.clone(), negated))
            .collect();
        let mut parts = Vec::with_capacity(conditions.len());
        for (condition, negated) in &conditions {
            let left = self.operand(group, &condition.left)?;
            let right = self.operand(group, &condition.right)?;
            let mut sides = Vec::with_capacity(2);
            for operand in [left, right] {
                sides.push(match operand {
                    Operand::Constant(text) => (text, None),
                    Operand::Channel(channel) => match channel.field.clone() {
                        Some(field) => {
                            let subvar = self.select_field(group, channel, &field);
                            let text = format!("inputs.parameter_values['{subvar}']");
                            (text, Some(ParameterType::String))
                        }
                        None => {
                            let text = format!("inputs.parameter_values['{}']", channel.name);
                            let kind = channel.kind;
                            self.punch_channel(Some(group), channel);
                            (text, Some(kind))
                        }
                    },
                });
            }
            let right = sides.pop().unwrap_or_default();
            let left = sides.pop().unwrap_or_default();
            let cel = cel_condition(left, condition.op, right);
            parts.push(if *negated { format!("!({cel})") } else { cel });
        }
        self.groups[group.0].task.trigger_policy = Some(ir::TriggerPolicy {
            condition: parts.join(" && ").into(),
            strategy: Default::default(),
        });
        Ok(())
    }

    /// Gives a task in `scope` the values compared by every condition it
    /// runs in, through every group on the way (as kfp does).
    pub(super) fn punch_conditions(&mut self, scope: Option<GroupId>) -> Result<(), CompileError> {
        for group in self.scopes.path(scope, None) {
            let operands: Vec<Binding> = self
                .conditions(group)
                .into_iter()
                .flat_map(|(c, _)| [c.left.clone(), c.right.clone()])
                .collect();
            for operand in &operands {
                if let Operand::Channel(channel) = self.operand(group, operand)? {
                    self.punch_channel(scope, channel);
                }
            }
        }
        Ok(())
    }

    /// Declares `channel` on the groups from `inner` out to where the value
    /// exists; the group task there depends on its producer.
    fn punch_channel(&mut self, inner: Option<GroupId>, channel: Channel) {
        if let Some(producer) = &channel.producer {
            self.depend(inner, producer);
        }
        self.punch_parameter(
            inner,
            channel.from,
            &channel.name,
            to_ir::parameter_type(channel.kind),
            channel.source,
        );
    }

    /// Gives condition `group` field `field` of the loop item `item` (punched
    /// in up to the group's parent) as its input `<item>-subvar-<field>`,
    /// selected by the group task, as kfp gives a condition on `item.field`;
    /// returns the input's name. kfp types it by the value type of the
    /// item's dict, which a Rust item does not carry: it is `STRING`, as kfp
    /// types the field of an item of a bare `list`.
    fn select_field(&mut self, group: GroupId, item: Channel, field: &str) -> CompactString {
        let subvar = naming::loop_item_subvar(&item.name, field);
        let parent = self.scopes.parent(group);
        self.punch_parameter(
            parent,
            item.from,
            &item.name,
            to_ir::parameter_type(item.kind),
            item.source,
        );
        self.groups[group.0].inputs.parameters.insert(
            subvar.clone(),
            to_ir::input_parameter(ir::ParameterType::String),
        );
        super::task_inputs(&mut self.groups[group.0].task)
            .parameters
            .insert(
                subvar.clone(),
                ir::InputParameterSpec {
                    kind: Some(ir::InputParameterKind::ComponentInputParameter(
                        item.name.clone(),
                    )),
                    parameter_expression_selector: naming::field_selector(field),
                },
            );
        subvar
    }

    /// One operand of a comparison of condition `group`, checked: a
    /// constant as CEL, or the value it reads and where from.
    fn operand(&self, group: GroupId, operand: &Binding) -> Result<Operand, CompileError> {
        let parent = self.scopes.parent(group);
        let bad = |reason: String| CompileError::Component {
            component: self.pipeline().name.clone(),
            reason: format!("the condition of `{}`: {reason}", self.scopes.name(group)),
        };
        let channel = match operand {
            Binding::Constant(v) => {
                return cel_constant(v)
                    .map(Operand::Constant)
                    .ok_or_else(|| bad(format!("the constant {v} cannot be compared")));
            }
            Binding::PipelineParameter(name) => {
                let declared = self
                    .pipeline()
                    .inputs
                    .iter()
                    .find(|p| p.name == *name)
                    .ok_or_else(|| bad(format!("the pipeline has no input `{name}`")))?;
                Channel {
                    name: naming::pipeline_input_channel(name),
                    kind: declared.kind,
                    from: None,
                    source: ir::InputParameterKind::ComponentInputParameter(name.clone()),
                    producer: None,
                    field: None,
                }
            }
            Binding::LoopItem(g) | Binding::LoopItemField { group: g, .. } => {
                let Some(GroupKind::ParallelFor(p)) =
                    self.pipeline().get_group(*g).map(|g| &g.kind)
                else {
                    return Err(bad(format!("group #{} is not a loop", g.0)));
                };
                let Some(item_kind) = p.item_kind.parameter() else {
                    return Err(bad(format!(
                        "the items of `{}` are artifacts, which cannot be compared",
                        self.scopes.name(*g)
                    )));
                };
                if !self.scopes.contains(Some(*g), parent) {
                    return Err(bad(format!(
                        "it reads the item of `{}` outside that loop",
                        self.scopes.name(*g)
                    )));
                }
                let item = CompactString::from(self.scopes.item(*g));
                let field = match operand {
                    Binding::LoopItemField { field, .. } => Some(field.clone()),
                    _ => None,
                };
                if let Some(field) = &field {
                    if !ParallelFor::items_have_fields(item_kind) {
                        return Err(bad(format!(
                            "it compares field `{field}` of the item of `{}`, whose items are \
                             {item_kind:?}, not objects (STRUCT)",
                            self.scopes.name(*g),
                        )));
                    }
                    if !naming::is_subvar_name(field) {
                        return Err(bad(format!(
                            "kfp allows field names `^[a-zA-Z_][0-9a-zA-Z_]*$` only, not \
                             `{field}`"
                        )));
                    }
                }
                // A field is selected by the condition's group; what is
                // punched in, and given to the tasks inside, is the item.
                Channel {
                    name: item.clone(),
                    kind: item_kind,
                    from: Some(*g),
                    source: ir::InputParameterKind::ComponentInputParameter(item),
                    producer: None,
                    field,
                }
            }
            Binding::TaskOutputParameter { task, output } => {
                let producer = self
                    .names
                    .get(task.0)
                    .ok_or_else(|| bad(format!("task #{} is not in the pipeline", task.0)))?
                    .clone();
                let Some(OutputRef::Parameter(out)) = self.pipeline().task_output(*task, output)
                else {
                    return Err(bad(format!(
                        "task `{producer}` has no output parameter `{output}`"
                    )));
                };
                let from = self.pipeline().tasks[task.0].group;
                if !self.scopes.contains(from, parent) {
                    return Err(bad(format!(
                        "task `{producer}` runs in a group the condition is not in"
                    )));
                }
                Channel {
                    name: naming::task_output_channel(&producer, output),
                    kind: out.kind,
                    from,
                    source: ir::InputParameterKind::TaskOutputParameter(
                        ir::TaskOutputParameterSpec {
                            producer_task: producer.clone(),
                            output_parameter_key: output.clone(),
                        },
                    ),
                    producer: Some(producer),
                    field: None,
                }
            }
            other => return Err(bad(format!("{other:?} cannot be compared"))),
        };
        if channel.field.is_none()
            && matches!(
                channel.kind,
                ParameterType::List | ParameterType::Struct | ParameterType::TaskFinalStatus
            )
        {
            return Err(bad(format!(
                "`{}` is a {:?}, which cannot be compared",
                channel.name, channel.kind
            )));
        }
        Ok(Operand::Channel(channel))
    }
}

/// A constant operand as kfp writes it in CEL: strings in single quotes,
/// booleans `true`/`false`, numbers as Python prints them.
fn cel_constant(value: &Value) -> Option<String> {
    match value {
        Value::String(s) => Some(format!("'{s}'")),
        Value::Bool(b) => Some(b.to_string()),
        Value::Number(n) => Some(n.to_string()),
        _ => None,
    }
}

/// kfp's `_single_binary_operation_to_cel_condition`: integer inputs are
/// wrapped in `int(...)`, or `double(...)` when compared with a double.
fn cel_condition(
    left: (String, Option<ParameterType>),
    op: Comparison,
    right: (String, Option<ParameterType>),
) -> String {
    let doubles = [left.1, right.1].contains(&Some(ParameterType::Double));
    let wrap = |(text, kind): (String, Option<ParameterType>)| match kind {
        Some(ParameterType::Integer) if doubles => format!("double({text})"),
        Some(ParameterType::Integer) => format!("int({text})"),
        Some(ParameterType::Double) => format!("double({text})"),
        _ => text,
    };
    format!("{} {} {}", wrap(left), op.as_str(), wrap(right))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn integers_are_cast_and_promoted_to_doubles() {
        let channel = |kind| ("x".to_owned(), Some(kind));
        assert_eq!(
            cel_condition(
                channel(ParameterType::Integer),
                Comparison::Ge,
                ("2".into(), None)
            ),
            "int(x) >= 2"
        );
        assert_eq!(
            cel_condition(
                channel(ParameterType::Integer),
                Comparison::Lt,
                channel(ParameterType::Double)
            ),
            "double(x) < double(x)"
        );
        assert_eq!(
            cel_condition(
                channel(ParameterType::String),
                Comparison::Eq,
                ("'a'".into(), None)
            ),
            "x == 'a'"
        );
        assert_eq!(
            cel_constant(&serde_json::json!(true)).as_deref(),
            Some("true")
        );
        assert_eq!(cel_constant(&serde_json::json!([1])), None);
    }
}
