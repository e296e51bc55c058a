//! Comparing a compiled example with a golden file of kfp's: both YAML
//! documents (the pipeline spec and, when there is one, the platform spec)
//! as JSON, ignoring only `sdkVersion`, and `command` and `image` of
//! Rust-native executors (the rule of kfp's own compilation test).

// Each test crate that includes this module uses a part of it.
#![allow(dead_code)]

use std::path::{Path, PathBuf};

use kfp_dsl::{Overrides, PipelineEntry};
use kfp_ir_schema::validate::Format;
use kfp_ir_schema::{PipelineSpec, PlatformSpec};
use serde_json::Value;

/// `../shared/<relative>`, or `None` (with a message) when `../shared` is
/// absent.
pub fn shared_dir(relative: &str) -> Option<PathBuf> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let dir = root.join("../shared").join(relative);
    if dir.is_dir() {
        Some(dir)
    } else {
        println!("skipped: ../shared not found");
        None
    }
}

/// Finds `file` anywhere under `dir`.
pub fn find(dir: &Path, file: &str) -> Option<PathBuf> {
    for entry in std::fs::read_dir(dir).ok()?.flatten() {
        let path = entry.path();
        if path.is_dir() {
            if let Some(found) = find(&path, file) {
                return Some(found);
            }
        } else if path.file_name().is_some_and(|n| n == file) {
            return Some(path);
        }
    }
    None
}

/// The executors whose args are kfp-rs's executor convention.
fn native_executors(ir: &Value) -> Vec<String> {
    let Some(executors) = ir["deploymentSpec"]["executors"].as_object() else {
        return Vec::new();
    };
    executors
        .iter()
        .filter(|(_, e)| {
            let args = &e["container"]["args"];
            args.as_array().is_some_and(|a| {
                a.len() == 4 && a[0] == "--executor_input" && a[2] == "--function_to_execute"
            })
        })
        .map(|(k, _)| k.clone())
        .collect()
}

/// Drops what the comparison ignores.
fn normalize(ir: &mut Value, native: &[String]) {
    if let Some(obj) = ir.as_object_mut() {
        obj.remove("sdkVersion");
    }
    for key in native {
        if let Some(c) = ir["deploymentSpec"]["executors"][key]["container"].as_object_mut() {
            c.remove("command");
            c.remove("image");
        }
    }
}

/// Saves the IR as `$KFP_IR_OUT_DIR/examples/<stem>.yaml` when the variable
/// is set, for CI to run kfp's own `validate_ir.py` on.
fn save_for_ci(stem: &str, yaml: &str) {
    let Some(out) = std::env::var_os("KFP_IR_OUT_DIR") else {
        return;
    };
    let dir = PathBuf::from(out).join("examples");
    std::fs::create_dir_all(&dir)
        .unwrap_or_else(|e| panic!("cannot create {}: {e}", dir.display()));
    let path = dir.join(format!("{stem}.yaml"));
    std::fs::write(&path, yaml).unwrap_or_else(|e| panic!("cannot write {}: {e}", path.display()));
}

/// The golden file's pipeline spec and platform spec as JSON, read through
/// the IR types as the output is, so both sides are in the same form
/// (e.g. every number of a `google.protobuf.Value` a double).
fn read_golden(path: &Path) -> (Value, Option<Value>) {
    let text = std::fs::read_to_string(path)
        .unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()));
    let documents =
        kfp_ir_schema::yaml::load(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let spec: PipelineSpec = serde_json::from_value(documents[0].value.clone())
        .unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let platform = documents.get(1).map(|d| {
        let platform: PlatformSpec = serde_json::from_value(d.value.clone())
            .unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        serde_json::to_value(platform).unwrap()
    });
    (serde_json::to_value(spec).unwrap(), platform)
}

fn assert_same(stem: &str, what: &str, actual: &Value, expected: &Value) {
    assert_eq!(
        actual,
        expected,
        "{stem}: the compiled {what} differs from the golden file\n--- actual\n{}\n--- expected\n{}",
        serde_json::to_string_pretty(actual).unwrap(),
        serde_json::to_string_pretty(expected).unwrap()
    );
}

/// The comment lines a YAML pipeline starts with.
fn header(text: &str) -> Vec<&str> {
    text.lines()
        .take_while(|line| line.starts_with('#'))
        .collect()
}

/// Compiles `entry` with `overrides` (as kfp's `Compiler.compile`
/// arguments) and compares it with the golden file `golden`.
pub fn check(stem: &str, golden: &Path, entry: PipelineEntry, overrides: &Overrides) {
    let (mut expected, expected_platform) = read_golden(golden);

    // The YAML has kfp's header, passes the IR validator, and holds the
    // platform spec as its second document.
    let compiled = kfp_dsl::compile_with(entry, overrides).unwrap_or_else(|e| panic!("{e}"));
    let yaml = compiled.to_yaml();
    save_for_ci(stem, &yaml);
    assert!(yaml.starts_with("# PIPELINE DEFINITION\n"), "{yaml}");
    // The header comment is kfp's, line for line (kfp's
    // `load_component_from_file` reads the description back from it).
    let golden_text = std::fs::read_to_string(golden).unwrap();
    assert_eq!(
        header(&yaml),
        header(&golden_text),
        "{stem}: the header comment differs from the golden file's"
    );
    let file = kfp_ir_schema::validate::validate_str(&yaml, Format::Yaml)
        .unwrap_or_else(|e| panic!("{stem}: the written YAML is not valid: {e}"));
    let mut actual = serde_json::to_value(&file.spec).unwrap();

    let native = native_executors(&actual);
    normalize(&mut actual, &native);
    normalize(&mut expected, &native);
    assert_same(stem, "pipeline spec", &actual, &expected);
    let actual_platform = file
        .platform
        .as_ref()
        .map(|p| serde_json::to_value(p).unwrap());
    assert_same(
        stem,
        "platform spec",
        &actual_platform.unwrap_or(Value::Null),
        &expected_platform.unwrap_or(Value::Null),
    );

    // JSON is the same pipeline spec; like kfp, a pipeline with platform
    // config has none (it is written only to YAML).
    match compiled.to_json() {
        Some(json) => {
            assert!(
                file.platform.is_none(),
                "{stem}: JSON dropped the platform spec"
            );
            let from_json: PipelineSpec = serde_json::from_str(&json).unwrap();
            assert_eq!(from_json, file.spec, "{stem}: YAML and JSON differ");
        }
        None => assert!(file.platform.is_some(), "{stem}: no JSON"),
    }
}
