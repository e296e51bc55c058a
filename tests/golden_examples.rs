//! Each example reproduces one of kfp's golden pipelines: it is compiled and
//! compared with `../shared/kfp-golden/sdk_compiled_pipelines/valid/<stem>.yaml`
//! as JSON, both documents (pipeline spec and platform spec), ignoring only
//! `sdkVersion`, and `command` and `image` of Rust-native executors (the
//! rule of kfp's own compilation test).

mod golden;

use kfp_dsl::{Overrides, PipelineEntry};

macro_rules! example {
    ($stem:ident, $file:literal, $entry:path) => {
        example!($stem, $file, $entry, Overrides::default());
    };
    // Compiled with overrides, as kfp compiled the golden file.
    ($stem:ident, $file:literal, $entry:path, $overrides:expr) => {
        #[allow(dead_code)]
        #[path = $file]
        mod $stem;

        #[test]
        fn $stem() {
            check($file, $entry, &$overrides);
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

example!(
    artifacts_complex,
    "../examples/artifacts_complex.rs",
    artifacts_complex::math_pipeline::ENTRY
);

example!(
    if_else_with_oneof_parameters,
    "../examples/if_else_with_oneof_parameters.rs",
    if_else_with_oneof_parameters::flip_coin_pipeline::ENTRY
);

example!(
    if_elif_else_with_oneof_parameters,
    "../examples/if_elif_else_with_oneof_parameters.rs",
    if_elif_else_with_oneof_parameters::outer_pipeline::ENTRY
);

example!(
    if_else_with_oneof_artifacts,
    "../examples/if_else_with_oneof_artifacts.rs",
    if_else_with_oneof_artifacts::outer_pipeline::ENTRY
);

example!(
    if_elif_else_complex,
    "../examples/if_elif_else_complex.rs",
    if_elif_else_complex::lucky_number_pipeline::ENTRY
);

example!(
    pipeline_with_exit_handler,
    "../examples/pipeline_with_exit_handler.rs",
    pipeline_with_exit_handler::my_pipeline::ENTRY
);

example!(
    pipeline_with_multiple_exit_handlers,
    "../examples/pipeline_with_multiple_exit_handlers.rs",
    pipeline_with_multiple_exit_handlers::my_pipeline::ENTRY
);

example!(
    pipeline_with_task_final_status,
    "../examples/pipeline_with_task_final_status.rs",
    pipeline_with_task_final_status::my_pipeline::ENTRY
);

example!(
    pipeline_as_exit_task,
    "../examples/pipeline_as_exit_task.rs",
    pipeline_as_exit_task::my_pipeline::ENTRY
);

example!(
    nvidia_gpu_scheduling_check,
    "../examples/nvidia_gpu_scheduling_check.rs",
    nvidia_gpu_scheduling_check::nvidia_gpu_scheduling_check::ENTRY
);

example!(
    pvc_mount,
    "../examples/pvc_mount.rs",
    pvc_mount::pvc_mount_pipeline::ENTRY
);

example!(
    pipeline_with_volume,
    "../examples/pipeline_with_volume.rs",
    pipeline_with_volume::pipeline_with_volume::ENTRY
);
example!(
    pipeline_with_volume_no_cache,
    "../examples/pipeline_with_volume_no_cache.rs",
    pipeline_with_volume_no_cache::pipeline_with_volume_no_cache::ENTRY
);
example!(
    pipeline_with_secret_as_volume,
    "../examples/pipeline_with_secret_as_volume.rs",
    pipeline_with_secret_as_volume::pipeline_secret_volume::ENTRY
);

example!(
    missing_kubernetes_optional_inputs,
    "../examples/missing_kubernetes_optional_inputs.rs",
    missing_kubernetes_optional_inputs::missing_kubernetes_optional_inputs_pipeline::ENTRY
);

example!(
    pipeline_with_pod_metadata,
    "../examples/pipeline_with_pod_metadata.rs",
    pipeline_with_pod_metadata::pipeline_with_pod_metadata::ENTRY
);

example!(
    identity,
    "../examples/identity.rs",
    identity::identity::ENTRY
);
example!(
    input_artifact,
    "../examples/input_artifact.rs",
    input_artifact::input_artifact::ENTRY
);
example!(
    nested_return,
    "../examples/nested_return.rs",
    nested_return::nested_return::ENTRY
);
example!(
    output_metrics,
    "../examples/output_metrics.rs",
    output_metrics::output_metrics::ENTRY
);
example!(
    container_component_with_no_inputs,
    "../examples/container_component_with_no_inputs.rs",
    container_component_with_no_inputs::pipeline_container_no_input::ENTRY
);

example!(
    concat_message,
    "../examples/concat_message.rs",
    concat_message::concat_message::ENTRY
);
example!(
    pipeline_with_secret_as_env,
    "../examples/pipeline_with_secret_as_env.rs",
    pipeline_with_secret_as_env::pipeline_secret_env::ENTRY
);
example!(
    container_with_artifact_output,
    "../examples/container_with_artifact_output.rs",
    container_with_artifact_output::container_with_artifact_output::ENTRY
);

example!(
    mixed_parameters,
    "../examples/mixed_parameters.rs",
    mixed_parameters::crust::ENTRY
);

example!(
    multiple_artifacts_namedtuple,
    "../examples/multiple_artifacts_namedtuple.rs",
    multiple_artifacts_namedtuple::crust::ENTRY
);

example!(
    parallel_for_after_dependency,
    "../examples/parallel_for_after_dependency.rs",
    parallel_for_after_dependency::loop_with_after_dependency_set::ENTRY
);

example!(
    collected_parameters,
    "../examples/collected_parameters.rs",
    collected_parameters::collected_param_pipeline::ENTRY
);

example!(
    loop_consume_upstream,
    "../examples/loop_consume_upstream.rs",
    loop_consume_upstream::loop_consume_upstream::ENTRY
);

example!(
    pipeline_producer_consumer,
    "../examples/pipeline_producer_consumer.rs",
    pipeline_producer_consumer::math_pipeline::ENTRY
);

example!(
    parallel_for_secret,
    "../examples/parallel_for_secret.rs",
    parallel_for_secret::pipeline::ENTRY
);

example!(
    nested_parallel_for_secret,
    "../examples/nested_parallel_for_secret.rs",
    nested_parallel_for_secret::pipeline::ENTRY
);

example!(
    parallel_for_mount_pvc,
    "../examples/parallel_for_mount_pvc.rs",
    parallel_for_mount_pvc::pipeline::ENTRY
);

example!(
    pipeline_with_string_machine_fields_task_output,
    "../examples/pipeline_with_string_machine_fields_task_output.rs",
    pipeline_with_string_machine_fields_task_output::pipeline::ENTRY
);

example!(
    pipeline_with_task_using_ignore_upstream_failure,
    "../examples/pipeline_with_task_using_ignore_upstream_failure.rs",
    pipeline_with_task_using_ignore_upstream_failure::my_pipeline::ENTRY
);

example!(
    pipeline_with_condition,
    "../examples/pipeline_with_condition.rs",
    pipeline_with_condition::my_pipeline::ENTRY
);

example!(
    pipeline_with_nested_conditions,
    "../examples/pipeline_with_nested_conditions.rs",
    pipeline_with_nested_conditions::my_pipeline::ENTRY
);

example!(
    cross_loop_after_topology,
    "../examples/cross_loop_after_topology.rs",
    cross_loop_after_topology::my_pipeline::ENTRY
);

example!(
    pipeline_with_loops,
    "../examples/pipeline_with_loops.rs",
    pipeline_with_loops::my_pipeline::ENTRY
);

example!(
    arguments_parameters,
    "../examples/arguments_parameters.rs",
    arguments_parameters::echo::ENTRY,
    Overrides::default().parameter("param1", "hello")
);

example!(
    pipeline_with_importer,
    "../examples/pipeline_with_importer.rs",
    pipeline_with_importer::my_pipeline::ENTRY
);

example!(
    parameters_complex,
    "../examples/parameters_complex.rs",
    parameters_complex::math_pipeline::ENTRY
);

example!(
    nested_with_parameters,
    "../examples/nested_with_parameters.rs",
    nested_with_parameters::math_pipeline::ENTRY
);

example!(
    pipeline_with_outputs,
    "../examples/pipeline_with_outputs.rs",
    pipeline_with_outputs::my_pipeline::ENTRY
);

example!(
    flip_coin,
    "../examples/flip_coin.rs",
    flip_coin::flipcoin_pipeline::ENTRY
);

example!(
    parameter_cache,
    "../examples/parameter_cache.rs",
    parameter_cache::crust::ENTRY
);

example!(
    artifact_cache,
    "../examples/artifact_cache.rs",
    artifact_cache::crust::ENTRY
);

example!(
    parameter_oneof,
    "../examples/parameter_oneof.rs",
    parameter_oneof::crust::ENTRY
);

example!(
    pipeline_with_placeholders,
    "../examples/pipeline_with_placeholders.rs",
    pipeline_with_placeholders::pipeline_with_placeholders::ENTRY
);

example!(
    container_with_placeholder_in_fstring,
    "../examples/container_with_placeholder_in_fstring.rs",
    container_with_placeholder_in_fstring::container_with_placeholder_in_fstring::ENTRY
);

example!(
    pipeline_with_metrics_outputs,
    "../examples/pipeline_with_metrics_outputs.rs",
    pipeline_with_metrics_outputs::my_pipeline::ENTRY
);

example!(
    pipeline_with_input_status_state,
    "../examples/pipeline_with_input_status_state.rs",
    pipeline_with_input_status_state::status_state_pipeline::ENTRY
);

example!(
    metrics_visualization_v2,
    "../examples/metrics_visualization_v2.rs",
    metrics_visualization_v2::metrics_visualization_pipeline::ENTRY
);

example!(
    pipeline_with_params_containing_format,
    "../examples/pipeline_with_params_containing_format.rs",
    pipeline_with_params_containing_format::my_pipeline::ENTRY
);

example!(
    components_with_optional_artifacts,
    "../examples/components_with_optional_artifacts.rs",
    components_with_optional_artifacts::optional_artifact_pipeline::ENTRY
);

example!(
    placeholder_with_if_placeholder_none_input_value,
    "../examples/placeholder_with_if_placeholder_none_input_value.rs",
    placeholder_with_if_placeholder_none_input_value::one_step_pipeline_with_if_placeholder_supply_none::ENTRY
);

example!(
    pipeline_with_volume_long_name,
    "../examples/pipeline_with_volume_long_name.rs",
    pipeline_with_volume_long_name::pipeline_with_volume_long_name::ENTRY
);

example!(
    component_with_env_variable,
    "../examples/component_with_env_variable.rs",
    component_with_env_variable::pipeline_with_env_variable::ENTRY
);

example!(
    pipeline_with_google_artifact_type,
    "../examples/pipeline_with_google_artifact_type.rs",
    pipeline_with_google_artifact_type::my_pipeline::ENTRY
);

example!(
    pipeline_with_various_io_types,
    "../examples/pipeline_with_various_io_types.rs",
    pipeline_with_various_io_types::my_pipeline::ENTRY
);

example!(
    modelcar,
    "../examples/modelcar.rs",
    modelcar::pipeline_modelcar_test::ENTRY
);

example!(
    log_streaming_compiled,
    "../examples/log_streaming_compiled.rs",
    log_streaming_compiled::log_streaming_pipeline::ENTRY
);

example!(
    pipeline_with_utils,
    "../examples/pipeline_with_utils.rs",
    pipeline_with_utils::pipeline_with_utils::ENTRY
);

example!(
    long_running,
    "../examples/long-running.rs",
    long_running::wait_awhile::ENTRY
);

example!(
    pipeline_with_artifact_custom_path,
    "../examples/pipeline_with_artifact_custom_path.rs",
    pipeline_with_artifact_custom_path::pipeline_with_artifact_custom_path::ENTRY
);

example!(
    create_pod_metadata_complex,
    "../examples/create_pod_metadata_complex.rs",
    create_pod_metadata_complex::pipeline_with_pod_metadata::ENTRY
);

/// Compares the example `examples/<stem>.rs` (its path from here) with
/// `<stem>.yaml` of the golden corpus.
fn check(example: &str, entry: PipelineEntry, overrides: &Overrides) {
    let Some(dir) = golden::shared_dir("kfp-golden/sdk_compiled_pipelines/valid") else {
        return;
    };
    let stem = std::path::Path::new(example)
        .file_stem()
        .and_then(|s| s.to_str())
        .unwrap_or(example);
    let path = golden::find(&dir, &format!("{stem}.yaml"))
        .unwrap_or_else(|| panic!("no golden file {stem}.yaml under {}", dir.display()));
    golden::check(stem, &path, entry, overrides);
}
