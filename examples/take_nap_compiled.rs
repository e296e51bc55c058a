//! kfp's `take_nap_compiled` golden: a task that sleeps for a pipeline
//! input's seconds, then one that prints what it returned; caching off.

use kfp_dsl::prelude::*;

/// Sleeps for secs
#[component]
fn take_nap(naptime_secs: i64) -> String {
    println!("Sleeping for {naptime_secs} seconds: Zzzzzz ...");
    std::thread::sleep(std::time::Duration::from_secs(
        naptime_secs.max(0).unsigned_abs(),
    ));
    "I'm awake now. Did I snore?".to_owned()
}

/// Wakes up from nap printing a message
#[component]
fn wake_up(message: String) {
    println!("{message}");
}

/// Pipeline that sleeps for 15 mins (900 secs)
#[pipeline(name = "take-nap-pipeline")]
pub fn take_nap_pipeline(#[kfp(default = 900)] naptime_secs: i64) {
    let nap = take_nap(naptime_secs).set_caching_options(false);
    wake_up(nap.output()).set_caching_options(false);
}

fn main() -> std::process::ExitCode {
    kfp_dsl::main!(take_nap_pipeline)
}
