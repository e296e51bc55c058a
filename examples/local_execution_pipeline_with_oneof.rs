//! kfp's `local_execution/local_execution_pipeline_with_oneof` golden: an
//! If/Else on a boolean pipeline input whose OneOf feeds a task, whose
//! output is the pipeline's.

use kfp_dsl::prelude::*;

// kfp's components have no docstrings, so no descriptions.
#[component]
fn branch_a() -> String {
    "A".to_owned()
}

#[component]
fn branch_b() -> String {
    "B".to_owned()
}

#[component]
fn tag_selected(value: String) -> String {
    format!("selected:{value}")
}

#[pipeline(name = "pipeline-with-oneof")]
pub fn pipeline_with_oneof(#[kfp(default = true)] pick_a: bool) -> String {
    let picked = If::new(pick_a.eq(true))
        .then(|| branch_a().output())
        .otherwise(|| branch_b().output());
    tag_selected(picked).output()
}

fn main() -> std::process::ExitCode {
    kfp_dsl::main!(pipeline_with_oneof)
}
