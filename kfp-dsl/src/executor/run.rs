//! One run of a component's function: its inputs read from the executor
//! input, the outputs handed to it, and the executor output they make.

use std::path::PathBuf;

use kfp_ir_schema::executor::{ArtifactList, ExecutorInput, ExecutorOutput, RuntimeArtifact};
use serde_json::Value;

use super::artifact::{Input, Output, OutputPath};
use super::error::ExecutorError;
use super::task_root::TaskRootScope;
use crate::artifact::ArtifactType;
use crate::param::Parameter;

/// The value of one output that a component's function returned: a
/// parameter's value, or an artifact it made ([`Output::at`]), which
/// takes the place of the one KFP handed for that output.
#[derive(Clone, Debug, PartialEq)]
pub enum OutputValue {
    /// An output parameter's value.
    Parameter(Value),
    /// An output artifact as written back: name, URI, metadata.
    Artifact(RuntimeArtifact),
}

/// The executor's view of one run: the parsed input and the outputs handed
/// to the function, to collect when it returns. While it lives, the task
/// root of [`get_uri`](crate::get_uri) is this run's.
#[doc(hidden)]
pub struct Run<'a> {
    input: &'a ExecutorInput,
    outputs: Vec<(String, Box<dyn Fn() -> RuntimeArtifact>)>,
    _task_root: TaskRootScope,
}

impl<'a> Run<'a> {
    /// Starts a run.
    pub fn new(input: &'a ExecutorInput) -> Self {
        Run {
            input,
            outputs: Vec::new(),
            _task_root: TaskRootScope::enter(input),
        }
    }

    /// The value of the input parameter `name`; absent or `null` values of
    /// optional inputs are `None`.
    pub fn param<T: Parameter>(&self, name: &str) -> Result<T, ExecutorError> {
        let value = self.parameter_value(name).cloned().unwrap_or(Value::Null);
        if value.is_null() && !T::OPTIONAL {
            return Err(ExecutorError::MissingParameter(name.to_owned()));
        }
        T::from_value(value).map_err(|source| ExecutorError::ParameterType {
            name: name.to_owned(),
            source: Box::new(source),
        })
    }

    /// The input parameter `name`, or the default (as JSON) when absent.
    pub fn param_with_default<T: Parameter>(
        &self,
        name: &str,
        default: Value,
    ) -> Result<T, ExecutorError> {
        match self.parameter_value(name) {
            None | Some(Value::Null) => {
                T::from_value(default).map_err(|source| ExecutorError::ParameterType {
                    name: name.to_owned(),
                    source: Box::new(source),
                })
            }
            Some(_) => self.param(name),
        }
    }

    fn parameter_value(&self, name: &str) -> Option<&Value> {
        self.input.inputs.as_ref()?.parameter_values.get(name)
    }

    fn input_list(&self, name: &str) -> Option<&ArtifactList> {
        self.input.inputs.as_ref()?.artifacts.get(name)
    }

    fn first(
        list: Option<&ArtifactList>,
        direction: &'static str,
        name: &str,
    ) -> Result<RuntimeArtifact, ExecutorError> {
        list.and_then(|l| l.artifacts.first())
            .cloned()
            .ok_or_else(|| ExecutorError::MissingArtifact {
                direction,
                name: name.to_owned(),
            })
    }

    /// The input artifact `name`.
    pub fn input_artifact<A: ArtifactType>(&self, name: &str) -> Result<Input<A>, ExecutorError> {
        Input::handed(name, Self::first(self.input_list(name), "input", name)?)
    }

    /// The list-of-artifacts input `name` (empty when none was given).
    pub fn input_artifacts<A: ArtifactType>(
        &self,
        name: &str,
    ) -> Result<Vec<Input<A>>, ExecutorError> {
        let list = self
            .input_list(name)
            .map(|l| l.artifacts.clone())
            .unwrap_or_default();
        list.into_iter().map(|a| Input::handed(name, a)).collect()
    }

    /// The optional input artifact `name`.
    pub fn optional_input_artifact<A: ArtifactType>(
        &self,
        name: &str,
    ) -> Result<Option<Input<A>>, ExecutorError> {
        match self.input_list(name) {
            Some(l) if !l.artifacts.is_empty() => self.input_artifact(name).map(Some),
            _ => Ok(None),
        }
    }

    /// The output artifact `name`; its parent folder is created.
    pub fn output_artifact<A: ArtifactType>(
        &mut self,
        name: &str,
    ) -> Result<Output<A>, ExecutorError> {
        let list = self
            .input
            .outputs
            .as_ref()
            .and_then(|o| o.artifacts.get(name));
        let out: Output<A> = Output::handed(name, Self::first(list, "output", name)?)?;
        let kept = out.shared();
        self.outputs
            .push((name.to_owned(), Box::new(move || kept.written())));
        Ok(out)
    }

    /// The file of the output parameter `name`; its folder is created.
    pub fn output_parameter<T: Parameter>(
        &self,
        name: &str,
    ) -> Result<OutputPath<T>, ExecutorError> {
        let file = self
            .input
            .outputs
            .as_ref()
            .and_then(|o| o.parameters.get(name))
            .map(|p| p.output_file.clone())
            .filter(|f| !f.is_empty())
            .ok_or_else(|| ExecutorError::MissingOutputParameter(name.to_owned()))?;
        // A local path the launcher chose (`/tmp/kfp/outputs/NAME`), not a URI.
        let path = PathBuf::from(file);
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent).map_err(|source| ExecutorError::Io {
                what: "creating the folder of the output parameter",
                path: parent.to_owned(),
                source,
            })?;
        }
        Ok(OutputPath::new(path))
    }

    /// Collects the outputs once the function has returned: the values it
    /// returned, and the artifacts handed to it, where an artifact it
    /// returned replaces the one handed for that output (as kfp's executor
    /// does).
    pub fn finish(self, returned: Vec<(&'static str, OutputValue)>) -> ExecutorOutput {
        let mut output = ExecutorOutput::default();
        for (name, written) in self.outputs {
            let artifacts = vec![written()];
            output.artifacts.insert(name, ArtifactList { artifacts });
        }
        for (name, value) in returned {
            match value {
                OutputValue::Parameter(value) => {
                    output.parameter_values.insert(name.to_owned(), value);
                }
                OutputValue::Artifact(artifact) => {
                    let artifacts = vec![artifact];
                    output
                        .artifacts
                        .insert(name.to_owned(), ArtifactList { artifacts });
                }
            }
        }
        output
    }
}
