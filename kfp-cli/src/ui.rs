//! `kfp ui`: the local runs (kfp-local's run store) in a read-only web UI,
//! kfp-ui's, which every pipeline binary serves with `ui` too.

use std::process::ExitCode;

pub use kfp_ui::cli::UiArgs;

/// Serves the UI until Ctrl-C; exit status 2 when it cannot start.
pub fn main(args: &UiArgs) -> ExitCode {
    ExitCode::from(kfp_ui::cli::run(args))
}
