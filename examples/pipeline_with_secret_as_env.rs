//! kfp's `pipeline_with_secret_as_env` golden: one task reads three secrets
//! into environment variables (kfp-kubernetes' `use_secret_as_env`), named
//! by a pipeline input, by a literal and by an earlier task's output.

use kfp_dsl::kubernetes::KubernetesSettings;
use kfp_dsl::prelude::*;

#[component]
fn comp() {
    let var = |name| std::env::var(name).unwrap_or_default();
    assert_eq!(var("USER_NAME"), "user1");
    assert_eq!(var("PASSWORD_VAR1"), "psw1");
    assert_eq!(var("PASSWORD_VAR2"), "psw2");
}

#[component]
fn generate_secret_name(some_output: OutputPath<String>) -> std::io::Result<()> {
    some_output.write(&"test-secret-3".to_owned())
}

#[pipeline(name = "pipeline-secret-env")]
pub fn pipeline_secret_env(#[kfp(default = "test-secret-1")] secret_parm: String) {
    let name = generate_secret_name().outputs().some_output;
    comp()
        .use_secret_as_env(secret_parm, [("username", "USER_NAME")])
        .use_secret_as_env("test-secret-2", [("password", "PASSWORD_VAR1")])
        .use_secret_as_env(name, [("password", "PASSWORD_VAR2")]);
}

fn main() -> std::process::ExitCode {
    kfp_dsl::main!(pipeline_secret_env)
}
