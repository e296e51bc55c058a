//! kfp's `parallel_for_after_dependency` golden: two tasks run after a task
//! inside a loop (`.after`), which makes them wait for the whole loop.

use kfp_dsl::prelude::*;

#[component]
fn print_op(message: String) -> String {
    println!("{message}");
    message
}

#[pipeline(name = "loop-with-after-dependency-set")]
pub fn loop_with_after_dependency_set() {
    let in_loop = parallel_for([1, 2, 3], |_| print_op("foo"));
    print_op("bar").after(&in_loop);
    print_op("baz").after(&in_loop);
}

fn main() -> std::process::ExitCode {
    kfp_dsl::main!(loop_with_after_dependency_set)
}
