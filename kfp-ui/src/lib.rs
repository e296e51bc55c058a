//! kfp-ui: a read-only web UI over kfp-local's run store, served on this
//! machine (`kfp ui`, and `ui` of every pipeline binary).
//!
//! * The runs, newest first, filtered by pipeline and state, a page at a
//!   time; a run's DAG and tasks with their states (colour, icon and
//!   name), durations and cache hits, updated live while it runs; a
//!   task's inputs, outputs, command, log and artifact previews (Markdown,
//!   sandboxed HTML, metrics, confusion matrix and ROC curve, files);
//!   runs compared side by side. Every page has its own URL
//!   ([`route`]).
//! * Pages are rendered on the server: text is escaped by one function
//!   ([`html::escape_into`]), charts are SVG ([`charts`]), a run's graph is
//!   kfp-graph's drawing with the run's states, and the only script polls
//!   for live updates. Every asset is compiled into the binary.
//! * HTTP/1.1 is served with std alone ([`http`]): no async runtime, so
//!   every pipeline binary can link it.
//! * Nothing is written through it. Artifact files are served only from
//!   inside their run's pipeline root, with a sandboxing
//!   Content-Security-Policy; pages carry a strict one
//!   ([`PAGE_POLICY`]).
//!
//! ```no_run
//! use kfp_local::layout::Layout;
//!
//! let running = kfp_ui::start(&kfp_ui::Options::new(Layout::new("kfp-local")))?;
//! println!("http://{}/", running.addr());
//! running.wait();
//! # Ok::<(), kfp_ui::UiError>(())
//! ```

mod app;
mod artifact;
mod assets;
pub mod charts;
pub mod cli;
pub mod html;
pub mod http;
mod look;
pub mod markdown;
mod pages;
pub mod route;

use std::net::{IpAddr, Ipv4Addr, SocketAddr, TcpListener};

use kfp_local::layout::Layout;
use kfp_local::store::StoreError;

pub use app::{ARTIFACT_POLICY, PAGE_POLICY, Ui};
pub use http::{Limits, Running};

/// The port when none is given.
pub const DEFAULT_PORT: u16 = 8080;

/// What to serve, and where.
#[derive(Clone, Debug)]
pub struct Options {
    /// The home folder whose run store is shown.
    pub layout: Layout,
    /// The address to listen on (port 0: any free port).
    pub addr: SocketAddr,
    /// The server's bounds.
    pub limits: Limits,
}

impl Options {
    /// Serving `layout` on `127.0.0.1:8080`.
    pub fn new(layout: Layout) -> Self {
        Self {
            layout,
            addr: SocketAddr::new(IpAddr::V4(Ipv4Addr::LOCALHOST), DEFAULT_PORT),
            limits: Limits::default(),
        }
    }

    /// On `addr` instead.
    #[must_use]
    pub fn addr(mut self, addr: SocketAddr) -> Self {
        self.addr = addr;
        self
    }
}

/// Why the UI could not start.
#[derive(Debug, thiserror::Error)]
pub enum UiError {
    /// The run store could not be opened.
    #[error(transparent)]
    Store(#[from] StoreError),
    /// The address could not be listened on.
    #[error("cannot listen on {addr}: {source}")]
    Listen {
        /// The address.
        addr: SocketAddr,
        /// Why.
        source: std::io::Error,
    },
}

/// Starts the UI on threads of its own; it runs until the returned
/// [`Running`] is stopped or dropped.
///
/// # Errors
/// When the store cannot be opened or the address is taken.
pub fn start(options: &Options) -> Result<Running, UiError> {
    // Open the store once here, so that a bad home fails now, not on the
    // first request.
    drop(Ui::open(options.layout.clone())?);
    let listen = |source| UiError::Listen {
        addr: options.addr,
        source,
    };
    let listener = TcpListener::bind(options.addr).map_err(listen)?;
    let layout = options.layout.clone();
    http::spawn(listener, options.limits, move || Ui::new(layout.clone())).map_err(listen)
}

/// Serves the UI until the process ends.
///
/// # Errors
/// As [`start`].
pub fn serve(options: &Options) -> Result<(), UiError> {
    start(options)?.wait();
    Ok(())
}
