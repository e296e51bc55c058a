//! The expectation of every example, by its stem, in the order and the
//! sections of `examples/README.md`. Checks longer than a few lines are
//! functions of `checks`.

use std::path::Path;

use kfp_local::TaskState::{Failed, Skipped, Succeeded};
use serde_json::json;

use super::Expected::{self, Bug, Fails, FailsOnHost, NotRun, Refused, Runs, Slow};
use super::checks;
use super::*;

/// The expectation of example `stem`; `scratch` is a folder of the test's
/// own for files a run writes outside its home.
///
/// # Panics
/// When `stem` has none: a new example needs its line here.
pub fn expected(stem: &str, scratch: &Path) -> Expected {
    getting_started(stem, scratch)
        .or_else(|| components(stem))
        .or_else(|| containers(stem))
        .or_else(|| control_flow(stem))
        .or_else(|| loops(stem))
        .or_else(|| exit_handlers(stem))
        .or_else(|| nested(stem))
        .or_else(|| artifacts(stem))
        .or_else(|| kubernetes(stem))
        .or_else(|| task_settings(stem, scratch))
        .or_else(|| performance(stem))
        .unwrap_or_else(|| {
            panic!(
                "example `{stem}` has no local-run expectation: add one to \
                 tests/local_runs/table.rs (and its cell to examples/README.md)"
            )
        })
}

/// Why kfp-kubernetes' `CreatePVC` fails on the host.
const NO_PVC: &str = "`createpvc` is a cluster's job (its image `argostub/createpvc` is a stub)";

/// What a host run of Google Cloud Pipeline Components' launcher does.
const NO_GCPC: &str = "Google Cloud Pipeline Components' launcher is not installed";

/// `my_program` of kfp's container examples.
const NO_MY_PROGRAM: &str = "`my_program` is not installed";

fn getting_started(stem: &str, scratch: &Path) -> Option<Expected> {
    Some(match stem {
        "quickstart" => Runs {
            note: "",
            params: vec![],
            outputs: vec![("Output", json!(4))],
            check: |run| {
                let corpus = output_artifact(run, "count-words", "corpus");
                assert_eq!(text(corpus), "hello kubeflow from rust");
                assert_eq!(log(run, "show"), "hello kubeflow from rust");
            },
        },
        "hello_world" => Runs {
            note: "",
            params: vec![],
            outputs: vec![],
            check: |run| assert_eq!(log(run, "echo"), "hello world\n"),
        },
        "flip_coin" => Runs {
            note: "the coin decides the branch",
            params: vec![],
            outputs: vec![],
            check: checks::flip_coin,
        },
        "artifacts_complex" => Runs {
            note: "",
            params: vec![],
            outputs: vec![],
            check: checks::artifacts_complex,
        },
        "wine_quality" => Runs {
            note: "trains and deploys a model",
            // Deployed to a folder of the test's, not `kfp-local/deployed`.
            params: vec![("deploy_dir", scratch_path(scratch, "deployed"))],
            outputs: vec![],
            check: checks::wine_quality,
        },
        "pipeline_with_volume" => FailsOnHost {
            because: NO_PVC,
            params: vec![],
            task: "createpvc",
            message: "the command line is empty",
            check: |run| {
                assert_states(
                    run,
                    &[
                        ("producer", Skipped),
                        ("consumer", Skipped),
                        ("deletepvc", Skipped),
                    ],
                )
            },
        },
        _ => return None,
    })
}

fn components(stem: &str) -> Option<Expected> {
    Some(match stem {
        "lightweight_python_functions_pipeline" => Runs {
            note: "",
            params: vec![("message", json!("hello"))],
            outputs: vec![],
            check: checks::lightweight_python_functions_pipeline,
        },
        "iris_pipeline_compiled" => Runs {
            note: "",
            params: vec![],
            outputs: vec![],
            check: checks::iris_pipeline_compiled,
        },
        "preprocess" => Runs {
            note: "",
            params: vec![
                ("message", json!("hi")),
                ("input_dict_parameter", json!({"a": 1})),
                ("input_list_parameter", json!(["x", 2])),
            ],
            outputs: vec![
                ("output_parameter_path", json!("hi")),
                ("output_bool_parameter_path", json!(true)),
                ("output_dict_parameter_path", json!({"a": 1})),
                ("output_list_parameter_path", json!(["x", 2])),
            ],
            check: |_| {},
        },
        "pipeline_with_submit_request" => Runs {
            note: "outside a multi-user deployment it requests nothing",
            params: vec![],
            outputs: vec![],
            check: |_| {},
        },
        "env-var" => Runs {
            note: "given `PATH`, it returns its value",
            params: vec![("env_var", json!("PATH"))],
            outputs: vec![],
            check: |_| {},
        },
        "take_nap_compiled" => NotRun {
            runs: "runs for fifteen minutes (`naptime_secs` is 900)",
            because: "a test cannot stop a Rust-native component it runs in its own process",
        },
        "take_nap_pipeline_root_compiled" => NotRun {
            runs: "runs for fifteen minutes (`naptime_secs` is 900)",
            because: "a test cannot stop a Rust-native component it runs in its own process",
        },
        "fail_v2" => Fails {
            because: "by design (`fail`)",
            params: vec![],
            task: "fail",
            message: "failing on purpose",
            check: |_| {},
        },
        "add_numbers" => Runs {
            note: "",
            params: vec![("a", json!(1)), ("b", json!(2))],
            outputs: vec![("Output", json!(3))],
            check: |_| {},
        },
        "identity" => Runs {
            note: "",
            params: vec![("value", json!("kfp"))],
            outputs: vec![("Output", json!("kfp"))],
            check: |_| {},
        },
        "concat_message" => Runs {
            note: "",
            params: vec![("message1", json!("Hello, ")), ("message2", json!("KFP"))],
            outputs: vec![("Output", json!("Hello, KFP"))],
            check: |_| {},
        },
        "dict_input" => Runs {
            note: "",
            params: vec![("struct", json!({"a": 1, "b": [true]}))],
            outputs: vec![],
            check: |run| {
                assert_eq!(
                    input(run, "dict-input", "struct"),
                    &json!({"a": 1, "b": [true]})
                )
            },
        },
        "nested_return" => Runs {
            note: "",
            params: vec![],
            outputs: vec![(
                "Output",
                json!([{"A_a": "1", "B_b": "2"}, {"A_a": "10", "B_b": "20"}]),
            )],
            check: |_| {},
        },
        "component_with_optional_inputs" => Runs {
            note: "",
            params: vec![],
            outputs: vec![],
            check: |run| {
                assert_eq!(input(run, "component-op", "input1"), "Hello");
                assert_eq!(input(run, "component-op", "input2"), "World");
            },
        },
        "component_with_metadata_fields" => Refused {
            because: "needs input artifacts",
            params: vec![],
            error: "the pipeline takes input artifact `dataset_a`",
        },
        "pipeline_with_metadata_fields" => Refused {
            because: "needs an input artifact",
            params: vec![("string", json!("text"))],
            error: "the pipeline takes input artifact `in_dataset`",
        },
        "arguments_parameters" => Runs {
            note: "",
            params: vec![("param1", json!("hello")), ("param2", json!("world"))],
            outputs: vec![],
            check: |run| assert_eq!(log(run, "echo"), "hello-world\n"),
        },
        "pipeline_with_reused_component" => Runs {
            note: "",
            params: vec![],
            outputs: vec![],
            check: |run| {
                for (task, sum) in [
                    ("add-numbers", 5),
                    ("add-numbers-2", 10),
                    ("add-numbers-3", 17),
                ] {
                    assert_eq!(output(run, task, "Output"), &json!(sum), "{task}");
                }
            },
        },
        "pipeline_with_utils" => Runs {
            note: "",
            params: vec![],
            outputs: vec![],
            check: |run| assert_eq!(input(run, "echo", "msg"), "Hello, World!"),
        },
        _ => return None,
    })
}

fn containers(stem: &str) -> Option<Expected> {
    Some(match stem {
        "sequential_v2" => NotRun {
            runs: "downloads its `url` with `gsutil`, then echoes it",
            because: "it reaches Google Cloud Storage",
        },
        "two_step_pipeline" => NotRun {
            runs: "writes its `text` to Google Cloud Storage with `gsutil`, then reads it back",
            because: "it reaches Google Cloud Storage",
        },
        "pipeline_with_concat_placeholder" => NotRun {
            runs: "checks in a busybox `sh` that the `concat` gave `one+two=three`",
            because: "it writes `/tmp/test` on the host, whose `sh` (dash) has no `[[`",
        },
        "sequential_v1" => Runs {
            note: "",
            params: vec![("param1", json!("one")), ("param2", json!("two"))],
            outputs: vec![],
            check: |run| {
                assert_eq!(log(run, "echo"), "one\n");
                assert_eq!(log(run, "echo-2"), "two\n");
            },
        },
        "container_no_input" => Runs {
            note: "",
            params: vec![],
            outputs: vec![],
            check: |run| assert_eq!(log(run, "container-no-input"), "hello world\n"),
        },
        "container_component_with_no_inputs" => Runs {
            note: "",
            params: vec![],
            outputs: vec![],
            check: |run| assert_eq!(log(run, "hello-world-container"), "hello world\n"),
        },
        "container_io" => FailsOnHost {
            because: NO_MY_PROGRAM,
            params: vec![("text", json!("hi"))],
            task: "container-io",
            message: "could not start `my_program`",
            check: |_| {},
        },
        "container_with_artifact_output" => FailsOnHost {
            because: "its image's `run.sh` is not here",
            params: vec![("num_epochs", json!(3))],
            task: "container-with-artifact-output",
            message: "cannot open run.sh",
            check: |_| {},
        },
        "container_with_concat_placeholder" => FailsOnHost {
            because: NO_MY_PROGRAM,
            params: vec![("text1", json!("hi"))],
            task: "container-with-concat-placeholder",
            message: "could not start `my_program`",
            check: |run| {
                checks::command_has(run, "container-with-concat-placeholder", "prefix-hi/")
            },
        },
        "container_with_if_placeholder" => FailsOnHost {
            because: NO_MY_PROGRAM,
            params: vec![],
            task: "container-with-if-placeholder",
            message: "could not start `my_program`",
            check: |run| checks::command_has(run, "container-with-if-placeholder", "default"),
        },
        "placeholder_with_if_placeholder_none_input_value" => Runs {
            note: "",
            params: vec![],
            outputs: vec![],
            check: |run| {
                assert_eq!(
                    log(run, "component-with-optional-inputs"),
                    "--arg0 input0 --arg2 default value\n"
                )
            },
        },
        "container_with_placeholder_in_fstring" => FailsOnHost {
            because: NO_MY_PROGRAM,
            params: vec![],
            task: "container-with-placeholder-in-fstring",
            message: "could not start `my_program`",
            check: |run| {
                checks::command_has(run, "container-with-placeholder-in-fstring", "prefix-text!")
            },
        },
        "producer_consumer_param_pipeline" => Runs {
            note: "",
            params: vec![],
            outputs: vec![],
            check: |run| {
                let produced = "Hello world, this is an output parameter\n";
                assert_eq!(output(run, "producer", "output_value"), produced);
                assert!(log(run, "consumer").contains(produced));
            },
        },
        "two_step_pipeline_containerized" => Runs {
            note: "",
            params: vec![],
            outputs: vec![],
            check: |run| {
                let written = output_artifact(run, "component1", "output_gcs");
                assert_eq!(text(written), "Hello KFP Containerized!\n");
                assert_eq!(log(run, "component2"), "Hello KFP Containerized!\n");
            },
        },
        "long-running" => Slow {
            because: "for ten minutes (two `sleep 300`): the test stops it",
            task: "wait-op",
            log: "step-1 sleeping for 5m",
        },
        "pipeline_with_params_containing_format" => Runs {
            note: "",
            params: vec![],
            outputs: vec![],
            check: |run| {
                assert_eq!(output(run, "print-op", "Output"), "Hello KFP");
                assert_eq!(output(run, "print-op-2", "Output"), "Hello KFP, again.");
                for (i, said) in ["1 and KFP.", "2 and KFP."].iter().enumerate() {
                    let task = format!("for-loop-2/{i}/print-op2");
                    assert_eq!(output(run, &task, "Output"), said);
                }
            },
        },
        "pipeline_with_dynamic_task_output_custom_training_job" => FailsOnHost {
            because: NO_GCPC,
            params: vec![("project", json!("p")), ("location", json!("l"))],
            task: "custom-training-job",
            message: "No module named 'google_cloud_pipeline_components'",
            check: checks::custom_training_job,
        },
        "pipeline_with_condition_dynamic_task_output_custom_training_job" => FailsOnHost {
            because: NO_GCPC,
            params: vec![("project", json!("p")), ("location", json!("l"))],
            task: "condition-1/custom-training-job",
            message: "No module named 'google_cloud_pipeline_components'",
            check: checks::custom_training_job_in_a_condition,
        },
        "pipeline_with_placeholders" => Runs {
            note: "",
            params: vec![],
            outputs: vec![],
            check: |run| {
                let task = "print-all-placeholders";
                assert_eq!(input(run, task, "job_id"), run.id());
                assert_eq!(input(run, task, "job_name"), run.run.name.as_str());
                assert_eq!(input(run, task, "task_name"), task);
            },
        },
        _ => return None,
    })
}

fn control_flow(stem: &str) -> Option<Expected> {
    Some(match stem {
        "local_execution_pipeline_with_oneof" => Runs {
            note: "",
            params: vec![],
            outputs: vec![("Output", json!("selected:A"))],
            check: |run| assert_states(run, &[("condition-branches-1/condition-3", Skipped)]),
        },
        "pipeline_with_condition" => Runs {
            note: "the coin decides the branch",
            params: vec![],
            outputs: vec![],
            check: checks::pipeline_with_condition,
        },
        "pipeline_with_nested_conditions" => Runs {
            note: "the coins decide the branches",
            params: vec![],
            outputs: vec![],
            check: checks::pipeline_with_nested_conditions,
        },
        "pipeline_with_nested_conditions_yaml" => Runs {
            note: "the coin and a random number decide the branches",
            params: vec![],
            outputs: vec![],
            check: checks::pipeline_with_nested_conditions_yaml,
        },
        "conditional_producer_and_consumers" => Runs {
            note: "",
            params: vec![],
            // The IR declares a list; as on a cluster, the pipeline
            // returns what the task in the condition returned.
            outputs: vec![("Output", json!(10))],
            check: |run| {
                assert_states(run, &[("for-loop-2/0/condition-3", Skipped)]);
                assert_eq!(input(run, "condition-4/add", "nums"), &json!([4, 6]));
            },
        },
        "if_elif_else_complex" => Runs {
            note: "random numbers decide the branches",
            params: vec![],
            outputs: vec![],
            check: checks::if_elif_else_complex,
        },
        "if_else_with_oneof_parameters" => Runs {
            note: "the coin decides the branch",
            params: vec![],
            outputs: vec![],
            check: checks::if_else_with_oneof_parameters,
        },
        "if_elif_else_with_oneof_parameters" => Runs {
            note: "the die decides the branch",
            params: vec![],
            outputs: vec![],
            check: checks::if_elif_else_with_oneof_parameters,
        },
        "if_else_with_oneof_artifacts" => Runs {
            note: "the coin decides the branch",
            params: vec![],
            outputs: vec![],
            check: checks::if_else_with_oneof_artifacts,
        },
        "parameter_oneof" => Runs {
            note: "the coin decides the branch",
            params: vec![],
            outputs: vec![],
            check: |run| {
                let side = output(run, "mantle/core/flip-coin", "Output");
                let said = if side == "heads" {
                    "Got heads!"
                } else {
                    "Got tails!"
                };
                assert_eq!(output(run, "mantle", "Output"), said);
                assert_eq!(input(run, "crust-comp", "input"), said);
            },
        },
        _ => return None,
    })
}

fn loops(stem: &str) -> Option<Expected> {
    Some(match stem {
        "collected_artifacts" => Runs {
            note: "",
            params: vec![],
            outputs: vec![],
            check: checks::collected_artifacts,
        },
        "pipeline_with_collected_artifacts" => Runs {
            note: "",
            params: vec![],
            outputs: vec![("Output", json!("0,1,2"))],
            check: |_| {},
        },
        "parameters_simple" => Runs {
            note: "its container component runs `jq`",
            params: vec![],
            outputs: vec![("Output", json!([2, 4, 6]))],
            check: |run| {
                assert_eq!(output(run, "add", "Output"), &json!(12));
                assert_eq!(output(run, "add-container", "sum"), &json!(12));
            },
        },
        "parameters_complex" => Runs {
            note: "what two nested loops collect is a list of lists",
            params: vec![],
            outputs: vec![("Output", json!(306))],
            check: |run| {
                for i in 0..3 {
                    let task = format!("for-loop-2/{i}/simple-add");
                    assert_eq!(output(run, &task, "Output"), &json!(30));
                }
                assert_eq!(
                    input(run, "nested-add", "nums"),
                    &json!([[8, 10, 12], [8, 10, 12], [8, 10, 12]])
                );
                assert_eq!(output(run, "nested-add", "Output"), &json!(90));
                assert_eq!(input(run, "add-two-numbers", "y"), &json!([90, 90, 90]));
            },
        },
        "nested_with_parameters" => Runs {
            note: "what two nested loops collect is a list of lists",
            params: vec![],
            outputs: vec![("Output", json!([[4, 6, 8], [6, 8, 10], [8, 10, 12]]))],
            check: |run| assert_eq!(output(run, "add", "Output"), &json!(72)),
        },
        "collected_parameters" => Runs {
            note: "",
            params: vec![],
            outputs: vec![],
            check: |run| {
                let ids = json!(["model_id_s1", "model_id_s2", "model_id_s3"]);
                assert_eq!(output(run, "collecting-parameters", "Output"), &ids);
                assert_eq!(input(run, "consume-ids", "ids"), &ids);
                assert_eq!(executions(run, "consume-single-id").len(), 3);
            },
        },
        "pipeline_with_loops" => Runs {
            note: "",
            params: vec![],
            outputs: vec![],
            check: checks::pipeline_with_loops,
        },
        "pipeline_with_nested_loops" => Runs {
            note: "",
            params: vec![],
            outputs: vec![],
            check: checks::pipeline_with_nested_loops,
        },
        "pipeline_with_loops_and_conditions" => Runs {
            note: "the coin decides one condition",
            params: vec![],
            outputs: vec![],
            check: checks::pipeline_with_loops_and_conditions,
        },
        "loop_consume_upstream" => Runs {
            note: "",
            params: vec![],
            outputs: vec![],
            check: |run| {
                for (i, part) in ["component1", "component2", "component3"]
                    .iter()
                    .enumerate()
                {
                    let file = output_artifact(run, &format!("for-loop-1/{i}/create-file"), "file");
                    assert_eq!(&text(file), part);
                }
                assert_eq!(executions(run, "read-file").len(), 3);
            },
        },
        "pipeline_with_parallelfor_parallelism" => Fails {
            because: "an iteration's inputs lose the list its loop iterates (the backend \
                      driver deletes it), so the loop over the same list nested in it finds \
                      no input",
            params: vec![("loop_parameter", json!(["a"]))],
            task: "for-loop-1/0/for-loop-2",
            message: "the enclosing DAG has no input `pipelinechannel--loop_parameter`",
            check: |_| {},
        },
        "pipeline_with_parallelfor_pipeline_param" => Runs {
            note: "",
            params: vec![
                ("loop_parameter", json!(["a", "b"])),
                ("prefix", json!("p")),
            ],
            outputs: vec![],
            check: checks::pipeline_with_parallelfor_pipeline_param,
        },
        "parallel_for_after_dependency" => Runs {
            note: "",
            params: vec![],
            outputs: vec![],
            check: |run| {
                for after in ["print-op-2", "print-op-3"] {
                    for i in 0..3 {
                        assert_after(run, after, &format!("for-loop-2/{i}/print-op"));
                    }
                }
            },
        },
        "cross_loop_after_topology" => Runs {
            note: "",
            params: vec![],
            outputs: vec![],
            check: checks::cross_loop_after_topology,
        },
        _ => return None,
    })
}

fn exit_handlers(stem: &str) -> Option<Expected> {
    Some(match stem {
        "component_with_task_final_status_GH-12033" => Fails {
            because: "compiled on its own, no exit handler gives it its `status`",
            params: vec![],
            task: "exit-comp",
            message: "expected a task's final status",
            check: |_| {},
        },
        "local_execution_pipeline_with_exit_handler" => Runs {
            note: "the exit task gets the status `COMPLETE`, the backend's word",
            params: vec![],
            outputs: vec![],
            check: |run| {
                assert_eq!(
                    output(run, "record-exit", "Output"),
                    &json!("exit:COMPLETE")
                );
            },
        },
        "pipeline_with_exit_handler" => Fails {
            because: "by design (`fail-op`); the exit task runs",
            params: vec![],
            task: "exit-handler-1/fail-op",
            message: "Task failed.",
            check: |run| {
                assert_states(
                    run,
                    &[
                        ("exit-handler-1/print-op-2", Succeeded),
                        ("print-op", Succeeded),
                    ],
                )
            },
        },
        "pipeline_with_multiple_exit_handlers" => Fails {
            because: "by design (`fail-op`); the three exit tasks run",
            params: vec![],
            task: "exit-handler-1/fail-op",
            message: "Task failed.",
            check: |run| {
                assert_states(
                    run,
                    &[
                        ("exit-handler-1", Failed),
                        ("exit-handler-2", Succeeded),
                        ("exit-handler-3", Succeeded),
                        ("print-op", Succeeded),
                        ("print-op-3", Succeeded),
                        ("print-op-5", Succeeded),
                    ],
                )
            },
        },
        "pipeline_with_task_final_status" => Fails {
            because: "by design (`fail-op`); the exit task gets the status `FAILED`",
            params: vec![],
            task: "exit-handler-1/fail-op",
            message: "Task failed.",
            check: |run| {
                let status = input(run, "exit-op", "status");
                assert_eq!(status["state"], "FAILED");
                assert_eq!(status["pipelineTaskName"], "exit-handler-1");
                assert_eq!(input(run, "exit-op", "user_input"), "Hello World!");
            },
        },
        "pipeline_with_task_final_status_yaml" => Runs {
            note: "",
            params: vec![],
            outputs: vec![],
            check: |run| {
                let status = input(run, "exit-op", "status");
                assert_eq!(status["state"], "COMPLETE");
                assert_eq!(status["pipelineTaskName"], "exit-handler-1");
                assert_eq!(log(run, "exit-handler-1/print-op"), "Hello World!\n");
            },
        },
        "pipeline_with_input_status_state" => Runs {
            note: "",
            params: vec![],
            outputs: vec![],
            check: |run| assert_eq!(input(run, "echo-state", "status")["state"], "COMPLETE"),
        },
        "pipeline_as_exit_task" => Fails {
            because: "by design (`fail-op`); the exit pipeline runs its failure branch",
            params: vec![],
            task: "exit-handler-1/fail-op",
            message: "Task failed.",
            check: |run| {
                let state = output(run, "conditional-notification/get-run-state", "Output");
                assert_eq!(state, "FAILED");
                assert_states(
                    run,
                    &[("conditional-notification/condition-1/print-op", Succeeded)],
                );
            },
        },
        _ => return None,
    })
}

fn nested(stem: &str) -> Option<Expected> {
    Some(match stem {
        "nested_pipeline_opt_inputs_parent_level_compiled" => Runs {
            note: "",
            params: vec![],
            outputs: vec![],
            check: |_| {},
        },
        "nested_pipeline_opt_input_child_level_compiled" => Runs {
            note: "",
            params: vec![],
            outputs: vec![],
            check: |_| {},
        },
        "nested_pipeline_opt_inputs_nil_compiled" => Runs {
            note: "",
            params: vec![],
            outputs: vec![],
            check: |run| {
                assert_states(
                    run,
                    &[
                        ("nested-pipeline/component-bool", Succeeded),
                        ("nested-pipeline/component-int", Succeeded),
                        ("nested-pipeline/component-str", Succeeded),
                    ],
                );
            },
        },
        "pipeline_in_pipeline" => Runs {
            note: "",
            params: vec![],
            outputs: vec![],
            check: |run| {
                assert_eq!(output(run, "print-op1", "Output"), "Hello");
                assert_eq!(output(run, "inner-pipeline/print-op1", "Output"), "world");
                assert_eq!(log(run, "inner-pipeline/print-op2"), "world\n");
            },
        },
        "pipeline_in_pipeline_complex" => Runs {
            note: "`Hello` takes the first branch, `world!` the second",
            params: vec![],
            outputs: vec![],
            check: checks::pipeline_in_pipeline_complex,
        },
        "pipeline_in_pipeline_loaded_from_yaml" => FailsOnHost {
            because: "the Rust-native components of its loaded pipeline are another binary's",
            params: vec![],
            task: "pipeline-in-pipeline/print-op1",
            message: "could not start `/usr/local/bin/pipeline_with_outputs`",
            check: |_| {},
        },
        "pipeline_with_outputs" => Runs {
            note: "",
            params: vec![],
            outputs: vec![],
            check: |run| {
                let data = run.output_artifacts("Output");
                assert_eq!(data.len(), 1);
                assert_eq!(text(&data[0]), "world\n");
                assert_eq!(output(run, "inner-pipeline", "msg"), "world");
            },
        },
        "pipeline_producer_consumer" => Runs {
            note: "what two nested loops collect is a list of lists",
            params: vec![],
            outputs: vec![("Output", json!(36))],
            check: |run| {
                assert_eq!(
                    input(run, "add-pipeline/add", "nums"),
                    &json!([[2, 4, 6], [2, 4, 6], [2, 4, 6]])
                );
                assert_eq!(
                    output(
                        run,
                        "add-pipeline/for-loop-2",
                        "pipelinechannel--echo-and-return-Output"
                    ),
                    &json!(["m", "a", "t", "h"])
                );
                assert_states(run, &[("join-and-print", Succeeded)]);
            },
        },
        "multiple_parameters_namedtuple" => Runs {
            note: "",
            params: vec![],
            outputs: vec![],
            check: |run| {
                assert_eq!(input(run, "crust-comp", "val1"), "foo");
                assert_eq!(input(run, "crust-comp", "val2"), "bar");
            },
        },
        "multiple_artifacts_namedtuple" => Runs {
            note: "",
            params: vec![],
            outputs: vec![],
            check: |run| {
                assert_eq!(text(input_artifact(run, "crust-comp", "ds1")), "foo");
                assert_eq!(text(input_artifact(run, "crust-comp", "ds2")), "bar");
            },
        },
        "mixed_parameters" => Runs {
            note: "",
            params: vec![],
            outputs: vec![],
            check: |run| {
                // The constant is a float in the IR, as kfp writes it.
                assert_eq!(input(run, "crust-comp", "x"), &json!(2.0));
                assert_eq!(input(run, "crust-comp", "y"), &json!(1));
            },
        },
        "parameter_cache" => Runs {
            note: "",
            params: vec![],
            outputs: vec![],
            check: |run| assert_eq!(input(run, "crust-comp", "input"), "foo"),
        },
        "artifact_crust" => Runs {
            note: "",
            params: vec![],
            outputs: vec![],
            check: |run| assert_eq!(text(input_artifact(run, "crust-comp", "input")), "foo"),
        },
        "artifact_cache" => Runs {
            note: "",
            params: vec![],
            outputs: vec![],
            check: |run| assert_eq!(text(input_artifact(run, "crust-comp", "input")), "foo"),
        },
        _ => return None,
    })
}

/// What a host run does with an importer of a `gs://` file.
const NO_GCS: &str = "the `gs://` file its importer names is not on this machine";

fn artifacts(stem: &str) -> Option<Expected> {
    Some(match stem {
        "input_artifact" => Refused {
            because: "needs an input artifact",
            params: vec![],
            error: "the pipeline takes input artifact `data`",
        },
        "artifacts_simple" => Runs {
            note: "its container component runs `python`",
            params: vec![],
            outputs: vec![],
            check: |run| {
                let doubled: Vec<String> =
                    run.output_artifacts("Output").iter().map(text).collect();
                assert_eq!(doubled, ["2", "4", "6"]);
                assert_eq!(text(output_artifact(run, "add", "out_dataset")), "12");
                assert_eq!(
                    text(output_artifact(run, "add-container", "out_dataset")),
                    "12"
                );
            },
        },
        "pipeline_with_dynamic_importer_metadata" => Runs {
            note: "its importers register their `gs://` URIs, which nothing reads",
            params: vec![],
            outputs: vec![],
            check: checks::pipeline_with_dynamic_importer_metadata,
        },
        "pipeline_with_importer" => FailsOnHost {
            because: NO_GCS,
            params: vec![],
            task: "train",
            message: "No such file or directory",
            check: |run| {
                let imported = output_artifact(run, "importer", "artifact");
                assert_eq!(imported.uri, "gs://ml-pipeline-playground/shakespeare1.txt");
                assert_states(run, &[("condition-1", Skipped)]);
            },
        },
        "pipeline_with_workspace" => Runs {
            note: "its tasks share the run's workspace folder",
            params: vec![],
            outputs: vec![("Output", json!("Hello from workspace!"))],
            check: checks::pipeline_with_workspace,
        },
        "pipeline_with_importer_workspace" => Runs {
            note: "its importers copy a file and a folder into the run's workspace",
            params: vec![],
            outputs: vec![
                ("dir_result", json!("part-000.txt,part-001.txt")),
                ("train_result", json!("123")),
            ],
            check: checks::pipeline_with_importer_workspace,
        },
        "components_with_optional_artifacts" => Runs {
            note: "its `gs://` importer only passes the URI on",
            params: vec![],
            outputs: vec![],
            check: |run| {
                for task in ["custom-artifact-printer", "custom-artifact-printer-2"] {
                    assert_eq!(log(run, task), "No artifact provided!\n");
                }
                let given =
                    input_artifact(run, "inner-pipeline/python-artifact-printer", "artifact");
                assert_eq!(given.uri, "gs://ml-pipeline-playground/shakespeare1.txt");
                assert_states(
                    run,
                    &[("inner-pipeline-2/python-artifact-printer", Succeeded)],
                );
            },
        },
        "pipeline_with_google_artifact_type" => Runs {
            note: "its `gs://` importer only passes the URI on",
            params: vec![],
            outputs: vec![],
            check: |run| {
                let model = input_artifact(run, "model-consumer", "model");
                assert_eq!(text(model), "my model");
                let dataset = input_artifact(run, "model-consumer", "dataset");
                assert_eq!(dataset.uri, "gs://ml-pipeline-playground/shakespeare1.txt");
                assert_eq!(dataset.metadata.as_ref().unwrap()["key"], "value");
            },
        },
        "pipeline_with_importer_and_gcpc_types" => FailsOnHost {
            because: "`cmd` of its loaded component is not installed",
            params: vec![],
            task: "consumer-op",
            message: "could not start `cmd`",
            check: |run| {
                let dataset = input_artifact(run, "consumer-op", "dataset");
                assert_eq!(dataset.uri, "gs://ml-pipeline-playground/shakespeare1.txt");
                assert_eq!(dataset.metadata.as_ref().unwrap()["key"], "value");
            },
        },
        "pipeline_with_various_io_types" => Refused {
            because: "needs an input artifact",
            params: vec![("input1", json!("text"))],
            error: "the pipeline takes input artifact `input3`",
        },
        "pipeline_with_artifact_custom_path" => Runs {
            note: "",
            params: vec![],
            outputs: vec![],
            check: |run| {
                assert_eq!(
                    output(run, "validate-input-artifact", "Output"),
                    &json!(true)
                );
                let given = input_artifact(run, "validate-input-artifact", "in_dataset");
                assert_eq!(given.custom_path.as_deref(), Some("/tmp/out_dataset"));
                assert_eq!(text(given), "Hello, World!");
            },
        },
        "upload_download_compiled" => Runs {
            note: "the artifact is read back at its local path, not from MinIO",
            params: vec![
                ("bucket_name", json!("mlpipeline")),
                (
                    "mlpipeline_minio_artifact_secret",
                    json!("{'host': 'bWluaW8tc2VydmljZS5rdWJlZmxvdw==', 'port': 'OTAwMA=='}"),
                ),
            ],
            outputs: vec![],
            check: checks::upload_download,
        },
        "pipeline_with_artifact_upload_download" => Runs {
            note: "from a `file://` folder given as `dataset_repo` (the Hugging Face Hub needs \
                   the network)",
            params: vec![(
                "dataset_repo",
                json!(concat!(
                    "file://",
                    env!("CARGO_MANIFEST_DIR"),
                    "/examples/components"
                )),
            )],
            outputs: vec![],
            check: |run| {
                let dataset = output_artifact(
                    run,
                    "download-dataset-and-upload-as-artifact",
                    "output_dataset",
                );
                let folder = kfp_local::driver::launch::artifact_path(dataset).unwrap();
                assert!(folder.join("echo.yaml").is_file(), "{}", folder.display());
                assert_states(run, &[("print-dataset-info", Succeeded)]);
            },
        },
        "modelcar" => FailsOnHost {
            because: "the OCI model image its importer names is not pulled here",
            params: vec![],
            task: "get-model-files-list",
            message: "The model does not exist at",
            check: |run| {
                let built = output_artifact(run, "build-model-car", "model");
                assert_eq!(built.uri, "oci://registry.domain.local/org/repo:v1.0");
            },
        },
        "pythonic_artifact_with_single_return" => FailsOnHost {
            because: NO_GCS,
            params: vec![],
            task: "make-language-model",
            message: "No such file or directory",
            check: |run| {
                let given = input_artifact(run, "make-language-model", "text_dataset");
                assert_eq!(given.uri, "gs://ml-pipeline-playground/shakespeare1.txt");
            },
        },
        "pythonic_artifacts_with_multiple_returns" => Runs {
            note: "",
            params: vec![],
            outputs: vec![],
            check: checks::pythonic_artifacts_with_multiple_returns,
        },
        "pythonic_artifacts_with_list_of_artifacts" => Runs {
            note: "",
            params: vec![],
            outputs: vec![],
            check: checks::pythonic_artifacts_with_list_of_artifacts,
        },
        "pipeline_with_parallelfor_list_artifacts_GH-12033" => Runs {
            note: "iteration `i` gets the `i`-th artifact, as kfp.local does (the KFP backend's \
                   driver does not implement `artifactIterator`)",
            params: vec![],
            outputs: vec![],
            check: checks::pipeline_with_parallelfor_list_artifacts_gh_12033,
        },
        "pythonic_artifacts_test_pipeline" => Runs {
            note: "",
            params: vec![],
            outputs: vec![],
            check: checks::pythonic_artifacts_test_pipeline,
        },
        "lightweight_python_functions_with_outputs" => Runs {
            note: "",
            params: vec![
                ("first_message", json!("Hello")),
                ("second_message", json!(" world")),
                ("first_number", json!(1)),
                ("second_number", json!(2)),
            ],
            outputs: vec![],
            check: checks::lightweight_python_functions_with_outputs,
        },
        "output_metrics" => Runs {
            note: "",
            params: vec![],
            outputs: vec![],
            check: |run| checks::accuracy_logged(&run.output_artifacts("metrics")[0]),
        },
        "pipeline_with_metrics_outputs" => Runs {
            note: "",
            params: vec![],
            outputs: vec![],
            check: |run| {
                checks::accuracy_logged(output_artifact(run, "output-metrics", "metrics"));
                for i in 0..2 {
                    let task = format!("for-loop-2/{i}/output-metrics-2");
                    checks::accuracy_logged(output_artifact(run, &task, "metrics"));
                }
            },
        },
        "metrics_visualization_v2" => Runs {
            note: "",
            params: vec![],
            outputs: vec![],
            check: checks::metrics_visualization_v2,
        },
        _ => return None,
    })
}

/// What a host run does with Kubernetes settings (a note of the runner).
const IGNORED: &str = "its Kubernetes settings are ignored";

fn kubernetes(stem: &str) -> Option<Expected> {
    Some(match stem {
        "nvidia_gpu_scheduling_check" => Runs {
            note: IGNORED,
            params: vec![],
            outputs: vec![],
            check: |run| {
                checks::noted_kubernetes(run, "exec-verify-gpu-scheduled");
                assert_eq!(
                    log(run, "verify-gpu-scheduled"),
                    "GPU scheduling check: PASS\n"
                );
            },
        },
        "pvc_mount" => FailsOnHost {
            because: "no volume is mounted at `/data`",
            params: vec![("pvc_name", json!("my-pvc"))],
            task: "producer",
            message: "No such file or directory",
            check: |run| assert_states(run, &[("consumer", Skipped)]),
        },
        "pipeline_with_volume_no_cache" => FailsOnHost {
            because: NO_PVC,
            params: vec![],
            task: "createpvc",
            message: "the command line is empty",
            check: |run| assert_states(run, &[("producer", Skipped), ("deletepvc", Skipped)]),
        },
        "pipeline_with_volume_long_name" => FailsOnHost {
            because: NO_PVC,
            params: vec![],
            task: "createpvc",
            message: "the command line is empty",
            check: |run| assert_states(run, &[("dummy-task", Succeeded)]),
        },
        "parallel_for_mount_pvc" => FailsOnHost {
            because: NO_PVC,
            params: vec![],
            task: "createpvc",
            message: "the command line is empty",
            check: |run| assert_states(run, &[("for-loop-2", Skipped)]),
        },
        "pipeline_with_secret_as_env" => FailsOnHost {
            because: "no Kubernetes secret sets its environment",
            params: vec![],
            task: "comp",
            message: "right: \"user1\"",
            check: |run| {
                assert_eq!(
                    output(run, "generate-secret-name", "some_output"),
                    "test-secret-3"
                );
            },
        },
        "pipeline_with_secret_as_volume" => FailsOnHost {
            because: "no Kubernetes secret is mounted at `/mnt/my_vol`",
            params: vec![],
            task: "comp",
            message: "Secret not found",
            check: |_| {},
        },
        "parallel_for_secret" => Runs {
            note: "its Kubernetes secret is not set",
            params: vec![],
            outputs: vec![],
            check: |run| {
                checks::noted_kubernetes(run, "exec-example-component");
                for i in 0..3 {
                    let task = format!("for-loop-2/{i}/example-component");
                    assert_eq!(output(run, &task, "Output"), "not-set");
                }
                // One at a time (`parallelism(1)`).
                assert_after(
                    run,
                    "for-loop-2/1/example-component",
                    "for-loop-2/0/example-component",
                );
                assert_after(
                    run,
                    "for-loop-2/2/example-component",
                    "for-loop-2/1/example-component",
                );
            },
        },
        "nested_parallel_for_secret" => Runs {
            note: "its Kubernetes secret is not set",
            params: vec![],
            outputs: vec![],
            check: |run| {
                assert_eq!(output(run, "emit-secret-name", "Output"), "test-secret-1");
                for i in 0..2 {
                    let task = format!("for-loop-2/{i}/worker-component");
                    assert_eq!(output(run, &task, "Output"), "not-set");
                }
            },
        },
        "pipeline_with_pod_metadata" => FailsOnHost {
            because: "a process has no pod labels or annotations",
            params: vec![],
            task: "validate-pod-metadata-task-a",
            message: "Pod annotation is  but is supposed to be annotation.",
            check: |run| assert_states(run, &[("validate-no-pod-metadata", Succeeded)]),
        },
        "create_pod_metadata_complex" => FailsOnHost {
            because: "a process has no pod labels or annotations",
            params: vec![],
            task: "validate-pod-metadata",
            message: "POD_TASK_ANNOTATION is  but is supposed to be annotation.",
            check: |run| assert_states(run, &[("validate-no-pod-metadata", Succeeded)]),
        },
        "missing_kubernetes_optional_inputs" => Runs {
            note: IGNORED,
            params: vec![],
            outputs: vec![],
            check: |run| {
                checks::noted_kubernetes(run, "exec-log-message");
                assert_eq!(input(run, "log-message", "message"), "baseline task");
            },
        },
        _ => return None,
    })
}

fn task_settings(stem: &str, scratch: &Path) -> Option<Expected> {
    Some(match stem {
        "local_execution_pipeline_with_retry" => Runs {
            note: "its first attempt fails, the retry succeeds",
            params: vec![("counter_path", scratch_path(scratch, "attempts"))],
            outputs: vec![("Output", json!("attempt=2"))],
            check: |run| assert_eq!(record(run, "flaky").attempts, 2),
        },
        "local_execution_pipeline_with_ignore_upstream_failure" => Fails {
            because: "by design (`fail-always`); `write-marker` runs after it",
            params: vec![("marker_path", scratch_path(scratch, "marker"))],
            task: "fail-always",
            message: "upstream failed intentionally",
            check: |run| {
                assert_states(run, &[("write-marker", Succeeded)]);
                assert_eq!(output(run, "write-marker", "Output"), &json!("cleanup_ran"));
            },
        },
        "local_execution_pipeline_with_k8s_only_methods" => Runs {
            note: "",
            params: vec![],
            outputs: vec![("Output", json!("hello"))],
            check: |_| {},
        },
        "pipeline_with_caching" => Runs {
            note: "",
            params: vec![],
            outputs: vec![("Output", json!(2))],
            check: |_| {},
        },
        "pipeline_with_after" => Runs {
            note: "",
            params: vec![],
            outputs: vec![],
            check: |run| {
                assert!(log(run, "print-text").contains("\n1st task\n"));
                assert_after(run, "print-text-2", "print-text");
                assert_after(run, "print-text-3", "print-text-2");
            },
        },
        "pipeline_with_task_using_ignore_upstream_failure" => Fails {
            because: "by design (`fail-op`); `print-op` runs after it, with its default",
            params: vec![],
            task: "fail-op",
            message: "its command ended with exit code 1",
            check: |run| {
                assert_states(run, &[("print-op", Succeeded)]);
                assert_eq!(input(run, "print-op", "message"), &json!("default"));
            },
        },
        "pipeline_with_retry" => Runs {
            note: "",
            params: vec![],
            outputs: vec![],
            check: |run| {
                assert_eq!(output(run, "add", "Output"), &json!(8.0));
                assert_eq!(record(run, "add").attempts, 1);
            },
        },
        "pipeline_with_env" => Runs {
            note: "",
            params: vec![],
            outputs: vec![],
            check: |run| {
                let printed = log(run, "print-env");
                assert!(
                    printed.ends_with("val0\n+ echo val2\nval2\n+ echo val3\nval3\n"),
                    "{printed}"
                );
            },
        },
        "component_with_env_variable" => Bug {
            bug: "a Rust-native component run in the test's process does not see its task's environment variables",
            symptom: "\"UNSET\"",
            expected: Box::new(Runs {
                note: "",
                params: vec![],
                outputs: vec![("Output", json!("env_var_value"))],
                check: |_| {},
            }),
        },
        "pipeline_with_string_machine_fields_pipeline_input" => Runs {
            note: "resource settings are not applied",
            params: vec![],
            outputs: vec![],
            check: |run| assert_eq!(output(run, "sum-numbers", "Output"), &json!(3)),
        },
        "pipeline_with_string_machine_fields_task_output" => Runs {
            note: "resource settings are not applied",
            params: vec![],
            outputs: vec![],
            check: |run| {
                assert_eq!(output(run, "sum-numbers", "Output"), &json!(3));
                for setting in [
                    "cpu-limit",
                    "memory-limit",
                    "accelerator-type",
                    "accelerator-limit",
                ] {
                    assert_after(run, "sum-numbers", setting);
                }
            },
        },
        "log_streaming_compiled" => NotRun {
            runs: "runs",
            because: "it prints for a minute",
        },
        _ => return None,
    })
}

fn performance(stem: &str) -> Option<Expected> {
    Some(match stem {
        "chain" => Runs {
            note: "",
            params: vec![],
            outputs: vec![],
            check: checks::chain,
        },
        _ => return None,
    })
}
