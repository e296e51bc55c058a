use kfp_dsl::prelude::*;

#[component]
fn make(n: i64, data: Output<Dataset>) {
    let _ = (n, data);
}

#[derive(Outputs)]
pub struct Made {
    datasets: Vec<Output<Dataset>>,
}

#[pipeline]
fn made() -> Made {
    let data = parallel_for([1, 2], |n| make(n).outputs().data);
    // `collected(data)` is meant.
    MadeHandles { datasets: data }
}

fn main() {}
