//! Names as kfp makes them: the pipeline's name derived from the one given
//! (`Vertex AI demo` → `vertex-ai-demo`), inputs and outputs named
//! `#[kfp(name = ..)]` or by a non-snake-case parameter under
//! `#[allow(non_snake_case)]` (which the generated items carry, so this
//! file compiles with every warning denied). (Its own test binary: one
//! test changes the current folder.)

#![deny(warnings)]

use kfp_dsl::prelude::*;
use serde_json::json;

#[component]
#[allow(non_snake_case)]
fn fetch(
    retryCount: i64,
    #[kfp(name = "sourceUrl")] source_url: String,
    #[kfp(name = "outData")] out_data: Output<Dataset>,
    rowCount: OutputPath<i64>,
    #[kfp(default = 1)] maxWait: f64,
    #[kfp(name = "pageSize", default = 10)] page_size: i64,
) -> String {
    let _ = (retryCount, out_data, rowCount, maxWait, page_size);
    source_url
}

#[component]
fn consume(data: Input<Dataset>, rows: i64) {
    let _ = (data, rows);
}

#[pipeline(name = "Vertex AI demo")]
fn vertex_ai_demo(#[kfp(name = "retryCount", default = 3)] retry_count: i64) -> String {
    let fetched = fetch(retry_count, "gs://b/x").maxWait(2.0).page_size(5);
    consume(fetched.outputs().out_data, fetched.outputs().rowCount);
    fetched.output()
}

fn spec() -> serde_json::Value {
    let file = kfp_dsl::compile(vertex_ai_demo::ENTRY).unwrap();
    serde_json::to_value(&file.spec).unwrap()
}

#[test]
fn the_pipeline_name_is_derived_as_kfp_derives_it() {
    assert_eq!(spec()["pipelineInfo"]["name"], "vertex-ai-demo");
    let (name, yaml) = kfp_dsl::compile_to_string(vertex_ai_demo::ENTRY, false).unwrap();
    assert_eq!(name, "vertex-ai-demo");
    assert!(
        yaml.starts_with("# PIPELINE DEFINITION\n# Name: vertex-ai-demo\n"),
        "{yaml}"
    );
}

#[test]
fn the_default_file_is_named_after_the_derived_name() {
    let dir = tempfile::tempdir().unwrap();
    std::env::set_current_dir(dir.path()).unwrap();
    assert_eq!(
        kfp_dsl::run_with_args(vertex_ai_demo::ENTRY, None, ["bin"]),
        0
    );
    assert!(dir.path().join("vertex-ai-demo.yaml").is_file());
}

#[test]
fn inputs_and_outputs_have_their_kfp_names() {
    let spec = spec();
    let fetch = &spec["components"]["comp-fetch"];
    let inputs = &fetch["inputDefinitions"]["parameters"];
    let mut names: Vec<&String> = inputs.as_object().unwrap().keys().collect();
    names.sort();
    assert_eq!(names, ["maxWait", "pageSize", "retryCount", "sourceUrl"]);
    assert_eq!(inputs["maxWait"]["defaultValue"], json!(1.0));
    let outputs = &fetch["outputDefinitions"];
    assert!(outputs["artifacts"]["outData"].is_object(), "{outputs}");
    assert!(outputs["parameters"]["rowCount"].is_object(), "{outputs}");
    let task = &spec["root"]["dag"]["tasks"]["fetch"]["inputs"]["parameters"];
    assert_eq!(task["retryCount"]["componentInputParameter"], "retryCount");
    assert_eq!(task["pageSize"]["runtimeValue"]["constant"], json!(5.0));
    assert_eq!(task["maxWait"]["runtimeValue"]["constant"], json!(2.0));
    let consume = &spec["root"]["dag"]["tasks"]["consume"]["inputs"];
    assert_eq!(
        consume["artifacts"]["data"]["taskOutputArtifact"]["outputArtifactKey"],
        "outData"
    );
    assert_eq!(
        consume["parameters"]["rows"]["taskOutputParameter"]["outputParameterKey"],
        "rowCount"
    );
}
