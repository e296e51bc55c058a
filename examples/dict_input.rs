//! kfp's `dict_input` golden: a `STRUCT` parameter (a JSON object).

use kfp_dsl::prelude::*;

#[component]
pub fn dict_input(r#struct: serde_json::Map<String, serde_json::Value>) {
    println!("{}", serde_json::Value::Object(r#struct));
}

fn main() -> std::process::ExitCode {
    kfp_dsl::main!(dict_input)
}
