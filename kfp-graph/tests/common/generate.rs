//! Pipeline specs made up for tests and benchmarks: chains, wide fan-outs,
//! and random DAGs whose tasks sit in groups, with values passed into and
//! out of the groups as kfp passes them (`pipelinechannel--` inputs, DAG
//! outputs).

#![allow(dead_code)]

use kfp_ir_schema::PipelineSpec;
use serde_json::{Map, Value, json};

/// A task to generate: the tasks it reads an output of (by index, each an
/// artifact or a parameter) and the group it sits in (`None`: the root).
pub struct Task {
    pub reads: Vec<(usize, bool)>,
    pub group: Option<usize>,
}

/// A chain of `n` tasks, each reading the one before.
pub fn chain(n: usize) -> PipelineSpec {
    let tasks: Vec<Task> = (0..n)
        .map(|i| Task {
            reads: if i == 0 { vec![] } else { vec![(i - 1, false)] },
            group: None,
        })
        .collect();
    spec("chain", &tasks, 0)
}

/// One task, `n` tasks that read it (as a loop's iterations would), `n`
/// tasks that each read one of those, and one task that reads them all.
pub fn wide(n: usize) -> PipelineSpec {
    let mut tasks = vec![Task {
        reads: vec![],
        group: None,
    }];
    tasks.extend((0..n).map(|_| Task {
        reads: vec![(0, true)],
        group: None,
    }));
    tasks.extend((0..n).map(|i| Task {
        reads: vec![(1 + i, false)],
        group: None,
    }));
    tasks.push(Task {
        reads: (0..n).map(|i| (1 + n + i, true)).collect(),
        group: None,
    });
    spec("wide", &tasks, 0)
}

/// `n` tasks, each reading up to three earlier tasks, in runs that sit
/// in the root DAG or in one of `groups` groups, chosen by a generator
/// seeded with `seed`. Each group holds one run of consecutive tasks, so
/// the groups depend on each other without cycles, as in a valid spec.
pub fn random(seed: u64, n: usize, groups: usize) -> PipelineSpec {
    let mut state = seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1;
    let mut next = move |below: usize| {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        (state % below.max(1) as u64) as usize
    };
    let mut group = None;
    let mut used = 0;
    let tasks: Vec<Task> = (0..n)
        .map(|i| {
            let reads = if i == 0 {
                vec![]
            } else {
                (0..next(4)).map(|_| (next(i), next(2) == 0)).collect()
            };
            if next(4) == 0 {
                group = if used < groups && next(2) == 0 {
                    used += 1;
                    Some(used - 1)
                } else {
                    None
                };
            }
            Task { reads, group }
        })
        .collect();
    spec(&format!("random-{seed}"), &tasks, groups)
}

fn task_name(i: usize) -> String {
    format!("task-{i}")
}

fn group_name(g: usize) -> String {
    format!("for-loop-{}", g + 1)
}

fn channel(producer: usize) -> String {
    format!("pipelinechannel--{}-out", task_name(producer))
}

/// The spec of `tasks` in `groups` loops (over `[1, 2]`) of the root DAG.
pub fn spec(name: &str, tasks: &[Task], groups: usize) -> PipelineSpec {
    let mut components = Map::new();
    let mut executors = Map::new();
    let mut dags: Vec<Map<String, Value>> = vec![Map::new(); groups + 1];
    let mut group_inputs: Vec<Map<String, Value>> = vec![Map::new(); groups];
    let mut group_outputs: Vec<(Map<String, Value>, Map<String, Value>)> =
        vec![(Map::new(), Map::new()); groups];
    let dag_of = |t: &Task| t.group.map_or(0, |g| g + 1);
    for (i, task) in tasks.iter().enumerate() {
        let name = task_name(i);
        let (mut parameters, mut artifacts) = (Map::new(), Map::new());
        for (k, &(producer, artifact)) in task.reads.iter().enumerate() {
            let key = if artifact { "data" } else { "value" };
            let from = &tasks[producer];
            let source = if from.group == task.group {
                producer_json(&task_name(producer), key, artifact)
            } else {
                // Out of the producer's group, if any, then into the reader's.
                let (outer, outer_key) = match from.group {
                    None => (task_name(producer), key.to_owned()),
                    Some(g) => {
                        let selector = if artifact {
                            json!({"artifactSelectors": [{"producerSubtask": task_name(producer), "outputArtifactKey": key}]})
                        } else {
                            json!({"valueFromParameter": {"producerSubtask": task_name(producer), "outputParameterKey": key}})
                        };
                        let outputs = &mut group_outputs[g];
                        if artifact {
                            &mut outputs.0
                        } else {
                            &mut outputs.1
                        }
                        .insert(channel(producer), selector);
                        (group_name(g), channel(producer))
                    }
                };
                match task.group {
                    None => producer_json(&outer, &outer_key, artifact),
                    Some(g) => {
                        let into = producer_json(&outer, &outer_key, artifact);
                        group_inputs[g].insert(format!("{}|{artifact}", channel(producer)), into);
                        let field = if artifact {
                            "componentInputArtifact"
                        } else {
                            "componentInputParameter"
                        };
                        json!({field: channel(producer)})
                    }
                }
            };
            let input = format!("in-{k}");
            if artifact {
                artifacts.insert(input, source)
            } else {
                parameters.insert(input, source)
            };
        }
        dags[dag_of(task)].insert(
            name.clone(),
            json!({
                "taskInfo": {"name": name},
                "componentRef": {"name": format!("comp-{name}")},
                "inputs": {"parameters": parameters, "artifacts": artifacts},
            }),
        );
        components.insert(
            format!("comp-{name}"),
            json!({"executorLabel": format!("exec-{name}")}),
        );
        executors.insert(
            format!("exec-{name}"),
            json!({"container": {"image": "python:3.12"}}),
        );
    }
    for g in 0..groups {
        let (mut parameters, mut artifacts) = (Map::new(), Map::new());
        for (key, value) in &group_inputs[g] {
            let (channel, artifact) = key.split_once('|').unwrap();
            if artifact == "true" {
                &mut artifacts
            } else {
                &mut parameters
            }
            .insert(channel.to_owned(), value.clone());
        }
        let (out_artifacts, out_parameters) = group_outputs[g].clone();
        components.insert(
            format!("comp-{}", group_name(g)),
            json!({"dag": {
                "tasks": dags[g + 1],
                "outputs": {"artifacts": out_artifacts, "parameters": out_parameters},
            }}),
        );
        dags[0].insert(
            group_name(g),
            json!({
                "taskInfo": {"name": group_name(g)},
                "componentRef": {"name": format!("comp-{}", group_name(g))},
                "inputs": {"parameters": parameters, "artifacts": artifacts},
                "parameterIterator": {"items": {"raw": "[1, 2]"}, "itemInput": format!("pipelinechannel--loop-item-param-{g}")},
            }),
        );
    }
    serde_json::from_value(json!({
        "pipelineInfo": {"name": name},
        "root": {"dag": {"tasks": dags[0]}},
        "components": components,
        "deploymentSpec": {"executors": executors},
        "schemaVersion": "2.1.0",
        "sdkVersion": "kfp-rs-test",
    }))
    .expect("a generated spec reads")
}

fn producer_json(task: &str, key: &str, artifact: bool) -> Value {
    if artifact {
        json!({"taskOutputArtifact": {"producerTask": task, "outputArtifactKey": key}})
    } else {
        json!({"taskOutputParameter": {"producerTask": task, "outputParameterKey": key}})
    }
}
