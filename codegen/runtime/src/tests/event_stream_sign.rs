//! SigV4 event-stream signing (`event_stream/sign.rs`) against two references: the envelopes of
//! `aws-sigv4`'s `sign_message` written by `aws-smithy-eventstream` (byte for byte), and the
//! signature chains of Python's `aws-sdk-signers` (`tests/event_stream/fixtures/
//! python_references.json`), which the verifier also accepts, sub-second `:date`s included;
//! and everything the verifier must refuse.

use std::time::{Duration, SystemTime, UNIX_EPOCH};

use aws_sigv4::event_stream::{sign_empty_message, sign_message};
use aws_sigv4::sign::v4;
use aws_smithy_eventstream::frame::write_message_to;
use base64::Engine as _;
use serde_json::Value;

use super::event_stream::python_message;
use crate::client::Credentials;
use crate::event_stream::{
    HeaderValue, Message, MessageSigner, MessageVerifier, SignError, Verified,
};
use crate::primitives::DateTime;

const SEED: &str = "4b1d3a5e0f3cc0a37e6bd1fa37d1a2b98e4b5f1c8d0ea0c9c85a5ad2a1bde0ad";

fn credentials() -> Credentials {
    Credentials::new("AKIDEXAMPLE", "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY", None, None, "test")
}

fn at(millis: u64) -> SystemTime {
    UNIX_EPOCH + Duration::from_millis(millis)
}

fn messages() -> Vec<Message> {
    vec![
        Message::event("AudioEvent", Some("application/octet-stream"), vec![3; 3200]),
        Message::initial_request("application/json", br#"{"LanguageCode":"en-US"}"#.to_vec()),
        Message::default()
            .with_header("t", DateTime::from_millis(-5))
            .with_header("u", HeaderValue::Uuid([0xab; 16]))
            .with_header("b", vec![0, 1, 2])
            .with_header("i", i16::MIN),
    ]
}

fn b64(text: &str) -> Vec<u8> {
    base64::engine::general_purpose::STANDARD.decode(text).expect("base64")
}

/// The signed envelopes of `messages` and the final one, straight from `aws-sigv4`, written
/// by `aws-smithy-eventstream`.
fn reference_chain(messages: &[Message], times: &[SystemTime]) -> Vec<Vec<u8>> {
    let identity = aws_credential_types::Credentials::new(
        "AKIDEXAMPLE",
        "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY",
        None,
        None,
        "test",
    )
    .into();
    let mut last = SEED.to_owned();
    let mut out = Vec::new();
    for (i, time) in times.iter().enumerate() {
        let params = v4::SigningParams::builder()
            .identity(&identity)
            .region("us-east-1")
            .name("transcribe")
            .time(*time)
            .settings(())
            .build()
            .unwrap();
        let output = match messages.get(i) {
            Some(message) => {
                // The message as the reference writes it, read back into its type.
                let bytes = message.encode().unwrap();
                let inner =
                    aws_smithy_eventstream::frame::read_message_from(&mut &bytes[..]).unwrap();
                sign_message(&inner, &last, &params).unwrap()
            }
            None => sign_empty_message(&last, &params).unwrap(),
        };
        let (envelope, signature) = output.into_parts();
        let mut bytes = Vec::new();
        write_message_to(&envelope, &mut bytes).unwrap();
        out.push(bytes);
        last = signature;
    }
    out
}

#[test]
fn envelopes_are_aws_sigv4_s_byte_for_byte() {
    let messages = messages();
    let times = [
        at(1_767_323_045_000),
        at(1_767_323_045_999),
        at(1_767_323_046_000),
        at(1_767_323_100_500),
    ];
    let expected = reference_chain(&messages, &times);
    let mut signer = MessageSigner::new(credentials(), "us-east-1", "transcribe", SEED);
    assert_eq!(signer.last_signature(), SEED);
    let mut ours = Vec::new();
    for (message, time) in messages.iter().zip(times) {
        ours.push(signer.sign(message, time).unwrap().encode().unwrap());
    }
    ours.push(signer.sign_end(times[3]).unwrap().encode().unwrap());
    assert_eq!(ours, expected);
    // Nothing is signed after the end.
    assert!(matches!(signer.sign(&messages[0], times[3]), Err(SignError::Ended)));
    assert!(matches!(signer.sign_end(times[3]), Err(SignError::Ended)));
}

fn python_fixture() -> Value {
    serde_json::from_str(include_str!(
        "../../../../tests/event_stream/fixtures/python_references.json"
    ))
    .unwrap()
}

#[test]
fn signatures_are_aws_sdk_signers_s() {
    let fixture = python_fixture();
    let cases: Vec<&Value> = fixture["messages"].as_array().unwrap().iter().collect();
    let case = |name: &str| *cases.iter().find(|c| c["name"] == name).unwrap();
    let chain = &fixture["signatures"][0];
    assert_eq!(chain["name"], "transcribe audio, whole seconds");
    let credentials = Credentials::new(
        chain["access_key"].as_str().unwrap(),
        chain["secret_key"].as_str().unwrap(),
        None,
        None,
        "test",
    );
    let mut signer = MessageSigner::new(
        credentials,
        chain["region"].as_str().unwrap(),
        chain["service"].as_str().unwrap(),
        chain["seed"].as_str().unwrap(),
    );
    let envelopes = chain["envelopes"].as_array().unwrap();
    assert_eq!(envelopes.len(), 4);
    for envelope in envelopes {
        let time = at(envelope["time_ms"].as_u64().unwrap());
        let ours = match envelope["message"].as_str() {
            Some(name) => signer.sign(&python_message(case(name)), time).unwrap(),
            None => signer.sign_end(time).unwrap(),
        };
        let theirs = Message::decode(&b64(envelope["envelope"].as_str().unwrap())).unwrap();
        assert_eq!(signer.last_signature(), envelope["signature"].as_str().unwrap());
        // The same headers (the two signers write them in different orders) and payload.
        assert_eq!(ours.headers().len(), 2);
        for header in theirs.headers() {
            assert_eq!(ours.header(header.name()), Some(header.value()), "{}", header.name());
        }
        assert_eq!(ours.payload(), theirs.payload());
    }
}

#[test]
fn the_verifier_accepts_aws_sdk_signers_chains() {
    let fixture = python_fixture();
    let cases: Vec<&Value> = fixture["messages"].as_array().unwrap().iter().collect();
    for chain in fixture["signatures"].as_array().unwrap() {
        let credentials = Credentials::new(
            chain["access_key"].as_str().unwrap(),
            chain["secret_key"].as_str().unwrap(),
            None,
            None,
            "test",
        );
        let mut verifier = MessageVerifier::new(
            &credentials,
            chain["region"].as_str().unwrap(),
            chain["service"].as_str().unwrap(),
            chain["seed"].as_str().unwrap(),
        );
        for envelope in chain["envelopes"].as_array().unwrap() {
            let bytes = b64(envelope["envelope"].as_str().unwrap());
            let verified = verifier.verify(&Message::decode(&bytes).unwrap()).unwrap();
            let expected = envelope["message"]
                .as_str()
                .map(|name| python_message(cases.iter().find(|c| c["name"] == name).unwrap()));
            let millis = envelope["time_ms"].as_i64().unwrap();
            assert_eq!(
                verified,
                Verified { date: DateTime::from_millis(millis), message: expected }
            );
        }
        assert!(verifier.is_ended());
    }
}

/// Our chain of `messages()`, signed and encoded, and a fresh verifier for it.
fn our_chain() -> (Vec<Message>, MessageVerifier) {
    let mut signer = MessageSigner::new(credentials(), "us-east-1", "transcribe", SEED);
    let mut envelopes: Vec<Message> = messages()
        .iter()
        .enumerate()
        .map(|(i, m)| signer.sign(m, at(1_767_323_045_000 + 1000 * i as u64)).unwrap())
        .collect();
    envelopes.push(signer.sign_end(at(1_767_323_050_000)).unwrap());
    let verifier = MessageVerifier::new(&credentials(), "us-east-1", "transcribe", SEED);
    (envelopes, verifier)
}

#[test]
fn the_verifier_accepts_our_chain() {
    let (envelopes, mut verifier) = our_chain();
    for (envelope, message) in envelopes.iter().zip(messages()) {
        assert_eq!(verifier.verify(envelope).unwrap().message, Some(message));
    }
    assert_eq!(verifier.verify(&envelopes[3]).unwrap().message, None);
    assert!(matches!(verifier.verify(&envelopes[0]), Err(SignError::Ended)));
}

#[test]
fn the_verifier_refuses_what_was_not_signed_so() {
    let (envelopes, _) = our_chain();
    let fresh = || MessageVerifier::new(&credentials(), "us-east-1", "transcribe", SEED);
    let mismatch = |verifier: &mut MessageVerifier, envelope: &Message| {
        assert!(
            matches!(verifier.verify(envelope), Err(SignError::SignatureMismatch)),
            "{envelope:?}"
        );
    };
    // Out of order, or a message left out.
    mismatch(&mut fresh(), &envelopes[1]);
    let mut verifier = fresh();
    verifier.verify(&envelopes[0]).unwrap();
    mismatch(&mut verifier, &envelopes[2]);
    // The payload changed by one bit.
    let (headers, mut payload) = envelopes[0].clone().into_parts();
    payload[40] ^= 1;
    mismatch(&mut fresh(), &Message::from_parts(headers.clone(), payload));
    // The date moved by a millisecond (the signature covers the header as sent).
    let mut moved = Message::new(envelopes[0].payload().to_vec());
    for header in &headers {
        match header.value() {
            HeaderValue::Timestamp(t) => {
                moved = moved
                    .with_header(header.name(), DateTime::from_secs_and_nanos(t.secs(), 1_000_000))
            }
            other => moved = moved.with_header(header.name(), other.clone()),
        }
    }
    mismatch(&mut fresh(), &moved);
    // Another secret, region, service or seed.
    let other = Credentials::new("AKIDEXAMPLE", "another secret", None, None, "test");
    mismatch(&mut MessageVerifier::new(&other, "us-east-1", "transcribe", SEED), &envelopes[0]);
    mismatch(
        &mut MessageVerifier::new(&credentials(), "us-west-2", "transcribe", SEED),
        &envelopes[0],
    );
    mismatch(&mut MessageVerifier::new(&credentials(), "us-east-1", "lex", SEED), &envelopes[0]);
    mismatch(
        &mut MessageVerifier::new(&credentials(), "us-east-1", "transcribe", &SEED[1..]),
        &envelopes[0],
    );
    // Malformed envelopes.
    let malformed = |envelope: Message| {
        assert!(
            matches!(fresh().verify(&envelope), Err(SignError::MalformedEnvelope(_))),
            "{envelope:?}"
        );
    };
    let date = DateTime::from_secs(1_767_323_045);
    malformed(Message::default().with_header(":chunk-signature", vec![0u8; 32]));
    malformed(Message::default().with_header(":date", date));
    malformed(
        Message::default()
            .with_header(":date", "today")
            .with_header(":chunk-signature", vec![0u8; 32]),
    );
    malformed(
        Message::default()
            .with_header(":date", date)
            .with_header(":chunk-signature", vec![0u8; 31]),
    );
    malformed(
        Message::default()
            .with_header(":date", date)
            .with_header(":chunk-signature", "00".repeat(32)),
    );
    malformed(envelopes[0].clone().with_header("extra", true));
    // A failed check leaves the verifier where it was: the right envelope still verifies.
    let mut verifier = fresh();
    mismatch(&mut verifier, &envelopes[1]);
    verifier.verify(&envelopes[0]).unwrap();
}

#[test]
fn messages_our_decoder_would_refuse_are_not_signed() {
    let mut signer = MessageSigner::new(credentials(), "us-east-1", "transcribe", SEED);
    let twice = Message::default().with_header("a", 1i32).with_header("a", 2i32);
    assert!(matches!(signer.sign(&twice, at(0)), Err(SignError::Frame(_))));
    // The largest message whose envelope still fits the default limits is signed; one byte
    // more and its envelope would not fit.
    let envelope_overhead = 16 + (1 + 5 + 1 + 8) + (1 + 16 + 1 + 2 + 32);
    let fits = Message::new(vec![0u8; 16 * 1024 * 1024 - 16 - envelope_overhead]);
    let envelope = signer.sign(&fits, at(0)).unwrap();
    assert_eq!(envelope.encode().unwrap().len(), 16 * 1024 * 1024);
    let too_big = Message::new(vec![0u8; 16 * 1024 * 1024 - 16 - envelope_overhead + 1]);
    assert!(matches!(signer.sign(&too_big, at(0)), Err(SignError::Frame(_))));
    // A failure leaves the chain where it was.
    let last = signer.last_signature().to_owned();
    assert!(signer.sign(&twice, at(0)).is_err());
    assert_eq!(signer.last_signature(), last);
}
