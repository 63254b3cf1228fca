//! The server's SigV4 check against requests signed by botocore (an independent signer):
//! `tests/fixtures/botocore_signed.json`, made by `tests/fixtures/botocore_signed.py`.

use std::time::{Duration, SystemTime};

use chime_local_server::sigv4::{check, check_head, parse_amz_date, parse_authorization, Verify};

const SECRET: &str = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY";

fn fixtures() -> Vec<http::Request<Vec<u8>>> {
    let text = include_str!("fixtures/botocore_signed.json");
    let doc: serde_json::Value = serde_json::from_str(text).expect("fixture is JSON");
    let requests = doc["requests"].as_array().expect("requests");
    assert_eq!(requests.len(), 8);
    requests
        .iter()
        .map(|r| {
            let query = r["query"].as_str().unwrap();
            let uri = if query.is_empty() {
                r["path"].as_str().unwrap().to_owned()
            } else {
                format!("{}?{}", r["path"].as_str().unwrap(), query)
            };
            let mut b = http::Request::builder()
                .method(r["method"].as_str().unwrap())
                .uri(uri)
                .header("host", "127.0.0.1:8000")
                .header("user-agent", "not signed, must not matter");
            for (k, v) in r["headers"].as_object().unwrap() {
                b = b.header(k.as_str(), v.as_str().unwrap());
            }
            b.body(r["body"].as_str().unwrap().as_bytes().to_vec()).unwrap()
        })
        .collect()
}

fn signed_at() -> SystemTime {
    parse_amz_date("20260301T123456Z").unwrap()
}

/// Whether the fixture was signed with `UNSIGNED-PAYLOAD`; these tests treat its operation as
/// one that allows it (the model's `aws.auth#unsignedPayload`), except where they say otherwise.
fn unsigned<B>(request: &http::Request<B>) -> bool {
    request.headers().get("x-amz-content-sha256").is_some_and(|v| v == "UNSIGNED-PAYLOAD")
}

fn key() -> Verify {
    Verify::Key { access_key_id: "AKIDEXAMPLE".into(), secret_access_key: SECRET.into() }
}

#[test]
fn botocore_signatures_verify() {
    for request in fixtures() {
        check(&request, "chime", &key(), signed_at(), unsigned(&request))
            .unwrap_or_else(|e| panic!("{} {}: {e}", request.method(), request.uri()));
        check(&request, "chime", &Verify::AnyKey, signed_at(), unsigned(&request)).unwrap();
        // Within the allowed clock skew.
        check(
            &request,
            "chime",
            &key(),
            signed_at() + Duration::from_secs(14 * 60),
            unsigned(&request),
        )
        .unwrap();
    }
}

#[test]
fn tampering_is_detected() {
    for request in fixtures() {
        // Body (unless the client signed it as UNSIGNED-PAYLOAD, its operation allowing it).
        let mut r = request.clone();
        r.body_mut().extend_from_slice(b" ");
        if request.headers().get("x-amz-content-sha256").is_some_and(|v| v == "UNSIGNED-PAYLOAD") {
            check(&r, "chime", &key(), signed_at(), unsigned(&r)).unwrap();
        } else {
            assert_eq!(
                check(&r, "chime", &key(), signed_at(), unsigned(&r)).unwrap_err().code,
                "InvalidSignatureException"
            );
        }
        // Path.
        let mut r = request.clone();
        *r.uri_mut() = format!("{}x", request.uri()).parse().unwrap();
        assert_eq!(
            check(&r, "chime", &key(), signed_at(), unsigned(&r)).unwrap_err().code,
            "InvalidSignatureException"
        );
        // A signed header.
        let mut r = request.clone();
        r.headers_mut().insert("host", "127.0.0.1:8001".parse().unwrap());
        assert_eq!(
            check(&r, "chime", &key(), signed_at(), unsigned(&r)).unwrap_err().code,
            "InvalidSignatureException"
        );
        // The wrong secret.
        let wrong =
            Verify::Key { access_key_id: "AKIDEXAMPLE".into(), secret_access_key: "other".into() };
        assert_eq!(
            check(&request, "chime", &wrong, signed_at(), unsigned(&request)).unwrap_err().code,
            "InvalidSignatureException"
        );
        // Another access key.
        let other =
            Verify::Key { access_key_id: "AKIDOTHER".into(), secret_access_key: SECRET.into() };
        assert_eq!(
            check(&request, "chime", &other, signed_at(), unsigned(&request)).unwrap_err().code,
            "UnrecognizedClientException"
        );
        // Too old.
        let e = check(
            &request,
            "chime",
            &key(),
            signed_at() + Duration::from_secs(16 * 60),
            unsigned(&request),
        )
        .unwrap_err();
        assert_eq!(e.code, "InvalidSignatureException");
        assert!(e.message.contains("expired"), "{e}");
        // Another service's scope, even in any-key mode.
        let e =
            check(&request, "s3", &Verify::AnyKey, signed_at(), unsigned(&request)).unwrap_err();
        assert_eq!(e.code, "InvalidSignatureException");
        assert!(e.message.contains("'s3'"), "{e}");
    }
}

#[test]
fn a_query_change_is_detected() {
    let request = fixtures()
        .into_iter()
        .find(|r| r.uri().query().is_some_and(|q| q.contains("max-results")))
        .unwrap();
    let mut r = request.clone();
    *r.uri_mut() =
        request.uri().to_string().replace("max-results=2", "max-results=3").parse().unwrap();
    assert_eq!(
        check(&r, "chime", &key(), signed_at(), unsigned(&r)).unwrap_err().code,
        "InvalidSignatureException"
    );
}

#[test]
fn missing_or_malformed_authorization() {
    let request = fixtures().remove(0);
    let mut r = request.clone();
    r.headers_mut().remove("authorization");
    let e = check(&r, "chime", &Verify::AnyKey, signed_at(), unsigned(&r)).unwrap_err();
    assert_eq!(e.code, "MissingAuthenticationTokenException");
    let resp = e.into_response();
    assert_eq!(resp.status(), 403);
    assert_eq!(resp.headers()["x-amzn-errortype"], "MissingAuthenticationTokenException");

    for bad in [
        "Bearer abc",
        "AWS4-HMAC-SHA256 Credential=AK/20260301/us-east-1/chime/aws4_request",
        "AWS4-HMAC-SHA256 Credential=AK/20260301/us-east-1/chime, SignedHeaders=host;x-amz-date, Signature=00",
        "AWS4-HMAC-SHA256 Credential=AK/2026-03-01/us-east-1/chime/aws4_request, SignedHeaders=host;x-amz-date, Signature=0000000000000000000000000000000000000000000000000000000000000000",
        "AWS4-HMAC-SHA256 Credential=AK/20260301/us-east-1/chime/aws4_request, SignedHeaders=host;x-amz-date, Signature=zz00000000000000000000000000000000000000000000000000000000000000",
        "AWS4-HMAC-SHA256 Credential=AK/20260301/us-east-1/chime/aws4_request, SignedHeaders=content-type, Signature=0000000000000000000000000000000000000000000000000000000000000000",
    ] {
        let mut r = request.clone();
        r.headers_mut().insert("authorization", bad.parse().unwrap());
        let e = check(&r, "chime", &Verify::AnyKey, signed_at(), unsigned(&r)).unwrap_err();
        assert_eq!(e.code, "IncompleteSignatureException", "{bad}: {e}");
    }
    // A scope date that is not X-Amz-Date's day.
    let mut r = request.clone();
    let auth = r.headers()["authorization"].to_str().unwrap().replace("/20260301/", "/20260302/");
    r.headers_mut().insert("authorization", auth.parse().unwrap());
    assert_eq!(
        check(&r, "chime", &Verify::AnyKey, signed_at(), unsigned(&r)).unwrap_err().code,
        "InvalidSignatureException"
    );
    // No X-Amz-Date.
    let mut r = request;
    r.headers_mut().remove("x-amz-date");
    assert_eq!(
        check(&r, "chime", &Verify::AnyKey, signed_at(), unsigned(&r)).unwrap_err().code,
        "IncompleteSignatureException"
    );
}

#[test]
fn parsing() {
    let a = parse_authorization(
        "AWS4-HMAC-SHA256 Credential=AK/20260301/eu-west-1/chime/aws4_request, SignedHeaders=host;x-amz-date, Signature=0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef",
    )
    .unwrap();
    assert_eq!(
        (a.access_key_id, a.date, a.region, a.service),
        ("AK", "20260301", "eu-west-1", "chime")
    );
    assert_eq!(a.signed_headers, ["host", "x-amz-date"]);
    // 2026-03-01T12:34:56Z is 1772368496 seconds after the epoch.
    assert_eq!(
        parse_amz_date("20260301T123456Z"),
        Some(SystemTime::UNIX_EPOCH + Duration::from_secs(1_772_368_496))
    );
    assert_eq!(parse_amz_date("19700101T000000Z"), Some(SystemTime::UNIX_EPOCH));
    for bad in [
        "",
        "20260301T123456",
        "2026-03-01T12:34:56Z",
        "20261301T000000Z",
        "20260301T250000Z",
        "2026030１T000000Z",
    ] {
        assert_eq!(parse_amz_date(bad), None, "{bad}");
    }
    assert_eq!(
        Verify::from_pair("AK:se:cret").unwrap(),
        Verify::Key { access_key_id: "AK".into(), secret_access_key: "se:cret".into() }
    );
    assert!(Verify::from_pair("AK").is_err());
    assert!(Verify::from_pair(":x").is_err());
}

/// `UNSIGNED-PAYLOAD` leaves the body out of the signature: accepted only when the request's
/// operation allows it (Chime's have no `aws.auth#unsignedPayload`), in both modes, and refused
/// before the body is read (`check_head`).
#[test]
fn unsigned_payload_only_where_the_operation_allows_it() {
    let request = fixtures().into_iter().find(unsigned).expect("an UNSIGNED-PAYLOAD fixture");
    for verify in [key(), Verify::AnyKey] {
        check(&request, "chime", &verify, signed_at(), true).unwrap();
        let e = check(&request, "chime", &verify, signed_at(), false).unwrap_err();
        assert_eq!(e.code, "InvalidSignatureException");
        assert!(e.message.contains("UNSIGNED-PAYLOAD"), "{e}");
        let e = check_head(request.headers(), "chime", &verify, signed_at(), false).unwrap_err();
        assert_eq!(e.code, "InvalidSignatureException");
        // A replay with another body.
        let mut replayed = request.clone();
        *replayed.body_mut() = br#"{"ExternalMeetingId":"attacker"}"#.to_vec();
        assert_eq!(
            check(&replayed, "chime", &verify, signed_at(), false).unwrap_err().code,
            "InvalidSignatureException"
        );
    }
}

/// A stated `X-Amz-Content-Sha256` must be the body's SHA-256, in both modes (any-key mode
/// cannot check the signature, but it can check that).
#[test]
fn a_stated_payload_hash_must_be_the_body_s() {
    let request = fixtures()
        .into_iter()
        .find(|r| r.headers().get("x-amz-content-sha256").is_some_and(|v| v != "UNSIGNED-PAYLOAD"))
        .expect("a fixture with a signed payload hash");
    for verify in [key(), Verify::AnyKey] {
        check(&request, "chime", &verify, signed_at(), false).unwrap();
        // Another body, the hash left as signed: a replay.
        let mut replayed = request.clone();
        replayed.body_mut().extend_from_slice(b" ");
        let e = check(&replayed, "chime", &verify, signed_at(), false).unwrap_err();
        assert_eq!(e.code, "InvalidSignatureException");
        // A hash that is not the body's, or not a hash.
        for bad in
            ["0".repeat(64), "abc".to_owned(), "STREAMING-AWS4-HMAC-SHA256-PAYLOAD".to_owned()]
        {
            let mut r = request.clone();
            r.headers_mut().insert("x-amz-content-sha256", bad.parse().unwrap());
            let e = check(&r, "chime", &verify, signed_at(), false).unwrap_err();
            assert_eq!(e.code, "InvalidSignatureException", "{bad}");
        }
    }
}

/// Refusals quote what was received cut to 100 characters, never whole.
#[test]
fn refusals_do_not_echo_large_headers() {
    let request = fixtures().remove(0);
    let huge = format!(
        "AWS4-HMAC-SHA256 Credential={}/20260301/us-east-1/chime, SignedHeaders=host, Signature=00",
        "A".repeat(300_000)
    );
    let mut r = request.clone();
    r.headers_mut().insert("authorization", huge.parse().unwrap());
    let e = check(&r, "chime", &Verify::AnyKey, signed_at(), false).unwrap_err();
    assert_eq!(e.code, "IncompleteSignatureException");
    assert!(e.message.contains("…"), "{e}");
    let body = e.into_response().into_body();
    assert!(body.len() < 400, "{} bytes", body.len());
    let mut r = request;
    r.headers_mut().insert(
        "authorization",
        format!("AWS4-HMAC-SHA256 {}=x", "K".repeat(300_000)).parse().unwrap(),
    );
    let e = check(&r, "chime", &Verify::AnyKey, signed_at(), false).unwrap_err();
    assert!(e.message.len() < 300, "{}", e.message.len());
}
