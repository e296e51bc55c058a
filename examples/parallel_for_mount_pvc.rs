//! kfp's `parallel_for_mount_pvc` golden: a task inside a loop mounts a
//! persistent volume claim that a task outside the loop creates
//! (kfp-kubernetes' `CreatePVC`); the claim's name reaches the loop as a
//! `pipelinechannel--` input. The pipeline input is declared but not used,
//! as in kfp's source.

use kfp_dsl::kubernetes::{KubernetesSettings, create_pvc};
use kfp_dsl::prelude::*;

#[component]
fn example_component(item: String) -> String {
    println!("Item: {item}");
    item
}

#[pipeline(
    name = "pipeline-parallel-for-mount-pvc",
    description = "Pipeline with 1 component inside ParallelFor using mount_pvc."
)]
pub fn pipeline(
    #[kfp(default = "test-pvc")]
    #[allow(unused_variables)]
    my_pvc_name_suffix: String,
) {
    let claim = create_pvc(["ReadWriteOnce"], "5Mi")
        .pvc_name_suffix("-my-pvc")
        .storage_class_name("standard")
        .outputs()
        .name;
    parallel_for(["a"], |item| {
        example_component(item).mount_pvc(claim, "/data");
    });
}

fn main() -> std::process::ExitCode {
    kfp_dsl::main!(pipeline)
}
