//! The server's event-stream bodies (`event_stream/server.rs`): `EventStreamBody` read back by
//! the official Rust SDK's decoder (`aws-smithy-eventstream`), one message per frame, ending
//! with an exception or an error message; and the signed envelopes of a request, written by
//! `aws-sigv4`'s event-stream signer, opened (unverified, or checked by the host's verifier)
//! into the messages an `EventStream` reads.

use std::pin::Pin;
use std::task::{Context, Poll};
use std::time::{Duration, UNIX_EPOCH};

use aws_smithy_eventstream::frame::read_message_from;
use aws_smithy_types::event_stream as aws;
use http_body::Body;

use crate::byte_stream::ByteStream;
use crate::error::{DeserializeError, RequestError};
use crate::event_stream::{
    open_request_messages, EnvelopeVerifier, EventStream, EventStreamBody, Kind, Message,
    Unmarshalled,
};

#[derive(Debug, PartialEq)]
enum Event {
    Text(String),
    Unwritable,
}

#[derive(Debug, PartialEq)]
struct Boom(String);

fn marshal(event: &Event) -> Result<Message, RequestError> {
    match event {
        Event::Text(text) => {
            Ok(Message::event("text", Some("text/plain"), text.clone().into_bytes()))
        }
        Event::Unwritable => Err(RequestError::invalid_value("unwritable".into())),
    }
}

fn marshal_exception(boom: &Boom) -> Message {
    Message::exception("boom", "text/plain", boom.0.clone().into_bytes())
}

fn unmarshal(
    message: &Message,
    kind: Kind<'_>,
) -> Result<Unmarshalled<Event, Boom>, DeserializeError> {
    let text = String::from_utf8(message.payload().to_vec()).unwrap();
    Ok(match kind {
        Kind::Event { .. } => Unmarshalled::Event(Event::Text(text)),
        Kind::Exception { .. } => Unmarshalled::Exception(Boom(text)),
        Kind::Error { .. } => Unmarshalled::Skip,
    })
}

/// A `Stream` over an iterator.
struct Iter<I>(I);

impl<I: Iterator + Unpin> futures_core::Stream for Iter<I> {
    type Item = I::Item;
    fn poll_next(mut self: Pin<&mut Self>, _: &mut Context<'_>) -> Poll<Option<I::Item>> {
        Poll::Ready(self.0.next())
    }
}

fn block_on<F: std::future::Future>(future: F) -> F::Output {
    tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap().block_on(future)
}

/// Each data frame of `body`, read by `aws-smithy-eventstream` as one whole message: its
/// string headers and its payload as text.
fn frames(body: EventStreamBody<Event, Boom>) -> Vec<(Vec<(String, String)>, String)> {
    let mut body = Box::pin(body);
    let mut out = Vec::new();
    while let Some(frame) = block_on(std::future::poll_fn(|cx| body.as_mut().poll_frame(cx))) {
        let data = frame.unwrap().into_data().unwrap();
        let mut bytes = &data[..];
        let message = read_message_from(&mut bytes).expect("aws-smithy-eventstream reads it");
        assert!(bytes.is_empty(), "one message per frame");
        let headers = message
            .headers()
            .iter()
            .map(|h| {
                (h.name().as_str().to_owned(), h.value().as_string().unwrap().as_str().to_owned())
            })
            .collect();
        out.push((headers, String::from_utf8(message.payload().to_vec()).unwrap()));
    }
    assert!(body.is_end_stream());
    out
}

fn header<'a>(headers: &'a [(String, String)], name: &str) -> Option<&'a str> {
    headers.iter().find(|(n, _)| n == name).map(|(_, v)| v.as_str())
}

fn body_of(items: Vec<Result<Event, Boom>>) -> EventStreamBody<Event, Boom> {
    EventStreamBody::new(
        EventStream::from_stream(Iter(items.into_iter())),
        marshal,
        marshal_exception,
    )
}

#[test]
fn each_event_is_a_frame_and_the_end_ends_the_body() {
    let written = frames(body_of(vec![Ok(Event::Text("a".into())), Ok(Event::Text("b".into()))]));
    assert_eq!(written.len(), 2);
    for ((headers, payload), text) in written.iter().zip(["a", "b"]) {
        assert_eq!(header(headers, ":message-type"), Some("event"));
        assert_eq!(header(headers, ":event-type"), Some("text"));
        assert_eq!(payload, text);
    }
    // Events in memory too.
    let memory = EventStream::from_events([Event::Text("c".into())]);
    assert_eq!(frames(EventStreamBody::new(memory, marshal, marshal_exception)).len(), 1);
    assert!(frames(body_of(Vec::new())).is_empty());
}

#[test]
fn an_exception_ends_the_body_with_an_exception_message() {
    let written = frames(body_of(vec![
        Ok(Event::Text("a".into())),
        Err(Boom("late".into())),
        Ok(Event::Text("never".into())),
    ]));
    assert_eq!(written.len(), 2);
    assert_eq!(header(&written[1].0, ":message-type"), Some("exception"));
    assert_eq!(header(&written[1].0, ":exception-type"), Some("boom"));
    assert_eq!(written[1].1, "late");
}

#[test]
fn an_event_that_cannot_be_written_ends_the_body_with_an_error_message() {
    let written = frames(body_of(vec![
        Ok(Event::Text("a".into())),
        Ok(Event::Unwritable),
        Ok(Event::Text("never".into())),
    ]));
    assert_eq!(written.len(), 2);
    assert_eq!(header(&written[1].0, ":message-type"), Some("error"));
    assert_eq!(header(&written[1].0, ":error-code"), Some("InternalFailure"));
    // A stream read from a body that fails: an error message too.
    let broken = EventStream::from_message_bytes(vec![0, 0, 0, 99, 1], unmarshal);
    let written = frames(EventStreamBody::new(broken, marshal, marshal_exception));
    assert_eq!(written.len(), 1);
    assert_eq!(header(&written[0].0, ":error-code"), Some("InternalFailure"));
}

const SEED: &str = "4b1d3a5e0f3cc0a37e6bd1fa37d1a2b98e4b5f1c8d0ea0c9c85a5ad2a1bde0ad";

/// Envelopes signed by `aws-sigv4`'s event-stream signer around `texts` (events), then the
/// final empty envelope, encoded by `aws-smithy-eventstream`.
fn signed(texts: &[&str]) -> Vec<u8> {
    use aws_sigv4::event_stream::{sign_empty_message, sign_message};
    use aws_sigv4::sign::v4;
    let identity =
        aws_credential_types::Credentials::new("AKID", "secret", None, None, "test").into();
    let mut last = SEED.to_owned();
    let mut out = Vec::new();
    let params = |i: u64| {
        v4::SigningParams::builder()
            .identity(&identity)
            .region("us-east-1")
            .name("svc")
            .time(UNIX_EPOCH + Duration::from_secs(1_700_000_000 + i))
            .settings(())
            .build()
            .unwrap()
    };
    for (i, text) in texts.iter().enumerate() {
        let inner = aws::Message::new_from_parts(
            vec![
                aws::Header::new(":message-type", aws::HeaderValue::String("event".into())),
                aws::Header::new(":event-type", aws::HeaderValue::String("text".into())),
            ],
            text.as_bytes().to_vec(),
        );
        let (envelope, signature) =
            sign_message(&inner, &last, &params(i as u64)).unwrap().into_parts();
        aws_smithy_eventstream::frame::write_message_to(&envelope, &mut out).unwrap();
        last = signature;
    }
    let (end, _) = sign_empty_message(&last, &params(99)).unwrap().into_parts();
    aws_smithy_eventstream::frame::write_message_to(&end, &mut out).unwrap();
    out
}

/// The events and the end of a request carrying `body`, with `X-Amz-Content-Sha256` `sha`
/// and `verifier` in its extensions.
fn open(
    body: Vec<u8>,
    sha: &str,
    verifier: Option<EnvelopeVerifier>,
) -> (Vec<Event>, Option<String>) {
    let mut request =
        http::Request::post("/").header("x-amz-content-sha256", sha).body(()).unwrap();
    if let Some(verifier) = verifier {
        request.extensions_mut().insert(verifier);
    }
    let (mut parts, ()) = request.into_parts();
    // In chunks of 5 bytes: envelopes are opened across chunk boundaries.
    let chunks: Vec<Result<bytes::Bytes, std::io::Error>> =
        body.chunks(5).map(|c| Ok(bytes::Bytes::copy_from_slice(c))).collect();
    let body = open_request_messages(&mut parts, ByteStream::from_stream(Iter(chunks.into_iter())));
    let mut stream = EventStream::from_body(body, unmarshal);
    block_on(async move {
        let mut events = Vec::new();
        loop {
            match stream.recv().await {
                Ok(Some(event)) => events.push(event),
                Ok(None) => return (events, None),
                Err(e) => return (events, Some(format!("{e:?}"))),
            }
        }
    })
}

const STREAMING: &str = "STREAMING-AWS4-HMAC-SHA256-EVENTS";

#[test]
fn signed_envelopes_are_opened_and_checked_in_order() {
    let texts = |events: &[Event]| -> Vec<String> {
        events
            .iter()
            .map(|e| match e {
                Event::Text(t) => t.clone(),
                other => format!("{other:?}"),
            })
            .collect()
    };
    let (events, end) = open(signed(&["a", "b"]), STREAMING, None);
    assert_eq!(texts(&events), ["a", "b"]);
    assert_eq!(end, None);
    // The host's verifier sees every envelope, the final empty one included.
    let seen = std::sync::Arc::new(std::sync::Mutex::new(Vec::new()));
    let log = seen.clone();
    let verifier = EnvelopeVerifier::new(move |envelope: &Message| {
        log.lock().unwrap().push(envelope.payload().len());
        Ok(())
    });
    let (events, end) = open(signed(&["a", "b"]), STREAMING, Some(verifier));
    assert_eq!((texts(&events), end), (vec!["a".to_owned(), "b".to_owned()], None));
    let seen = seen.lock().unwrap().clone();
    assert_eq!(seen.len(), 3);
    assert_eq!(seen[2], 0);
    // A verifier refusing the second envelope ends the stream there.
    let mut count = 0;
    let refusing = EnvelopeVerifier::new(move |_: &Message| {
        count += 1;
        if count == 2 {
            Err("refused".into())
        } else {
            Ok(())
        }
    });
    let (events, end) = open(signed(&["a", "b"]), STREAMING, Some(refusing));
    assert_eq!(texts(&events), ["a"]);
    assert!(end.unwrap().contains("refused"));
}

#[test]
fn what_a_signed_stream_refuses() {
    // Bytes after the final empty envelope.
    let mut body = signed(&["a"]);
    body.extend(signed(&["b"]));
    let (events, end) = open(body, STREAMING, None);
    assert_eq!(events, [Event::Text("a".into())]);
    assert!(end.unwrap().contains("after the final empty message"));
    // No final empty envelope.
    let full = signed(&["a"]);
    let first = u32::from_be_bytes([full[0], full[1], full[2], full[3]]) as usize;
    let (events, end) = open(full[..first].to_vec(), STREAMING, None);
    assert_eq!(events, [Event::Text("a".into())]);
    assert!(end.unwrap().contains("without the final empty message"));
    // A plain message where an envelope is due.
    let plain = Message::event("text", None, b"a".to_vec()).encode().unwrap();
    let (events, end) = open(plain.clone(), STREAMING, None);
    assert!(events.is_empty());
    assert!(end.unwrap().contains(":chunk-signature"));
    // Not signed message by message: the body is the messages themselves.
    let (events, end) = open(plain, "UNSIGNED-PAYLOAD", None);
    assert_eq!((events, end), (vec![Event::Text("a".into())], None));
}
