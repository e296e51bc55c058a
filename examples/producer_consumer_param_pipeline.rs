//! kfp's `producer_consumer_param_pipeline` golden: an output parameter of
//! one container component feeds the next.

use kfp_dsl::prelude::*;

#[container_component]
fn producer(input_text: String, output_value: OutputPath<String>) -> ContainerSpec {
    ContainerSpec::new("registry.access.redhat.com/ubi9/python-311:latest").command((
        "sh",
        "-c",
        "set -e -x\nmkdir -p \"$(dirname \"$1\")\"\necho \"$0, this is an output parameter\" > \"$1\"\n",
        input_text,
        output_value,
    ))
}

#[container_component]
fn consumer(input_value: String) -> ContainerSpec {
    ContainerSpec::new("registry.access.redhat.com/ubi9/python-311:latest").command((
        "sh",
        "-c",
        "set -e -x\necho \"Read from an input parameter: \" && echo \"$0\"\n",
        input_value,
    ))
}

#[pipeline]
pub fn producer_consumer_param_pipeline(#[kfp(default = "Hello world")] text: String) {
    let produced = producer(text);
    consumer(produced.outputs().output_value);
}

fn main() -> std::process::ExitCode {
    kfp_dsl::main!(producer_consumer_param_pipeline)
}
