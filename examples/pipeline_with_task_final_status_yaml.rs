//! kfp's `pipeline_with_task_final_status_yaml` golden: an exit handler
//! whose tasks are legacy (v1) components loaded from YAML when the crate
//! is built (`load_component!`); the exit task's `PipelineTaskFinalStatus`
//! input is set by the compiler.

use kfp_dsl::prelude::*;

load_component!("examples/components/exit_op.yaml");
load_component!("examples/components/print_op.yaml");

#[pipeline(name = "pipeline-with-task-final-status-yaml")]
pub fn my_pipeline(#[kfp(default = "Hello World!")] message: String) {
    let exit_task = exit_op(message);
    ExitHandler::new(&exit_task)
        .display_name("my-pipeline")
        .run(|| {
            print_op(message);
        });
}

fn main() -> std::process::ExitCode {
    kfp_dsl::main!(my_pipeline)
}
