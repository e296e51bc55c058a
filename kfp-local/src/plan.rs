//! The checks made before a run starts: what the runner cannot do is
//! refused before any task runs, naming the construct and where it is; what
//! it does differently from a cluster (Kubernetes settings) is reported.

use kfp_ir_schema::{
    ComponentImplementation, ComponentSpec, ExecutorSpec, PipelineSpec, PlatformSpec,
};

/// Something in the pipeline the local runner cannot run.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("{pointer}: {message}")]
pub struct Unsupported {
    /// Where it is, as a JSON pointer into the pipeline spec.
    pub pointer: String,
    /// What it is and why.
    pub message: String,
}

/// What a run will do differently from a cluster.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Note(pub String);

/// Checks every component the root reaches; returns the notes, or every
/// unsupported construct.
///
/// # Errors
/// The constructs the runner cannot run.
pub fn check(
    spec: &PipelineSpec,
    platform: Option<&PlatformSpec>,
) -> Result<Vec<Note>, Vec<Unsupported>> {
    let mut problems = Vec::new();
    let mut notes = Vec::new();
    let mut seen = std::collections::BTreeSet::new();
    let mut stack: Vec<(String, &ComponentSpec)> = spec
        .root
        .iter()
        .map(|root| ("/root".to_owned(), root))
        .collect();
    if stack.is_empty() {
        problems.push(Unsupported {
            pointer: "/root".into(),
            message: "the pipeline has no root component".into(),
        });
    }
    while let Some((at, component)) = stack.pop() {
        match &component.implementation {
            Some(ComponentImplementation::Dag(dag)) => {
                for (name, task) in dag.tasks.iter() {
                    let here = format!("{at}/dag/tasks/{}", escape(name));
                    let reference = task
                        .component_ref
                        .as_ref()
                        .map(|r| r.name.as_str())
                        .unwrap_or_default();
                    match spec.components.get(reference) {
                        Some(child) if seen.insert(reference.to_owned()) => {
                            stack.push((format!("/components/{}", escape(reference)), child));
                        }
                        Some(_) => {}
                        None => problems.push(Unsupported {
                            pointer: format!("{here}/componentRef/name"),
                            message: format!("task `{name}` runs component `{reference}`, which the file does not define"),
                        }),
                    }
                    if task.retry_policy.is_some()
                        && matches!(
                            spec.components
                                .get(reference)
                                .and_then(|c| c.implementation.as_ref()),
                            Some(ComponentImplementation::Dag(_))
                        )
                    {
                        notes.push(Note(format!(
                            "task `{name}` has a retry policy on a sub-DAG; locally only the container tasks inside it are retried"
                        )));
                    }
                }
            }
            Some(ComponentImplementation::ExecutorLabel(label)) => {
                let executor = spec
                    .deployment_spec
                    .as_ref()
                    .and_then(|d| d.executors.get(label.as_str()));
                match executor {
                    Some(ExecutorSpec::Container(_) | ExecutorSpec::Importer(_)) => {}
                    Some(other) => problems.push(Unsupported {
                        pointer: format!("/deploymentSpec/executors/{}", escape(label)),
                        message: format!(
                            "executor `{label}` is a {}, which only Vertex AI runs",
                            kind(other)
                        ),
                    }),
                    None => problems.push(Unsupported {
                        pointer: format!("{at}/executorLabel"),
                        message: format!("executor `{label}` is not in deploymentSpec.executors"),
                    }),
                }
            }
            None => problems.push(Unsupported {
                pointer: at.clone(),
                message: "the component has neither a DAG nor an executor".into(),
            }),
        }
    }
    if let Some(platform) = platform {
        notes.extend(kubernetes_notes(platform));
    }
    if problems.is_empty() {
        Ok(notes)
    } else {
        Err(problems)
    }
}

fn kind(executor: &ExecutorSpec) -> &'static str {
    match executor {
        ExecutorSpec::Container(_) => "container",
        ExecutorSpec::Importer(_) => "importer",
        ExecutorSpec::Resolver(_) => "resolver",
        ExecutorSpec::CustomJob(_) => "custom job",
    }
}

/// The Kubernetes settings (kfp-kubernetes) a local run ignores, one note
/// per platform's executors, the workspace's volume, and the run's resource
/// TTLs and deadline.
fn kubernetes_notes(platform: &PlatformSpec) -> Vec<Note> {
    let mut notes = Vec::new();
    for (name, config) in platform.platforms.iter() {
        let executors = config
            .deployment_spec
            .as_ref()
            .map(|d| {
                d.executors
                    .keys()
                    .map(ToString::to_string)
                    .collect::<Vec<_>>()
            })
            .unwrap_or_default();
        if !executors.is_empty() {
            notes.push(Note(format!(
                "{name} settings of {} (secrets, volumes, node selection, ...) are ignored locally",
                executors.join(", ")
            )));
        }
        let Some(pipeline_config) = &config.pipeline_config else {
            continue;
        };
        let lifetime = [
            (
                "resourceTtlOnCompletion",
                pipeline_config.resource_ttl_on_completion,
            ),
            (
                "resourceTtlOnSuccess",
                pipeline_config.resource_ttl_on_success,
            ),
            (
                "resourceTtlOnFailure",
                pipeline_config.resource_ttl_on_failure,
            ),
            (
                "activeDeadlineSeconds",
                pipeline_config.active_deadline_seconds,
            ),
        ]
        .iter()
        .filter(|(_, seconds)| *seconds > 0)
        .map(|(field, seconds)| format!("{field} {seconds}"))
        .collect::<Vec<_>>();
        if !lifetime.is_empty() {
            notes.push(Note(format!(
                "the {name} pipeline config's {} are a cluster's; a local run keeps its \
                 files and has no deadline",
                lifetime.join(", ")
            )));
        }
        if let Some(workspace) = &pipeline_config.workspace {
            notes.push(Note(format!(
                "the {name} workspace's size ({}) and volume settings are a cluster's; \
                 locally the run's workspace is a folder of its own",
                workspace.size
            )));
        }
    }
    notes
}

/// A JSON pointer segment (`~` and `/` escaped).
fn escape(segment: &str) -> String {
    segment.replace('~', "~0").replace('/', "~1")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_pipeline_configs_lifetime_is_noted_as_a_clusters() {
        let platform: PlatformSpec = serde_json::from_value(serde_json::json!({
            "platforms": {"kubernetes": {"pipelineConfig": {
                "resourceTtlOnCompletion": 3600,
                "activeDeadlineSeconds": 600
            }}}
        }))
        .unwrap();
        assert_eq!(
            kubernetes_notes(&platform),
            [Note(
                "the kubernetes pipeline config's resourceTtlOnCompletion 3600, \
                 activeDeadlineSeconds 600 are a cluster's; a local run keeps its files and \
                 has no deadline"
                    .into()
            )]
        );
        let nothing: PlatformSpec = serde_json::from_value(serde_json::json!({
            "platforms": {"kubernetes": {"pipelineConfig": {}}}
        }))
        .unwrap();
        assert!(kubernetes_notes(&nothing).is_empty());
    }
}
