//! kfp's `pipeline_with_volume_long_name` golden: a pipeline with a long
//! name that creates a persistent volume claim (kfp-kubernetes'
//! `CreatePVC`) next to an unrelated task.

use kfp_dsl::kubernetes::create_pvc;
use kfp_dsl::prelude::*;

#[component]
fn dummy_task() {
    println!("hello");
}

#[pipeline(name = "here-is-a-pipeline-very-long-name")]
pub fn pipeline_with_volume_long_name() {
    create_pvc(["ReadWriteOnce"], "1Gi")
        .pvc_name_suffix("-my-pvc")
        .storage_class_name("standard");
    dummy_task();
}

fn main() -> std::process::ExitCode {
    kfp_dsl::main!(pipeline_with_volume_long_name)
}
