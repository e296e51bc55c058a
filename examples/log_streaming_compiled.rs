//! kfp's `log_streaming_compiled` golden: a task that prints a message
//! every moment for a minute, to watch its log stream in the KFP UI.

use kfp_dsl::prelude::*;

#[component]
fn print_message(message: String) {
    let end = std::time::Instant::now() + std::time::Duration::from_secs(60);
    while std::time::Instant::now() < end {
        let now = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .unwrap_or_default();
        println!("{message} ({}.{:06})", now.as_secs(), now.subsec_micros());
    }
}

#[pipeline(
    name = "log-streaming-pipeline",
    description = "Pipeline that prints a hello message in a loop to test log streaming in Dashboard"
)]
pub fn log_streaming_pipeline(#[kfp(default = "Hello world")] message: String) {
    print_message(message).set_caching_options(false);
}

fn main() -> std::process::ExitCode {
    kfp_dsl::main!(log_streaming_pipeline)
}
