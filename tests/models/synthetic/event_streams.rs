// Behaviour of the crate generated from `event_streams.json` (sdkId "Synthetic Event Streams"):
// the event-stream shapes of the Smithy protocol compliance suite (restJson1
// `event-stream.smithy`: headers of every type, blob, string, structure and union payloads,
// headers with an explicit or implicit payload, a modeled exception). The frames are the suite's
// (`tests/event_stream/fixtures/compliance_frames.json`, copied here as byte arrays, with each
// case's `params` as the event built by hand):
// - each `*Output` case's frame, given as a response body, is read by the generated unmarshaller
//   to the case's event (or, for the client's failure cases, ends the stream with an error);
// - each `*Input` case's event, marshalled by the generated `marshal()`, encodes to the case's
//   frame byte for byte (but for the order of the headers of `MultipleHeaderInput`);
// - beyond the suite, required headers (an enum, a timestamp) and a required blob payload, both
//   ways, and a missing or mistyped header refused;
// - `deserialize_streaming_response`: the output before any byte of the body, each event read
//   when its bytes have arrived, an error response read whole;
// - the generated server, in process: its router reads a request's input events, and writes
//   the output events a handler gives in memory as a response the generated client reads;
// - the generated client sends an input event stream: the request, then its events framed as
//   the body (this service has no `aws.auth#sigv4`: unsigned), read back by the decoder.

use std::future::Future;
use std::pin::pin;
use std::sync::Arc;
use std::task::{Context, Poll, Wake, Waker};

use synthetic_event_streams::event_stream::{EventStreamError as StreamError, Message};
use synthetic_event_streams::operation::output_stream::OutputStream;
use synthetic_event_streams::primitives::{Blob, DateTime};
use synthetic_event_streams::types::error::ErrorEvent;
use synthetic_event_streams::types::{
    BlobPayloadEvent, EventStream, EventStreamError, HeadersAndExplicitPayloadEvent,
    HeadersAndImplicitPayloadEvent, HeadersEvent, PayloadStructure, PayloadUnion,
    StringPayloadEvent, StructurePayloadEvent, UnionPayloadEvent,
};

struct NoWake;

impl Wake for NoWake {
    fn wake(self: Arc<Self>) {}
}

/// Runs a future that never waits (the body is in memory).
fn ready<F: Future>(future: F) -> F::Output {
    let mut future = pin!(future);
    let waker = Waker::from(Arc::new(NoWake));
    match future.as_mut().poll(&mut Context::from_waker(&waker)) {
        Poll::Ready(output) => output,
        Poll::Pending => panic!("a stream over bytes in memory never waits"),
    }
}

/// Polls a future once: `Some` if it is ready, `None` if it waits.
fn poll_once<F: Future>(future: F) -> Option<F::Output> {
    let mut future = pin!(future);
    let waker = Waker::from(Arc::new(NoWake));
    match future.as_mut().poll(&mut Context::from_waker(&waker)) {
        Poll::Ready(output) => Some(output),
        Poll::Pending => None,
    }
}

/// The events of a response whose body is `frame`, and how the stream ended.
fn read(frame: &[u8]) -> (Vec<EventStream>, Option<StreamError<EventStreamError>>) {
    let response = http::Response::builder().status(200).body(frame.to_vec()).unwrap();
    let mut output = OutputStream::deserialize_response(&response).unwrap();
    let mut events = Vec::new();
    let stream = output.stream.as_mut().expect("the stream member is set");
    loop {
        match ready(stream.recv()) {
            Ok(Some(event)) => events.push(event),
            Ok(None) => return (events, None),
            Err(e) => {
                assert!(
                    ready(stream.recv()).unwrap().is_none(),
                    "the stream is over after an error"
                );
                return (events, Some(e));
            }
        }
    }
}
#[test]
fn output_frames_read_to_their_events() {
    let cases: Vec<(&str, &[u8], EventStream)> = vec![
        (
            "BooleanHeaderOutput",
            &[
                0, 0, 0, 75, 0, 0, 0, 59, 251, 10, 95, 21, 13, 58, 109, 101, 115, 115, 97, 103,
                101, 45, 116, 121, 112, 101, 7, 0, 5, 101, 118, 101, 110, 116, 11, 58, 101, 118,
                101, 110, 116, 45, 116, 121, 112, 101, 7, 0, 7, 104, 101, 97, 100, 101, 114, 115,
                13, 98, 111, 111, 108, 101, 97, 110, 72, 101, 97, 100, 101, 114, 0, 184, 39, 213,
                172,
            ],
            EventStream::Headers(HeadersEvent::builder().boolean_header(true).build()),
        ),
        (
            "ByteHeaderOutput",
            &[
                0, 0, 0, 73, 0, 0, 0, 57, 111, 196, 109, 89, 13, 58, 109, 101, 115, 115, 97, 103,
                101, 45, 116, 121, 112, 101, 7, 0, 5, 101, 118, 101, 110, 116, 11, 58, 101, 118,
                101, 110, 116, 45, 116, 121, 112, 101, 7, 0, 7, 104, 101, 97, 100, 101, 114, 115,
                10, 98, 121, 116, 101, 72, 101, 97, 100, 101, 114, 2, 1, 40, 84, 230, 142,
            ],
            EventStream::Headers(HeadersEvent::builder().byte_header(1_i8).build()),
        ),
        (
            "ShortHeaderOutput",
            &[
                0, 0, 0, 75, 0, 0, 0, 59, 251, 10, 95, 21, 13, 58, 109, 101, 115, 115, 97, 103,
                101, 45, 116, 121, 112, 101, 7, 0, 5, 101, 118, 101, 110, 116, 11, 58, 101, 118,
                101, 110, 116, 45, 116, 121, 112, 101, 7, 0, 7, 104, 101, 97, 100, 101, 114, 115,
                11, 115, 104, 111, 114, 116, 72, 101, 97, 100, 101, 114, 3, 0, 2, 245, 17, 59, 10,
            ],
            EventStream::Headers(HeadersEvent::builder().short_header(2_i16).build()),
        ),
        (
            "IntegerHeaderOutput",
            &[
                0, 0, 0, 75, 0, 0, 0, 59, 251, 10, 95, 21, 13, 58, 109, 101, 115, 115, 97, 103,
                101, 45, 116, 121, 112, 101, 7, 0, 5, 101, 118, 101, 110, 116, 11, 58, 101, 118,
                101, 110, 116, 45, 116, 121, 112, 101, 7, 0, 7, 104, 101, 97, 100, 101, 114, 115,
                9, 105, 110, 116, 72, 101, 97, 100, 101, 114, 4, 0, 0, 0, 3, 229, 201, 74, 219,
            ],
            EventStream::Headers(HeadersEvent::builder().int_header(3).build()),
        ),
        (
            "LongHeaderOutput",
            &[
                0, 0, 0, 80, 0, 0, 0, 64, 43, 237, 81, 50, 13, 58, 109, 101, 115, 115, 97, 103,
                101, 45, 116, 121, 112, 101, 7, 0, 5, 101, 118, 101, 110, 116, 11, 58, 101, 118,
                101, 110, 116, 45, 116, 121, 112, 101, 7, 0, 7, 104, 101, 97, 100, 101, 114, 115,
                10, 108, 111, 110, 103, 72, 101, 97, 100, 101, 114, 5, 0, 0, 0, 0, 255, 255, 255,
                254, 231, 103, 119, 242,
            ],
            EventStream::Headers(HeadersEvent::builder().long_header(4_294_967_294_i64).build()),
        ),
        (
            "BlobHeaderOutput",
            &[
                0, 0, 0, 77, 0, 0, 0, 61, 157, 41, 15, 128, 13, 58, 109, 101, 115, 115, 97, 103,
                101, 45, 116, 121, 112, 101, 7, 0, 5, 101, 118, 101, 110, 116, 11, 58, 101, 118,
                101, 110, 116, 45, 116, 121, 112, 101, 7, 0, 7, 104, 101, 97, 100, 101, 114, 115,
                10, 98, 108, 111, 98, 72, 101, 97, 100, 101, 114, 6, 0, 3, 102, 111, 111, 155, 27,
                108, 99,
            ],
            EventStream::Headers(
                HeadersEvent::builder().blob_header(Blob::new(b"foo".to_vec())).build(),
            ),
        ),
        (
            "StringHeaderOutput",
            &[
                0, 0, 0, 79, 0, 0, 0, 63, 9, 231, 61, 204, 13, 58, 109, 101, 115, 115, 97, 103,
                101, 45, 116, 121, 112, 101, 7, 0, 5, 101, 118, 101, 110, 116, 11, 58, 101, 118,
                101, 110, 116, 45, 116, 121, 112, 101, 7, 0, 7, 104, 101, 97, 100, 101, 114, 115,
                12, 115, 116, 114, 105, 110, 103, 72, 101, 97, 100, 101, 114, 7, 0, 3, 102, 111,
                111, 197, 63, 182, 48,
            ],
            EventStream::Headers(HeadersEvent::builder().string_header("foo").build()),
        ),
        (
            "TimestampHeaderOutput",
            &[
                0, 0, 0, 85, 0, 0, 0, 69, 147, 103, 42, 205, 13, 58, 109, 101, 115, 115, 97, 103,
                101, 45, 116, 121, 112, 101, 7, 0, 5, 101, 118, 101, 110, 116, 11, 58, 101, 118,
                101, 110, 116, 45, 116, 121, 112, 101, 7, 0, 7, 104, 101, 97, 100, 101, 114, 115,
                15, 116, 105, 109, 101, 115, 116, 97, 109, 112, 72, 101, 97, 100, 101, 114, 8, 0,
                0, 1, 146, 226, 238, 49, 80, 234, 229, 119, 18,
            ],
            EventStream::Headers(
                HeadersEvent::builder().timestamp_header(DateTime::from_secs(1730384114)).build(),
            ),
        ),
        (
            "MultipleHeaderOutput",
            &[
                0, 0, 0, 111, 0, 0, 0, 95, 133, 148, 115, 144, 13, 58, 109, 101, 115, 115, 97, 103,
                101, 45, 116, 121, 112, 101, 7, 0, 5, 101, 118, 101, 110, 116, 11, 58, 101, 118,
                101, 110, 116, 45, 116, 121, 112, 101, 7, 0, 7, 104, 101, 97, 100, 101, 114, 115,
                13, 98, 111, 111, 108, 101, 97, 110, 72, 101, 97, 100, 101, 114, 0, 12, 115, 116,
                114, 105, 110, 103, 72, 101, 97, 100, 101, 114, 7, 0, 3, 102, 111, 111, 10, 98,
                108, 111, 98, 72, 101, 97, 100, 101, 114, 6, 0, 3, 98, 97, 114, 3, 93, 186, 59,
            ],
            EventStream::Headers(
                HeadersEvent::builder()
                    .boolean_header(true)
                    .string_header("foo")
                    .blob_header(Blob::new(b"bar".to_vec()))
                    .build(),
            ),
        ),
        (
            "StringPayloadOutput",
            &[
                0, 0, 0, 96, 0, 0, 0, 77, 244, 125, 149, 9, 13, 58, 109, 101, 115, 115, 97, 103,
                101, 45, 116, 121, 112, 101, 7, 0, 5, 101, 118, 101, 110, 116, 11, 58, 101, 118,
                101, 110, 116, 45, 116, 121, 112, 101, 7, 0, 13, 115, 116, 114, 105, 110, 103, 80,
                97, 121, 108, 111, 97, 100, 13, 58, 99, 111, 110, 116, 101, 110, 116, 45, 116, 121,
                112, 101, 7, 0, 10, 116, 101, 120, 116, 47, 112, 108, 97, 105, 110, 102, 111, 111,
                70, 212, 66, 235,
            ],
            EventStream::StringPayload(StringPayloadEvent::builder().payload("foo").build()),
        ),
        (
            "BlobPayloadOutput",
            &[
                0, 0, 0, 108, 0, 0, 0, 89, 43, 87, 172, 117, 13, 58, 109, 101, 115, 115, 97, 103,
                101, 45, 116, 121, 112, 101, 7, 0, 5, 101, 118, 101, 110, 116, 11, 58, 101, 118,
                101, 110, 116, 45, 116, 121, 112, 101, 7, 0, 11, 98, 108, 111, 98, 80, 97, 121,
                108, 111, 97, 100, 13, 58, 99, 111, 110, 116, 101, 110, 116, 45, 116, 121, 112,
                101, 7, 0, 24, 97, 112, 112, 108, 105, 99, 97, 116, 105, 111, 110, 47, 111, 99,
                116, 101, 116, 45, 115, 116, 114, 101, 97, 109, 98, 97, 114, 111, 230, 113, 137,
            ],
            EventStream::BlobPayload(
                BlobPayloadEvent::builder().payload(Blob::new(b"bar".to_vec())).build(),
            ),
        ),
        (
            "StructurePayloadOutput",
            &[
                0, 0, 0, 127, 0, 0, 0, 86, 156, 168, 92, 182, 13, 58, 109, 101, 115, 115, 97, 103,
                101, 45, 116, 121, 112, 101, 7, 0, 5, 101, 118, 101, 110, 116, 11, 58, 101, 118,
                101, 110, 116, 45, 116, 121, 112, 101, 7, 0, 16, 115, 116, 114, 117, 99, 116, 117,
                114, 101, 80, 97, 121, 108, 111, 97, 100, 13, 58, 99, 111, 110, 116, 101, 110, 116,
                45, 116, 121, 112, 101, 7, 0, 16, 97, 112, 112, 108, 105, 99, 97, 116, 105, 111,
                110, 47, 106, 115, 111, 110, 123, 34, 115, 116, 114, 117, 99, 116, 117, 114, 101,
                77, 101, 109, 98, 101, 114, 34, 58, 34, 102, 111, 111, 34, 125, 173, 194, 17, 84,
            ],
            EventStream::StructurePayload(
                StructurePayloadEvent::builder()
                    .payload(PayloadStructure::builder().structure_member("foo").build())
                    .build(),
            ),
        ),
        (
            "UnionPayloadOutput",
            &[
                0, 0, 0, 119, 0, 0, 0, 82, 171, 181, 211, 110, 13, 58, 109, 101, 115, 115, 97, 103,
                101, 45, 116, 121, 112, 101, 7, 0, 5, 101, 118, 101, 110, 116, 11, 58, 101, 118,
                101, 110, 116, 45, 116, 121, 112, 101, 7, 0, 12, 117, 110, 105, 111, 110, 80, 97,
                121, 108, 111, 97, 100, 13, 58, 99, 111, 110, 116, 101, 110, 116, 45, 116, 121,
                112, 101, 7, 0, 16, 97, 112, 112, 108, 105, 99, 97, 116, 105, 111, 110, 47, 106,
                115, 111, 110, 123, 34, 117, 110, 105, 111, 110, 77, 101, 109, 98, 101, 114, 34,
                58, 34, 98, 97, 114, 34, 125, 198, 67, 48, 62,
            ],
            EventStream::UnionPayload(
                UnionPayloadEvent::builder()
                    .payload(PayloadUnion::UnionMember("bar".to_string()))
                    .build(),
            ),
        ),
        (
            "HeadersAndExplicitPayloadOutput",
            &[
                0, 0, 0, 149, 0, 0, 0, 108, 56, 192, 90, 122, 13, 58, 109, 101, 115, 115, 97, 103,
                101, 45, 116, 121, 112, 101, 7, 0, 5, 101, 118, 101, 110, 116, 11, 58, 101, 118,
                101, 110, 116, 45, 116, 121, 112, 101, 7, 0, 25, 104, 101, 97, 100, 101, 114, 115,
                65, 110, 100, 69, 120, 112, 108, 105, 99, 105, 116, 80, 97, 121, 108, 111, 97, 100,
                13, 58, 99, 111, 110, 116, 101, 110, 116, 45, 116, 121, 112, 101, 7, 0, 16, 97,
                112, 112, 108, 105, 99, 97, 116, 105, 111, 110, 47, 106, 115, 111, 110, 6, 104,
                101, 97, 100, 101, 114, 7, 0, 3, 102, 111, 111, 123, 34, 115, 116, 114, 117, 99,
                116, 117, 114, 101, 77, 101, 109, 98, 101, 114, 34, 58, 34, 98, 97, 114, 34, 125,
                54, 159, 41, 123,
            ],
            EventStream::HeadersAndExplicitPayload(
                HeadersAndExplicitPayloadEvent::builder()
                    .header("foo")
                    .payload(PayloadStructure::builder().structure_member("bar").build())
                    .build(),
            ),
        ),
        (
            "HeadersAndImplicitPayloadOutput",
            &[
                0, 0, 0, 141, 0, 0, 0, 108, 104, 80, 134, 57, 13, 58, 109, 101, 115, 115, 97, 103,
                101, 45, 116, 121, 112, 101, 7, 0, 5, 101, 118, 101, 110, 116, 11, 58, 101, 118,
                101, 110, 116, 45, 116, 121, 112, 101, 7, 0, 25, 104, 101, 97, 100, 101, 114, 115,
                65, 110, 100, 73, 109, 112, 108, 105, 99, 105, 116, 80, 97, 121, 108, 111, 97, 100,
                13, 58, 99, 111, 110, 116, 101, 110, 116, 45, 116, 121, 112, 101, 7, 0, 16, 97,
                112, 112, 108, 105, 99, 97, 116, 105, 111, 110, 47, 106, 115, 111, 110, 6, 104,
                101, 97, 100, 101, 114, 7, 0, 3, 102, 111, 111, 123, 34, 112, 97, 121, 108, 111,
                97, 100, 34, 58, 34, 98, 97, 114, 34, 125, 121, 149, 155, 83,
            ],
            EventStream::HeadersAndImplicitPayload(
                HeadersAndImplicitPayloadEvent::builder().header("foo").payload("bar").build(),
            ),
        ),
    ];
    assert_eq!(cases.len(), 15);
    for (id, frame, expected) in cases {
        let (events, end) = read(frame);
        assert!(end.is_none(), "{id}: {end:?}");
        assert_eq!(events, vec![expected], "{id}");
    }
}

#[test]
fn output_frames_that_end_the_stream() {
    let client_error_output: &[u8] = &[
        0, 0, 0, 116, 0, 0, 0, 83, 155, 18, 153, 40, 13, 58, 109, 101, 115, 115, 97, 103, 101, 45,
        116, 121, 112, 101, 7, 0, 9, 101, 120, 99, 101, 112, 116, 105, 111, 110, 15, 58, 101, 120,
        99, 101, 112, 116, 105, 111, 110, 45, 116, 121, 112, 101, 7, 0, 5, 101, 114, 114, 111, 114,
        13, 58, 99, 111, 110, 116, 101, 110, 116, 45, 116, 121, 112, 101, 7, 0, 16, 97, 112, 112,
        108, 105, 99, 97, 116, 105, 111, 110, 47, 106, 115, 111, 110, 123, 34, 109, 101, 115, 115,
        97, 103, 101, 34, 58, 34, 102, 111, 111, 34, 125, 59, 154, 213, 47,
    ];
    let client_unexpected_error_output: &[u8] = &[
        0, 0, 0, 111, 0, 0, 0, 95, 133, 148, 115, 144, 13, 58, 109, 101, 115, 115, 97, 103, 101,
        45, 116, 121, 112, 101, 7, 0, 5, 101, 114, 114, 111, 114, 11, 58, 101, 114, 114, 111, 114,
        45, 99, 111, 100, 101, 7, 0, 14, 105, 110, 116, 101, 114, 110, 97, 108, 45, 101, 114, 114,
        111, 114, 14, 58, 101, 114, 114, 111, 114, 45, 109, 101, 115, 115, 97, 103, 101, 7, 0, 26,
        65, 110, 32, 117, 110, 107, 110, 111, 119, 110, 32, 101, 114, 114, 111, 114, 32, 111, 99,
        99, 117, 114, 114, 101, 100, 46, 36, 186, 125, 45,
    ];
    let missing_message_type_output: &[u8] = &[
        0, 0, 0, 127, 0, 0, 0, 86, 156, 168, 92, 182, 11, 58, 101, 118, 101, 110, 116, 45, 116,
        121, 112, 101, 7, 0, 25, 104, 101, 97, 100, 101, 114, 115, 65, 110, 100, 69, 120, 112, 108,
        105, 99, 105, 116, 80, 97, 121, 108, 111, 97, 100, 13, 58, 99, 111, 110, 116, 101, 110,
        116, 45, 116, 121, 112, 101, 7, 0, 16, 97, 112, 112, 108, 105, 99, 97, 116, 105, 111, 110,
        47, 106, 115, 111, 110, 6, 104, 101, 97, 100, 101, 114, 7, 0, 3, 102, 111, 111, 123, 34,
        115, 116, 114, 117, 99, 116, 117, 114, 101, 77, 101, 109, 98, 101, 114, 34, 58, 34, 98, 97,
        114, 34, 125, 240, 183, 177, 38,
    ];
    let malformed_message_type_output: &[u8] = &[
        0, 0, 0, 149, 0, 0, 0, 108, 56, 192, 90, 122, 13, 58, 109, 101, 115, 115, 97, 103, 101, 45,
        116, 121, 112, 101, 6, 0, 5, 101, 118, 101, 110, 116, 11, 58, 101, 118, 101, 110, 116, 45,
        116, 121, 112, 101, 7, 0, 25, 104, 101, 97, 100, 101, 114, 115, 65, 110, 100, 69, 120, 112,
        108, 105, 99, 105, 116, 80, 97, 121, 108, 111, 97, 100, 13, 58, 99, 111, 110, 116, 101,
        110, 116, 45, 116, 121, 112, 101, 7, 0, 16, 97, 112, 112, 108, 105, 99, 97, 116, 105, 111,
        110, 47, 106, 115, 111, 110, 6, 104, 101, 97, 100, 101, 114, 7, 0, 3, 102, 111, 111, 123,
        34, 115, 116, 114, 117, 99, 116, 117, 114, 101, 77, 101, 109, 98, 101, 114, 34, 58, 34, 98,
        97, 114, 34, 125, 92, 29, 127, 53,
    ];
    let missing_event_type_output: &[u8] = &[
        0, 0, 0, 109, 0, 0, 0, 68, 117, 49, 233, 28, 13, 58, 109, 101, 115, 115, 97, 103, 101, 45,
        116, 121, 112, 101, 7, 0, 5, 101, 118, 101, 110, 116, 13, 58, 99, 111, 110, 116, 101, 110,
        116, 45, 116, 121, 112, 101, 7, 0, 16, 97, 112, 112, 108, 105, 99, 97, 116, 105, 111, 110,
        47, 106, 115, 111, 110, 6, 104, 101, 97, 100, 101, 114, 7, 0, 3, 102, 111, 111, 123, 34,
        115, 116, 114, 117, 99, 116, 117, 114, 101, 77, 101, 109, 98, 101, 114, 34, 58, 34, 98, 97,
        114, 34, 125, 174, 44, 180, 26,
    ];
    let malformed_event_type_output: &[u8] = &[
        0, 0, 0, 149, 0, 0, 0, 108, 56, 192, 90, 122, 13, 58, 109, 101, 115, 115, 97, 103, 101, 45,
        116, 121, 112, 101, 7, 0, 5, 101, 118, 101, 110, 116, 11, 58, 101, 118, 101, 110, 116, 45,
        116, 121, 112, 101, 6, 0, 25, 104, 101, 97, 100, 101, 114, 115, 65, 110, 100, 69, 120, 112,
        108, 105, 99, 105, 116, 80, 97, 121, 108, 111, 97, 100, 13, 58, 99, 111, 110, 116, 101,
        110, 116, 45, 116, 121, 112, 101, 7, 0, 16, 97, 112, 112, 108, 105, 99, 97, 116, 105, 111,
        110, 47, 106, 115, 111, 110, 6, 104, 101, 97, 100, 101, 114, 7, 0, 3, 102, 111, 111, 123,
        34, 115, 116, 114, 117, 99, 116, 117, 114, 101, 77, 101, 109, 98, 101, 114, 34, 58, 34, 98,
        97, 114, 34, 125, 195, 250, 40, 185,
    ];
    // A modeled exception: the stream's typed error.
    match read(client_error_output) {
        (events, Some(StreamError::Service(EventStreamError::Error(e)))) => {
            assert!(events.is_empty());
            assert_eq!(e, ErrorEvent::builder().message("foo").build());
        }
        other => panic!("ClientErrorOutput: {other:?}"),
    }
    // `:message-type error`: an unmodeled error, with its code and message.
    match read(client_unexpected_error_output) {
        (events, Some(StreamError::Unmodeled { code, message })) => {
            assert!(events.is_empty());
            assert_eq!(code, "internal-error");
            assert_eq!(message.as_deref(), Some("An unknown error occurred."));
        }
        other => panic!("ClientUnexpectedErrorOutput: {other:?}"),
    }
    // Headers that do not say what the message is.
    for (id, frame) in [
        ("MissingMessageTypeOutput", missing_message_type_output),
        ("MalformedMessageTypeOutput", malformed_message_type_output),
        ("MissingEventTypeOutput", missing_event_type_output),
        ("MalformedEventTypeOutput", malformed_event_type_output),
    ] {
        match read(frame) {
            (events, Some(StreamError::Message(_))) => assert!(events.is_empty(), "{id}"),
            other => panic!("{id}: {other:?}"),
        }
    }
}

#[test]
fn an_unknown_event_type_does_not_end_the_stream() {
    // An event of a member this crate does not know (`future`), then a known event.
    let unknown = Message::event("future", None, Vec::new()).encode().unwrap();
    let known = EventStream::StringPayload(StringPayloadEvent::builder().payload("foo").build());
    let mut body = unknown;
    body.extend(known.marshal().unwrap().encode().unwrap());
    let (events, end) = read(&body);
    assert!(end.is_none(), "{end:?}");
    assert_eq!(events.len(), 2);
    assert!(
        !matches!(events[0], EventStream::Headers(_) | EventStream::StringPayload(_)),
        "{:?}",
        events[0]
    );
    assert_eq!(format!("{:?}", events[0]), "Unknown");
    assert_eq!(events[1], known);
}

#[test]
fn a_truncated_body_is_a_frame_error() {
    let frame = EventStream::StringPayload(StringPayloadEvent::builder().payload("foo").build())
        .marshal()
        .unwrap()
        .encode()
        .unwrap();
    let (events, end) = read(&frame[..frame.len() - 1]);
    assert!(events.is_empty());
    assert!(matches!(end, Some(StreamError::Frame(_))), "{end:?}");
}

#[test]
fn input_events_marshal_to_their_frames() {
    let cases: Vec<(&str, &[u8], EventStream)> = vec![
        (
            "BooleanHeaderInput",
            &[
                0, 0, 0, 75, 0, 0, 0, 59, 251, 10, 95, 21, 13, 58, 109, 101, 115, 115, 97, 103,
                101, 45, 116, 121, 112, 101, 7, 0, 5, 101, 118, 101, 110, 116, 11, 58, 101, 118,
                101, 110, 116, 45, 116, 121, 112, 101, 7, 0, 7, 104, 101, 97, 100, 101, 114, 115,
                13, 98, 111, 111, 108, 101, 97, 110, 72, 101, 97, 100, 101, 114, 0, 184, 39, 213,
                172,
            ],
            EventStream::Headers(HeadersEvent::builder().boolean_header(true).build()),
        ),
        (
            "ByteHeaderInput",
            &[
                0, 0, 0, 73, 0, 0, 0, 57, 111, 196, 109, 89, 13, 58, 109, 101, 115, 115, 97, 103,
                101, 45, 116, 121, 112, 101, 7, 0, 5, 101, 118, 101, 110, 116, 11, 58, 101, 118,
                101, 110, 116, 45, 116, 121, 112, 101, 7, 0, 7, 104, 101, 97, 100, 101, 114, 115,
                10, 98, 121, 116, 101, 72, 101, 97, 100, 101, 114, 2, 1, 40, 84, 230, 142,
            ],
            EventStream::Headers(HeadersEvent::builder().byte_header(1_i8).build()),
        ),
        (
            "ShortHeaderInput",
            &[
                0, 0, 0, 75, 0, 0, 0, 59, 251, 10, 95, 21, 13, 58, 109, 101, 115, 115, 97, 103,
                101, 45, 116, 121, 112, 101, 7, 0, 5, 101, 118, 101, 110, 116, 11, 58, 101, 118,
                101, 110, 116, 45, 116, 121, 112, 101, 7, 0, 7, 104, 101, 97, 100, 101, 114, 115,
                11, 115, 104, 111, 114, 116, 72, 101, 97, 100, 101, 114, 3, 0, 2, 245, 17, 59, 10,
            ],
            EventStream::Headers(HeadersEvent::builder().short_header(2_i16).build()),
        ),
        (
            "IntegerHeaderInput",
            &[
                0, 0, 0, 75, 0, 0, 0, 59, 251, 10, 95, 21, 13, 58, 109, 101, 115, 115, 97, 103,
                101, 45, 116, 121, 112, 101, 7, 0, 5, 101, 118, 101, 110, 116, 11, 58, 101, 118,
                101, 110, 116, 45, 116, 121, 112, 101, 7, 0, 7, 104, 101, 97, 100, 101, 114, 115,
                9, 105, 110, 116, 72, 101, 97, 100, 101, 114, 4, 0, 0, 0, 3, 229, 201, 74, 219,
            ],
            EventStream::Headers(HeadersEvent::builder().int_header(3).build()),
        ),
        (
            "LongHeaderInput",
            &[
                0, 0, 0, 80, 0, 0, 0, 64, 43, 237, 81, 50, 13, 58, 109, 101, 115, 115, 97, 103,
                101, 45, 116, 121, 112, 101, 7, 0, 5, 101, 118, 101, 110, 116, 11, 58, 101, 118,
                101, 110, 116, 45, 116, 121, 112, 101, 7, 0, 7, 104, 101, 97, 100, 101, 114, 115,
                10, 108, 111, 110, 103, 72, 101, 97, 100, 101, 114, 5, 0, 0, 0, 0, 255, 255, 255,
                254, 231, 103, 119, 242,
            ],
            EventStream::Headers(HeadersEvent::builder().long_header(4_294_967_294_i64).build()),
        ),
        (
            "BlobHeaderInput",
            &[
                0, 0, 0, 77, 0, 0, 0, 61, 157, 41, 15, 128, 13, 58, 109, 101, 115, 115, 97, 103,
                101, 45, 116, 121, 112, 101, 7, 0, 5, 101, 118, 101, 110, 116, 11, 58, 101, 118,
                101, 110, 116, 45, 116, 121, 112, 101, 7, 0, 7, 104, 101, 97, 100, 101, 114, 115,
                10, 98, 108, 111, 98, 72, 101, 97, 100, 101, 114, 6, 0, 3, 102, 111, 111, 155, 27,
                108, 99,
            ],
            EventStream::Headers(
                HeadersEvent::builder().blob_header(Blob::new(b"foo".to_vec())).build(),
            ),
        ),
        (
            "StringHeaderInput",
            &[
                0, 0, 0, 79, 0, 0, 0, 63, 9, 231, 61, 204, 13, 58, 109, 101, 115, 115, 97, 103,
                101, 45, 116, 121, 112, 101, 7, 0, 5, 101, 118, 101, 110, 116, 11, 58, 101, 118,
                101, 110, 116, 45, 116, 121, 112, 101, 7, 0, 7, 104, 101, 97, 100, 101, 114, 115,
                12, 115, 116, 114, 105, 110, 103, 72, 101, 97, 100, 101, 114, 7, 0, 3, 102, 111,
                111, 197, 63, 182, 48,
            ],
            EventStream::Headers(HeadersEvent::builder().string_header("foo").build()),
        ),
        (
            "TimestampHeaderInput",
            &[
                0, 0, 0, 85, 0, 0, 0, 69, 147, 103, 42, 205, 13, 58, 109, 101, 115, 115, 97, 103,
                101, 45, 116, 121, 112, 101, 7, 0, 5, 101, 118, 101, 110, 116, 11, 58, 101, 118,
                101, 110, 116, 45, 116, 121, 112, 101, 7, 0, 7, 104, 101, 97, 100, 101, 114, 115,
                15, 116, 105, 109, 101, 115, 116, 97, 109, 112, 72, 101, 97, 100, 101, 114, 8, 0,
                0, 1, 146, 226, 238, 49, 80, 234, 229, 119, 18,
            ],
            EventStream::Headers(
                HeadersEvent::builder().timestamp_header(DateTime::from_secs(1730384114)).build(),
            ),
        ),
        (
            "MultipleHeaderInput",
            &[
                0, 0, 0, 111, 0, 0, 0, 95, 133, 148, 115, 144, 13, 58, 109, 101, 115, 115, 97, 103,
                101, 45, 116, 121, 112, 101, 7, 0, 5, 101, 118, 101, 110, 116, 11, 58, 101, 118,
                101, 110, 116, 45, 116, 121, 112, 101, 7, 0, 7, 104, 101, 97, 100, 101, 114, 115,
                13, 98, 111, 111, 108, 101, 97, 110, 72, 101, 97, 100, 101, 114, 0, 12, 115, 116,
                114, 105, 110, 103, 72, 101, 97, 100, 101, 114, 7, 0, 3, 102, 111, 111, 10, 98,
                108, 111, 98, 72, 101, 97, 100, 101, 114, 6, 0, 3, 98, 97, 114, 3, 93, 186, 59,
            ],
            EventStream::Headers(
                HeadersEvent::builder()
                    .boolean_header(true)
                    .string_header("foo")
                    .blob_header(Blob::new(b"bar".to_vec()))
                    .build(),
            ),
        ),
        (
            "StringPayloadInput",
            &[
                0, 0, 0, 96, 0, 0, 0, 77, 244, 125, 149, 9, 13, 58, 109, 101, 115, 115, 97, 103,
                101, 45, 116, 121, 112, 101, 7, 0, 5, 101, 118, 101, 110, 116, 11, 58, 101, 118,
                101, 110, 116, 45, 116, 121, 112, 101, 7, 0, 13, 115, 116, 114, 105, 110, 103, 80,
                97, 121, 108, 111, 97, 100, 13, 58, 99, 111, 110, 116, 101, 110, 116, 45, 116, 121,
                112, 101, 7, 0, 10, 116, 101, 120, 116, 47, 112, 108, 97, 105, 110, 102, 111, 111,
                70, 212, 66, 235,
            ],
            EventStream::StringPayload(StringPayloadEvent::builder().payload("foo").build()),
        ),
        (
            "BlobPayloadInput",
            &[
                0, 0, 0, 108, 0, 0, 0, 89, 43, 87, 172, 117, 13, 58, 109, 101, 115, 115, 97, 103,
                101, 45, 116, 121, 112, 101, 7, 0, 5, 101, 118, 101, 110, 116, 11, 58, 101, 118,
                101, 110, 116, 45, 116, 121, 112, 101, 7, 0, 11, 98, 108, 111, 98, 80, 97, 121,
                108, 111, 97, 100, 13, 58, 99, 111, 110, 116, 101, 110, 116, 45, 116, 121, 112,
                101, 7, 0, 24, 97, 112, 112, 108, 105, 99, 97, 116, 105, 111, 110, 47, 111, 99,
                116, 101, 116, 45, 115, 116, 114, 101, 97, 109, 98, 97, 114, 111, 230, 113, 137,
            ],
            EventStream::BlobPayload(
                BlobPayloadEvent::builder().payload(Blob::new(b"bar".to_vec())).build(),
            ),
        ),
        (
            "StructurePayloadInput",
            &[
                0, 0, 0, 127, 0, 0, 0, 86, 156, 168, 92, 182, 13, 58, 109, 101, 115, 115, 97, 103,
                101, 45, 116, 121, 112, 101, 7, 0, 5, 101, 118, 101, 110, 116, 11, 58, 101, 118,
                101, 110, 116, 45, 116, 121, 112, 101, 7, 0, 16, 115, 116, 114, 117, 99, 116, 117,
                114, 101, 80, 97, 121, 108, 111, 97, 100, 13, 58, 99, 111, 110, 116, 101, 110, 116,
                45, 116, 121, 112, 101, 7, 0, 16, 97, 112, 112, 108, 105, 99, 97, 116, 105, 111,
                110, 47, 106, 115, 111, 110, 123, 34, 115, 116, 114, 117, 99, 116, 117, 114, 101,
                77, 101, 109, 98, 101, 114, 34, 58, 34, 102, 111, 111, 34, 125, 173, 194, 17, 84,
            ],
            EventStream::StructurePayload(
                StructurePayloadEvent::builder()
                    .payload(PayloadStructure::builder().structure_member("foo").build())
                    .build(),
            ),
        ),
        (
            "UnionPayloadInput",
            &[
                0, 0, 0, 119, 0, 0, 0, 82, 171, 181, 211, 110, 13, 58, 109, 101, 115, 115, 97, 103,
                101, 45, 116, 121, 112, 101, 7, 0, 5, 101, 118, 101, 110, 116, 11, 58, 101, 118,
                101, 110, 116, 45, 116, 121, 112, 101, 7, 0, 12, 117, 110, 105, 111, 110, 80, 97,
                121, 108, 111, 97, 100, 13, 58, 99, 111, 110, 116, 101, 110, 116, 45, 116, 121,
                112, 101, 7, 0, 16, 97, 112, 112, 108, 105, 99, 97, 116, 105, 111, 110, 47, 106,
                115, 111, 110, 123, 34, 117, 110, 105, 111, 110, 77, 101, 109, 98, 101, 114, 34,
                58, 34, 98, 97, 114, 34, 125, 198, 67, 48, 62,
            ],
            EventStream::UnionPayload(
                UnionPayloadEvent::builder()
                    .payload(PayloadUnion::UnionMember("bar".to_string()))
                    .build(),
            ),
        ),
        (
            "HeadersAndExplicitPayloadInput",
            &[
                0, 0, 0, 149, 0, 0, 0, 108, 56, 192, 90, 122, 13, 58, 109, 101, 115, 115, 97, 103,
                101, 45, 116, 121, 112, 101, 7, 0, 5, 101, 118, 101, 110, 116, 11, 58, 101, 118,
                101, 110, 116, 45, 116, 121, 112, 101, 7, 0, 25, 104, 101, 97, 100, 101, 114, 115,
                65, 110, 100, 69, 120, 112, 108, 105, 99, 105, 116, 80, 97, 121, 108, 111, 97, 100,
                13, 58, 99, 111, 110, 116, 101, 110, 116, 45, 116, 121, 112, 101, 7, 0, 16, 97,
                112, 112, 108, 105, 99, 97, 116, 105, 111, 110, 47, 106, 115, 111, 110, 6, 104,
                101, 97, 100, 101, 114, 7, 0, 3, 102, 111, 111, 123, 34, 115, 116, 114, 117, 99,
                116, 117, 114, 101, 77, 101, 109, 98, 101, 114, 34, 58, 34, 98, 97, 114, 34, 125,
                54, 159, 41, 123,
            ],
            EventStream::HeadersAndExplicitPayload(
                HeadersAndExplicitPayloadEvent::builder()
                    .header("foo")
                    .payload(PayloadStructure::builder().structure_member("bar").build())
                    .build(),
            ),
        ),
        (
            "HeadersAndImplicitPayloadInput",
            &[
                0, 0, 0, 141, 0, 0, 0, 108, 104, 80, 134, 57, 13, 58, 109, 101, 115, 115, 97, 103,
                101, 45, 116, 121, 112, 101, 7, 0, 5, 101, 118, 101, 110, 116, 11, 58, 101, 118,
                101, 110, 116, 45, 116, 121, 112, 101, 7, 0, 25, 104, 101, 97, 100, 101, 114, 115,
                65, 110, 100, 73, 109, 112, 108, 105, 99, 105, 116, 80, 97, 121, 108, 111, 97, 100,
                13, 58, 99, 111, 110, 116, 101, 110, 116, 45, 116, 121, 112, 101, 7, 0, 16, 97,
                112, 112, 108, 105, 99, 97, 116, 105, 111, 110, 47, 106, 115, 111, 110, 6, 104,
                101, 97, 100, 101, 114, 7, 0, 3, 102, 111, 111, 123, 34, 112, 97, 121, 108, 111,
                97, 100, 34, 58, 34, 98, 97, 114, 34, 125, 121, 149, 155, 83,
            ],
            EventStream::HeadersAndImplicitPayload(
                HeadersAndImplicitPayloadEvent::builder().header("foo").payload("bar").build(),
            ),
        ),
        (
            "ClientErrorInput",
            &[
                0, 0, 0, 116, 0, 0, 0, 83, 155, 18, 153, 40, 13, 58, 109, 101, 115, 115, 97, 103,
                101, 45, 116, 121, 112, 101, 7, 0, 9, 101, 120, 99, 101, 112, 116, 105, 111, 110,
                15, 58, 101, 120, 99, 101, 112, 116, 105, 111, 110, 45, 116, 121, 112, 101, 7, 0,
                5, 101, 114, 114, 111, 114, 13, 58, 99, 111, 110, 116, 101, 110, 116, 45, 116, 121,
                112, 101, 7, 0, 16, 97, 112, 112, 108, 105, 99, 97, 116, 105, 111, 110, 47, 106,
                115, 111, 110, 123, 34, 109, 101, 115, 115, 97, 103, 101, 34, 58, 34, 102, 111,
                111, 34, 125, 59, 154, 213, 47,
            ],
            EventStream::Error(ErrorEvent::builder().message("foo").build()),
        ),
    ];
    assert_eq!(cases.len(), 16);
    for (id, frame, event) in cases {
        let message = event.marshal().unwrap();
        if id == "MultipleHeaderInput" {
            // The suite writes the headers in its parameters' order; the crate writes them in
            // the members' order (the order of headers carries no meaning): the same headers,
            // in another order, and the same payload.
            let expected = Message::decode(frame).unwrap();
            let sorted = |m: &Message| {
                let mut headers = m.headers().to_vec();
                headers.sort_by(|a, b| a.name().cmp(b.name()));
                headers
            };
            assert_eq!(sorted(&message), sorted(&expected), "{id}");
            assert_eq!(message.payload(), expected.payload(), "{id}");
            assert_ne!(message.encode().unwrap(), frame, "{id}: now in the suite's order");
            continue;
        }
        assert_eq!(message.encode().unwrap(), frame, "{id}");
    }
}

// --- the server's side, in process: the router reads input events and writes output events --

mod server {
    use std::sync::{Arc, Mutex};

    use synthetic_event_streams::event_stream::EventStreamError as StreamError;
    use synthetic_event_streams::operation::input_stream::{
        InputStreamError, InputStreamInput, InputStreamOutput,
    };
    use synthetic_event_streams::operation::output_stream::{
        OutputStream, OutputStreamError, OutputStreamInput, OutputStreamOutput,
    };
    use synthetic_event_streams::server::{Router, SyntheticEventStreams};
    use synthetic_event_streams::types::error::ErrorEvent;
    use synthetic_event_streams::types::{
        EventStream, EventStreamError, HeadersEvent, StringPayloadEvent,
    };

    use super::ready;

    fn events() -> Vec<EventStream> {
        vec![
            EventStream::StringPayload(StringPayloadEvent::builder().payload("one").build()),
            EventStream::Headers(
                HeadersEvent::builder().int_header(2).string_header("two").build(),
            ),
        ]
    }

    #[derive(Default)]
    struct Service {
        received: Arc<Mutex<Vec<EventStream>>>,
    }

    impl SyntheticEventStreams for Service {
        async fn input_stream(
            &self,
            mut input: InputStreamInput,
        ) -> Result<InputStreamOutput, InputStreamError> {
            let mut stream = input.stream.take().expect("the request carries the stream");
            while let Some(event) = stream.recv().await.expect("the input events read") {
                self.received.lock().unwrap().push(event);
            }
            Ok(InputStreamOutput::builder().build())
        }

        async fn output_stream(
            &self,
            _input: OutputStreamInput,
        ) -> Result<OutputStreamOutput, OutputStreamError> {
            Ok(OutputStreamOutput::builder().stream(events()).build())
        }
    }

    #[test]
    fn the_server_reads_the_input_events_of_a_request() {
        let service = Service::default();
        let received = service.received.clone();
        let router = Router::new(service);
        let mut body = Vec::new();
        for event in events() {
            body.extend(event.marshal().unwrap().encode().unwrap());
        }
        let request = http::Request::post("/InputStream")
            .header("content-type", "application/vnd.amazon.eventstream")
            .body(body)
            .unwrap();
        let response = ready(router.handle(request));
        assert_eq!(response.status(), 200);
        assert_eq!(*received.lock().unwrap(), events());
    }

    #[test]
    fn the_server_writes_the_output_events_the_client_reads() {
        let router = Router::new(Service::default());
        let request = http::Request::post("/OutputStream").body(Vec::new()).unwrap();
        let response = ready(router.handle(request));
        assert_eq!(response.status(), 200);
        assert_eq!(response.headers()["content-type"], "application/vnd.amazon.eventstream");
        assert!(response.headers().get("content-length").is_none(), "the body streams");
        let mut output = ready(OutputStream::deserialize_streaming_response(response)).unwrap();
        let stream = output.stream.as_mut().unwrap();
        let mut read = Vec::new();
        while let Some(event) = ready(stream.recv()).unwrap() {
            read.push(event);
        }
        assert_eq!(read, events());
    }

    /// Ends its output stream with the modeled exception (a union member targeting an error).
    struct Failing;

    impl SyntheticEventStreams for Failing {
        async fn input_stream(
            &self,
            _input: InputStreamInput,
        ) -> Result<InputStreamOutput, InputStreamError> {
            Ok(InputStreamOutput::builder().build())
        }

        async fn output_stream(
            &self,
            _input: OutputStreamInput,
        ) -> Result<OutputStreamOutput, OutputStreamError> {
            let mut events = events();
            events.push(EventStream::Error(ErrorEvent::builder().message("late").build()));
            Ok(OutputStreamOutput::builder().stream(events).build())
        }
    }

    #[test]
    fn a_server_ends_a_stream_with_a_modeled_exception() {
        let router = Router::new(Failing);
        let request = http::Request::post("/OutputStream").body(Vec::new()).unwrap();
        let response = ready(router.handle(request));
        let mut output = ready(OutputStream::deserialize_streaming_response(response)).unwrap();
        let stream = output.stream.as_mut().unwrap();
        let mut read = Vec::new();
        let end = loop {
            match ready(stream.recv()) {
                Ok(Some(event)) => read.push(event),
                Ok(None) => break None,
                Err(e) => break Some(e),
            }
        };
        assert_eq!(read, events());
        match end {
            Some(StreamError::Service(EventStreamError::Error(e))) => {
                assert_eq!(e.message.as_deref(), Some("late"))
            }
            other => panic!("{other:?}"),
        }
    }
}

// --- a body read as it arrives --------------------------------------------------------------

mod arriving {
    use std::collections::VecDeque;
    use std::pin::Pin;
    use std::sync::{Arc, Mutex};
    use std::task::{Context, Poll};

    use synthetic_event_streams::byte_stream::ByteStream;
    use synthetic_event_streams::operation::output_stream::{OutputStream, OutputStreamError};
    use synthetic_event_streams::types::{EventStream, StringPayloadEvent};

    use super::{poll_once, ready};

    /// A body whose chunks the test hands over one at a time (`None`: the end); it waits while
    /// it has none.
    #[derive(Clone, Default)]
    struct Arriving(Arc<Mutex<VecDeque<Option<bytes::Bytes>>>>);

    impl futures_core::Stream for Arriving {
        type Item = Result<bytes::Bytes, std::io::Error>;
        fn poll_next(self: Pin<&mut Self>, _: &mut Context<'_>) -> Poll<Option<Self::Item>> {
            match self.0.lock().unwrap().pop_front() {
                Some(Some(chunk)) => Poll::Ready(Some(Ok(chunk))),
                Some(None) => Poll::Ready(None),
                None => Poll::Pending,
            }
        }
    }

    fn text(payload: &str) -> EventStream {
        EventStream::StringPayload(StringPayloadEvent::builder().payload(payload).build())
    }

    #[test]
    fn each_event_is_read_when_its_bytes_arrive() {
        let body = Arriving::default();
        let send = |chunk: Option<&[u8]>| {
            body.0.lock().unwrap().push_back(chunk.map(bytes::Bytes::copy_from_slice));
        };
        let response = http::Response::builder()
            .status(200)
            .body(ByteStream::from_stream(body.clone()))
            .unwrap();
        // The output is there before any byte of the body.
        let mut output = ready(OutputStream::deserialize_streaming_response(response)).unwrap();
        let stream = output.stream.as_mut().unwrap();
        let first = text("first").marshal().unwrap().encode().unwrap();
        let second = text("second").marshal().unwrap().encode().unwrap();
        // Nothing has arrived: the receiver waits.
        assert!(poll_once(stream.recv()).is_none());
        // Half of the first message, then the rest with the start of the second.
        let mut recv = Box::pin(stream.recv());
        send(Some(&first[..10]));
        assert!(poll_once(recv.as_mut()).is_none());
        let mut rest = first[10..].to_vec();
        rest.extend_from_slice(&second[..5]);
        send(Some(&rest));
        assert_eq!(poll_once(recv.as_mut()).unwrap().unwrap(), Some(text("first")));
        drop(recv);
        assert!(poll_once(stream.recv()).is_none(), "the second message is not complete");
        send(Some(&second[5..]));
        send(None);
        assert_eq!(ready(stream.recv()).unwrap(), Some(text("second")));
        assert_eq!(ready(stream.recv()).unwrap(), None);
    }

    #[test]
    fn an_error_response_is_read_whole() {
        let body = Arriving::default();
        let json = br#"{"message":"no"}"#;
        body.0.lock().unwrap().extend([Some(bytes::Bytes::from_static(json)), None]);
        let response = http::Response::builder()
            .status(400)
            .header("x-amzn-errortype", "Whatever")
            .body(ByteStream::from_stream(body))
            .unwrap();
        match ready(OutputStream::deserialize_streaming_response(response)) {
            Err(synthetic_event_streams::error::ResponseError::Service(
                OutputStreamError::Unhandled(e),
            )) => {
                assert_eq!(e.code(), Some("Whatever"));
                assert_eq!(e.message(), Some("no"));
            }
            other => panic!("{other:?}"),
        }
    }
}

// --- the streaming router: output events written as they come, input events read as they arrive

mod streaming_server {
    use std::collections::VecDeque;
    use std::future::Future;
    use std::pin::Pin;
    use std::sync::{Arc, Mutex};
    use std::task::{Context, Poll};
    use std::time::{Duration, UNIX_EPOCH};

    use synthetic_event_streams::byte_stream::ByteStream;
    use synthetic_event_streams::client::Credentials;
    use synthetic_event_streams::event_stream::{
        EnvelopeVerifier, EventStream as Events, EventStreamError as StreamError, Message,
        MessageSigner, MessageVerifier,
    };
    use synthetic_event_streams::operation::input_stream::{
        InputStreamError, InputStreamInput, InputStreamOutput,
    };
    use synthetic_event_streams::operation::output_stream::{
        OutputStream, OutputStreamError, OutputStreamInput, OutputStreamOutput,
    };
    use synthetic_event_streams::server::{Router, SyntheticEventStreams};
    use synthetic_event_streams::types::error::ErrorEvent;
    use synthetic_event_streams::types::{EventStream, EventStreamError, StringPayloadEvent};

    use super::{poll_once, ready};

    fn text(payload: &str) -> EventStream {
        EventStream::StringPayload(StringPayloadEvent::builder().payload(payload).build())
    }

    /// Items the test hands over one at a time (`None`: the end); the stream waits while it
    /// has none.
    struct Queue<T>(Arc<Mutex<VecDeque<Option<T>>>>);

    impl<T> Clone for Queue<T> {
        fn clone(&self) -> Self {
            Queue(self.0.clone())
        }
    }

    impl<T> Queue<T> {
        fn new() -> Self {
            Queue(Arc::new(Mutex::new(VecDeque::new())))
        }

        fn push(&self, item: Option<T>) {
            self.0.lock().unwrap().push_back(item);
        }
    }

    impl<T> futures_core::Stream for Queue<T> {
        type Item = T;
        fn poll_next(self: Pin<&mut Self>, _: &mut Context<'_>) -> Poll<Option<T>> {
            match self.0.lock().unwrap().pop_front() {
                Some(Some(item)) => Poll::Ready(Some(item)),
                Some(None) => Poll::Ready(None),
                None => Poll::Pending,
            }
        }
    }

    type Outgoing = Queue<Result<EventStream, EventStreamError>>;

    /// Answers `OutputStream` with the events the test hands over as they come, and records
    /// `InputStream`'s events as they arrive, and how its stream ended.
    #[derive(Clone)]
    struct Live {
        outgoing: Outgoing,
        received: Arc<Mutex<Vec<EventStream>>>,
        end: Arc<Mutex<Option<Result<(), String>>>>,
    }

    impl Live {
        fn new() -> Self {
            Live { outgoing: Queue::new(), received: Arc::default(), end: Arc::default() }
        }
    }

    impl SyntheticEventStreams for Live {
        async fn input_stream(
            &self,
            mut input: InputStreamInput,
        ) -> Result<InputStreamOutput, InputStreamError> {
            let mut stream = input.stream.take().expect("the request carries the stream");
            let end = loop {
                match stream.recv().await {
                    Ok(Some(event)) => self.received.lock().unwrap().push(event),
                    Ok(None) => break Ok(()),
                    Err(e) => break Err(e.to_string()),
                }
            };
            *self.end.lock().unwrap() = Some(end);
            Ok(InputStreamOutput::builder().build())
        }

        async fn output_stream(
            &self,
            _input: OutputStreamInput,
        ) -> Result<OutputStreamOutput, OutputStreamError> {
            let stream = Events::from_stream(self.outgoing.clone());
            Ok(OutputStreamOutput::builder().stream(stream).build())
        }
    }

    #[test]
    fn the_first_event_is_readable_before_the_stream_ends() {
        let service = Live::new();
        let outgoing = service.outgoing.clone();
        let router = Router::new(service);
        let request = http::Request::post("/OutputStream").body(Vec::new()).unwrap();
        // The head is answered before the handler's stream has yielded anything.
        let response = ready(router.handle(request));
        assert_eq!(response.status(), 200);
        assert_eq!(response.headers()["content-type"], "application/vnd.amazon.eventstream");
        let mut output = ready(OutputStream::deserialize_streaming_response(response)).unwrap();
        let stream = output.stream.as_mut().unwrap();
        assert!(poll_once(stream.recv()).is_none(), "no event yet");
        outgoing.push(Some(Ok(text("first"))));
        assert_eq!(poll_once(stream.recv()).unwrap().unwrap(), Some(text("first")));
        assert!(poll_once(stream.recv()).is_none(), "the stream has not ended");
        outgoing.push(Some(Ok(text("second"))));
        outgoing.push(None);
        assert_eq!(ready(stream.recv()).unwrap(), Some(text("second")));
        assert_eq!(ready(stream.recv()).unwrap(), None);
    }

    #[test]
    fn a_stream_ending_with_an_exception_is_written_as_an_exception_message() {
        let service = Live::new();
        let outgoing = service.outgoing.clone();
        let router = Router::new(service);
        outgoing.push(Some(Ok(text("first"))));
        outgoing.push(Some(Err(EventStreamError::Error(
            ErrorEvent::builder().message("late").build(),
        ))));
        let request = http::Request::post("/OutputStream").body(Vec::new()).unwrap();
        let body = ready(ready(router.handle(request)).into_body().collect()).unwrap();
        // Two messages, read back by an independent decoder: the event, then the exception.
        let len = u32::from_be_bytes([body[0], body[1], body[2], body[3]]) as usize;
        let first = Message::decode(&body[..len]).unwrap();
        assert_eq!(first.payload(), b"first");
        let second = Message::decode(&body[len..]).unwrap();
        let header = |name: &str| second.header(name).and_then(|v| v.as_str()).map(str::to_owned);
        assert_eq!(header(":message-type").as_deref(), Some("exception"));
        assert_eq!(header(":exception-type").as_deref(), Some("error"));
        assert_eq!(second.payload(), br#"{"message":"late"}"#);
        // And by the generated client's reader: the typed exception.
        let response = http::Response::builder().status(200).body(body.to_vec()).unwrap();
        let mut output = OutputStream::deserialize_response(&response).unwrap();
        let stream = output.stream.as_mut().unwrap();
        assert_eq!(ready(stream.recv()).unwrap(), Some(text("first")));
        match ready(stream.recv()) {
            Err(StreamError::Service(EventStreamError::Error(e))) => {
                assert_eq!(e.message.as_deref(), Some("late"))
            }
            other => panic!("{other:?}"),
        }
    }

    /// Polls a future kept across calls: `Some` once it is ready.
    fn poll_pinned<F: Future + ?Sized>(future: &mut Pin<Box<F>>) -> Option<F::Output> {
        poll_once(future.as_mut())
    }

    #[test]
    fn input_events_reach_the_handler_as_they_arrive() {
        let service = Live::new();
        let received = service.received.clone();
        let end = service.end.clone();
        let router = Router::new(service);
        let chunks: Queue<Result<bytes::Bytes, std::io::Error>> = Queue::new();
        let request = http::Request::post("/InputStream")
            .header("content-type", "application/vnd.amazon.eventstream")
            .body(ByteStream::from_stream(chunks.clone()))
            .unwrap();
        let mut handling = Box::pin(router.handle(request));
        assert!(poll_pinned(&mut handling).is_none(), "no event has arrived");
        let first = text("first").marshal().unwrap().encode().unwrap();
        let second = text("second").marshal().unwrap().encode().unwrap();
        chunks.push(Some(Ok(bytes::Bytes::from(first))));
        chunks.push(Some(Ok(bytes::Bytes::copy_from_slice(&second[..7]))));
        assert!(poll_pinned(&mut handling).is_none(), "the body goes on");
        assert_eq!(*received.lock().unwrap(), vec![text("first")], "read before the end");
        chunks.push(Some(Ok(bytes::Bytes::copy_from_slice(&second[7..]))));
        chunks.push(None);
        let response = poll_pinned(&mut handling).expect("the body ended");
        assert_eq!(response.status(), 200);
        assert_eq!(*received.lock().unwrap(), vec![text("first"), text("second")]);
        assert_eq!(*end.lock().unwrap(), Some(Ok(())));
    }

    const SEED: &str = "4b1d3a5e0f3cc0a37e6bd1fa37d1a2b98e4b5f1c8d0ea0c9c85a5ad2a1bde0ad";

    fn credentials(secret: &str) -> Credentials {
        Credentials::new("AKIDEXAMPLE", secret, None, None, "test")
    }

    /// A signed input stream's body: each event in its envelope, then the final empty one.
    fn signed_body(events: &[EventStream]) -> Vec<u8> {
        let mut signer = MessageSigner::new(credentials("secret"), "us-east-1", "svc", SEED);
        let mut body = Vec::new();
        for (i, event) in events.iter().enumerate() {
            let at = UNIX_EPOCH + Duration::from_secs(1_700_000_000 + i as u64);
            let envelope = signer.sign(&event.marshal().unwrap(), at).unwrap();
            body.extend(envelope.encode().unwrap());
        }
        let at = UNIX_EPOCH + Duration::from_secs(1_700_000_100);
        body.extend(signer.sign_end(at).unwrap().encode().unwrap());
        body
    }

    /// Sends `body` as a signed input stream checked with the secret `secret`; what the
    /// handler received and how its stream ended.
    fn send_signed(body: Vec<u8>, secret: &str) -> (Vec<EventStream>, Option<Result<(), String>>) {
        let service = Live::new();
        let (received, end) = (service.received.clone(), service.end.clone());
        let router = Router::new(service);
        let verifier = MessageVerifier::new(&credentials(secret), "us-east-1", "svc", SEED);
        let mut request = http::Request::post("/InputStream")
            .header("content-type", "application/vnd.amazon.eventstream")
            .header("x-amz-content-sha256", "STREAMING-AWS4-HMAC-SHA256-EVENTS")
            .body(body)
            .unwrap();
        request.extensions_mut().insert(EnvelopeVerifier::from(verifier));
        assert_eq!(ready(router.handle(request)).status(), 200);
        let received = received.lock().unwrap().clone();
        let end = end.lock().unwrap().clone();
        (received, end)
    }

    #[test]
    fn signed_envelopes_are_verified_and_opened() {
        let events = vec![text("first"), text("second")];
        let (received, end) = send_signed(signed_body(&events), "secret");
        assert_eq!(received, events);
        assert_eq!(end, Some(Ok(())));
    }

    #[test]
    fn a_wrong_signature_ends_the_stream_at_that_envelope() {
        let events = vec![text("first"), text("second")];
        let (received, end) = send_signed(signed_body(&events), "another secret");
        assert!(received.is_empty(), "{received:?}");
        let end = end.unwrap().unwrap_err();
        assert!(end.contains("signature does not match"), "{end}");
        // A tampered payload in the second envelope: the first event only.
        let mut body = signed_body(&events);
        let first_len = u32::from_be_bytes([body[0], body[1], body[2], body[3]]) as usize;
        let second_len = u32::from_be_bytes([
            body[first_len],
            body[first_len + 1],
            body[first_len + 2],
            body[first_len + 3],
        ]) as usize;
        let second = Message::decode(&body[first_len..first_len + second_len]).unwrap();
        let (headers, mut payload) = second.into_parts();
        let last = payload.len() - 5;
        payload[last] ^= 1;
        let tampered = Message::from_parts(headers, payload).encode().unwrap();
        body.splice(first_len..first_len + second_len, tampered);
        let (received, end) = send_signed(body, "secret");
        assert_eq!(received, vec![text("first")]);
        assert!(end.unwrap().unwrap_err().contains("signature does not match"));
    }

    #[test]
    fn a_signed_stream_cut_before_its_final_envelope_fails() {
        let events = vec![text("first")];
        let mut body = signed_body(&events);
        let first_len = u32::from_be_bytes([body[0], body[1], body[2], body[3]]) as usize;
        body.truncate(first_len);
        let (received, end) = send_signed(body, "secret");
        assert_eq!(received, events);
        let end = end.unwrap().unwrap_err();
        assert!(end.contains("without the final empty message"), "{end}");
    }
}

// --- beyond the suite: required headers (an enum, a timestamp) and a required blob payload ----

mod required {
    use synthetic_event_streams::event_stream::{
        EventStreamError as StreamError, HeaderValue, Message,
    };
    use synthetic_event_streams::primitives::{Blob, DateTime};
    use synthetic_event_streams::types::{Color, EventStream, TaggedEvent};

    use super::read;

    fn tagged() -> EventStream {
        let event = TaggedEvent::builder()
            .color(Color::Red)
            .at(DateTime::from_secs(1_700_000_000))
            .data(Blob::new(b"xyz".to_vec()))
            .build()
            .unwrap();
        EventStream::Tagged(event)
    }

    #[test]
    fn an_enum_and_a_timestamp_header_and_a_blob_payload() {
        let message = tagged().marshal().unwrap();
        assert_eq!(message.header(":event-type"), Some(&HeaderValue::String("tagged".into())));
        assert_eq!(
            message.header(":content-type"),
            Some(&HeaderValue::String("application/octet-stream".into()))
        );
        assert_eq!(message.header("color"), Some(&HeaderValue::String("red".into())));
        assert_eq!(
            message.header("at"),
            Some(&HeaderValue::Timestamp(DateTime::from_secs(1_700_000_000)))
        );
        assert_eq!(message.payload(), b"xyz");
        let (events, end) = read(&message.encode().unwrap());
        assert!(end.is_none(), "{end:?}");
        assert_eq!(events, vec![tagged()]);
    }

    #[test]
    fn a_missing_or_mistyped_required_header() {
        let missing = Message::event("tagged", Some("application/octet-stream"), b"xyz".to_vec())
            .with_header("color", "red");
        let (events, end) = read(&missing.encode().unwrap());
        assert!(events.is_empty());
        assert!(matches!(end, Some(StreamError::Deserialize(_))), "{end:?}");
        let mistyped = Message::event("tagged", Some("application/octet-stream"), b"xyz".to_vec())
            .with_header("color", 1_i32)
            .with_header("at", DateTime::from_secs(0));
        let (events, end) = read(&mistyped.encode().unwrap());
        assert!(events.is_empty());
        assert!(matches!(end, Some(StreamError::Deserialize(_))), "{end:?}");
    }
}

// --- the client's side: an input event stream sent as the request body ---------------------

mod client_input {
    use std::sync::{Arc, Mutex};

    use synthetic_event_streams::byte_stream::ByteStream;
    use synthetic_event_streams::client::{
        Client, Config, Region, RetryConfig, StreamingTransportFuture, Transport,
        TransportError, TransportFuture,
    };
    use synthetic_event_streams::event_stream::{Decoder, EventStream as Events};
    use synthetic_event_streams::types::{EventStream, HeadersEvent, StringPayloadEvent};

    use super::ready;

    /// The head and body of each request a [`Capture`] received.
    type Sent = Arc<Mutex<Vec<(http::request::Parts, Vec<u8>)>>>;

    /// Reads each request's body as it streams in; answers 200.
    #[derive(Clone, Default)]
    struct Capture(Sent);

    impl Transport for Capture {
        fn send(&self, _request: http::Request<Vec<u8>>) -> TransportFuture<'_> {
            Box::pin(std::future::ready(Err(TransportError::other("sent as a stream"))))
        }

        fn send_streaming(
            &self,
            request: http::Request<ByteStream>,
        ) -> StreamingTransportFuture<'_> {
            Box::pin(async move {
                let (parts, body) = request.into_parts();
                let body = body.collect().await.map_err(TransportError::io)?;
                self.0.lock().unwrap().push((parts, body.to_vec()));
                Ok(http::Response::new(ByteStream::empty()))
            })
        }
    }

    #[test]
    fn the_client_sends_input_events_as_the_request_body() {
        let events = vec![
            EventStream::StringPayload(StringPayloadEvent::builder().payload("one").build()),
            EventStream::Headers(HeadersEvent::builder().int_header(2).build()),
        ];
        let expected: Vec<Vec<u8>> =
            events.iter().map(|e| e.marshal().unwrap().encode().unwrap()).collect();
        let capture = Capture::default();
        let config = Config::builder()
            .region(Region::from_static("us-east-1"))
            .endpoint_url("https://events.example.com")
            .transport(capture.clone())
            .retry_config(RetryConfig::disabled())
            .build();
        let client = Client::from_conf(config);
        let call = client.input_stream().stream(Events::from_events(events)).send();
        ready(call).expect("sent");
        let sent = capture.0.lock().unwrap();
        let (parts, body) = &sent[0];
        assert_eq!(parts.uri.path(), "/InputStream");
        assert_eq!(parts.headers["content-type"], "application/vnd.amazon.eventstream");
        // Not signed: no `STREAMING-AWS4-HMAC-SHA256-EVENTS`, no envelopes.
        assert!(!parts.headers.contains_key("x-amz-content-sha256"));
        let mut decoder = Decoder::new();
        let mut input = &body[..];
        let mut frames = Vec::new();
        while let Some(message) = decoder.decode(&mut input).unwrap() {
            frames.push(message.encode().unwrap());
        }
        decoder.finish().expect("the body ends between messages");
        assert_eq!(frames, expected);
    }
}
