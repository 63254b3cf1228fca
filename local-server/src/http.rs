//! The HTTP/1.1 listener: hyper 1 on tokio, loopback only, built to survive clients that do not
//! play fair (see [`Limits`] for every bound and its default).
//!
//! For each request, the SigV4 headers are checked before a byte of the body is read
//! ([`sigv4::check_head`]): a refusal is answered without reading the body, and the connection
//! closed. The body is then read within [`Limits::body_read_timeout`], up to
//! [`Limits::max_body_bytes`], into a buffer counted against a byte budget that all connections
//! share ([`Limits::body_budget_bytes`]); the signature and payload hash are checked against it
//! ([`sigv4::check`]); and the request goes to a [`Handler`] (normally the generated `Router`)
//! on tokio's blocking pool, so that one slow request stalls neither the listener nor the other
//! connections.
//!
//! Connections: at most [`Limits::max_connections`]. When they are all taken, the oldest one
//! whose request is not being handled (idle, or still sending a head or a body) is closed to
//! make room; if every one is being handled, accepting waits for one to end. A connection is
//! closed once idle for [`Limits::idle_timeout`], or when it takes more than
//! [`Limits::header_read_timeout`] to send a request's headers once it has started them. An
//! accept error (out of file descriptors) closes the oldest idle connection and backs off
//! (10 ms, doubling up to 1 s) rather than retrying at once.

use std::collections::BTreeMap;
use std::convert::Infallible;
use std::future::Future;
use std::io;
use std::net::SocketAddr;
use std::pin::Pin;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, MutexGuard};
use std::task::{Context, Poll};
use std::time::{Duration, SystemTime};

use bytes::Bytes;
use http_body_util::BodyExt;
use hyper::body::{Frame, Incoming, SizeHint};
use hyper::server::conn::http1;
use hyper::service::service_fn;
use hyper_util::rt::{TokioIo, TokioTimer};
use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::{watch, Notify, OwnedSemaphorePermit, Semaphore};
use tokio::time::Instant;

use crate::sigv4::{self, Verify};

/// A boxed response future.
pub type ResponseFuture = Pin<Box<dyn Future<Output = http::Response<Vec<u8>>> + Send>>;

/// What answers a (signature-checked) request.
///
/// [`Handler::handle`] runs on tokio's blocking pool (its future is driven there with
/// `Handle::block_on`): it may compute for a while without stalling the listener, and should
/// not wait on I/O of its own.
pub trait Handler: Send + Sync + 'static {
    /// Answers one request.
    fn handle(&self, request: http::Request<Vec<u8>>) -> ResponseFuture;

    /// Whether the request's operation allows an unsigned payload (`X-Amz-Content-Sha256:
    /// UNSIGNED-PAYLOAD`), asked before the body is read; by default none does.
    fn unsigned_payload(&self, request: &http::request::Parts) -> bool {
        let _ = request;
        false
    }
}

impl<F> Handler for F
where
    F: Fn(http::Request<Vec<u8>>) -> ResponseFuture + Send + Sync + 'static,
{
    fn handle(&self, request: http::Request<Vec<u8>>) -> ResponseFuture {
        self(request)
    }
}

/// The bounds the listener keeps, whatever clients send. [`Limits::default`] gives the values
/// documented on each field (and in the table in `docs/local-server.md`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Limits {
    /// Most connections open at once (default 256). When all are taken, the oldest connection
    /// whose request is not being handled (idle, or still sending a head or a body) is closed
    /// to make room; if every one is being handled, new connections wait in the listen queue.
    pub max_connections: usize,
    /// Longest a connection may take to send a request's headers, from their first byte
    /// (default 10 s); then it is closed.
    pub header_read_timeout: Duration,
    /// Longest a connection may stay open without sending anything, before its first request
    /// or between requests (default 60 s); then it is closed.
    pub idle_timeout: Duration,
    /// Longest a request's whole body may take to arrive once its headers have (default 10 s);
    /// then the request gets a 408 and the connection is closed.
    pub body_read_timeout: Duration,
    /// Largest request body (default 1 MiB); a larger one gets a 413 (at once when its
    /// `Content-Length` says so, without reading it).
    pub max_body_bytes: usize,
    /// Most body bytes held at once by all requests together, from their first byte until
    /// their handler is done (default 16 MiB). A request that would go over waits for room,
    /// within its body timeout, then gets a 503.
    pub body_budget_bytes: usize,
    /// Largest request head: request line and headers (default 64 KiB, at least 8 KiB); a
    /// larger one closes the connection.
    pub max_header_bytes: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            max_connections: 256,
            header_read_timeout: Duration::from_secs(10),
            idle_timeout: Duration::from_secs(60),
            body_read_timeout: Duration::from_secs(10),
            max_body_bytes: 1024 * 1024,
            body_budget_bytes: 16 * 1024 * 1024,
            max_header_bytes: 64 * 1024,
        }
    }
}

/// First wait after an accept error; each further error in a row doubles it.
const ACCEPT_BACKOFF_MIN: Duration = Duration::from_millis(10);
/// How often a full listener looks again for a connection to close.
const EVICT_RETRY: Duration = Duration::from_millis(50);
/// Longest wait after accept errors.
const ACCEPT_BACKOFF_MAX: Duration = Duration::from_secs(1);
/// The smallest read buffer hyper takes (its `max_buf_size` minimum).
const MIN_HEADER_BYTES: usize = 8192;

/// Listener options.
#[derive(Clone, Debug)]
pub struct Options {
    /// The SigV4 signing name requests must be scoped to.
    pub signing_name: String,
    /// How signatures are checked.
    pub verify: Verify,
    /// Print one line per request to stderr (method, path and query, status, error code).
    pub log: bool,
    /// Timeouts, caps and budgets.
    pub limits: Limits,
}

/// A running server; dropping it (or [`Server::shutdown`]) stops accepting connections.
#[derive(Debug)]
pub struct Server {
    addr: SocketAddr,
    stop: watch::Sender<bool>,
    task: Option<tokio::task::JoinHandle<()>>,
    tracker: Arc<Tracker>,
}

impl Server {
    /// The address it listens on (with the real port when bound to port 0).
    pub fn local_addr(&self) -> SocketAddr {
        self.addr
    }

    /// `http://127.0.0.1:PORT`: the endpoint URL to give a client.
    pub fn endpoint_url(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// How many connections are open now.
    pub fn open_connections(&self) -> usize {
        self.tracker.lock_connections().len()
    }

    /// How many body bytes requests hold now (counted against [`Limits::body_budget_bytes`]).
    pub fn buffered_body_bytes(&self) -> usize {
        self.tracker.budget_bytes.saturating_sub(self.tracker.budget.available_permits())
    }

    /// Stops accepting connections and waits for the accept loop to end.
    pub async fn shutdown(mut self) {
        let _ = self.stop.send(true);
        if let Some(task) = self.task.take() {
            let _ = task.await;
        }
    }

    /// Runs until the process is stopped (what `cargo xtask serve` does).
    pub async fn run_forever(mut self) {
        if let Some(task) = self.task.take() {
            let _ = task.await;
        }
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.stop.send(true);
    }
}

/// Binds `addr` (which must be a loopback address) and serves `handler` on a tokio task.
pub async fn bind(addr: SocketAddr, options: Options, handler: impl Handler) -> io::Result<Server> {
    if !addr.ip().is_loopback() {
        return Err(io::Error::new(
            io::ErrorKind::InvalidInput,
            format!("the local server listens on loopback addresses only, not {addr}"),
        ));
    }
    let listener = TcpListener::bind(addr).await?;
    let addr = listener.local_addr()?;
    let (stop, stopped) = watch::channel(false);
    let tracker = Arc::new(Tracker::new(&options.limits));
    let app = Arc::new(App { options, handler, tracker: Arc::clone(&tracker) });
    let task = tokio::spawn(accept_loop(listener, app, stopped));
    Ok(Server { addr, stop, task: Some(task), tracker })
}

// ---------------------------------------------------------------------------------------------
// Connections
// ---------------------------------------------------------------------------------------------

/// Where a connection is, for its timeouts and for choosing one to close when full.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Phase {
    /// Nothing received since it opened or since its last response: since when.
    Idle(Instant),
    /// A request's head is arriving: since its first byte.
    Head(Instant),
    /// A request's body is arriving (its own timeout bounds it).
    Body,
    /// A request is in progress (handler, until its response is handed to hyper).
    Busy,
    /// Timed out or chosen to make room: it closes.
    Closing,
}

/// One connection's state, shared by its I/O, its requests and its watchdog.
#[derive(Debug)]
struct Connection {
    phase: Mutex<Phase>,
    changed: Notify,
}

impl Connection {
    fn new() -> Self {
        Connection { phase: Mutex::new(Phase::Idle(Instant::now())), changed: Notify::new() }
    }

    fn phase(&self) -> MutexGuard<'_, Phase> {
        // Every update is a single assignment: a poisoned lock holds a valid phase.
        self.phase.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    fn set(&self, phase: &mut Phase, to: Phase) {
        *phase = to;
        self.changed.notify_one();
    }

    /// Bytes arrived: an idle connection starts a request head.
    fn received(&self) {
        let mut phase = self.phase();
        if matches!(*phase, Phase::Idle(_)) {
            self.set(&mut phase, Phase::Head(Instant::now()));
        }
    }

    /// A request begins; false when the connection is closing.
    fn begin(&self) -> bool {
        let mut phase = self.phase();
        if *phase == Phase::Closing {
            return false;
        }
        self.set(&mut phase, Phase::Busy);
        true
    }

    /// The request's body starts (`true`) or is complete (`false`).
    fn reading_body(&self, reading: bool) {
        let mut phase = self.phase();
        match (*phase, reading) {
            (Phase::Busy, true) => self.set(&mut phase, Phase::Body),
            (Phase::Body, false) => self.set(&mut phase, Phase::Busy),
            _ => {}
        }
    }

    /// The request's response was handed over: idle again.
    fn end(&self) {
        let mut phase = self.phase();
        if matches!(*phase, Phase::Busy | Phase::Body) {
            self.set(&mut phase, Phase::Idle(Instant::now()));
        }
    }

    /// Closes the connection unless its request is being handled or answered (it may be
    /// idle, or still sending a head or a body: a client that sends at loopback speed is not
    /// caught there); whether it did.
    fn evict(&self) -> bool {
        let mut phase = self.phase();
        match *phase {
            Phase::Idle(_) | Phase::Head(_) | Phase::Body => {
                self.set(&mut phase, Phase::Closing);
                true
            }
            Phase::Busy | Phase::Closing => false,
        }
    }

    /// Returns when the connection is to be closed: evicted, idle for `idle`, or sending a
    /// head for `header`.
    async fn watch(&self, idle: Duration, header: Duration) {
        loop {
            let changed = self.changed.notified();
            let deadline = {
                let mut phase = self.phase();
                let deadline = match *phase {
                    Phase::Closing => return,
                    Phase::Busy | Phase::Body => None,
                    Phase::Idle(since) => Some(since.checked_add(idle)),
                    Phase::Head(since) => Some(since.checked_add(header)),
                };
                if deadline.flatten().is_some_and(|d| d <= Instant::now()) {
                    self.set(&mut phase, Phase::Closing);
                    return;
                }
                deadline
            };
            match deadline {
                Some(Some(deadline)) => {
                    tokio::select! {
                        _ = changed => {}
                        _ = tokio::time::sleep_until(deadline) => {}
                    }
                }
                // Busy, or a timeout too long to be one: wait for a change.
                _ => changed.await,
            }
        }
    }
}

/// Ends the connection's request when dropped: when hyper has taken the response body (or
/// the request was abandoned).
struct InProgress(Arc<Connection>);

impl Drop for InProgress {
    fn drop(&mut self) {
        self.0.end();
    }
}

/// A response body that keeps its connection's request in progress until hyper has taken it.
struct ResponseBody {
    data: Option<Bytes>,
    _in_progress: Option<InProgress>,
}

impl hyper::body::Body for ResponseBody {
    type Data = Bytes;
    type Error = Infallible;

    fn poll_frame(
        mut self: Pin<&mut Self>,
        _cx: &mut Context<'_>,
    ) -> Poll<Option<Result<Frame<Bytes>, Infallible>>> {
        Poll::Ready(self.data.take().map(|data| Ok(Frame::data(data))))
    }

    fn is_end_stream(&self) -> bool {
        self.data.is_none()
    }

    fn size_hint(&self) -> SizeHint {
        SizeHint::with_exact(self.data.as_ref().map_or(0, |d| d.len() as u64))
    }
}

/// The TCP stream, telling its connection when bytes arrive.
struct Watched {
    stream: TcpStream,
    connection: Arc<Connection>,
}

impl AsyncRead for Watched {
    fn poll_read(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<io::Result<()>> {
        let before = buf.filled().len();
        let polled = Pin::new(&mut self.stream).poll_read(cx, buf);
        if buf.filled().len() > before {
            self.connection.received();
        }
        polled
    }
}

impl AsyncWrite for Watched {
    fn poll_write(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<io::Result<usize>> {
        Pin::new(&mut self.stream).poll_write(cx, buf)
    }

    fn poll_write_vectored(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        bufs: &[io::IoSlice<'_>],
    ) -> Poll<io::Result<usize>> {
        Pin::new(&mut self.stream).poll_write_vectored(cx, bufs)
    }

    fn is_write_vectored(&self) -> bool {
        self.stream.is_write_vectored()
    }

    fn poll_flush(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.stream).poll_flush(cx)
    }

    fn poll_shutdown(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.stream).poll_shutdown(cx)
    }
}

/// The open connections and the body budget.
#[derive(Debug)]
struct Tracker {
    connections: Mutex<BTreeMap<u64, Arc<Connection>>>,
    next_id: AtomicU64,
    /// One permit per connection.
    slots: Arc<Semaphore>,
    /// One permit per body byte.
    budget: Arc<Semaphore>,
    budget_bytes: usize,
}

impl Tracker {
    fn new(limits: &Limits) -> Self {
        let budget_bytes = limits.body_budget_bytes.min(Semaphore::MAX_PERMITS);
        Tracker {
            connections: Mutex::new(BTreeMap::new()),
            next_id: AtomicU64::new(0),
            slots: Arc::new(Semaphore::new(
                limits.max_connections.clamp(1, Semaphore::MAX_PERMITS),
            )),
            budget: Arc::new(Semaphore::new(budget_bytes)),
            budget_bytes,
        }
    }

    fn lock_connections(&self) -> MutexGuard<'_, BTreeMap<u64, Arc<Connection>>> {
        self.connections.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    fn open(&self) -> (u64, Arc<Connection>) {
        let id = self.next_id.fetch_add(1, Ordering::Relaxed);
        let connection = Arc::new(Connection::new());
        self.lock_connections().insert(id, Arc::clone(&connection));
        (id, connection)
    }

    fn close(&self, id: u64) {
        self.lock_connections().remove(&id);
    }

    /// Closes the oldest connection without a request in progress; whether there was one.
    fn evict_one(&self) -> bool {
        self.lock_connections().values().any(|connection| connection.evict())
    }
}

/// Errors of `accept` that concern one incoming connection, not the listener.
fn per_connection(error: &io::Error) -> bool {
    matches!(
        error.kind(),
        io::ErrorKind::ConnectionAborted
            | io::ErrorKind::ConnectionReset
            | io::ErrorKind::ConnectionRefused
            | io::ErrorKind::Interrupted
    )
}

async fn accept_loop<H: Handler>(
    listener: TcpListener,
    app: Arc<App<H>>,
    mut stopped: watch::Receiver<bool>,
) {
    let tracker = Arc::clone(&app.tracker);
    let mut backoff = ACCEPT_BACKOFF_MIN;
    loop {
        let accepted = tokio::select! {
            _ = stopped.changed() => break,
            accepted = listener.accept() => accepted,
        };
        let (stream, peer) = match accepted {
            Ok(accepted) => {
                backoff = ACCEPT_BACKOFF_MIN;
                accepted
            }
            Err(e) if per_connection(&e) => continue,
            Err(_) => {
                // Out of file descriptors (or memory): free one an idle connection holds, and
                // wait before trying again instead of spinning on the error.
                tracker.evict_one();
                tokio::select! {
                    _ = stopped.changed() => break,
                    _ = tokio::time::sleep(backoff) => {}
                }
                backoff = (backoff * 2).min(ACCEPT_BACKOFF_MAX);
                continue;
            }
        };
        if !peer.ip().is_loopback() {
            continue;
        }
        // Full: make room by closing the oldest connection that has no request being handled;
        // with none, wait for one to end or to become one (looking again every 50 ms).
        let slot = loop {
            if let Ok(slot) = Arc::clone(&tracker.slots).try_acquire_owned() {
                break Some(slot);
            }
            tracker.evict_one();
            tokio::select! {
                _ = stopped.changed() => break None,
                slot = Arc::clone(&tracker.slots).acquire_owned() => break slot.ok(),
                _ = tokio::time::sleep(EVICT_RETRY) => {}
            }
        };
        let Some(slot) = slot else { break };
        // Registered here, before its task runs: the next connection may need to close it.
        let (id, connection) = tracker.open();
        tokio::spawn(serve_connection(stream, Arc::clone(&app), slot, id, connection));
    }
}

async fn serve_connection<H: Handler>(
    stream: TcpStream,
    app: Arc<App<H>>,
    slot: OwnedSemaphorePermit,
    id: u64,
    connection: Arc<Connection>,
) {
    let limits = &app.options.limits;
    let io = TokioIo::new(Watched { stream, connection: Arc::clone(&connection) });
    let service = {
        let (app, connection) = (Arc::clone(&app), Arc::clone(&connection));
        service_fn(move |request: http::Request<Incoming>| {
            let (app, connection) = (Arc::clone(&app), Arc::clone(&connection));
            async move { Ok::<_, Infallible>(app.respond(request, connection).await) }
        })
    };
    let mut builder = http1::Builder::new();
    builder
        .timer(TokioTimer::new())
        // The watchdog below times heads and idleness; hyper's own header timeout (which
        // starts when the connection waits for a request) is only a backstop.
        .header_read_timeout(limits.idle_timeout.saturating_add(limits.header_read_timeout))
        .max_buf_size(limits.max_header_bytes.max(MIN_HEADER_BYTES));
    let served = builder.serve_connection(io, service);
    tokio::select! {
        _ = served => {}
        _ = connection.watch(limits.idle_timeout, limits.header_read_timeout) => {}
    }
    app.tracker.close(id);
    drop(slot);
}

// ---------------------------------------------------------------------------------------------
// Requests
// ---------------------------------------------------------------------------------------------

struct App<H> {
    options: Options,
    handler: H,
    tracker: Arc<Tracker>,
}

/// Why a body could not be read.
enum BodyError {
    TooLarge,
    Timeout,
    Budget,
    Read(hyper::Error),
}

impl<H: Handler> App<H> {
    async fn respond(
        self: Arc<Self>,
        request: http::Request<Incoming>,
        connection: Arc<Connection>,
    ) -> http::Response<ResponseBody> {
        if !connection.begin() {
            let response = plain_error(
                http::StatusCode::SERVICE_UNAVAILABLE,
                "ServiceUnavailableException",
                "the server is closing this connection",
            );
            return closing(response)
                .map(|b| ResponseBody { data: Some(b.into()), _in_progress: None });
        }
        let line = self.options.log.then(|| format!("{} {}", request.method(), request.uri()));
        let response = Arc::clone(&self).answer(request, &connection).await;
        let in_progress = InProgress(connection);
        if let Some(line) = line {
            let code = response
                .headers()
                .get("x-amzn-errortype")
                .and_then(|v| v.to_str().ok())
                .unwrap_or("");
            eprintln!("{line} -> {} {code}", response.status().as_u16());
        }
        response.map(|body| ResponseBody {
            data: Some(Bytes::from(body)),
            _in_progress: Some(in_progress),
        })
    }

    async fn answer(
        self: Arc<Self>,
        request: http::Request<Incoming>,
        connection: &Connection,
    ) -> http::Response<Vec<u8>> {
        let options = &self.options;
        let limits = &options.limits;
        let (parts, body) = request.into_parts();
        let unsigned_payload = self.handler.unsigned_payload(&parts);
        // Authentication first: a refused request's body is never read.
        if let Err(e) = sigv4::check_head(
            &parts.headers,
            &options.signing_name,
            &options.verify,
            SystemTime::now(),
            unsigned_payload,
        ) {
            return closing(e.into_response());
        }
        let max_body = limits.max_body_bytes.min(self.tracker.budget_bytes);
        let declared = hyper::body::Body::size_hint(&body).exact();
        if declared.is_some_and(|n| n > max_body as u64) {
            return closing(too_large(max_body));
        }
        let deadline = Instant::now().checked_add(limits.body_read_timeout);
        connection.reading_body(true);
        let read = self.read_body(body, declared, max_body, deadline).await;
        connection.reading_body(false);
        let (bytes, budget) = match read {
            Ok(read) => read,
            Err(BodyError::TooLarge) => return closing(too_large(max_body)),
            Err(BodyError::Timeout) => {
                return closing(plain_error(
                    http::StatusCode::REQUEST_TIMEOUT,
                    "RequestTimeoutException",
                    &format!(
                        "the request body did not arrive within {} s",
                        limits.body_read_timeout.as_secs_f64()
                    ),
                ))
            }
            Err(BodyError::Budget) => {
                let mut response = plain_error(
                    http::StatusCode::SERVICE_UNAVAILABLE,
                    "ServiceUnavailableException",
                    "the server is holding as many request bodies as it can: try again",
                );
                response
                    .headers_mut()
                    .insert(http::header::RETRY_AFTER, http::HeaderValue::from_static("1"));
                return closing(response);
            }
            Err(BodyError::Read(e)) => {
                return closing(plain_error(
                    http::StatusCode::BAD_REQUEST,
                    "BadRequestException",
                    &format!("cannot read the request body: {e}"),
                ))
            }
        };
        let request = http::Request::from_parts(parts, bytes);
        if let Err(e) = sigv4::check(
            &request,
            &options.signing_name,
            &options.verify,
            SystemTime::now(),
            unsigned_payload,
        ) {
            return e.into_response();
        }
        let runtime = tokio::runtime::Handle::current();
        let app = Arc::clone(&self);
        let handled = tokio::task::spawn_blocking(move || {
            let response = runtime.block_on(app.handler.handle(request));
            // The body's bytes (and whatever the handler made of them) are freed: give them back.
            drop(budget);
            response
        })
        .await;
        handled.unwrap_or_else(|_| {
            plain_error(
                http::StatusCode::INTERNAL_SERVER_ERROR,
                "InternalFailure",
                "the request handler failed",
            )
        })
    }

    /// Reads the body into a buffer that grows by doubling (up to `max_body`, or the declared
    /// length), each growth first counted against the shared budget; all before `deadline`.
    async fn read_body(
        &self,
        mut body: Incoming,
        declared: Option<u64>,
        max_body: usize,
        deadline: Option<Instant>,
    ) -> Result<(Vec<u8>, Option<OwnedSemaphorePermit>), BodyError> {
        let ceiling =
            declared.and_then(|n| usize::try_from(n).ok()).map_or(max_body, |n| n.min(max_body));
        let mut buffer: Vec<u8> = Vec::new();
        let mut budget: Option<OwnedSemaphorePermit> = None;
        let mut held = 0usize;
        loop {
            let frame = match within(deadline, body.frame()).await {
                Err(()) => return Err(BodyError::Timeout),
                Ok(None) => break,
                Ok(Some(Err(e))) => return Err(BodyError::Read(e)),
                Ok(Some(Ok(frame))) => frame,
            };
            let Ok(data) = frame.into_data() else { continue };
            let needed = buffer.len().saturating_add(data.len());
            if needed > max_body {
                return Err(BodyError::TooLarge);
            }
            if needed > held {
                let target = needed.max(held.saturating_mul(2)).max(4096).min(ceiling.max(needed));
                let extra = u32::try_from(target - held).map_err(|_| BodyError::TooLarge)?;
                let more = match within(
                    deadline,
                    Arc::clone(&self.tracker.budget).acquire_many_owned(extra),
                )
                .await
                {
                    Ok(Ok(permit)) => permit,
                    Ok(Err(_)) | Err(()) => return Err(BodyError::Budget),
                };
                match &mut budget {
                    Some(permit) => permit.merge(more),
                    None => budget = Some(more),
                }
                held = target;
                buffer.reserve_exact(target - buffer.len());
            }
            buffer.extend_from_slice(&data);
        }
        Ok((buffer, budget))
    }
}

/// `future`, unless `deadline` passes first.
async fn within<F: Future>(deadline: Option<Instant>, future: F) -> Result<F::Output, ()> {
    match deadline {
        Some(deadline) => tokio::time::timeout_at(deadline, future).await.map_err(|_| ()),
        None => Ok(future.await),
    }
}

fn too_large(max_body: usize) -> http::Response<Vec<u8>> {
    plain_error(
        http::StatusCode::PAYLOAD_TOO_LARGE,
        "RequestEntityTooLarge",
        &format!("the request body is larger than {max_body} bytes"),
    )
}

/// The response, closing the connection after it (the body was not read, or not all of it).
fn closing(mut response: http::Response<Vec<u8>>) -> http::Response<Vec<u8>> {
    response
        .headers_mut()
        .insert(http::header::CONNECTION, http::HeaderValue::from_static("close"));
    response
}

fn plain_error(
    status: http::StatusCode,
    code: &'static str,
    message: &str,
) -> http::Response<Vec<u8>> {
    let mut response = sigv4::AuthError { code, message: message.to_owned() }.into_response();
    *response.status_mut() = status;
    response
}
