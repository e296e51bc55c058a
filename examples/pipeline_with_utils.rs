//! kfp's `pipeline_with_utils` golden: a component whose body calls helper
//! functions of the binary (kfp's `additional_funcs`: in Rust, any function
//! of the crate).

use kfp_dsl::prelude::*;

fn util_func(msg: &str) -> String {
    format!("{msg} from util_func")
}

fn util_func2(msg: &str) -> String {
    format!("{msg} from util_func2")
}

#[component]
fn echo(msg: String) {
    assert_eq!(util_func(&msg), format!("{msg} from util_func"));
    assert_eq!(util_func2(&msg), format!("{msg} from util_func2"));
}

#[pipeline(
    name = "pipeline-with-utils",
    description = "A simple hello world pipeline"
)]
pub fn pipeline_with_utils(#[kfp(default = "Hello, World!")] msg: String) {
    echo(msg);
}

fn main() -> std::process::ExitCode {
    kfp_dsl::main!(pipeline_with_utils)
}
