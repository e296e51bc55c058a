//! How the chain bench's whole (define, compile, validate and write an
//! N-task chain to a file, as a pipeline binary's `compile -o FILE` does;
//! see `benches/chain.rs`) grows from 1000 to 10000 tasks, measured so
//! that the machine's drift cancels out.
//!
//! Criterion measures each size for seconds before it moves on to the
//! next, so a virtual machine whose speed drifts by a third between
//! minutes puts that drift into the ratio of two of its figures. This
//! bench alternates the sizes instead: each round times the 1000-task
//! whole five times and the 10000-task whole three times, interleaved,
//! and takes the ratio of their medians. It prints every round's figures
//! and then two summaries:
//!
//! * the ratio of the fastest run of each size over all rounds. Noise on a
//!   shared machine only ever adds time, so the fastest run is the best
//!   estimate of the work itself (the estimator Python's `timeit` and
//!   Julia's BenchmarkTools recommend).
//! * the per-round ratios of medians: their median, range and how many
//!   rounds kept the ratio within the target (12×).
//!
//! Like `benches/chain.rs`, it runs with glibc's heap kept
//! (`common::keep_freed_memory`), so that no run faults memory back in.
//!
//! ```text
//! cargo bench -p kfp-rs-tests --bench growth            # 20 rounds
//! GROWTH_ROUNDS=50 cargo bench -p kfp-rs-tests --bench growth
//! ```

use std::path::Path;
use std::time::{Duration, Instant};

mod common;

/// The sizes compared, and the most their time may grow between them.
const SMALL: usize = 1000;
const LARGE: usize = 10 * SMALL;
const TARGET_RATIO: f64 = 12.0;

/// Repetitions of each size in a round; the round takes their median.
const SMALL_REPS: usize = 5;
const LARGE_REPS: usize = 3;

/// One whole for `tasks` tasks, written to `path`; the IR and the file
/// are freed after the clock stops, as in the criterion bench (so that no
/// run pays for removing the file of the run before).
fn whole(tasks: usize, path: &Path) -> Duration {
    let start = Instant::now();
    let file = common::compile_and_write(tasks, path);
    let elapsed = start.elapsed();
    drop(file);
    common::remove(path);
    elapsed
}

fn median(mut times: Vec<Duration>) -> Duration {
    times.sort_unstable();
    times[times.len() / 2]
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1e3
}

fn main() {
    let rounds: usize = match std::env::var("GROWTH_ROUNDS") {
        Ok(n) => match n.parse() {
            Ok(n) if n > 0 => n,
            _ => {
                eprintln!("error: GROWTH_ROUNDS={n}: expected a number of rounds above 0");
                std::process::exit(2);
            }
        },
        Err(_) => 20,
    };
    common::keep_freed_memory();
    let folder = common::output_folder();
    let path = folder.path().join("chain.yaml");
    // Warm up: the allocator's arenas, the page cache of the binary.
    for _ in 0..2 {
        whole(SMALL, &path);
        whole(LARGE, &path);
    }

    println!("chain {SMALL} → {LARGE} tasks, define+compile+validate+write, {rounds} rounds");
    println!("round  {SMALL:>5} tasks  {LARGE:>5} tasks   ratio");
    let mut ratios = Vec::with_capacity(rounds);
    let (mut fastest_small, mut fastest_large) = (Duration::MAX, Duration::MAX);
    for round in 1..=rounds {
        let mut small = Vec::with_capacity(SMALL_REPS);
        let mut large = Vec::with_capacity(LARGE_REPS);
        // Interleave the sizes, starting with the other one each round.
        let mut i = 0;
        while small.len() < SMALL_REPS || large.len() < LARGE_REPS {
            let large_turn =
                small.len() == SMALL_REPS || ((i + round) % 2 == 0 && large.len() < LARGE_REPS);
            if large_turn {
                large.push(whole(LARGE, &path));
            } else {
                small.push(whole(SMALL, &path));
            }
            i += 1;
        }
        fastest_small = fastest_small.min(*small.iter().min().expect("five runs"));
        fastest_large = fastest_large.min(*large.iter().min().expect("three runs"));
        let (small, large) = (median(small), median(large));
        let ratio = large.as_secs_f64() / small.as_secs_f64();
        println!(
            "{round:>5}  {:>8.2} ms  {:>8.2} ms  {ratio:>5.2}×",
            ms(small),
            ms(large)
        );
        ratios.push(ratio);
    }

    println!(
        "fastest runs: {:.2} ms and {:.2} ms, ratio {:.2}×",
        ms(fastest_small),
        ms(fastest_large),
        fastest_large.as_secs_f64() / fastest_small.as_secs_f64()
    );
    ratios.sort_unstable_by(f64::total_cmp);
    let within = ratios.iter().filter(|&&r| r <= TARGET_RATIO).count();
    println!(
        "ratio of medians per round: median {:.2}×, range {:.2}–{:.2}×; within {TARGET_RATIO}× in {within} of {rounds} rounds",
        ratios[ratios.len() / 2],
        ratios[0],
        ratios[ratios.len() - 1],
    );
}
