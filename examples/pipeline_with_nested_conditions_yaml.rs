//! kfp's `pipeline_with_nested_conditions_yaml` golden: conditions nested
//! in conditions on the outputs of legacy (v1) components loaded from
//! YAML (`load_component!`), one file per random range, as kfp's source
//! formats two components from one template.

use kfp_dsl::prelude::*;

load_component!("examples/components/flip_coin.yaml");
load_component!(random_num_0_9 = "examples/components/random_number_0_9.yaml");
load_component!(random_num_10_19 = "examples/components/random_number_10_19.yaml");
load_component!(print_op = "examples/components/print.yaml");

#[pipeline(
    name = "conditional-execution-pipeline",
    display_name = "Conditional execution pipeline.",
    description = "Shows how to use dsl.Condition()."
)]
pub fn my_pipeline() {
    let flip = flip_coin().output();
    condition(flip.eq("heads"), || {
        let number = random_num_0_9().output();
        condition(number.gt(5), || {
            print_op(format!("heads and {number} > 5!"));
        });
        condition(number.le(5), || {
            print_op(format!("heads and {number} <= 5!"));
        });
    });
    condition(flip.eq("tails"), || {
        let number = random_num_10_19().output();
        condition(number.gt(15), || {
            print_op(format!("tails and {number} > 15!"));
        });
        condition(number.le(15), || {
            print_op(format!("tails and {number} <= 15!"));
        });
    });
}

fn main() -> std::process::ExitCode {
    kfp_dsl::main!(my_pipeline)
}
