//! `ArtifactTypeSchema`: the type of an artifact (`system.Dataset@0.0.1` and
//! the like).

use schemars::JsonSchema;
use serde::Deserialize;

use crate::CompactString;

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
#[derive(Clone, Debug, Default, PartialEq, Eq, Deserialize, JsonSchema)]
#[serde(try_from = "wire::ArtifactTypeSchema<'static>")]
#[schemars(with = "wire::ArtifactTypeSchema<'static>")]
pub struct ArtifactTypeSchema {
    /// How the type is named (`oneof kind`).
    pub kind: Option<ArtifactTypeKind>,
    /// The version of the schema, e.g. `0.0.1`.
    pub schema_version: CompactString,
}

/// The `oneof kind` of [`ArtifactTypeSchema`].
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ArtifactTypeKind {
    /// The title of a registered schema, e.g. `system.Artifact` or
    /// `google.VertexModel` (`schemaTitle`).
    SchemaTitle(CompactString),
    /// The URI of a schema file; deprecated (`schemaUri`).
    SchemaUri(CompactString),
    /// An inline YAML schema (`instanceSchema`).
    InstanceSchema(CompactString),
}

/// The wire form of [`ArtifactTypeSchema`]: one `Option` per `oneof` key.
mod wire {
    use std::borrow::Cow;

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
    pub struct ArtifactTypeSchema<'a> {
        #[serde(default, skip_serializing_if = "Option::is_none")]
        schema_title: Option<Cow<'a, str>>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        schema_uri: Option<Cow<'a, str>>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        instance_schema: Option<Cow<'a, str>>,
        #[serde(default, skip_serializing_if = "is_default")]
        schema_version: Cow<'a, str>,
    }

    impl OneOf for ArtifactTypeSchema<'_> {
        const KEYS: &'static [&'static str] = &["schemaTitle", "schemaUri", "instanceSchema"];
    }

    impl TryFrom<ArtifactTypeSchema<'_>> for super::ArtifactTypeSchema {
        type Error = String;

        fn try_from(w: ArtifactTypeSchema<'_>) -> Result<Self, String> {
            use super::ArtifactTypeKind as K;
            let owned = |x: Cow<'_, str>| crate::CompactString::from(x);
            let kind = at_most_one(
                "ArtifactTypeSchema",
                "kind",
                vec![
                    ("schemaTitle", w.schema_title.map(owned).map(K::SchemaTitle)),
                    ("schemaUri", w.schema_uri.map(owned).map(K::SchemaUri)),
                    (
                        "instanceSchema",
                        w.instance_schema.map(owned).map(K::InstanceSchema),
                    ),
                ],
            )?;
            Ok(Self {
                kind,
                schema_version: w.schema_version.into(),
            })
        }
    }

    impl<'a> From<&'a super::ArtifactTypeSchema> for ArtifactTypeSchema<'a> {
        fn from(v: &'a super::ArtifactTypeSchema) -> Self {
            use super::ArtifactTypeKind as K;
            let mut w = ArtifactTypeSchema {
                schema_version: Cow::Borrowed(&v.schema_version),
                ..Default::default()
            };
            match &v.kind {
                Some(K::SchemaTitle(x)) => w.schema_title = Some(Cow::Borrowed(x)),
                Some(K::SchemaUri(x)) => w.schema_uri = Some(Cow::Borrowed(x)),
                Some(K::InstanceSchema(x)) => w.instance_schema = Some(Cow::Borrowed(x)),
                None => {}
            }
            w
        }
    }

    /// Written through the borrowed wire form: nothing is copied.
    impl Serialize for super::ArtifactTypeSchema {
        fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
            ArtifactTypeSchema::from(self).serialize(s)
        }
    }
}
