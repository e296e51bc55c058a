//! kfp's `pipeline_with_placeholders` golden: a task given KFP's runtime
//! placeholders (`kfp_dsl::placeholders`, kfp's `dsl.PIPELINE_JOB_NAME_PLACEHOLDER`
//! and the others), which the backend replaces with the run's and the
//! task's names and ids.

use kfp_dsl::placeholders;
use kfp_dsl::prelude::*;

#[component]
fn print_all_placeholders(
    job_name: String,
    job_resource_name: String,
    job_id: String,
    task_name: String,
    task_id: String,
) {
    let all = [
        job_name,
        job_resource_name.clone(),
        job_id,
        task_name.clone(),
        task_id,
    ];
    for value in &all {
        assert!(
            !value.contains("{{") && !value.is_empty(),
            "Expected the placeholder to be replaced with a value: {value}"
        );
    }
    assert_eq!(task_name, "print-all-placeholders");
    assert!(job_resource_name.starts_with("pipeline-with-placeholders-"));
    println!("{}", all.join(", "));
}

#[pipeline(name = "pipeline-with-placeholders")]
pub fn pipeline_with_placeholders() {
    print_all_placeholders(
        placeholders::PIPELINE_JOB_NAME,
        placeholders::PIPELINE_JOB_RESOURCE_NAME,
        placeholders::PIPELINE_JOB_ID,
        placeholders::PIPELINE_TASK_NAME,
        placeholders::PIPELINE_TASK_ID,
    )
    .set_caching_options(false);
}

fn main() -> std::process::ExitCode {
    kfp_dsl::main!(pipeline_with_placeholders)
}
