//! The `chain` example (the compile-speed benchmark) compiles to exactly
//! what kfp 2.17.3 wrote for `../shared/bench/chain_pipeline.py 1000`,
//! compared as JSON ignoring only `sdkVersion` (it has no Rust-native
//! executors, whose command and image the golden rule would also ignore),
//! and as text but for the `sdkVersion` line. A short chain runs locally
//! as `examples/README.md` says.

mod local_runs;

use std::path::{Path, PathBuf};
use std::sync::Mutex;

use kfp_ir_schema::{ComponentImplementation, PipelineSpec};
use serde_json::Value;

#[allow(dead_code)]
#[path = "../examples/chain.rs"]
mod chain;

/// Held while a test sets the chain's length and records it: the tests run
/// at once, and the length is the example's global.
static LENGTH: Mutex<()> = Mutex::new(());

/// `../shared/bench`, or `None` (with a message) when `../shared` is absent.
fn bench_dir() -> Option<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/bench");
    if dir.is_dir() {
        Some(dir)
    } else {
        println!("skipped: ../shared not found");
        None
    }
}

fn without_sdk_version(spec: &PipelineSpec) -> Value {
    let mut value = serde_json::to_value(spec).unwrap();
    value.as_object_mut().unwrap().remove("sdkVersion");
    value
}

#[test]
fn chain_of_1000_equals_kfps_output() {
    let Some(dir) = bench_dir() else { return };
    let golden_path = dir.join("chain-1000.yaml");
    let golden_text = std::fs::read_to_string(&golden_path).unwrap();
    let documents = kfp_ir_schema::yaml::load(&golden_text)
        .unwrap_or_else(|e| panic!("{}: {e}", golden_path.display()));
    let golden: PipelineSpec = serde_json::from_value(documents[0].value.clone()).unwrap();

    let length = LENGTH.lock().unwrap_or_else(|e| e.into_inner());
    chain::set_tasks(1000);
    let (name, yaml) = kfp_dsl::compile_to_string(chain::big::ENTRY, false).unwrap();
    if let Some(out) = std::env::var_os("KFP_IR_OUT_DIR") {
        let out = PathBuf::from(out).join("examples");
        std::fs::create_dir_all(&out).unwrap();
        std::fs::write(out.join("chain.yaml"), &yaml).unwrap();
    }
    assert_eq!(name, "big");
    // `compile -o` streams the YAML to the file in pieces: the same text,
    // which is kfp's text but for `sdkVersion`.
    let folder = tempfile::tempdir().unwrap();
    let path = folder.path().join("chain.yaml");
    kfp_dsl::compile_to_file(chain::big::ENTRY, Some(&path), false).unwrap();
    drop(length);
    let written = std::fs::read_to_string(&path).unwrap();
    assert_eq!(written, yaml);
    let without_version = |text: &str| -> Vec<String> {
        text.lines()
            .filter(|l| !l.starts_with("sdkVersion:"))
            .map(str::to_owned)
            .collect()
    };
    assert_eq!(without_version(&written), without_version(&golden_text));
    let compiled =
        kfp_ir_schema::validate::validate_str(&yaml, kfp_ir_schema::validate::Format::Yaml)
            .unwrap_or_else(|e| panic!("the chain's YAML is not valid: {e}"))
            .spec;

    // 1 source + 1000 steps, each with its own component and executor.
    let root = compiled.root.as_ref().unwrap();
    let Some(ComponentImplementation::Dag(dag)) = &root.implementation else {
        panic!("the root is not a DAG");
    };
    assert_eq!(dag.tasks.len(), 1001);
    assert_eq!(compiled.components.len(), 1001);

    let (actual, expected) = (without_sdk_version(&compiled), without_sdk_version(&golden));
    if actual != expected {
        let a = serde_json::to_string_pretty(&actual).unwrap();
        let e = serde_json::to_string_pretty(&expected).unwrap();
        let first = a
            .lines()
            .zip(e.lines())
            .position(|(x, y)| x != y)
            .unwrap_or(a.lines().count().min(e.lines().count()));
        panic!(
            "the chain differs from chain-1000.yaml from line {first} of the pretty JSON:\n\
             actual:   {:?}\nexpected: {:?}",
            a.lines().nth(first),
            e.lines().nth(first)
        );
    }
}

#[test]
fn a_chain_of_three_runs_locally() {
    let _length = LENGTH.lock().unwrap_or_else(|e| e.into_inner());
    chain::set_tasks(3);
    local_runs::check("chain", chain::big::ENTRY);
}

#[test]
fn the_tasks_flag_is_taken_before_the_binarys_own_arguments() {
    let args = |a: &[&str]| {
        a.iter()
            .map(Into::into)
            .collect::<Vec<std::ffi::OsString>>()
    };
    assert_eq!(
        chain::take_tasks_flag(args(&["chain", "--tasks", "7", "compile", "-o", "f"])).unwrap(),
        (Some(7), args(&["chain", "compile", "-o", "f"]))
    );
    assert_eq!(
        chain::take_tasks_flag(args(&["chain", "compile"])).unwrap(),
        (None, args(&["chain", "compile"]))
    );
    let err = chain::take_tasks_flag(args(&["chain", "--tasks", "many"])).unwrap_err();
    assert!(err.contains("--tasks many"), "{err}");
    assert!(chain::take_tasks_flag(args(&["chain", "--tasks"])).is_err());
}
