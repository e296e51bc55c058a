//! kfp's `concat_message` golden: a component with two string inputs and a
//! string output, compiled on its own.

use kfp_dsl::prelude::*;

#[component]
pub fn concat_message(message1: String, message2: String) -> String {
    message1 + &message2
}

fn main() -> std::process::ExitCode {
    kfp_dsl::main!(concat_message)
}
