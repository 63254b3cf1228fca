//! The client's bodies as streams, through the whole call path (`orchestrate`, the default
//! hyper transport) against a loopback HTTP/1.1 server that sends its response in parts when
//! the test says: an output that streams is returned at the response's head and its body read
//! as it arrives; an output read whole waits for the end of the body; an error response is read
//! whole; a body that breaks off is retried for an output read whole.

use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::Duration;

use tokio::io::{AsyncReadExt, AsyncWriteExt};

use crate::client::{Client, Config, Credentials, HyperTransport, Region, RetryConfig, TokioSleep};
use crate::primitives::Blob;

/// What the server sends on each connection: the response head, then the first chunk of a
/// chunked body; then, once `release` is set, the rest (or nothing, breaking the connection,
/// when `break_off`).
#[derive(Clone)]
struct Script {
    head: &'static str,
    first: &'static [u8],
    rest: &'static [u8],
    break_off: bool,
}

/// A loopback server acting out `script` on every connection; returns its URL, the flag that
/// releases the rest of each body, and the count of requests received.
async fn server(script: Script) -> (String, Arc<AtomicBool>, Arc<AtomicUsize>) {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    let release = Arc::new(AtomicBool::new(false));
    let requests = Arc::new(AtomicUsize::new(0));
    let (flag, count) = (release.clone(), requests.clone());
    tokio::spawn(async move {
        while let Ok((mut socket, _)) = listener.accept().await {
            let (script, flag, count) = (script.clone(), flag.clone(), count.clone());
            tokio::spawn(async move {
                // The request: its head, then its body by `content-length`.
                let mut received = Vec::new();
                let mut buf = [0u8; 4096];
                let body_start = loop {
                    if let Some(at) = received.windows(4).position(|w| w == b"\r\n\r\n") {
                        break at + 4;
                    }
                    match socket.read(&mut buf).await {
                        Ok(0) | Err(_) => return,
                        Ok(n) => received.extend_from_slice(&buf[..n]),
                    }
                };
                let head = String::from_utf8_lossy(&received[..body_start]).to_lowercase();
                let length = head
                    .lines()
                    .find_map(|l| l.strip_prefix("content-length:"))
                    .and_then(|v| v.trim().parse::<usize>().ok())
                    .unwrap_or(0);
                while received.len() < body_start + length {
                    match socket.read(&mut buf).await {
                        Ok(0) | Err(_) => return,
                        Ok(n) => received.extend_from_slice(&buf[..n]),
                    }
                }
                count.fetch_add(1, Ordering::SeqCst);
                let mut out = script.head.as_bytes().to_vec();
                out.extend_from_slice(format!("{:x}\r\n", script.first.len()).as_bytes());
                out.extend_from_slice(script.first);
                out.extend_from_slice(b"\r\n");
                if socket.write_all(&out).await.is_err() {
                    return;
                }
                while !flag.load(Ordering::SeqCst) {
                    tokio::time::sleep(Duration::from_millis(5)).await;
                }
                if script.break_off {
                    return; // the connection closes inside the body
                }
                let mut out = format!("{:x}\r\n", script.rest.len()).into_bytes();
                out.extend_from_slice(script.rest);
                out.extend_from_slice(b"\r\n0\r\n\r\n");
                let _ = socket.write_all(&out).await;
            });
        }
    });
    (url, release, requests)
}

fn client(url: &str, retry: RetryConfig) -> Client {
    let config = Config::builder()
        .region(Region::from_static("us-east-1"))
        .credentials(Credentials::new("AKID", "secret", None, None, "test"))
        .endpoint_url(url)
        .transport(HyperTransport::new().expect("the default transport"))
        .sleep_impl(TokioSleep::new())
        .retry_config(retry)
        .build();
    Client::from_conf(config)
}

const OK_CHUNKED: &str = "HTTP/1.1 200 OK\r\ntransfer-encoding: chunked\r\n\r\n";

/// Waits at most 10 s for `future` (a test that would hang fails instead).
async fn soon<F: std::future::Future>(future: F) -> F::Output {
    tokio::time::timeout(Duration::from_secs(10), future).await.expect("within 10 s")
}

#[tokio::test]
async fn an_output_that_streams_is_returned_at_the_head_and_read_as_it_arrives() {
    let script =
        Script { head: OK_CHUNKED, first: b"first", rest: b" and the rest", break_off: false };
    let (url, release, requests) = server(script).await;
    let client = client(&url, RetryConfig::disabled());
    // `send()` returns while the server holds back the rest of the body...
    let mut body = soon(client.echo_stream(Blob::new("ping")).send()).await.expect("the head");
    assert_eq!(body.content_length(), None, "a chunked body of unknown length");
    // ...and its first chunk is there to read before the server sends the rest.
    let first = soon(body.next()).await.expect("a chunk").expect("read");
    assert_eq!(&first[..], b"first");
    assert!(!release.load(Ordering::SeqCst));
    release.store(true, Ordering::SeqCst);
    let rest = soon(body.collect()).await.expect("the rest");
    assert_eq!(&rest[..], b" and the rest");
    assert_eq!(requests.load(Ordering::SeqCst), 1);
}

#[tokio::test]
async fn an_output_read_whole_waits_for_the_end_of_the_body() {
    let script =
        Script { head: OK_CHUNKED, first: b"first", rest: b" and the rest", break_off: false };
    let (url, release, _) = server(script).await;
    let client = client(&url, RetryConfig::disabled());
    let call = tokio::spawn(async move { client.echo(Blob::new("ping")).send().await });
    tokio::time::sleep(Duration::from_millis(200)).await;
    assert!(!call.is_finished(), "the call waits for the whole body");
    release.store(true, Ordering::SeqCst);
    let output = soon(call).await.expect("joined").expect("the output");
    assert_eq!(output.as_ref(), b"first and the rest");
}

#[tokio::test]
async fn an_error_response_of_an_operation_that_streams_is_read_whole() {
    let script = Script {
        head: "HTTP/1.1 400 Bad Request\r\nx-amzn-errortype: Throttled\r\ntransfer-encoding: chunked\r\n\r\n",
        first: b"{\"message\":",
        rest: b"\"slow down\"}",
        break_off: false,
    };
    let (url, release, _) = server(script).await;
    release.store(true, Ordering::SeqCst);
    let client = client(&url, RetryConfig::disabled());
    let error = soon(client.echo_stream(Blob::new("ping")).send()).await.expect_err("an error");
    let service = error.as_service_error().expect("a service error");
    assert_eq!(service.code(), Some("Throttled"));
    let raw = error.raw_response().expect("the response");
    assert_eq!(raw.body().as_slice(), b"{\"message\":\"slow down\"}");
}

#[tokio::test]
async fn a_body_that_breaks_off_is_retried_when_read_whole() {
    let script = Script { head: OK_CHUNKED, first: b"first", rest: b"", break_off: true };
    let (url, release, requests) = server(script).await;
    release.store(true, Ordering::SeqCst);
    let retry = RetryConfig::standard()
        .with_max_attempts(2)
        .with_initial_backoff(Duration::from_millis(1))
        .with_max_backoff(Duration::from_millis(5));
    let client = client(&url, retry);
    let error = soon(client.echo(Blob::new("ping")).send()).await.expect_err("broken bodies");
    let crate::client::SdkError::DispatchFailure(failure) = &error else { panic!("{error:?}") };
    assert!(failure.is_io(), "{failure:?}");
    assert_eq!(requests.load(Ordering::SeqCst), 2, "the broken body was retried");
}
