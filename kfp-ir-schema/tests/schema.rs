//! The committed JSON Schemas are exactly what the Rust types generate.
//!
//! Regenerate them after changing the types with:
//!
//! ```text
//! KFP_UPDATE_SCHEMA=1 cargo test -p kfp-ir-schema --test schema
//! ```

use std::path::Path;

use kfp_ir_schema::schema::SchemaKind;

fn check(kind: SchemaKind) {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("schema")
        .join(kind.file_name());
    let generated = kind.generate_text();
    if std::env::var_os("KFP_UPDATE_SCHEMA").is_some() {
        std::fs::write(&path, &generated).expect("write the schema");
        return;
    }
    let committed = std::fs::read_to_string(&path).expect("the committed schema");
    assert!(
        committed == generated,
        "{} is stale: the IR types changed. Regenerate it with\n  KFP_UPDATE_SCHEMA=1 cargo test -p kfp-ir-schema --test schema",
        path.display()
    );
    assert_eq!(kind.committed(), committed, "the embedded copy is the file");
}

#[test]
fn pipeline_spec_schema_is_up_to_date() {
    check(SchemaKind::PipelineSpec);
}

#[test]
fn platform_spec_schema_is_up_to_date() {
    check(SchemaKind::PlatformSpec);
}

#[test]
fn schemas_are_valid_draft_2020_12_with_id_and_version() {
    for kind in [SchemaKind::PipelineSpec, SchemaKind::PlatformSpec] {
        let schema: serde_json::Value = serde_json::from_str(kind.committed()).unwrap();
        assert_eq!(
            schema["$schema"],
            "https://json-schema.org/draft/2020-12/schema"
        );
        assert!(
            schema["$id"]
                .as_str()
                .unwrap()
                .ends_with(&format!("-{}.schema.json", kfp_ir_schema::SCHEMA_VERSION))
        );
        assert_eq!(schema["x-kfp-ir-schema-version"], "2.1.0");
        jsonschema::meta::validate(&schema).expect("a valid draft 2020-12 schema");
        assert!(jsonschema::draft202012::new(&schema).is_ok());
    }
}
