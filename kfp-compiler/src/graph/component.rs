//! Component definitions: an interface plus how the component runs (a
//! container whose command line is literals and placeholders, a pipeline,
//! or an importer).

use serde_json::Value;

use super::interface::{
    ArtifactType, InputArtifact, InputParameter, OutputArtifact, OutputParameter, OutputRef,
    ParameterType,
};
use super::{OutputSource, Pipeline};
use crate::naming;

/// A component definition: its interface and its implementation.
#[derive(Clone, Debug, PartialEq)]
pub struct Component {
    /// The component name, already in kfp's form (see
    /// [`from_function_name`](Self::from_function_name)). Task names,
    /// `comp-` and `exec-` keys derive from it.
    pub name: String,
    /// A description (from doc comments).
    pub description: Option<String>,
    /// The input parameters, in declaration order.
    pub inputs: Vec<InputParameter>,
    /// The input artifacts, in declaration order.
    pub input_artifacts: Vec<InputArtifact>,
    /// The output parameters, in declaration order.
    pub outputs: Vec<OutputParameter>,
    /// The output artifacts, in declaration order.
    pub output_artifacts: Vec<OutputArtifact>,
    /// How the component runs.
    pub implementation: Implementation,
}

impl Component {
    /// A component with no inputs or outputs and an empty container
    /// implementation, named `name` as given.
    pub fn new(name: impl Into<String>) -> Self {
        Self {
            name: name.into(),
            description: None,
            inputs: Vec::new(),
            input_artifacts: Vec::new(),
            outputs: Vec::new(),
            output_artifacts: Vec::new(),
            implementation: Implementation::Container(ContainerSpec::default()),
        }
    }

    /// A component named after a function as kfp names it:
    /// `_python_function_name_to_component_name` then `maybe_rename_for_k8s`
    /// (`add_numbers` → `add-numbers`).
    pub fn from_function_name(function_name: &str) -> Self {
        Self::new(naming::component_name_from_function_name(function_name))
    }

    /// A pipeline used as a component: named after the pipeline (through
    /// `maybe_rename_for_k8s`, as kfp does), with the pipeline's inputs as
    /// its inputs and its outputs (typed from their producers) as its
    /// outputs. Outputs whose producer does not exist are left out here and
    /// reported by the compiler.
    pub fn from_pipeline(pipeline: Pipeline) -> Self {
        let mut outputs = Vec::new();
        let mut output_artifacts = Vec::new();
        for out in &pipeline.outputs {
            // The output of a task inside a loop is published as a list.
            let collected = match &out.source {
                OutputSource::Task { task, .. } => {
                    pipeline.get_task(*task).is_some_and(|t| t.group.is_some())
                }
                OutputSource::OneOf(_) => false,
            };
            match pipeline.source_output(&out.source) {
                Some(OutputRef::Parameter(p)) => outputs.push(OutputParameter {
                    name: out.name.clone(),
                    kind: if collected {
                        ParameterType::List
                    } else {
                        p.kind
                    },
                    description: out.description.clone(),
                }),
                Some(OutputRef::Artifact(a)) => output_artifacts.push(OutputArtifact {
                    name: out.name.clone(),
                    artifact_type: a.artifact_type.clone(),
                    is_list: a.is_list || collected,
                    description: out.description.clone(),
                }),
                None => {}
            }
        }
        Self {
            name: naming::maybe_rename_for_k8s(&pipeline.name),
            description: pipeline.description.clone(),
            inputs: pipeline.inputs.clone(),
            input_artifacts: pipeline.input_artifacts.clone(),
            outputs,
            output_artifacts,
            implementation: Implementation::Pipeline(Box::new(pipeline)),
        }
    }

    /// An importer of an artifact of type `artifact_type`, as kfp makes it:
    /// named `importer`, with the input parameter `uri` (`STRING`) and the
    /// output artifact `artifact`. A task of it binds `uri`.
    pub fn importer(artifact_type: ArtifactType, importer: Importer) -> Self {
        Self {
            inputs: vec![InputParameter::new(
                Self::IMPORTER_URI,
                ParameterType::String,
            )],
            output_artifacts: vec![OutputArtifact::new(Self::IMPORTER_OUTPUT, artifact_type)],
            implementation: Implementation::Importer(importer),
            ..Self::new("importer")
        }
    }

    /// The input of an importer that holds the artifact's URI.
    pub const IMPORTER_URI: &str = "uri";

    /// The output of an importer: the imported artifact.
    pub const IMPORTER_OUTPUT: &str = "artifact";

    /// Declares an input of this importer through which its metadata reads
    /// a pipeline value of type `kind` (kfp's dynamic importer metadata),
    /// named as kfp names them, in the order they are declared:
    /// `metadata`, `metadata-2`, … Returns its name; the metadata holds
    /// its placeholder, and the task binds it.
    pub fn add_importer_metadata_input(&mut self, kind: ParameterType) -> String {
        let name = naming::make_name_unique("metadata", |n| self.input(n).is_some());
        self.inputs.push(InputParameter::new(name.clone(), kind));
        name
    }

    /// Sets the description.
    pub fn with_description(mut self, description: impl Into<String>) -> Self {
        self.description = Some(description.into());
        self
    }

    /// Adds an input parameter.
    pub fn with_input(mut self, input: InputParameter) -> Self {
        self.inputs.push(input);
        self
    }

    /// Adds an input artifact.
    pub fn with_input_artifact(mut self, input: InputArtifact) -> Self {
        self.input_artifacts.push(input);
        self
    }

    /// Adds an output parameter.
    pub fn with_output(mut self, output: OutputParameter) -> Self {
        self.outputs.push(output);
        self
    }

    /// Adds an output artifact.
    pub fn with_output_artifact(mut self, output: OutputArtifact) -> Self {
        self.output_artifacts.push(output);
        self
    }

    /// Sets the implementation.
    pub fn with_implementation(mut self, implementation: impl Into<Implementation>) -> Self {
        self.implementation = implementation.into();
        self
    }

    /// The input parameter called `name`.
    pub fn input(&self, name: &str) -> Option<&InputParameter> {
        self.inputs.iter().find(|i| i.name == name)
    }

    /// The input artifact called `name`.
    pub fn input_artifact(&self, name: &str) -> Option<&InputArtifact> {
        self.input_artifacts.iter().find(|i| i.name == name)
    }

    /// The output (parameter or artifact) called `name`.
    pub fn output(&self, name: &str) -> Option<OutputRef<'_>> {
        if let Some(p) = self.outputs.iter().find(|o| o.name == name) {
            return Some(OutputRef::Parameter(p));
        }
        self.output_artifacts
            .iter()
            .find(|o| o.name == name)
            .map(OutputRef::Artifact)
    }
}

/// How a component runs.
#[derive(Clone, Debug, PartialEq)]
pub enum Implementation {
    /// A container (Rust-native components, whose command runs the pipeline
    /// binary, and container components alike).
    Container(ContainerSpec),
    /// A pipeline used as a component (a sub-DAG).
    Pipeline(Box<Pipeline>),
    /// An importer (kfp's `dsl.importer`), made by
    /// [`Component::importer`].
    Importer(Importer),
    /// A pipeline compiled before and loaded from its file
    /// ([`Component::from_loaded`]): its IR, merged into the pipeline that
    /// uses it (components, executors and platform spec, renamed on clash)
    /// as kfp merges a loaded pipeline. The one place the graph holds IR:
    /// such a pipeline has no graph to lower.
    Compiled(Box<kfp_ir_schema::PipelineFile>),
}

/// An importer: it runs no container, but registers an artifact that
/// already exists at a URI (its input `uri`) as its output `artifact`.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Importer {
    /// Registers a new artifact even when one with this URI exists.
    pub reimport: bool,
    /// The artifact's metadata.
    pub metadata: Option<serde_json::Map<String, Value>>,
    /// Downloads the artifact into the pipeline's workspace, where the
    /// tasks that take it read it (kfp's `download_to_workspace`).
    pub download_to_workspace: bool,
}

impl From<ContainerSpec> for Implementation {
    fn from(c: ContainerSpec) -> Self {
        Implementation::Container(c)
    }
}

impl From<Pipeline> for Implementation {
    fn from(p: Pipeline) -> Self {
        Implementation::Pipeline(Box::new(p))
    }
}

/// A container: image, command, args and environment.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct ContainerSpec {
    /// The image.
    pub image: String,
    /// The command (entrypoint); empty for the image's own.
    pub command: Vec<Arg>,
    /// The arguments.
    pub args: Vec<Arg>,
    /// Environment variables of the component itself (a loaded
    /// component's), in order; a task's `set_env_variable` adds to them or
    /// replaces one of the same name, as kfp's does.
    pub env: Vec<(String, String)>,
}

impl ContainerSpec {
    /// A container running `image` with no command or args.
    pub fn new(image: impl Into<String>) -> Self {
        Self {
            image: image.into(),
            command: Vec::new(),
            args: Vec::new(),
            env: Vec::new(),
        }
    }

    /// Appends to the command.
    pub fn command<I, A>(mut self, command: I) -> Self
    where
        I: IntoIterator<Item = A>,
        A: Into<Arg>,
    {
        self.command.extend(command.into_iter().map(Into::into));
        self
    }

    /// Appends to the args.
    pub fn args<I, A>(mut self, args: I) -> Self
    where
        I: IntoIterator<Item = A>,
        A: Into<Arg>,
    {
        self.args.extend(args.into_iter().map(Into::into));
        self
    }

    /// Appends one arg.
    pub fn arg(mut self, arg: impl Into<Arg>) -> Self {
        self.args.push(arg.into());
        self
    }
}

/// One element of a container's command or args: a literal or a
/// placeholder that KFP resolves at run time.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Arg {
    /// A literal string, written as is.
    Literal(String),
    /// The value of an input parameter: `{{$.inputs.parameters['x']}}`.
    InputValue(String),
    /// The local path of an input artifact:
    /// `{{$.inputs.artifacts['x'].path}}`.
    InputPath(String),
    /// The URI of an input artifact: `{{$.inputs.artifacts['x'].uri}}`.
    InputUri(String),
    /// The metadata of an input artifact:
    /// `{{$.inputs.artifacts['x'].metadata}}`.
    InputMetadata(String),
    /// A list-of-artifacts input: `{{$.inputs.artifacts['x']}}`.
    InputArtifactList(String),
    /// The local path of an output artifact:
    /// `{{$.outputs.artifacts['y'].path}}`.
    OutputPath(String),
    /// The URI of an output artifact: `{{$.outputs.artifacts['y'].uri}}`.
    OutputUri(String),
    /// The metadata of an output artifact:
    /// `{{$.outputs.artifacts['y'].metadata}}`.
    OutputMetadata(String),
    /// The file an output parameter is written to:
    /// `{{$.outputs.parameters['z'].output_file}}`.
    OutputParameterFile(String),
    /// The whole executor input as JSON: `{{$}}`.
    ExecutorInput,
    /// The items joined into one argument (kfp's `ConcatPlaceholder`).
    Concat(Vec<Arg>),
    /// `then` if the input `input` is set, else `otherwise` (kfp's
    /// `IfPresentPlaceholder`); `otherwise: None` writes no `Else`.
    IfPresent {
        /// The input whose presence is tested.
        input: String,
        /// The args when it is present.
        then: Vec<Arg>,
        /// The args when it is absent.
        otherwise: Option<Vec<Arg>>,
    },
}

impl Arg {
    /// A literal.
    pub fn literal(s: impl Into<String>) -> Self {
        Arg::Literal(s.into())
    }

    /// The value of input parameter `name`.
    pub fn input_value(name: impl Into<String>) -> Self {
        Arg::InputValue(name.into())
    }

    /// The local path of input artifact `name`.
    pub fn input_path(name: impl Into<String>) -> Self {
        Arg::InputPath(name.into())
    }

    /// The URI of input artifact `name`.
    pub fn input_uri(name: impl Into<String>) -> Self {
        Arg::InputUri(name.into())
    }

    /// The local path of output artifact `name`.
    pub fn output_path(name: impl Into<String>) -> Self {
        Arg::OutputPath(name.into())
    }

    /// The URI of output artifact `name`.
    pub fn output_uri(name: impl Into<String>) -> Self {
        Arg::OutputUri(name.into())
    }

    /// The output file of output parameter `name`.
    pub fn output_parameter_file(name: impl Into<String>) -> Self {
        Arg::OutputParameterFile(name.into())
    }
}

impl From<&str> for Arg {
    fn from(s: &str) -> Self {
        Arg::Literal(s.to_owned())
    }
}

impl From<String> for Arg {
    fn from(s: String) -> Self {
        Arg::Literal(s)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn importer_metadata_inputs_are_named_as_kfp_names_them() {
        let dataset = ArtifactType::new("system.Dataset", "0.0.1");
        let mut importer = Component::importer(dataset, Importer::default());
        let string = importer.add_importer_metadata_input(ParameterType::String);
        let integer = importer.add_importer_metadata_input(ParameterType::Integer);
        assert_eq!(
            (string.as_str(), integer.as_str()),
            ("metadata", "metadata-2")
        );
        let kind = |name: &str| importer.input(name).map(|i| i.kind);
        assert_eq!(kind("metadata-2"), Some(ParameterType::Integer));
        assert_eq!(kind(Component::IMPORTER_URI), Some(ParameterType::String));
    }
}
