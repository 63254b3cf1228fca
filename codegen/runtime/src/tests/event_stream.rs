//! The event-stream framing (`event_stream/`) against independent references:
//! - CRC-32 against the `crc32fast` crate;
//! - encoding and decoding against `aws-smithy-eventstream` (the official Rust SDK's), both ways,
//!   byte for byte, on generated messages, with the input cut into chunks anywhere;
//! - the event-stream cases of the official protocol compliance suite
//!   (`tests/event_stream/fixtures/compliance_frames.json`);
//! - frames encoded by smithy-python's `smithy-aws-event-stream` and decoded by it and by
//!   botocore, and damaged frames they reject (`tests/event_stream/fixtures/python_references.json`);
//! - every limit and error, and a seeded fuzz loop over damaged and hand-made frames whose
//!   verdicts are held to `aws-smithy-eventstream`'s.

use aws_smithy_eventstream::frame::{read_message_from, write_message_to};
use aws_smithy_types::event_stream as aws;
use base64::Engine as _;
use proptest::prelude::*;
use serde_json::Value;

use super::rng::Rng;
use crate::event_stream::crc32;
use crate::event_stream::{
    Decoder, FrameError, Header, HeaderValue, Kind, Limits, Message, MessageError,
};
use crate::primitives::{DateTime, Format};

fn b64(text: &str) -> Vec<u8> {
    base64::engine::general_purpose::STANDARD.decode(text).expect("base64")
}

// --- CRC-32 -------------------------------------------------------------------------------

#[test]
fn crc32_known_values() {
    assert_eq!(crc32::checksum(b""), 0);
    assert_eq!(crc32::checksum(b"123456789"), 0xCBF4_3926);
    assert_eq!(crc32::checksum(b"The quick brown fox jumps over the lazy dog"), 0x414F_A339);
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    /// One pass and any split into two updates give `crc32fast`'s CRC.
    #[test]
    fn crc32_agrees_with_crc32fast(data in proptest::collection::vec(any::<u8>(), 0..2000), cut in any::<prop::sample::Index>()) {
        let expected = crc32fast::hash(&data);
        prop_assert_eq!(crc32::checksum(&data), expected);
        let cut = cut.index(data.len() + 1);
        let mut crc = crc32::Crc32::new();
        crc.update(&data[..cut]);
        crc.update(&data[cut..]);
        prop_assert_eq!(crc.finish(), expected);
    }
}

#[test]
fn crc32_of_every_length_up_to_64_and_a_large_input() {
    let data: Vec<u8> =
        (0..(1 << 20) + 13).map(|i: u32| (i.wrapping_mul(2_654_435_761) >> 13) as u8).collect();
    for len in 0..=64 {
        assert_eq!(crc32::checksum(&data[..len]), crc32fast::hash(&data[..len]), "{len} bytes");
    }
    assert_eq!(crc32::checksum(&data), crc32fast::hash(&data));
}

// --- aws-smithy-eventstream as the oracle -----------------------------------------------------

fn to_aws(message: &Message) -> aws::Message {
    let headers = message
        .headers()
        .iter()
        .map(|h| {
            let value = match h.value() {
                HeaderValue::Bool(v) => aws::HeaderValue::Bool(*v),
                HeaderValue::Byte(v) => aws::HeaderValue::Byte(*v),
                HeaderValue::Short(v) => aws::HeaderValue::Int16(*v),
                HeaderValue::Int(v) => aws::HeaderValue::Int32(*v),
                HeaderValue::Long(v) => aws::HeaderValue::Int64(*v),
                HeaderValue::Bytes(v) => aws::HeaderValue::ByteArray(v.clone().into()),
                HeaderValue::String(v) => aws::HeaderValue::String(v.clone().into()),
                HeaderValue::Timestamp(v) => aws::HeaderValue::Timestamp(
                    aws_smithy_types::DateTime::from_secs_and_nanos(v.secs(), v.subsec_nanos()),
                ),
                HeaderValue::Uuid(v) => aws::HeaderValue::Uuid(u128::from_be_bytes(*v)),
            };
            aws::Header::new(h.name().to_owned(), value)
        })
        .collect();
    aws::Message::new_from_parts(headers, message.payload().to_vec())
}

fn from_aws(message: &aws::Message) -> Message {
    let headers = message
        .headers()
        .iter()
        .map(|h| {
            let value = match h.value() {
                aws::HeaderValue::Bool(v) => HeaderValue::Bool(*v),
                aws::HeaderValue::Byte(v) => HeaderValue::Byte(*v),
                aws::HeaderValue::Int16(v) => HeaderValue::Short(*v),
                aws::HeaderValue::Int32(v) => HeaderValue::Int(*v),
                aws::HeaderValue::Int64(v) => HeaderValue::Long(*v),
                aws::HeaderValue::ByteArray(v) => HeaderValue::Bytes(v.to_vec()),
                aws::HeaderValue::String(v) => HeaderValue::String(v.as_str().to_owned()),
                aws::HeaderValue::Timestamp(v) => HeaderValue::Timestamp(
                    DateTime::from_secs_and_nanos(v.secs(), v.subsec_nanos()),
                ),
                aws::HeaderValue::Uuid(v) => HeaderValue::Uuid(v.to_be_bytes()),
                other => panic!("unexpected header value {other:?}"),
            };
            Header::new(h.name().as_str(), value)
        })
        .collect();
    Message::from_parts(headers, message.payload().to_vec())
}

fn aws_encode(message: &Message) -> Vec<u8> {
    let mut out = Vec::new();
    write_message_to(&to_aws(message), &mut out).expect("the reference encodes it");
    out
}

fn header_value() -> impl Strategy<Value = HeaderValue> {
    prop_oneof![
        any::<bool>().prop_map(HeaderValue::Bool),
        any::<i8>().prop_map(HeaderValue::Byte),
        any::<i16>().prop_map(HeaderValue::Short),
        any::<i32>().prop_map(HeaderValue::Int),
        any::<i64>().prop_map(HeaderValue::Long),
        proptest::collection::vec(any::<u8>(), 0..300).prop_map(HeaderValue::Bytes),
        "\\PC{0,40}".prop_map(HeaderValue::String),
        // Whole milliseconds within ±292 million years: what the reference's `to_millis` takes.
        (-(1i64 << 62)..(1i64 << 62))
            .prop_map(|ms| HeaderValue::Timestamp(DateTime::from_millis(ms))),
        any::<[u8; 16]>().prop_map(HeaderValue::Uuid),
    ]
}

fn header_name() -> impl Strategy<Value = String> {
    prop_oneof![
        8 => "[a-zA-Z:-]{0,20}",
        1 => "\\PC{1,60}".prop_filter("at most 255 bytes", |s| s.len() <= 255),
        1 => Just("n".repeat(255)),
    ]
}

/// Messages with unique header names (the first of a repeated name is kept).
fn message() -> impl Strategy<Value = Message> {
    (
        proptest::collection::vec((header_name(), header_value()), 0..12),
        proptest::collection::vec(any::<u8>(), 0..1500),
    )
        .prop_map(|(headers, payload)| {
            let mut message = Message::new(payload);
            for (name, value) in headers {
                if message.header(&name).is_none() {
                    message.push_header(Header::new(name, value));
                }
            }
            message
        })
}

/// Feeds `bytes` to a decoder cut at `cuts` (sorted offsets), collecting the messages.
fn decode_in_pieces(bytes: &[u8], cuts: &[usize]) -> Result<Vec<Message>, FrameError> {
    let mut decoder = Decoder::new();
    let mut messages = Vec::new();
    let mut start = 0;
    for &end in cuts.iter().chain([&bytes.len()]) {
        let end = end.clamp(start, bytes.len());
        let mut input = &bytes[start..end];
        while let Some(message) = decoder.decode(&mut input)? {
            messages.push(message);
        }
        assert!(input.is_empty(), "the decoder leaves no input unread between messages");
        assert!(decoder.buffered() <= decoder.limits().max_message_len() as usize);
        start = end;
    }
    decoder.finish()?;
    Ok(messages)
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(160))]

    /// We encode byte for byte as the reference does, it reads what we wrote, and we read what
    /// it wrote back to the same message.
    #[test]
    fn encoding_agrees_with_aws_smithy_eventstream(message in message()) {
        let ours = message.encode().expect("encodable");
        prop_assert_eq!(&ours, &aws_encode(&message));
        let read = read_message_from(&mut &ours[..]).expect("the reference decodes our frame");
        prop_assert_eq!(from_aws(&read), message.clone());
        prop_assert_eq!(Message::decode(&ours).expect("we decode it"), message.clone());
        prop_assert_eq!(message.encoded_len(&Limits::default()).unwrap(), ours.len());
    }

    /// Several messages in a row, cut anywhere, decode to the same messages.
    #[test]
    fn any_chunking_decodes_the_same(
        messages in proptest::collection::vec(message(), 1..5),
        cuts in proptest::collection::vec(any::<prop::sample::Index>(), 0..12),
    ) {
        let stream: Vec<u8> = messages.iter().flat_map(aws_encode).collect();
        let mut cuts: Vec<usize> = cuts.iter().map(|c| c.index(stream.len() + 1)).collect();
        cuts.sort_unstable();
        prop_assert_eq!(decode_in_pieces(&stream, &cuts).expect("valid stream"), messages);
    }
}

#[test]
fn one_byte_at_a_time() {
    let messages = vec![
        Message::new(b"first".to_vec()).with_header("a", true).with_header("b", "x"),
        Message::default(),
        Message::new(vec![7; 5000]).with_header(":event-type", "AudioEvent"),
    ];
    let stream: Vec<u8> = messages.iter().flat_map(|m| m.encode().unwrap()).collect();
    let cuts: Vec<usize> = (1..stream.len()).collect();
    assert_eq!(decode_in_pieces(&stream, &cuts).unwrap(), messages);
}

#[test]
fn timestamps_round_trip_in_milliseconds_over_the_whole_range() {
    for millis in [i64::MIN, i64::MIN + 1, -1001, -1000, -999, -1, 0, 1, 999, 1000, i64::MAX] {
        let message = Message::default().with_header("t", DateTime::from_millis(millis));
        let decoded = Message::decode(&message.encode().unwrap()).unwrap();
        assert_eq!(decoded, message, "{millis} ms");
    }
    // Finer digits are dropped (toward the past), as the format has milliseconds only.
    let fine = Message::default().with_header("t", DateTime::from_secs_and_nanos(-1, 999_999_999));
    let decoded = Message::decode(&fine.encode().unwrap()).unwrap();
    assert_eq!(decoded.header("t"), Some(&HeaderValue::Timestamp(DateTime::from_millis(-1))));
    let too_late = Message::default().with_header("t", DateTime::from_secs(i64::MAX / 1000 + 1));
    assert_eq!(too_late.encode(), Err(FrameError::TimestampOutOfRange));
}

// --- the compliance suite ------------------------------------------------------------------

fn fixture(text: &str) -> Value {
    serde_json::from_str(text).expect("a JSON fixture")
}

/// A header value as the compliance suite writes it (`{ "string": "event" }`).
fn compliance_value(value: &Value) -> HeaderValue {
    let (kind, value) = value.as_object().unwrap().iter().next().unwrap();
    match kind.as_str() {
        "boolean" => HeaderValue::Bool(value.as_bool().unwrap()),
        "byte" => HeaderValue::Byte(value.as_i64().unwrap() as i8),
        "short" => HeaderValue::Short(value.as_i64().unwrap() as i16),
        "integer" => HeaderValue::Int(value.as_i64().unwrap() as i32),
        "long" => HeaderValue::Long(value.as_i64().unwrap()),
        "blob" => HeaderValue::Bytes(b64(value.as_str().unwrap())),
        "string" => HeaderValue::String(value.as_str().unwrap().to_owned()),
        "timestamp" => HeaderValue::Timestamp(
            DateTime::from_str(value.as_str().unwrap(), Format::DateTime).unwrap(),
        ),
        other => panic!("unknown header type {other}"),
    }
}

#[test]
fn compliance_suite_frames() {
    let fixture =
        fixture(include_str!("../../../../tests/event_stream/fixtures/compliance_frames.json"));
    let cases = fixture["cases"].as_array().unwrap();
    assert_eq!(cases.len(), 92, "every event of the suite's event-stream tests");
    let mut semantic_failures = 0;
    for case in cases {
        let id = case["id"].as_str().unwrap();
        let bytes = b64(case["bytes"].as_str().unwrap());
        let message = Message::decode(&bytes).unwrap_or_else(|e| panic!("{id}: {e}"));
        // The headers, as a map (the suite writes them as one), and the payload.
        let expected: Vec<(String, HeaderValue)> = case["headers"]
            .as_object()
            .unwrap()
            .iter()
            .map(|(name, value)| (name.clone(), compliance_value(value)))
            .collect();
        assert_eq!(message.headers().len(), expected.len(), "{id}");
        for (name, value) in &expected {
            assert_eq!(message.header(name), Some(value), "{id}: header {name}");
        }
        let body = case["body"].as_str().unwrap_or("");
        assert_eq!(message.payload(), body.as_bytes(), "{id}: payload");
        // Re-encoded, in the frame's header order: the same bytes.
        assert_eq!(message.encode().unwrap(), bytes, "{id}: re-encoded");
        // The headers say what the message is, unless the case is about bad headers.
        match message.kind() {
            Ok(kind) => {
                let message_type = message.header(":message-type").and_then(HeaderValue::as_str);
                match kind {
                    Kind::Event { event_type } => {
                        assert_eq!(message_type, Some("event"), "{id}");
                        assert_eq!(
                            message.header(":event-type").and_then(HeaderValue::as_str),
                            Some(event_type)
                        );
                    }
                    Kind::Exception { exception_type } => {
                        assert_eq!(message_type, Some("exception"), "{id}");
                        assert_eq!(exception_type, "error", "{id}");
                    }
                    Kind::Error { code, message } => {
                        assert_eq!(
                            (code, message),
                            ("internal-error", Some("An unknown error occurred."))
                        );
                    }
                }
            }
            Err(e) => {
                semantic_failures += 1;
                assert!(case["failure"].as_bool().unwrap(), "{id}: {e}");
                assert!(
                    [
                        "MissingMessageType",
                        "MalformedMessageType",
                        "MissingEventType",
                        "MalformedEventType"
                    ]
                    .iter()
                    .any(|p| id.contains(p)),
                    "{id}: {e}"
                );
            }
        }
    }
    // The missing and malformed `:message-type` and `:event-type` cases: 4 kinds, in input
    // and output streams, of `InputStream`/`OutputStream` and of `DuplexStream`.
    assert_eq!(semantic_failures, 16);
}

#[test]
fn constructors_write_the_compliance_suite_bytes() {
    let error = Message::exception("error", "application/json", br#"{"message":"foo"}"#.to_vec());
    assert_eq!(
        error.encode().unwrap(),
        b64("AAAAdAAAAFObEpkoDTptZXNzYWdlLXR5cGUHAAlleGNlcHRpb24POmV4Y2VwdGlvbi10eXBlBwAFZXJyb3INOmNvbnRlbnQtdHlwZQcAEGFwcGxpY2F0aW9uL2pzb257Im1lc3NhZ2UiOiJmb28ifTua1S8=")
    );
    let unmodeled = Message::error("internal-error", "An unknown error occurred.");
    assert_eq!(
        unmodeled.encode().unwrap(),
        b64("AAAAbwAAAF+FlHOQDTptZXNzYWdlLXR5cGUHAAVlcnJvcgs6ZXJyb3ItY29kZQcADmludGVybmFsLWVycm9yDjplcnJvci1tZXNzYWdlBwAaQW4gdW5rbm93biBlcnJvciBvY2N1cnJlZC4kun0t")
    );
    let event = Message::event(
        "headersAndImplicitPayload",
        Some("application/json"),
        br#"{"payload":"bar"}"#.to_vec(),
    )
    .with_header("header", "foo");
    assert_eq!(
        event.encode().unwrap(),
        b64("AAAAjQAAAGxoUIY5DTptZXNzYWdlLXR5cGUHAAVldmVudAs6ZXZlbnQtdHlwZQcAGWhlYWRlcnNBbmRJbXBsaWNpdFBheWxvYWQNOmNvbnRlbnQtdHlwZQcAEGFwcGxpY2F0aW9uL2pzb24GaGVhZGVyBwADZm9veyJwYXlsb2FkIjoiYmFyIn15lZtT")
    );
    let booleans = Message::event("headers", None, Vec::new()).with_header("booleanHeader", true);
    assert_eq!(
        booleans.encode().unwrap(),
        b64("AAAASwAAADv7Cl8VDTptZXNzYWdlLXR5cGUHAAVldmVudAs6ZXZlbnQtdHlwZQcAB2hlYWRlcnMNYm9vbGVhbkhlYWRlcgC4J9Ws")
    );
}

// --- message semantics ----------------------------------------------------------------------

#[test]
fn kinds_and_their_errors() {
    let initial = Message::initial_response("application/json", b"{}".to_vec());
    assert!(initial.kind().unwrap().is_initial_response());
    assert!(!initial.kind().unwrap().is_initial_request());
    assert!(Message::initial_request("application/json", Vec::new())
        .kind()
        .unwrap()
        .is_initial_request());
    assert_eq!(initial.content_type(), Ok(Some("application/json")));
    assert_eq!(
        Message::event("Chunk", None, Vec::new()).kind(),
        Ok(Kind::Event { event_type: "Chunk" })
    );
    assert_eq!(
        Message::exception("ThrottlingException", "application/json", Vec::new()).kind(),
        Ok(Kind::Exception { exception_type: "ThrottlingException" })
    );
    let bare_error =
        Message::default().with_header(":message-type", "error").with_header(":error-code", "E");
    assert_eq!(bare_error.kind(), Ok(Kind::Error { code: "E", message: None }));

    let missing = Message::default();
    assert_eq!(missing.kind(), Err(MessageError::MissingHeader { name: ":message-type" }));
    let no_event_type = Message::default().with_header(":message-type", "event");
    assert_eq!(no_event_type.kind(), Err(MessageError::MissingHeader { name: ":event-type" }));
    let no_code = Message::default().with_header(":message-type", "error");
    assert_eq!(no_code.kind(), Err(MessageError::MissingHeader { name: ":error-code" }));
    let blob_type = Message::default().with_header(":message-type", b"event".to_vec());
    assert_eq!(
        blob_type.kind(),
        Err(MessageError::NotAString { name: ":message-type", found: "bytes" })
    );
    let unknown = Message::default().with_header(":message-type", "gossip");
    assert_eq!(unknown.kind(), Err(MessageError::UnknownMessageType { value: "gossip".into() }));
    let bad_content_type = Message::default().with_header(":content-type", 5i32);
    assert_eq!(
        bad_content_type.content_type(),
        Err(MessageError::NotAString { name: ":content-type", found: "integer" })
    );
    assert_eq!(
        unknown.kind().unwrap_err().to_string(),
        "event-stream message of the unknown `:message-type` `gossip`"
    );
}

// --- the Python references ------------------------------------------------------------------

/// A header value as `python_references.py` describes it: `[name, type, value]`.
fn python_header(header: &Value) -> Header {
    let name = header[0].as_str().unwrap();
    let value = &header[2];
    let value = match header[1].as_str().unwrap() {
        "bool" => HeaderValue::Bool(value.as_bool().unwrap()),
        "byte" => HeaderValue::Byte(value.as_i64().unwrap() as i8),
        "short" => HeaderValue::Short(value.as_i64().unwrap() as i16),
        "int" => HeaderValue::Int(value.as_i64().unwrap() as i32),
        "long" => HeaderValue::Long(value.as_i64().unwrap()),
        "bytes" => HeaderValue::Bytes(b64(value.as_str().unwrap())),
        "string" => HeaderValue::String(value.as_str().unwrap().to_owned()),
        "timestamp" => HeaderValue::Timestamp(DateTime::from_millis(value.as_i64().unwrap())),
        "uuid" => HeaderValue::Uuid(b64(value.as_str().unwrap()).try_into().unwrap()),
        other => panic!("unknown type {other}"),
    };
    Header::new(name, value)
}

pub(super) fn python_message(case: &Value) -> Message {
    let headers = case["headers"].as_array().unwrap().iter().map(python_header).collect();
    Message::from_parts(headers, b64(case["payload"].as_str().unwrap()))
}

fn sha256_hex(bytes: &[u8]) -> String {
    use sha2::Digest as _;
    sha2::Sha256::digest(bytes).iter().map(|b| format!("{b:02x}")).collect()
}

/// A header value of ours as `json_value` in `python_references.py` writes a decoded one;
/// botocore reads timestamps as integers (milliseconds) and UUIDs as bytes.
fn python_view(value: &HeaderValue, botocore: bool) -> Value {
    let b64e = |b: &[u8]| base64::engine::general_purpose::STANDARD.encode(b);
    match value {
        HeaderValue::Bool(v) => Value::from(*v),
        HeaderValue::Byte(v) => Value::from(*v),
        HeaderValue::Short(v) => Value::from(*v),
        HeaderValue::Int(v) => Value::from(*v),
        HeaderValue::Long(v) => Value::from(*v),
        HeaderValue::String(v) if v.chars().count() <= 64 => Value::from(v.as_str()),
        HeaderValue::String(v) => serde_json::json!({ "string_sha256": sha256_hex(v.as_bytes()) }),
        HeaderValue::Bytes(v) if v.len() <= 64 => serde_json::json!({ "bytes": b64e(v) }),
        HeaderValue::Bytes(v) => serde_json::json!({ "bytes_sha256": sha256_hex(v) }),
        HeaderValue::Timestamp(v) => {
            let millis = v.secs() * 1000 + i64::from(v.subsec_nanos() / 1_000_000);
            if botocore {
                Value::from(millis)
            } else {
                serde_json::json!({ "timestamp_ms": millis })
            }
        }
        HeaderValue::Uuid(v) if botocore => serde_json::json!({ "bytes": b64e(v) }),
        HeaderValue::Uuid(v) => serde_json::json!({ "uuid": b64e(v) }),
    }
}

fn python_decoded(messages: &[Message], botocore: bool) -> Value {
    let messages: Vec<Value> = messages
        .iter()
        .map(|m| {
            let headers: serde_json::Map<String, Value> = m
                .headers()
                .iter()
                .map(|h| (h.name().to_owned(), python_view(h.value(), botocore)))
                .collect();
            serde_json::json!({ "headers": headers, "payload_sha256": sha256_hex(m.payload()) })
        })
        .collect();
    serde_json::json!({ "messages": messages })
}

#[test]
fn python_references_encode_as_we_do_and_decode_what_we_decode() {
    let fixture =
        fixture(include_str!("../../../../tests/event_stream/fixtures/python_references.json"));
    let cases = fixture["messages"].as_array().unwrap();
    assert_eq!(cases.len(), 18);
    for case in cases {
        let name = case["name"].as_str().unwrap();
        let message = python_message(case);
        let ours = message.encode().unwrap_or_else(|e| panic!("{name}: {e}"));
        // smithy-aws-event-stream wrote exactly these bytes.
        assert_eq!(ours.len() as u64, case["bytes_len"].as_u64().unwrap(), "{name}");
        assert_eq!(sha256_hex(&ours), case["bytes_sha256"].as_str().unwrap(), "{name}");
        if let Some(bytes) = case["bytes"].as_str() {
            assert_eq!(ours, b64(bytes), "{name}");
        }
        // botocore and smithy-python read from them what we read.
        let decoded = Message::decode(&ours).unwrap();
        assert_eq!(
            python_decoded(std::slice::from_ref(&decoded), true),
            case["botocore"],
            "{name}: botocore"
        );
        let mut smithy = case["smithy"].clone();
        if name == "timestamps" {
            // smithy-python reads a timestamp through a float of seconds, and loses the last
            // millisecond of 9999-12-31T23:59:59.999Z (botocore, the Rust SDK and we keep it).
            let far = &mut smithy["messages"][0]["headers"]["far"]["timestamp_ms"];
            assert_eq!(*far, 253_402_300_799_998_i64);
            *far = Value::from(253_402_300_799_999_i64);
        }
        assert_eq!(python_decoded(&[decoded], false), smithy, "{name}: smithy-aws-event-stream");
    }
}

#[test]
fn damaged_frames_are_rejected_as_the_python_references_reject_them() {
    let fixture =
        fixture(include_str!("../../../../tests/event_stream/fixtures/python_references.json"));
    let damaged = fixture["damaged"].as_array().unwrap();
    assert_eq!(damaged.len(), 12);
    for case in damaged {
        let name = case["name"].as_str().unwrap();
        let bytes = b64(case["bytes"].as_str().unwrap());
        let mut decoder = Decoder::new();
        let mut input = &bytes[..];
        let ours = decoder.decode(&mut input).and_then(|m| decoder.finish().map(|()| m));
        let botocore = &case["botocore"];
        let smithy = &case["smithy"];
        let rejected_by_both = botocore.get("error").is_some() && smithy.get("error").is_some();
        // botocore waits for more data where smithy-python reports the stream cut short.
        let truncated = botocore.get("incomplete").is_some() && smithy.get("error").is_some();
        match name {
            // Both references read a string's declared length past the headers section as
            // whatever bytes are there (Python slicing does not fail); we reject the frame.
            "header value past the headers" => {
                assert_eq!(ours, Err(FrameError::HeaderOverrun { offset: 0 }), "{name}");
            }
            // An empty header name: every reference (the Rust SDK's too) reads it, and so do we.
            "empty header name" => {
                let message = ours.unwrap_or_else(|e| panic!("{name}: {e}")).unwrap();
                assert_eq!(
                    python_decoded(std::slice::from_ref(&message), true),
                    *botocore,
                    "{name}"
                );
                assert_eq!(python_decoded(&[message], false), *smithy, "{name}");
            }
            _ => {
                assert!(rejected_by_both || truncated, "{name}: both references reject it");
                let error = ours.expect_err(name);
                let expected = match name {
                    "payload bit flipped (message CRC)" => {
                        matches!(error, FrameError::MessageChecksumMismatch { .. })
                    }
                    "total length bit flipped (prelude CRC)" => {
                        matches!(error, FrameError::PreludeChecksumMismatch { .. })
                    }
                    "truncated inside the payload" | "truncated inside the prelude" => {
                        matches!(error, FrameError::Truncated { .. })
                    }
                    "unknown header type 10" => {
                        error == FrameError::InvalidHeaderType { name: "a".into(), type_byte: 10 }
                    }
                    "headers length beyond the message" => {
                        matches!(
                            error,
                            FrameError::HeadersLengthMismatch { headers_len: 100, total_len: 24 }
                        )
                    }
                    "duplicate header" => error == FrameError::DuplicateHeader { name: "a".into() },
                    "string not UTF-8" => error == FrameError::InvalidUtf8 { name: "a".into() },
                    "total length under 16" => error == FrameError::MessageTooShort { len: 8 },
                    "headers over 128 KiB" => {
                        matches!(error, FrameError::HeadersTooLong { len: 131_073, max: 131_072 })
                    }
                    other => panic!("a damaged frame without expectation: {other}"),
                };
                assert!(expected, "{name}: {error}");
            }
        }
    }
}

// --- limits and errors ----------------------------------------------------------------------

/// A frame with valid CRCs around `headers` and `payload`, its lengths given or true.
fn raw_frame(
    headers: &[u8],
    payload: &[u8],
    total: Option<u32>,
    headers_len: Option<u32>,
) -> Vec<u8> {
    let total = total.unwrap_or((16 + headers.len() + payload.len()) as u32);
    let mut out = Vec::new();
    out.extend_from_slice(&total.to_be_bytes());
    out.extend_from_slice(&headers_len.unwrap_or(headers.len() as u32).to_be_bytes());
    out.extend_from_slice(&crc32fast::hash(&out).to_be_bytes());
    out.extend_from_slice(headers);
    out.extend_from_slice(payload);
    out.extend_from_slice(&crc32fast::hash(&out).to_be_bytes());
    out
}

#[test]
fn every_error_of_the_decoder() {
    let decode = |bytes: &[u8]| Message::decode(bytes);
    let limits = Limits::default();
    // Lengths against the limits, checked on the prelude alone.
    let mut prelude = raw_frame(b"", b"", Some(16 * 1024 * 1024 + 1), None);
    prelude.truncate(12);
    let mut decoder = Decoder::new();
    assert_eq!(
        decoder.decode(&mut &prelude[..]),
        Err(FrameError::MessageTooLong {
            len: 16 * 1024 * 1024 + 1,
            max: limits.max_message_len()
        })
    );
    // A failed decoder stays failed.
    assert!(matches!(decoder.decode(&mut &b""[..]), Err(FrameError::MessageTooLong { .. })));
    assert!(decoder.finish().is_err());
    assert_eq!(
        decode(&raw_frame(b"", b"", Some(15), None)),
        Err(FrameError::MessageTooShort { len: 15 })
    );
    assert_eq!(
        decode(&raw_frame(b"", b"", Some(200_000), Some(131_073))[..12]),
        Err(FrameError::HeadersTooLong { len: 131_073, max: 131_072 })
    );
    assert_eq!(
        decode(&raw_frame(b"", b"abc", None, Some(4))),
        Err(FrameError::HeadersLengthMismatch { headers_len: 4, total_len: 19 })
    );
    // Header count.
    let many: Vec<u8> = (0..257u16)
        .flat_map(|i| {
            let n = format!("{i:03}");
            let mut h = vec![3];
            h.extend_from_slice(n.as_bytes());
            h.push(0);
            h
        })
        .collect();
    assert_eq!(
        decode(&raw_frame(&many, b"", None, None)),
        Err(FrameError::TooManyHeaders { max: 256 })
    );
    let fewer = Limits::default().with_max_header_count(2);
    let three = raw_frame(b"\x01a\x00\x01b\x00\x01c\x00", b"", None, None);
    assert_eq!(
        Decoder::with_limits(fewer).decode(&mut &three[..]),
        Err(FrameError::TooManyHeaders { max: 2 })
    );
    // Header contents.
    assert_eq!(
        decode(&raw_frame(b"\x02\xff\xfe\x00", b"", None, None)),
        Err(FrameError::InvalidUtf8 { name: "\u{fffd}\u{fffd}".into() })
    );
    for type_byte in 10..=255u8 {
        assert_eq!(
            decode(&raw_frame(&[1, b'x', type_byte], b"", None, None)),
            Err(FrameError::InvalidHeaderType { name: "x".into(), type_byte })
        );
    }
    assert_eq!(
        decode(&raw_frame(b"\x01x\x06\x80\x00", b"", None, None)),
        Err(FrameError::HeaderValueTooLong { name: "x".into(), len: 32768 })
    );
    for (cut, headers) in [
        (0, &b"\x05ab"[..]),
        (0, b"\x01a"),
        (3, b"\x01a\x00\x01b\x05\x00\x00"),
        (0, b"\x01a\x09\x00"),
    ] {
        assert_eq!(
            decode(&raw_frame(headers, b"", None, None)),
            Err(FrameError::HeaderOverrun { offset: cut }),
            "{headers:?}"
        );
    }
    // Checksums.
    let mut frame = Message::new(b"payload".to_vec()).with_header("h", 1i8).encode().unwrap();
    let last = frame.len() - 1;
    frame[last] ^= 1;
    assert!(matches!(decode(&frame), Err(FrameError::MessageChecksumMismatch { .. })));
    frame[last] ^= 1;
    frame[9] ^= 1;
    assert!(matches!(decode(&frame), Err(FrameError::PreludeChecksumMismatch { .. })));
    frame[9] ^= 1;
    // Truncation and trailing bytes.
    for cut in [1, 11, 12, 13, frame.len() - 1] {
        assert_eq!(
            decode(&frame[..cut]),
            Err(FrameError::Truncated { have: cut, need: if cut < 12 { 12 } else { frame.len() } })
        );
    }
    assert_eq!(decode(b""), Err(FrameError::Truncated { have: 0, need: 16 }));
    let mut long = frame.clone();
    long.push(0);
    assert_eq!(decode(&long), Err(FrameError::TrailingBytes { len: 1 }));
    // Every error has a message naming the format.
    assert!(FrameError::TooManyHeaders { max: 2 }
        .to_string()
        .starts_with("event-stream message: "));
}

#[test]
fn every_error_of_the_encoder() {
    let long_name = Message::default().with_header("n".repeat(256), true);
    assert_eq!(long_name.encode(), Err(FrameError::InvalidHeaderName { len: 256 }));
    let long_value = Message::default().with_header("v", vec![0u8; 32768]);
    assert_eq!(
        long_value.encode(),
        Err(FrameError::HeaderValueTooLong { name: "v".into(), len: 32768 })
    );
    let longest = Message::default().with_header("v", "x".repeat(32767));
    assert!(longest.encode().is_ok());
    let twice = Message::default().with_header("a", 1i32).with_header("a", 2i32);
    assert_eq!(twice.encode(), Err(FrameError::DuplicateHeader { name: "a".into() }));
    let big = Message::new(vec![0u8; 16 * 1024 * 1024 - 16 + 1]);
    assert_eq!(
        big.encode(),
        Err(FrameError::MessageTooLong { len: 16 * 1024 * 1024 + 1, max: 16 * 1024 * 1024 })
    );
    let exactly = Message::new(vec![0u8; 16 * 1024 * 1024 - 16]);
    let encoded = exactly.encode().unwrap();
    assert_eq!(Message::decode(&encoded).unwrap(), exactly);
    let headers: Vec<Header> =
        (0..5).map(|i| Header::new(format!("h{i}"), vec![0u8; 30_000])).collect();
    let too_many_bytes = Message::from_parts(headers, Vec::new());
    assert!(matches!(
        too_many_bytes.encode(),
        Err(FrameError::HeadersTooLong { max: 131_072, .. })
    ));
    let mut out = b"kept".to_vec();
    assert!(twice.encode_into(&mut out, &Limits::default()).is_err());
    assert_eq!(out, b"kept", "nothing is written on failure");
}

#[test]
fn the_decoder_buffers_only_what_arrived_and_one_message_at_most() {
    // A prelude announcing the largest message, then 100 bytes: the buffer holds 112 bytes
    // in an allocation of a few KiB, not 16 MiB.
    let mut frame = raw_frame(b"", &vec![1u8; 16 * 1024 * 1024 - 16], None, None);
    let mut decoder = Decoder::new();
    let mut input = &frame[..112];
    assert_eq!(decoder.decode(&mut input), Ok(None));
    assert_eq!(decoder.buffered(), 112);
    assert!(decoder.capacity() <= 4096, "{}", decoder.capacity());
    // Fed the rest in 1 MiB pieces, the buffer never outgrows the message.
    let mut rest = &frame[112..];
    let mut message = None;
    while !rest.is_empty() {
        let (piece, tail) = rest.split_at(rest.len().min(1 << 20));
        let mut piece = piece;
        if let Some(m) = decoder.decode(&mut piece).unwrap() {
            message = Some(m);
        }
        assert!(decoder.capacity() <= frame.len());
        rest = tail;
    }
    assert_eq!(message.unwrap().payload().len(), frame.len() - 16);
    assert_eq!(decoder.buffered(), 0);
    // Two messages in one input: one per call, the rest left in the input.
    frame = Message::new(b"a".to_vec()).encode().unwrap();
    frame.extend(Message::new(b"b".to_vec()).encode().unwrap());
    let mut input = &frame[..];
    assert_eq!(decoder.decode(&mut input).unwrap().unwrap().payload(), b"a");
    assert_eq!(input.len(), 17);
    assert_eq!(decoder.decode(&mut input).unwrap().unwrap().payload(), b"b");
    assert!(input.is_empty());
    decoder.finish().unwrap();
}

// --- fuzzing --------------------------------------------------------------------------------

/// Random header bytes: mostly well-formed headers, with wrong types, lengths and names mixed in.
fn random_headers(rng: &mut Rng) -> Vec<u8> {
    let mut out = Vec::new();
    for _ in 0..rng.below(6) {
        let name_len = *rng.pick(&[0usize, 1, 2, 5, 255]);
        out.push(name_len as u8);
        for _ in 0..name_len {
            out.push(*rng.pick(&[b'a', b':', b'z', 0xff, 0xc3, 0xa9]));
        }
        let type_byte = if rng.below(10) == 0 { rng.below(256) as u8 } else { rng.below(10) as u8 };
        out.push(type_byte);
        let value_len = match type_byte {
            2 => 1,
            3 => 2,
            4 => 4,
            5 | 8 => 8,
            9 => 16,
            6 | 7 => {
                let len = *rng.pick(&[0u16, 1, 3, 40, 32767, 32768, 65535]);
                out.extend_from_slice(&len.to_be_bytes());
                usize::from(len).min(rng.below(50))
            }
            _ => 0,
        };
        for _ in 0..value_len {
            out.push(rng.next() as u8);
        }
    }
    if rng.below(4) == 0 && !out.is_empty() {
        let cut = rng.below(out.len());
        out.truncate(cut);
    }
    out
}

/// Our verdict on `bytes` (one message, nothing after it) against the reference's; panics
/// (failing the test) on any disagreement the module documents no reason for.
fn compare_with_reference(bytes: &[u8]) {
    let ours = Message::decode(bytes);
    let reference = read_message_from(&mut &bytes[..]);
    match (&ours, &reference) {
        (Ok(message), Ok(theirs)) => assert_eq!(*message, from_aws(theirs), "{bytes:?}"),
        (Ok(message), Err(e)) => panic!("we read {message:?} where the reference fails: {e}"),
        (Err(_), Err(_)) => {}
        (Err(error), Ok(_)) => assert!(
            matches!(
                error,
                // Where we are stricter than the reference, on purpose: repeated names,
                // header values over 32767 bytes or running past the headers section, more
                // than 256 headers, and bytes after the message.
                FrameError::DuplicateHeader { .. }
                    | FrameError::HeaderValueTooLong { .. }
                    | FrameError::HeaderOverrun { .. }
                    | FrameError::TooManyHeaders { .. }
                    | FrameError::TrailingBytes { .. }
            ),
            "we reject what the reference reads: {error} ({bytes:?})"
        ),
    }
}

#[test]
fn fuzz_the_decoder_against_the_reference() {
    let mut rng = Rng(0x5eed_e5e5_0bad_f00d);
    let seeds: Vec<Vec<u8>> = [
        Message::default(),
        Message::new(b"payload".to_vec()).with_header("a", true).with_header("b", 7i64),
        Message::event("Chunk", Some("application/json"), b"{\"x\":1}".to_vec()),
        Message::default()
            .with_header("t", DateTime::from_millis(1_767_323_045_123))
            .with_header("u", HeaderValue::Uuid([9; 16])),
    ]
    .iter()
    .map(|m| m.encode().unwrap())
    .collect();
    for round in 0..30_000 {
        let bytes = match round % 3 {
            // Hand-made headers inside valid lengths and CRCs: the header parser is reached.
            0 => {
                let headers = random_headers(&mut rng);
                let payload = vec![rng.next() as u8; rng.below(20)];
                let lie = rng.below(8) == 0;
                let headers_len =
                    if lie { Some(rng.below(headers.len() + 30) as u32) } else { None };
                raw_frame(&headers, &payload, None, headers_len)
            }
            // Damaged valid frames: bit flips, truncation, cut-and-paste.
            _ => {
                let mut bytes = rng.pick(&seeds).clone();
                for _ in 0..=rng.below(3) {
                    match rng.below(4) {
                        0 if !bytes.is_empty() => {
                            let i = rng.below(bytes.len());
                            bytes[i] ^= 1 << rng.below(8);
                        }
                        0 => {}
                        1 => bytes.truncate(rng.below(bytes.len() + 1)),
                        2 => {
                            let i = rng.below(bytes.len() + 1);
                            bytes.insert(i, rng.next() as u8);
                        }
                        _ => {
                            let other = rng.pick(&seeds).clone();
                            let i = rng.below(bytes.len() + 1);
                            bytes.splice(i..i, other[..rng.below(other.len() + 1)].iter().copied());
                        }
                    }
                }
                bytes
            }
        };
        if bytes.len() >= 12 {
            compare_with_reference(&bytes);
        }
        // Any chunking of any bytes: never a panic, the same verdict as in one piece.
        let whole = decode_in_pieces(&bytes, &[]);
        let cut = rng.below(bytes.len() + 1);
        assert_eq!(decode_in_pieces(&bytes, &[cut]), whole);
    }
}
