//! What the KFP driver and launcher do to turn a container task into a
//! command line: build its `ExecutorInput`, then resolve the `IfPresent`
//! and `Concat` structures and substitute every placeholder.

use std::path::{Path, PathBuf};

use kfp_ir_schema::ComponentSpec;
use kfp_ir_schema::executor::{
    self, ArtifactList, ExecutorInput, Inputs, OutputParameter, Outputs, RuntimeArtifact,
};
use kfp_ir_schema::placeholder::{self, ArtifactField, Placeholder};
use serde_json::Value;

use super::Values;
use super::value_text;

/// Where a task execution's outputs go.
#[derive(Clone, Debug)]
pub struct OutputLocations {
    /// The folder of its output parameter files.
    pub task_dir: PathBuf,
    /// The folder its output artifacts are written under, one entry per
    /// output (`<artifact_dir>/<output name>`), which also holds its
    /// executor output.
    pub artifact_dir: PathBuf,
}

impl OutputLocations {
    /// The file the command may write its `ExecutorOutput` to. It is in
    /// the artifacts' folder, as kfp.local puts it in its task root: kfp's
    /// `dsl.get_uri` makes the executor output's folder the task root, so
    /// the artifacts a component makes there stay in the pipeline root,
    /// next to those it was handed, and `get_uri("Output")` is the URI of
    /// the `Output` it was handed.
    pub fn executor_output(&self) -> PathBuf {
        self.artifact_dir.join("executor_output.json")
    }

    /// The file an output parameter's value is written to.
    pub fn parameter_file(&self, name: &str) -> PathBuf {
        self.task_dir.join("outputs").join(name)
    }
}

/// The `ExecutorInput` of a container task: its resolved inputs (an
/// optional input with no value left out), and a file or folder for each
/// output the component declares. Artifact URIs are local paths, as
/// kfp.local gives them, which the KFP SDKs use as the artifact's path.
pub fn executor_input(
    component: &ComponentSpec,
    inputs: &Values,
    at: &OutputLocations,
) -> ExecutorInput {
    let parameter_values = inputs
        .parameters
        .iter()
        .filter(|(_, v)| !v.is_null())
        .map(|(k, v)| (k.clone(), value_text::whole_numbers_as_integers(v)))
        .collect();
    let artifacts = inputs
        .artifacts
        .iter()
        .map(|(k, list)| {
            (
                k.clone(),
                ArtifactList {
                    artifacts: list.clone(),
                },
            )
        })
        .collect();
    let declared = component.output_definitions.as_ref();
    let parameters = declared
        .iter()
        .flat_map(|d| d.parameters.keys())
        .map(|name| {
            let file = at.parameter_file(name);
            (
                name.to_string(),
                OutputParameter {
                    output_file: file.display().to_string(),
                },
            )
        })
        .collect();
    let output_artifacts = declared
        .iter()
        .flat_map(|d| d.artifacts.iter())
        .map(|(name, spec)| {
            let artifact = RuntimeArtifact {
                name: name.to_string(),
                r#type: spec.artifact_type.clone(),
                uri: at.artifact_dir.join(name.as_str()).display().to_string(),
                metadata: Some(Default::default()),
                ..Default::default()
            };
            (
                name.to_string(),
                ArtifactList {
                    artifacts: vec![artifact],
                },
            )
        })
        .collect();
    ExecutorInput {
        inputs: Some(Inputs {
            parameter_values,
            artifacts,
            ..Default::default()
        }),
        outputs: Some(Outputs {
            parameters,
            artifacts: output_artifacts,
            output_file: at.executor_output().display().to_string(),
        }),
    }
}

/// Why a command line could not be built.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum CommandError {
    /// A placeholder names an input or output that has no value.
    #[error("`{placeholder}` has no value: the task has no {what} `{name}`")]
    NoValue {
        /// The placeholder.
        placeholder: String,
        /// What kind of thing it names.
        what: &'static str,
        /// Its name.
        name: String,
    },
    /// An `IfPresent`/`Concat` structure that is not as kfp writes it.
    #[error("`{text}` is not a valid {kind} placeholder: {reason}")]
    BadStructure {
        /// `IfPresent` or `Concat`.
        kind: &'static str,
        /// The argument.
        text: String,
        /// What is wrong.
        reason: String,
    },
    /// An artifact whose URI has no local path.
    #[error(transparent)]
    Uri(#[from] executor::UriError),
}

/// Extra values a command line may name: the pipeline root and the
/// runtime values (`{{$.pipeline_job_name}}`, ...), which kfp.local also
/// resolves in a command.
pub trait RuntimeValues {
    /// The value of `{{$.<name>}}`, if known.
    fn get(&self, name: &str) -> Option<String>;
}

impl<F: Fn(&str) -> Option<String>> RuntimeValues for F {
    fn get(&self, name: &str) -> Option<String> {
        self(name)
    }
}

/// The command line of a container task: `command` then `args`, each
/// `IfPresent` expanded to its `Then` or `Else` items and each `Concat`
/// joined, then every placeholder replaced (`{{$}}` by the executor input
/// as protojson, a parameter by its text, an artifact's `.path` by its
/// local path). Unknown placeholders are left as they are, as the launcher
/// leaves them.
///
/// # Errors
/// A placeholder naming something the task does not have, or a malformed
/// structure.
pub fn command_line(
    command: &[impl AsRef<str>],
    args: &[impl AsRef<str>],
    input: &ExecutorInput,
    runtime: &dyn RuntimeValues,
) -> Result<Vec<String>, CommandError> {
    let present = |name: &str| {
        let inputs = input.inputs.as_ref();
        inputs.is_some_and(|i| {
            i.parameter_values.get(name).is_some_and(|v| !v.is_null())
                || i.artifacts.contains_key(name)
        })
    };
    let mut expanded = Vec::new();
    for arg in command
        .iter()
        .map(AsRef::as_ref)
        .chain(args.iter().map(AsRef::as_ref))
    {
        expanded.extend(expand_structure(arg, &present)?);
    }
    let executor_input = value_text::protojson(input);
    expanded
        .into_iter()
        .map(|arg| substitute(&arg, input, &executor_input, runtime))
        .collect()
}

/// An argument that is an `IfPresent` or `Concat` JSON structure, expanded
/// to zero or more plain arguments; any other argument as it is.
fn expand_structure(
    arg: &str,
    present: &dyn Fn(&str) -> bool,
) -> Result<Vec<String>, CommandError> {
    let trimmed = arg.trim_start();
    let kind = if trimmed.starts_with("{\"IfPresent\"") {
        "IfPresent"
    } else if trimmed.starts_with("{\"Concat\"") {
        "Concat"
    } else {
        return Ok(vec![arg.to_owned()]);
    };
    let bad = |reason: String| CommandError::BadStructure {
        kind,
        text: arg.to_owned(),
        reason,
    };
    let value: Value = serde_json::from_str(arg).map_err(|e| bad(e.to_string()))?;
    items(&value, present).map_err(bad)
}

/// The plain arguments a structure stands for.
fn items(value: &Value, present: &dyn Fn(&str) -> bool) -> Result<Vec<String>, String> {
    match value {
        Value::String(s) => Ok(vec![s.clone()]),
        Value::Array(list) => {
            let mut out = Vec::new();
            for item in list {
                out.extend(items(item, present)?);
            }
            Ok(out)
        }
        Value::Object(map) if map.len() == 1 => {
            if let Some(parts) = map.get("Concat") {
                let parts = parts.as_array().ok_or("`Concat` takes a list")?;
                let mut joined = String::new();
                for part in parts {
                    joined.push_str(&items(part, present)?.concat());
                }
                Ok(vec![joined])
            } else if let Some(inner) = map.get("IfPresent") {
                let name = inner
                    .get("InputName")
                    .and_then(Value::as_str)
                    .ok_or("`IfPresent` needs an `InputName` string")?;
                let branch = if present(name) {
                    inner.get("Then")
                } else {
                    inner.get("Else")
                };
                branch.map_or(Ok(Vec::new()), |b| items(b, present))
            } else {
                Err(format!("unknown structure {value}"))
            }
        }
        other => Err(format!("unexpected {other}")),
    }
}

/// One argument with each placeholder replaced.
fn substitute(
    arg: &str,
    input: &ExecutorInput,
    executor_input: &str,
    runtime: &dyn RuntimeValues,
) -> Result<String, CommandError> {
    let found = placeholder::find(arg);
    if found.is_empty() {
        return Ok(arg.to_owned());
    }
    let mut out = String::with_capacity(arg.len());
    let mut last = 0;
    for (range, p) in found {
        out.push_str(&arg[last..range.start]);
        match replacement(&p, input, executor_input, runtime)? {
            Some(text) => out.push_str(&text),
            None => out.push_str(&arg[range.clone()]),
        }
        last = range.end;
    }
    out.push_str(&arg[last..]);
    Ok(out)
}

fn replacement(
    p: &Placeholder,
    input: &ExecutorInput,
    executor_input: &str,
    runtime: &dyn RuntimeValues,
) -> Result<Option<String>, CommandError> {
    let no_value = |what, name: &str| CommandError::NoValue {
        placeholder: p.to_string(),
        what,
        name: name.to_owned(),
    };
    let inputs = input.inputs.clone().unwrap_or_default();
    let outputs = input.outputs.clone().unwrap_or_default();
    Ok(Some(match p {
        Placeholder::ExecutorInput => executor_input.to_owned(),
        Placeholder::InputParameter { name, json_escape } => {
            let value = inputs
                .parameter_values
                .get(name)
                .filter(|v| !v.is_null())
                .ok_or_else(|| no_value("input parameter", name))?;
            let mut text = value_text::text(value);
            for _ in 0..*json_escape {
                let quoted = serde_json::to_string(&text).expect("a string serializes");
                text = quoted[1..quoted.len() - 1].to_owned();
            }
            text
        }
        Placeholder::InputArtifact { name, field } => {
            let artifact =
                first(&inputs.artifacts, name).ok_or_else(|| no_value("input artifact", name))?;
            artifact_field(artifact, field)?
        }
        Placeholder::InputArtifactList(name) => {
            let list = inputs
                .artifacts
                .get(name)
                .ok_or_else(|| no_value("input artifact", name))?;
            value_text::protojson(&list.artifacts)
        }
        Placeholder::OutputArtifact { name, field } => {
            let artifact =
                first(&outputs.artifacts, name).ok_or_else(|| no_value("output artifact", name))?;
            artifact_field(artifact, field)?
        }
        Placeholder::OutputParameterFile(name) => outputs
            .parameters
            .get(name)
            .map(|p| p.output_file.clone())
            .ok_or_else(|| no_value("output parameter", name))?,
        Placeholder::OutputMetadataFile => outputs.output_file.clone(),
        Placeholder::Runtime(name) => return Ok(runtime.get(name)),
    }))
}

fn first<'a>(
    lists: &'a std::collections::BTreeMap<String, ArtifactList>,
    name: &str,
) -> Option<&'a RuntimeArtifact> {
    lists.get(name).and_then(|l| l.artifacts.first())
}

fn artifact_field(
    artifact: &RuntimeArtifact,
    field: &ArtifactField,
) -> Result<String, CommandError> {
    Ok(match field {
        ArtifactField::Uri => artifact.uri.clone(),
        ArtifactField::Path => artifact_path(artifact)?.display().to_string(),
        ArtifactField::Metadata => {
            value_text::protojson(&artifact.metadata.clone().unwrap_or_default())
        }
        ArtifactField::MetadataKey(key) => artifact
            .metadata
            .as_ref()
            .and_then(|m| m.get(key))
            .map(value_text::text)
            .unwrap_or_default(),
    })
}

/// The local path of an artifact: its `custom_path`, else its URI's.
///
/// # Errors
/// A URI the launcher cannot map.
pub fn artifact_path(artifact: &RuntimeArtifact) -> Result<PathBuf, executor::UriError> {
    match &artifact.custom_path {
        Some(path) if !path.is_empty() => Ok(Path::new(path).to_path_buf()),
        _ => executor::local_path(&artifact.uri),
    }
}

#[cfg(test)]
mod tests;
