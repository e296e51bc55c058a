//! The checks of the expectation table that take more than a few lines:
//! mostly the random examples, whose checks relate the coin (or die, or
//! number) to the branch that ran.

use kfp_ir_schema::executor::RuntimeArtifact;
use kfp_local::Outcome;
use kfp_local::TaskState::{Skipped, Succeeded};
use serde_json::{Value, json};

use super::*;

/// An integer output.
fn number(outcome: &Outcome, path: &str) -> i64 {
    let value = output(outcome, path, "Output");
    value
        .as_i64()
        .unwrap_or_else(|| panic!("`{path}` returned {value}, not an integer"))
}

/// Which of two groups ran: `ran` succeeded, `other` was skipped.
fn branch(outcome: &Outcome, ran: &str, other: &str) {
    assert_states(outcome, &[(ran, Succeeded), (other, Skipped)]);
}

pub fn flip_coin(run: &Outcome) {
    let side = output(run, "flip-coin", "Output");
    if side == "heads" {
        branch(run, "condition-1", "condition-4");
        let num = number(run, "condition-1/random-num");
        assert!((0..=9).contains(&num), "{num}");
        let (ran, other, said) = if num > 5 {
            (
                "condition-2/print-msg",
                "condition-3",
                format!("heads and {num} > 5!"),
            )
        } else {
            (
                "condition-3/print-msg-2",
                "condition-2",
                format!("heads and {num} <= 5!"),
            )
        };
        assert_eq!(
            input(run, &format!("condition-1/{ran}"), "msg"),
            &json!(said)
        );
        assert_states(run, &[(&format!("condition-1/{other}"), Skipped)]);
    } else {
        assert_eq!(side, "tails");
        branch(run, "condition-4", "condition-1");
        let num = number(run, "condition-4/random-num-2");
        assert!((10..=19).contains(&num), "{num}");
        let (ran, other, said) = if num > 15 {
            (
                "condition-5/print-msg-3",
                "condition-6",
                format!("tails and {num} > 15!"),
            )
        } else {
            (
                "condition-6/print-msg-4",
                "condition-5",
                format!("tails and {num} <= 15!"),
            )
        };
        assert_eq!(
            input(run, &format!("condition-4/{ran}"), "msg"),
            &json!(said)
        );
        assert_states(run, &[(&format!("condition-4/{other}"), Skipped)]);
    }
}

pub fn artifacts_complex(run: &Outcome) {
    let doubled: Vec<String> = run.output_artifacts("datasets").iter().map(text).collect();
    assert_eq!(doubled, ["2", "4", "6"]);
    // 2 + 4 + 6 from the outer loop; 4 + 6 (y >= 2, doubled) three times.
    let sum = run.output_artifacts("sum");
    assert_eq!(sum.len(), 1);
    assert_eq!(text(&sum[0]), "42");
    for i in 0..3 {
        assert_states(
            run,
            &[
                (&format!("for-loop-2/{i}/for-loop-4/0/condition-5"), Skipped),
                (
                    &format!("for-loop-2/{i}/for-loop-4/1/condition-5"),
                    Succeeded,
                ),
            ],
        );
    }
}

pub fn wine_quality(run: &Outcome) {
    let accuracy = run.output("test_accuracy").and_then(Value::as_f64);
    let accuracy = accuracy.unwrap_or_else(|| panic!("no test accuracy: {}", report(run)));
    assert!((0.7..=1.0).contains(&accuracy), "test accuracy {accuracy}");
    assert_eq!(
        executions(run, "train").len(),
        4,
        "one per setting of the sweep"
    );
    let metrics = &run.output_artifacts("metrics")[0];
    assert_eq!(
        metrics.metadata.as_ref().unwrap()["accuracy"],
        json!(accuracy)
    );
    let deployed = executions(run, "deploy");
    assert_eq!(deployed.len(), 1, "deployed once: {}", report(run));
    let to = deployed[0].outputs.as_ref().unwrap().parameters["Output"].as_str();
    let to = std::path::Path::new(to.unwrap());
    assert!(
        to.ends_with("deployed/wine-quality-model.json"),
        "{}",
        to.display()
    );
    let model: Value = serde_json::from_str(&std::fs::read_to_string(to).unwrap()).unwrap();
    assert_eq!(
        model,
        serde_json::from_str::<Value>(&text(&run.output_artifacts("model")[0])).unwrap()
    );
}

/// Asserts that the last command line of the task at `path` has an
/// argument containing `part`.
pub fn command_has(run: &Outcome, path: &str, part: &str) {
    let command = record(run, path).command.clone().unwrap_or_default();
    assert!(command.iter().any(|a| a.contains(part)), "{command:?}");
}

pub fn pipeline_with_condition(run: &Outcome) {
    let flip = output(run, "flip-coin-op", "Output");
    assert_eq!(input(run, "print-op", "msg"), flip);
    if flip == "heads" {
        assert_states(run, &[("condition-1", Succeeded)]);
        let second = output(run, "condition-1/flip-coin-op-2", "Output");
        assert_eq!(input(run, "condition-1/print-op-2", "msg"), second);
        assert_eq!(
            input(run, "condition-1/print-op-3", "msg"),
            "condition test"
        );
    } else {
        assert_states(run, &[("condition-1", Skipped)]);
    }
}

pub fn pipeline_with_nested_conditions(run: &Outcome) {
    let flip2 = output(run, "flip-coin-op-2", "Output");
    // `flip1 != "no-such-result"` always holds.
    assert_states(run, &[("condition-1", Succeeded)]);
    let flip3 = output(run, "condition-1/flip-coin-op-3", "Output");
    let inner = state(run, "condition-1/condition-2");
    if flip2 == flip3 {
        assert_eq!(inner, Succeeded);
        let flip4 = output(run, "condition-1/condition-2/flip-coin-op-4", "Output");
        assert_eq!(
            input(run, "condition-1/condition-2/print-op-4", "msg"),
            flip4
        );
    } else {
        assert_eq!(inner, Skipped);
    }
}

pub fn pipeline_with_nested_conditions_yaml(run: &Outcome) {
    let flip = output(run, "flip-coin", "output");
    let (ran, skipped, number, low, high) = if flip == "heads" {
        (
            "condition-1",
            "condition-4",
            "condition-1/generate-random-number",
            0,
            9,
        )
    } else {
        assert_eq!(flip, "tails");
        (
            "condition-4",
            "condition-1",
            "condition-4/generate-random-number-2",
            10,
            19,
        )
    };
    branch(run, ran, skipped);
    let n = output(run, number, "output").as_i64().unwrap();
    assert!((low..=high).contains(&n), "{number}: {n}");
}

pub fn if_elif_else_complex(run: &Outcome) {
    let mut numbers = Vec::new();
    for i in 0..3 {
        let at = format!("for-loop-1/{i}");
        let number = number(run, &format!("{at}/int-0-to-9999"));
        numbers.push(number);
        // The drumroll on the last trial only.
        let drumroll = if i == 2 { Succeeded } else { Skipped };
        assert_states(run, &[(&format!("{at}/condition-2/condition-3"), drumroll)]);
        let branches = format!("{at}/condition-branches-4");
        let (ran, range) = match number {
            ..5000 => ("condition-8", "low"),
            5001.. => ("condition-9", "high"),
            5000 => ("condition-13", ""),
        };
        for group in ["condition-8", "condition-9", "condition-13"] {
            let expected = if group == ran { Succeeded } else { Skipped };
            assert_states(run, &[(&format!("{branches}/{group}"), expected)]);
        }
        if !range.is_empty() {
            let parity = if number % 2 == 0 { "even" } else { "odd" };
            let said = json!(format!("Got a {range} {parity} number!"));
            let announced = run.tasks.iter().filter(|t| {
                t.path.starts_with(&format!("{branches}/{ran}/"))
                    && t.outputs.as_ref().and_then(|o| o.parameters.get("Output")) == Some(&said)
            });
            // The branch's task, then the task that prints the OneOf.
            assert_eq!(announced.count(), 2, "{said} in {}", report(run));
        }
    }
    assert_eq!(input(run, "print-ints", "ints"), &json!(numbers));
}

pub fn if_else_with_oneof_parameters(run: &Outcome) {
    let side = output(run, "flip-coin", "Output");
    let (said, ran, other) = if side == "heads" {
        ("Got heads!", "condition-2", "condition-3")
    } else {
        ("Got tails!", "condition-3", "condition-2")
    };
    assert_eq!(run.output("Output"), Some(&json!(said)));
    branch(
        run,
        &format!("condition-branches-1/{ran}"),
        &format!("condition-branches-1/{other}"),
    );
    assert_eq!(output(run, "print-and-return-3", "Output"), said);
}

pub fn if_elif_else_with_oneof_parameters(run: &Outcome) {
    let side = output(run, "roll-die-pipeline/flip-three-sided-die", "Output");
    let (said, ran) = match side.as_str().unwrap() {
        "heads" => ("Got heads!", "condition-2"),
        "tails" => ("Got tails!", "condition-3"),
        "draw" => ("Draw!", "condition-4"),
        other => panic!("the die says {other}"),
    };
    assert_eq!(run.output("Output"), Some(&json!(said)));
    assert_eq!(output(run, "roll-die-pipeline", "Output"), said);
    for group in ["condition-2", "condition-3", "condition-4"] {
        let expected = if group == ran { Succeeded } else { Skipped };
        let path = format!("roll-die-pipeline/condition-branches-1/{group}");
        assert_states(run, &[(&path, expected)]);
    }
    assert_eq!(output(run, "print-and-return", "Output"), said);
}

pub fn if_else_with_oneof_artifacts(run: &Outcome) {
    let side = output(run, "flip-coin-pipeline/flip-coin", "Output");
    let at = "flip-coin-pipeline/condition-branches-1";
    let written = if side == "heads" {
        branch(
            run,
            &format!("{at}/condition-2"),
            &format!("{at}/condition-3"),
        );
        format!("{at}/condition-2/param-to-artifact")
    } else {
        branch(
            run,
            &format!("{at}/condition-3"),
            &format!("{at}/condition-2"),
        );
        format!("{at}/condition-3/param-to-artifact-2")
    };
    let artifact = output_artifact(run, &written, "a");
    assert_eq!(side, &json!(text(artifact)));
    for reader in ["flip-coin-pipeline/print-artifact", "print-artifact"] {
        assert_eq!(
            input_artifact(run, reader, "a").uri,
            artifact.uri,
            "{reader}"
        );
    }
}

pub fn pipeline_with_nested_loops(run: &Outcome) {
    // The inner loop iterates over field `p_a` of the outer loop's item.
    for (i, q_as) in [["1", "2"], ["11", "22"]].iter().enumerate() {
        for (j, q_a) in q_as.iter().enumerate() {
            let path = format!("for-loop-1/{i}/for-loop-2/{j}/print-op");
            assert_eq!(input(run, &path, "msg"), q_a);
        }
    }
    for (i, outer) in ["1", "2"].iter().enumerate() {
        assert_eq!(
            input(run, &format!("for-loop-4/{i}/print-op-2"), "msg"),
            outer
        );
        for (j, inner) in ["100", "200", "300"].iter().enumerate() {
            let path = format!("for-loop-4/{i}/for-loop-6/{j}/print-op-3");
            assert_eq!(input(run, &path, "msg"), outer);
            assert_eq!(input(run, &path, "msg2"), inner);
        }
    }
}

pub fn pipeline_with_loops_and_conditions(run: &Outcome) {
    let heads = output(run, "flip-coin-op", "Output") == "heads";
    for (i, (a_a, b_b)) in [("1", ["2", "20"]), ("10", ["22", "222"])]
        .into_iter()
        .enumerate()
    {
        let at = format!("condition-1/for-loop-2/{i}");
        // Conditions on a field of the item: `A_a` is neither heads nor
        // tails in the generated list.
        assert_eq!(input(run, &format!("{at}/print-text"), "msg"), "hello");
        let flipped = if heads { Succeeded } else { Skipped };
        assert_states(
            run,
            &[
                (&format!("{at}/condition-3"), Skipped),
                (&format!("{at}/condition-4"), flipped),
                (&format!("{at}/condition-5"), Skipped),
            ],
        );
        // A loop over field `B_b` of the item.
        for (j, b) in b_b.iter().enumerate() {
            let path = format!("{at}/for-loop-8/{j}/print-text-4");
            assert_eq!(input(run, &path, "msg"), b);
        }
        for j in 0..2 {
            let path = format!("{at}/for-loop-9/{j}/for-loop-10/{i}/print-text-6");
            assert_eq!(input(run, &path, "msg2"), a_a);
        }
    }
    // The loop over the pipeline input's field `B_b`, under a condition on
    // its field `A_a`: only the first item's is heads.
    assert_states(run, &[("for-loop-14/1/condition-15", Skipped)]);
    for (j, b) in ["A", "B"].iter().enumerate() {
        let path = format!("for-loop-14/0/condition-15/for-loop-16/{j}/print-text-9");
        assert_eq!(input(run, &path, "msg"), b);
    }
}

pub fn pipeline_with_loops(run: &Outcome) {
    for (i, item) in ["a", "b"].iter().enumerate() {
        assert_eq!(
            input(run, &format!("for-loop-1/{i}/print-text"), "msg"),
            item
        );
    }
    // Over a task's list of objects, then over a fixed one: one field each.
    for (looped, tasks) in [
        ("for-loop-2", ["print-text-2", "print-text-3"]),
        ("for-loop-4", ["print-text-4", "print-text-5"]),
    ] {
        for (i, (a, b)) in [("1", "2"), ("10", "20")].into_iter().enumerate() {
            let at = format!("{looped}/{i}");
            assert_eq!(input(run, &format!("{at}/{}", tasks[0]), "msg"), a);
            assert_eq!(input(run, &format!("{at}/{}", tasks[1]), "msg"), b);
        }
    }
    assert_eq!(
        input(run, "for-loop-2/1/print-struct", "struct"),
        &json!({"A_a": "10", "B_b": "20"})
    );
}

pub fn pipeline_with_parallelfor_pipeline_param(run: &Outcome) {
    for (i, item) in ["a", "b"].iter().enumerate() {
        let said = format!("p: {item}");
        assert_eq!(
            output(run, &format!("for-loop-1/{i}/print-with-prefix"), "Output"),
            &json!(said)
        );
        let dynamic = format!("dynamic-prefix: {item}");
        let path = format!("for-loop-2/{i}/print-with-prefix-2");
        assert_eq!(output(run, &path, "Output"), &json!(dynamic));
        for outer in 0..2 {
            let path = format!("for-loop-4/{outer}/for-loop-5/{i}/print-with-prefix-3");
            assert_eq!(output(run, &path, "Output"), &json!(said));
        }
    }
    // One at a time (`parallelism(1)`).
    assert_after(
        run,
        "for-loop-1/1/print-with-prefix",
        "for-loop-1/0/print-with-prefix",
    );
}

pub fn pipeline_in_pipeline_complex(run: &Outcome) {
    assert_eq!(output(run, "print-op1", "Output"), "Hello");
    let hello = "for-loop-2/0/inner-pipeline";
    assert_eq!(
        output(run, &format!("{hello}/print-op1"), "Output"),
        "Hello"
    );
    assert_eq!(
        log(run, &format!("{hello}/condition-1/print-op2")),
        "world\n"
    );
    let world = "for-loop-2/1/inner-pipeline";
    assert_eq!(
        output(run, &format!("{world}/print-op1"), "Output"),
        "world!"
    );
    assert_eq!(log(run, &format!("{world}/condition-2/print-op")), "Bye!\n");
    assert_states(
        run,
        &[
            (&format!("{hello}/condition-2"), Skipped),
            (&format!("{world}/condition-1"), Skipped),
        ],
    );
}

pub fn cross_loop_after_topology(run: &Outcome) {
    let all = run
        .tasks
        .iter()
        .filter(|t| t.task_name.starts_with("print-op"));
    assert_eq!(all.count(), 19, "{}", report(run));
    for i in 0..2 {
        for j in 0..2 {
            assert_after(
                run,
                &format!("for-loop-4/{i}/print-op-2"),
                &format!("for-loop-2/{j}/print-op"),
            );
            assert_after(
                run,
                &format!("for-loop-6/{i}/for-loop-8/{j}/print-op-4"),
                &format!("for-loop-6/{i}/print-op-3"),
            );
            assert_after(
                run,
                &format!("for-loop-12/{i}/print-op-8"),
                &format!("for-loop-12/{i}/for-loop-14/{j}/print-op-7"),
            );
        }
        assert_after(run, "print-op-6", &format!("for-loop-10/{i}/print-op-5"));
    }
}

/// Asserts that a `Metrics` artifact holds an accuracy from 0 to 100.
pub fn accuracy_logged(metrics: &RuntimeArtifact) {
    let accuracy = metrics
        .metadata
        .as_ref()
        .and_then(|m| m["accuracy"].as_f64());
    assert!(
        accuracy.is_some_and(|a| (0.0..=100.0).contains(&a)),
        "{metrics:?}"
    );
}

pub fn metrics_visualization_v2(run: &Outcome) {
    let metadata = |task: &str, name: &str| {
        output_artifact(run, task, name)
            .metadata
            .clone()
            .unwrap_or_default()
    };
    let accuracy = metadata("digit-classification", "metrics")["accuracy"].as_f64();
    assert!(accuracy.is_some_and(|a| (a - 43.0 / 45.0 * 100.0).abs() < 1e-9));
    let matrix = &metadata("iris-sgdclassifier", "metrics")["confusionMatrix"];
    assert_eq!(matrix["annotationSpecs"][2]["displayName"], "Virginica");
    assert_eq!(matrix["rows"][1]["row"], json!([0.0, 44.0, 6.0]));
    let roc = &metadata("wine-classification", "metrics")["confidenceMetrics"];
    assert_eq!(roc.as_array().map(Vec::len), Some(5));
    let html = text(output_artifact(run, "html-visualization", "html_artifact"));
    assert!(html.contains("<h1>Hello world</h1>"));
    let markdown = text(output_artifact(
        run,
        "markdown-visualization",
        "markdown_artifact",
    ));
    assert!(markdown.starts_with("## Hello world"));
}

/// Asserts that the runner noted that it ignores the Kubernetes settings
/// of `executor`.
pub fn noted_kubernetes(run: &Outcome, executor: &str) {
    assert!(
        run.notes
            .iter()
            .any(|n| n.starts_with("kubernetes settings of") && n.contains(executor)),
        "{:?}",
        run.notes
    );
}

/// The chain of `tests/chain.rs`: a source and three steps copying its
/// dataset along.
pub fn chain(run: &Outcome) {
    let mut from = output_artifact(run, "source", "out");
    assert_eq!(text(from), "hi\n");
    for step in ["step", "step-2", "step-3"] {
        assert_eq!(input_artifact(run, step, "data").uri, from.uri, "{step}");
        from = output_artifact(run, step, "out");
        assert_eq!(text(from), "hi\n", "{step}");
    }
    assert_eq!(run.tasks.len(), 4);
}

pub fn pipeline_with_dynamic_importer_metadata(run: &Outcome) {
    let image = "us-docker.pkg.dev/vertex-ai/prediction/tf2-gpu.2-5:latest";
    let first = output_artifact(run, "importer", "artifact");
    assert_eq!(first.uri, "gs://ml-pipeline-playground/shakespeare1.txt");
    assert_eq!(
        first
            .metadata
            .as_ref()
            .map(|m| serde_json::Value::Object(m.clone())),
        Some(json!({
            "name": ["default-name", "alias-name"],
            "containerSpec": {"imageUri": image},
        }))
    );
    // Values, keys and text read the task output and the pipeline inputs;
    // a value that is only a placeholder keeps its type (the integer, a
    // protobuf number).
    let second = output_artifact(run, "importer-2", "artifact");
    assert_eq!(
        second
            .metadata
            .as_ref()
            .map(|m| serde_json::Value::Object(m.clone())),
        Some(json!({
            "name": "prefix-a-different-name",
            "list-of-data": ["a-different-name", "default-name", 1.0],
            "a-different-name": "a-different-name",
            "default-name": image,
            "containerSpec": {"imageUri": image},
        }))
    );
}

pub fn collected_artifacts(run: &Outcome) {
    /// The contents of the artifacts of input `name` of the task at
    /// `path`, sorted.
    fn texts(run: &Outcome, path: &str, name: &str) -> Vec<String> {
        let record = record(run, path);
        let list = record.inputs.as_ref().and_then(|i| i.artifacts.get(name));
        let list = list.unwrap_or_else(|| panic!("`{path}` has no input artifact `{name}`"));
        let mut texts: Vec<String> = list.iter().map(text).collect();
        texts.sort();
        texts
    }
    let mut all_models = Vec::new();
    for (i, id) in ["s1", "s2", "s3"].iter().enumerate() {
        let at = format!("collecting-artifacts/for-loop-1/{i}");
        let file = output_artifact(run, &format!("{at}/create-file"), "file");
        assert_eq!(text(file), *id);
        assert_eq!(
            output(run, &format!("{at}/read-single-file"), "Output"),
            &json!(file.uri)
        );
        // The inner loop's datasets (of a sub-pipeline) and models.
        let datasets = texts(run, &format!("{at}/read-datasets"), "data");
        assert_eq!(datasets, ["x", "y", "z"]);
        let models = texts(run, &format!("{at}/read-models"), "models");
        assert_eq!(models, ["x", "y", "z"].map(|c| format!("{c}-{id}")));
        let model = output_artifact(
            run,
            &format!("{at}/for-loop-2/0/read-single-dataset-generate-model"),
            "results",
        );
        let name = format!("model-artifact-inner-iteration-x-{id}");
        assert_eq!(model.metadata.as_ref().unwrap()["model_name"], json!(name));
        all_models.extend(models);
    }
    // The sub-pipeline's output: the models of both loops, one flat list.
    all_models.sort();
    assert_eq!(texts(run, "read-models", "models"), all_models);
}

pub fn lightweight_python_functions_pipeline(run: &Outcome) {
    // Every kind of parameter, written to a file, read by the next task.
    assert_eq!(input(run, "train", "message"), "hello");
    assert_eq!(input(run, "train", "input_bool"), &json!(true));
    assert_eq!(input(run, "train", "input_dict"), &json!({"A": 1, "B": 2}));
    assert_eq!(input(run, "train", "input_list"), &json!(["a", "b", "c"]));
    for dataset in ["dataset_one_path", "dataset_two"] {
        assert_eq!(text(input_artifact(run, "train", dataset)), "hello");
    }
    let model = output_artifact(run, "train", "model");
    let steps = text(model);
    assert_eq!(steps.matches("=====").count(), 100);
    assert!(
        steps.starts_with("Step 0\ndataset_one_contents: hello || "),
        "{steps}"
    );
    assert_eq!(model.metadata.as_ref().unwrap()["accuracy"], json!(0.9));
}

pub fn iris_pipeline_compiled(run: &Outcome) {
    let dataset = text(output_artifact(run, "create-dataset", "iris_dataset"));
    let mut lines = dataset.lines();
    assert_eq!(
        lines.next(),
        Some(",Sepal_Length,Sepal_Width,Petal_Length,Petal_Width,Labels")
    );
    assert_eq!(lines.next(), Some("0,5.1,3.5,1.4,0.2,Iris-setosa"));
    assert_eq!(lines.count(), 52);
    let normalized = output_artifact(run, "normalize-dataset", "normalized_iris_dataset");
    assert_eq!(normalized.metadata.as_ref().unwrap()["state"], "Normalized");
    assert!(text(normalized).starts_with(",0,1,2,3,Labels\n0,"));
    // Standard scaling: every feature has mean 0.
    let mut sums = [0.0; 4];
    for line in text(normalized).lines().skip(1) {
        for (sum, cell) in sums.iter_mut().zip(line.split(',').skip(1)) {
            *sum += cell.parse::<f64>().unwrap();
        }
    }
    assert!(sums.iter().all(|s| s.abs() < 1e-9), "{sums:?}");
    // The confusion matrix of the cross-validation counts every training
    // row (39 of 53) once.
    let metrics = output_artifact(run, "train-model", "metrics");
    let matrix = &metrics.metadata.as_ref().unwrap()["confusionMatrix"];
    let counted: f64 = matrix["rows"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|r| r["row"].as_array().unwrap().iter())
        .map(|v| v.as_f64().unwrap())
        .sum();
    assert_eq!(counted, 39.0);
    assert_eq!(
        matrix["annotationSpecs"][1]["displayName"],
        "Iris-Versicolour"
    );
    let model: Value =
        serde_json::from_str(&text(output_artifact(run, "train-model", "model"))).unwrap();
    assert_eq!(model["n_neighbors"], 3);
    assert_eq!(model["labels"].as_array().unwrap().len(), 39);
}

/// `upload_download_compiled`: a 20 MiB file zipped, copied and read back.
pub fn upload_download(run: &Outcome) {
    let bytes = |path: &str, name: &str| {
        let file = kfp_local::driver::launch::artifact_path(output_artifact(run, path, name));
        std::fs::read(file.unwrap()).unwrap()
    };
    let sent = bytes("send-file", "outgoingfile");
    // One stored entry: headers, the name twice and the end record.
    assert_eq!(sent.len(), 20 * 1024 * 1024 + 126);
    assert!(sent.starts_with(b"PK\x03\x04"));
    assert_eq!(&sent[30..44], b"large_file.txt");
    assert!(bytes("receive-file", "saveartifact") == sent);
    assert_states(run, &[("test-uploaded-artifact", Succeeded)]);
}

/// The workspace is the run's own folder, and the file written there is
/// read back by the path the first task returned.
pub fn pipeline_with_workspace(run: &Outcome) {
    let workspace = input(run, "write-to-workspace", "workspace_path");
    let workspace = workspace.as_str().expect("a path");
    assert!(
        workspace.ends_with(&format!("/runs/{}/.workspace", run.id())),
        "{workspace}"
    );
    let written = output(run, "write-to-workspace", "Output");
    assert_eq!(written, &json!(format!("{workspace}/data/test_file.txt")));
    assert!(
        run.notes.iter().any(|n| n.starts_with(
            "the kubernetes workspace's size (1Gi) and volume settings are a cluster's"
        )),
        "{:?}",
        run.notes
    );
}

/// Each imported artifact keeps its URI and is read from its copy in the
/// workspace, where the launcher downloads it.
pub fn pipeline_with_importer_workspace(run: &Outcome) {
    for (task, input_name, importer) in [
        ("import-stage/train", "dataset", "import-stage/importer"),
        ("import-stage/read-dir", "data", "import-stage/importer-2"),
    ] {
        let given = input_artifact(run, task, input_name);
        let imported = output_artifact(run, importer, "artifact");
        assert_eq!(given.uri, imported.uri);
        let copy = given
            .custom_path
            .as_deref()
            .expect("a copy in the workspace");
        let expected = format!("/runs/{}/.workspace/.artifacts{}", run.id(), given.uri);
        assert!(copy.ends_with(&expected), "{copy}");
    }
    let dataset = input_artifact(run, "import-stage/train", "dataset");
    assert_eq!(text(dataset), "Hello from producer file\n");
}

/// The machine of the job's worker pool, read from three tasks, reaches
/// the job as inputs of its own.
pub fn custom_training_job(run: &Outcome) {
    machine_of_the_job(run, "custom-training-job");
}

/// As [`custom_training_job`], the job in the condition the coin decides.
pub fn custom_training_job_in_a_condition(run: &Outcome) {
    machine_of_the_job(run, "condition-1/custom-training-job");
}

fn machine_of_the_job(run: &Outcome, task: &str) {
    for (name, value) in [
        (
            "pipelinechannel--machine-type-Output",
            json!("n1-standard-4"),
        ),
        (
            "pipelinechannel--accelerator-type-Output",
            json!("NVIDIA_TESLA_P4"),
        ),
        ("pipelinechannel--accelerator-count-Output", json!(1)),
    ] {
        assert_eq!(input(run, task, name), &value, "{name}");
    }
}

/// The task root of the execution at `path`: the folder of its executor
/// output, its artifacts' folder in the pipeline root, under which
/// `get_uri` puts the artifacts the task makes.
fn task_root(run: &Outcome, path: &str) -> std::path::PathBuf {
    let task = kfp_local::TaskPath::parse(&record(run, path).path)
        .unwrap_or_else(|| panic!("`{path}` is no task path"));
    kfp_local::layout::artifact_dir(
        Path::new(&run.run.pipeline_root),
        &run.run.pipeline_name,
        run.id(),
        &task,
    )
}

/// Asserts that `artifact` is the one the task at `path` made at
/// `get_uri(suffix)`, holding `content`.
fn made_at(run: &Outcome, artifact: &RuntimeArtifact, path: &str, suffix: &str, content: &str) {
    assert_eq!(
        Path::new(&artifact.uri),
        task_root(run, path).join(suffix),
        "`{path}`"
    );
    assert_eq!(text(artifact), content, "`{path}`");
}

/// The metadata entry `key` of an artifact.
fn metadata<'a>(artifact: &'a RuntimeArtifact, key: &str) -> &'a Value {
    artifact
        .metadata
        .as_ref()
        .and_then(|m| m.get(key))
        .unwrap_or_else(|| panic!("{} has no metadata `{key}`", artifact.uri))
}

pub fn pythonic_artifacts_test_pipeline(run: &Outcome) {
    let dataset = output_artifact(run, "gen-data", "Output");
    made_at(run, dataset, "gen-data", "Output", "some data");
    assert_eq!(metadata(dataset, "length"), &json!(9));
    // What `train_model` checks itself (it fails otherwise).
    let given = input_artifact(run, "train-model", "dataset");
    assert_eq!(given.uri, dataset.uri);
    assert_eq!(metadata(given, "length"), &json!(9));
    let model = output_artifact(run, "train-model", "Output");
    made_at(run, model, "train-model", "model", "model trained");
}

pub fn pythonic_artifacts_with_multiple_returns(run: &Outcome) {
    let made = output_artifact(run, "make-dataset", "Output");
    made_at(run, made, "make-dataset", "dataset", "Hello, world");
    let splitter = "splitter-pipeline/dataset-splitter";
    let given = input_artifact(run, splitter, "in_dataset");
    assert_eq!(given.uri, made.uri);
    let first = output_artifact(run, splitter, "dataset1");
    made_at(run, first, splitter, "dataset1", "Hello,");
    let second = output_artifact(run, splitter, "dataset2");
    made_at(run, second, splitter, "dataset2", " world");
    for half in [first, second] {
        assert_eq!(metadata(half, "original_data"), &json!(given.name));
    }
    // The pipeline returns the first half.
    let returned: Vec<String> = run.output_artifacts("Output").iter().map(text).collect();
    assert_eq!(returned, ["Hello,"]);
}

pub fn pythonic_artifacts_with_list_of_artifacts(run: &Outcome) {
    let mut made = Vec::new();
    for task in executions(run, "make-dataset") {
        let dataset = output_artifact(run, &task.path, "Output");
        let text = text(dataset);
        assert_eq!(metadata(dataset, "length"), &json!(text.chars().count()));
        made_at(run, dataset, &task.path, "Output", &text);
        made.push(dataset.uri.clone());
    }
    assert_eq!(made.len(), 4);
    let gathered = record(run, "join-datasets").inputs.as_ref().unwrap();
    let gathered: Vec<&str> = gathered.artifacts["datasets"]
        .iter()
        .map(|a| a.uri.as_str())
        .collect();
    assert_eq!(gathered, made, "the loop's datasets, in its order");
    let joined = output_artifact(run, "join-datasets", "Output");
    made_at(run, joined, "join-datasets", "Output", "Hello, world!");
    let returned: Vec<String> = run.output_artifacts("Output").iter().map(text).collect();
    assert_eq!(returned, ["Hello, world!"]);
}

pub fn lightweight_python_functions_with_outputs(run: &Outcome) {
    let dataset = output_artifact(run, "output-artifact", "Output");
    made_at(
        run,
        dataset,
        "output-artifact",
        "Output",
        "Hello world\nHello world\nHello world",
    );
    let task = "output-named-tuple";
    assert_eq!(output(run, task, "scalar"), &json!("123"));
    let metrics = output_artifact(run, task, "metrics");
    let logged: Value = serde_json::from_str(&text(metrics)).unwrap();
    assert_eq!(logged["metrics"][0]["numberValue"], json!(0.9));
    assert!(Path::new(&metrics.uri).ends_with("output-named-tuple/metrics"));
    let model = output_artifact(run, task, "model");
    made_at(
        run,
        model,
        task,
        "model",
        "Model contents: Hello world\nHello world\nHello world",
    );
}

/// Each loop over a sub-pipeline's list of artifacts gave iteration `i`
/// the `i`-th artifact the sub-pipeline's loop made (its URI, name and
/// content), and the task printed and returned its name.
pub fn pipeline_with_parallelfor_list_artifacts_gh_12033(run: &Outcome) {
    for (maker, printer) in [
        ("make-artifact", "print-artifact-name"),
        ("make-dataset", "print-artifact-name-2"),
    ] {
        let mut made = Vec::new();
        for task in executions(run, maker) {
            let artifact = output_artifact(run, &task.path, "Output");
            let content = text(artifact);
            assert_eq!(
                metadata(artifact, "length"),
                &json!(content.chars().count())
            );
            made_at(run, artifact, &task.path, "Output", &content);
            made.push((artifact, content));
        }
        let texts: Vec<&str> = made.iter().map(|(_, t)| t.as_str()).collect();
        assert_eq!(texts, ["Hello", ",", " ", "world!"], "`{maker}`");
        let printed = executions(run, printer);
        assert_eq!(printed.len(), made.len(), "`{printer}`");
        for (task, (artifact, content)) in printed.iter().zip(&made) {
            let given = input_artifact(run, &task.path, "artifact");
            assert_eq!(given.uri, artifact.uri, "`{}`", task.path);
            assert_eq!(given.name, artifact.name, "`{}`", task.path);
            assert_eq!(&text(given), content, "`{}`", task.path);
            assert_eq!(output(run, &task.path, "Output"), &json!(given.name));
        }
    }
}
