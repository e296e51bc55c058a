//! kfp's `pipeline_with_volume` golden: the pipeline creates a persistent
//! volume claim (kfp-kubernetes' `CreatePVC`), two tasks mount it by the
//! name that task outputs, the second reading what the first wrote, and
//! the claim is deleted (`DeletePVC`) once they are done.

use kfp_dsl::kubernetes::{KubernetesSettings, create_pvc, delete_pvc};
use kfp_dsl::prelude::*;

#[component]
fn producer() -> std::io::Result<String> {
    std::fs::write("/data/file.txt", "Hello world")?;
    let content = std::fs::read_to_string("/data/file.txt")?;
    println!("{content}");
    Ok(content)
}

#[component]
fn consumer() -> std::io::Result<String> {
    let content = std::fs::read_to_string("/data/file.txt")?;
    println!("{content}");
    Ok(content)
}

#[pipeline(name = "pipeline-with-volume")]
pub fn pipeline_with_volume() {
    let pvc = create_pvc(["ReadWriteOnce"], "5Mi")
        .pvc_name_suffix("-my-pvc")
        .storage_class_name("standard");
    let claim = pvc.outputs().name;
    let written = producer().mount_pvc(claim, "/data");
    let read = consumer().after(&written).mount_pvc(claim, "/data");
    delete_pvc(claim).after(&read);
}

fn main() -> std::process::ExitCode {
    kfp_dsl::main!(pipeline_with_volume)
}
