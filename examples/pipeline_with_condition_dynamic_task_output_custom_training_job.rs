//! kfp's `pipeline_with_condition_dynamic_task_output_custom_training_job`
//! golden: Google Cloud Pipeline Components' `CustomTrainingJobOp`
//! (2.22.0, restated as a container component) inside a condition, its
//! worker pool's machine read from three tasks outside it and formatted
//! into its list argument: each value enters the condition's group and
//! reaches the job as an input of its own.

use kfp_dsl::prelude::*;
use serde_json::json;

/// Flip a coin and output heads.
#[component]
fn flip_biased_coin_op() -> String {
    "heads".to_owned()
}

#[component]
fn machine_type() -> String {
    "n1-standard-4".to_owned()
}

#[component]
fn accelerator_type() -> String {
    "NVIDIA_TESLA_P4".to_owned()
}

#[component]
fn accelerator_count() -> i64 {
    1
}

/// Launch a Vertex AI [custom training
/// job](https://cloud.google.com/vertex-ai/docs/training/create-custom-job)
/// using the [CustomJob](https://cloud.google.com/vertex-ai/docs/reference/rest/v1/projects.locations.customJobs)
/// API: GCPC's `v1.custom_job.CustomTrainingJobOp` of
/// google-cloud-pipeline-components 2.22.0, its launcher given the job as
/// JSON.
#[container_component]
#[allow(clippy::too_many_arguments)]
fn custom_training_job(
    #[kfp(description = "The name of the CustomJob.")] display_name: String,
    #[kfp(
        default = "",
        description = "The Cloud Storage location to store the output of this CustomJob or \
             HyperparameterTuningJob. See [more information \
             ](https://cloud.google.com/vertex-ai/docs/reference/rest/v1/GcsDestination)."
    )]
    base_output_directory: String,
    #[kfp(
        default = false,
        description = "Whether you want Vertex AI to enable [interactive shell access \
             ](https://cloud.google.com/vertex-ai/docs/training/monitor-debug-interactive-shell) \
             to training containers. If `True`, you can access interactive shells \
             at the URIs given by [CustomJob.web_access_uris][]."
    )]
    enable_web_access: bool,
    #[kfp(
        default = "",
        description = "Customer-managed encryption key options for the CustomJob. If this is \
             set, then all resources created by the CustomJob will be encrypted \
             with the provided encryption key."
    )]
    encryption_spec_key_name: String,
    #[kfp(
        default = json!({}),
        description = "The labels with user-defined metadata to organize the CustomJob. See \
             [more information](https://goo.gl/xmQnxf)."
    )]
    labels: serde_json::Map<String, serde_json::Value>,
    #[kfp(
        default = "{{$.pipeline_google_cloud_location}}",
        description = "Location for creating the custom training job. If not set, default to \
             the location where the PipelineJob is run."
    )]
    location: String,
    #[kfp(
        default = "86400s",
        description = "The maximum time to wait for the custom training job to be scheduled \
             only if the scheduling strategy is set to FLEX_START. If set to 0, the \
             job will wait indefinitely. The default is 24 hours. See [more \
             information](https://cloud.google.com/vertex-ai/docs/reference/rest/v1/CustomJobSpec#Strategy)."
    )]
    max_wait_duration: String,
    #[kfp(
        default = "",
        description = "The full name of the Compute Engine network to which the job should be \
             peered. For example, `projects/12345/global/networks/myVPC`. Format is \
             of the form `projects/{project}/global/networks/{network}`. Where \
             `{project}` is a project number, as in `12345`, and `{network}` is a \
             network name. Private services access must already be configured for \
             the network. If left unspecified, the job is not peered with any \
             network."
    )]
    network: String,
    #[kfp(
        default = "{{$.pipeline_persistent_resource_id}}",
        description = "The ID of the PersistentResource in the same Project and Location \
             which to run. The default value is a placeholder that will be resolved \
             to the PipelineJob \
             [RuntimeConfig](https://cloud.google.com/vertex-ai/docs/reference/rest/v1/projects.locations.pipelineJobs#PipelineJob.RuntimeConfig)'s \
             persistent resource id at runtime. However, if the PipelineJob doesn't \
             set Persistent Resource as the job level runtime, the placedholder \
             will be resolved to an empty string and the custom job will be run on \
             demand. If the value is set explicitly, the custom job will runs in \
             the specified persistent resource, in this case, please note the \
             network and CMEK configs on the job should be consistent with those on \
             the PersistentResource, otherwise, the job will be rejected."
    )]
    persistent_resource_id: String,
    #[kfp(
        default = "{{$.pipeline_google_cloud_project_id}}",
        description = "Project to create the custom training job in. Defaults to the project \
             in which the PipelineJob is run."
    )]
    project: String,
    #[kfp(
        default = json!({}),
        description = "Configuration CustomJob with PSC-I. See [more \
             information](https://cloud.google.com/vertex-ai/docs/reference/rest/v1/CustomJobSpec#PscInterfaceConfig)."
    )]
    psc_interface_config: serde_json::Map<String, serde_json::Value>,
    #[kfp(
        default = json!([]),
        description = "A list of names for the reserved IP ranges under the VPC network that \
             can be used for this job. If set, we will deploy the job within the \
             provided IP ranges. Otherwise, the job will be deployed to any IP \
             ranges under the provided VPC network."
    )]
    reserved_ip_ranges: Vec<String>,
    #[kfp(
        default = false,
        description = "Restarts the entire CustomJob if a worker gets restarted. This feature \
             can be used by distributed training jobs that are not resilient to \
             workers leaving and joining a job."
    )]
    restart_job_on_worker_restart: bool,
    #[kfp(
        default = "",
        description = "Sets the default service account for workload run-as account. The \
             [service account \
             ](https://cloud.google.com/vertex-ai/docs/pipelines/configure-project#service-account) \
             running the pipeline submitting jobs must have act-as permission on \
             this run-as account. If unspecified, the Vertex AI Custom Code \
             [Service Agent \
             ](https://cloud.google.com/vertex-ai/docs/general/access-control#service-agents) \
             for the CustomJob's project."
    )]
    service_account: String,
    #[kfp(
        default = "STANDARD",
        description = "The strategy to use for the custom training job. The default is \
             'STANDARD'. See [more \
             information](https://cloud.google.com/vertex-ai/docs/reference/rest/v1/CustomJobSpec#Strategy)."
    )]
    strategy: String,
    #[kfp(
        default = "",
        description = "The name of a Vertex AI TensorBoard resource to which this CustomJob \
             will upload TensorBoard logs."
    )]
    tensorboard: String,
    #[kfp(
        default = "604800s",
        description = "The maximum job running time. The default is 7 days. A duration in \
             seconds with up to nine fractional digits, terminated by 's', for \
             example: \"3.5s\"."
    )]
    timeout: String,
    #[kfp(
        default = json!([]),
        description = "Serialized json spec of the worker pools including machine type and \
             Docker image. All worker pools except the first one are optional and \
             can be skipped by providing an empty value. See [more \
             information](https://cloud.google.com/vertex-ai/docs/reference/rest/v1/CustomJobSpec#WorkerPoolSpec)."
    )]
    worker_pool_specs: Vec<serde_json::Value>,
    #[kfp(description = "Serialized JSON of `gcp_resources` \
             [proto](https://github.com/kubeflow/pipelines/tree/master/components/google-cloud/google_cloud_pipeline_components/proto) \
             which tracks the CustomJob.")]
    gcp_resources: OutputPath<String>,
) -> ContainerSpec {
    let payload = format!(
        "{{\"display_name\": \"{display_name}\", \"job_spec\": {{\"worker_pool_specs\": \
         {worker_pool_specs}, \"scheduling\": {{\"timeout\": \"{timeout}\", \
         \"restart_job_on_worker_restart\": {restart_job_on_worker_restart}, \
         \"strategy\": \"{strategy}\", \"max_wait_duration\": \"{max_wait_duration}\"}}, \
         \"service_account\": \"{service_account}\", \"tensorboard\": \"{tensorboard}\", \
         \"enable_web_access\": {enable_web_access}, \"network\": \"{network}\", \
         \"reserved_ip_ranges\": {reserved_ip_ranges}, \"base_output_directory\": \
         {{\"output_uri_prefix\": \"{base_output_directory}\"}}, \
         \"persistent_resource_id\": \"{persistent_resource_id}\", \
         \"psc_interface_config\": {psc_interface_config}}}, \"labels\": {labels}, \
         \"encryption_spec\": {{\"kms_key_name\": \"{encryption_spec_key_name}\"}}}}"
    );
    ContainerSpec::new("gcr.io/ml-pipeline/google-cloud-pipeline-components:2.22.0")
        .command((
            "python3",
            "-u",
            "-m",
            "google_cloud_pipeline_components.container.v1.custom_job.launcher",
        ))
        .args((
            "--type",
            "CustomJob",
            "--payload",
            payload,
            "--project",
            project,
            "--location",
            location,
            "--gcp_resources",
            gcp_resources,
        ))
}

#[pipeline]
pub fn pipeline_with_dynamic_condition_output(
    project: String,
    location: String,
    #[kfp(default = "")] encryption_spec_key_name: String,
) {
    let flip1 = flip_biased_coin_op().set_caching_options(false);
    let machine_type_task = machine_type();
    let accelerator_type_task = accelerator_type();
    let accelerator_count_task = accelerator_count();
    condition(flip1.output().eq("heads"), || {
        custom_training_job("add-numbers")
            .worker_pool_specs(vec![json!({
                "container_spec": {
                    "image_uri": "gcr.io/ml-pipeline/google-cloud-pipeline-components:2.5.0",
                    "command": ["echo"],
                    "args": ["foo"],
                },
                "machine_spec": {
                    "machine_type": machine_type_task.output().to_string(),
                    "accelerator_type": accelerator_type_task.output().to_string(),
                    "accelerator_count": accelerator_count_task.output().to_string(),
                },
                "replica_count": 1,
            })])
            .project(project)
            .location(location)
            .encryption_spec_key_name(encryption_spec_key_name);
    });
}

fn main() -> std::process::ExitCode {
    kfp_dsl::main!(pipeline_with_dynamic_condition_output)
}
