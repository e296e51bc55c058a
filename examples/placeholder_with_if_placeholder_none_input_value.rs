//! kfp's `placeholder_with_if_placeholder_none_input_value` golden: a
//! container component with `IfPresent` placeholders for optional inputs
//! that the pipeline leaves unset.

use kfp_dsl::prelude::*;

#[container_component]
fn component_with_optional_inputs(
    required_input: String,
    optional_input_1: Option<String>,
    optional_input_2: Option<String>,
) -> ContainerSpec {
    ContainerSpec::new("ghcr.io/containerd/busybox")
        .command(["echo"])
        .args((
            "--arg0",
            required_input,
            if_present(&optional_input_1, ("--arg1", optional_input_1)),
            if_present(&optional_input_2, ("--arg2", optional_input_2))
                .or_else(("--arg2", "default value")),
        ))
}

#[pipeline(name = "one-step-pipeline-with-if-placeholder-supply-none")]
pub fn one_step_pipeline_with_if_placeholder_supply_none(
    #[kfp(default = "input0")] input0: String,
) {
    component_with_optional_inputs(input0);
}

fn main() -> std::process::ExitCode {
    kfp_dsl::main!(one_step_pipeline_with_if_placeholder_supply_none)
}
