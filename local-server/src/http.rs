//! The HTTP/1.1 listener: hyper 1 on tokio, loopback only. Each request's body is collected
//! (up to [`MAX_BODY`]), its SigV4 signature checked, and the request handed to a [`Handler`]
//! (normally the generated `Router`).

use std::convert::Infallible;
use std::future::Future;
use std::io;
use std::net::SocketAddr;
use std::pin::Pin;
use std::sync::Arc;
use std::time::SystemTime;

use bytes::Bytes;
use http_body_util::{BodyExt, Full, Limited};
use hyper::body::Incoming;
use hyper::server::conn::http1;
use hyper::service::service_fn;
use hyper_util::rt::TokioIo;
use tokio::net::TcpListener;
use tokio::sync::watch;

use crate::sigv4::{self, Verify};

/// Largest request body accepted (larger ones get a 413).
pub const MAX_BODY: usize = 8 * 1024 * 1024;

/// A boxed response future.
pub type ResponseFuture = Pin<Box<dyn Future<Output = http::Response<Vec<u8>>> + Send>>;

/// What answers a (signature-checked) request.
pub trait Handler: Send + Sync + 'static {
    /// Answers one request.
    fn handle(&self, request: http::Request<Vec<u8>>) -> ResponseFuture;
}

impl<F> Handler for F
where
    F: Fn(http::Request<Vec<u8>>) -> ResponseFuture + Send + Sync + 'static,
{
    fn handle(&self, request: http::Request<Vec<u8>>) -> ResponseFuture {
        self(request)
    }
}

/// Listener options.
#[derive(Clone, Debug)]
pub struct Options {
    /// The SigV4 signing name requests must be scoped to.
    pub signing_name: String,
    /// How signatures are checked.
    pub verify: Verify,
    /// Print one line per request to stderr (method, path and query, status, error code).
    pub log: bool,
}

/// A running server; dropping it (or [`Server::shutdown`]) stops accepting connections.
#[derive(Debug)]
pub struct Server {
    addr: SocketAddr,
    stop: watch::Sender<bool>,
    task: Option<tokio::task::JoinHandle<()>>,
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
    let (stop, mut stopped) = watch::channel(false);
    let shared = Arc::new((options, handler));
    let task = tokio::spawn(async move {
        loop {
            tokio::select! {
                _ = stopped.changed() => break,
                accepted = listener.accept() => {
                    let Ok((stream, peer)) = accepted else {
                        // (e.g. out of file descriptors): let other tasks run, then try again.
                        tokio::task::yield_now().await;
                        continue;
                    };
                    if !peer.ip().is_loopback() {
                        continue;
                    }
                    let shared = Arc::clone(&shared);
                    tokio::spawn(async move {
                        let service = service_fn(move |request: http::Request<Incoming>| {
                            let shared = Arc::clone(&shared);
                            async move {
                                let (options, handler) = &*shared;
                                let line = options.log.then(|| format!("{} {}", request.method(), request.uri()));
                                let response = answer(request, options, handler).await;
                                if let Some(line) = line {
                                    let code = response.headers().get("x-amzn-errortype").and_then(|v| v.to_str().ok()).unwrap_or("");
                                    eprintln!("{line} -> {} {code}", response.status().as_u16());
                                }
                                Ok::<_, Infallible>(response.map(|b| Full::new(Bytes::from(b))))
                            }
                        });
                        let _ = http1::Builder::new()
                            .serve_connection(TokioIo::new(stream), service)
                            .await;
                    });
                }
            }
        }
    });
    Ok(Server { addr, stop, task: Some(task) })
}

async fn answer(
    request: http::Request<Incoming>,
    options: &Options,
    handler: &impl Handler,
) -> http::Response<Vec<u8>> {
    let (parts, body) = request.into_parts();
    let body = match Limited::new(body, MAX_BODY).collect().await {
        Ok(collected) => collected.to_bytes().to_vec(),
        Err(e) => {
            let too_large = e.downcast_ref::<http_body_util::LengthLimitError>().is_some();
            let status = if too_large {
                http::StatusCode::PAYLOAD_TOO_LARGE
            } else {
                http::StatusCode::BAD_REQUEST
            };
            return plain_error(
                status,
                if too_large { "RequestEntityTooLarge" } else { "BadRequestException" },
                &e.to_string(),
            );
        }
    };
    let request = http::Request::from_parts(parts, body);
    if let Err(e) =
        sigv4::check(&request, &options.signing_name, &options.verify, SystemTime::now(), false)
    {
        return e.into_response();
    }
    handler.handle(request).await
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
