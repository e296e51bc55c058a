use super::*;
use serde_json::json;

fn task(spec: Value) -> PipelineTaskSpec {
    serde_json::from_value(spec).unwrap()
}

fn component(spec: Value) -> ComponentSpec {
    serde_json::from_value(spec).unwrap()
}

fn run() -> RunInfo {
    RunInfo {
        run_id: "r-1".into(),
        run_name: "my-run".into(),
        resource_name: "runs/r-1".into(),
        create_time: "2026-12-06T10:00:00Z".into(),
        schedule_time: "2026-12-06T10:00:00Z".into(),
        workspace_path: "/ws".into(),
        pipeline_root: "/root".into(),
    }
}

fn values(parameters: Value) -> Values {
    Values {
        parameters: serde_json::from_value(parameters).unwrap(),
        ..Values::default()
    }
}

fn resolve(
    t: &PipelineTaskSpec,
    c: &ComponentSpec,
    dag: &Values,
    up: &BTreeMap<String, (TaskState, Values)>,
) -> Result<Values, ResolveError> {
    resolve_inputs(
        Task {
            name: "consumer",
            spec: t,
            component: c,
        },
        dag,
        up,
        &run(),
    )
}

#[test]
fn every_source_of_a_parameter() {
    let t = task(json!({
        "componentRef": {"name": "comp-consumer"},
        "inputs": {"parameters": {
            "a": {"componentInputParameter": "pipelinechannel--text"},
            "b": {"taskOutputParameter": {"producerTask": "producer", "outputParameterKey": "Output"}},
            "c": {"runtimeValue": {"constant": 3.0}},
            "d": {"runtimeValue": {"constant": "{{$.pipeline_job_name}}"}},
            "e": {"runtimeValue": {"constant": "{{$.workspace_path}}/data"}},
            "f": {"componentInputParameter": "pipelinechannel--item",
                  "parameterExpressionSelector": "parseJson(string_value)[\"lr\"]"},
            "g": {"runtimeValue": {"constant": "got {{$.inputs.parameters['a']}} and {{$.inputs.parameters['c']}}"}}
        }}
    }));
    let c = component(json!({
        "executorLabel": "exec-consumer",
        "inputDefinitions": {"parameters": {
            "a": {"parameterType": "STRING"},
            "b": {"parameterType": "NUMBER_INTEGER"},
            "c": {"parameterType": "NUMBER_DOUBLE"},
            "d": {"parameterType": "STRING"},
            "e": {"parameterType": "STRING"},
            "f": {"parameterType": "NUMBER_DOUBLE"},
            "g": {"parameterType": "STRING"},
            "h": {"parameterType": "BOOLEAN", "defaultValue": true, "isOptional": true},
            "i": {"parameterType": "STRING", "isOptional": true}
        }}
    }));
    let dag = values(json!({
        "pipelinechannel--text": "hi",
        "pipelinechannel--item": {"lr": 0.5}
    }));
    let up = BTreeMap::from([(
        "producer".to_owned(),
        (TaskState::Succeeded, values(json!({"Output": 4.0}))),
    )]);
    let got = resolve(&t, &c, &dag, &up).unwrap();
    assert_eq!(
        Value::Object(got.parameters.into_iter().collect()),
        json!({
            "a": "hi", "b": 4.0, "c": 3.0, "d": "my-run", "e": "/ws/data", "f": 0.5,
            "g": "got hi and 3", "h": true
        })
    );
}

#[test]
fn a_string_input_takes_the_text_of_any_value_and_other_types_are_checked() {
    let t = task(json!({"inputs": {"parameters": {
        "s": {"runtimeValue": {"constant": [1, {"a": "b"}]}},
        "n": {"runtimeValue": {"constant": 2.5}}
    }}}));
    let c = component(
        json!({"executorLabel": "exec-x", "inputDefinitions": {"parameters": {
            "s": {"parameterType": "STRING"},
            "n": {"parameterType": "NUMBER_INTEGER"}
        }}}),
    );
    let err = resolve(&t, &c, &Values::default(), &BTreeMap::new()).unwrap_err();
    assert_eq!(
        err.to_string(),
        "input `n`: expected an integer (NUMBER_INTEGER), got the number 2.5"
    );
    let t = task(json!({"inputs": {"parameters": {
        "s": {"runtimeValue": {"constant": [1, {"a": "b"}]}},
        "n": {"runtimeValue": {"constant": 2.0}}
    }}}));
    let got = resolve(&t, &c, &Values::default(), &BTreeMap::new()).unwrap();
    assert_eq!(got.parameters["s"], json!(r#"[1,{"a":"b"}]"#));
}

#[test]
fn missing_values_name_the_input_and_the_producer() {
    let c = component(
        json!({"executorLabel": "exec-x", "inputDefinitions": {"parameters": {
            "x": {"parameterType": "STRING"}
        }}}),
    );
    let t = task(json!({}));
    let err = resolve(&t, &c, &Values::default(), &BTreeMap::new()).unwrap_err();
    assert_eq!(err.to_string(), "input `x` has no value and no default");

    let t = task(json!({"inputs": {"parameters": {
        "x": {"taskOutputParameter": {"producerTask": "p", "outputParameterKey": "o"}}
    }}}));
    let err = resolve(&t, &c, &Values::default(), &BTreeMap::new()).unwrap_err();
    assert!(err.to_string().contains("task `p` has not run"), "{err}");
    let up = BTreeMap::from([("p".to_owned(), (TaskState::Skipped, Values::default()))]);
    let err = resolve(&t, &c, &Values::default(), &up).unwrap_err();
    assert_eq!(
        err.to_string(),
        "input `x`: task `p` was skipped, so it produced no output `o`"
    );

    let t = task(json!({"inputs": {"parameters": {
        "x": {"componentInputParameter": "nope"}
    }}}));
    let err = resolve(&t, &c, &Values::default(), &BTreeMap::new()).unwrap_err();
    assert_eq!(
        err.to_string(),
        "input `x`: the enclosing DAG has no input `nope`"
    );
}

#[test]
fn after_a_failure_an_all_upstream_task_takes_defaults_and_final_statuses() {
    let t = task(json!({
        "dependentTasks": ["exit-handler-1"],
        "triggerPolicy": {"strategy": "ALL_UPSTREAM_TASKS_COMPLETED"},
        "inputs": {"parameters": {
            "status": {"taskFinalStatus": {"producerTask": "exit-handler-1"}},
            "n": {"taskOutputParameter": {"producerTask": "exit-handler-1", "outputParameterKey": "o"}}
        }}
    }));
    let c = component(
        json!({"executorLabel": "exec-x", "inputDefinitions": {"parameters": {
            "status": {"parameterType": "TASK_FINAL_STATUS"},
            "n": {"parameterType": "NUMBER_INTEGER", "defaultValue": 7.0, "isOptional": true}
        }}}),
    );
    let up = BTreeMap::from([(
        "exit-handler-1".to_owned(),
        (TaskState::Failed, Values::default()),
    )]);
    let got = resolve(&t, &c, &Values::default(), &up).unwrap();
    assert_eq!(got.parameters["n"], json!(7.0));
    assert_eq!(
        got.parameters["status"],
        json!({
            "state": "FAILED",
            "pipelineJobResourceName": "runs/r-1",
            "pipelineTaskName": "exit-handler-1",
            "error": {}
        })
    );
}

#[test]
fn sub_dags_get_nulls_for_optional_inputs_and_loops_leave_out_the_item() {
    let t = task(json!({
        "parameterIterator": {"items": {"inputParameter": "pipelinechannel--xs"}, "itemInput": "pipelinechannel--xs-loop-item"},
        "inputs": {"parameters": {"pipelinechannel--xs": {"componentInputParameter": "xs"}}}
    }));
    let c = component(json!({
        "dag": {"tasks": {}},
        "inputDefinitions": {"parameters": {
            "pipelinechannel--xs": {"parameterType": "LIST"},
            "pipelinechannel--xs-loop-item": {"parameterType": "STRING"},
            "opt": {"parameterType": "STRING", "isOptional": true}
        }}
    }));
    let dag = values(json!({"xs": ["a", "b"]}));
    let got = resolve(&t, &c, &dag, &BTreeMap::new()).unwrap();
    assert_eq!(
        Value::Object(got.parameters.into_iter().collect()),
        json!({"pipelinechannel--xs": ["a", "b"], "opt": null})
    );
}

#[test]
fn artifacts_come_from_producers_and_the_dag() {
    let artifact = RuntimeArtifact {
        name: "ds".into(),
        uri: "/tmp/ds".into(),
        ..Default::default()
    };
    let mut produced = Values::default();
    produced
        .artifacts
        .insert("ds".into(), vec![artifact.clone()]);
    let mut dag = Values::default();
    dag.artifacts.insert(
        "pipelinechannel--m".into(),
        vec![artifact.clone(), artifact.clone()],
    );
    let t = task(json!({"inputs": {"artifacts": {
        "a": {"taskOutputArtifact": {"producerTask": "p", "outputArtifactKey": "ds"}},
        "b": {"componentInputArtifact": "pipelinechannel--m"}
    }}}));
    let c = component(
        json!({"executorLabel": "exec-x", "inputDefinitions": {"artifacts": {
            "a": {"artifactType": {"schemaTitle": "system.Dataset"}},
            "b": {"artifactType": {"schemaTitle": "system.Model"}, "isArtifactList": true},
            "c": {"artifactType": {"schemaTitle": "system.Model"}, "isOptional": true}
        }}}),
    );
    let up = BTreeMap::from([("p".to_owned(), (TaskState::Cached, produced))]);
    let got = resolve(&t, &c, &dag, &up).unwrap();
    assert_eq!(got.artifacts["a"], vec![artifact.clone()]);
    assert_eq!(got.artifacts["b"].len(), 2);
    assert!(!got.artifacts.contains_key("c"));
}
