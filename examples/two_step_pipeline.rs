//! kfp's `two_step_pipeline` golden: two legacy (v1) components loaded
//! from YAML (`load_component!`), one writing a file to Google Cloud
//! Storage by its output URI and one reading it by its input URI, their
//! tasks shown as `Producer` and `Consumer` (`set_display_name`).

use kfp_dsl::prelude::*;

load_component!(write_to_gcs = "examples/components/gcs_write.yaml");
load_component!(read_from_gcs = "examples/components/gcs_read.yaml");

#[pipeline(name = "simple-two-step-pipeline")]
pub fn my_pipeline(#[kfp(default = "Hello world!")] text: String) {
    let producer = write_to_gcs(text).set_display_name("Producer");
    read_from_gcs(producer.outputs().output_gcs_path).set_display_name("Consumer");
}

fn main() -> std::process::ExitCode {
    kfp_dsl::main!(my_pipeline)
}
