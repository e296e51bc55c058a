//! kfp's `sequential_v1` golden: two tasks of one component, here a
//! compiled v2 component (kfp's `Compiler().compile(echo)`) loaded from
//! YAML with `load_component!`.

use kfp_dsl::prelude::*;

load_component!("examples/components/echo.yaml");

#[pipeline(name = "sequential")]
pub fn sequential(param1: String, param2: String) {
    echo(param1);
    echo(param2);
}

fn main() -> std::process::ExitCode {
    kfp_dsl::main!(sequential)
}
