//! `ui` on the command line: `kfp ui` and every pipeline binary's `ui`
//! take the same flags.

use std::net::{IpAddr, Ipv4Addr, SocketAddr};

use clap::Args;
use kfp_local::cli::HomeArgs;

use crate::{DEFAULT_PORT, Options};

/// The flags of `ui`.
#[derive(Args, Clone, Debug)]
pub struct UiArgs {
    /// The port to listen on (0: any free port).
    #[arg(long, value_name = "P", default_value_t = DEFAULT_PORT)]
    pub port: u16,
    /// The address to listen on. Any other than 127.0.0.1 (or ::1) lets
    /// other machines read every run, log and artifact: a warning says so.
    #[arg(long, value_name = "ADDR", default_value_t = IpAddr::V4(Ipv4Addr::LOCALHOST))]
    pub bind: IpAddr,
    #[command(flatten)]
    #[allow(missing_docs)]
    pub home: HomeArgs,
}

/// The warning printed when `addr` is reachable from other machines, if
/// it is.
pub fn exposure_warning(addr: &SocketAddr) -> Option<String> {
    (!addr.ip().is_loopback()).then(|| {
        format!(
            "warning: listening on {addr}, not on 127.0.0.1: anyone who can reach this address can \
             read every run, log and artifact of this home, with no login"
        )
    })
}

/// Serves the UI until Ctrl-C; returns the exit status (2 when it cannot
/// start).
pub fn run(args: &UiArgs) -> u8 {
    let layout = args.home.layout();
    let options = Options::new(layout.clone()).addr(SocketAddr::new(args.bind, args.port));
    if let Some(warning) = exposure_warning(&options.addr) {
        eprintln!("{warning}");
    }
    match crate::start(&options) {
        Ok(running) => {
            let shown = match running.addr() {
                addr if addr.ip().is_unspecified() => {
                    SocketAddr::new(IpAddr::V4(Ipv4Addr::LOCALHOST), addr.port())
                }
                addr => addr,
            };
            eprintln!(
                "serving the runs of {} at http://{shown}/ (Ctrl-C stops)",
                layout.home().display()
            );
            running.wait();
            0
        }
        Err(e) => {
            eprintln!("error: {e}");
            2
        }
    }
}

#[cfg(test)]
mod tests {
    use clap::Parser;

    use super::*;

    #[derive(Parser)]
    struct Cli {
        #[command(flatten)]
        ui: UiArgs,
    }

    #[test]
    fn the_ui_listens_on_loopback_unless_told_otherwise() {
        let cli = Cli::try_parse_from(["ui"]).unwrap();
        assert_eq!(cli.ui.port, 8080);
        assert!(cli.ui.bind.is_loopback());
        let open =
            Cli::try_parse_from(["ui", "--bind", "0.0.0.0", "--port", "9000", "--home", "h"])
                .unwrap();
        let addr = SocketAddr::new(open.ui.bind, open.ui.port);
        assert!(exposure_warning(&addr).unwrap().contains("0.0.0.0:9000"));
        assert_eq!(exposure_warning(&"127.0.0.1:1".parse().unwrap()), None);
        assert_eq!(exposure_warning(&"[::1]:1".parse().unwrap()), None);
        assert!(Cli::try_parse_from(["ui", "--bind", "nowhere"]).is_err());
    }
}
