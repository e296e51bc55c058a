//! kfp's `pipeline_with_parallelfor_pipeline_param` golden: loops over a
//! pipeline input list, next to a pipeline input, a task output and the
//! item of an enclosing loop over a static list; with parallelism limits.

use kfp_dsl::prelude::*;

#[component]
fn make_prefix() -> String {
    "dynamic-prefix".to_owned()
}

#[component]
fn print_with_prefix(prefix: String, item: String) -> String {
    let result = format!("{prefix}: {item}");
    println!("{result}");
    result
}

#[pipeline(
    name = "pipeline-parallelfor-pipeline-param",
    description = "Pipeline parameter used alongside loop item inside ParallelFor."
)]
pub fn pipeline(loop_parameter: Vec<String>, prefix: String) {
    ParallelFor::new(loop_parameter)
        .parallelism(1)
        .run(|item| print_with_prefix(prefix, item));

    let dynamic = make_prefix();
    parallel_for(loop_parameter, |item| {
        print_with_prefix(dynamic.output(), item)
    });

    ParallelFor::new(["x", "y"])
        .parallelism(2)
        .run(|_| parallel_for(loop_parameter, |item| print_with_prefix(prefix, item)));
}

fn main() -> std::process::ExitCode {
    kfp_dsl::main!(pipeline)
}
