//! Importers (`dsl.importer`): register an artifact that already exists,
//! as the importer launcher does. Its URI is a constant or the task's `uri`
//! input; its metadata may hold placeholders of its inputs (kfp's dynamic
//! importer metadata), resolved as kfp.local resolves them (the backend's
//! importer launcher records the metadata as it is, placeholders and all).
//! A `file://` URI becomes the local path it names,
//! which is how the SDKs' executors read a local artifact's path. With
//! `downloadToWorkspace` the artifact is copied into the run's workspace
//! (`crate::workspace`), where the tasks that take it read it.

use kfp_ir_schema::executor::RuntimeArtifact;
use kfp_ir_schema::{ImporterSpec, ValueOrRuntimeParameter};
use serde_json::Value;

use super::{Body, Engine, NodeId};
use crate::driver::{Values, value_text};
use crate::state::TaskState;
use crate::store::StoreError;

/// The output key of an importer.
const OUTPUT: &str = "artifact";

impl Engine<'_, '_, '_> {
    pub(super) fn run_importer(&mut self, id: NodeId) -> Result<(), StoreError> {
        let Body::Importer { importer } = self.nodes[id].body else {
            unreachable!("run_importer on an importer")
        };
        self.set_running(id)?;
        let uri = match uri(importer, &self.nodes[id].inputs) {
            Ok(uri) => uri,
            Err(message) => return self.fail(id, message),
        };
        let uri = uri
            .strip_prefix("file://")
            .map_or(uri.clone(), str::to_owned);
        let metadata = importer
            .metadata
            .as_ref()
            .map(|m| resolve_placeholders(&Value::Object(m.clone()), &self.nodes[id].inputs))
            .and_then(|v| v.as_object().cloned());
        let custom_path = if importer.download_to_workspace {
            let host = self.ctx.layout.workspace(&self.ctx.run.run_id);
            match crate::workspace::download(&uri, &host, &self.ctx.run.workspace_path) {
                Ok(path) => Some(path),
                Err(message) => return self.fail(id, message),
            }
        } else {
            None
        };
        let artifact = RuntimeArtifact {
            name: OUTPUT.to_owned(),
            r#type: importer.type_schema.clone(),
            uri: uri.clone(),
            metadata: Some(metadata.unwrap_or_default()),
            custom_path,
            ..Default::default()
        };
        if self.digest_of(&uri).starts_with("absent:") {
            self.warn_once(&format!("import {uri}"), || {
                format!("imported artifact `{uri}` is not a file or folder on this machine; tasks that read it will not find it")
            });
        }
        let mut outputs = Values::default();
        outputs.artifacts.insert(OUTPUT.to_owned(), vec![artifact]);
        self.finish(id, TaskState::Succeeded, None, outputs)
    }
}

fn uri(importer: &ImporterSpec, inputs: &Values) -> Result<String, String> {
    match &importer.artifact_uri {
        Some(ValueOrRuntimeParameter::Constant(Value::String(uri))) => Ok(uri.clone()),
        Some(ValueOrRuntimeParameter::RuntimeParameter(name)) => {
            match inputs.parameters.get(name.as_str()) {
                Some(Value::String(uri)) => Ok(uri.clone()),
                Some(other) => Err(format!(
                    "its URI input `{name}` is {}, not a string",
                    kfp_ir_schema::parameter::describe_value(other)
                )),
                None => Err(format!("its URI input `{name}` has no value")),
            }
        }
        Some(other) => Err(format!("its artifact URI {other:?} is not a string")),
        None => Err("it names no artifact URI".into()),
    }
}

/// Replaces `{{$.inputs.parameters['x']}}` in the strings of `value` with
/// the inputs' values: the whole value when a string is only the
/// placeholder (so numbers stay numbers), its text otherwise.
fn resolve_placeholders(value: &Value, inputs: &Values) -> Value {
    match value {
        Value::String(text) => {
            let found = kfp_ir_schema::placeholder::find(text);
            let value_of = |p: &kfp_ir_schema::placeholder::Placeholder| match p {
                kfp_ir_schema::placeholder::Placeholder::InputParameter { name, .. } => {
                    inputs.parameters.get(name)
                }
                _ => None,
            };
            if let [(range, p)] = found.as_slice()
                && range.len() == text.len()
                && let Some(v) = value_of(p)
            {
                return v.clone();
            }
            let mut out = text.clone();
            for (_, p) in found.iter().rev() {
                if let Some(v) = value_of(p) {
                    out = out.replace(&p.to_string(), &value_text::text(v));
                }
            }
            Value::String(out)
        }
        Value::Array(items) => Value::Array(
            items
                .iter()
                .map(|v| resolve_placeholders(v, inputs))
                .collect(),
        ),
        Value::Object(fields) => Value::Object(
            fields
                .iter()
                .map(|(k, v)| {
                    (
                        resolve_placeholders(&Value::String(k.clone()), inputs)
                            .as_str()
                            .unwrap_or(k)
                            .to_owned(),
                        resolve_placeholders(v, inputs),
                    )
                })
                .collect(),
        ),
        other => other.clone(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn metadata_placeholders_take_the_inputs_values() {
        let mut inputs = Values::default();
        inputs.parameters.insert("metadata".into(), json!("wine"));
        inputs.parameters.insert("metadata-2".into(), json!(3.0));
        let value = json!({
            "name": "{{$.inputs.parameters['metadata']}}",
            "rows": "{{$.inputs.parameters['metadata-2']}}",
            "{{$.inputs.parameters['metadata']}}-key": ["v-{{$.inputs.parameters['metadata-2']}}"]
        });
        assert_eq!(
            resolve_placeholders(&value, &inputs),
            json!({"name": "wine", "rows": 3.0, "wine-key": ["v-3"]})
        );
    }
}
