//! Pipelines recorded through the macros: the graph they build and the
//! executors they run.

use kfp_dsl::__private::graph::{Binding, Implementation, TaskId};
use kfp_dsl::prelude::*;
use serde_json::json;

/// Adds two numbers.
#[component(image = "ghcr.io/acme/add:1")]
fn add(a: i64, #[kfp(default = 3)] b: i64) -> i64 {
    a + b
}

/// Trains a model.
#[component]
fn train(
    /// Training data.
    data: Input<Dataset>,
    #[kfp(default = 0.5)] rate: f64,
    epochs: Option<u32>,
    model: Output<Model>,
    metrics: Output<Metrics>,
) -> Result<f64, std::io::Error> {
    std::fs::write(model.path(), format!("{rate} {:?}", epochs))?;
    metrics.log_metric("accuracy", 0.9);
    assert!(data.path().starts_with("/gcs/"));
    Ok(0.9)
}

#[container_component]
fn make_data(text: String, out: Output<Dataset>, size: OutputPath<i64>) -> ContainerSpec {
    ContainerSpec::new("alpine")
        .command(["sh", "-c"])
        .args((text, out.path(), size))
}

#[pipeline(name = "wired", description = "A test pipeline")]
fn wired(#[kfp(default = "hello")] text: String, n: i64) -> f64 {
    let data = make_data(text);
    let sum = add(n).b(data.outputs().size).set_cpu_limit("2");
    let trained = train(data.outputs().out).epochs(4).after(&sum).set_retry(2);
    trained.output()
}

#[test]
fn the_pipeline_records_tasks_inputs_and_settings() {
    let recorded = (wired::ENTRY.record)();
    assert!(recorded.errors.is_empty(), "{:?}", recorded.errors);
    let p = &recorded.pipeline;
    assert_eq!(p.name, "wired");
    assert_eq!(p.description.as_deref(), Some("A test pipeline"));
    assert_eq!(p.inputs[0].default, Some(json!("hello")));
    assert_eq!(p.tasks.len(), 3);
    let make = &p.tasks[0];
    assert_eq!(
        make.argument("text"),
        Some(&Binding::pipeline_parameter("text"))
    );
    let add_task = &p.tasks[1];
    assert_eq!(
        add_task.argument("b"),
        Some(&Binding::task_output_parameter(TaskId(0), "size"))
    );
    assert!(add_task.config.resources.cpu_limit.is_some());
    let train_task = &p.tasks[2];
    assert_eq!(train_task.argument("epochs"), Some(&Binding::constant(4)));
    assert_eq!(train_task.config.after.len(), 1);
    assert_eq!(train_task.config.retry.as_ref().unwrap().max_retry_count, 2);
    assert_eq!(p.outputs[0].name, "Output");
    assert!(recorded.executors.contains_key("train"));
    assert!(recorded.executors.contains_key("add"));

    let train_component = p.component(train_task.component);
    assert_eq!(train_component.name, "train");
    assert_eq!(
        train_component.description.as_deref(),
        Some("Trains a model.")
    );
    assert_eq!(
        train_component.input_artifacts[0].description.as_deref(),
        Some("Training data.")
    );
    let Implementation::Container(c) = &train_component.implementation else {
        panic!("a container")
    };
    assert_eq!(c.args.len(), 4);
    let add_component = p.component(add_task.component);
    let Implementation::Container(c) = &add_component.implementation else {
        panic!("a container")
    };
    assert_eq!(c.image, "ghcr.io/acme/add:1");
    assert_eq!(add_component.inputs[1].default, Some(json!(3)));
}

#[test]
fn the_executor_runs_the_component_body() {
    let recorded = (wired::ENTRY.record)();
    let dir = tempfile::tempdir().unwrap();
    let input = json!({
        "inputs": {
            "parameterValues": {"epochs": 7},
            "artifacts": {"data": {"artifacts": [{"name": "data", "uri": "gs://b/data"}]}}
        },
        "outputs": {
            "artifacts": {
                "model": {"artifacts": [{"name": "model", "uri": dir.path().join("model").to_str().unwrap()}]},
                "metrics": {"artifacts": [{"name": "metrics", "uri": dir.path().join("metrics").to_str().unwrap()}]}
            },
            "outputFile": dir.path().join("out.json").to_str().unwrap()
        }
    });
    let out = kfp_dsl::execute(&input.to_string(), recorded.executors["train"]).unwrap();
    assert_eq!(out.parameter_values["Output"], json!(0.9));
    assert_eq!(
        out.artifacts["metrics"].artifacts[0]
            .metadata
            .as_ref()
            .unwrap()["accuracy"],
        json!(0.9)
    );
    assert_eq!(
        std::fs::read_to_string(dir.path().join("model")).unwrap(),
        "0.5 Some(7)"
    );
}

/// Joins two datasets.
#[component(output_description = "The joined text.")]
fn join(a: Input<Dataset>, b: Input<Dataset>, joined: Output<Dataset>) -> String {
    let _ = (a, b, joined);
    String::new()
}

/// Makes a dataset.
#[component]
fn make(
    /// The dataset.
    out: Output<Dataset>,
) {
    let _ = out;
}

#[pipeline]
fn inner_join(data: Input<Dataset>) -> Output<Dataset> {
    join(make().outputs().out, data).outputs().joined
}

#[pipeline]
fn outer_join() {
    let first = make();
    let nested = inner_join(first.outputs().out);
    join(nested.output(), first.outputs().out);
}

#[test]
fn pipelines_return_artifacts_and_outputs_have_descriptions() {
    let recorded = (outer_join::ENTRY.record)();
    assert!(recorded.errors.is_empty(), "{:?}", recorded.errors);
    let p = &recorded.pipeline;
    let nested = p.component(p.tasks[1].component);
    assert_eq!(nested.name, "inner-join");
    assert_eq!(nested.output_artifacts[0].name, "Output");
    assert_eq!(
        p.tasks[2].argument("a"),
        Some(&Binding::task_output_artifact(TaskId(1), "Output"))
    );
    let joiner = p.component(p.tasks[2].component);
    assert_eq!(
        joiner.outputs[0].description.as_deref(),
        Some("The joined text.")
    );
    let maker = p.component(p.tasks[0].component);
    assert_eq!(
        maker.output_artifacts[0].description.as_deref(),
        Some("The dataset.")
    );
    let (_, yaml) = kfp_dsl::compile_to_string(outer_join::ENTRY, false).unwrap();
    assert!(yaml.contains("comp-inner-join:"), "{yaml}");
}

mod other {
    use kfp_dsl::prelude::*;

    /// Another component called `add`.
    #[component]
    pub fn add(a: i64) -> i64 {
        a
    }
}

#[test]
fn two_native_components_with_one_name_are_reported() {
    #[pipeline]
    fn clash() {
        add(1);
        other::add(2);
    }
    let recorded = (clash::ENTRY.record)();
    assert_eq!(recorded.errors.len(), 1, "{:?}", recorded.errors);
    assert!(recorded.errors[0].starts_with("two Rust-native components are called `add`"));
    let err = kfp_dsl::compile_to_string(clash::ENTRY, false).unwrap_err();
    assert!(err.to_string().contains("is wired wrongly"), "{err}");
    // The executors of sub-pipelines are reachable from the outer one.
    let outer = (outer_join::ENTRY.record)();
    assert!(outer.executors.contains_key("join") && outer.executors.contains_key("make"));
}

/// Sums numbers stored in datasets.
#[component]
fn sum_all(datasets: Vec<Input<Dataset>>) -> Result<i64, std::io::Error> {
    let mut total = 0;
    for d in &datasets {
        total += std::fs::read_to_string(d.path())?
            .trim()
            .parse::<i64>()
            .unwrap_or(0);
    }
    Ok(total)
}

#[container_component]
fn list_them(datasets: Vec<Input<Dataset>>) -> ContainerSpec {
    ContainerSpec::new("alpine").command(("echo", datasets))
}

#[pipeline]
fn sum_pipeline(datasets: Vec<Input<Dataset>>) -> i64 {
    list_them(datasets);
    sum_all(datasets).output()
}

#[test]
fn lists_of_artifacts_are_wired_and_read() {
    let recorded = (sum_pipeline::ENTRY.record)();
    assert!(recorded.errors.is_empty(), "{:?}", recorded.errors);
    let p = &recorded.pipeline;
    assert!(p.input_artifacts[0].is_list);
    assert!(p.component(p.tasks[1].component).input_artifacts[0].is_list);
    assert_eq!(
        p.tasks[1].argument("datasets"),
        Some(&Binding::pipeline_artifact("datasets"))
    );
    let (_, yaml) = kfp_dsl::compile_to_string(sum_pipeline::ENTRY, false).unwrap();
    assert!(
        yaml.contains("{{$.inputs.artifacts[''datasets'']}}"),
        "{yaml}"
    );

    let dir = tempfile::tempdir().unwrap();
    let (a, b) = (dir.path().join("a"), dir.path().join("b"));
    std::fs::write(&a, "2").unwrap();
    std::fs::write(&b, "40").unwrap();
    let input = json!({
        "inputs": {"artifacts": {"datasets": {"artifacts": [
            {"name": "a", "uri": a.to_str().unwrap()},
            {"name": "b", "uri": b.to_str().unwrap()}
        ]}}},
        "outputs": {"outputFile": dir.path().join("out.json").to_str().unwrap()}
    });
    let out = kfp_dsl::execute(&input.to_string(), recorded.executors["sum_all"]).unwrap();
    assert_eq!(out.parameter_values["Output"], json!(42));
}

/// Parameters named like the generated code's locals do not clash with it.
#[component]
fn hygiene(run: i64, input: i64, result: i64, values: i64, component: i64) -> i64 {
    run + input + result + values + component
}

#[pipeline]
fn hygiene_pipeline(frame: i64, returned: i64, pipeline: i64) -> i64 {
    hygiene(frame, returned, pipeline, 1, 2).output()
}

#[test]
fn generated_locals_do_not_clash_with_parameter_names() {
    let recorded = (hygiene_pipeline::ENTRY.record)();
    assert!(recorded.errors.is_empty());
    let dir = tempfile::tempdir().unwrap();
    let input = json!({
        "inputs": {"parameterValues": {"run": 1, "input": 2, "result": 3, "values": 4, "component": 5}},
        "outputs": {"outputFile": dir.path().join("out.json").to_str().unwrap()}
    });
    let out = kfp_dsl::execute(&input.to_string(), recorded.executors["hygiene"]).unwrap();
    assert_eq!(out.parameter_values["Output"], json!(15));
}

#[test]
#[should_panic(expected = "a kfp component was called outside a pipeline")]
fn builders_outside_a_pipeline_panic_with_a_clear_message() {
    add(1);
}

/// Writes its output parameter to a file, as kfp's `OutputPath(int)`.
#[component]
fn count_lines(text: String, lines: OutputPath<i64>) -> std::io::Result<()> {
    lines.write(&(text.lines().count() as i64))
}

#[pipeline]
fn count_pipeline(text: String) -> i64 {
    let counted = count_lines(text);
    add(counted.outputs().lines).output()
}

#[test]
fn native_components_write_output_path_parameters() {
    let recorded = (count_pipeline::ENTRY.record)();
    assert!(recorded.errors.is_empty(), "{:?}", recorded.errors);
    let p = &recorded.pipeline;
    assert_eq!(p.component(p.tasks[0].component).outputs[0].name, "lines");
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("params/lines");
    let input = json!({
        "inputs": {"parameterValues": {"text": "a\nb\nc"}},
        "outputs": {
            "parameters": {"lines": {"outputFile": file.to_str().unwrap()}},
            "outputFile": dir.path().join("out.json").to_str().unwrap()
        }
    });
    let out = kfp_dsl::execute(&input.to_string(), recorded.executors["count_lines"]).unwrap();
    assert!(out.parameter_values.is_empty());
    assert_eq!(std::fs::read_to_string(&file).unwrap(), "3");
}

#[test]
fn every_task_setting_reaches_the_ir() {
    #[pipeline(name = "settings")]
    fn settings() {
        let first = add(1);
        add(2)
            .after(&first)
            .set_cpu_request("500m")
            .set_cpu_limit("2")
            .set_memory_request("1Gi")
            .set_memory_limit("4Gi")
            .set_accelerator_type("nvidia.com/gpu")
            .set_accelerator_limit("2")
            .set_env_variable("MODE", "fast")
            .set_caching_options(false)
            .set_cache_key("k1")
            .set_retry(3)
            .set_display_name("Second")
            .set_container_image("ghcr.io/acme/other:2")
            .ignore_upstream_failure();
    }
    let (_, json) = kfp_dsl::compile_to_string(settings::ENTRY, true).unwrap();
    let ir: serde_json::Value = serde_json::from_str(&json).unwrap();
    let task = &ir["root"]["dag"]["tasks"]["add-2"];
    assert_eq!(task["dependentTasks"], json!(["add"]));
    assert_eq!(task["cachingOptions"], json!({"cacheKey": "k1"}));
    assert_eq!(task["taskInfo"]["name"], "Second");
    assert_eq!(task["retryPolicy"]["maxRetryCount"], 3);
    assert_eq!(
        task["triggerPolicy"]["strategy"],
        "ALL_UPSTREAM_TASKS_COMPLETED"
    );
    let container = &ir["deploymentSpec"]["executors"]["exec-add-2"]["container"];
    assert_eq!(container["image"], "ghcr.io/acme/other:2");
    assert_eq!(container["env"], json!([{"name": "MODE", "value": "fast"}]));
    let resources = &container["resources"];
    assert_eq!(resources["resourceCpuRequest"], "500m");
    assert_eq!(resources["resourceCpuLimit"], "2");
    assert_eq!(resources["resourceMemoryRequest"], "1Gi");
    assert_eq!(resources["resourceMemoryLimit"], "4Gi");
    assert_eq!(resources["accelerator"]["resourceType"], "nvidia.com/gpu");
    assert_eq!(resources["accelerator"]["resourceCount"], "2");
}

/// Reports how the tasks it follows ended.
#[component]
fn report(label: String, status: PipelineTaskFinalStatus) -> String {
    format!("{label}: {}", status.state)
}

#[pipeline]
fn reported() {
    let exit_task = report("run");
    exit_handler(&exit_task, || {
        add(1);
    });
}

#[test]
fn an_exit_task_reads_the_final_status_it_is_given() {
    let recorded = (reported::ENTRY.record)();
    assert!(recorded.errors.is_empty(), "{:?}", recorded.errors);
    let p = &recorded.pipeline;
    let component = p.component(p.tasks[0].component);
    let status = component.input("status").unwrap();
    assert_eq!(status.kind, kfp_dsl::ParamKind::TaskFinalStatus);
    assert!(status.optional);
    let (_, yaml) = kfp_dsl::compile_to_string(reported::ENTRY, false).unwrap();
    assert!(yaml.contains("producerTask: exit-handler-1"), "{yaml}");

    let dir = tempfile::tempdir().unwrap();
    let input = json!({
        "inputs": {"parameterValues": {
            "label": "run",
            "status": {
                "state": "FAILED",
                "pipelineTaskName": "exit-handler-1",
                "error": {"code": 9, "message": "boom"}
            }
        }},
        "outputs": {"outputFile": dir.path().join("out.json").to_str().unwrap()}
    });
    let out = kfp_dsl::execute(&input.to_string(), recorded.executors["report"]).unwrap();
    assert_eq!(out.parameter_values["Output"], json!("run: FAILED"));
}

/// Labels a run.
#[container_component]
fn label(names: Vec<String>, extra: Option<Vec<String>>) -> ContainerSpec {
    let _ = (names, extra);
    ContainerSpec::new("alpine")
}

#[pipeline]
fn labelled() {
    label(["a", "b"]).extra(["c"]);
    label(Vec::new());
}

#[test]
fn an_array_of_str_sets_a_list_of_strings_input() {
    let recorded = (labelled::ENTRY.record)();
    assert!(recorded.errors.is_empty(), "{:?}", recorded.errors);
    let tasks = &recorded.pipeline.tasks;
    assert_eq!(
        tasks[0].argument("names"),
        Some(&Binding::constant(json!(["a", "b"])))
    );
    assert_eq!(
        tasks[0].argument("extra"),
        Some(&Binding::constant(json!(["c"])))
    );
    assert_eq!(
        tasks[1].argument("names"),
        Some(&Binding::constant(json!([])))
    );
    assert_eq!(tasks[1].argument("extra"), None);
}

/// Prints a dataset.
#[component]
fn show(data: Input<Dataset>) -> std::io::Result<()> {
    println!("{}", std::fs::read_to_string(data.path())?);
    Ok(())
}

#[component]
fn make_uri() -> String {
    "gs://bucket/made.txt".to_owned()
}

#[pipeline]
fn imported(uri: String) {
    let fixed = importer::<Dataset>("gs://bucket/fixed.txt")
        .metadata(json!({"rows": 3, "source": "fixed"}))
        .set_caching_options(false);
    show(fixed.output());
    let given = importer::<Dataset>(uri).reimport(true);
    show(given.output());
    let made = importer::<Dataset>(make_uri().output()).set_display_name("made");
    show(made.output());
}

/// The pipeline spec `entry` compiles to, as YAML read back through the
/// validator.
fn validated_spec(entry: kfp_dsl::PipelineEntry) -> serde_json::Value {
    let (_, yaml) = kfp_dsl::compile_to_string(entry, false).unwrap_or_else(|e| panic!("{e}"));
    let file = kfp_ir_schema::validate::validate_str(&yaml, kfp_ir_schema::validate::Format::Yaml)
        .unwrap_or_else(|e| panic!("{e}\n{yaml}"));
    serde_json::to_value(&file.spec).unwrap()
}

/// Why `entry` does not compile.
fn compile_error(entry: kfp_dsl::PipelineEntry) -> String {
    kfp_dsl::compile_to_string(entry, false)
        .unwrap_err()
        .to_string()
}

#[test]
fn importers_register_an_artifact_at_a_constant_or_run_time_uri() {
    let spec = validated_spec(imported::ENTRY);
    let executors = &spec["deploymentSpec"]["executors"];
    let dataset = json!({"schemaTitle": "system.Dataset", "schemaVersion": "0.0.1"});
    assert_eq!(
        executors["exec-importer"],
        json!({"importer": {
            "artifactUri": {"constant": "gs://bucket/fixed.txt"},
            "typeSchema": dataset,
            "metadata": {"rows": 3.0, "source": "fixed"}
        }})
    );
    assert_eq!(
        executors["exec-importer-2"],
        json!({"importer": {
            "artifactUri": {"runtimeParameter": "uri"},
            "typeSchema": dataset,
            "reimport": true
        }})
    );
    assert_eq!(
        executors["exec-importer-3"]["importer"]["artifactUri"],
        json!({"runtimeParameter": "uri"})
    );
    // Each importer is its own component: `uri` in, `artifact` out.
    assert_eq!(
        spec["components"]["comp-importer-3"]["inputDefinitions"],
        json!({"parameters": {"uri": {"parameterType": "STRING"}}})
    );
    let tasks = &spec["root"]["dag"]["tasks"];
    assert_eq!(tasks["importer"]["cachingOptions"], json!({}));
    assert_eq!(
        tasks["importer-2"]["inputs"]["parameters"]["uri"],
        json!({"componentInputParameter": "uri"})
    );
    assert_eq!(tasks["importer-3"]["taskInfo"]["name"], "made");
    assert_eq!(tasks["importer-3"]["dependentTasks"], json!(["make-uri"]));
    assert_eq!(
        tasks["show-3"]["inputs"]["artifacts"]["data"],
        json!({"taskOutputArtifact": {"producerTask": "importer-3", "outputArtifactKey": "artifact"}})
    );
}

#[pipeline]
fn importer_with_a_container_setting() {
    importer::<Dataset>("gs://bucket/a.txt").set_cpu_limit("1");
}

#[pipeline]
fn importer_with_list_metadata() {
    show(
        importer::<Dataset>("gs://bucket/a.txt")
            .metadata(json!([1]))
            .output(),
    );
}

#[test]
fn importers_refuse_container_settings_and_metadata_that_is_not_an_object() {
    let error = compile_error(importer_with_a_container_setting::ENTRY);
    assert!(
        error.contains(
            "task `importer`: resources can only be set on container components, not on an importer"
        ),
        "{error}"
    );
    let error = compile_error(importer_with_list_metadata::ENTRY);
    assert!(
        error.contains("the metadata of an importer is a JSON object, not [1]"),
        "{error}"
    );
}

#[component]
fn count_rows() -> i64 {
    3
}

#[pipeline]
fn imported_with_read_metadata(source: String) {
    let rows = count_rows().output();
    parallel_for(["a", "b"].map(String::from), |part| {
        importer::<Dataset>("gs://bucket/a.txt")
            // One object: its inputs are numbered in key order.
            .metadata(json!({
                "source": source.to_string(),
                "part": format!("part-{part}"),
            }))
            // Added later, reading `source` again and the task output
            // as a key.
            .metadata_entry(rows.to_string(), json!([source.to_string(), 1]));
    });
}

#[test]
fn importer_metadata_reads_pipeline_values_through_inputs_of_their_types() {
    let spec = validated_spec(imported_with_read_metadata::ENTRY);
    let placeholder = |name: &str| format!("{{{{$.inputs.parameters['{name}']}}}}");
    assert_eq!(
        spec["deploymentSpec"]["executors"]["exec-importer"]["importer"]["metadata"],
        json!({
            "part": format!("part-{}", placeholder("metadata")),
            "source": placeholder("metadata-2"),
            placeholder("metadata-3"): [placeholder("metadata-2"), 1.0],
        })
    );
    assert_eq!(
        spec["components"]["comp-importer"]["inputDefinitions"]["parameters"],
        json!({
            "metadata": {"parameterType": "STRING"},
            "metadata-2": {"parameterType": "STRING"},
            "metadata-3": {"parameterType": "NUMBER_INTEGER"},
            "uri": {"parameterType": "STRING"},
        })
    );
    let task = &spec["components"]["comp-for-loop-2"]["dag"]["tasks"]["importer"];
    assert_eq!(
        task["inputs"]["parameters"]["metadata"],
        json!({"componentInputParameter": "pipelinechannel--loop-item-param-1"})
    );
    assert_eq!(
        task["inputs"]["parameters"]["metadata-2"],
        json!({"componentInputParameter": "pipelinechannel--source"})
    );
    assert_eq!(
        task["inputs"]["parameters"]["metadata-3"],
        json!({"componentInputParameter": "pipelinechannel--count-rows-Output"})
    );
}

#[component]
fn say(message: String) {
    println!("{message}");
}

#[component]
fn count_items() -> i64 {
    3
}

#[pipeline]
fn formatted(name: String) {
    let n = count_items().output();
    say(format!("{name} has {n} items"));
    parallel_for(["a", "b"], |item| {
        say(format!("{item} of {n}"));
    });
}

#[test]
fn values_formatted_into_a_string_are_read_when_the_task_runs() {
    let spec = validated_spec(formatted::ENTRY);
    let at_root = &spec["root"]["dag"]["tasks"]["say"];
    assert_eq!(
        at_root["inputs"]["parameters"],
        json!({
            "message": {"runtimeValue": {"constant":
                "{{$.inputs.parameters['pipelinechannel--name']}} has \
                 {{$.inputs.parameters['pipelinechannel--count-items-Output']}} items"}},
            "pipelinechannel--name": {"componentInputParameter": "name"},
            "pipelinechannel--count-items-Output": {"taskOutputParameter": {
                "producerTask": "count-items", "outputParameterKey": "Output"}}
        })
    );
    assert_eq!(at_root["dependentTasks"], json!(["count-items"]));
    // Inside the loop the output is punched in; the item is the loop's.
    let in_loop = &spec["components"]["comp-for-loop-2"]["dag"]["tasks"]["say-2"];
    assert_eq!(
        in_loop["inputs"]["parameters"],
        json!({
            "message": {"runtimeValue": {"constant":
                "{{$.inputs.parameters['pipelinechannel--loop-item-param-1']}} of \
                 {{$.inputs.parameters['pipelinechannel--count-items-Output']}}"}},
            "pipelinechannel--loop-item-param-1": {
                "componentInputParameter": "pipelinechannel--loop-item-param-1"},
            "pipelinechannel--count-items-Output": {
                "componentInputParameter": "pipelinechannel--count-items-Output"}
        })
    );
    assert_eq!(
        spec["root"]["dag"]["tasks"]["for-loop-2"]["dependentTasks"],
        json!(["count-items"])
    );
}

#[pipeline]
fn formatted_elsewhere() {
    let n = count_items().output();
    say("hi").set_display_name(format!("say {n}"));
}

#[pipeline]
fn formatted_inner(n: i64) {
    say(format!("{n}"));
}

#[test]
fn formatted_values_outside_string_inputs_are_reported() {
    let error = compile_error(formatted_elsewhere::ENTRY);
    assert!(
        error.contains("`set_display_name` was given a string with a pipeline input, task output or loop item formatted into it"),
        "{error}"
    );
    let inner = kfp_dsl::compile_to_string(formatted_inner::ENTRY, false)
        .unwrap()
        .1;
    assert!(
        inner.contains("constant: '{{$.inputs.parameters[''pipelinechannel--n'']}}'"),
        "{inner}"
    );
}

#[pipeline]
fn formatted_from_a_loop() {
    let n = parallel_for([1, 2], |_| count_items().output());
    say(format!("{n} items"));
}

#[component]
fn say_all(messages: Vec<String>) {
    for message in messages {
        println!("{message}");
    }
}

#[pipeline]
fn formatted_in_a_list() {
    let n = count_items().output();
    say_all(vec![format!("{n} items")]);
}

#[component]
fn take(d: serde_json::Map<String, serde_json::Value>) {
    let _ = d;
}

#[pipeline]
fn formatted_in_a_struct() {
    let n = count_items().output();
    take(
        serde_json::json!({"a": n.to_string(), "b": [1, format!("x{n}")], "c": 2})
            .as_object()
            .unwrap()
            .clone(),
    );
}

/// As kfp reads a pipeline value anywhere in a list or dict argument: the
/// value is injected as an input and its placeholder written in its place.
#[test]
fn a_formatted_value_inside_a_list_or_struct_is_read_when_the_task_runs() {
    let placeholder = "{{$.inputs.parameters['pipelinechannel--count-items-Output']}}";
    let channel = serde_json::json!({"taskOutputParameter": {
        "outputParameterKey": "Output", "producerTask": "count-items"
    }});
    let file = kfp_dsl::compile(formatted_in_a_list::ENTRY).unwrap();
    let spec = serde_json::to_value(&file.spec).unwrap();
    let say_all = &spec["root"]["dag"]["tasks"]["say-all"];
    assert_eq!(
        say_all["dependentTasks"],
        serde_json::json!(["count-items"])
    );
    let inputs = &say_all["inputs"]["parameters"];
    assert_eq!(
        inputs["messages"]["runtimeValue"]["constant"],
        serde_json::json!([format!("{placeholder} items")])
    );
    assert_eq!(inputs["pipelinechannel--count-items-Output"], channel);

    let file = kfp_dsl::compile(formatted_in_a_struct::ENTRY).unwrap();
    let spec = serde_json::to_value(&file.spec).unwrap();
    let inputs = &spec["root"]["dag"]["tasks"]["take"]["inputs"]["parameters"];
    assert_eq!(
        inputs["d"]["runtimeValue"]["constant"],
        serde_json::json!({
            "a": placeholder,
            "b": [1.0, format!("x{placeholder}")],
            "c": 2.0,
        })
    );
    assert_eq!(inputs["pipelinechannel--count-items-Output"], channel);
}

#[pipeline]
fn formatted_in_a_key() {
    let n = count_items().output();
    take(
        serde_json::json!({format!("k{n}"): 2})
            .as_object()
            .unwrap()
            .clone(),
    );
}

/// kfp writes a key with a pipeline value formatted into it as it is (a
/// value nothing reads), so it is refused.
#[test]
fn a_formatted_value_in_a_key_is_reported() {
    let error = compile_error(formatted_in_a_key::ENTRY);
    assert!(
        error.contains("kfp reads values formatted into a struct's values, not its keys"),
        "{error}"
    );
}

#[test]
fn a_task_output_inside_a_loop_cannot_be_formatted_after_it() {
    let error = compile_error(formatted_from_a_loop::ENTRY);
    assert!(
        error.contains("task `say`") && error.contains("runs in a loop this task is not in"),
        "{error}"
    );
}
