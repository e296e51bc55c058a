//! kfp's `multiple_parameters_namedtuple` golden: named outputs passed up
//! through two nested pipelines, with caching turned off.

use kfp_dsl::prelude::*;

/// Two output parameters (kfp's `NamedTuple('outputs', val1=str, val2=str)`).
#[derive(Outputs)]
pub struct Vals {
    val1: String,
    val2: String,
}

#[component]
fn core_comp() -> Vals {
    Vals {
        val1: "foo".into(),
        val2: "bar".into(),
    }
}

#[component]
fn crust_comp(val1: String, val2: String) {
    println!("val1: {val1}\nval2: {val2}");
}

#[pipeline]
fn core() -> Vals {
    core_comp().set_caching_options(false).output()
}

#[pipeline]
fn mantle() -> Vals {
    core().set_caching_options(false).output()
}

#[pipeline(name = "multiple-parameters-namedtuple-pipeline")]
pub fn crust() {
    let dag_task = mantle().set_caching_options(false);
    let vals = dag_task.output();
    crust_comp(vals.val1, vals.val2).set_caching_options(false);
}

fn main() -> std::process::ExitCode {
    kfp_dsl::main!(crust)
}
