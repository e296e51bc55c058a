//! kfp's `parameter_oneof` golden: the two branches of an If/Else chain
//! give a string, one as its return value and one through an output file;
//! the value of the branch that ran (kfp's `dsl.OneOf`) is returned through
//! two levels of pipelines used as components. Nothing is cached.

use kfp_dsl::prelude::*;

#[component]
fn flip_coin() -> String {
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.subsec_nanos());
    if nanos.is_multiple_of(2) {
        "heads"
    } else {
        "tails"
    }
    .to_owned()
}

#[component]
fn core_comp(input: String) -> String {
    println!("input : {input}");
    input
}

#[component]
fn core_output_comp(input: String, output_key: OutputPath<String>) -> std::io::Result<()> {
    println!("input : {input}");
    output_key.write(&input)
}

#[component]
fn crust_comp(input: String) {
    println!("input : {input}");
}

#[pipeline]
fn core() -> String {
    let side = flip_coin().set_caching_options(false).output();
    If::new(side.eq("heads"))
        .then(|| core_comp("Got heads!").set_caching_options(false).output())
        .otherwise(|| {
            core_output_comp("Got tails!")
                .set_caching_options(false)
                .outputs()
                .output_key
        })
}

#[pipeline]
fn mantle() -> String {
    core().set_caching_options(false).output()
}

#[pipeline(name = "parameter-oneof-pipeline")]
pub fn crust() {
    crust_comp(mantle().set_caching_options(false).output()).set_caching_options(false);
}

fn main() -> std::process::ExitCode {
    kfp_dsl::main!(crust)
}
