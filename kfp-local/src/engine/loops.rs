//! Loops (`dsl.ParallelFor`): the driver counts the items (a literal list,
//! or an input holding a list or its JSON text; or, for an
//! `artifactIterator`, the artifacts of an input list of artifacts), then
//! each iteration runs the loop's component with its item, up to
//! `parallelismLimit` at once. The loop's outputs are its iterations'
//! outputs collected in order.
//!
//! The KFP backend's driver does not implement `artifactIterator` (it
//! fails the task, "ArtifactIterator is not implemented"); the runner does
//! what kfp's own local runner (`kfp.local`) does: iteration `i` gets the
//! `i`-th artifact of the list as its item input.

use serde_json::Value;

use super::{Body, Engine, LoopItems, NodeId, Work};
use crate::driver::dag_outputs;
use crate::state::TaskState;
use crate::store::StoreError;

impl Engine<'_, '_, '_> {
    /// Reads a looped task's items, then lets [`Self::advance_loop`] start
    /// its iterations.
    pub(super) fn start_loop(&mut self, id: NodeId) -> Result<(), StoreError> {
        let items = match self.items(id) {
            Ok(items) => items,
            Err(message) => return self.fail(id, message),
        };
        if let Body::Loop { items: slot, .. } = &mut self.nodes[id].body {
            *slot = items;
        }
        self.set_running(id)?;
        self.work.push_back(Work::Advance(id));
        Ok(())
    }

    /// The items of loop `id`, as the DAG driver reads them (`getItems`),
    /// or the artifacts of the list an artifact loop iterates over.
    fn items(&self, id: NodeId) -> Result<LoopItems, String> {
        let node = &self.nodes[id];
        let iterator = match node.task.and_then(|t| t.iterator.as_ref()) {
            Some(kfp_ir_schema::TaskIterator::ParameterIterator(iterator)) => iterator,
            Some(kfp_ir_schema::TaskIterator::ArtifactIterator(iterator)) => {
                let Some(items) = &iterator.items else {
                    return Err("its iterator names no items".into());
                };
                let name = items.input_artifact.as_str();
                return node
                    .inputs
                    .artifacts
                    .get(name)
                    .cloned()
                    .map(LoopItems::Artifacts)
                    .ok_or_else(|| {
                        format!("it loops over input artifact `{name}`, which has none")
                    });
            }
            None => unreachable!("a loop has an iterator"),
        };
        let (value, from) = match &iterator.items {
            Some(kfp_ir_schema::ParameterItemsSpec::Raw(raw)) => {
                let value = serde_json::from_str(raw)
                    .map_err(|e| format!("its raw items `{raw}` are not JSON: {e}"))?;
                (value, "its raw items".to_owned())
            }
            Some(kfp_ir_schema::ParameterItemsSpec::InputParameter(name)) => {
                let value = node
                    .inputs
                    .parameters
                    .get(name.as_str())
                    .cloned()
                    .ok_or_else(|| format!("it loops over input `{name}`, which has no value"))?;
                (value, format!("input `{name}`"))
            }
            None => return Err("its iterator names no items".into()),
        };
        match value {
            Value::Array(items) => Ok(LoopItems::Parameters(items)),
            Value::String(text) => match serde_json::from_str(&text) {
                Ok(Value::Array(items)) => Ok(LoopItems::Parameters(items)),
                _ => Err(format!(
                    "{from} is the string {text:?}, which is not a JSON list"
                )),
            },
            other => Err(format!(
                "{from} is {}, which cannot be iterated",
                kfp_ir_schema::parameter::describe_value(&other)
            )),
        }
    }

    /// Starts iterations while the loop's limit and the run allow, and ends
    /// the loop once every iteration has ended.
    pub(super) fn advance_loop(&mut self, id: NodeId) -> Result<(), StoreError> {
        if self.nodes[id].state.is_final() {
            return Ok(());
        }
        loop {
            let Body::Loop {
                items,
                limit,
                children,
                ..
            } = &self.nodes[id].body
            else {
                unreachable!("advance_loop on a loop")
            };
            let running = children
                .iter()
                .filter(|&&c| !self.nodes[c].state.is_final())
                .count();
            let next = children.len();
            let room = *limit == 0 || running < *limit;
            if next >= items.count() || !room || self.canceled || self.held_by_failure(id).is_some()
            {
                break;
            }
            self.start_iteration(id, next)?;
        }
        let Body::Loop {
            items, children, ..
        } = &self.nodes[id].body
        else {
            unreachable!()
        };
        if children.iter().any(|&c| !self.nodes[c].state.is_final()) {
            return Ok(());
        }
        let mut outputs =
            dag_outputs::collect_iterations(children.iter().map(|&c| &self.nodes[c].outputs));
        // Every declared output is a list, empty when no iteration gave it
        // (a loop over no items), as the backend collects them.
        if let Some(declared) = self.nodes[id].component.output_definitions.as_ref() {
            for name in declared.parameters.keys() {
                outputs
                    .parameters
                    .entry(name.to_string())
                    .or_insert_with(|| Value::Array(Vec::new()));
            }
            for name in declared.artifacts.keys() {
                outputs.artifacts.entry(name.to_string()).or_default();
            }
        }
        let failed = children.iter().position(|&c| self.nodes[c].failed());
        let (state, message) = if self.canceled {
            (TaskState::Canceled, Some("the run was canceled".to_owned()))
        } else if let Some(i) = failed {
            (
                TaskState::Failed,
                Some(format!("iteration {i} did not succeed")),
            )
        } else if children.len() < items.count() {
            let why = self.held_by_failure(id).unwrap_or_default().to_owned();
            (
                TaskState::Failed,
                Some(format!(
                    "{} of {} iterations not started: {why}",
                    items.count() - children.len(),
                    items.count()
                )),
            )
        } else {
            (TaskState::Succeeded, None)
        };
        self.finish(id, state, message, outputs)
    }

    /// Starts iteration `index` of loop `id`: the loop's component, with
    /// the loop's inputs and the item.
    fn start_iteration(&mut self, id: NodeId, index: usize) -> Result<(), StoreError> {
        let node = &self.nodes[id];
        let Body::Loop {
            items,
            item_input,
            items_input,
            ..
        } = &node.body
        else {
            unreachable!()
        };
        // As the driver does, an iteration gets its item in place of the
        // list.
        let mut inputs = node.inputs.clone();
        match items {
            LoopItems::Parameters(items) => {
                if let Some(items_input) = items_input {
                    inputs.parameters.remove(*items_input);
                }
                inputs
                    .parameters
                    .insert((*item_input).to_owned(), items[index].clone());
            }
            LoopItems::Artifacts(items) => {
                if let Some(items_input) = items_input {
                    inputs.artifacts.remove(*items_input);
                }
                inputs
                    .artifacts
                    .insert((*item_input).to_owned(), vec![items[index].clone()]);
            }
        }
        let (task, component_name, component) = (
            node.task.expect("a loop has a task"),
            node.component_name,
            node.component,
        );
        let path = node.path.iteration(index);
        let display = format!("{} #{index}", node.display_name);
        let task_name = node.task_name.clone();
        let body = self.body(task, component, true);
        let child = self.add_node(
            id,
            path,
            &task_name,
            &display,
            Some(task),
            component_name,
            component,
            body,
        )?;
        if let Body::Loop { children, .. } = &mut self.nodes[id].body {
            children.push(child);
        }
        self.store.set_task_inputs(
            self.nodes[child].store_id.expect("an iteration has a row"),
            &inputs,
        )?;
        self.nodes[child].inputs = inputs;
        self.launch(child)
    }
}
