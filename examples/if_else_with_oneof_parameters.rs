//! kfp's `if_else_with_oneof_parameters` golden: an If/Else chain whose
//! branches each give a task output; the value of the branch that ran
//! (kfp's `dsl.OneOf`) feeds a task and is the pipeline's output.

use kfp_dsl::prelude::*;

/// The nanoseconds of the clock: chance enough for these examples.
fn clock_nanos() -> u32 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.subsec_nanos())
}

#[component]
fn flip_coin() -> String {
    if clock_nanos().is_multiple_of(2) {
        "heads"
    } else {
        "tails"
    }
    .to_owned()
}

#[component]
fn print_and_return(text: String) -> String {
    println!("{text}");
    text
}

#[pipeline(name = "flip-coin-pipeline")]
pub fn flip_coin_pipeline() -> String {
    let side = flip_coin().output();
    let said = If::new(side.eq("heads"))
        .then(|| print_and_return("Got heads!").output())
        .otherwise(|| print_and_return("Got tails!").output());
    print_and_return(said);
    said
}

fn main() -> std::process::ExitCode {
    kfp_dsl::main!(flip_coin_pipeline)
}
