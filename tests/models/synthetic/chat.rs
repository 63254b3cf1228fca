// Behaviour of the crate generated from `chat.json` (sdkId "Synthetic Chat"): the generated
// streaming router served by hyper over loopback HTTP/1.1 (chunked bodies both ways), driven by
// a client written here with hyper and the runtime's frame encoder and event-stream signer (not
// the generated client), so that both directions of a bidirectional event stream are proven on
// the wire:
// - `Converse`: the client sends each message in a signed envelope (chained SigV4 event-stream
//   signatures, `STREAMING-AWS4-HMAC-SHA256-EVENTS`) and waits for the room's reply to it before
//   sending the next, while its request body is still open; the server checks each envelope
//   (the test's host puts a `MessageVerifier` in the request's extensions) and the handler's
//   replies are written as they come; the final empty envelope ends the input, and the
//   handler ends its output with the stream's modeled exception;
// - an envelope signed with another secret ends the handler's input with an error, which the
//   handler answers with an `error` message;
// - `Upload`: a streaming blob read by the handler as it arrives (the first chunk counted before
//   the client sends the second);
// - `Download`: a 1 MiB streaming blob in memory (with `Content-Length`), and one the handler
//   sends as it goes (chunked: the first chunk reaches the client before the second exists);
// - the conversation again over HTTP/2 (cleartext, prior knowledge: hyper's `http2` server and
//   client connections), as AWS requires for bidirectional streams.
//
// - the generated client against that router: its input events signed message by message and
//   checked by the host, each reply received before the next event is sent.
//
// This test, with its hyper host, is the local test server for streaming operations (the
// `cargo xtask serve` server serves the Chime model only).

use std::convert::Infallible;
use std::net::SocketAddr;
use std::pin::Pin;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::task::{Context, Poll};
use std::time::{Duration, SystemTime};

use bytes::Bytes;
use hyper_util::rt::{TokioExecutor, TokioIo};
use synthetic_chat::byte_stream::ByteStream;
use synthetic_chat::client::Credentials;
use synthetic_chat::error::Unhandled;
use synthetic_chat::event_stream::{
    EnvelopeVerifier, EventStream, HeaderValue, Message, MessageReader, MessageSigner,
    MessageVerifier,
};
use synthetic_chat::operation::converse::{ConverseError, ConverseInput, ConverseOutput};
use synthetic_chat::operation::download::{DownloadError, DownloadInput, DownloadOutput};
use synthetic_chat::operation::upload::{UploadError, UploadInput, UploadOutput};
use synthetic_chat::server::{Router, SyntheticChat};
use synthetic_chat::types::error::RoomClosed;
use synthetic_chat::types::{ClientEvents, Reply, ServerEvents, ServerEventsError};

const ACCESS_KEY: &str = "AKIDCHAT";
const SECRET: &str = "chat-secret";
const REGION: &str = "us-east-1";
const SIGNING_NAME: &str = "chat";
/// The signature of the request head, which seeds the chain of the envelopes' signatures.
const HEAD_SIGNATURE: &str = "6f1c2e0a9b8d7c6e5f4a3b2c1d0e9f8a7b6c5d4e3f2a1b0c9d8e7f6a5b4c3d2e";
const STREAMING_EVENTS: &str = "STREAMING-AWS4-HMAC-SHA256-EVENTS";
/// How long any step may take before the test fails rather than hangs.
const STEP: Duration = Duration::from_secs(10);

/// The items of a tokio channel as a `Stream`.
struct Channel<T>(tokio::sync::mpsc::Receiver<T>);

impl<T> futures_core::Stream for Channel<T> {
    type Item = T;
    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<T>> {
        self.0.poll_recv(cx)
    }
}

type Chunks = tokio::sync::mpsc::Receiver<Result<Bytes, Infallible>>;

/// The service: a room that answers each message as it arrives, and a file store.
#[derive(Clone, Default)]
struct Room {
    /// What the handler read from the input streams, in order.
    heard: Arc<Mutex<Vec<String>>>,
    /// The bytes of the upload the handler has read so far.
    uploaded: Arc<AtomicU64>,
    /// The chunks of `live.bin`, which the test hands over one at a time.
    live: Arc<Mutex<Option<Chunks>>>,
}

fn file() -> Vec<u8> {
    (0..1024 * 1024).map(|i: u32| (i % 251) as u8).collect()
}

impl SyntheticChat for Room {
    async fn converse(&self, mut input: ConverseInput) -> Result<ConverseOutput, ConverseError> {
        let nickname = input.nickname.take().unwrap_or_default();
        let mut messages = input.messages.take().unwrap_or_else(EventStream::empty);
        let (replies, outgoing) = tokio::sync::mpsc::channel(4);
        let heard = self.heard.clone();
        tokio::spawn(async move {
            let mut sequence = 0;
            let last = loop {
                match messages.recv().await {
                    Ok(Some(ClientEvents::Say(say))) => {
                        let text = say.text.unwrap_or_default();
                        heard.lock().unwrap().push(text.clone());
                        sequence += 1;
                        let reply = Reply::builder()
                            .sequence(sequence)
                            .text(format!("{nickname}: {text}"))
                            .build();
                        if replies.send(Ok(ServerEvents::Reply(reply))).await.is_err() {
                            return;
                        }
                    }
                    Ok(Some(_)) => {}
                    Ok(None) => {
                        let closed = RoomClosed::builder().message("the room is closed").build();
                        break ServerEventsError::RoomClosed(closed);
                    }
                    Err(e) => {
                        let code = Some("BadMessage".to_owned());
                        break ServerEventsError::Unhandled(Unhandled::new(
                            code,
                            Some(e.to_string()),
                        ));
                    }
                }
            };
            let _ = replies.send(Err(last)).await;
        });
        let replies = EventStream::from_stream(Channel(outgoing));
        Ok(ConverseOutput::builder().session_id("session-1").replies(replies).build())
    }

    async fn download(&self, input: DownloadInput) -> Result<DownloadOutput, DownloadError> {
        let data = match input.name.as_deref() {
            Some("live.bin") => {
                let chunks = self.live.lock().unwrap().take().expect("one live download");
                ByteStream::from_stream(Channel(chunks))
            }
            _ => ByteStream::new(file()),
        };
        Ok(DownloadOutput::builder().content_type("application/octet-stream").data(data).build())
    }

    async fn upload(&self, mut input: UploadInput) -> Result<UploadOutput, UploadError> {
        let mut body = input.body.take().expect("the request carries the body");
        let mut size = 0;
        while let Some(chunk) = body.next().await {
            let chunk = chunk.map_err(|e| {
                UploadError::Unhandled(Unhandled::new(Some("BadBody".into()), Some(e.to_string())))
            })?;
            size += chunk.len() as u64;
            self.uploaded.store(size, Ordering::SeqCst);
        }
        Ok(UploadOutput::builder().size(size as i64).build())
    }
}

/// The signature a SigV4 `Authorization` header carries.
fn head_signature(request: &http::Request<ByteStream>) -> Option<String> {
    let authorization = request.headers().get("authorization")?.to_str().ok()?;
    let (_, signature) = authorization.split_once("Signature=")?;
    Some(signature.trim().to_owned())
}

/// The HTTP version of a loopback connection.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Version {
    Http1,
    Http2,
}

/// Serves the router over loopback HTTP/1.1 or HTTP/2 (hyper), one task per connection. A request
/// signed message by message gets a verifier of its envelopes, seeded with its head's
/// signature (the head's own SigV4 check is the local server's, `local-server/src/sigv4.rs`;
/// here the envelopes' chain is what is checked).
async fn serve(room: Room, version: Version) -> SocketAddr {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let router = Arc::new(Router::new(room));
    tokio::spawn(async move {
        while let Ok((tcp, _)) = listener.accept().await {
            let router = router.clone();
            let service =
                hyper::service::service_fn(move |request: http::Request<hyper::body::Incoming>| {
                    let router = router.clone();
                    async move {
                        let mut request = request.map(ByteStream::from_body);
                        let streaming = request
                            .headers()
                            .get("x-amz-content-sha256")
                            .is_some_and(|v| v == STREAMING_EVENTS);
                        if let Some(signature) = head_signature(&request).filter(|_| streaming) {
                            let credentials =
                                Credentials::new(ACCESS_KEY, SECRET, None, None, "test");
                            let verifier =
                                MessageVerifier::new(&credentials, REGION, SIGNING_NAME, signature);
                            request.extensions_mut().insert(EnvelopeVerifier::from(verifier));
                        }
                        Ok::<_, Infallible>(router.handle(request).await)
                    }
                });
            tokio::spawn(async move {
                let io = TokioIo::new(tcp);
                let _ = match version {
                    Version::Http1 => {
                        hyper::server::conn::http1::Builder::new()
                            .serve_connection(io, service)
                            .await
                    }
                    Version::Http2 => {
                        hyper::server::conn::http2::Builder::new(TokioExecutor::new())
                            .serve_connection(io, service)
                            .await
                    }
                };
            });
        }
    });
    addr
}

/// Sends `request` on a new connection of the hand-written client; the response at its head.
async fn send(
    addr: SocketAddr,
    version: Version,
    request: http::Request<ByteStream>,
) -> http::Response<hyper::body::Incoming> {
    let tcp = tokio::net::TcpStream::connect(addr).await.unwrap();
    let io = TokioIo::new(tcp);
    let response = match version {
        Version::Http1 => {
            let (mut sender, connection) = hyper::client::conn::http1::handshake(io).await.unwrap();
            tokio::spawn(connection);
            tokio::time::timeout(STEP, sender.send_request(request)).await
        }
        Version::Http2 => {
            let (mut sender, connection) =
                hyper::client::conn::http2::handshake(TokioExecutor::new(), io).await.unwrap();
            tokio::spawn(connection);
            tokio::time::timeout(STEP, sender.send_request(request)).await
        }
    };
    response.expect("the response head in time").unwrap()
}

/// The hand-written client's side of a conversation: the request body's sender, the signer
/// of its envelopes, and the reader of the response's messages.
struct Conversation {
    body: Option<tokio::sync::mpsc::Sender<Result<Bytes, Infallible>>>,
    signer: MessageSigner,
    replies: MessageReader,
    head: http::response::Parts,
}

impl Conversation {
    async fn open(addr: SocketAddr, version: Version, secret: &str) -> Conversation {
        let (body, chunks) = tokio::sync::mpsc::channel(4);
        let authorization = format!(
            "AWS4-HMAC-SHA256 Credential={ACCESS_KEY}/20260101/{REGION}/{SIGNING_NAME}/aws4_request, \
             SignedHeaders=host;x-amz-content-sha256;x-amz-date, Signature={HEAD_SIGNATURE}"
        );
        let request = http::Request::post(format!("http://{addr}/rooms/lobby/converse"))
            .header("content-type", "application/vnd.amazon.eventstream")
            .header("x-amz-content-sha256", STREAMING_EVENTS)
            .header("x-amz-date", "20260101T000000Z")
            .header("authorization", authorization)
            .header("x-nickname", "ada")
            .body(ByteStream::from_stream(Channel(chunks)))
            .unwrap();
        // The head of the response comes before any message is sent.
        let (head, incoming) = send(addr, version, request).await.into_parts();
        let credentials = Credentials::new(ACCESS_KEY, secret, None, None, "test");
        Conversation {
            body: Some(body),
            signer: MessageSigner::new(credentials, REGION, SIGNING_NAME, HEAD_SIGNATURE),
            replies: MessageReader::new(ByteStream::from_body(incoming)),
            head,
        }
    }

    async fn send(&mut self, envelope: Message) {
        let frame = Bytes::from(envelope.encode().unwrap());
        self.body.as_ref().expect("the body is open").send(Ok(frame)).await.unwrap();
    }

    /// Sends `text` as a `say` event, in its signed envelope.
    async fn say(&mut self, text: &str) {
        let event = Message::event("say", Some("text/plain"), text.as_bytes().to_vec());
        let envelope = self.signer.sign(&event, SystemTime::now()).unwrap();
        self.send(envelope).await;
    }

    /// Sends the final empty envelope and ends the request body.
    async fn close(&mut self) {
        let envelope = self.signer.sign_end(SystemTime::now()).unwrap();
        self.send(envelope).await;
        self.body = None;
    }

    async fn next(&mut self) -> Option<Message> {
        tokio::time::timeout(STEP, self.replies.recv()).await.expect("a message in time").unwrap()
    }
}

fn text_header(message: &Message, name: &str) -> Option<String> {
    message.header(name).and_then(HeaderValue::as_str).map(str::to_owned)
}

/// Checks that `message` is the reply `sequence` with `text`.
fn assert_reply(message: &Message, sequence: i32, text: &str) {
    assert_eq!(text_header(message, ":message-type").as_deref(), Some("event"));
    assert_eq!(text_header(message, ":event-type").as_deref(), Some("reply"));
    assert_eq!(message.header("sequence"), Some(&HeaderValue::Int(sequence)));
    let payload: serde_json::Value = serde_json::from_slice(message.payload()).unwrap();
    assert_eq!(payload, serde_json::json!({ "text": text }));
}

/// A conversation: two messages, each answered before the next is sent, then the end.
async fn converse(version: Version) {
    let room = Room::default();
    let heard = room.heard.clone();
    let addr = serve(room, version).await;
    let mut chat = Conversation::open(addr, version, SECRET).await;
    assert_eq!(chat.head.status, 200);
    assert_eq!(chat.head.headers["content-type"], "application/vnd.amazon.eventstream");
    assert_eq!(chat.head.headers["x-session-id"], "session-1");
    match version {
        Version::Http1 => assert_eq!(chat.head.version, http::Version::HTTP_11),
        Version::Http2 => assert_eq!(chat.head.version, http::Version::HTTP_2),
    }
    if version == Version::Http1 {
        assert_eq!(chat.head.headers["transfer-encoding"], "chunked");
    }
    // Each reply arrives while the request body is still open: the handler read the message
    // as it arrived, and its reply reached the client before the next message was sent.
    chat.say("hello").await;
    assert_reply(&chat.next().await.expect("a reply"), 1, "ada: hello");
    assert_eq!(*heard.lock().unwrap(), ["hello"]);
    chat.say("how are you?").await;
    assert_reply(&chat.next().await.expect("a reply"), 2, "ada: how are you?");
    // The final empty envelope ends the input; the handler ends its output with the stream's
    // modeled exception.
    chat.close().await;
    let last = chat.next().await.expect("the exception");
    assert_eq!(text_header(&last, ":message-type").as_deref(), Some("exception"));
    assert_eq!(text_header(&last, ":exception-type").as_deref(), Some("roomClosed"));
    assert_eq!(last.payload(), br#"{"message":"the room is closed"}"#);
    assert!(chat.next().await.is_none(), "the response body ends");
    assert_eq!(*heard.lock().unwrap(), ["hello", "how are you?"]);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn both_directions_of_an_event_stream_over_loopback_http1() {
    converse(Version::Http1).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn both_directions_of_an_event_stream_over_loopback_http2() {
    converse(Version::Http2).await;
}

/// The generated client against the generated router, over loopback HTTP/1.1: `send()` returns
/// at the response head while the input stream is still open; each event the client sends is
/// signed in its envelope, chained to the request's own SigV4 signature (the host checks every
/// envelope with a verifier seeded by the signature it received), reaches the handler, and its
/// reply reaches the client before the next event is sent; closing the input (the final empty
/// envelope) ends the conversation with the stream's modeled exception.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_generated_client_converses_with_the_generated_router() {
    use synthetic_chat::client::{Client, Config, HyperTransport, Region, RetryConfig, TokioSleep};
    use synthetic_chat::event_stream::EventStreamError;
    use synthetic_chat::types::{ClientEventsError, Say};

    let room = Room::default();
    let heard = room.heard.clone();
    let addr = serve(room, Version::Http1).await;
    let config = Config::builder()
        .region(Region::from_static(REGION))
        .credentials(Credentials::new(ACCESS_KEY, SECRET, None, None, "test"))
        .endpoint_url(format!("http://{addr}"))
        .sleep_impl(TokioSleep::new())
        .retry_config(RetryConfig::disabled())
        .transport(HyperTransport::new().unwrap())
        .build();
    let client = Client::from_conf(config);
    let (events, said) = tokio::sync::mpsc::channel::<Result<ClientEvents, ClientEventsError>>(4);
    let call = client
        .converse()
        .room("lobby")
        .nickname("ada")
        .messages(EventStream::from_stream(Channel(said)))
        .send();
    let mut output = tokio::time::timeout(STEP, call).await.expect("the head in time").unwrap();
    assert_eq!(output.session_id.as_deref(), Some("session-1"));
    let mut replies = output.replies.take().expect("the output stream");
    for (sequence, text) in [(1, "hello"), (2, "how are you?")] {
        let say = Say::builder().text(text).build();
        events.send(Ok(ClientEvents::Say(say))).await.unwrap();
        let reply = tokio::time::timeout(STEP, replies.recv()).await.expect("a reply in time");
        match reply {
            Ok(Some(ServerEvents::Reply(reply))) => {
                assert_eq!(reply.sequence, Some(sequence));
                assert_eq!(reply.text.as_deref(), Some(format!("ada: {text}").as_str()));
            }
            other => panic!("expected reply {sequence}, got {other:?}"),
        }
        assert_eq!(heard.lock().unwrap().len(), sequence as usize, "read as it arrived");
    }
    drop(events);
    let last = tokio::time::timeout(STEP, replies.recv()).await.expect("the end in time");
    assert!(
        matches!(last, Err(EventStreamError::Service(ServerEventsError::RoomClosed(_)))),
        "{last:?}"
    );
    assert!(matches!(replies.recv().await, Ok(None)));
    assert_eq!(*heard.lock().unwrap(), ["hello", "how are you?"]);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_envelope_signed_with_another_secret_ends_the_input() {
    let room = Room::default();
    let heard = room.heard.clone();
    let addr = serve(room, Version::Http1).await;
    let mut chat = Conversation::open(addr, Version::Http1, "not-the-secret").await;
    chat.say("hello").await;
    let end = chat.next().await.expect("the error message");
    assert_eq!(text_header(&end, ":message-type").as_deref(), Some("error"));
    assert_eq!(text_header(&end, ":error-code").as_deref(), Some("BadMessage"));
    let why = text_header(&end, ":error-message").unwrap();
    assert!(why.contains("signature does not match"), "{why}");
    assert!(chat.next().await.is_none());
    assert!(heard.lock().unwrap().is_empty(), "nothing unverified reached the handler");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_streaming_blob_downloads_over_loopback_http() {
    let addr = serve(Room::default(), Version::Http1).await;
    let request = http::Request::get(format!("http://{addr}/files/report.bin"))
        .body(ByteStream::empty())
        .unwrap();
    let response = send(addr, Version::Http1, request).await;
    assert_eq!(response.status(), 200);
    assert_eq!(response.headers()["content-type"], "application/octet-stream");
    assert_eq!(response.headers()["content-length"], "1048576");
    let mut body = ByteStream::from_body(response.into_body());
    let mut received = Vec::new();
    while let Some(chunk) = tokio::time::timeout(STEP, body.next()).await.unwrap() {
        received.extend_from_slice(&chunk.unwrap());
    }
    assert_eq!(received.len(), file().len());
    assert!(received == file(), "the bytes sent");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_streaming_blob_upload_is_read_as_it_arrives() {
    let room = Room::default();
    let uploaded = room.uploaded.clone();
    let addr = serve(room, Version::Http1).await;
    let (chunks, body) = tokio::sync::mpsc::channel::<Result<Bytes, Infallible>>(2);
    let request = http::Request::put(format!("http://{addr}/files/notes.bin"))
        .body(ByteStream::from_stream(Channel(body)))
        .unwrap();
    let response = tokio::spawn(async move { send(addr, Version::Http1, request).await });
    chunks.send(Ok(Bytes::from(vec![1; 65536]))).await.unwrap();
    // The handler has read the first chunk while the second is not sent yet.
    let start = std::time::Instant::now();
    while uploaded.load(Ordering::SeqCst) < 65536 {
        assert!(start.elapsed() < STEP, "the first chunk reaches the handler");
        tokio::time::sleep(Duration::from_millis(5)).await;
    }
    chunks.send(Ok(Bytes::from(vec![2; 1000]))).await.unwrap();
    drop(chunks);
    let response = response.await.unwrap();
    assert_eq!(response.status(), 200);
    assert_eq!(response.headers()["x-size"], "66536");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_streaming_blob_download_is_sent_as_it_goes() {
    let room = Room::default();
    let (chunks, live) = tokio::sync::mpsc::channel(2);
    *room.live.lock().unwrap() = Some(live);
    let addr = serve(room, Version::Http1).await;
    let request = http::Request::get(format!("http://{addr}/files/live.bin"))
        .body(ByteStream::empty())
        .unwrap();
    // The head comes before any byte of the file exists.
    let response = send(addr, Version::Http1, request).await;
    assert_eq!(response.status(), 200);
    assert!(response.headers().get("content-length").is_none());
    assert_eq!(response.headers()["transfer-encoding"], "chunked");
    let mut body = ByteStream::from_body(response.into_body());
    chunks.send(Ok(Bytes::from_static(b"first chunk"))).await.unwrap();
    let first = tokio::time::timeout(STEP, body.next()).await.unwrap().unwrap().unwrap();
    assert_eq!(&first[..], b"first chunk");
    chunks.send(Ok(Bytes::from_static(b", then the rest"))).await.unwrap();
    drop(chunks);
    let mut rest = Vec::new();
    while let Some(chunk) = tokio::time::timeout(STEP, body.next()).await.unwrap() {
        rest.extend_from_slice(&chunk.unwrap());
    }
    assert_eq!(rest, b", then the rest");
}
