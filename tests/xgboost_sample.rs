//! kfp's `xgboost_sample_pipeline` golden, built from legacy v1 component
//! files loaded when the program runs, as kfp's sample loads them by URL
//! (Chicago Taxi Trips dataset, Convert csv to apache parquet, Xgboost train
//! and Xgboost predict, on CSV and on Apache Parquet).
//!
//! Those files are not in this repository: the test writes each one into a
//! temporary folder, converting the golden's compiled component and
//! executor back into v1 form (`inputValue`/`inputPath`/`outputPath`/`if`
//! placeholders, v1 type names, defaults as text, kfp's spaced and
//! capitalised names, descriptions and metadata, which kfp's conversion
//! drops), loads them with [`LoadedComponent::from_file`],
//! wires them by name as kfp's sample does, compiles the pipeline and
//! compares it with the golden file as `golden_examples` does. So the v1
//! converter of `kfp_ir_schema::component` is checked end to end: names
//! sanitised, types mapped, defaults cast, placeholders converted.

mod golden;

use std::path::PathBuf;
use std::sync::OnceLock;

use kfp_dsl::prelude::*;
use kfp_dsl::{LoadedComponent, Overrides};
use serde_json::{Map, Value, json};

const STEM: &str = "xgboost_sample_pipeline";

/// A v1 component of kfp's sample: its file, its name in kfp's definition,
/// the golden's compiled component it is written back from, and the v1
/// types kfp's definition gives its artifacts (`CSV`, `XGBoostModel`, …;
/// types kfp does not know, each a `system.Artifact` in the golden).
struct V1File {
    file: &'static str,
    name: &'static str,
    component: &'static str,
    artifact_types: &'static [(&'static str, &'static str)],
}

const CSV_MODEL: &[(&str, &str)] = &[
    ("training_data", "CSV"),
    ("data", "CSV"),
    ("starting_model", "XGBoostModel"),
    ("model", "XGBoostModel"),
    ("model_config", "XGBoostModelConfig"),
    ("predictions", "Predictions"),
];

const PARQUET_MODEL: &[(&str, &str)] = &[
    ("training_data", "ApacheParquet"),
    ("data", "ApacheParquet"),
    ("starting_model", "XGBoostModel"),
    ("model", "XGBoostModel"),
    ("model_config", "XGBoostModelConfig"),
    ("predictions", "Predictions"),
];

const V1_FILES: &[V1File] = &[
    V1File {
        file: "chicago_taxi_trips.yaml",
        name: "Chicago Taxi Trips dataset",
        component: "comp-chicago-taxi-trips-dataset",
        // Its output `Table` has no type.
        artifact_types: &[],
    },
    V1File {
        file: "convert_csv_to_apache_parquet.yaml",
        name: "Convert csv to apache parquet",
        component: "comp-convert-csv-to-apache-parquet",
        artifact_types: &[("data", "CSV"), ("output_data", "ApacheParquet")],
    },
    V1File {
        file: "xgboost_train_on_csv.yaml",
        name: "Xgboost train",
        component: "comp-xgboost-train",
        artifact_types: CSV_MODEL,
    },
    V1File {
        file: "xgboost_predict_on_csv.yaml",
        name: "Xgboost predict",
        component: "comp-xgboost-predict",
        artifact_types: CSV_MODEL,
    },
    V1File {
        file: "xgboost_train_on_parquet.yaml",
        name: "Xgboost train",
        component: "comp-xgboost-train-2",
        artifact_types: PARQUET_MODEL,
    },
    V1File {
        file: "xgboost_predict_on_parquet.yaml",
        name: "Xgboost predict",
        component: "comp-xgboost-predict-2",
        artifact_types: PARQUET_MODEL,
    },
];

/// The folder the v1 files were written to, read by the pipeline's body.
static COMPONENTS: OnceLock<PathBuf> = OnceLock::new();

fn load(file: &str) -> LoadedComponent {
    let dir = COMPONENTS.get().expect("the v1 files are written first");
    LoadedComponent::from_file(dir.join(file)).unwrap_or_else(|e| panic!("{e}"))
}

// kfp's `xgboost_sample.py`: training and prediction on CSV, then on Apache
// Parquet, then each model predicting on the other format (a comment, not
// rustdoc: the golden pipeline has no description).
#[pipeline(name = "xgboost-sample-pipeline")]
fn xgboost_pipeline() {
    let chicago_taxi_dataset = load("chicago_taxi_trips.yaml");
    let convert_csv_to_apache_parquet = load("convert_csv_to_apache_parquet.yaml");
    let xgboost_train_on_csv = load("xgboost_train_on_csv.yaml");
    let xgboost_predict_on_csv = load("xgboost_predict_on_csv.yaml");
    let xgboost_train_on_parquet = load("xgboost_train_on_parquet.yaml");
    let xgboost_predict_on_parquet = load("xgboost_predict_on_parquet.yaml");

    let training_data_csv = chicago_taxi_dataset
        .task()
        .param::<String>(
            "where",
            r#"trip_start_timestamp >= "2019-01-01" AND trip_start_timestamp < "2019-02-01""#,
        )
        .param::<String>(
            "select",
            "tips,trip_seconds,trip_miles,pickup_community_area,dropoff_community_area,fare,\
             tolls,extras,trip_total",
        )
        .param::<i64>("limit", 10000)
        .add()
        .output_artifact::<Artifact>("table");

    // Training and prediction on the dataset in CSV format.
    let model_trained_on_csv = xgboost_train_on_csv
        .task()
        .artifact("training_data", training_data_csv)
        .param::<i64>("label_column", 0)
        .param::<String>("objective", "reg:squarederror")
        .param::<i64>("num_iterations", 200)
        .add()
        .output_artifact::<Artifact>("model");
    xgboost_predict_on_csv
        .task()
        .artifact("data", training_data_csv)
        .artifact("model", model_trained_on_csv)
        .param::<i64>("label_column", 0)
        .add();

    // Training and prediction on the dataset in Apache Parquet format.
    let training_data_parquet = convert_csv_to_apache_parquet
        .task()
        .artifact("data", training_data_csv)
        .add()
        .output_artifact::<Artifact>("output_data");
    let model_trained_on_parquet = xgboost_train_on_parquet
        .task()
        .artifact("training_data", training_data_parquet)
        .param::<String>("label_column_name", "tips")
        .param::<String>("objective", "reg:squarederror")
        .param::<i64>("num_iterations", 200)
        .add()
        .output_artifact::<Artifact>("model");
    xgboost_predict_on_parquet
        .task()
        .artifact("data", training_data_parquet)
        .artifact("model", model_trained_on_parquet)
        .param::<String>("label_column_name", "tips")
        .add();

    // Each model predicting on the other format.
    xgboost_predict_on_parquet
        .task()
        .artifact("data", training_data_parquet)
        .artifact("model", model_trained_on_csv)
        .param::<String>("label_column_name", "tips")
        .add();
    xgboost_predict_on_csv
        .task()
        .artifact("data", training_data_csv)
        .artifact("model", model_trained_on_parquet)
        .param::<i64>("label_column", 0)
        .add();
}

#[test]
fn xgboost_sample_pipeline_from_v1_components() {
    let Some(dir) = golden::shared_dir("kfp-golden/sdk_compiled_pipelines/valid") else {
        return;
    };
    let golden_file = golden::find(&dir, &format!("{STEM}.yaml"))
        .unwrap_or_else(|| panic!("no golden file {STEM}.yaml under {}", dir.display()));
    let text = std::fs::read_to_string(&golden_file).unwrap();
    let documents = kfp_ir_schema::yaml::load(&text).unwrap_or_else(|e| panic!("{e}"));
    let spec = &documents[0].value;

    let scratch = tempfile::tempdir().unwrap();
    for v1 in V1_FILES {
        let component = v1_component(spec, v1);
        std::fs::write(scratch.path().join(v1.file), to_yaml(&component)).unwrap();
    }
    COMPONENTS.set(scratch.path().to_owned()).unwrap();

    golden::check(
        STEM,
        &golden_file,
        xgboost_pipeline::ENTRY,
        &Overrides::default(),
    );
}

/// The golden's compiled component `v1.component` and its executor, back
/// in v1 form.
fn v1_component(spec: &Value, v1: &V1File) -> Value {
    let component = &spec["components"][v1.component];
    let label = component["executorLabel"].as_str().unwrap();
    let container = &spec["deploymentSpec"]["executors"][label]["container"];
    let definitions = &component["inputDefinitions"];

    let mut inputs = Vec::new();
    for (name, input) in entries(&definitions["parameters"]) {
        inputs.push(v1_input(name, input, parameter_type(input)));
    }
    for (name, input) in entries(&definitions["artifacts"]) {
        inputs.push(v1_input(name, input, artifact_type(v1, name, input)));
    }
    let mut outputs = Vec::new();
    for (name, output) in entries(&component["outputDefinitions"]["artifacts"]) {
        let mut spec = Map::new();
        spec.insert("name".into(), v1_name(name).into());
        spec.insert("description".into(), described(name).into());
        if let Some(type_) = artifact_type(v1, name, output) {
            spec.insert("type".into(), type_.into());
        }
        outputs.push(Value::Object(spec));
    }
    assert!(
        entries(&component["outputDefinitions"]["parameters"]).is_empty(),
        "{}: kfp's sample has no output parameters",
        v1.component
    );

    let mut v1_container = Map::new();
    v1_container.insert("image".into(), container["image"].clone());
    for key in ["command", "args"] {
        if let Some(items) = container[key].as_array() {
            let items = items.iter().map(|item| element(item.as_str().unwrap()));
            v1_container.insert(key.into(), items.collect());
        }
    }
    json!({
        "name": v1.name,
        "description": format!("kfp's {}, written back from its golden file.", v1.name),
        "metadata": {"annotations": {"written_by": "tests/xgboost_sample.rs"}},
        "inputs": inputs,
        "outputs": outputs,
        "implementation": {"container": v1_container},
    })
}

fn entries(map: &Value) -> Vec<(&String, &Value)> {
    map.as_object()
        .map(|m| m.iter().collect())
        .unwrap_or_default()
}

/// The description of an input or output, as kfp's definitions give one
/// to each (from the docstring of the function the component was made
/// from); kfp's conversion drops it, so the golden has none.
fn described(name: &str) -> String {
    format!("The {} of kfp's definition.", name.replace('_', " "))
}

/// A v1 input: its name, description, type, default (as text, as v1 files give it) and
/// whether it is optional.
fn v1_input(name: &str, input: &Value, type_: Option<&str>) -> Value {
    let mut spec = Map::new();
    spec.insert("name".into(), v1_name(name).into());
    spec.insert("description".into(), described(name).into());
    if let Some(type_) = type_ {
        spec.insert("type".into(), type_.into());
    }
    let optional = input["isOptional"].as_bool().unwrap_or(false);
    match &input["defaultValue"] {
        Value::Null if optional => {
            spec.insert("optional".into(), true.into());
        }
        Value::Null => {}
        default => {
            let text = match (type_, default) {
                (_, Value::String(text)) => text.clone(),
                (Some("Integer"), Value::Number(n)) => {
                    let n = n.as_f64().unwrap();
                    assert!(n.fract() == 0.0, "{name}: {n} is not an integer");
                    format!("{}", n as i64)
                }
                (_, other) => other.to_string(),
            };
            spec.insert("default".into(), text.into());
        }
    }
    Value::Object(spec)
}

/// The v1 type of a compiled input parameter.
fn parameter_type(input: &Value) -> Option<&'static str> {
    Some(match input["parameterType"].as_str().unwrap() {
        "STRING" => "String",
        "NUMBER_INTEGER" => "Integer",
        "NUMBER_DOUBLE" => "Float",
        "BOOLEAN" => "Boolean",
        "STRUCT" => "JsonObject",
        "LIST" => "JsonArray",
        other => panic!("no v1 type for the parameter type {other}"),
    })
}

/// The v1 type of the compiled artifact `name`: for a `system.Artifact`,
/// the type kfp's definition gives it, if any; else the class
/// (`system.Dataset` is `Dataset`).
fn artifact_type<'a>(v1: &V1File, name: &str, artifact: &'a Value) -> Option<&'a str> {
    let title = artifact["artifactType"]["schemaTitle"].as_str().unwrap();
    match title {
        "system.Artifact" => v1
            .artifact_types
            .iter()
            .find(|(artifact, _)| *artifact == name)
            .map(|(_, type_)| *type_),
        _ => Some(title.strip_prefix("system.").unwrap_or(title)),
    }
}

/// A name as kfp's v1 files give it (`label_column` is `Label column`),
/// which kfp sanitises back.
fn v1_name(name: &str) -> String {
    let spaced = name.replace('_', " ");
    let mut chars = spaced.chars();
    chars
        .next()
        .map(|first| first.to_uppercase().chain(chars).collect())
        .unwrap_or_default()
}

/// A command or args element of the golden's executor, back in v1 form: a
/// placeholder as its v1 object, kfp's `IfPresent`/`Concat` JSON as `if`/
/// `concat`, anything else as the literal text.
fn element(text: &str) -> Value {
    if let Some(name) = between(text, "{{$.inputs.parameters['", "']}}") {
        return json!({"inputValue": v1_name(name)});
    }
    if let Some(name) = between(text, "{{$.inputs.artifacts['", "'].path}}") {
        return json!({"inputPath": v1_name(name)});
    }
    if let Some(name) = between(text, "{{$.outputs.artifacts['", "'].path}}") {
        return json!({"outputPath": v1_name(name)});
    }
    if text.starts_with("{\"IfPresent\"") || text.starts_with("{\"Concat\"") {
        let structured: Value = serde_json::from_str(text).unwrap();
        return structured_element(&structured);
    }
    assert!(
        !text.contains("{{$."),
        "a placeholder this test cannot write back: {text}"
    );
    Value::String(text.to_owned())
}

/// kfp's `IfPresent`/`Concat` placeholder (and the elements inside it) in
/// v1 form.
fn structured_element(value: &Value) -> Value {
    let list = |items: &Value| -> Value {
        match items {
            Value::Array(items) => items.iter().map(structured_element).collect(),
            single => structured_element(single),
        }
    };
    match value {
        Value::String(text) => element(text),
        Value::Object(map) if map.contains_key("IfPresent") => {
            let inner = &map["IfPresent"];
            let mut if_ = Map::new();
            let name = v1_name(inner["InputName"].as_str().unwrap());
            if_.insert("cond".into(), json!({"isPresent": name}));
            if_.insert("then".into(), list(&inner["Then"]));
            if !inner["Else"].is_null() {
                if_.insert("else".into(), list(&inner["Else"]));
            }
            json!({"if": if_})
        }
        Value::Object(map) if map.contains_key("Concat") => {
            json!({"concat": list(&map["Concat"])})
        }
        other => panic!("not a placeholder element: {other}"),
    }
}

/// The name in `text` = `prefix` NAME `suffix`.
fn between<'t>(text: &'t str, prefix: &str, suffix: &str) -> Option<&'t str> {
    text.strip_prefix(prefix)?.strip_suffix(suffix)
}

/// `value` as YAML in the layout of kfp's v1 files: block mappings, lists
/// with one flow item per line, every string double-quoted (JSON's quoting
/// is YAML's).
fn to_yaml(value: &Value) -> String {
    let mut out = String::new();
    write_block(value, 0, &mut out);
    out
}

fn write_block(value: &Value, indent: usize, out: &mut String) {
    let pad = " ".repeat(indent);
    match value {
        Value::Object(map) => {
            for (key, value) in map {
                match value {
                    Value::Object(m) if !m.is_empty() => {
                        out.push_str(&format!("{pad}{key}:\n"));
                        write_block(value, indent + 2, out);
                    }
                    Value::Array(items) if !items.is_empty() => {
                        out.push_str(&format!("{pad}{key}:\n"));
                        write_block(value, indent, out);
                    }
                    _ => out.push_str(&format!("{pad}{key}: {value}\n")),
                }
            }
        }
        Value::Array(items) => {
            for item in items {
                out.push_str(&format!("{pad}- {item}\n"));
            }
        }
        scalar => out.push_str(&format!("{pad}{scalar}\n")),
    }
}
