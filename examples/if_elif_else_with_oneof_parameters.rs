//! kfp's `if_elif_else_with_oneof_parameters` golden: an If/Elif/Else
//! chain in a sub-pipeline, whose branches give task outputs (one an
//! `OutputPath` output); the value of the branch that ran is the
//! sub-pipeline's output.

use kfp_dsl::prelude::*;

/// The nanoseconds of the clock: chance enough for these examples.
fn clock_nanos() -> u32 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.subsec_nanos())
}

#[component]
fn flip_three_sided_die() -> String {
    match clock_nanos() % 3 {
        0 => "heads",
        1 => "tails",
        _ => "draw",
    }
    .to_owned()
}

#[component]
fn print_and_return(text: String) -> String {
    println!("{text}");
    text
}

#[component]
fn special_print_and_return(text: String, output_key: OutputPath<String>) -> std::io::Result<()> {
    println!("Got the special state: {text}");
    output_key.write(&text)
}

#[pipeline]
fn roll_die_pipeline() -> String {
    let side = flip_three_sided_die().output();
    If::new(side.eq("heads"))
        .then(|| print_and_return("Got heads!").output())
        .else_if(side.eq("tails"), || print_and_return("Got tails!").output())
        .otherwise(|| special_print_and_return("Draw!").outputs().output_key)
}

#[pipeline(name = "outer-pipeline")]
pub fn outer_pipeline() -> String {
    let rolled = roll_die_pipeline().output();
    print_and_return(rolled).output()
}

fn main() -> std::process::ExitCode {
    kfp_dsl::main!(outer_pipeline)
}
