//! A local Amazon Chime SDK Meetings server: an in-memory implementation of the service
//! ([`InMemoryChime`]) behind the generated server stubs' `Router`, served over loopback HTTP/1.1
//! with SigV4 checks, for developing and testing applications without AWS.
//!
//! ```no_run
//! # async fn run() -> std::io::Result<()> {
//! let server = chime_local_server::start("127.0.0.1:0".parse().unwrap(), chime_local_server::Verify::AnyKey).await?;
//! println!("point your client at {}", server.endpoint_url());
//! # Ok(()) }
//! ```
#![forbid(unsafe_code)]
#![warn(missing_docs)]

pub mod http;
pub mod service;
pub mod sigv4;

use std::net::SocketAddr;
use std::sync::Arc;

use chime_sdk_meetings::server::Router;

pub use service::{InMemoryChime, Settings};
pub use sigv4::Verify;

/// Most characters of a received value that an error message repeats.
pub const ECHO_CHARS: usize = 100;

/// A received value as an error message quotes it: whole up to [`ECHO_CHARS`] characters, else
/// its first ones followed by `…` (a 300 KB header must not come back whole in the 403).
pub(crate) fn echo(text: &str) -> std::borrow::Cow<'_, str> {
    match text.char_indices().nth(ECHO_CHARS) {
        None => std::borrow::Cow::Borrowed(text),
        Some((end, _)) => std::borrow::Cow::Owned(format!("{}…", text.get(..end).unwrap_or(""))),
    }
}

/// The SigV4 signing name requests must be scoped to: the generated crate's, from the model.
pub const SIGNING_NAME: &str = chime_sdk_meetings::SIGV4_SIGNING_NAME;

/// The router over `service` as an [`http::Handler`].
pub fn handler(service: InMemoryChime) -> impl http::Handler {
    let router = Arc::new(Router::new(service));
    move |request: ::http::Request<Vec<u8>>| -> http::ResponseFuture {
        let router = Arc::clone(&router);
        Box::pin(async move { router.handle(request).await })
    }
}

/// Listener options for the service's signing name and `verify`.
pub fn options(verify: Verify) -> http::Options {
    http::Options { signing_name: SIGNING_NAME.to_owned(), verify, log: false }
}

/// Starts a server with a new, empty [`InMemoryChime`] on `addr` (loopback only; port 0 picks a
/// free port). Must be called inside a tokio runtime.
pub async fn start(addr: SocketAddr, verify: Verify) -> std::io::Result<http::Server> {
    start_with(addr, verify, InMemoryChime::default()).await
}

/// Like [`start`], with a given service (keep a clone to inspect its state).
pub async fn start_with(
    addr: SocketAddr,
    verify: Verify,
    service: InMemoryChime,
) -> std::io::Result<http::Server> {
    http::bind(addr, options(verify), handler(service)).await
}

/// Runs a server until the process is stopped, on a tokio runtime of its own (what
/// `cargo xtask serve` does), logging one line per request to stderr; `ready` is called with
/// the bound address once it listens.
pub fn serve_blocking(
    addr: SocketAddr,
    verify: Verify,
    ready: impl FnOnce(SocketAddr),
) -> std::io::Result<()> {
    let runtime = tokio::runtime::Builder::new_current_thread().enable_io().build()?;
    runtime.block_on(async move {
        let options = http::Options { log: true, ..options(verify) };
        let server = http::bind(addr, options, handler(InMemoryChime::default())).await?;
        ready(server.local_addr());
        server.run_forever().await;
        Ok(())
    })
}
