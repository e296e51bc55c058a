//! `ArtifactTypeSchema`: the type of an artifact (`system.Dataset@0.0.1` and
//! the like).

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

/// `ArtifactTypeSchema`: the type of an artifact, as a schema title (what KFP
/// writes, e.g. `system.Model`) plus the schema's version.
///
/// ```
/// use kfp_ir_schema::{ArtifactTypeKind, ArtifactTypeSchema};
///
/// let t = ArtifactTypeSchema {
///     kind: Some(ArtifactTypeKind::SchemaTitle("system.Dataset".into())),
///     schema_version: "0.0.1".into(),
/// };
/// let json = serde_json::to_string(&t).unwrap();
/// assert_eq!(json, r#"{"schemaTitle":"system.Dataset","schemaVersion":"0.0.1"}"#);
/// assert_eq!(serde_json::from_str::<ArtifactTypeSchema>(&json).unwrap(), t);
/// ```
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(
    try_from = "wire::ArtifactTypeSchema",
    into = "wire::ArtifactTypeSchema"
)]
pub struct ArtifactTypeSchema {
    /// How the type is named (`oneof kind`).
    pub kind: Option<ArtifactTypeKind>,
    /// The version of the schema, e.g. `0.0.1`.
    pub schema_version: String,
}

/// The `oneof kind` of [`ArtifactTypeSchema`].
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ArtifactTypeKind {
    /// The title of a registered schema, e.g. `system.Artifact` or
    /// `google.VertexModel` (`schemaTitle`).
    SchemaTitle(String),
    /// The URI of a schema file; deprecated (`schemaUri`).
    SchemaUri(String),
    /// An inline YAML schema (`instanceSchema`).
    InstanceSchema(String),
}

/// The wire form of [`ArtifactTypeSchema`]: one `Option` per `oneof` key.
mod wire {
    use schemars::JsonSchema;
    use serde::{Deserialize, Serialize};

    use crate::protojson::at_most_one;
    use crate::protojson::{OneOf, is_default, oneof};

    #[derive(Default, Serialize, Deserialize, JsonSchema)]
    #[serde(rename_all = "camelCase", deny_unknown_fields)]
    #[schemars(
        rename = "ArtifactTypeSchema",
        description = "ArtifactTypeSchema: the type of an artifact (a schema title, URI or inline schema, and a version).",
        transform = oneof::<Self>
    )]
    pub struct ArtifactTypeSchema {
        #[serde(default, skip_serializing_if = "Option::is_none")]
        schema_title: Option<String>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        schema_uri: Option<String>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        instance_schema: Option<String>,
        #[serde(default, skip_serializing_if = "is_default")]
        schema_version: String,
    }

    impl OneOf for ArtifactTypeSchema {
        const KEYS: &'static [&'static str] = &["schemaTitle", "schemaUri", "instanceSchema"];
    }

    impl TryFrom<ArtifactTypeSchema> for super::ArtifactTypeSchema {
        type Error = String;

        fn try_from(w: ArtifactTypeSchema) -> Result<Self, String> {
            use super::ArtifactTypeKind as K;
            let kind = at_most_one(
                "ArtifactTypeSchema",
                "kind",
                vec![
                    ("schemaTitle", w.schema_title.map(K::SchemaTitle)),
                    ("schemaUri", w.schema_uri.map(K::SchemaUri)),
                    ("instanceSchema", w.instance_schema.map(K::InstanceSchema)),
                ],
            )?;
            Ok(Self {
                kind,
                schema_version: w.schema_version,
            })
        }
    }

    impl From<super::ArtifactTypeSchema> for ArtifactTypeSchema {
        fn from(v: super::ArtifactTypeSchema) -> Self {
            use super::ArtifactTypeKind as K;
            let mut w = ArtifactTypeSchema {
                schema_version: v.schema_version,
                ..Default::default()
            };
            match v.kind {
                Some(K::SchemaTitle(x)) => w.schema_title = Some(x),
                Some(K::SchemaUri(x)) => w.schema_uri = Some(x),
                Some(K::InstanceSchema(x)) => w.instance_schema = Some(x),
                None => {}
            }
            w
        }
    }
}
