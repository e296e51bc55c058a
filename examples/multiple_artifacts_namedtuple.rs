//! kfp's `multiple_artifacts_namedtuple` golden: two datasets passed up
//! through two nested pipelines (a `#[derive(Outputs)]` struct, kfp's
//! `NamedTuple`) to a task that reads both, with caching off on every task.

use kfp_dsl::prelude::*;

#[component]
fn core_comp(ds1: Output<Dataset>, ds2: Output<Dataset>) -> std::io::Result<()> {
    std::fs::write(ds1.path(), "foo")?;
    std::fs::write(ds2.path(), "bar")
}

#[component]
fn crust_comp(ds1: Input<Dataset>, ds2: Input<Dataset>) -> std::io::Result<()> {
    println!("ds1: {}", std::fs::read_to_string(ds1.path())?);
    println!("ds2: {}", std::fs::read_to_string(ds2.path())?);
    Ok(())
}

/// The two datasets a pipeline passes up.
#[derive(Outputs)]
pub struct Datasets {
    ds1: Output<Dataset>,
    ds2: Output<Dataset>,
}

#[pipeline]
fn core() -> Datasets {
    let task = core_comp().set_caching_options(false);
    DatasetsHandles {
        ds1: task.outputs().ds1,
        ds2: task.outputs().ds2,
    }
}

#[pipeline]
fn mantle() -> Datasets {
    core().set_caching_options(false).output()
}

#[pipeline(name = "multiple-artifacts-namedtuple-pipeline")]
pub fn crust() {
    let datasets = mantle().set_caching_options(false).output();
    crust_comp(datasets.ds1, datasets.ds2).set_caching_options(false);
}

fn main() -> std::process::ExitCode {
    kfp_dsl::main!(crust)
}
