//! kfp's `component_with_env_variable` golden: a task with an environment
//! variable set, which its component reads and the pipeline returns.

use kfp_dsl::prelude::*;

#[component]
fn read_env_var(var_name: String) -> String {
    std::env::var(var_name).unwrap_or_else(|_| "UNSET".to_owned())
}

#[pipeline(name = "pipeline-with-env-variable")]
pub fn pipeline_with_env_variable(#[kfp(default = "KFP_TEST_ENV_VAR")] var_name: String) -> String {
    read_env_var(var_name)
        .set_env_variable("KFP_TEST_ENV_VAR", "env_var_value")
        .output()
}

fn main() -> std::process::ExitCode {
    kfp_dsl::main!(pipeline_with_env_variable)
}
