//! The loopback HTTP sink.

use std::collections::{HashMap, VecDeque};
use std::convert::Infallible;
use std::fmt;
use std::future::poll_fn;
use std::io;
use std::net::{Shutdown, SocketAddr};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::task::{Context, Poll, Waker};
use std::time::{Duration, Instant, SystemTime};

use http_body_util::{BodyExt, Full};
use hyper::body::{Bytes, Incoming};
use hyper::server::conn::http1;
use hyper::service::service_fn;
use hyper::{Request, Response, StatusCode};
use hyper_util::rt::TokioIo;
use tokio::net::{TcpListener, TcpStream};
use tokio::runtime::Handle;
use tokio::task::{JoinHandle, JoinSet};

use super::lock;

/// A request the sink answered with 2xx.
#[derive(Clone, Debug)]
pub struct Received {
    /// The request target: the path, and the query when there is one (`/hook?x=1`).
    pub path: String,
    /// The request headers in arrival order, names in lower case.
    pub headers: Vec<(String, String)>,
    /// The body (invalid UTF-8 replaced).
    pub body: String,
    /// When the answer was sent.
    pub at: SystemTime,
}

impl Received {
    /// The first value of header `name` (any case).
    pub fn header(&self, name: &str) -> Option<&str> {
        let name = name.to_ascii_lowercase();
        self.headers
            .iter()
            .find(|(n, _)| *n == name)
            .map(|(_, v)| v.as_str())
    }
}

/// What the sink does to a request instead of answering `200 OK` at once.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Fault {
    /// Answer at once with this status (a 2xx status still counts as received).
    Status(u16),
    /// Wait this long, then answer `503 Service Unavailable`; meant to outlast the client's
    /// time limit. Not received.
    Hang(Duration),
    /// Wait this long, then answer `200 OK`. Received (even when the client gave up first).
    Slow(Duration),
}

/// An HTTP/1.1 server on `127.0.0.1` that records the requests it answers with 2xx.
///
/// It runs as tasks on the tokio runtime that called [`HttpSink::start`] and keeps
/// connections alive, so one client can push thousands of requests a second through it.
/// Dropping it closes the listener and every connection.
pub struct HttpSink {
    shared: Arc<Shared>,
    port: u16,
    runtime: Handle,
    accept: JoinHandle<()>,
}

struct Shared {
    listen: Mutex<Listen>,
    faults: Mutex<VecDeque<Fault>>,
    received: Mutex<Vec<Received>>,
    attempts: AtomicUsize,
    conns: Mutex<Conns>,
}

/// The listening socket (none while down) and the accept task's waker.
struct Listen {
    listener: Option<TcpListener>,
    waker: Option<Waker>,
}

/// Open connections: a twin of each socket (to shut it down at once from any thread) and the
/// tasks that serve them.
struct Conns {
    next: u64,
    open: HashMap<u64, std::net::TcpStream>,
    tasks: JoinSet<()>,
}

impl HttpSink {
    /// Starts listening on `127.0.0.1` at a port the system picks.
    ///
    /// # Panics
    /// When no loopback port can be bound (a broken test machine).
    pub async fn start() -> HttpSink {
        let listener = TcpListener::bind("127.0.0.1:0")
            .await
            .expect("the HTTP sink could not listen on 127.0.0.1");
        let port = listener
            .local_addr()
            .expect("the HTTP sink's listener has an address")
            .port();
        let shared = Arc::new(Shared {
            listen: Mutex::new(Listen {
                listener: Some(listener),
                waker: None,
            }),
            faults: Mutex::new(VecDeque::new()),
            received: Mutex::new(Vec::new()),
            attempts: AtomicUsize::new(0),
            conns: Mutex::new(Conns {
                next: 0,
                open: HashMap::new(),
                tasks: JoinSet::new(),
            }),
        });
        let accept = tokio::spawn(accept_loop(Arc::clone(&shared)));
        HttpSink {
            shared,
            port,
            runtime: Handle::current(),
            accept,
        }
    }

    /// The port the sink listens on (the same after [`set_down`](Self::set_down) and back up).
    pub fn port(&self) -> u16 {
        self.port
    }

    /// `http://127.0.0.1:{port}{path}`; a missing leading `/` is added.
    pub fn url(&self, path: &str) -> String {
        let slash = if path.starts_with('/') { "" } else { "/" };
        format!("http://127.0.0.1:{}{slash}{path}", self.port)
    }

    /// Every request answered with 2xx so far, in the order they were answered. Duplicates
    /// are kept.
    pub fn received(&self) -> Vec<Received> {
        lock(&self.shared.received).clone()
    }

    /// How many requests arrived so far, whatever they were answered.
    pub fn attempts(&self) -> usize {
        self.shared.attempts.load(Ordering::SeqCst)
    }

    /// Treats each of the next `n` requests with `fault` (after any faults already queued).
    pub fn fail_next(&self, n: usize, fault: Fault) {
        lock(&self.shared.faults).extend(std::iter::repeat_n(fault, n));
    }

    /// `true`: closes the listener and every open connection, so that new connections are
    /// refused. `false`: listens again on the same port. Takes effect before it returns.
    ///
    /// # Panics
    /// When the port cannot be bound again within two seconds (something else took it).
    pub fn set_down(&self, down: bool) {
        let mut listen = lock(&self.shared.listen);
        if down {
            if let Some(listener) = listen.listener.take() {
                drop(listener);
                self.shared.close_connections();
            }
        } else if listen.listener.is_none() {
            let _runtime = self.runtime.enter();
            listen.listener = Some(bind_again(self.port));
        }
        if let Some(waker) = listen.waker.take() {
            waker.wake();
        }
    }
}

impl fmt::Debug for HttpSink {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("HttpSink")
            .field("port", &self.port)
            .field("attempts", &self.attempts())
            .finish_non_exhaustive()
    }
}

impl Drop for HttpSink {
    fn drop(&mut self) {
        self.accept.abort();
        lock(&self.shared.listen).listener = None;
        self.shared.close_connections();
    }
}

impl Shared {
    fn poll_accept(&self, cx: &mut Context<'_>) -> Poll<io::Result<(TcpStream, SocketAddr)>> {
        let mut listen = lock(&self.listen);
        match &listen.waker {
            Some(waker) if waker.will_wake(cx.waker()) => {}
            _ => listen.waker = Some(cx.waker().clone()),
        }
        match &listen.listener {
            Some(listener) => listener.poll_accept(cx),
            None => Poll::Pending,
        }
    }

    /// Shuts every open connection down (the peer sees it closed at once) and stops its task.
    fn close_connections(&self) {
        let mut conns = lock(&self.conns);
        for (_, socket) in conns.open.drain() {
            let _ = socket.shutdown(Shutdown::Both);
        }
        conns.tasks.abort_all();
    }

    /// Serves one accepted connection on its own task.
    fn serve(self: &Arc<Self>, stream: TcpStream) -> io::Result<()> {
        stream.set_nodelay(true)?;
        let stream = stream.into_std()?;
        let twin = stream.try_clone()?;
        let stream = TcpStream::from_std(stream)?;
        let mut conns = lock(&self.conns);
        while conns.tasks.try_join_next().is_some() {}
        let id = conns.next;
        conns.next += 1;
        conns.open.insert(id, twin);
        let shared = Arc::clone(self);
        conns.tasks.spawn(async move {
            let answerer = Arc::clone(&shared);
            let service = service_fn(move |request| {
                let answerer = Arc::clone(&answerer);
                async move { Ok::<_, Infallible>(answerer.answer(request).await) }
            });
            let _ = http1::Builder::new()
                .keep_alive(true)
                .serve_connection(TokioIo::new(stream), service)
                .await;
            lock(&shared.conns).open.remove(&id);
        });
        Ok(())
    }

    async fn answer(&self, request: Request<Incoming>) -> Response<Full<Bytes>> {
        self.attempts.fetch_add(1, Ordering::SeqCst);
        let path = request
            .uri()
            .path_and_query()
            .map_or_else(|| "/".to_owned(), |p| p.as_str().to_owned());
        let headers = request
            .headers()
            .iter()
            .map(|(name, value)| {
                (
                    name.as_str().to_ascii_lowercase(),
                    String::from_utf8_lossy(value.as_bytes()).into_owned(),
                )
            })
            .collect();
        let body = match request.into_body().collect().await {
            Ok(collected) => String::from_utf8_lossy(&collected.to_bytes()).into_owned(),
            Err(_) => return reply(StatusCode::BAD_REQUEST, "the body could not be read"),
        };
        let fault = lock(&self.faults).pop_front();
        let (status, wait, text) = match fault {
            None => (StatusCode::OK, Duration::ZERO, "ok"),
            Some(Fault::Status(code)) => (
                StatusCode::from_u16(code).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR),
                Duration::ZERO,
                "injected fault",
            ),
            Some(Fault::Hang(wait)) => (
                StatusCode::SERVICE_UNAVAILABLE,
                wait,
                "injected fault: hung",
            ),
            Some(Fault::Slow(wait)) => (StatusCode::OK, wait, "ok (slow)"),
        };
        if !wait.is_zero() {
            tokio::time::sleep(wait).await;
        }
        if status.is_success() {
            lock(&self.received).push(Received {
                path,
                headers,
                body,
                at: SystemTime::now(),
            });
        }
        reply(status, text)
    }
}

fn reply(status: StatusCode, text: &'static str) -> Response<Full<Bytes>> {
    let mut response = Response::new(Full::new(Bytes::from_static(text.as_bytes())));
    *response.status_mut() = status;
    response.headers_mut().insert(
        hyper::header::CONTENT_TYPE,
        hyper::header::HeaderValue::from_static("text/plain; charset=utf-8"),
    );
    response
}

async fn accept_loop(shared: Arc<Shared>) {
    loop {
        match poll_fn(|cx| shared.poll_accept(cx)).await {
            Ok((stream, _)) => {
                if let Err(e) = shared.serve(stream) {
                    tracing::debug!(error = %e, "the HTTP sink dropped a connection");
                }
            }
            Err(e) => {
                // For example too many open files: wait a little instead of spinning.
                tracing::debug!(error = %e, "the HTTP sink could not accept a connection");
                tokio::time::sleep(Duration::from_millis(10)).await;
            }
        }
    }
}

/// Listens on `port` again, retrying for a while in case the system has not released it yet.
/// Must run inside the runtime (see [`Handle::enter`]).
fn bind_again(port: u16) -> TcpListener {
    let deadline = Instant::now() + Duration::from_secs(2);
    loop {
        // The standard library sets SO_REUSEADDR on Unix, so closed connections still in
        // TIME_WAIT do not block the port.
        let bound = std::net::TcpListener::bind(("127.0.0.1", port)).and_then(|listener| {
            listener.set_nonblocking(true)?;
            TcpListener::from_std(listener)
        });
        match bound {
            Ok(listener) => return listener,
            Err(e) if Instant::now() >= deadline => {
                panic!("the HTTP sink could not listen on 127.0.0.1:{port} again: {e}")
            }
            Err(_) => std::thread::sleep(Duration::from_millis(20)),
        }
    }
}
