//! `examples/wine_quality.rs`, the machine-learning example: its pipeline
//! compiles to valid IR, and its components, run through the executor entry
//! as KFP runs them (`--executor_input JSON --function_to_execute NAME`),
//! load the data, train, select, evaluate and deploy on temporary folders;
//! the whole pipeline runs locally as `examples/README.md` says.

mod local_runs;

#[allow(dead_code)]
#[path = "../examples/wine_quality.rs"]
mod wine_quality;

use std::path::{Path, PathBuf};
use std::time::Instant;

use serde_json::{Value, json};

use wine_quality::wine_quality::ENTRY;

#[test]
fn the_pipeline_compiles_to_valid_ir() {
    let file = kfp_dsl::compile(ENTRY).unwrap_or_else(|e| panic!("{e}"));
    kfp_ir_schema::validate::validate_spec(&file.spec, file.platform.as_ref())
        .unwrap_or_else(|e| panic!("{e}"));
    let yaml = file.to_yaml();
    if let Some(out) = std::env::var_os("KFP_IR_OUT_DIR") {
        let dir = Path::new(&out).join("examples");
        std::fs::create_dir_all(&dir).unwrap();
        std::fs::write(dir.join("wine_quality.yaml"), &yaml).unwrap();
    }
    let ir = serde_json::to_value(&file.spec).unwrap();

    // Every input has a default, so a run needs no arguments.
    let inputs = ir["root"]["inputDefinitions"]["parameters"]
        .as_object()
        .unwrap();
    for name in ["seed", "sweep", "min_accuracy", "deploy_dir"] {
        assert_eq!(inputs[name]["isOptional"], true, "{name}");
    }
    assert_eq!(
        inputs["deploy_dir"]["defaultValue"], "kfp-local/deployed",
        "a relative folder"
    );
    // One `train` task per setting of the `sweep` input, gathered after.
    let tasks = &ir["root"]["dag"]["tasks"];
    let loops: Vec<&Value> = tasks
        .as_object()
        .unwrap()
        .values()
        .filter(|t| t.get("parameterIterator").is_some())
        .collect();
    assert_eq!(loops.len(), 1);
    assert_eq!(
        loops[0]["parameterIterator"]["items"]["inputParameter"],
        "pipelinechannel--sweep"
    );
    for input in ["models", "accuracies"] {
        let source = &tasks["select-best"]["inputs"];
        assert!(
            source["artifacts"][input].is_object() || source["parameters"][input].is_object(),
            "select-best takes `{input}` from the loop"
        );
    }
    // `deploy` runs only when the test accuracy reaches `min_accuracy`.
    let condition = tasks
        .as_object()
        .unwrap()
        .values()
        .find(|t| t.get("triggerPolicy").is_some())
        .expect("a condition");
    assert_eq!(
        condition["triggerPolicy"]["condition"],
        "double(inputs.parameter_values['pipelinechannel--evaluate-Output']) >= \
         double(inputs.parameter_values['pipelinechannel--min_accuracy'])"
    );
    let outputs = ir["root"]["outputDefinitions"].to_string();
    for output in [
        "model",
        "metrics",
        "classification_metrics",
        "test_accuracy",
    ] {
        assert!(outputs.contains(&format!("\"{output}\"")), "{outputs}");
    }
}

/// Runs components of the example through its executor entry, each task in
/// its own folder under `root`, as KFP lays them out.
struct Executor {
    root: PathBuf,
}

impl Executor {
    /// Runs `function` as the task `task` with these parameter values and
    /// input artifacts (name to a list of artifacts as an earlier task's
    /// executor output gives them); `outputs` names the output artifacts
    /// and their schema titles. Returns the executor output.
    fn run(
        &self,
        task: &str,
        function: &str,
        parameters: Value,
        inputs: Value,
        outputs: &[(&str, &str)],
    ) -> Value {
        let dir = self.root.join(task);
        let artifacts: serde_json::Map<String, Value> = outputs
            .iter()
            .map(|(name, title)| {
                let artifact = json!({
                    "name": name,
                    "type": {"schemaTitle": title},
                    "uri": dir.join(name),
                    "metadata": {}
                });
                (name.to_string(), json!({"artifacts": [artifact]}))
            })
            .collect();
        let output_file = dir.join("executor_output.json");
        let input = json!({
            "inputs": {"parameterValues": parameters, "artifacts": inputs},
            "outputs": {
                "artifacts": artifacts,
                "parameters": {"Output": {"outputFile": dir.join("Output")}},
                "outputFile": output_file
            }
        });
        let start = Instant::now();
        let status = kfp_dsl::run_with_args(
            ENTRY,
            None,
            [
                "wine_quality",
                "--executor_input",
                &input.to_string(),
                "--function_to_execute",
                function,
            ],
        );
        println!("{task}: {:.0?}", start.elapsed());
        assert_eq!(status, 0, "{function} failed");
        serde_json::from_str(&std::fs::read_to_string(output_file).unwrap()).unwrap()
    }
}

/// The artifacts of output `name` of an executor output.
fn artifacts(output: &Value, name: &str) -> Value {
    output["artifacts"][name].clone()
}

/// The local file of the single artifact of output `name`.
fn file(output: &Value, name: &str) -> PathBuf {
    PathBuf::from(
        output["artifacts"][name]["artifacts"][0]["uri"]
            .as_str()
            .unwrap(),
    )
}

fn metadata<'a>(output: &'a Value, name: &str) -> &'a Value {
    &output["artifacts"][name]["artifacts"][0]["metadata"]
}

/// The data rows of a CSV dataset (its lines but the header).
fn data_rows(path: &Path) -> usize {
    std::fs::read_to_string(path).unwrap().lines().count() - 1
}

fn is_sorted(values: &[f64], ascending: bool) -> bool {
    values.windows(2).all(|w| {
        if ascending {
            w[0] <= w[1]
        } else {
            w[0] >= w[1]
        }
    })
}

#[test]
fn the_components_train_select_evaluate_and_deploy_on_real_data() {
    let root = tempfile::tempdir().unwrap();
    let executor = Executor {
        root: root.path().join("run"),
    };

    // Load: a 60/20/20 split of the 1599 wines, each split about as good.
    let loaded = executor.run(
        "load-data",
        "load_data",
        json!({"seed": 7}),
        json!({}),
        &[
            ("train", "system.Dataset"),
            ("validation", "system.Dataset"),
            ("test", "system.Dataset"),
        ],
    );
    let mut total = 0;
    for (split, share) in [("train", 0.6), ("validation", 0.2), ("test", 0.2)] {
        let rows = data_rows(&file(&loaded, split));
        assert_eq!(metadata(&loaded, split)["rows"], rows, "{split}");
        assert_eq!(metadata(&loaded, split)["features"], 11, "{split}");
        assert!(
            (rows as f64 / 1599.0 - share).abs() < 0.01,
            "{split}: {rows}"
        );
        let positive = metadata(&loaded, split)["positive_rate"].as_f64().unwrap();
        assert!((0.5..0.57).contains(&positive), "{split}: {positive}");
        total += rows;
    }
    assert_eq!(total, 1599);

    // Train two settings of the sweep.
    let data = json!({
        "train": artifacts(&loaded, "train"),
        "validation": artifacts(&loaded, "validation"),
    });
    let settings = [
        json!({"l2_penalty": 0.01, "max_iterations": 100}),
        json!({"l2_penalty": 1000.0, "max_iterations": 100}),
    ];
    let trained: Vec<Value> = settings
        .iter()
        .enumerate()
        .map(|(i, s)| {
            let task = format!("for-loop-2/iteration-{i}/train");
            executor.run(
                &task,
                "train",
                json!({"settings": s}),
                data.clone(),
                &[("model", "system.Model")],
            )
        })
        .collect();
    let accuracies: Vec<f64> = trained
        .iter()
        .map(|t| t["parameterValues"]["Output"].as_f64().unwrap())
        .collect();
    for (t, accuracy) in trained.iter().zip(&accuracies) {
        assert!(
            (0.6..0.9).contains(accuracy),
            "validation accuracy {accuracy}"
        );
        assert_eq!(metadata(t, "model")["validation_accuracy"], *accuracy);
        let model: Value =
            serde_json::from_str(&std::fs::read_to_string(file(t, "model")).unwrap()).unwrap();
        assert_eq!(model["coefficients"].as_array().unwrap().len(), 11);
        assert_eq!(model["validation_accuracy"], *accuracy);
    }
    // A penalty that strong shrinks the coefficients.
    let norm = |t: &Value| -> f64 {
        let model: Value =
            serde_json::from_str(&std::fs::read_to_string(file(t, "model")).unwrap()).unwrap();
        model["coefficients"]
            .as_array()
            .unwrap()
            .iter()
            .map(|w| w.as_f64().unwrap().powi(2))
            .sum()
    };
    assert!(norm(&trained[1]) < norm(&trained[0]));

    // Select: the model with the best validation accuracy.
    let models: Vec<Value> = trained
        .iter()
        .map(|t| t["artifacts"]["model"]["artifacts"][0].clone())
        .collect();
    let selected = executor.run(
        "select-best",
        "select_best",
        json!({"accuracies": accuracies}),
        json!({"models": {"artifacts": models}}),
        &[("best_model", "system.Model")],
    );
    let best = if accuracies[1] > accuracies[0] { 1 } else { 0 };
    assert_eq!(
        metadata(&selected, "best_model")["l2_penalty"],
        settings[best]["l2_penalty"]
    );
    assert_eq!(
        std::fs::read_to_string(file(&selected, "best_model")).unwrap(),
        std::fs::read_to_string(file(&trained[best], "model")).unwrap()
    );

    // Evaluate on the test rows.
    let evaluated = executor.run(
        "evaluate",
        "evaluate",
        json!({}),
        json!({
            "model": artifacts(&selected, "best_model"),
            "test": artifacts(&loaded, "test"),
        }),
        &[
            ("metrics", "system.Metrics"),
            ("classification_metrics", "system.ClassificationMetrics"),
        ],
    );
    let accuracy = evaluated["parameterValues"]["Output"].as_f64().unwrap();
    assert!((0.65..0.9).contains(&accuracy), "test accuracy {accuracy}");
    let metrics = metadata(&evaluated, "metrics");
    assert_eq!(metrics["accuracy"], accuracy);
    for name in ["precision", "recall", "f1", "roc_auc"] {
        let value = metrics[name].as_f64().unwrap();
        assert!((0.5..1.0).contains(&value), "{name} {value}");
    }
    let test_rows = data_rows(&file(&loaded, "test"));
    assert_eq!(metrics["test_rows"], test_rows as f64);

    let classification = metadata(&evaluated, "classification_metrics");
    let matrix = &classification["confusionMatrix"];
    assert_eq!(matrix["annotationSpecs"].as_array().unwrap().len(), 2);
    let rows: Vec<Vec<f64>> = matrix["rows"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| serde_json::from_value(r["row"].clone()).unwrap())
        .collect();
    assert!(rows.iter().all(|r| r.len() == 2), "{rows:?}");
    assert_eq!(rows.iter().flatten().sum::<f64>(), test_rows as f64);
    let correct = rows[0][0] + rows[1][1];
    assert!((correct / test_rows as f64 - accuracy).abs() < 1e-12);

    let points = classification["confidenceMetrics"].as_array().unwrap();
    let column =
        |key: &str| -> Vec<f64> { points.iter().map(|p| p[key].as_f64().unwrap()).collect() };
    let (fpr, tpr) = (column("falsePositiveRate"), column("recall"));
    assert!(points.len() > 10, "{} ROC points", points.len());
    assert!(is_sorted(&fpr, true) && is_sorted(&tpr, true));
    assert!(is_sorted(&column("confidenceThreshold"), false));
    assert_eq!((fpr[fpr.len() - 1], tpr[tpr.len() - 1]), (1.0, 1.0));

    // Deploy: the model lands in the folder given.
    let target = root.path().join("deployed");
    let deployed = executor.run(
        "condition-3/deploy",
        "deploy",
        json!({"target_dir": target}),
        json!({"model": artifacts(&selected, "best_model")}),
        &[],
    );
    let path = PathBuf::from(deployed["parameterValues"]["Output"].as_str().unwrap());
    assert_eq!(path, target.join("wine-quality-model.json"));
    assert_eq!(
        std::fs::read(path).unwrap(),
        std::fs::read(file(&selected, "best_model")).unwrap()
    );
}

#[test]
fn select_best_needs_one_accuracy_per_model() {
    let root = tempfile::tempdir().unwrap();
    let out = root.path().join("executor_output.json");
    let input = json!({
        "inputs": {
            "parameterValues": {"accuracies": [0.7, 0.8]},
            "artifacts": {"models": {"artifacts": [
                {"name": "model", "uri": root.path().join("model")}
            ]}}
        },
        "outputs": {
            "artifacts": {"best_model": {"artifacts": [
                {"name": "best_model", "uri": root.path().join("best"), "metadata": {}}
            ]}},
            "outputFile": out
        }
    });
    let status = kfp_dsl::run_with_args(
        ENTRY,
        None,
        [
            "wine_quality",
            "--executor_input",
            &input.to_string(),
            "--function_to_execute",
            "select_best",
        ],
    );
    assert_eq!(status, 1);
    assert!(!out.exists());
}

#[test]
fn the_pipeline_runs_locally() {
    local_runs::check("wine_quality", ENTRY);
}
