//! kfp's `pipeline_with_concat_placeholder` golden: a legacy (v1)
//! component loaded from YAML (`load_component!`) whose argument is a
//! `concat` placeholder of two inputs and literals, written as kfp writes
//! a `ConcatPlaceholder`.

use kfp_dsl::prelude::*;

load_component!(component_op = "examples/components/concat_three.yaml");

#[pipeline(name = "one-step-pipeline-with-concat-placeholder")]
pub fn pipeline_with_concat_placeholder() {
    component_op("one", "two");
}

fn main() -> std::process::ExitCode {
    kfp_dsl::main!(pipeline_with_concat_placeholder)
}
