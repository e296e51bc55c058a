//! kfp's `pipeline_with_volume_no_cache` golden: `pipeline_with_volume`
//! with caching turned off for the tasks that create and delete the
//! persistent volume claim, so that every run gets a fresh one.

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

#[pipeline(name = "pipeline-with-volume-no-cache")]
pub fn pipeline_with_volume_no_cache() {
    let pvc = create_pvc(["ReadWriteOnce"], "5Mi")
        .pvc_name_suffix("-my-pvc")
        .storage_class_name("standard")
        .set_caching_options(false);
    let claim = pvc.outputs().name;
    let written = producer().mount_pvc(claim, "/data");
    let read = consumer().after(&written).mount_pvc(claim, "/data");
    delete_pvc(claim).after(&read).set_caching_options(false);
}

fn main() -> std::process::ExitCode {
    kfp_dsl::main!(pipeline_with_volume_no_cache)
}
