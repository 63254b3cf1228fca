//! An input event stream sent by the client (the runtime's stand-in `echo_events`, through
//! `orchestrate` and the default hyper transport) to a loopback HTTP/1.1 server that reads its
//! frames as they come: the request signed with `STREAMING-AWS4-HMAC-SHA256-EVENTS`, each event
//! signed and chained to the request's signature, the final empty signed frame, then the end of
//! the body. The frames are checked by the runtime's verifier and against `aws-sigv4`'s
//! event-stream signer (fixed keys and time), and the second event is only produced once the
//! server has verified the first (so the body is sent as the events come, not gathered).

use std::future::Future;
use std::pin::Pin;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::task::{Context, Poll};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use aws_sigv4::event_stream::{sign_empty_message, sign_message};
use aws_sigv4::sign::v4;
use tokio::io::{AsyncReadExt, AsyncWriteExt};

use crate::client::{
    Client, Config, Credentials, HyperTransport, Region, RetryConfig, StaticTimeSource, TokioSleep,
};
use crate::event_stream::{Decoder, EventStream, Message, MessageVerifier};

const SECRET: &str = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY";
const TIME: u64 = 1_767_323_045;

fn credentials() -> Credentials {
    Credentials::new("AKIDEXAMPLE", SECRET, None, None, "test")
}

/// What the server saw: the request head (lowercase), and each envelope with what the
/// verifier made of it (the inner message; `None` for the final one).
struct Seen {
    head: String,
    envelopes: Vec<(Message, Option<Message>)>,
}

/// A server for one request: verifies each frame as it arrives (setting `first` after the
/// first event), answers `200 ok` once the final frame and the end of the body are in.
async fn server(first: Arc<AtomicBool>) -> (String, tokio::task::JoinHandle<Seen>) {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    let task = tokio::spawn(async move {
        let (mut socket, _) = listener.accept().await.unwrap();
        let mut data = Vec::new();
        let mut buf = [0u8; 4096];
        let start = loop {
            if let Some(at) = data.windows(4).position(|w| w == b"\r\n\r\n") {
                break at + 4;
            }
            let n = socket.read(&mut buf).await.unwrap();
            assert!(n > 0, "the request head ended early");
            data.extend_from_slice(&buf[..n]);
        };
        let head = String::from_utf8_lossy(&data[..start]).to_lowercase();
        let seed = head.split("signature=").nth(1).unwrap()[..64].to_string();
        let mut verifier = MessageVerifier::new(&credentials(), "us-east-1", "runtime", seed);
        let mut decoder = Decoder::new();
        let mut envelopes = Vec::new();
        // The chunked body, parsed as it arrives; each chunk's bytes go to the decoder.
        let mut pending = data[start..].to_vec();
        loop {
            let line_end = loop {
                if let Some(at) = pending.windows(2).position(|w| w == b"\r\n") {
                    break at;
                }
                let n = socket.read(&mut buf).await.unwrap();
                assert!(n > 0, "the body ended inside a chunk");
                pending.extend_from_slice(&buf[..n]);
            };
            let size = std::str::from_utf8(&pending[..line_end]).unwrap();
            let size = usize::from_str_radix(size.trim(), 16).unwrap();
            while pending.len() < line_end + 2 + size + 2 {
                let n = socket.read(&mut buf).await.unwrap();
                assert!(n > 0, "the body ended inside a chunk");
                pending.extend_from_slice(&buf[..n]);
            }
            let chunk = pending[line_end + 2..line_end + 2 + size].to_vec();
            pending.drain(..line_end + 2 + size + 2);
            if size == 0 {
                break; // the end of the body
            }
            let mut input = &chunk[..];
            while let Some(envelope) = decoder.decode(&mut input).unwrap() {
                let verified = verifier.verify(&envelope).expect("a valid signature");
                if verified.message.is_some() {
                    first.store(true, Ordering::SeqCst);
                }
                envelopes.push((envelope, verified.message));
            }
        }
        decoder.finish().expect("the body ends between messages");
        assert!(verifier.is_ended(), "the final empty frame was sent");
        socket.write_all(b"HTTP/1.1 200 OK\r\ncontent-length: 2\r\n\r\nok").await.unwrap();
        Seen { head, envelopes }
    });
    (url, task)
}

/// "hello" at once, then "world" once `first` is set (the server has verified "hello").
struct Gated {
    first: Arc<AtomicBool>,
    sent: usize,
    wait: Option<Pin<Box<tokio::time::Sleep>>>,
}

impl futures_core::Stream for Gated {
    type Item = Result<String, crate::error::Unhandled>;

    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        match self.sent {
            0 => {
                self.sent = 1;
                Poll::Ready(Some(Ok("hello".into())))
            }
            1 => loop {
                if self.first.load(Ordering::SeqCst) {
                    self.sent = 2;
                    return Poll::Ready(Some(Ok("world".into())));
                }
                let wait = self
                    .wait
                    .get_or_insert_with(|| Box::pin(tokio::time::sleep(Duration::from_millis(5))));
                std::task::ready!(wait.as_mut().poll(cx));
                self.wait = None;
            },
            _ => Poll::Ready(None),
        }
    }
}

/// The envelopes `aws-sigv4` signs for `messages` (then the final empty one) at `time`,
/// chained from `seed`.
fn reference_envelopes(messages: &[Message], seed: &str, time: SystemTime) -> Vec<Vec<u8>> {
    let identity =
        aws_credential_types::Credentials::new("AKIDEXAMPLE", SECRET, None, None, "test").into();
    let params = v4::SigningParams::builder()
        .identity(&identity)
        .region("us-east-1")
        .name("runtime")
        .time(time)
        .settings(())
        .build()
        .unwrap();
    let mut last = seed.to_owned();
    let mut out = Vec::new();
    for i in 0..=messages.len() {
        let output = match messages.get(i) {
            Some(message) => {
                let bytes = message.encode().unwrap();
                let inner =
                    aws_smithy_eventstream::frame::read_message_from(&mut &bytes[..]).unwrap();
                sign_message(&inner, &last, &params).unwrap()
            }
            None => sign_empty_message(&last, &params).unwrap(),
        };
        let (envelope, signature) = output.into_parts();
        let mut bytes = Vec::new();
        aws_smithy_eventstream::frame::write_message_to(&envelope, &mut bytes).unwrap();
        out.push(bytes);
        last = signature;
    }
    out
}

#[tokio::test]
async fn input_events_are_signed_chained_and_sent_as_they_come() {
    let first = Arc::new(AtomicBool::new(false));
    let (url, seen) = server(first.clone()).await;
    let time = UNIX_EPOCH + Duration::from_secs(TIME);
    let config = Config::builder()
        .region(Region::from_static("us-east-1"))
        .credentials(credentials())
        .endpoint_url(url)
        .transport(HyperTransport::new().unwrap())
        .sleep_impl(TokioSleep::new())
        .time_source(StaticTimeSource::new(time))
        .retry_config(RetryConfig::disabled())
        .build();
    let client = Client::from_conf(config);
    let events = EventStream::from_stream(Gated { first, sent: 0, wait: None });
    let call = client.echo_events(events).send();
    let output = tokio::time::timeout(Duration::from_secs(10), call).await.expect("in time");
    assert_eq!(output.expect("the output").as_ref(), b"ok");
    let seen = seen.await.unwrap();
    assert!(seen.head.contains("x-amz-content-sha256: streaming-aws4-hmac-sha256-events"));
    assert!(seen.head.contains("transfer-encoding: chunked"), "{}", seen.head);
    let inner: Vec<Option<Vec<u8>>> =
        seen.envelopes.iter().map(|(_, m)| m.as_ref().map(|m| m.payload().to_vec())).collect();
    assert_eq!(inner, [Some(b"hello".to_vec()), Some(b"world".to_vec()), None]);
    // Byte for byte what aws-sigv4 signs, from the request's signature.
    let seed = seen.head.split("signature=").nth(1).unwrap()[..64].to_string();
    let messages: Vec<Message> = ["hello", "world"]
        .iter()
        .map(|t| Message::event("Text", Some("text/plain"), t.as_bytes().to_vec()))
        .collect();
    let ours: Vec<Vec<u8>> = seen.envelopes.iter().map(|(e, _)| e.encode().unwrap()).collect();
    assert_eq!(ours, reference_envelopes(&messages, &seed, time));
}
