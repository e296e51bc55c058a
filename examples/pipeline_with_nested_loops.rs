//! kfp's `pipeline_with_nested_loops` golden: a loop over a field of an
//! enclosing loop's item (kfp's `dsl.ParallelFor(item.p_a)`, a `-subvar-`
//! iterator) over a pipeline input whose list has no element type, and
//! loops over static lists nested in each other.

use kfp_dsl::Untyped;
use kfp_dsl::prelude::*;
use serde_json::json;

#[component]
fn print_op(msg: String, msg2: Option<String>) {
    println!("msg: {msg}, msg2: {msg2:?}");
}

#[pipeline(name = "pipeline-with-nested-loops")]
pub fn my_pipeline(
    #[kfp(default = json!([
        {"p_a": [{"q_a": "1"}, {"q_a": "2"}], "p_b": "hello"},
        {"p_a": [{"q_a": "11"}, {"q_a": "22"}], "p_b": "halo"},
    ]))]
    loop_parameter: Vec<Untyped>,
) {
    // The inner loop iterates over a field of the outer loop's item.
    parallel_for(loop_parameter, |item| {
        parallel_for(item.field::<Vec<Untyped>>("p_a"), |item_p_a| {
            print_op(item_p_a.field("q_a"));
        });
    });

    // Loops over static lists, the inner one reading the outer item.
    parallel_for(["1", "2"], |outer_item| {
        print_op(outer_item);
        parallel_for(["100", "200", "300"], |inner_item| {
            print_op(outer_item).msg2(inner_item);
        });
    });
}

fn main() -> std::process::ExitCode {
    kfp_dsl::main!(my_pipeline)
}
