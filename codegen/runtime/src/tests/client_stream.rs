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

/// What a [`Capture`] transport received: the request's head and its body, read whole.
type Captured = Arc<std::sync::Mutex<Vec<(http::request::Parts, Vec<u8>)>>>;

/// A transport that reads each request's body as it streams in and answers with `status`.
struct Capture {
    status: u16,
    seen: Captured,
}

impl crate::client::Transport for Capture {
    fn send(&self, _request: http::Request<Vec<u8>>) -> crate::client::TransportFuture<'_> {
        unreachable!("the client sends through send_streaming")
    }

    fn send_streaming(
        &self,
        request: http::Request<crate::byte_stream::ByteStream>,
    ) -> crate::client::StreamingTransportFuture<'_> {
        Box::pin(async move {
            let (parts, body) = request.into_parts();
            let body = body.collect().await.map_err(crate::client::TransportError::io)?;
            self.seen.lock().unwrap().push((parts, body.to_vec()));
            let response = http::Response::builder().status(self.status).body(Vec::new()).unwrap();
            Ok(response.map(crate::byte_stream::ByteStream::new))
        })
    }
}

const TIME: u64 = 1_700_000_000;

fn capturing_client(endpoint: &str, status: u16, retry: RetryConfig) -> (Client, Captured) {
    let seen = Captured::default();
    let config = Config::builder()
        .region(Region::from_static("us-east-1"))
        .credentials(Credentials::new("AKIDEXAMPLE", "secret/key", None, None, "test"))
        .endpoint_url(endpoint)
        .transport(Capture { status, seen: seen.clone() })
        .sleep_impl(TokioSleep::new())
        .time_source(crate::client::StaticTimeSource::new(
            std::time::UNIX_EPOCH + Duration::from_secs(TIME),
        ))
        .retry_config(retry)
        .build();
    (Client::from_conf(config), seen)
}

/// The `Authorization` aws-sigv4 gives the request `parts` (without its own signature
/// headers) with the payload `body`.
fn oracle_authorization(
    parts: &http::request::Parts,
    body: aws_sigv4::http_request::SignableBody<'_>,
) -> String {
    use aws_sigv4::http_request::{sign, SignableRequest, SigningSettings};
    let identity =
        aws_credential_types::Credentials::new("AKIDEXAMPLE", "secret/key", None, None, "oracle")
            .into();
    let params = aws_sigv4::sign::v4::SigningParams::builder()
        .identity(&identity)
        .region("us-east-1")
        .name("runtime")
        .time(std::time::UNIX_EPOCH + Duration::from_secs(TIME))
        .settings(SigningSettings::default())
        .build()
        .unwrap()
        .into();
    let headers = parts
        .headers
        .iter()
        .filter(|(name, _)| !["authorization", "x-amz-date"].contains(&name.as_str()))
        .map(|(name, value)| (name.as_str(), value.to_str().unwrap()));
    let uri = parts.uri.to_string();
    let signable = SignableRequest::new(parts.method.as_str(), &uri, headers, body).unwrap();
    let (instructions, _) = sign(signable, &params).unwrap().into_parts();
    let mut request = http::Request::new(());
    instructions.apply_to_request_http1x(&mut request);
    request.headers()["authorization"].to_str().unwrap().to_string()
}

fn authorization(parts: &http::request::Parts) -> String {
    parts.headers["authorization"].to_str().unwrap().to_string()
}

/// A file of `len` bytes (a pattern) in the system's temporary directory, unique to `name`.
async fn file_of(name: &str, len: usize) -> (std::path::PathBuf, Vec<u8>) {
    let bytes: Vec<u8> = (0..len).map(|i| (i * 7 % 251) as u8).collect();
    let path = std::env::temp_dir().join(format!("client-stream-{}-{name}", std::process::id()));
    tokio::fs::write(&path, &bytes).await.unwrap();
    (path, bytes)
}

#[tokio::test]
async fn a_file_is_sent_as_it_is_read_with_its_length_and_signed_with_its_hash() {
    let (path, bytes) = file_of("signed", 300_000).await;
    let (client, seen) = capturing_client("http://127.0.0.1:1", 200, RetryConfig::disabled());
    let body = crate::byte_stream::ByteStream::from_path(&path).await.unwrap();
    soon(client.echo_stream(body).requires_length().send()).await.expect("sent");
    let seen = seen.lock().unwrap();
    let (parts, received) = &seen[0];
    assert_eq!(received, &bytes);
    assert_eq!(parts.headers["content-length"], "300000");
    let hash = {
        use sha2::Digest;
        let digest: [u8; 32] = sha2::Sha256::digest(&bytes).into();
        digest.iter().map(|b| format!("{b:02x}")).collect::<String>()
    };
    let expected =
        oracle_authorization(parts, aws_sigv4::http_request::SignableBody::Precomputed(hash));
    assert_eq!(authorization(parts), expected);
    let _ = std::fs::remove_file(path);
}

/// A stream of unknown length: `count` chunks of 1000 bytes from a `futures_core::Stream`.
fn unknown_length(count: usize) -> crate::byte_stream::ByteStream {
    struct Chunks(usize);
    impl futures_core::Stream for Chunks {
        type Item = Result<bytes::Bytes, std::io::Error>;
        fn poll_next(
            mut self: std::pin::Pin<&mut Self>,
            _: &mut std::task::Context<'_>,
        ) -> std::task::Poll<Option<Self::Item>> {
            if self.0 == 0 {
                return std::task::Poll::Ready(None);
            }
            self.0 -= 1;
            std::task::Poll::Ready(Some(Ok(bytes::Bytes::from(vec![b'x'; 1000]))))
        }
    }
    crate::byte_stream::ByteStream::from_stream(Chunks(count))
}

#[tokio::test]
async fn an_unsigned_payload_over_https_is_streamed_without_a_length() {
    let (client, seen) = capturing_client("https://example.com", 200, RetryConfig::disabled());
    soon(client.echo_stream(unknown_length(5)).unsigned_payload().send()).await.expect("sent");
    let seen = seen.lock().unwrap();
    let (parts, received) = &seen[0];
    assert_eq!(received.len(), 5000);
    assert!(!parts.headers.contains_key("content-length"));
    let expected =
        oracle_authorization(parts, aws_sigv4::http_request::SignableBody::UnsignedPayload);
    assert_eq!(authorization(parts), expected);
}

#[tokio::test]
async fn what_cannot_be_sent_as_it_streams_fails_before_sending() {
    // `@requiresLength` with a length unknown.
    let (client, seen) = capturing_client("https://example.com", 200, RetryConfig::disabled());
    let error = client.echo_stream(unknown_length(1)).requires_length().unsigned_payload().send();
    let error = soon(error).await.expect_err("refused");
    assert!(matches!(error, crate::client::SdkError::ConstructionFailure(_)), "{error:?}");
    assert!(format!("{:?}", error).contains("requiresLength"), "{error:?}");
    // A stream that is no file cannot be hashed: refused without `@unsignedPayload`, and
    // over plain http even with it.
    let error = soon(client.echo_stream(unknown_length(1)).send()).await.expect_err("refused");
    assert!(format!("{error:?}").contains("cannot be signed"), "{error:?}");
    let (http_client, http_seen) =
        capturing_client("http://example.com", 200, RetryConfig::disabled());
    let error = http_client.echo_stream(unknown_length(1)).unsigned_payload().send();
    let error = soon(error).await.expect_err("refused");
    assert!(format!("{error:?}").contains("cannot be signed"), "{error:?}");
    assert!(seen.lock().unwrap().is_empty() && http_seen.lock().unwrap().is_empty());
    // A stream in memory needs none of that.
    soon(http_client.echo_stream("in memory").requires_length().send()).await.expect("sent");
    assert_eq!(http_seen.lock().unwrap()[0].1, b"in memory");
}

#[tokio::test]
async fn a_streamed_body_is_not_retried_and_one_in_memory_is() {
    let retry = RetryConfig::standard()
        .with_max_attempts(3)
        .with_initial_backoff(Duration::from_millis(1))
        .with_max_backoff(Duration::from_millis(5));
    let (client, seen) = capturing_client("https://example.com", 500, retry);
    let error = soon(client.echo_stream(unknown_length(2)).unsigned_payload().send()).await;
    assert!(error.is_err());
    assert_eq!(seen.lock().unwrap().len(), 1, "the stream was sent once");
    seen.lock().unwrap().clear();
    let error = soon(client.echo_stream("in memory").send()).await;
    assert!(error.is_err());
    assert_eq!(seen.lock().unwrap().len(), 3, "a body in memory is sent again");
}

#[tokio::test]
async fn the_default_transport_streams_a_file_to_a_server() {
    let script = Script { head: OK_CHUNKED, first: b"done", rest: b"", break_off: false };
    let (url, release, requests) = server(script).await;
    release.store(true, Ordering::SeqCst);
    let (path, _) = file_of("hyper", 1 << 20).await;
    let client = client(&url, RetryConfig::disabled());
    let body = crate::byte_stream::ByteStream::from_path(&path).await.unwrap();
    let output = soon(client.echo_stream(body).requires_length().send()).await.expect("sent");
    // The server answers once it has read `content-length` bytes of body.
    assert_eq!(&soon(output.collect()).await.unwrap()[..], b"done");
    assert_eq!(requests.load(Ordering::SeqCst), 1);
    let _ = std::fs::remove_file(path);
}
