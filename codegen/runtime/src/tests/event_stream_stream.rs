//! `EventStream` (`event_stream/stream.rs`): the dispatch of messages by their headers, over
//! bodies whose frames are written by the official Rust SDK's encoder (`aws-smithy-eventstream`),
//! in memory and (with `client` or `server`) as a body arriving in chunks of any size; events
//! in memory and from a `Stream`.

use aws_smithy_eventstream::frame::write_message_to;
use aws_smithy_types::event_stream as aws;

use crate::error::DeserializeError;
use crate::event_stream::{
    EventStream, EventStreamError, FrameError, Kind, Message, MessageError, Unmarshalled,
};

/// The events of the test stream: a known member with its payload as text, or an unknown one.
#[derive(Debug, PartialEq)]
enum Event {
    Text(String),
    Unknown,
}

/// Its modeled exception.
#[derive(Debug, PartialEq)]
struct Boom(String);

/// The unmarshaller a generated crate would have: `text` events, the `boom` exception.
fn unmarshal(
    message: &Message,
    kind: Kind<'_>,
) -> Result<Unmarshalled<Event, Boom>, DeserializeError> {
    let text = || {
        String::from_utf8(message.payload().to_vec())
            .map_err(|_| DeserializeError::new("not UTF-8"))
    };
    Ok(match kind {
        Kind::Event { event_type: "text" } => Unmarshalled::Event(Event::Text(text()?)),
        Kind::Event { .. } => Unmarshalled::Event(Event::Unknown),
        Kind::Exception { exception_type: "boom" } => Unmarshalled::Exception(Boom(text()?)),
        Kind::Exception { exception_type } => {
            return Err(DeserializeError::new(format!("unknown exception {exception_type}")))
        }
        Kind::Error { .. } => Unmarshalled::Skip,
    })
}

/// A frame written by `aws-smithy-eventstream` with these string headers and payload.
fn frame(headers: &[(&str, &str)], payload: &str) -> Vec<u8> {
    let headers = headers
        .iter()
        .map(|(name, value)| {
            aws::Header::new(name.to_string(), aws::HeaderValue::String(value.to_string().into()))
        })
        .collect();
    let message = aws::Message::new_from_parts(headers, payload.as_bytes().to_vec());
    let mut out = Vec::new();
    write_message_to(&message, &mut out).expect("aws-smithy-eventstream encodes");
    out
}

fn event(event_type: &str, payload: &str) -> Vec<u8> {
    frame(&[(":message-type", "event"), (":event-type", event_type)], payload)
}

/// Runs a future on a current-thread tokio runtime.
fn block_on<F: std::future::Future>(future: F) -> F::Output {
    tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap().block_on(future)
}

type Outcome = (Vec<Event>, Option<EventStreamError<Boom>>);

/// Every event of `stream`, and the error that ended it; checks nothing follows the end.
async fn drain(mut stream: EventStream<Event, Boom>) -> Outcome {
    let mut events = Vec::new();
    loop {
        match stream.recv().await {
            Ok(Some(event)) => events.push(event),
            Ok(None) => break (events, None),
            Err(e) => {
                assert!(stream.recv().await.unwrap().is_none(), "nothing after an error");
                break (events, Some(e));
            }
        }
    }
}

/// `body` read in memory and, with `client` or `server`, as a body in chunks of 1, 7 and 4096
/// bytes: every reading gives the same outcome, which is returned.
fn read_every_way(body: &[u8]) -> Outcome {
    let in_memory = block_on(drain(EventStream::from_message_bytes(body.to_vec(), unmarshal)));
    #[cfg(any(feature = "client", feature = "server"))]
    for size in [1, 7, 4096] {
        let chunks: Vec<Result<bytes::Bytes, std::io::Error>> =
            body.chunks(size).map(|c| Ok(bytes::Bytes::copy_from_slice(c))).collect();
        let stream = crate::byte_stream::ByteStream::from_stream(Iter(chunks.into_iter()));
        let (events, end) = block_on(drain(EventStream::from_body(stream, unmarshal)));
        assert_eq!(events, in_memory.0, "chunks of {size}");
        assert_eq!(format!("{end:?}"), format!("{:?}", in_memory.1), "chunks of {size}");
    }
    in_memory
}

/// A `Stream` over an iterator.
#[cfg(any(feature = "client", feature = "server"))]
struct Iter<I>(I);

#[cfg(any(feature = "client", feature = "server"))]
impl<I: Iterator + Unpin> futures_core::Stream for Iter<I> {
    type Item = I::Item;
    fn poll_next(
        mut self: std::pin::Pin<&mut Self>,
        _: &mut std::task::Context<'_>,
    ) -> std::task::Poll<Option<I::Item>> {
        std::task::Poll::Ready(self.0.next())
    }
}

#[test]
fn events_in_order_then_the_end() {
    let mut body = event("text", "hello");
    body.extend(event("text", ", "));
    body.extend(event("text", "world"));
    let (events, end) = read_every_way(&body);
    assert!(end.is_none(), "{end:?}");
    let expected = ["hello", ", ", "world"].map(|t| Event::Text(t.into()));
    assert_eq!(events, expected);
}

#[test]
fn an_empty_body_has_no_event() {
    let (events, end) = read_every_way(&[]);
    assert!(events.is_empty());
    assert!(end.is_none());
}

#[test]
fn an_unknown_event_type_does_not_end_the_stream() {
    let mut body = event("text", "a");
    body.extend(event("added-later", "{}"));
    body.extend(event("text", "b"));
    let (events, end) = read_every_way(&body);
    assert!(end.is_none(), "{end:?}");
    assert_eq!(events, [Event::Text("a".into()), Event::Unknown, Event::Text("b".into())]);
}

#[test]
fn initial_response_is_skipped() {
    let mut body = event("initial-response", "{}");
    body.extend(event("text", "a"));
    let (events, end) = read_every_way(&body);
    assert!(end.is_none(), "{end:?}");
    assert_eq!(events, [Event::Text("a".into())]);
}

#[test]
fn a_modeled_exception_ends_the_stream_typed() {
    let mut body = event("text", "a");
    body.extend(frame(&[(":message-type", "exception"), (":exception-type", "boom")], "bad"));
    body.extend(event("text", "never read"));
    match read_every_way(&body) {
        (events, Some(EventStreamError::Service(Boom(text)))) => {
            assert_eq!(events, [Event::Text("a".into())]);
            assert_eq!(text, "bad");
        }
        other => panic!("{other:?}"),
    }
}

#[test]
fn an_error_message_ends_the_stream_unmodeled() {
    let mut body = event("text", "a");
    body.extend(frame(
        &[
            (":message-type", "error"),
            (":error-code", "Throttled"),
            (":error-message", "slow down"),
        ],
        "",
    ));
    match read_every_way(&body) {
        (events, Some(EventStreamError::Unmodeled { code, message })) => {
            assert_eq!(events, [Event::Text("a".into())]);
            assert_eq!(code, "Throttled");
            assert_eq!(message.as_deref(), Some("slow down"));
        }
        other => panic!("{other:?}"),
    }
    // Without `:error-message`.
    let body = frame(&[(":message-type", "error"), (":error-code", "Oops")], "");
    match read_every_way(&body) {
        (_, Some(EventStreamError::Unmodeled { code, message: None })) => assert_eq!(code, "Oops"),
        other => panic!("{other:?}"),
    }
}

#[test]
fn headers_that_do_not_say_what_the_message_is() {
    let cases: [(&[(&str, &str)], MessageError); 3] = [
        (&[(":event-type", "text")], MessageError::MissingHeader { name: ":message-type" }),
        (&[(":message-type", "event")], MessageError::MissingHeader { name: ":event-type" }),
        (
            &[(":message-type", "gossip")],
            MessageError::UnknownMessageType { value: "gossip".into() },
        ),
    ];
    for (headers, expected) in cases {
        match read_every_way(&frame(headers, "")) {
            (events, Some(EventStreamError::Message(e))) => {
                assert!(events.is_empty());
                assert_eq!(e, expected);
            }
            other => panic!("{headers:?}: {other:?}"),
        }
    }
}

#[test]
fn a_payload_the_unmarshaller_refuses() {
    let message = aws::Message::new_from_parts(
        vec![
            aws::Header::new(":message-type", aws::HeaderValue::String("event".into())),
            aws::Header::new(":event-type", aws::HeaderValue::String("text".into())),
        ],
        vec![0xff, 0xfe],
    );
    let mut body = Vec::new();
    write_message_to(&message, &mut body).unwrap();
    assert!(matches!(read_every_way(&body), (_, Some(EventStreamError::Deserialize(_)))));
}

#[test]
fn a_truncated_or_damaged_body_is_a_frame_error() {
    let mut body = event("text", "a");
    body.extend(event("text", "b"));
    let cut = &body[..body.len() - 3];
    match read_every_way(cut) {
        (events, Some(EventStreamError::Frame(_))) => assert_eq!(events, [Event::Text("a".into())]),
        other => panic!("{other:?}"),
    }
    let mut damaged = body.clone();
    let last = damaged.len() - 1;
    damaged[last] ^= 1;
    match read_every_way(&damaged) {
        (events, Some(EventStreamError::Frame(FrameError::MessageChecksumMismatch { .. }))) => {
            assert_eq!(events, [Event::Text("a".into())])
        }
        other => panic!("{other:?}"),
    }
}

#[test]
fn events_given_in_memory() {
    let stream: EventStream<Event, Boom> =
        EventStream::from(vec![Event::Text("x".into()), Event::Unknown]);
    assert_eq!(format!("{stream:?}"), r#"EventStream { source: "2 events in memory" }"#);
    let (events, end) = block_on(drain(stream));
    assert_eq!(events, [Event::Text("x".into()), Event::Unknown]);
    assert!(end.is_none());
    let (events, end) = block_on(drain(EventStream::empty()));
    assert!(events.is_empty() && end.is_none());
}

#[cfg(any(feature = "client", feature = "server"))]
#[test]
fn events_from_a_stream_end_with_its_error() {
    let items: Vec<Result<Event, Boom>> =
        vec![Ok(Event::Text("x".into())), Err(Boom("stop".into())), Ok(Event::Unknown)];
    match block_on(drain(EventStream::from_stream(Iter(items.into_iter())))) {
        (events, Some(EventStreamError::Service(Boom(text)))) => {
            assert_eq!(events, [Event::Text("x".into())]);
            assert_eq!(text, "stop");
        }
        other => panic!("{other:?}"),
    }
}

#[test]
fn events_in_memory_are_seen_until_taken() {
    let mut stream: EventStream<Event, Boom> =
        EventStream::from_events([Event::Text("a".into()), Event::Text("b".into())]);
    assert_eq!(stream.events_in_memory().unwrap().count(), 2);
    assert_eq!(block_on(stream.recv()).unwrap(), Some(Event::Text("a".into())));
    let left: Vec<&Event> = stream.events_in_memory().unwrap().collect();
    assert_eq!(left, [&Event::Text("b".into())]);
    let body = EventStream::<Event, Boom>::from_message_bytes(event("text", "a"), unmarshal);
    assert!(body.events_in_memory().is_none());
}

/// The writer of the test stream: `text` events with the text as payload.
#[cfg(feature = "server")]
fn marshal(event: &Event) -> Result<Message, crate::error::RequestError> {
    match event {
        Event::Text(text) => {
            Ok(Message::event("text", Some("text/plain"), text.clone().into_bytes()))
        }
        Event::Unknown => Err(crate::error::RequestError::invalid_value("unknown".into())),
    }
}

#[cfg(feature = "server")]
#[test]
fn a_server_writes_the_events_in_memory_and_an_error_for_the_rest() {
    use aws_smithy_eventstream::frame::read_message_from;

    /// The messages of `body`, read by `aws-smithy-eventstream`, as (headers, payload) text.
    fn messages(mut body: &[u8]) -> Vec<(Vec<(String, String)>, String)> {
        let mut out = Vec::new();
        while !body.is_empty() {
            let message = read_message_from(&mut body).expect("aws-smithy-eventstream reads it");
            let headers = message
                .headers()
                .iter()
                .map(|h| {
                    (
                        h.name().as_str().to_owned(),
                        h.value().as_string().unwrap().as_str().to_owned(),
                    )
                })
                .collect();
            out.push((headers, String::from_utf8(message.payload().to_vec()).unwrap()));
        }
        out
    }
    let h = |pairs: &[(&str, &str)]| -> Vec<(String, String)> {
        pairs.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect()
    };
    let text =
        h(&[(":message-type", "event"), (":event-type", "text"), (":content-type", "text/plain")]);
    let stream: EventStream<Event, Boom> =
        EventStream::from_events([Event::Text("a".into()), Event::Text("b".into())]);
    assert_eq!(
        messages(&stream.encode_in_memory(marshal)),
        [(text.clone(), "a".to_owned()), (text.clone(), "b".to_owned())]
    );
    // An event that cannot be written: the events before it, then an error message.
    let stream: EventStream<Event, Boom> = EventStream::from_events([
        Event::Text("a".into()),
        Event::Unknown,
        Event::Text("c".into()),
    ]);
    let written = messages(&stream.encode_in_memory(marshal));
    assert_eq!(written.len(), 2);
    assert_eq!(written[0], (text, "a".to_owned()));
    assert_eq!(
        written[1].0,
        h(&[
            (":message-type", "error"),
            (":error-code", "InternalFailure"),
            (":error-message", "cannot build the request: unknown")
        ])
    );
    // Events that arrive later cannot be written whole.
    let stream = EventStream::<Event, Boom>::from_message_bytes(event("text", "a"), unmarshal);
    let written = messages(&stream.encode_in_memory(marshal));
    assert_eq!(written.len(), 1);
    assert_eq!(written[0].0[1], (":error-code".to_owned(), "InternalFailure".to_owned()));
}
