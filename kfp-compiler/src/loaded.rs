//! A component read from a file ([`kfp_ir_schema::component`]) as a graph
//! [`Component`], as kfp makes a `YamlComponent` a task's component:
//!
//! * a container keeps its image, command, args and environment as the
//!   file writes them (placeholders included), and its interface loses
//!   the descriptions (kfp rebuilds a loaded component's spec from its
//!   `InputSpec`s, which do not keep them);
//! * a pipeline keeps its IR ([`Implementation::Compiled`]), merged into
//!   the outer pipeline when it is compiled; its interface is its root's.

use kfp_ir_schema::component::{self as loaded, ComponentInput, ComponentOutput, LoadedComponent};
use kfp_ir_schema::{self as ir};

use crate::graph::{
    Arg, ArtifactType, Component, ContainerSpec, Implementation, InputArtifact, InputParameter,
    OutputArtifact, OutputParameter, ParameterType,
};
use crate::to_ir;

impl Component {
    /// The component `loaded` read from a file: named as the file names
    /// it (kfp derives task names from it with `maybe_rename_for_k8s`),
    /// with its inputs and outputs, running its container or its pipeline.
    pub fn from_loaded(loaded: LoadedComponent) -> Component {
        let LoadedComponent {
            name,
            description,
            inputs,
            outputs,
            implementation,
            ..
        } = loaded;
        let (implementation, keep_descriptions) = match implementation {
            loaded::Implementation::Container(c) => {
                (Implementation::Container(container(c)), false)
            }
            loaded::Implementation::Pipeline(file) => (Implementation::Compiled(file), true),
        };
        let describe =
            |text: &str| (keep_descriptions && !text.is_empty()).then(|| text.to_owned());
        let mut component = Component::new(name);
        component.description = description;
        component.implementation = implementation;
        for (name, input) in inputs {
            let description = describe(input.description());
            match input {
                ComponentInput::Parameter(p) => component.inputs.push(InputParameter {
                    name: name.to_string(),
                    kind: parameter_type(p.parameter_type),
                    default: p.default_value,
                    optional: p.is_optional,
                    description,
                }),
                ComponentInput::Artifact(a) => component.input_artifacts.push(InputArtifact {
                    name: name.to_string(),
                    artifact_type: artifact_type(a.artifact_type.as_ref()),
                    is_list: a.is_artifact_list,
                    optional: a.is_optional,
                    description,
                }),
            }
        }
        for (name, output) in outputs {
            let description = describe(output.description());
            match output {
                ComponentOutput::Parameter(p) => component.outputs.push(OutputParameter {
                    name: name.to_string(),
                    kind: parameter_type(p.parameter_type),
                    description,
                }),
                ComponentOutput::Artifact(a) => component.output_artifacts.push(OutputArtifact {
                    name: name.to_string(),
                    artifact_type: artifact_type(a.artifact_type.as_ref()),
                    is_list: a.is_artifact_list,
                    description,
                }),
            }
        }
        component
    }
}

/// The graph type of an IR parameter type (a loaded component has no
/// other: `kfp_ir_schema::component` refuses `TASK_CONFIG`; an unset type
/// reads as a string, as protobuf's default would).
pub fn parameter_type(kind: ir::ParameterType) -> ParameterType {
    ParameterType::ALL
        .into_iter()
        .find(|&k| to_ir::parameter_type(k) == kind)
        .unwrap_or(ParameterType::String)
}

/// The graph type of an IR artifact type.
fn artifact_type(schema: Option<&ir::ArtifactTypeSchema>) -> ArtifactType {
    let version = schema.map_or("", |s| s.schema_version.as_str());
    ArtifactType::new(loaded::schema_title(schema), version)
}

/// A loaded container: every element of its command line a literal (the
/// file holds kfp's strings already).
fn container(c: ir::PipelineContainerSpec) -> ContainerSpec {
    let literal = |s: ir::CompactString| Arg::Literal(s.into());
    ContainerSpec {
        image: c.image.into(),
        command: c.command.into_iter().map(literal).collect(),
        args: c.args.into_iter().map(literal).collect(),
        env: c
            .env
            .into_iter()
            .map(|e| (e.name.into(), e.value.into()))
            .collect(),
    }
}
