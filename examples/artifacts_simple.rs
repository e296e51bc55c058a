//! kfp's `artifacts_simple` golden: a loop whose tasks each write a
//! dataset; the datasets are gathered after the loop (`collected`) into a
//! Rust-native component, a container component and the pipeline's output.

use kfp_dsl::prelude::*;

/// The container component's program: sums the numbers in the datasets.
const ADD_PROGRAM: &str = r#"
import argparse
import json
import os

def main(in_datasets, out_dataset_uri):
    in_dicts = json.loads(in_datasets)
    uris = [d['uri'] for d in in_dicts]
    total = 0
    for uri in uris:
        with open(uri.replace('gs://', '/gcs/')) as f:
            total += int(f.read())

    outpath = out_dataset_uri.replace('gs://', '/gcs/')
    os.makedirs(os.path.dirname(outpath), exist_ok=True)
    with open(outpath, 'w') as f:
        f.write(str(total))

parser = argparse.ArgumentParser()
parser.add_argument('in_datasets')
parser.add_argument('out_dataset_uri')
args = parser.parse_args()

main(args.in_datasets, args.out_dataset_uri)
"#;

#[component]
fn double(num: i64, out_dataset: Output<Dataset>) -> std::io::Result<()> {
    std::fs::write(out_dataset.path(), (2 * num).to_string())
}

#[component]
fn add(in_datasets: Vec<Input<Dataset>>, out_dataset: Output<Dataset>) -> std::io::Result<()> {
    let mut total = 0i64;
    for dataset in &in_datasets {
        let text = std::fs::read_to_string(dataset.path())?;
        total += text.trim().parse::<i64>().unwrap_or(0);
    }
    std::fs::write(out_dataset.path(), total.to_string())
}

#[container_component]
fn add_container(in_datasets: Vec<Input<Dataset>>, out_dataset: Output<Dataset>) -> ContainerSpec {
    ContainerSpec::new("registry.access.redhat.com/ubi9/python-311:latest")
        .command(("python", "-c"))
        .args((ADD_PROGRAM, in_datasets, out_dataset.uri()))
}

#[pipeline(name = "math-pipeline")]
pub fn math_pipeline() -> Vec<Output<Dataset>> {
    let datasets = parallel_for([1, 2, 3], |num| double(num).outputs().out_dataset);
    add(collected(datasets));
    add_container(collected(datasets));
    collected(datasets)
}

fn main() -> std::process::ExitCode {
    kfp_dsl::main!(math_pipeline)
}
