//! kfp's `artifacts_complex` golden: datasets written in a loop and in a
//! condition inside a nested loop, gathered (`collected`) across both loop
//! levels into a sub-pipeline that takes two lists of datasets and returns
//! one; the pipeline publishes a list of datasets and a dataset as named
//! outputs (a `#[derive(Outputs)]` struct with artifact fields).

use kfp_dsl::prelude::*;

/// Reads the integer a dataset holds.
fn read_number(dataset: &Input<Dataset>) -> std::io::Result<i64> {
    let text = std::fs::read_to_string(dataset.path())?;
    text.trim()
        .parse()
        .map_err(|e| std::io::Error::new(std::io::ErrorKind::InvalidData, e))
}

#[component]
fn double(num: i64, out_dataset: Output<Dataset>) -> std::io::Result<()> {
    std::fs::write(out_dataset.path(), (2 * num).to_string())
}

#[component]
fn add(in_datasets: Vec<Input<Dataset>>, out_dataset: Output<Dataset>) -> std::io::Result<()> {
    let mut total = 0;
    for dataset in &in_datasets {
        total += read_number(dataset)?;
    }
    std::fs::write(out_dataset.path(), total.to_string())
}

#[component]
fn add_two_ints(
    in_dataset1: Input<Dataset>,
    in_dataset2: Input<Dataset>,
    out_dataset: Output<Dataset>,
) -> std::io::Result<()> {
    let sum = read_number(&in_dataset1)? + read_number(&in_dataset2)?;
    std::fs::write(out_dataset.path(), sum.to_string())
}

/// Sums each list, then adds the two sums.
#[pipeline]
fn add_two_lists_of_datasets(
    in_datasets1: Vec<Input<Dataset>>,
    in_datasets2: Vec<Input<Dataset>>,
) -> Output<Dataset> {
    let first = add(in_datasets1).outputs().out_dataset;
    let second = add(in_datasets2).outputs().out_dataset;
    add_two_ints(first, second).outputs().out_dataset
}

/// The pipeline's outputs (kfp's `NamedTuple('Outputs', datasets=List[Dataset], sum=Dataset)`).
#[derive(Outputs)]
pub struct MathOutputs {
    datasets: Vec<Output<Dataset>>,
    sum: Output<Dataset>,
}

#[pipeline(name = "math-pipeline")]
pub fn math_pipeline(#[kfp(default = 2)] threshold: i64) -> MathOutputs {
    let (outer, inner) = parallel_for([1, 2, 3], |x| {
        let outer = double(x).outputs().out_dataset;
        let inner = parallel_for([1, 2, 3], |y| {
            condition(y.ge(threshold), || double(y).outputs().out_dataset)
        });
        (outer, inner)
    });
    let sum = add_two_lists_of_datasets(collected(outer), collected(inner));
    MathOutputsHandles {
        datasets: collected(outer),
        sum: sum.output(),
    }
}

fn main() -> std::process::ExitCode {
    kfp_dsl::main!(math_pipeline)
}
