//! kfp's `pipeline_with_condition` golden: a coin flip decides whether a
//! condition's tasks run; inside, a second flip and the pipeline input are
//! printed. The flips are never cached.

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

#[pipeline(name = "single-condition-pipeline")]
pub fn my_pipeline(#[kfp(default = "condition test")] text: String) {
    let flip1 = flip_coin_op().set_caching_options(false).output();
    print_op(flip1);
    condition(flip1.eq("heads"), || {
        let flip2 = flip_coin_op().set_caching_options(false).output();
        print_op(flip2);
        print_op(text);
    });
}

fn main() -> std::process::ExitCode {
    kfp_dsl::main!(my_pipeline)
}
