//! kfp's `pipeline_with_after` golden: ordering tasks with `.after`.

use kfp_dsl::prelude::*;

#[container_component]
fn print_text(text: String) -> ContainerSpec {
    ContainerSpec::new("alpine").command(("sh", "-c", "set -e -x\necho \"$0\"\n", text))
}

#[pipeline(name = "pipeline-with-after")]
pub fn my_pipeline() {
    let step1 = print_text("1st task");
    let step2 = print_text("2nd task").after(&step1);
    print_text("3rd task").after(&step1).after(&step2);
}

fn main() -> std::process::ExitCode {
    kfp_dsl::main!(my_pipeline)
}
