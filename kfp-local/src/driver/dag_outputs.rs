//! A DAG's outputs, taken from its tasks once they have ended (the DAG
//! driver's `parameter_producer_task`/`artifact_producer_task`), and a
//! loop's outputs, collected over its iterations (`dsl.Collected`).
//!
//! A loop collects one item per iteration, so a value collected out of two
//! nested loops is a list of lists, the `List[List[int]]` kfp types it as
//! (and kfp.local gives). The KFP backend flattens such a value into one
//! list (`CollectInputs`), which the component then refuses; kfp-rs
//! deliberately keeps the nesting the SDK declares.
//!
//! An output whose producer did not run (a branch not taken) is left out:
//! a task that reads it fails naming it, and an unused one costs nothing.
//! A `OneOf` takes the first of its producers that has the output.

use kfp_ir_schema::{DagOutputParameterSpec, DagSpec};

use super::Values;
use super::resolve::UpstreamTasks;

/// The outputs of a DAG whose tasks have all ended.
pub fn dag_outputs(dag: &DagSpec, tasks: &dyn UpstreamTasks) -> Values {
    let mut values = Values::default();
    let Some(outputs) = dag.outputs.as_ref() else {
        return values;
    };
    for (name, spec) in outputs.parameters.iter() {
        let selectors = match spec {
            DagOutputParameterSpec::ValueFromParameter(s) => std::slice::from_ref(s),
            DagOutputParameterSpec::ValueFromOneof(s) => s.parameter_selectors.as_slice(),
        };
        for selector in selectors {
            let Some(task) = tasks.get(&selector.producer_subtask) else {
                continue;
            };
            let key = selector.output_parameter_key.as_str();
            if let Some(value) = task.outputs.parameters.get(key) {
                values.parameters.insert(name.to_string(), value.clone());
                break;
            }
        }
    }
    for (name, spec) in outputs.artifacts.iter() {
        for selector in &spec.artifact_selectors {
            let found = tasks.get(&selector.producer_subtask).and_then(|t| {
                t.outputs
                    .artifacts
                    .get(selector.output_artifact_key.as_str())
            });
            if let Some(list) = found {
                values.artifacts.insert(name.to_string(), list.clone());
                break;
            }
        }
    }
    values
}

/// A loop's outputs: each output of its iterations, in iteration order, as
/// one list (an iteration that did not produce it adds nothing; one whose
/// value is itself collected adds that list as one item).
pub fn collect_iterations<'a>(iterations: impl IntoIterator<Item = &'a Values>) -> Values {
    let mut values = Values::default();
    for outputs in iterations {
        for (name, value) in &outputs.parameters {
            let entry = values
                .parameters
                .entry(name.clone())
                .or_insert_with(|| serde_json::Value::Array(Vec::new()));
            let serde_json::Value::Array(list) = entry else {
                unreachable!("collected outputs are lists")
            };
            list.push(value.clone());
        }
        for (name, list) in &outputs.artifacts {
            values
                .artifacts
                .entry(name.clone())
                .or_default()
                .extend(list.iter().cloned());
        }
    }
    values
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;

    use kfp_ir_schema::executor::RuntimeArtifact;
    use serde_json::json;

    use super::*;
    use crate::state::TaskState;

    fn dag() -> DagSpec {
        serde_json::from_value(json!({
            "outputs": {
                "parameters": {
                    "one": {"valueFromParameter": {"producerSubtask": "a", "outputParameterKey": "Output"}},
                    "either": {"valueFromOneof": {"parameterSelectors": [
                        {"producerSubtask": "b", "outputParameterKey": "Output"},
                        {"producerSubtask": "c", "outputParameterKey": "Output"}
                    ]}},
                    "none": {"valueFromParameter": {"producerSubtask": "b", "outputParameterKey": "Output"}}
                },
                "artifacts": {"m": {"artifactSelectors": [
                    {"producerSubtask": "b", "outputArtifactKey": "m"},
                    {"producerSubtask": "c", "outputArtifactKey": "m"}
                ]}}
            }
        }))
        .unwrap()
    }

    #[test]
    fn outputs_come_from_the_tasks_that_produced_them() {
        let mut c = Values::default();
        c.parameters.insert("Output".into(), json!("from c"));
        c.artifacts
            .insert("m".into(), vec![RuntimeArtifact::default()]);
        let mut a = Values::default();
        a.parameters.insert("Output".into(), json!([1, 2]));
        let tasks = BTreeMap::from([
            ("a".to_owned(), (TaskState::Succeeded, a)),
            ("b".to_owned(), (TaskState::Skipped, Values::default())),
            ("c".to_owned(), (TaskState::Succeeded, c)),
        ]);
        let got = dag_outputs(&dag(), &tasks);
        assert_eq!(got.parameters["one"], json!([1, 2]));
        assert_eq!(got.parameters["either"], json!("from c"));
        assert!(!got.parameters.contains_key("none"));
        assert_eq!(got.artifacts["m"].len(), 1);
    }

    #[test]
    fn loops_collect_one_item_per_iteration_and_keep_inner_lists() {
        let iteration = |v: serde_json::Value| {
            let mut values = Values::default();
            values.parameters.insert("x".into(), v);
            values
                .artifacts
                .insert("d".into(), vec![RuntimeArtifact::default()]);
            values
        };
        let flat = collect_iterations(&[iteration(json!(1)), iteration(json!(2))]);
        assert_eq!(flat.parameters["x"], json!([1, 2]));
        assert_eq!(flat.artifacts["d"].len(), 2);
        // What an inner loop collected stays one item: a list of lists.
        let nested = collect_iterations(&[iteration(json!([1, 2])), iteration(json!([3]))]);
        assert_eq!(nested.parameters["x"], json!([[1, 2], [3]]));
        assert!(collect_iterations(&[]).parameters.is_empty());
    }
}
