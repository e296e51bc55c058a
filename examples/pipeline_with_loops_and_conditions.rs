//! kfp's `pipeline_with_loops_and_conditions` golden: loops and conditions
//! nested in each other, conditions on a field of a loop's item (kfp's
//! `dsl.If(item.A_a == 'heads')`) and loops over a field of an enclosing
//! loop's item (kfp's `dsl.ParallelFor(item.B_b)`, a `-subvar-` iterator),
//! over lists of no element type (`Vec<Untyped>`, Python's bare `list`).

use kfp_dsl::Untyped;
use kfp_dsl::prelude::*;
use serde_json::{Map, Value, json};

#[component]
fn args_generator_op() -> Vec<Untyped> {
    vec![
        Untyped(json!({"A_a": "1", "B_b": ["2", "20"]})),
        Untyped(json!({"A_a": "10", "B_b": ["22", "222"]})),
    ]
}

#[component]
fn print_text(msg: String, msg2: Option<String>) {
    println!("msg: {msg}, msg2: {msg2:?}");
}

#[component]
fn print_struct(r#struct: Map<String, Value>) {
    println!("{struct:?}");
}

/// Flip a coin and output heads or tails randomly.
#[component]
fn flip_coin_op() -> String {
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.subsec_nanos());
    if nanos.is_multiple_of(2) {
        "heads"
    } else {
        "tails"
    }
    .to_owned()
}

/// One item of the fixed list the innermost loop iterates over.
fn inner(a: &str) -> Map<String, Value> {
    Map::from_iter([("a".to_owned(), Value::from(a))])
}

#[pipeline(name = "pipeline-with-loops-and-conditions-multi-layers")]
pub fn my_pipeline(
    #[kfp(default = "hello")] msg: String,
    #[kfp(default = json!([
        {"A_a": "heads", "B_b": ["A", "B"]},
        {"A_a": "tails", "B_b": ["X", "Y", "Z"]},
    ]))]
    loop_parameter: Vec<Untyped>,
) {
    let flip = flip_coin_op().output();
    let outer_args_generator = args_generator_op().output();

    // Always true.
    condition(flip.ne("no-such-result"), || {
        let inner_arg_generator = args_generator_op().output();

        parallel_for(outer_args_generator, |item| {
            print_text(msg);

            condition(item.field::<String>("A_a").eq("heads"), || {
                print_text(item.field("B_b"));
            });

            condition(flip.eq("heads"), || {
                print_text(item.field("B_b"));
            });

            condition(item.field::<String>("A_a").eq("tails"), || {
                parallel_for([inner("-1"), inner("-2")], print_struct);
            });

            parallel_for(item.field::<Vec<String>>("B_b"), print_text);

            parallel_for(loop_parameter, |pipeline_item| {
                print_text(pipeline_item);
                parallel_for(inner_arg_generator, |inner_item| {
                    print_text(pipeline_item).msg2(inner_item.field::<String>("A_a"));
                });
            });

            parallel_for(["1", "2"], |static_item| {
                print_text(static_item);
                condition(static_item.eq("1"), || {
                    print_text("1");
                });
            });
        });
    });

    // A loop item read from a grandchild group.
    parallel_for(loop_parameter, |item| {
        condition(item.field::<String>("A_a").eq("heads"), || {
            parallel_for(item.field::<Vec<String>>("B_b"), print_text);
        });
    });
}

fn main() -> std::process::ExitCode {
    kfp_dsl::main!(my_pipeline)
}
