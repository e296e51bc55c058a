//! kfp's `pipeline_in_pipeline_loaded_from_yaml` golden: a compiled
//! pipeline (`pipeline_with_outputs`, compiled by kfp-rs) loaded from YAML
//! with `load_component!` and used as a nested pipeline: its components
//! and executors are merged into this one, renamed `-2`/`-3` on a clash,
//! as kfp merges them.

use kfp_dsl::prelude::*;

load_component!(reuse_yaml_pipeline = "examples/components/pipeline_with_outputs.yaml");

#[component]
fn print_op1(data: Input<Artifact>) {
    match std::fs::read_to_string(data.path()) {
        Ok(text) => println!("{text}"),
        Err(e) => eprintln!("cannot read {}: {e}", data.path().display()),
    }
}

#[pipeline(name = "pipeline-in-pipeline")]
pub fn my_pipeline() {
    let task = reuse_yaml_pipeline().msg("Hello");
    print_op1(task.output());
}

fn main() -> std::process::ExitCode {
    kfp_dsl::main!(my_pipeline)
}
