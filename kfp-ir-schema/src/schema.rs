//! The JSON Schema (draft 2020-12) of the IR, generated from the Rust types.
//!
//! KFP publishes no JSON Schema for its IR, only the protobuf definitions.
//! kfp-rs generates one from the types of this crate and commits it, versioned
//! by IR schema version, under `kfp-ir-schema/schema/`:
//!
//! * `pipeline-spec-2.1.0.schema.json`, the first YAML document (`PipelineSpec`);
//! * `platform-spec-2.1.0.schema.json`, the optional second document
//!   (`PlatformSpec`), with the Kubernetes executor config of kfp-kubernetes
//!   2.17 typed in place of the proto's free `Struct`.
//!
//! The validator checks documents against the committed files; a test fails
//! when they differ from what the types generate. To regenerate them:
//!
//! ```text
//! KFP_UPDATE_SCHEMA=1 cargo test -p kfp-ir-schema --test schema
//! ```

use schemars::generate::SchemaSettings;
use schemars::transform::RecursiveTransform;
use schemars::{JsonSchema, Schema};
use serde_json::{Value, json};

use crate::SCHEMA_VERSION;
use crate::kubernetes::KubernetesExecutorConfig;
use crate::pipeline_spec::{PipelineSpec, PlatformSpec};

/// Where the schemas are published; the `$id` of each ends in its file name.
pub const SCHEMA_BASE_URI: &str = "https://kfp-rs.github.io/kfp-rs/schema/";

/// The committed schema of the first YAML document (`PipelineSpec`).
pub const PIPELINE_SPEC_SCHEMA: &str = include_str!("../schema/pipeline-spec-2.1.0.schema.json");

/// The committed schema of the second YAML document (`PlatformSpec`).
pub const PLATFORM_SPEC_SCHEMA: &str = include_str!("../schema/platform-spec-2.1.0.schema.json");

/// Which document of a pipeline file a schema describes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SchemaKind {
    /// The `PipelineSpec` (first document).
    PipelineSpec,
    /// The `PlatformSpec` (optional second document).
    PlatformSpec,
}

impl SchemaKind {
    /// The file name of the committed schema, with the IR version in it.
    pub fn file_name(self) -> String {
        match self {
            SchemaKind::PipelineSpec => format!("pipeline-spec-{SCHEMA_VERSION}.schema.json"),
            SchemaKind::PlatformSpec => format!("platform-spec-{SCHEMA_VERSION}.schema.json"),
        }
    }

    /// The committed schema text.
    pub fn committed(self) -> &'static str {
        match self {
            SchemaKind::PipelineSpec => PIPELINE_SPEC_SCHEMA,
            SchemaKind::PlatformSpec => PLATFORM_SPEC_SCHEMA,
        }
    }

    /// Generates the schema from the Rust types.
    ///
    /// ```
    /// use kfp_ir_schema::schema::SchemaKind;
    ///
    /// let schema = SchemaKind::PipelineSpec.generate();
    /// assert_eq!(schema["$schema"], "https://json-schema.org/draft/2020-12/schema");
    /// assert!(schema["$id"].as_str().unwrap().ends_with("pipeline-spec-2.1.0.schema.json"));
    /// ```
    pub fn generate(self) -> Value {
        match self {
            SchemaKind::PipelineSpec => {
                let schema = generator_root::<PipelineSpec>();
                finish(
                    schema,
                    self,
                    "KFP PipelineSpec",
                    "The first YAML document of a Kubeflow Pipelines v2 pipeline (IR schemaVersion 2.1.0, as kfp 2.17 writes it).",
                )
            }
            SchemaKind::PlatformSpec => {
                let mut generator = settings().into_generator();
                let mut schema = generator.root_schema_for::<PlatformSpec>();
                // The proto types the executor configs as free `Struct`s; for
                // the `kubernetes` platform they hold kfp-kubernetes' message.
                let executor = generator.subschema_for::<KubernetesExecutorConfig>();
                let defs = generator.take_definitions(true);
                let root = schema.ensure_object();
                root.insert("$defs".into(), Value::Object(defs));
                let single = root["$defs"]["SinglePlatformSpec"].clone();
                let mut kubernetes = single;
                kubernetes["description"] = json!(
                    "The `kubernetes` platform: executor configs are kfp-kubernetes' `KubernetesExecutorConfig`."
                );
                kubernetes["properties"]["deploymentSpec"] = json!({
                    "type": "object",
                    "additionalProperties": false,
                    "description": "PlatformDeploymentConfig: the Kubernetes config of each executor, keyed by executor label.",
                    "properties": {
                        "executors": {
                            "type": "object",
                            "additionalProperties": executor.to_value(),
                        }
                    }
                });
                root["$defs"]["KubernetesPlatformSpec"] = kubernetes;
                root["properties"]["platforms"]["properties"] =
                    json!({ "kubernetes": { "$ref": "#/$defs/KubernetesPlatformSpec" } });
                finish(
                    schema,
                    self,
                    "KFP PlatformSpec",
                    "The optional second YAML document of a Kubeflow Pipelines v2 pipeline: platform-specific config (kfp-kubernetes 2.17).",
                )
            }
        }
    }

    /// Pretty JSON text of the generated schema, as committed.
    pub fn generate_text(self) -> String {
        let mut text =
            serde_json::to_string_pretty(&self.generate()).expect("a JSON value always serializes");
        text.push('\n');
        text
    }
}

fn settings() -> SchemaSettings {
    SchemaSettings::draft2020_12()
        .for_deserialize()
        .with_transform(RecursiveTransform(refuse_null))
}

/// Drops the `null` that schemars allows for every `Option` field: kfp-rs
/// refuses `null` for message and scalar fields (only a
/// `google.protobuf.Value`, whose schema is `true`, may hold it), and
/// without the `anyOf` wrapper an error points inside the field's value.
fn refuse_null(schema: &mut Schema) {
    let Some(object) = schema.as_object_mut() else {
        return;
    };
    if let Some(Value::Array(branches)) = object.get("anyOf") {
        let is_null = |v: &Value| v.get("type") == Some(&json!("null"));
        if branches.len() == 2 && branches.iter().any(is_null) {
            let kept = branches.iter().find(|b| !is_null(b)).cloned();
            object.remove("anyOf");
            if let Some(Value::Object(kept)) = kept {
                for (key, value) in kept {
                    object.entry(key).or_insert(value);
                }
            }
        }
    }
    if let Some(Value::Array(types)) = object.get_mut("type") {
        types.retain(|t| t != "null");
        if types.len() == 1 {
            let only = types.remove(0);
            object.insert("type".into(), only);
        }
    }
}

fn generator_root<T: JsonSchema>() -> Schema {
    settings().into_generator().into_root_schema_for::<T>()
}

fn finish(schema: Schema, kind: SchemaKind, title: &str, description: &str) -> Value {
    let mut value = schema.to_value();
    let root = value.as_object_mut().expect("a root schema is an object");
    root.insert(
        "$id".into(),
        json!(format!("{SCHEMA_BASE_URI}{}", kind.file_name())),
    );
    root.insert("title".into(), json!(title));
    root.insert("description".into(), json!(description));
    root.insert("x-kfp-ir-schema-version".into(), json!(SCHEMA_VERSION));
    value
}
