//! kfp's `pvc_mount` golden: two tasks mount an existing persistent volume
//! claim, named by a pipeline input, at `/data` (kfp-kubernetes'
//! `mount_pvc`); the second runs after the first and reads what it wrote.

use kfp_dsl::kubernetes::KubernetesSettings;
use kfp_dsl::prelude::*;

#[component]
fn producer() -> std::io::Result<String> {
    std::fs::write("/data/file.txt", "hello")?;
    std::fs::read_to_string("/data/file.txt")
}

#[component]
fn consumer() -> std::io::Result<()> {
    println!("{}", std::fs::read_to_string("/data/file.txt")?);
    Ok(())
}

#[pipeline(name = "pvc-mount-pipeline")]
pub fn pvc_mount_pipeline(pvc_name: String) {
    let p = producer().mount_pvc(pvc_name, "/data");
    consumer().after(&p).mount_pvc(pvc_name, "/data");
}

fn main() -> std::process::ExitCode {
    kfp_dsl::main!(pvc_mount_pipeline)
}
