//! kfp's `if_elif_else_complex` golden: inside a loop over a pipeline
//! input, nested conditions, an If/Elif/Else chain whose branches hold
//! If/Else chains (each giving a OneOf to a task after it) and, in the
//! `Else`, a condition around a loop; the loop's numbers are collected
//! after it.

use kfp_dsl::prelude::*;

/// The nanoseconds of the clock: chance enough for these examples.
fn clock_nanos() -> u32 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.subsec_nanos())
}

#[component]
fn int_0_to_9999() -> i64 {
    i64::from(clock_nanos() % 10_000)
}

#[component]
fn is_even_or_odd(num: i64) -> String {
    if num % 2 == 0 { "even" } else { "odd" }.to_owned()
}

#[component]
fn print_and_return(text: String) -> String {
    println!("{text}");
    text
}

#[component]
fn print_ints(ints: Vec<i64>) {
    println!("{ints:?}");
}

/// Tells whether `number` is even or odd, in the words of `range`.
fn announce_parity(number: ParamOutput<i64>, range: &str) {
    let parity = is_even_or_odd(number).output();
    let said = If::new(parity.eq("even"))
        .then(|| print_and_return(format!("Got a {range} even number!")).output())
        .otherwise(|| print_and_return(format!("Got a {range} odd number!")).output());
    print_and_return(said);
}

#[pipeline(name = "lucky-number-pipeline")]
pub fn lucky_number_pipeline(
    #[kfp(default = true)] add_drumroll: bool,
    #[kfp(default = true)] repeat_if_lucky_number: bool,
    #[kfp(default = vec![1, 2, 3])] trials: Vec<i64>,
) {
    let numbers = parallel_for(trials, |trial| {
        let number = int_0_to_9999().set_caching_options(false).output();
        condition(add_drumroll.eq(true), || {
            condition(trial.eq(3), || {
                print_and_return("Adding drumroll on last trial!");
            })
        });
        If::new(number.lt(5000))
            .then(|| announce_parity(number, "low"))
            .else_if(number.gt(5000), || announce_parity(number, "high"))
            .otherwise(|| {
                print_and_return("Announcing: Got the lucky number 5000! A one in 10,000 chance.");
                condition(repeat_if_lucky_number.eq(true), || {
                    parallel_for([1, 2], |_| {
                        print_and_return(
                            "Announcing again: Got the lucky number 5000! A one in 10,000 chance.",
                        );
                    })
                });
            });
        number
    });
    print_ints(collected(numbers));
}

fn main() -> std::process::ExitCode {
    kfp_dsl::main!(lucky_number_pipeline)
}
