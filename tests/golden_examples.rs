//! Each example but `quickstart`, `chain` and `wine_quality` (tested by
//! their own files) reproduces one of kfp's golden pipelines: it is compiled and compared
//! with `../shared/kfp-golden/sdk_compiled_pipelines/valid/…/<stem>.yaml`
//! as JSON, both documents (pipeline spec and platform spec), ignoring only
//! `sdkVersion`, and `command` and `image` of Rust-native executors (the
//! rule of kfp's own compilation test). Each is also run on this machine
//! with the local runner and checked against its expectation
//! (`local_runs`). The examples are compiled here as modules of this test;
//! CI does not build them as binaries as well (`.ci/run`).

mod golden;
mod golden_coverage;
mod local_runs;

use std::path::Path;

use kfp_dsl::{Overrides, PipelineEntry};

/// Two tests per example, named after it: `stem = "file" => pipeline`
/// compares `examples/<file>` (its path from here), whose pipeline (or
/// component compiled on its own) is `pipeline`, with its golden file
/// (`, overrides` compiles it as kfp compiled the golden file), and
/// `local_run::stem` runs it on this machine.
macro_rules! golden_examples {
    (@overrides) => { Overrides::default() };
    (@overrides $overrides:expr) => { $overrides };
    ($($stem:ident = $file:literal => $pipeline:ident $(, $overrides:expr)?;)*) => {
        $(
            #[allow(dead_code)]
            #[path = $file]
            mod $stem;

            #[test]
            fn $stem() {
                let overrides = golden_examples!(@overrides $($overrides)?);
                check($file, $stem::$pipeline::ENTRY, &overrides);
            }
        )*

        /// The example files compared, as paths from here.
        const COMPARED: &[&str] = &[$($file),*];

        /// The pipeline of the compared example `file` (its path from
        /// here) and the overrides it is compiled with.
        fn compared_entry(file: &str) -> Option<(PipelineEntry, Overrides)> {
            $(
                if file == $file {
                    let overrides = golden_examples!(@overrides $($overrides)?);
                    return Some(($stem::$pipeline::ENTRY, overrides));
                }
            )*
            None
        }

        /// Each example run on this machine, against its expectation.
        mod local_run {
            $(
                #[test]
                fn $stem() {
                    crate::local_runs::check(crate::stem($file), super::$stem::$pipeline::ENTRY);
                }
            )*
        }
    };
}

golden_examples! {
    hello_world = "../examples/hello_world.rs" => echo;
    add_numbers = "../examples/add_numbers.rs" => add_numbers;
    container_io = "../examples/container_io.rs" => container_io;
    pipeline_with_after = "../examples/pipeline_with_after.rs" => my_pipeline;
    producer_consumer_param_pipeline =
        "../examples/producer_consumer_param_pipeline.rs" => producer_consumer_param_pipeline;
    container_no_input = "../examples/container_no_input.rs" => container_no_input;
    container_with_if_placeholder =
        "../examples/container_with_if_placeholder.rs" => container_with_if_placeholder;
    container_with_concat_placeholder =
        "../examples/container_with_concat_placeholder.rs" => container_with_concat_placeholder;
    pipeline_with_env = "../examples/pipeline_with_env.rs" => pipeline_with_env;
    pipeline_with_retry = "../examples/pipeline_with_retry.rs" => pipeline_with_retry;
    pipeline_with_reused_component =
        "../examples/pipeline_with_reused_component.rs" => pipeline_with_reused_component;
    component_with_optional_inputs = "../examples/component_with_optional_inputs.rs" => pipeline;
    dict_input = "../examples/dict_input.rs" => dict_input;
    multiple_parameters_namedtuple = "../examples/multiple_parameters_namedtuple.rs" => crust;
    pipeline_with_string_machine_fields_pipeline_input =
        "../examples/pipeline_with_string_machine_fields_pipeline_input.rs" => pipeline;
    pipeline_in_pipeline = "../examples/pipeline_in_pipeline.rs" => my_pipeline;
    pipeline_in_pipeline_complex = "../examples/pipeline_in_pipeline_complex.rs" => my_pipeline;
    pipeline_with_metadata_fields =
        "../examples/pipeline_with_metadata_fields.rs" => dataset_concatenator;
    component_with_metadata_fields =
        "../examples/component_with_metadata_fields.rs" => dataset_joiner;
    two_step_pipeline_containerized =
        "../examples/two_step_pipeline_containerized.rs" => two_step_pipeline_containerized;
    parameters_simple = "../examples/parameters_simple.rs" => math_pipeline;
    artifacts_simple = "../examples/artifacts_simple.rs" => math_pipeline;
    pipeline_with_parallelfor_pipeline_param =
        "../examples/pipeline_with_parallelfor_pipeline_param.rs" => pipeline;
    conditional_producer_and_consumers =
        "../examples/conditional_producer_and_consumers.rs" => math_pipeline;
    artifacts_complex = "../examples/artifacts_complex.rs" => math_pipeline;
    if_else_with_oneof_parameters =
        "../examples/if_else_with_oneof_parameters.rs" => flip_coin_pipeline;
    if_elif_else_with_oneof_parameters =
        "../examples/if_elif_else_with_oneof_parameters.rs" => outer_pipeline;
    if_else_with_oneof_artifacts = "../examples/if_else_with_oneof_artifacts.rs" => outer_pipeline;
    if_elif_else_complex = "../examples/if_elif_else_complex.rs" => lucky_number_pipeline;
    pipeline_with_exit_handler = "../examples/pipeline_with_exit_handler.rs" => my_pipeline;
    pipeline_with_multiple_exit_handlers =
        "../examples/pipeline_with_multiple_exit_handlers.rs" => my_pipeline;
    pipeline_with_task_final_status =
        "../examples/pipeline_with_task_final_status.rs" => my_pipeline;
    pipeline_as_exit_task = "../examples/pipeline_as_exit_task.rs" => my_pipeline;
    nvidia_gpu_scheduling_check =
        "../examples/nvidia_gpu_scheduling_check.rs" => nvidia_gpu_scheduling_check;
    pvc_mount = "../examples/pvc_mount.rs" => pvc_mount_pipeline;
    pipeline_with_volume = "../examples/pipeline_with_volume.rs" => pipeline_with_volume;
    pipeline_with_volume_no_cache =
        "../examples/pipeline_with_volume_no_cache.rs" => pipeline_with_volume_no_cache;
    pipeline_with_secret_as_volume =
        "../examples/pipeline_with_secret_as_volume.rs" => pipeline_secret_volume;
    missing_kubernetes_optional_inputs =
        "../examples/missing_kubernetes_optional_inputs.rs"
        => missing_kubernetes_optional_inputs_pipeline;
    pipeline_with_pod_metadata =
        "../examples/pipeline_with_pod_metadata.rs" => pipeline_with_pod_metadata;
    identity = "../examples/identity.rs" => identity;
    input_artifact = "../examples/input_artifact.rs" => input_artifact;
    nested_return = "../examples/nested_return.rs" => nested_return;
    output_metrics = "../examples/output_metrics.rs" => output_metrics;
    container_component_with_no_inputs =
        "../examples/container_component_with_no_inputs.rs" => pipeline_container_no_input;
    concat_message = "../examples/concat_message.rs" => concat_message;
    pipeline_with_secret_as_env =
        "../examples/pipeline_with_secret_as_env.rs" => pipeline_secret_env;
    container_with_artifact_output =
        "../examples/container_with_artifact_output.rs" => container_with_artifact_output;
    mixed_parameters = "../examples/mixed_parameters.rs" => crust;
    multiple_artifacts_namedtuple = "../examples/multiple_artifacts_namedtuple.rs" => crust;
    parallel_for_after_dependency =
        "../examples/parallel_for_after_dependency.rs" => loop_with_after_dependency_set;
    collected_parameters = "../examples/collected_parameters.rs" => collected_param_pipeline;
    loop_consume_upstream = "../examples/loop_consume_upstream.rs" => loop_consume_upstream;
    pipeline_producer_consumer = "../examples/pipeline_producer_consumer.rs" => math_pipeline;
    parallel_for_secret = "../examples/parallel_for_secret.rs" => pipeline;
    nested_parallel_for_secret = "../examples/nested_parallel_for_secret.rs" => pipeline;
    parallel_for_mount_pvc = "../examples/parallel_for_mount_pvc.rs" => pipeline;
    pipeline_with_string_machine_fields_task_output =
        "../examples/pipeline_with_string_machine_fields_task_output.rs" => pipeline;
    pipeline_with_task_using_ignore_upstream_failure =
        "../examples/pipeline_with_task_using_ignore_upstream_failure.rs" => my_pipeline;
    pipeline_with_condition = "../examples/pipeline_with_condition.rs" => my_pipeline;
    pipeline_with_nested_conditions =
        "../examples/pipeline_with_nested_conditions.rs" => my_pipeline;
    cross_loop_after_topology = "../examples/cross_loop_after_topology.rs" => my_pipeline;
    pipeline_with_loops = "../examples/pipeline_with_loops.rs" => my_pipeline;
    pipeline_with_nested_loops = "../examples/pipeline_with_nested_loops.rs" => my_pipeline;
    pipeline_with_loops_and_conditions =
        "../examples/pipeline_with_loops_and_conditions.rs" => my_pipeline;
    arguments_parameters =
        "../examples/arguments_parameters.rs" => echo,
        Overrides::default().parameter("param1", "hello");
    pipeline_with_importer = "../examples/pipeline_with_importer.rs" => my_pipeline;
    parameters_complex = "../examples/parameters_complex.rs" => math_pipeline;
    nested_with_parameters = "../examples/nested_with_parameters.rs" => math_pipeline;
    pipeline_with_outputs = "../examples/pipeline_with_outputs.rs" => my_pipeline;
    flip_coin = "../examples/flip_coin.rs" => flipcoin_pipeline;
    parameter_cache = "../examples/parameter_cache.rs" => crust;
    artifact_cache = "../examples/artifact_cache.rs" => crust;
    parameter_oneof = "../examples/parameter_oneof.rs" => crust;
    pipeline_with_placeholders =
        "../examples/pipeline_with_placeholders.rs" => pipeline_with_placeholders;
    container_with_placeholder_in_fstring =
        "../examples/container_with_placeholder_in_fstring.rs"
        => container_with_placeholder_in_fstring;
    pipeline_with_metrics_outputs = "../examples/pipeline_with_metrics_outputs.rs" => my_pipeline;
    pipeline_with_input_status_state =
        "../examples/pipeline_with_input_status_state.rs" => status_state_pipeline;
    metrics_visualization_v2 =
        "../examples/metrics_visualization_v2.rs" => metrics_visualization_pipeline;
    pipeline_with_params_containing_format =
        "../examples/pipeline_with_params_containing_format.rs" => my_pipeline;
    components_with_optional_artifacts =
        "../examples/components_with_optional_artifacts.rs" => optional_artifact_pipeline;
    placeholder_with_if_placeholder_none_input_value =
        "../examples/placeholder_with_if_placeholder_none_input_value.rs"
        => one_step_pipeline_with_if_placeholder_supply_none;
    pipeline_with_volume_long_name =
        "../examples/pipeline_with_volume_long_name.rs" => pipeline_with_volume_long_name;
    component_with_env_variable =
        "../examples/component_with_env_variable.rs" => pipeline_with_env_variable;
    pipeline_with_google_artifact_type =
        "../examples/pipeline_with_google_artifact_type.rs" => my_pipeline;
    pipeline_with_various_io_types = "../examples/pipeline_with_various_io_types.rs" => my_pipeline;
    modelcar = "../examples/modelcar.rs" => pipeline_modelcar_test;
    log_streaming_compiled = "../examples/log_streaming_compiled.rs" => log_streaming_pipeline;
    pipeline_with_utils = "../examples/pipeline_with_utils.rs" => pipeline_with_utils;
    long_running = "../examples/long-running.rs" => wait_awhile;
    pipeline_with_artifact_custom_path =
        "../examples/pipeline_with_artifact_custom_path.rs" => pipeline_with_artifact_custom_path;
    create_pod_metadata_complex =
        "../examples/create_pod_metadata_complex.rs" => pipeline_with_pod_metadata;
    pipeline_with_task_final_status_yaml =
        "../examples/pipeline_with_task_final_status_yaml.rs" => my_pipeline;
    pipeline_with_nested_conditions_yaml =
        "../examples/pipeline_with_nested_conditions_yaml.rs" => my_pipeline;
    pipeline_with_importer_and_gcpc_types =
        "../examples/pipeline_with_importer_and_gcpc_types.rs" => my_pipeline;
    sequential_v1 = "../examples/sequential_v1.rs" => sequential;
    pipeline_in_pipeline_loaded_from_yaml =
        "../examples/pipeline_in_pipeline_loaded_from_yaml.rs" => my_pipeline;
    pipeline_with_concat_placeholder =
        "../examples/pipeline_with_concat_placeholder.rs" => pipeline_with_concat_placeholder;
    two_step_pipeline =
        "../examples/two_step_pipeline.rs" => my_pipeline,
        Overrides::default().parameter("text", "Hello KFP!");
    fail_v2 = "../examples/fail_v2.rs" => fail_pipeline;
    env_var = "../examples/env-var.rs" => test_env_exists;
    take_nap_compiled = "../examples/take_nap_compiled.rs" => take_nap_pipeline;
    take_nap_pipeline_root_compiled =
        "../examples/take_nap_pipeline_root_compiled.rs" => take_nap_pipeline;
    local_execution_pipeline_with_retry =
        "../examples/local_execution_pipeline_with_retry.rs" => pipeline_with_retry;
    pipeline_with_caching = "../examples/pipeline_with_caching.rs" => pipeline_with_caching;
    local_execution_pipeline_with_ignore_upstream_failure =
        "../examples/local_execution_pipeline_with_ignore_upstream_failure.rs"
        => pipeline_with_ignore_upstream_failure;
    local_execution_pipeline_with_k8s_only_methods =
        "../examples/local_execution_pipeline_with_k8s_only_methods.rs"
        => pipeline_with_k8s_only_methods;
    local_execution_pipeline_with_oneof =
        "../examples/local_execution_pipeline_with_oneof.rs" => pipeline_with_oneof;
    local_execution_pipeline_with_exit_handler =
        "../examples/local_execution_pipeline_with_exit_handler.rs" => pipeline_with_exit_handler;
    component_with_task_final_status_gh_12033 =
        "../examples/component_with_task_final_status_GH-12033.rs" => exit_comp;
    pipeline_with_collected_artifacts =
        "../examples/pipeline_with_collected_artifacts.rs" => pipeline_with_collected_artifacts;
    sequential_v2 = "../examples/sequential_v2.rs" => sequential;
    artifact_crust = "../examples/artifact_crust.rs" => crust;
    nested_pipeline_opt_inputs_nil_compiled =
        "../examples/nested_pipeline_opt_inputs_nil_compiled.rs" => nested_pipeline_opt_inputs_nil;
    nested_pipeline_opt_input_child_level_compiled =
        "../examples/nested_pipeline_opt_input_child_level_compiled.rs"
        => nested_pipeline_opt_input_child_level;
    nested_pipeline_opt_inputs_parent_level_compiled =
        "../examples/nested_pipeline_opt_inputs_parent_level_compiled.rs"
        => nested_pipeline_opt_inputs_parent_level;
    pipeline_with_submit_request =
        "../examples/pipeline_with_submit_request.rs" => pipeline_with_external_request;
    preprocess = "../examples/preprocess.rs" => preprocess;
    pipeline_with_parallelfor_parallelism =
        "../examples/pipeline_with_parallelfor_parallelism.rs" => my_pipeline;
    pipeline_with_dynamic_importer_metadata =
        "../examples/pipeline_with_dynamic_importer_metadata.rs" => my_pipeline;
    collected_artifacts = "../examples/collected_artifacts.rs" => collected_artifact_pipeline;
    lightweight_python_functions_pipeline =
        "../examples/lightweight_python_functions_pipeline.rs" => pipeline;
    iris_pipeline_compiled = "../examples/iris_pipeline_compiled.rs" => my_pipeline;
    upload_download_compiled =
        "../examples/upload_download_compiled.rs" => data_passing_pipeline;
    pipeline_with_artifact_upload_download =
        "../examples/pipeline_with_artifact_upload_download.rs" => pipeline_with_datasets;
    pipeline_with_workspace = "../examples/pipeline_with_workspace.rs" => pipeline_with_workspace;
    pipeline_with_importer_workspace =
        "../examples/pipeline_with_importer_workspace.rs" => pipeline_with_importer_workspace;
    pipeline_with_dynamic_task_output_custom_training_job =
        "../examples/pipeline_with_dynamic_task_output_custom_training_job.rs" => my_pipeline;
    pipeline_with_condition_dynamic_task_output_custom_training_job =
        "../examples/pipeline_with_condition_dynamic_task_output_custom_training_job.rs"
        => pipeline_with_dynamic_condition_output;
    pythonic_artifact_with_single_return =
        "../examples/pythonic_artifact_with_single_return.rs" => make_language_model_pipeline;
    pythonic_artifacts_with_multiple_returns =
        "../examples/pythonic_artifacts_with_multiple_returns.rs" => split_datasets_and_return_first;
    pythonic_artifacts_with_list_of_artifacts =
        "../examples/pythonic_artifacts_with_list_of_artifacts.rs" => make_and_join_datasets;
    pythonic_artifacts_test_pipeline =
        "../examples/pythonic_artifacts_test_pipeline.rs" => pythonic_artifacts_test_pipeline;
    lightweight_python_functions_with_outputs =
        "../examples/lightweight_python_functions_with_outputs.rs" => pipeline;
    pipeline_with_parallelfor_list_artifacts_gh_12033 =
        "../examples/pipeline_with_parallelfor_list_artifacts_GH-12033.rs"
        => pipeline_parallelfor_artifacts;
}

/// The stem of an example file (`long-running` for
/// `../examples/long-running.rs`).
fn stem(example: &str) -> &str {
    Path::new(example)
        .file_stem()
        .and_then(|s| s.to_str())
        .unwrap_or(example)
}

/// Compares the example `examples/<stem>.rs` (its path from here) with
/// `<stem>.yaml` of the golden corpus.
fn check(example: &str, entry: PipelineEntry, overrides: &Overrides) {
    let Some(dir) = golden::shared_dir("kfp-golden/sdk_compiled_pipelines/valid") else {
        return;
    };
    let stem = stem(example);
    let path = golden::find(&dir, &format!("{stem}.yaml"))
        .unwrap_or_else(|| panic!("no golden file {stem}.yaml under {}", dir.display()));
    golden::check(stem, &path, entry, overrides);
}

/// `examples/README.md` lists every example exactly once, each with the
/// golden file it reproduces (its path under `sdk_compiled_pipelines/valid/`)
/// or `none` and the test file that compiles it instead, and what a local
/// run of it does. The examples listed with a golden file are exactly those
/// compared above, and each path is where that file is; CI builds no
/// example binary, so every other example must be compiled (and run
/// locally) by the test file named. The local run cell is the summary of
/// the example's expectation in `tests/local_runs/table.rs`.
#[test]
fn the_index_lists_every_example_with_its_golden_file_or_test() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let index = std::fs::read_to_string(root.join("examples/README.md")).unwrap();
    let rows = index_rows(&index);

    let mut files: Vec<String> = std::fs::read_dir(root.join("examples"))
        .unwrap()
        .map(|entry| entry.unwrap().file_name().into_string().unwrap())
        .filter(|name| name.ends_with(".rs"))
        .collect();
    files.sort();
    let mut listed: Vec<String> = rows.iter().map(|row| row.file.clone()).collect();
    listed.sort();
    assert_eq!(
        listed, files,
        "examples/README.md must list every examples/*.rs exactly once"
    );

    let mut with_golden: Vec<&str> = rows
        .iter()
        .filter(|row| row.golden)
        .map(|row| row.file.as_str())
        .collect();
    with_golden.sort_unstable();
    let mut compared: Vec<&str> = COMPARED
        .iter()
        .map(|path| path.trim_start_matches("../examples/"))
        .collect();
    compared.sort_unstable();
    assert_eq!(
        with_golden, compared,
        "the examples the index gives a golden file are not the ones compared"
    );

    let scratch = tempfile::tempdir().unwrap();
    for row in &rows {
        let expected = local_runs::expected(stem(&row.file), scratch.path());
        assert_eq!(
            row.local,
            expected.summary(),
            "examples/README.md: the local run of {} is not what \
             tests/local_runs/table.rs expects",
            row.file
        );
    }

    let dir = golden::shared_dir("kfp-golden/sdk_compiled_pipelines/valid");
    for Row {
        file, golden, path, ..
    } in &rows
    {
        if *golden {
            let name = format!("{}.yaml", file.trim_end_matches(".rs"));
            assert!(
                Path::new(path).file_name().is_some_and(|n| *n == *name),
                "examples/README.md: {file} reproduces {name}, not {path}"
            );
            if let Some(dir) = &dir {
                assert!(
                    dir.join(path).is_file(),
                    "examples/README.md: {file}: no golden file {path} under {}",
                    dir.display()
                );
            }
        } else {
            let test = std::fs::read_to_string(root.join(path))
                .unwrap_or_else(|e| panic!("examples/README.md: {file}: {path}: {e}"));
            assert!(
                test.contains(&format!("#[path = \"../examples/{file}\"]")),
                "examples/README.md: {path} does not compile examples/{file}"
            );
            let stem = stem(file);
            assert!(
                test.contains(&format!("local_runs::check(\"{stem}\"")),
                "examples/README.md: {path} does not run examples/{file} locally"
            );
        }
    }
}

/// A row of the index, `| [`stem`](FILE) | what it shows | GOLDEN | LOCAL |`.
struct Row {
    /// FILE, under `examples/`.
    file: String,
    /// Whether the GOLDEN cell names a golden file (else it starts with
    /// `none` and names the test file that compiles the example).
    golden: bool,
    /// The first path in backquotes of the GOLDEN cell.
    path: String,
    /// The LOCAL cell: what a local run does.
    local: String,
}

fn index_rows(index: &str) -> Vec<Row> {
    index
        .lines()
        .filter(|line| line.starts_with("| ["))
        .map(|line| {
            let file = line
                .split_once("](")
                .and_then(|(_, rest)| rest.split_once(')'))
                .map(|(file, _)| file.to_owned())
                .unwrap_or_else(|| panic!("examples/README.md: no link to a file in {line}"));
            let mut cells = line.trim_end_matches('|').rsplit('|').map(str::trim);
            let (local, cell) = (cells.next().unwrap(), cells.next().unwrap());
            let path = cell
                .split('`')
                .nth(1)
                .unwrap_or_else(|| panic!("examples/README.md: no path in backquotes in {line}"));
            Row {
                file,
                golden: !cell.starts_with("none"),
                path: path.to_owned(),
                local: local.to_owned(),
            }
        })
        .collect()
}
