//! kfp's `pipeline_with_secret_as_volume` golden: a secret, named by a
//! pipeline input, mounted as files into a task (kfp-kubernetes'
//! `use_secret_as_volume`).

use kfp_dsl::kubernetes::KubernetesSettings;
use kfp_dsl::prelude::*;

/// Reads the `username` key of the mounted secret.
#[component]
fn comp() -> Result<(), String> {
    let username = std::fs::read_to_string("/mnt/my_vol/username")
        .map_err(|e| format!("Secret not found: {e}"))?;
    println!("username: {username}");
    if username == "user1" {
        Ok(())
    } else {
        Err(format!("expected the username user1, got {username}"))
    }
}

#[pipeline(name = "pipeline-secret-volume")]
pub fn pipeline_secret_volume(#[kfp(default = "test-secret-1")] secret_param: String) {
    comp().use_secret_as_volume(secret_param, "/mnt/my_vol");
}

fn main() -> std::process::ExitCode {
    kfp_dsl::main!(pipeline_secret_volume)
}
