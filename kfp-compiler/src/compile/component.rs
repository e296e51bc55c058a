//! Components' interfaces as IR: `inputDefinitions` (with defaults checked
//! by KFP's rule and written as `google.protobuf.Value`s) and
//! `outputDefinitions`, for a task's component and for the pipeline's root,
//! whose defaults compile-time arguments replace.

use kfp_ir_schema as ir;

use crate::error::CompileError;
use crate::graph::{Component, InputArtifact, InputParameter, Pipeline};
use crate::to_ir;

/// A component's interface as IR, with its implementation.
pub(super) fn interface(
    component: &Component,
    implementation: ir::ComponentImplementation,
) -> Result<ir::ComponentSpec, CompileError> {
    let inputs = input_definitions(&component.inputs, &component.input_artifacts).map_err(
        |(input, reason)| CompileError::Component {
            component: component.name.clone(),
            reason: format!("input `{input}`: {reason}"),
        },
    )?;
    let mut outputs = ir::ComponentOutputsSpec::default();
    for p in &component.outputs {
        outputs.parameters.insert(
            p.name.as_str().into(),
            ir::ComponentOutputParameterSpec {
                description: p.description.as_deref().unwrap_or_default().into(),
                ..to_ir::output_parameter(p.kind)
            },
        );
    }
    for a in &component.output_artifacts {
        outputs.artifacts.insert(
            a.name.as_str().into(),
            ir::ComponentOutputArtifactSpec {
                description: a.description.as_deref().unwrap_or_default().into(),
                ..to_ir::output_artifact(a)
            },
        );
    }
    Ok(ir::ComponentSpec {
        input_definitions: inputs,
        output_definitions: to_ir::non_empty_outputs(outputs),
        implementation: Some(implementation),
        ..Default::default()
    })
}

/// The root's interface: the pipeline's inputs, with the compile-time
/// arguments as their defaults. Its outputs are added with its DAG.
pub(super) fn pipeline_interface(pipeline: &Pipeline) -> Result<ir::ComponentSpec, CompileError> {
    let err = |input: String, reason: String| CompileError::PipelineInput {
        pipeline: pipeline.name.clone(),
        input,
        reason,
    };
    let mut inputs = input_definitions(&pipeline.inputs, &pipeline.input_artifacts)
        .map_err(|(input, reason)| err(input, reason))?;
    // Compile-time arguments set the default, not the optionality (kfp's
    // `pipeline_parameters`).
    for (name, value) in &pipeline.arguments {
        let declared = pipeline.inputs.iter().find(|p| p.name == *name);
        let spec = inputs
            .as_mut()
            .and_then(|i| i.parameters.get_mut(name.as_str()));
        let (Some(declared), Some(spec)) = (declared, spec) else {
            return Err(err(
                name.clone(),
                "a value is given for it at compile time, but the pipeline has no such input \
                 parameter"
                    .to_owned(),
            ));
        };
        let value = to_ir::parameter_value(declared.kind, value).map_err(|e| {
            err(
                name.clone(),
                format!("the value given at compile time does not fit: {e}"),
            )
        })?;
        spec.default_value = Some(value);
    }
    Ok(ir::ComponentSpec {
        input_definitions: inputs,
        ..Default::default()
    })
}

/// `inputDefinitions` as kfp writes them; an error gives the input and
/// what is wrong.
fn input_definitions(
    parameters: &[InputParameter],
    artifacts: &[InputArtifact],
) -> Result<Option<ir::ComponentInputsSpec>, (String, String)> {
    let mut spec = ir::ComponentInputsSpec::default();
    for p in parameters {
        let default_value = match &p.default {
            None | Some(serde_json::Value::Null) => None,
            Some(v) => Some(
                to_ir::parameter_value(p.kind, v)
                    .map_err(|e| (p.name.clone(), format!("its default does not fit: {e}")))?,
            ),
        };
        spec.parameters.insert(
            p.name.as_str().into(),
            ir::ComponentInputParameterSpec {
                parameter_type: to_ir::parameter_type(p.kind),
                default_value,
                is_optional: p.is_optional(),
                description: p.description.as_deref().unwrap_or_default().into(),
                ..Default::default()
            },
        );
    }
    for a in artifacts {
        spec.artifacts.insert(
            a.name.as_str().into(),
            ir::ComponentInputArtifactSpec {
                artifact_type: Some(to_ir::artifact_type(&a.artifact_type)),
                is_artifact_list: a.is_list,
                is_optional: a.optional,
                description: a.description.as_deref().unwrap_or_default().into(),
            },
        );
    }
    Ok(to_ir::non_empty_inputs(spec))
}
