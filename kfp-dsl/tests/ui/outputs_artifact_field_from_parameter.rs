use kfp_dsl::prelude::*;

#[component]
fn count() -> i64 {
    3
}

#[component]
fn make(data: Output<Dataset>) {
    let _ = data;
}

#[derive(Outputs)]
pub struct Report {
    data: Output<Dataset>,
    size: i64,
}

#[pipeline]
fn report() -> Report {
    let size = count().output();
    let data = make().outputs().data;
    // The fields are swapped.
    ReportHandles {
        data: size,
        size: data,
    }
}

fn main() {}
