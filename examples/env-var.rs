//! kfp's `env-var` golden: a component that reads the environment variable
//! a pipeline input names, and fails when it is not set; caching off.

use kfp_dsl::prelude::*;

// kfp's component has no docstring, so no description.
#[component]
fn comp(env_var: String) -> Result<String, String> {
    match std::env::var(&env_var) {
        Ok(value) if !value.is_empty() => Ok(value),
        _ => Err("Env var is not set".to_owned()),
    }
}

#[pipeline(name = "test-env-exists")]
pub fn test_env_exists(env_var: String) -> String {
    comp(env_var).set_caching_options(false).output()
}

fn main() -> std::process::ExitCode {
    kfp_dsl::main!(test_env_exists)
}
