//! What the benches time as "the whole": the steps of a pipeline binary's
//! `compile -o FILE`, for the `chain` example.

use std::path::Path;

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
