//! kfp's `gpu-scheduling/nvidia_gpu_scheduling_check` golden: a task that
//! asks for one NVIDIA GPU and tolerates the `nvidia.com/gpu` taint that
//! GPU nodes carry, with caching off. The toleration is a Kubernetes
//! setting (kfp-kubernetes' `add_toleration`), written to the second
//! document of the compiled file.

use kfp_dsl::kubernetes::{KubernetesSettings, TaintEffect, Toleration};
use kfp_dsl::prelude::*;

#[container_component]
pub fn verify_gpu_scheduled() -> ContainerSpec {
    ContainerSpec::new("python:3.11")
        .command(["sh", "-c"])
        .args(["echo \"GPU scheduling check: PASS\""])
}

/// Requests `accelerator_limit` accelerators of `accelerator_type` and
/// tolerates the taint of that name on the nodes that have them.
fn add_gpu_toleration<T: KubernetesSettings>(
    task: T,
    accelerator_type: &str,
    accelerator_limit: u32,
) -> T {
    task.set_accelerator_type(accelerator_type)
        .set_accelerator_limit(accelerator_limit.to_string())
        .add_toleration(Toleration::exists(accelerator_type).effect(TaintEffect::NoSchedule))
}

#[pipeline(
    name = "nvidia-gpu-scheduling-check",
    description = "Verifies a task requesting nvidia.com/gpu with a matching toleration can schedule and complete (no CUDA/torch assertions)."
)]
pub fn nvidia_gpu_scheduling_check() {
    let task = verify_gpu_scheduled().set_caching_options(false);
    add_gpu_toleration(task, "nvidia.com/gpu", 1);
}

fn main() -> std::process::ExitCode {
    kfp_dsl::main!(nvidia_gpu_scheduling_check)
}
