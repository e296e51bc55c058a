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
/// is set, for CI to run kfp's own `validate_ir.py` on; not an IR with an
/// `artifactIterator`, which kfp's compiler writes (its golden file has
/// one) but KFP's validator at 2.17.3 refuses, as the backend does not
/// implement it (kfp-ir-schema's conformance test skips it too).
fn save_for_ci(stem: &str, yaml: &str) {
    let Some(out) = std::env::var_os("KFP_IR_OUT_DIR") else {
        return;
    };
    if yaml.contains("artifactIterator:") {
        println!("not saved for validate_ir.py (artifactIterator): {stem}");
        return;
    }
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

/// Whether two header lines are the same: equal, or the same input with a
/// default that differs only in the order of a dict's keys. kfp shows a
/// default as Python prints the dict `json_format.MessageToDict` makes of a
/// `google.protobuf.Struct`, whose keys come in the order of protobuf's
/// own hash map (upb's, since kfp 2.8), which kfp-rs does not reproduce
/// (it writes them sorted, as protobuf's pure-Python map did); the keys and
/// values must be the same.
fn same_header_line(ours: &str, kfps: &str) -> bool {
    if ours == kfps {
        return true;
    }
    let default = |line: &str| -> Option<(String, Value)> {
        let (head, rest) = line.split_once(" [Default: ")?;
        let literal = rest.strip_suffix(']')?;
        // Python's repr of strings without quotes in them, booleans and
        // None, as JSON.
        let json = literal
            .replace('\'', "\"")
            .replace("True", "true")
            .replace("False", "false")
            .replace("None", "null");
        Some((head.to_owned(), serde_json::from_str(&json).ok()?))
    };
    matches!((default(ours), default(kfps)), (Some(a), Some(b)) if a == b)
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
    let (ours, kfps) = (header(&yaml), header(&golden_text));
    assert!(
        ours.len() == kfps.len() && ours.iter().zip(&kfps).all(|(a, b)| same_header_line(a, b)),
        "{stem}: the header comment differs from the golden file's\n--- actual\n{}\n--- expected\n{}",
        ours.join("\n"),
        kfps.join("\n")
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
