//! kfp's `loop_consume_upstream` golden: a loop over the list a task
//! outputs, whose body chains two tasks through an artifact, and a task
//! after the loop that reads the same list. Every task has caching off
//! and the same display name.

use kfp_dsl::prelude::*;

#[component]
fn split_input(input: String) -> Vec<String> {
    input.split(',').map(str::to_owned).collect()
}

#[component]
fn create_file(file: Output<Artifact>, content: String) -> std::io::Result<()> {
    std::fs::write(file.path(), content)
}

#[component]
fn read_file(file: Input<Artifact>) -> std::io::Result<String> {
    println!("{}", std::fs::read_to_string(file.path())?);
    Ok(file.path().display().to_string())
}

#[component]
fn print_input(input: Vec<String>) {
    for item in input {
        println!("Input item: {item}");
    }
}

const NAME: &str = "same display name";

#[pipeline(name = "loop-consume-upstream", display_name = "Loop Consume Upstream")]
pub fn loop_consume_upstream() {
    let parts = split_input("component1,component2,component3")
        .set_caching_options(false)
        .set_display_name(NAME)
        .output();
    parallel_for(parts, |part| {
        let created = create_file(part)
            .set_caching_options(false)
            .set_display_name(NAME);
        read_file(created.outputs().file)
            .set_caching_options(false)
            .set_display_name(NAME);
    });
    print_input(parts)
        .set_caching_options(false)
        .set_display_name(NAME);
}

fn main() -> std::process::ExitCode {
    kfp_dsl::main!(loop_consume_upstream)
}
