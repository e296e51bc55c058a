//! kfp's `pipeline_with_string_machine_fields_task_output` golden:
//! resources and accelerator set at run time from the outputs of earlier
//! tasks (which, as in kfp, do not make the task depend on them).

use kfp_dsl::prelude::*;

#[component]
fn cpu_limit() -> String {
    "4000m".to_owned()
}

#[component]
fn memory_limit() -> String {
    "15G".to_owned()
}

#[component]
fn accelerator_type() -> String {
    "NVIDIA_TESLA_P4".to_owned()
}

#[component]
fn accelerator_limit() -> String {
    "1".to_owned()
}

#[component]
fn sum_numbers(a: i64, b: i64) -> i64 {
    a + b
}

#[pipeline]
pub fn pipeline() {
    // A setting reads outputs of tasks added before its task.
    let cpu = cpu_limit().output();
    let memory = memory_limit().output();
    let accelerator = accelerator_type().output();
    let count = accelerator_limit().output();
    sum_numbers(1, 2)
        .set_cpu_limit(cpu)
        .set_memory_limit(memory)
        .set_accelerator_type(accelerator)
        .set_accelerator_limit(count);
}

fn main() -> std::process::ExitCode {
    kfp_dsl::main!(pipeline)
}
