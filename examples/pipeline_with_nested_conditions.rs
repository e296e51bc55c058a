//! kfp's `pipeline_with_nested_conditions` golden: a condition inside a
//! condition, comparing two task outputs; the outer one reads a flip that
//! only the inner one compares, and passes it in.

use kfp_dsl::prelude::*;

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

/// Print a message.
#[component]
fn print_op(msg: String) {
    println!("{msg}");
}

#[pipeline(name = "nested-conditions-pipeline")]
pub fn my_pipeline() {
    let flip1 = flip_coin_op().output();
    print_op(flip1);
    let flip2 = flip_coin_op().output();
    print_op(flip2);
    // Always true: the outer condition only nests the inner one.
    condition(flip1.ne("no-such-result"), || {
        let flip3 = flip_coin_op().output();
        print_op(flip3);
        condition(flip2.eq(flip3), || {
            let flip4 = flip_coin_op().output();
            print_op(flip4);
        });
    });
}

fn main() -> std::process::ExitCode {
    kfp_dsl::main!(my_pipeline)
}
