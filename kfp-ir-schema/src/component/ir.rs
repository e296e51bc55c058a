//! A compiled v2 file as a component, as kfp's
//! `ComponentSpec.from_ir_dicts` reads it: the interface of
//! `comp-<name>` (else of the root), and the container of `exec-<name>`
//! when there is one, else the whole pipeline.

use super::{ComponentInput, ComponentOutput, Format, Implementation, LoadedComponent};
use crate::diagnostic::{Diagnostic, Document, JsonPointer};
use crate::naming::maybe_rename_for_k8s;
use crate::pipeline_file::PipelineFile;
use crate::pipeline_spec::{ComponentSpec, ExecutorSpec, ParameterType};
use crate::validate::{Format as TextFormat, ValidationError, validate_str};

/// Validates `text` as a pipeline file and reads it as a component.
pub(super) fn from_text(text: &str) -> Result<LoadedComponent, ValidationError> {
    let file = validate_str(text, TextFormat::Yaml)?;
    from_file(file).map_err(|mut e| {
        // The file validated, so it is YAML: find the lines of what it
        // cannot be loaded as.
        if let Some(document) = crate::yaml::load(text)
            .ok()
            .and_then(|d| d.into_iter().next())
        {
            for d in &mut e.diagnostics {
                d.location = document.index.nearest_position(&d.path);
            }
        }
        e
    })
}

/// Reads a validated pipeline file as a component.
fn from_file(file: PipelineFile) -> Result<LoadedComponent, ValidationError> {
    let spec = &file.spec;
    let info = spec.pipeline_info.as_ref();
    let name = info.map(|i| i.name.to_string()).unwrap_or_default();
    let description = file
        .description
        .clone()
        .or_else(|| info.map(|i| i.description.to_string()))
        .filter(|d| !d.is_empty());
    let renamed = maybe_rename_for_k8s(&name);
    let component_key = format!("comp-{renamed}");
    let executor_label = format!("exec-{renamed}");
    let (interface, interface_path) = match spec.components.get(component_key.as_str()) {
        Some(component) => (
            component,
            JsonPointer::root().join("components").join(&component_key),
        ),
        None => match &spec.root {
            Some(root) => (root, JsonPointer::root().join("root")),
            None => return Err(one("/root", "the pipeline has no root".into())),
        },
    };
    let (inputs, outputs) = read_interface(interface, &interface_path)?;
    let executor = spec
        .deployment_spec
        .as_ref()
        .and_then(|d| d.executors.get(executor_label.as_str()));
    let implementation = match executor {
        Some(ExecutorSpec::Container(container)) => Implementation::Container(container.clone()),
        Some(_) => {
            let path = JsonPointer::root()
                .join("deploymentSpec")
                .join("executors")
                .join(&executor_label);
            return Err(one(
                path.as_str(),
                format!(
                    "`{executor_label}` is not a container: kfp loads a component compiled on its own only when it runs a container"
                ),
            ));
        }
        None => {
            check_platforms(&file)?;
            Implementation::Pipeline(Box::new(file.clone()))
        }
    };
    Ok(LoadedComponent {
        name,
        description,
        inputs,
        outputs,
        implementation,
        format: Format::Ir,
    })
}

/// kfp merges the executors of every platform of a loaded pipeline; the
/// only one there is, and the one kfp-rs merges, is `kubernetes`.
fn check_platforms(file: &PipelineFile) -> Result<(), ValidationError> {
    let platforms = file.platform.iter().flat_map(|p| p.platforms.keys());
    match platforms.into_iter().find(|k| k.as_str() != "kubernetes") {
        Some(other) => Err(ValidationError::new(vec![Diagnostic::new(
            Document::PlatformSpec { index: 2 },
            JsonPointer::root().join("platforms").join(other).as_str(),
            format!(
                "the platform `{other}` cannot be merged into a pipeline; kfp-rs knows only `kubernetes`"
            ),
        )])),
        None => Ok(()),
    }
}

type Interface = (
    Vec<(crate::CompactString, ComponentInput)>,
    Vec<(crate::CompactString, ComponentOutput)>,
);

/// The inputs and outputs of `component`: parameters, then artifacts
/// (kfp's `{**parameters, **artifacts}`). A `TASK_CONFIG` input, which
/// only kfp's own component decorator can fill, is refused.
fn read_interface(
    component: &ComponentSpec,
    path: &JsonPointer,
) -> Result<Interface, ValidationError> {
    let mut inputs = Vec::new();
    let mut outputs = Vec::new();
    if let Some(defs) = &component.input_definitions {
        for (name, spec) in defs.parameters.iter() {
            if !super::loadable_parameter(spec.parameter_type) {
                let at = path.join("inputDefinitions").join("parameters").join(name);
                return Err(one(
                    at.as_str(),
                    format!(
                        "the input `{name}` is a {}: kfp-rs cannot give a loaded component one",
                        spec.parameter_type.as_str()
                    ),
                ));
            }
            let mut spec = spec.clone();
            // Files of kfp 2.0 betas have defaults without `isOptional`
            // (kfp reads them as optional).
            spec.is_optional |= spec.default_value.is_some()
                || spec.parameter_type == ParameterType::TaskFinalStatus;
            inputs.push((name.clone(), ComponentInput::Parameter(spec)));
        }
        for (name, spec) in defs.artifacts.iter() {
            inputs.push((name.clone(), ComponentInput::Artifact(spec.clone())));
        }
    }
    if let Some(defs) = &component.output_definitions {
        for (name, spec) in defs.parameters.iter() {
            outputs.push((name.clone(), ComponentOutput::Parameter(spec.clone())));
        }
        for (name, spec) in defs.artifacts.iter() {
            outputs.push((name.clone(), ComponentOutput::Artifact(spec.clone())));
        }
    }
    Ok((inputs, outputs))
}

/// One problem at `path` of the pipeline spec.
fn one(path: &str, message: String) -> ValidationError {
    ValidationError::new(vec![Diagnostic::new(Document::PipelineSpec, path, message)])
}
