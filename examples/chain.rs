//! The compile-speed benchmark of `../shared/bench/chain_pipeline.py`: a
//! `source` task followed by a chain of `step` tasks, each taking the
//! previous task's dataset.
//!
//! ```text
//! cargo run --release --example chain -- --tasks 1000 compile -o chain.yaml
//! ```
//!
//! `--tasks N` (default 1000) must come first; the remaining arguments are
//! the pipeline binary's own (`compile`, `dockerfile`, …).

use std::ffi::OsString;
use std::sync::atomic::{AtomicUsize, Ordering};

use kfp_dsl::prelude::*;

/// How many `step` tasks the pipeline chains.
static TASKS: AtomicUsize = AtomicUsize::new(1000);

/// Sets how many `step` tasks [`big`] chains when it is next recorded.
pub fn set_tasks(n: usize) {
    TASKS.store(n, Ordering::Relaxed);
}

#[container_component]
fn step(x: i64, data: Input<Dataset>, out: Output<Dataset>) -> ContainerSpec {
    let _ = x;
    ContainerSpec::new("alpine:3.20")
        .command(("sh", "-c"))
        .args(("cp $0 $1", data.path(), out.path()))
}

#[container_component]
fn source(out: Output<Dataset>) -> ContainerSpec {
    ContainerSpec::new("alpine:3.20")
        .command(("sh", "-c"))
        .args(("echo hi > $0", out.path()))
}

#[pipeline(name = "big")]
pub fn big(#[kfp(default = 1)] x: i64) {
    let mut prev = source().outputs().out;
    for _ in 0..TASKS.load(Ordering::Relaxed) {
        prev = step(x, prev).outputs().out;
    }
}

/// Takes `--tasks N` off the front of the arguments (after the program
/// name): returns `N` and the rest, or why `N` is not a count.
pub fn take_tasks_flag(mut args: Vec<OsString>) -> Result<(Option<usize>, Vec<OsString>), String> {
    if args.get(1).is_none_or(|a| a != "--tasks") {
        return Ok((None, args));
    }
    let value = args
        .get(2)
        .ok_or("`--tasks` needs a number of tasks")?
        .to_string_lossy()
        .into_owned();
    let n = value
        .parse()
        .map_err(|e| format!("`--tasks {value}`: not a number of tasks ({e})"))?;
    args.drain(1..3);
    Ok((Some(n), args))
}

fn main() -> std::process::ExitCode {
    match take_tasks_flag(std::env::args_os().collect()) {
        Ok((tasks, args)) => {
            if let Some(n) = tasks {
                set_tasks(n);
            }
            kfp_dsl::run_with_args(big::ENTRY, None, args).into()
        }
        Err(message) => {
            eprintln!("error: {message}");
            std::process::ExitCode::from(2)
        }
    }
}
