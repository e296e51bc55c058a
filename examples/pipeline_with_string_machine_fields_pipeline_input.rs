//! kfp's `pipeline_with_string_machine_fields_pipeline_input` golden:
//! resources and accelerator set from pipeline inputs at run time.

use kfp_dsl::prelude::*;

#[component]
fn sum_numbers(a: i64, b: i64) -> i64 {
    a + b
}

#[pipeline]
pub fn pipeline(
    #[kfp(default = "4000m")] cpu_limit: String,
    #[kfp(default = "15G")] memory_limit: String,
    #[kfp(default = "NVIDIA_TESLA_P4")] accelerator_type: String,
    #[kfp(default = "1")] accelerator_limit: String,
) {
    sum_numbers(1, 2)
        .set_cpu_limit(cpu_limit)
        .set_memory_limit(memory_limit)
        .set_accelerator_type(accelerator_type)
        .set_accelerator_limit(accelerator_limit);
}

fn main() -> std::process::ExitCode {
    kfp_dsl::main!(pipeline)
}
