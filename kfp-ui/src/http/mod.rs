//! A small blocking HTTP/1.1 server on std: one thread accepts
//! connections and hands them to a bounded pool of worker threads through
//! a bounded queue (a connection that finds the queue full is answered
//! `503` at once). Each connection carries one request (`Connection:
//! close`), read within a size limit and a timeout.
//!
//! It knows nothing of the UI: a [`Handler`], made once per worker thread,
//! answers each [`Request`] with a [`Response`].

use std::io::{BufReader, Write};
use std::net::{Shutdown, SocketAddr, TcpListener, TcpStream};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::{self, Receiver, SyncSender, TrySendError};
use std::sync::{Arc, Mutex};
use std::thread;
use std::time::Duration;

mod request;
mod response;

pub use request::{MAX_HEAD_BYTES, MAX_HEADERS, Method, Request, RequestError};
pub use response::{Body, Response};

/// Answers requests; one per worker thread, so it may hold what cannot be
/// shared between threads (a database connection).
pub trait Handler {
    /// The response to `request`.
    fn handle(&mut self, request: &Request) -> Response;
}

/// The server's bounds.
#[derive(Clone, Copy, Debug)]
pub struct Limits {
    /// Worker threads.
    pub workers: usize,
    /// Accepted connections waiting for a worker.
    pub queue: usize,
    /// How long a client may take to send its request.
    pub read_timeout: Duration,
    /// How long a client may take to take the response.
    pub write_timeout: Duration,
}

impl Default for Limits {
    fn default() -> Self {
        Self {
            workers: 4,
            queue: 32,
            read_timeout: Duration::from_secs(10),
            write_timeout: Duration::from_secs(60),
        }
    }
}

/// A server running on its own threads; dropping it stops it.
#[derive(Debug)]
pub struct Running {
    addr: SocketAddr,
    stop: Arc<AtomicBool>,
    acceptor: Option<thread::JoinHandle<()>>,
}

impl Running {
    /// The address it listens on.
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// Waits until the server stops (it runs until the process ends).
    pub fn wait(mut self) {
        if let Some(acceptor) = self.acceptor.take() {
            let _ = acceptor.join();
        }
    }

    /// Stops accepting, lets the workers finish their connections, and
    /// waits for them.
    pub fn stop(mut self) {
        self.shut_down();
    }

    fn shut_down(&mut self) {
        self.stop.store(true, Ordering::SeqCst);
        // Wake the acceptor up from `accept`.
        let _ = TcpStream::connect_timeout(&self.addr, Duration::from_secs(1));
        if let Some(acceptor) = self.acceptor.take() {
            let _ = acceptor.join();
        }
    }
}

impl Drop for Running {
    fn drop(&mut self) {
        if self.acceptor.is_some() {
            self.shut_down();
        }
    }
}

/// Serves `listener` on new threads: `make` makes each worker's handler,
/// on the worker's thread.
///
/// # Errors
/// When the listener's address cannot be read or a thread cannot start.
pub fn spawn<H, F>(listener: TcpListener, limits: Limits, make: F) -> std::io::Result<Running>
where
    H: Handler,
    F: Fn() -> H + Send + Sync + 'static,
{
    let addr = listener.local_addr()?;
    let stop = Arc::new(AtomicBool::new(false));
    let (sender, receiver) = mpsc::sync_channel::<TcpStream>(limits.queue.max(1));
    let receiver = Arc::new(Mutex::new(receiver));
    let make = Arc::new(make);
    let mut workers = Vec::new();
    for i in 0..limits.workers.max(1) {
        let receiver = Arc::clone(&receiver);
        let make = Arc::clone(&make);
        workers.push(
            thread::Builder::new()
                .name(format!("kfp-ui-worker-{i}"))
                .spawn(move || work(&receiver, make.as_ref()))?,
        );
    }
    let acceptor = {
        let stop = Arc::clone(&stop);
        thread::Builder::new()
            .name("kfp-ui-accept".into())
            .spawn(move || {
                accept(&listener, &sender, limits, &stop);
                drop(sender);
                for worker in workers {
                    let _ = worker.join();
                }
            })?
    };
    Ok(Running {
        addr,
        stop,
        acceptor: Some(acceptor),
    })
}

/// Accepts connections until `stop` is set.
fn accept(
    listener: &TcpListener,
    queue: &SyncSender<TcpStream>,
    limits: Limits,
    stop: &AtomicBool,
) {
    loop {
        let accepted = listener.accept();
        if stop.load(Ordering::SeqCst) {
            return;
        }
        let stream = match accepted {
            Ok((stream, _)) => stream,
            Err(_) => {
                // Out of file descriptors, or the client gave up: wait a
                // little rather than spin.
                thread::sleep(Duration::from_millis(20));
                continue;
            }
        };
        let _ = stream.set_read_timeout(Some(limits.read_timeout));
        let _ = stream.set_write_timeout(Some(limits.write_timeout));
        let _ = stream.set_nodelay(true);
        match queue.try_send(stream) {
            Ok(()) => {}
            Err(TrySendError::Full(mut stream)) => {
                let _ = stream.set_write_timeout(Some(Duration::from_secs(1)));
                let busy = Response::text(503, "the server is busy; try again\n")
                    .header("Retry-After", "1");
                let _ = busy.write_to(&mut stream, false);
            }
            Err(TrySendError::Disconnected(_)) => return,
        }
    }
}

/// A worker: takes connections off the queue until it closes.
fn work<H: Handler>(queue: &Mutex<Receiver<TcpStream>>, make: &dyn Fn() -> H) {
    let mut handler = make();
    loop {
        let next = queue.lock().map(|q| q.recv());
        let Ok(Ok(stream)) = next else { return };
        serve_connection(stream, &mut handler);
    }
}

/// Reads one request from `stream`, answers it, and closes.
fn serve_connection<H: Handler>(mut stream: TcpStream, handler: &mut H) {
    let parsed = request::read(&mut BufReader::new(&stream));
    let (response, head_only) = match parsed {
        Ok(request) => {
            let head_only = request.method == Method::Head;
            // A bug in a page must not take its worker down with it.
            let answered =
                std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| handler.handle(&request)));
            let response = answered.unwrap_or_else(|_| {
                Response::text(500, "internal error: the page could not be made\n")
            });
            (response, head_only)
        }
        Err(error) => match error.status() {
            Some(status) => {
                let mut response = Response::text(status, &format!("{error}\n"));
                if status == 405 {
                    response = response.header("Allow", "GET, HEAD");
                }
                (response, false)
            }
            None => return,
        },
    };
    let _ = response.write_to(&mut stream, head_only);
    let _ = stream.flush();
    let _ = stream.shutdown(Shutdown::Write);
}

#[cfg(test)]
mod tests {
    use std::io::Read;

    use super::*;

    struct Echo;

    impl Handler for Echo {
        fn handle(&mut self, request: &Request) -> Response {
            if request.target == "/panic" {
                panic!("a bug");
            }
            Response::text(200, &request.target)
        }
    }

    fn get(addr: SocketAddr, raw: &str) -> String {
        let mut stream = TcpStream::connect(addr).unwrap();
        stream.write_all(raw.as_bytes()).unwrap();
        let mut out = String::new();
        stream.read_to_string(&mut out).unwrap();
        out
    }

    #[test]
    fn requests_are_answered_and_a_panic_is_a_500() {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let running = spawn(listener, Limits::default(), || Echo).unwrap();
        let addr = running.addr();
        let ok = get(addr, "GET /a?b HTTP/1.1\r\nHost: x\r\n\r\n");
        assert!(
            ok.starts_with("HTTP/1.1 200 OK\r\n") && ok.ends_with("\r\n\r\n/a?b"),
            "{ok}"
        );
        let head = get(addr, "HEAD /abc HTTP/1.1\r\n\r\n");
        assert!(
            head.contains("Content-Length: 4\r\n") && head.ends_with("\r\n\r\n"),
            "{head}"
        );
        assert!(get(addr, "GET /panic HTTP/1.1\r\n\r\n").starts_with("HTTP/1.1 500 "));
        let post = get(addr, "POST / HTTP/1.1\r\n\r\n");
        assert!(
            post.starts_with("HTTP/1.1 405 ") && post.contains("Allow: GET, HEAD"),
            "{post}"
        );
        // The workers survived the panic.
        assert!(get(addr, "GET / HTTP/1.1\r\n\r\n").starts_with("HTTP/1.1 200 "));
        running.stop();
        assert!(TcpStream::connect(addr).is_err());
    }

    #[test]
    fn a_client_that_sends_nothing_is_dropped_after_the_timeout() {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let limits = Limits {
            workers: 1,
            read_timeout: Duration::from_millis(200),
            ..Limits::default()
        };
        let running = spawn(listener, limits, || Echo).unwrap();
        let idle = TcpStream::connect(running.addr()).unwrap();
        // The one worker is free again once the idle client times out.
        let ok = get(running.addr(), "GET /next HTTP/1.1\r\n\r\n");
        assert!(ok.ends_with("/next"), "{ok}");
        drop(idle);
    }
}
