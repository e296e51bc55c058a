//! What the benches time as "the whole": the steps of a pipeline binary's
//! `compile -o FILE`, for the `chain` example.

use std::path::Path;
use std::process::Command;

use kfp_ir_schema::PipelineFile;
use kfp_ir_schema::file::write_atomically_with;

#[allow(dead_code)]
#[path = "../../examples/chain.rs"]
pub mod chain;

/// A folder for the written pipeline, removed when dropped: in `/dev/shm`
/// where there is one, so that the disk's speed (the `fsync` of the atomic
/// write) is not what is measured.
pub fn output_folder() -> tempfile::TempDir {
    tempfile::Builder::new()
        .prefix("kfp-rs-bench")
        .tempdir_in("/dev/shm")
        .or_else(|_| tempfile::tempdir())
        .expect("a temporary folder for the written pipeline")
}

/// Defines, compiles and validates the `tasks`-task chain, then writes its
/// YAML to `path`, as `kfp_dsl::compile_to_file` does: atomically, the
/// text streamed to the file in pieces. Returns the IR unfreed, so that a
/// caller can free it after the clock stops.
pub fn compile_and_write(tasks: usize, path: &Path) -> PipelineFile {
    chain::set_tasks(tasks);
    let file =
        kfp_dsl::compile(std::hint::black_box(chain::big::ENTRY)).expect("the chain compiles");
    write_atomically_with(path, |out| file.write_yaml(out)).expect("the pipeline is written");
    file
}

/// Removes the file a run wrote, if it is there.
pub fn remove(path: &Path) {
    match std::fs::remove_file(path) {
        Ok(()) => {}
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
        Err(e) => panic!("cannot remove {}: {e}", path.display()),
    }
}

/// glibc malloc settings for [`keep_freed_memory`]: never give the heap's
/// top back to the kernel, and serve blocks up to 32 MB (the most glibc
/// allows) from the heap rather than from fresh mappings.
const KEEP_FREED_MEMORY: &str =
    "glibc.malloc.trim_threshold=1073741824:glibc.malloc.mmap_threshold=33554432";

/// Runs the bench with the memory it frees kept in the process, as the
/// process of a pipeline binary (which compiles once) never needs to give
/// it back: re-runs this binary with `GLIBC_TUNABLES` set, unless it is set
/// already (then the bench runs as it is, with a note).
///
/// glibc's malloc returns the top of its heap to the kernel when a free
/// leaves more there than its trim threshold, which it raises as it sees
/// large blocks freed. When a 10000-task pipeline (tens of MB) is freed,
/// whether the next large run has to fault its memory back in, page by
/// page, then depends on the sizes of the blocks freed before; a 1000-task
/// run always reuses what the process kept. With the thresholds fixed, no
/// run of a bench faults, at any size, and a change that shrinks the
/// pipeline's memory cannot make a bench slower by moving glibc's
/// thresholds. The page faults of a fresh process are in the figures of
/// the whole binary (`scripts/chain-process`, see the README).
pub fn keep_freed_memory() {
    if !cfg!(all(target_os = "linux", target_env = "gnu")) {
        return;
    }
    match std::env::var_os("GLIBC_TUNABLES") {
        None => {}
        // Run again by this function.
        Some(set) if set == KEEP_FREED_MEMORY => return,
        Some(_) => {
            eprintln!("note: GLIBC_TUNABLES is set; the bench runs with it as it is");
            return;
        }
    }
    let exe = std::env::current_exe().expect("the bench binary's path");
    let status = Command::new(exe)
        .args(std::env::args_os().skip(1))
        .env("GLIBC_TUNABLES", KEEP_FREED_MEMORY)
        .status()
        .expect("the bench binary runs again");
    std::process::exit(status.code().unwrap_or(1));
}
