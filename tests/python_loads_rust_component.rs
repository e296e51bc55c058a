//! The other direction of loading components: a Rust component compiled on
//! its own (the `add_numbers` example, as its golden) is loaded by Python
//! kfp (`kfp.components.load_component_from_file`), used twice in a Python
//! pipeline, and compiled again; the result keeps the Rust executor and
//! validates. Needs a Python with kfp (`$KFP_PYTHON`, else the workspace's
//! `.venv`, which CI makes); prints `skipped: ...` without one.

#[allow(dead_code)]
#[path = "../examples/add_numbers.rs"]
mod add_numbers;
mod kfp_python;

use std::process::Command;

use kfp_ir_schema::validate::{Format, validate_str};

const PIPELINE: &str = r#"
import sys
from kfp import compiler, components, dsl

add_numbers = components.load_component_from_file(sys.argv[1])

@dsl.pipeline(name="sum-of-three")
def sum_of_three(a: int, b: int, c: int) -> int:
    first = add_numbers(a=a, b=b)
    return add_numbers(a=first.output, b=c).output

compiler.Compiler().compile(sum_of_three, sys.argv[2])
"#;

#[test]
fn python_kfp_loads_a_rust_component_and_compiles_a_pipeline_with_it() {
    let Some(python) = kfp_python::find() else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let component = dir.path().join("add_numbers.yaml");
    let (_, text) = kfp_dsl::compile_to_string(add_numbers::add_numbers::ENTRY, false).unwrap();
    std::fs::write(&component, &text).unwrap();
    let script = dir.path().join("pipeline.py");
    std::fs::write(&script, PIPELINE).unwrap();
    let compiled = dir.path().join("sum_of_three.yaml");
    let out = Command::new(&python)
        .arg(&script)
        .arg(&component)
        .arg(&compiled)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "Python kfp could not use the Rust component:\n{}",
        String::from_utf8_lossy(&out.stderr)
    );

    let text = std::fs::read_to_string(&compiled).unwrap();
    let file = validate_str(&text, Format::Yaml).unwrap_or_else(|e| panic!("{e}\n{text}"));
    let spec = serde_json::to_value(&file.spec).unwrap();
    let executors = &spec["deploymentSpec"]["executors"];
    for label in ["exec-add-numbers", "exec-add-numbers-2"] {
        let args = &executors[label]["container"]["args"];
        assert_eq!(args[2], "--function_to_execute", "{text}");
        assert_eq!(args[3], "add_numbers", "{text}");
    }
    let second = &spec["root"]["dag"]["tasks"]["add-numbers-2"]["inputs"]["parameters"]["a"];
    assert_eq!(second["taskOutputParameter"]["producerTask"], "add-numbers");
    assert_eq!(
        spec["components"]["comp-add-numbers"]["outputDefinitions"]["parameters"]["Output"]["parameterType"],
        "NUMBER_INTEGER"
    );
}
