//! Loops over a list of artifacts (kfp's `artifactIterator`), compiled as
//! kfp 2.17 compiles them: over a sub-pipeline's collected artifacts with a
//! parameter loop nested inside (the item punched into the inner loop), and
//! over a pipeline's list-of-artifacts input; and the mistakes the compiler
//! reports.

use kfp_dsl::__private::graph::{GroupKind, LoopItemKind, LoopItems};
use kfp_dsl::prelude::*;
use serde_json::{Value, json};

#[component]
fn make(data: String) -> Result<Output<Dataset>, kfp_dsl::ExecutorError> {
    let dataset = Output::<Dataset>::at(get_uri("Output")?)?;
    dataset.set_metadata("data", data);
    Ok(dataset)
}

#[component]
fn show(artifact: Input<Artifact>, n: String) {
    println!("{} {n}", artifact.name());
}

#[pipeline]
fn makes(#[kfp(default = ["a", "b"])] texts: Vec<String>) -> Vec<Output<Dataset>> {
    collected(parallel_for(texts, |text| make(text).output()))
}

#[pipeline]
fn outer(#[kfp(default = ["1", "2"])] ns: Vec<String>) {
    parallel_for(makes().output(), |artifact| {
        parallel_for(ns, |n| show(artifact, n));
    });
}

#[pipeline]
fn from_input(datasets: Vec<Input<Dataset>>) {
    parallel_for(datasets, |dataset| show(dataset, "1"));
}

fn spec(entry: kfp_dsl::PipelineEntry) -> Value {
    serde_json::to_value(kfp_dsl::compile(entry).unwrap().spec).unwrap()
}

fn dataset(list: bool) -> Value {
    let mut input =
        json!({"artifactType": {"schemaTitle": "system.Dataset", "schemaVersion": "0.0.1"}});
    if list {
        input["isArtifactList"] = json!(true);
    }
    input
}

#[test]
fn the_items_of_a_loop_over_artifacts_are_recorded_as_artifacts() {
    let recorded = outer::__kfp_record();
    assert!(recorded.errors.is_empty(), "{:?}", recorded.errors);
    let GroupKind::ParallelFor(outer) = &recorded.pipeline.groups[0].kind else {
        panic!("not a loop")
    };
    assert_eq!(outer.item_kind, LoopItemKind::Artifact);
    assert!(matches!(outer.items, LoopItems::TaskArtifacts { .. }));
    let recorded = from_input::__kfp_record();
    let GroupKind::ParallelFor(from_input) = &recorded.pipeline.groups[0].kind else {
        panic!("not a loop")
    };
    assert_eq!(
        from_input.items,
        LoopItems::PipelineArtifacts("datasets".into())
    );
}

#[test]
fn a_loop_over_a_task_s_artifacts_punches_its_item_into_a_nested_loop() {
    let spec = spec(outer::ENTRY);
    assert_eq!(
        spec["root"]["dag"]["tasks"]["for-loop-1"],
        json!({
            "artifactIterator": {
                "itemInput": "pipelinechannel--makes-Output-loop-item",
                "items": {"inputArtifact": "pipelinechannel--makes-Output"}
            },
            "componentRef": {"name": "comp-for-loop-1"},
            "dependentTasks": ["makes"],
            "inputs": {
                "artifacts": {"pipelinechannel--makes-Output": {"taskOutputArtifact": {
                    "outputArtifactKey": "Output", "producerTask": "makes"}}},
                "parameters": {"pipelinechannel--ns": {"componentInputParameter": "ns"}}
            },
            "taskInfo": {"name": "for-loop-1"}
        })
    );
    let components = &spec["components"];
    assert_eq!(
        components["comp-for-loop-1"],
        json!({
            "dag": {"tasks": {"for-loop-2": {
                "componentRef": {"name": "comp-for-loop-2"},
                "inputs": {
                    "artifacts": {"pipelinechannel--makes-Output-loop-item": {
                        "componentInputArtifact": "pipelinechannel--makes-Output-loop-item"}},
                    "parameters": {"pipelinechannel--ns": {
                        "componentInputParameter": "pipelinechannel--ns"}}
                },
                "parameterIterator": {
                    "itemInput": "pipelinechannel--ns-loop-item",
                    "items": {"inputParameter": "pipelinechannel--ns"}
                },
                "taskInfo": {"name": "for-loop-2"}
            }}},
            "inputDefinitions": {
                "artifacts": {
                    "pipelinechannel--makes-Output": dataset(true),
                    "pipelinechannel--makes-Output-loop-item": dataset(false)
                },
                "parameters": {"pipelinechannel--ns": {"parameterType": "LIST"}}
            }
        })
    );
    let inner = &components["comp-for-loop-2"];
    assert_eq!(
        inner["dag"]["tasks"]["show"]["inputs"]["artifacts"],
        json!({"artifact": {"componentInputArtifact": "pipelinechannel--makes-Output-loop-item"}})
    );
    assert_eq!(
        inner["inputDefinitions"]["artifacts"],
        json!({"pipelinechannel--makes-Output-loop-item": dataset(false)})
    );
}

#[test]
fn a_loop_over_a_pipeline_input_list_of_artifacts() {
    let spec = spec(from_input::ENTRY);
    assert_eq!(
        spec["root"]["dag"]["tasks"]["for-loop-1"],
        json!({
            "artifactIterator": {
                "itemInput": "pipelinechannel--datasets-loop-item",
                "items": {"inputArtifact": "pipelinechannel--datasets"}
            },
            "componentRef": {"name": "comp-for-loop-1"},
            "inputs": {"artifacts": {"pipelinechannel--datasets": {
                "componentInputArtifact": "datasets"}}},
            "taskInfo": {"name": "for-loop-1"}
        })
    );
    let looped = &spec["components"]["comp-for-loop-1"];
    assert_eq!(
        looped["inputDefinitions"],
        json!({"artifacts": {
            "pipelinechannel--datasets": dataset(true),
            "pipelinechannel--datasets-loop-item": dataset(false)
        }})
    );
    assert_eq!(
        looped["dag"]["tasks"]["show"]["inputs"]["artifacts"],
        json!({"artifact": {"componentInputArtifact": "pipelinechannel--datasets-loop-item"}})
    );
}

#[test]
fn an_artifact_loop_over_a_list_of_values_is_refused() {
    // The DSL's types rule this out; a graph built by hand is checked.
    let mut recorded = from_input::__kfp_record();
    let GroupKind::ParallelFor(p) = &mut recorded.pipeline.groups[0].kind else {
        panic!("not a loop")
    };
    p.items = LoopItems::Raw(vec![json!(1)]);
    let err = kfp_compiler::compile(&recorded.pipeline).unwrap_err();
    assert!(
        err.to_string().contains("iterates over a list of artifacts with parameter items, or over parameter values with artifact items"),
        "{err}"
    );
    let GroupKind::ParallelFor(p) = &mut recorded.pipeline.groups[0].kind else {
        panic!("not a loop")
    };
    p.items = LoopItems::PipelineArtifacts("nothing".into());
    let err = kfp_compiler::compile(&recorded.pipeline).unwrap_err();
    assert!(
        err.to_string().contains("which is not a list of artifacts"),
        "{err}"
    );
}
