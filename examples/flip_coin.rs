//! kfp's `flip_coin` golden: nested conditions on a coin flip and on
//! random numbers, and messages with a task output formatted into them
//! (kfp's f-strings, here `format!`).

use kfp_dsl::prelude::*;

/// The nanoseconds of the clock: chance enough for this example.
fn clock_nanos() -> u32 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.subsec_nanos())
}

/// Generate a random number between low and high.
#[component]
fn random_num(low: i64, high: i64) -> i64 {
    let result = low + i64::from(clock_nanos()) % (high - low + 1);
    println!("{result}");
    result
}

/// Flip a coin and output heads or tails randomly.
#[component]
fn flip_coin() -> String {
    let result = if clock_nanos().is_multiple_of(2) {
        "heads"
    } else {
        "tails"
    };
    println!("{result}");
    result.to_owned()
}

/// Print a message.
#[component]
fn print_msg(msg: String) {
    println!("{msg}");
}

#[pipeline(
    name = "conditional-execution-pipeline",
    description = "Shows how to use dsl.If()."
)]
pub fn flipcoin_pipeline() {
    let side = flip_coin().set_caching_options(false).output();
    condition(side.eq("heads"), || {
        let num = random_num(0, 9).set_caching_options(false).output();
        condition(num.gt(5), || {
            print_msg(format!("heads and {num} > 5!")).set_caching_options(false);
        });
        condition(num.le(5), || {
            print_msg(format!("heads and {num} <= 5!")).set_caching_options(false);
        });
    });
    condition(side.eq("tails"), || {
        let num = random_num(10, 19).set_caching_options(false).output();
        condition(num.gt(15), || {
            print_msg(format!("tails and {num} > 15!")).set_caching_options(false);
        });
        condition(num.le(15), || {
            print_msg(format!("tails and {num} <= 15!")).set_caching_options(false);
        });
    });
}

fn main() -> std::process::ExitCode {
    kfp_dsl::main!(flipcoin_pipeline)
}
