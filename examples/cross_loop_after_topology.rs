//! kfp's `cross_loop_after_topology` golden: `after` across loops. A task
//! that waits for a task inside a loop it is not in waits for the whole
//! loop (the outermost loop that task is in and this one is not).

use kfp_dsl::prelude::*;

#[component]
fn print_op(message: String) {
    println!("{message}");
}

#[pipeline(name = "my-pipeline")]
pub fn my_pipeline() {
    // for-loop-2, then for-loop-4.
    let one = parallel_for([1, 2], |_| print_op("one"));
    parallel_for([1, 2], |_| print_op("two").after(&one));

    // print-op-3, then for-loop-8 inside the same loop.
    parallel_for([1, 2], |_| {
        let three = print_op("three");
        parallel_for([1, 2], |_| print_op("four").after(&three));
    });

    // for-loop-10, then print-op-6.
    let five = parallel_for([1, 2], |_| print_op("five"));
    print_op("six").after(&five);

    // for-loop-14, then print-op-8, inside for-loop-12.
    parallel_for([1, 2], |_| {
        let seven = parallel_for([1, 2], |_| print_op("seven"));
        print_op("eight").after(&seven);
    });
}

fn main() -> std::process::ExitCode {
    kfp_dsl::main!(my_pipeline)
}
