//! Helpers of the golden tests: finding and reading kfp's goldens, and
//! comparing them with compiled pipelines by kfp's own rule.

#![allow(dead_code)]

use std::path::{Path, PathBuf};

use kfp_compiler::graph::{Arg, ContainerSpec};
use serde_json::Value;

/// `../shared/kfp-golden/sdk_compiled_pipelines/valid`, relative to the
/// workspace root, if present.
pub fn golden_dir() -> Option<PathBuf> {
    let workspace = Path::new(env!("CARGO_MANIFEST_DIR")).parent()?;
    let dir = workspace.join("../shared/kfp-golden/sdk_compiled_pipelines/valid");
    dir.is_dir().then_some(dir)
}

/// The first file called `name` under `dir`, searched recursively in
/// sorted order.
fn find(dir: &Path, name: &str) -> Option<PathBuf> {
    let mut entries: Vec<PathBuf> = std::fs::read_dir(dir)
        .ok()?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .collect();
    entries.sort();
    let direct = entries
        .iter()
        .find(|p| p.file_name().is_some_and(|n| n == name));
    if let Some(found) = direct {
        return Some(found.clone());
    }
    entries
        .iter()
        .filter(|p| p.is_dir())
        .find_map(|p| find(p, name))
}

/// The PipelineSpec document of golden `<stem>.yaml`, or `None` (after
/// printing the skip notice) when `../shared` is absent.
pub fn golden(stem: &str) -> Option<Value> {
    let Some(dir) = golden_dir() else {
        eprintln!("skipped: ../shared not found");
        return None;
    };
    let path = find(&dir, &format!("{stem}.yaml"))
        .unwrap_or_else(|| panic!("golden {stem}.yaml not found under {}", dir.display()));
    let text = std::fs::read_to_string(&path).expect("golden is readable");
    let docs = kfp_ir_schema::yaml::load(&text).expect("golden is valid YAML");
    Some(
        docs.into_iter()
            .next()
            .expect("golden has a document")
            .value,
    )
}

/// kfp's comparison rule: `sdkVersion` is ignored, and so are `command` and
/// `image` of executors that run a function (`--function_to_execute`).
pub fn normalize(spec: &mut Value) {
    if let Some(o) = spec.as_object_mut() {
        o.remove("sdkVersion");
    }
    let Some(executors) = spec
        .pointer_mut("/deploymentSpec/executors")
        .and_then(Value::as_object_mut)
    else {
        return;
    };
    for executor in executors.values_mut() {
        let Some(container) = executor.get_mut("container").and_then(Value::as_object_mut) else {
            continue;
        };
        let runs_function = container
            .get("args")
            .and_then(Value::as_array)
            .is_some_and(|a| a.iter().any(|v| v == "--function_to_execute"));
        if runs_function {
            container.remove("command");
            container.remove("image");
        }
    }
}

/// Compiles `pipeline` and asserts it equals golden `stem` by kfp's rule.
pub fn assert_golden(stem: &str, pipeline: &kfp_compiler::graph::Pipeline) {
    let Some(mut expected) = golden(stem) else {
        return;
    };
    let spec = kfp_compiler::compile(pipeline).unwrap_or_else(|e| panic!("{stem}: {e}"));
    let mut actual = serde_json::to_value(&spec).expect("spec serializes");
    normalize(&mut expected);
    normalize(&mut actual);
    assert!(
        actual == expected,
        "{stem} differs from the golden\n--- compiled\n{}\n--- golden\n{}",
        serde_json::to_string_pretty(&actual).unwrap_or_default(),
        serde_json::to_string_pretty(&expected).unwrap_or_default(),
    );
}

/// The container of a function component, as kfp-rs writes it: the
/// pipeline binary runs `function` (its command and image are ignored by
/// the comparison, as kfp ignores them).
pub fn function_runner(function: &str) -> ContainerSpec {
    ContainerSpec::new("ghcr.io/example/pipeline:latest")
        .command(["/usr/local/bin/pipeline"])
        .args([
            Arg::literal("--executor_input"),
            Arg::ExecutorInput,
            Arg::literal("--function_to_execute"),
            Arg::literal(function),
        ])
}

/// What an insta snapshot of a compiled pipeline holds: its documents as
/// JSON (the pipeline spec, then the platform spec if there is one), with
/// keys sorted as kfp writes them, and without `sdkVersion` (the only part
/// that changes with a release).
pub fn snapshot(file: &kfp_ir_schema::PipelineFile) -> Value {
    let mut spec = serde_json::to_value(&file.spec).expect("spec serializes");
    if let Some(o) = spec.as_object_mut() {
        o.remove("sdkVersion");
    }
    let mut documents = vec![spec];
    documents.extend(
        file.platform
            .as_ref()
            .map(|p| serde_json::to_value(p).expect("platform spec serializes")),
    );
    Value::Array(documents)
}
