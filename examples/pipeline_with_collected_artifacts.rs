//! kfp's `local_execution/pipeline_with_collected_artifacts` golden: a loop
//! whose task writes an artifact per item; the artifacts are gathered
//! after the loop (`collected`) and read by one task, whose output is the
//! pipeline's.

use kfp_dsl::prelude::*;

// kfp's components have no docstrings, so no descriptions.
#[component]
fn write_artifact(index: i64, out: Output<Artifact>) -> std::io::Result<()> {
    std::fs::write(out.path(), index.to_string())
}

#[component]
fn read_and_join(artifacts: Vec<Input<Artifact>>) -> std::io::Result<String> {
    let mut parts = Vec::with_capacity(artifacts.len());
    for artifact in &artifacts {
        parts.push(std::fs::read_to_string(artifact.path())?.trim().to_owned());
    }
    parts.sort();
    Ok(parts.join(","))
}

#[pipeline(name = "pipeline-with-collected-artifacts")]
pub fn pipeline_with_collected_artifacts() -> String {
    let written = parallel_for([0, 1, 2], |index| write_artifact(index).outputs().out);
    read_and_join(collected(written)).output()
}

fn main() -> std::process::ExitCode {
    kfp_dsl::main!(pipeline_with_collected_artifacts)
}
