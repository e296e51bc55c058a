//! Each example reproduces one of kfp's golden pipelines: it is compiled and
//! compared with `../shared/kfp-golden/sdk_compiled_pipelines/valid/<stem>.yaml`
//! as JSON, ignoring only `sdkVersion`, and `command` and `image` of
//! Rust-native executors (the rule of kfp's own compilation test).

use std::path::{Path, PathBuf};

use kfp_dsl::PipelineEntry;
use kfp_ir_schema::PipelineSpec;
use kfp_ir_schema::validate::Format;
use serde_json::Value;

macro_rules! example {
    ($stem:ident, $file:literal, $entry:path) => {
        #[allow(dead_code)]
        #[path = $file]
        mod $stem;

        #[test]
        fn $stem() {
            check(stringify!($stem), $entry);
        }
    };
}

example!(
    hello_world,
    "../examples/hello_world.rs",
    hello_world::echo::ENTRY
);
example!(
    add_numbers,
    "../examples/add_numbers.rs",
    add_numbers::add_numbers::ENTRY
);
example!(
    container_io,
    "../examples/container_io.rs",
    container_io::container_io::ENTRY
);
example!(
    pipeline_with_after,
    "../examples/pipeline_with_after.rs",
    pipeline_with_after::my_pipeline::ENTRY
);
example!(
    producer_consumer_param_pipeline,
    "../examples/producer_consumer_param_pipeline.rs",
    producer_consumer_param_pipeline::producer_consumer_param_pipeline::ENTRY
);
example!(
    container_no_input,
    "../examples/container_no_input.rs",
    container_no_input::container_no_input::ENTRY
);
example!(
    container_with_if_placeholder,
    "../examples/container_with_if_placeholder.rs",
    container_with_if_placeholder::container_with_if_placeholder::ENTRY
);
example!(
    container_with_concat_placeholder,
    "../examples/container_with_concat_placeholder.rs",
    container_with_concat_placeholder::container_with_concat_placeholder::ENTRY
);
example!(
    pipeline_with_env,
    "../examples/pipeline_with_env.rs",
    pipeline_with_env::pipeline_with_env::ENTRY
);
example!(
    pipeline_with_retry,
    "../examples/pipeline_with_retry.rs",
    pipeline_with_retry::pipeline_with_retry::ENTRY
);
example!(
    pipeline_with_reused_component,
    "../examples/pipeline_with_reused_component.rs",
    pipeline_with_reused_component::pipeline_with_reused_component::ENTRY
);
example!(
    component_with_optional_inputs,
    "../examples/component_with_optional_inputs.rs",
    component_with_optional_inputs::pipeline::ENTRY
);
example!(
    dict_input,
    "../examples/dict_input.rs",
    dict_input::dict_input::ENTRY
);
example!(
    multiple_parameters_namedtuple,
    "../examples/multiple_parameters_namedtuple.rs",
    multiple_parameters_namedtuple::crust::ENTRY
);
example!(
    pipeline_with_string_machine_fields_pipeline_input,
    "../examples/pipeline_with_string_machine_fields_pipeline_input.rs",
    pipeline_with_string_machine_fields_pipeline_input::pipeline::ENTRY
);
example!(
    pipeline_in_pipeline,
    "../examples/pipeline_in_pipeline.rs",
    pipeline_in_pipeline::my_pipeline::ENTRY
);

example!(
    pipeline_with_metadata_fields,
    "../examples/pipeline_with_metadata_fields.rs",
    pipeline_with_metadata_fields::dataset_concatenator::ENTRY
);
example!(
    component_with_metadata_fields,
    "../examples/component_with_metadata_fields.rs",
    component_with_metadata_fields::dataset_joiner::ENTRY
);

example!(
    two_step_pipeline_containerized,
    "../examples/two_step_pipeline_containerized.rs",
    two_step_pipeline_containerized::two_step_pipeline_containerized::ENTRY
);

example!(
    parameters_simple,
    "../examples/parameters_simple.rs",
    parameters_simple::math_pipeline::ENTRY
);

example!(
    artifacts_simple,
    "../examples/artifacts_simple.rs",
    artifacts_simple::math_pipeline::ENTRY
);

example!(
    pipeline_with_parallelfor_pipeline_param,
    "../examples/pipeline_with_parallelfor_pipeline_param.rs",
    pipeline_with_parallelfor_pipeline_param::pipeline::ENTRY
);

example!(
    conditional_producer_and_consumers,
    "../examples/conditional_producer_and_consumers.rs",
    conditional_producer_and_consumers::math_pipeline::ENTRY
);

/// The golden corpus, or `None` (with a message) when `../shared` is absent.
fn golden_dir() -> Option<PathBuf> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let dir = root.join("../shared/kfp-golden/sdk_compiled_pipelines/valid");
    if dir.is_dir() {
        Some(dir)
    } else {
        println!("skipped: ../shared not found");
        None
    }
}

/// Finds `<stem>.yaml` anywhere under `dir`.
fn find(dir: &Path, file: &str) -> Option<PathBuf> {
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

fn check(stem: &str, entry: PipelineEntry) {
    let Some(dir) = golden_dir() else { return };
    let golden_path = find(&dir, &format!("{stem}.yaml"))
        .unwrap_or_else(|| panic!("no golden file {stem}.yaml under {}", dir.display()));
    let golden_text = std::fs::read_to_string(&golden_path).unwrap();
    let documents = kfp_ir_schema::yaml::load(&golden_text)
        .unwrap_or_else(|e| panic!("{}: {e}", golden_path.display()));
    // Read through the IR types, as the output is, so both sides are in the
    // same form (e.g. every number of a `google.protobuf.Value` a double).
    let golden: PipelineSpec = serde_json::from_value(documents[0].value.clone())
        .unwrap_or_else(|e| panic!("{}: {e}", golden_path.display()));
    let mut expected = serde_json::to_value(&golden).unwrap();

    let (_, json) = kfp_dsl::compile_to_string(entry, true).unwrap_or_else(|e| panic!("{e}"));
    let compiled: PipelineSpec = serde_json::from_str(&json).unwrap();
    let mut actual = serde_json::to_value(&compiled).unwrap();

    let native = native_executors(&actual);
    normalize(&mut actual, &native);
    normalize(&mut expected, &native);
    assert_eq!(
        actual,
        expected,
        "{stem}: the compiled example differs from the golden file\n--- actual\n{}\n--- expected\n{}",
        serde_json::to_string_pretty(&actual).unwrap(),
        serde_json::to_string_pretty(&expected).unwrap()
    );

    // The YAML rendering has kfp's header, passes the IR validator and reads
    // back to the same pipeline.
    let (name, yaml) = kfp_dsl::compile_to_string(entry, false).unwrap();
    save_for_ci(stem, &yaml);
    assert!(yaml.starts_with("# PIPELINE DEFINITION\n"), "{yaml}");
    let read_back = kfp_ir_schema::validate::validate_str(&yaml, Format::Yaml)
        .unwrap_or_else(|e| panic!("{stem}: the written YAML is not valid: {e}"));
    assert_eq!(read_back.spec, compiled, "{stem}: YAML and JSON differ");
    assert_eq!(Some(name.as_str()), actual["pipelineInfo"]["name"].as_str());
}
