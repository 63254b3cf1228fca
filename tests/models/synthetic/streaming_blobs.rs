// Behaviour of the client generated from `streaming_blobs.json` (sdkId "Synthetic Blobs"):
// `@streaming` blob payloads are `ByteStream`s. A download returns at the response's head (its
// header members read), its body read as it arrives; an upload from a file is sent as the file
// is read, with its `Content-Length` (`@requiresLength`); a stream of unknown length is refused
// before sending under `@requiresLength`, and for want of a hash to sign without
// `@unsignedPayload` over https; with it, it is sent chunked. Through the default transport
// against a loopback HTTP/1.1 server, and a capturing transport for https; the sans-IO reader
// and writer hold a stream in memory.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use synthetic_blobs::byte_stream::ByteStream;
use synthetic_blobs::client::{
    Client, Config, Credentials, HyperTransport, Region, RetryConfig, SdkError,
    StreamingTransportFuture, TokioSleep, Transport, TransportError, TransportFuture,
};
use synthetic_blobs::operation::download::Download;
use synthetic_blobs::operation::speak::SpeakInput;
use tokio::io::{AsyncReadExt, AsyncWriteExt};

/// What the loopback server received: each request's head (lowercase) and body.
type Received = Arc<Mutex<Vec<(String, Vec<u8>)>>>;

/// A loopback server: reads each request (a body by `content-length`), answers with `head`
/// and the chunk `first`, then, once `release` is set, the chunk `rest` and the end.
async fn server(
    head: &'static str,
    first: &'static [u8],
    rest: &'static [u8],
) -> (String, Arc<AtomicBool>, Received) {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    let release = Arc::new(AtomicBool::new(false));
    let received = Received::default();
    let (flag, log) = (release.clone(), received.clone());
    tokio::spawn(async move {
        while let Ok((mut socket, _)) = listener.accept().await {
            let (flag, log) = (flag.clone(), log.clone());
            tokio::spawn(async move {
                let mut data = Vec::new();
                let mut buf = vec![0u8; 64 * 1024];
                let start = loop {
                    if let Some(at) = data.windows(4).position(|w| w == b"\r\n\r\n") {
                        break at + 4;
                    }
                    match socket.read(&mut buf).await {
                        Ok(0) | Err(_) => return,
                        Ok(n) => data.extend_from_slice(&buf[..n]),
                    }
                };
                let request_head = String::from_utf8_lossy(&data[..start]).to_lowercase();
                let length = request_head
                    .lines()
                    .find_map(|l| l.strip_prefix("content-length:"))
                    .and_then(|v| v.trim().parse::<usize>().ok())
                    .unwrap_or(0);
                while data.len() < start + length {
                    match socket.read(&mut buf).await {
                        Ok(0) | Err(_) => return,
                        Ok(n) => data.extend_from_slice(&buf[..n]),
                    }
                }
                log.lock().unwrap().push((request_head, data[start..].to_vec()));
                let mut out = head.as_bytes().to_vec();
                out.extend_from_slice(format!("{:x}\r\n", first.len()).as_bytes());
                out.extend_from_slice(first);
                out.extend_from_slice(b"\r\n");
                if socket.write_all(&out).await.is_err() {
                    return;
                }
                while !flag.load(Ordering::SeqCst) {
                    tokio::time::sleep(Duration::from_millis(5)).await;
                }
                let mut out = Vec::new();
                if !rest.is_empty() {
                    out.extend_from_slice(format!("{:x}\r\n", rest.len()).as_bytes());
                    out.extend_from_slice(rest);
                    out.extend_from_slice(b"\r\n");
                }
                out.extend_from_slice(b"0\r\n\r\n");
                let _ = socket.write_all(&out).await;
            });
        }
    });
    (url, release, received)
}

fn config(url: &str) -> synthetic_blobs::client::ConfigBuilder {
    Config::builder()
        .region(Region::from_static("us-east-1"))
        .credentials(Credentials::new("AKIDTEST", "secret", None, None, "test"))
        .endpoint_url(url)
        .sleep_impl(TokioSleep::new())
        .retry_config(RetryConfig::disabled())
}

fn loopback_client(url: &str) -> Client {
    Client::from_conf(config(url).transport(HyperTransport::new().unwrap()).build())
}

async fn soon<F: std::future::Future>(future: F) -> F::Output {
    tokio::time::timeout(Duration::from_secs(10), future).await.expect("within 10 s")
}

#[tokio::test]
async fn a_download_returns_at_the_head_and_its_body_is_read_as_it_arrives() {
    let head = "HTTP/1.1 200 OK\r\ncontent-type: video/mp4\r\nx-amz-version: 7\r\ntransfer-encoding: chunked\r\n\r\n";
    let (url, release, received) = server(head, b"first bytes", b", then the rest").await;
    let client = loopback_client(&url);
    let mut output = soon(client.download().key("movie").send()).await.expect("the head");
    assert_eq!(output.content_type(), Some("video/mp4"));
    assert_eq!(output.version(), Some("7"));
    // The first chunk is readable while the server still holds back the rest.
    let first = soon(output.body.next()).await.expect("a chunk").expect("read");
    assert_eq!(&first[..], b"first bytes");
    assert!(!release.load(Ordering::SeqCst));
    release.store(true, Ordering::SeqCst);
    let mut rest = Vec::new();
    soon(output.body.into_async_read().read_to_end(&mut rest)).await.expect("the rest");
    assert_eq!(rest, b", then the rest");
    assert!(received.lock().unwrap()[0].0.starts_with("get /objects/movie http/1.1"));
}

#[tokio::test]
async fn a_download_error_is_read_whole_and_typed() {
    let head = "HTTP/1.1 404 Not Found\r\nx-amzn-errortype: NoSuchObject\r\ncontent-type: application/json\r\ntransfer-encoding: chunked\r\n\r\n";
    let (url, release, _) = server(head, b"{\"message\":", b"\"gone\"}").await;
    release.store(true, Ordering::SeqCst);
    let error = soon(loopback_client(&url).download().key("k").send()).await.expect_err("404");
    let SdkError::ServiceError(error) = error else { panic!("{error:?}") };
    let synthetic_blobs::operation::download::DownloadError::NoSuchObject(e) = error.err() else {
        panic!("{error:?}")
    };
    assert_eq!(e.message(), Some("gone"));
}

#[tokio::test]
async fn an_upload_sends_a_file_as_it_reads_it_with_its_length() {
    let bytes: Vec<u8> = (0..(3 << 20)).map(|i: u32| (i % 253) as u8).collect();
    let path = std::env::temp_dir().join(format!("streaming-blobs-{}", std::process::id()));
    tokio::fs::write(&path, &bytes).await.unwrap();
    let head = "HTTP/1.1 200 OK\r\nx-amz-size: 3145728\r\ntransfer-encoding: chunked\r\n\r\n";
    let (url, release, received) = server(head, b"", b"").await;
    release.store(true, Ordering::SeqCst);
    let body = ByteStream::from_path(&path).await.unwrap();
    let output = soon(loopback_client(&url).upload().key("big").body(body).send()).await;
    assert_eq!(output.expect("stored").size(), Some(3 << 20));
    let received = received.lock().unwrap();
    let (request_head, body) = &received[0];
    assert!(request_head.contains("content-length: 3145728"), "{request_head}");
    assert!(request_head.contains("content-type: application/octet-stream"), "{request_head}");
    assert!(request_head.contains("authorization: aws4-hmac-sha256"), "{request_head}");
    assert!(body == &bytes, "the file arrived whole");
    let _ = std::fs::remove_file(path);
}

/// A stream of unknown length (`n` chunks).
fn unknown_length(n: usize) -> ByteStream {
    let (reader, mut writer) = tokio::io::duplex(1024);
    tokio::spawn(async move {
        for _ in 0..n {
            if writer.write_all(b"0123456789").await.is_err() {
                return;
            }
        }
    });
    ByteStream::from_reader(reader)
}

/// The head and body of each request a [`Capture`] received.
type Sent = Arc<Mutex<Vec<(http::request::Parts, Vec<u8>)>>>;

/// A transport recording each request's head and body (read as it streams in), answering 200.
#[derive(Clone, Default)]
struct Capture(Sent);

impl Transport for Capture {
    fn send(&self, _request: http::Request<Vec<u8>>) -> TransportFuture<'_> {
        Box::pin(std::future::ready(Err(TransportError::other("sent through send_streaming"))))
    }

    fn send_streaming(&self, request: http::Request<ByteStream>) -> StreamingTransportFuture<'_> {
        Box::pin(async move {
            let (parts, body) = request.into_parts();
            let body = body.collect().await.map_err(TransportError::io)?;
            self.0.lock().unwrap().push((parts, body.to_vec()));
            Ok(http::Response::new(ByteStream::from("reply")))
        })
    }
}

#[tokio::test]
async fn streams_that_cannot_be_sent_are_refused_before_sending() {
    let capture = Capture::default();
    let client = Client::from_conf(config("https://blobs.example.com").transport(capture.clone()).build());
    // `@requiresLength`, length unknown.
    let error = soon(client.upload().key("k").body(unknown_length(3)).send()).await.expect_err("");
    assert!(matches!(error, SdkError::ConstructionFailure(_)), "{error:?}");
    // `@unsignedPayload` over plain http: no hash to sign with.
    let plain = Client::from_conf(config("http://blobs.example.com").transport(capture.clone()).build());
    let error = soon(plain.speak().audio(unknown_length(3)).send()).await.expect_err("");
    assert!(format!("{error:?}").contains("cannot be signed"), "{error:?}");
    assert!(capture.0.lock().unwrap().is_empty(), "nothing was sent");
}

#[tokio::test]
async fn an_unsigned_payload_is_streamed_over_https_without_a_length() {
    let capture = Capture::default();
    let client = Client::from_conf(config("https://blobs.example.com").transport(capture.clone()).build());
    let output = soon(client.speak().audio(unknown_length(100)).send()).await.expect("sent");
    let reply = output.audio.expect("the audio").collect().await.unwrap();
    assert_eq!(&reply[..], b"reply");
    let sent = capture.0.lock().unwrap();
    let (parts, body) = &sent[0];
    assert_eq!(body.len(), 1000);
    assert!(!parts.headers.contains_key("content-length"));
    assert_eq!(parts.headers["content-type"], "audio/l16");
    assert!(parts.headers.contains_key("authorization"));
}

#[test]
fn the_sans_io_writer_and_reader_hold_a_stream_in_memory() {
    // A stream in memory is the request body; the whole-response reader gives the body as one.
    let input = SpeakInput::builder().audio(ByteStream::from("pcm")).build();
    let tokens = synthetic_blobs::primitives::FixedTokens::new(["t"]);
    let request =
        synthetic_blobs::operation::speak::Speak::serialize_request(&input, "https://h", &tokens)
            .unwrap();
    assert_eq!(request.body(), b"pcm");
    assert_eq!(request.headers()["content-type"], "audio/l16");
    let response = http::Response::builder().status(200).body(b"bytes".to_vec()).unwrap();
    let output = Download::deserialize_response(&response).unwrap();
    assert_eq!(output.body.bytes(), Some(&b"bytes"[..]));
}
