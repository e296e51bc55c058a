//! A container's output, copied to its task's log: live, as the engine
//! streams it while the container runs, then made whole from what the
//! engine stored once the container has ended.
//!
//! Docker's followed stream is the whole output; it is read anew (past what
//! was copied) only when it broke, or stayed quiet for [`DRAIN`] after the
//! container ended and was cut. Podman's is not: it may end before the
//! output does when a container ends, and under load it skips lines
//! (containers/podman#21914; seen here with Podman 4.3 and the k8s-file log
//! driver), while its stored log read without following is whole. So with
//! Podman the stream is the live view only (the log file grows, lines are
//! echoed), and once the container has ended, the part of the log file
//! this container wrote is rewritten from the stored output.

use std::fs::File;
use std::io::Write;
use std::path::PathBuf;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, mpsc};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use super::ExecError;
use super::engine::{CopyError, Engine, LogRequest, short};
use super::http::Connection;
use super::logs::{LineEcho, Source};

/// How long a followed stream may stay quiet, once its container has
/// ended, before it is cut (and the rest read anew).
const DRAIN: Duration = Duration::from_secs(10);

/// Where a container's output goes: its log file, and stderr after a
/// prefix when echoing.
struct Sink {
    file: File,
    path: PathBuf,
    /// The log's length before this container's output.
    start: u64,
    echo: Option<LineEcho<std::io::Stderr>>,
    /// The bytes of the live stream written so far.
    live: Arc<AtomicU64>,
}

impl Sink {
    fn live(&mut self, source: Source, bytes: &[u8]) -> std::io::Result<()> {
        self.file.write_all(bytes)?;
        self.live.fetch_add(bytes.len() as u64, Ordering::Relaxed);
        if let Some(echo) = &mut self.echo {
            echo.push(source, bytes);
        }
        Ok(())
    }

    /// Reads the stored output: all of it replaces what the live stream
    /// wrote (`replace`), or what lies past it is appended. Either way,
    /// what lies past it is echoed.
    fn catch_up(&mut self, request: LogRequest, replace: bool) -> Result<(), CopyError> {
        let mut seen = self.live.load(Ordering::Relaxed);
        if replace {
            // The file is appended to, so writes go on from its new end.
            self.file.set_len(self.start).map_err(CopyError::Sink)?;
        }
        let (file, echo) = (&mut self.file, &mut self.echo);
        request.copy_to(|source, bytes| {
            let old = bytes.len().min(usize::try_from(seen).unwrap_or(usize::MAX));
            seen -= old as u64;
            file.write_all(if replace { bytes } else { &bytes[old..] })?;
            if let Some(echo) = echo {
                echo.push(source, &bytes[old..]);
            }
            Ok(())
        })
    }

    fn error(&self, error: CopyError) -> ExecError {
        match error {
            CopyError::Engine(e) => e.into(),
            CopyError::Sink(source) => ExecError::Log {
                path: self.path.clone(),
                source,
            },
        }
    }
}

/// A container's output being copied to its log.
pub(super) struct Output {
    /// The thread copying the live stream.
    thread: JoinHandle<(Sink, Result<(), CopyError>)>,
    /// Disconnected when the thread ends.
    ended: mpsc::Receiver<()>,
    /// The bytes it copied so far.
    live: Arc<AtomicU64>,
    /// To cut the stream.
    connection: Connection,
}

impl Output {
    /// Copies the followed output `request` asks for to the log `file`
    /// (opened to append) at `path`, echoing it after `echo_prefix` when
    /// set.
    pub(super) fn start(
        request: LogRequest,
        file: File,
        path: PathBuf,
        echo_prefix: Option<String>,
    ) -> Result<Self, ExecError> {
        let start = file
            .metadata()
            .map_err(|source| ExecError::Log {
                path: path.clone(),
                source,
            })?
            .len();
        let connection = request.handle()?;
        let live = Arc::new(AtomicU64::new(0));
        let mut sink = Sink {
            file,
            path,
            start,
            echo: echo_prefix.map(|prefix| LineEcho::new(prefix, std::io::stderr())),
            live: live.clone(),
        };
        let (signal, ended) = mpsc::channel::<()>();
        let thread = std::thread::spawn(move || {
            let _signal = signal;
            let result = request.copy_to(|source, bytes| sink.live(source, bytes));
            (sink, result)
        });
        Ok(Self {
            thread,
            ended,
            live,
            connection,
        })
    }

    /// Completes the log of container `id` of `image`, which has ended.
    pub(super) fn finish(self, engine: &Engine, id: &str, image: &str) -> Result<(), ExecError> {
        if engine.is_podman() {
            // Its stream is only the live view, and may not end.
            self.connection.shutdown();
        }
        let cut = self.drain();
        let (mut sink, followed) = self.thread.join().map_err(|_| {
            ExecError::Engine(format!(
                "{}: the copier of container {}'s output panicked",
                engine.endpoint(),
                short(id)
            ))
        })?;
        let result = match followed {
            Err(CopyError::Sink(e)) => Err(CopyError::Sink(e)),
            _ if engine.is_podman() => sink.catch_up(engine.logs(id, image, false)?, true),
            Ok(()) if !cut => Ok(()),
            _ => sink.catch_up(engine.logs(id, image, false)?, false),
        };
        if let Some(echo) = &mut sink.echo {
            echo.finish();
        }
        result.map_err(|e| sink.error(e))
    }

    /// Waits for the stream's end, cutting it once it has stayed quiet for
    /// [`DRAIN`]; true if it was cut.
    fn drain(&self) -> bool {
        let mut seen = self.live.load(Ordering::Relaxed);
        let mut quiet_since = Instant::now();
        let mut cut = false;
        while let Err(mpsc::RecvTimeoutError::Timeout) =
            self.ended.recv_timeout(Duration::from_millis(50))
        {
            let now = self.live.load(Ordering::Relaxed);
            if now != seen {
                seen = now;
                quiet_since = Instant::now();
            } else if !cut && quiet_since.elapsed() >= DRAIN {
                self.connection.shutdown();
                cut = true;
            }
        }
        cut
    }
}
