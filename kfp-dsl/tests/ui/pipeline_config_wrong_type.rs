use kfp_dsl::prelude::*;

#[component]
fn c() {}

#[pipeline(pipeline_config = WorkspaceConfig::new("1Gi"))]
fn not_a_pipeline_config() {
    c();
}

#[component(pipeline_config = PipelineConfig::new())]
fn on_a_component() {}

#[pipeline(pipeline_config)]
fn without_a_value() {
    c();
}

fn main() {}
