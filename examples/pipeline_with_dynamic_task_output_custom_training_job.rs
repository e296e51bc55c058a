//! kfp's `pipeline_with_dynamic_task_output_custom_training_job` golden:
//! Google Cloud Pipeline Components' `CustomTrainingJobOp` (2.14.1,
//! restated as a container component) whose worker pool's machine, read
//! from three tasks' outputs, is formatted into its list argument: kfp
//! reads pipeline values anywhere in a list or dict argument.

use kfp_dsl::prelude::*;
use serde_json::json;

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
/// google-cloud-pipeline-components 2.14.1, its launcher given the job as
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
        default = "us-central1",
        description = "Location for creating the custom training job. If not set, default to \
             us-central1."
    )]
    location: String,
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
        default = "{{$.pipeline_google_cloud_project_id}}",
        description = "Project to create the custom training job in. Defaults to the project \
             in which the PipelineJob is run."
    )]
    project: String,
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
         \"restart_job_on_worker_restart\": {restart_job_on_worker_restart}}}, \
         \"service_account\": \"{service_account}\", \"tensorboard\": \"{tensorboard}\", \
         \"enable_web_access\": {enable_web_access}, \"network\": \"{network}\", \
         \"reserved_ip_ranges\": {reserved_ip_ranges}, \"base_output_directory\": \
         {{\"output_uri_prefix\": \"{base_output_directory}\"}}}}, \"labels\": {labels}, \
         \"encryption_spec\": {{\"kms_key_name\": \"{encryption_spec_key_name}\"}}}}"
    );
    ContainerSpec::new("gcr.io/ml-pipeline/google-cloud-pipeline-components:2.14.1")
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

/// The worker pool of the job: one replica whose machine the three tasks
/// give, formatted into the list as kfp formats a pipeline value in a
/// list or dict argument.
fn worker_pool_specs(
    machine_type: &machine_type::Task,
    accelerator_type: &accelerator_type::Task,
    accelerator_count: &accelerator_count::Task,
) -> Vec<serde_json::Value> {
    vec![json!({
        "container_spec": {
            "image_uri": "gcr.io/ml-pipeline/google-cloud-pipeline-components:2.5.0",
            "command": ["echo"],
            "args": ["foo"],
        },
        "machine_spec": {
            "machine_type": machine_type.output().to_string(),
            "accelerator_type": accelerator_type.output().to_string(),
            "accelerator_count": accelerator_count.output().to_string(),
        },
        "replica_count": 1,
    })]
}

#[pipeline(name = "pipeline")]
pub fn my_pipeline(
    project: String,
    location: String,
    #[kfp(default = "")] encryption_spec_key_name: String,
) {
    let machine_type_task = machine_type();
    let accelerator_type_task = accelerator_type();
    let accelerator_count_task = accelerator_count();
    custom_training_job("add-numbers")
        .worker_pool_specs(worker_pool_specs(
            &machine_type_task,
            &accelerator_type_task,
            &accelerator_count_task,
        ))
        .project(project)
        .location(location)
        .encryption_spec_key_name(encryption_spec_key_name);
}

fn main() -> std::process::ExitCode {
    kfp_dsl::main!(my_pipeline)
}
