//! The client's SigV4 signer (`client::sign`) against AWS's `aws-sigv4` with its default
//! settings (what the client signed with before): the same headers, byte for byte, on thousands
//! of seeded random requests; against botocore's signatures (`local-server`'s fixtures); and
//! against the known values of AWS's documentation.

use std::time::{Duration, SystemTime, UNIX_EPOCH};

use aws_sigv4::http_request::{sign, SignableBody, SignableRequest, SigningSettings};
use aws_sigv4::sign::v4;

use super::rng::Rng;
use crate::client::sign::{amz_date, sign_request_with, signing_key, SigningKeys};
use crate::client::Credentials;

/// Signs `request` as `aws-sigv4` does by default: the oracle.
/// Signs a request with its own body, as the client signs every request in memory.
fn sign_request(
    request: &mut http::Request<Vec<u8>>,
    credentials: &Credentials,
    service: &str,
    region: &str,
    time: SystemTime,
    keys: &SigningKeys,
) -> Result<(), String> {
    sign_request_with(request, credentials, service, region, time, keys, None).map(drop)
}

fn sign_with_aws_sigv4(
    request: &mut http::Request<Vec<u8>>,
    credentials: &Credentials,
    service: &str,
    region: &str,
    time: SystemTime,
) -> Result<(), String> {
    sign_with_aws_sigv4_body(request, credentials, service, region, time, None)
}

/// Signs as [`sign_with_aws_sigv4`], with `body` (a body sent apart from `request`) instead of
/// `request`'s own.
fn sign_with_aws_sigv4_body(
    request: &mut http::Request<Vec<u8>>,
    credentials: &Credentials,
    service: &str,
    region: &str,
    time: SystemTime,
    body: Option<SignableBody<'static>>,
) -> Result<(), String> {
    let identity = aws_credential_types::Credentials::new(
        credentials.access_key_id(),
        credentials.secret_access_key(),
        credentials.session_token().map(str::to_string),
        None,
        "oracle",
    )
    .into();
    let params = v4::SigningParams::builder()
        .identity(&identity)
        .region(region)
        .name(service)
        .time(time)
        .settings(SigningSettings::default())
        .build()
        .map_err(|e| e.to_string())?
        .into();
    let mut headers = Vec::new();
    for (name, value) in request.headers() {
        headers.push((name.as_str(), value.to_str().map_err(|e| e.to_string())?));
    }
    let uri = request.uri().to_string();
    let signable = SignableRequest::new(
        request.method().as_str(),
        &uri,
        headers.into_iter(),
        body.unwrap_or(SignableBody::Bytes(request.body())),
    )
    .map_err(|e| e.to_string())?;
    let (instructions, _) = sign(signable, &params).map_err(|e| e.to_string())?.into_parts();
    instructions.apply_to_request_http1x(request);
    Ok(())
}

/// The headers as `(name, value)` text, in the map's order.
fn headers_of(request: &http::Request<Vec<u8>>) -> Vec<(String, String)> {
    request
        .headers()
        .iter()
        .map(|(k, v)| (k.to_string(), String::from_utf8_lossy(v.as_bytes()).into_owned()))
        .collect()
}

const METHODS: [&str; 6] = ["GET", "POST", "PUT", "DELETE", "PATCH", "HEAD"];
const HOSTS: [&str; 9] = [
    "https://meetings-chime.us-east-1.amazonaws.com",
    "https://meetings-chime.us-east-1.amazonaws.com:443",
    "https://meetings-chime.us-east-1.amazonaws.com:8443",
    "http://127.0.0.1:8000",
    "http://127.0.0.1:80",
    "http://localhost",
    "http://[::1]:9000",
    "https://user@example.com:444",
    "HTTPS://Example.COM",
];
/// Path segment material: unreserved text, characters a URI path may hold as they are, and
/// percent-escapes (of reserved characters, of UTF-8, of unreserved ones, lowercase hex).
const SEGMENTS: [&str; 22] = [
    "meetings",
    "6f7a1b44-9c5d-4e3a-8b2f-0d1e2c3b4a59",
    "a~b_c.d",
    ".",
    "..",
    "",
    "x%20y",
    "%2F",
    "%E2%82%AC",
    "%41",
    "%2f",
    "!$&'()*+,;=:@",
    "a+b",
    "%25",
    "tag%3Avalue",
    "...",
    ".hidden",
    "end.",
    "%C3%A9t%C3%A9",
    "-",
    "~user",
    "%00",
];
/// Query name and value material, with `+`, escapes of every kind, invalid UTF-8 and odd `%`s.
const QUERY_PARTS: [&str; 20] = [
    "max-results",
    "next-token",
    "abc%2Fdef%3D%3D",
    "",
    "a+b",
    "%2B",
    "%20",
    "x%zz",
    "%",
    "%4",
    "%FF",
    "%e2%82%ac",
    "arn%3Aaws%3Achime%3Aus-east-1%3A123456789012%3Ameeting%2Fm",
    "100",
    "A",
    "a",
    "~._-",
    "!$'()*,;:@/?",
    "%C3%A9",
    "Z%7E",
];
const HEADER_NAMES: [&str; 14] = [
    "content-type",
    "x-amz-target",
    "x-amz-meta-one",
    "amz-sdk-request",
    "amz-sdk-invocation-id",
    "user-agent",
    "x-amzn-trace-id",
    "transfer-encoding",
    "x-amz-date",
    "x-amz-security-token",
    "host",
    "content-md5",
    "x-custom",
    "authorization",
];
const HEADER_VALUES: [&str; 14] = [
    "application/json",
    "  leading",
    "trailing  ",
    "in  the   middle",
    " ",
    "",
    "a\tb",
    "\tboth\t",
    "attempt=1; max=3",
    "1B2M2Y8AsgTpgAmY7PhCfg==",
    "x,y",
    "!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~",
    "20260301T123456Z",
    "example.com",
];
const REGIONS: [&str; 3] = ["us-east-1", "eu-central-1", "ap-southeast-2"];
const SERVICES: [&str; 2] = ["chime", "s3"];
const SECRETS: [&str; 6] = [
    "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY",
    "local-secret",
    "",
    "a",
    "very long secret that is longer than one SHA-256 block of sixty-four bytes, by far",
    "é",
];

/// A random request of the shapes above.
fn random_request(rng: &mut Rng) -> http::Request<Vec<u8>> {
    let mut path = String::new();
    for _ in 0..rng.below(5) {
        path.push('/');
        for _ in 0..1 + rng.below(2) {
            let segment = SEGMENTS[rng.below(SEGMENTS.len())];
            path.push_str(segment);
        }
    }
    if rng.below(4) == 0 {
        path.push('/');
    }
    let mut uri = format!("{}{path}", rng.pick(&HOSTS));
    if rng.below(3) > 0 {
        let mut pairs = Vec::new();
        // A few parameters; one query in four has more than the signer keeps on its stack.
        let count = if rng.below(4) == 0 { 9 + rng.below(12) } else { rng.below(6) };
        for _ in 0..count {
            let name = rng.pick(&QUERY_PARTS);
            match rng.below(5) {
                0 => pairs.push(name.to_string()),
                1 => pairs.push(String::new()),
                _ => pairs.push(format!("{name}={}", rng.pick(&QUERY_PARTS))),
            }
        }
        // The same pair again, or the same name with another value.
        if rng.below(3) == 0 && !pairs.is_empty() {
            let again = pairs[rng.below(pairs.len())].clone();
            pairs.push(again);
        }
        uri.push('?');
        uri.push_str(&pairs.join("&"));
    }
    let mut builder = http::Request::builder().method(*rng.pick(&METHODS)).uri(uri);
    // A few headers, as most requests have; one request in four has many more than the
    // signer keeps on its stack (a name may repeat: each value is a header of its own).
    let count = if rng.below(4) == 0 { 20 + rng.below(30) } else { rng.below(7) };
    for _ in 0..count {
        builder = builder.header(*rng.pick(&HEADER_NAMES), *rng.pick(&HEADER_VALUES));
    }
    // One request in eight has a value longer than the buffer the canonical request is hashed
    // through: in one piece, or with runs of spaces in it.
    if rng.below(8) == 0 {
        let spaces = rng.below(2) == 0;
        let long: String = (0..300 + rng.below(400))
            .map(|_| match spaces && rng.below(6) == 0 {
                true => ' ',
                false => char::from(b'!' + rng.below(94) as u8),
            })
            .collect();
        builder = builder.header("x-long", long);
    }
    let body = match rng.below(3) {
        0 => Vec::new(),
        1 => b"{\"ExternalMeetingId\":\"standup\"}".to_vec(),
        _ => (0..rng.below(300)).map(|_| rng.next() as u8).collect(),
    };
    builder.body(body).expect("a valid request")
}

fn random_time(rng: &mut Rng) -> SystemTime {
    // A few days (to reuse and evict signing keys), at any second and sub-second.
    let day = [0_u64, 1, 20_513, 20_514, 47_482, 2_932_896][rng.below(6)];
    let second = day * 86_400 + rng.below(86_400) as u64;
    UNIX_EPOCH + Duration::new(second, rng.below(1_000_000_000) as u32)
}

#[test]
fn random_requests_are_signed_as_aws_sigv4_signs_them() {
    let mut rng = Rng(0x5167_7634_5EED);
    let keys = SigningKeys::new();
    let (mut many, mut long_query, mut long_value) = (0, 0, 0);
    for case in 0..6000 {
        let request = random_request(&mut rng);
        many += usize::from(request.headers().len() >= 40);
        long_query += usize::from(request.uri().query().is_some_and(|q| q.split('&').count() > 8));
        long_value += usize::from(request.headers().contains_key("x-long"));
        let token = match rng.below(3) {
            0 => Some("FwoGZXIvYXdzEXAMPLESESSIONTOKEN//////////wEaDtoken+/=".to_string()),
            _ => None,
        };
        let credentials = Credentials::new("AKIDEXAMPLE", *rng.pick(&SECRETS), token, None, "test");
        let (service, region) = (*rng.pick(&SERVICES), *rng.pick(&REGIONS));
        let time = random_time(&mut rng);
        let mut ours = request.clone();
        let mut theirs = request.clone();
        let our_result = sign_request(&mut ours, &credentials, service, region, time, &keys);
        let their_result = sign_with_aws_sigv4(&mut theirs, &credentials, service, region, time);
        let context =
            format!("case {case}: {} {} {:?}", request.method(), request.uri(), request.headers());
        assert_eq!(
            our_result.is_ok(),
            their_result.is_ok(),
            "{context}: {our_result:?} {their_result:?}"
        );
        assert_eq!(headers_of(&ours), headers_of(&theirs), "{context}");
        assert_eq!(ours.uri(), theirs.uri(), "{context}");
        // Every request made here can be signed (what cannot: `what_cannot_be_signed_..`).
        assert!(our_result.is_ok(), "{context}: {our_result:?}");
        assert!(ours.headers().contains_key("authorization"), "{context}");
    }
    // Hundreds of requests with more headers or query parameters than the signer keeps on its
    // stack, and with a value longer than its hashing buffer.
    assert!(many > 200, "{many}");
    assert!(long_query > 200, "{long_query}");
    assert!(long_value > 200, "{long_value}");
}

#[test]
fn many_keys_in_turn_sign_alike_with_a_kept_key_and_a_new_one() {
    // More (secret, date, region, service) than the client keeps, in turns: each request is
    // signed once with the client's keys (kept or evicted) and once with fresh keys.
    let keys = SigningKeys::new();
    let mut rng = Rng(7);
    for round in 0..3 {
        for (i, secret) in SECRETS.iter().enumerate() {
            let credentials = Credentials::new("AKID", *secret, None, None, "test");
            let time = UNIX_EPOCH + Duration::from_secs(1_772_000_000 + 86_400 * (i as u64 % 2));
            let request = random_request(&mut rng);
            let (mut kept, mut fresh) = (request.clone(), request);
            let region = REGIONS[(i + round) % 3];
            sign_request(&mut kept, &credentials, "chime", region, time, &keys).unwrap();
            sign_request(&mut fresh, &credentials, "chime", region, time, &SigningKeys::new())
                .unwrap();
            assert_eq!(headers_of(&kept), headers_of(&fresh), "round {round}, secret {i}");
        }
    }
}

#[test]
fn signing_keys_are_aws_sigv4_s_and_aws_documentation_s() {
    // AWS's documentation ("Examples of how to derive a signing key for Signature Version 4").
    let secret = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY";
    let key = signing_key(secret, b"20120215", "us-east-1", "iam").unwrap();
    let hex: String = key.iter().map(|b| format!("{b:02x}")).collect();
    assert_eq!(hex, "f4780e2d9f65fa895f9c67b32ce1baf0b0d8a43505a000a1a9e090d414db404d");
    let mut rng = Rng(11);
    for _ in 0..200 {
        let time = random_time(&mut rng);
        let (secret, region, service) =
            (*rng.pick(&SECRETS), *rng.pick(&REGIONS), *rng.pick(&SERVICES));
        let date = amz_date(time).unwrap();
        let ours = signing_key(secret, date[..8].try_into().unwrap(), region, service).unwrap();
        let theirs = v4::generate_signing_key(secret, time, region, service);
        assert_eq!(&ours[..], theirs.as_ref());
    }
}

#[test]
fn amz_dates_are_utc_calendar_times() {
    let at = |secs: u64| amz_date(UNIX_EPOCH + Duration::from_secs(secs)).unwrap();
    assert_eq!(&at(0), b"19700101T000000Z");
    assert_eq!(&at(951_782_400), b"20000229T000000Z");
    assert_eq!(&at(1_772_368_496), b"20260301T123456Z");
    assert_eq!(&at(253_402_300_799), b"99991231T235959Z");
    assert!(amz_date(UNIX_EPOCH + Duration::from_secs(253_402_300_800)).is_err());
    assert_eq!(&amz_date(UNIX_EPOCH - Duration::from_millis(1)).unwrap(), b"19691231T235959Z");
    // Against `time`'s calendar, on random instants.
    let mut rng = Rng(3);
    for _ in 0..2000 {
        let secs = rng.below(253_402_300_800) as i64;
        let t = time::OffsetDateTime::from_unix_timestamp(secs).unwrap();
        let expected = format!(
            "{:04}{:02}{:02}T{:02}{:02}{:02}Z",
            t.year(),
            u8::from(t.month()),
            t.day(),
            t.hour(),
            t.minute(),
            t.second()
        );
        let ours = amz_date(UNIX_EPOCH + Duration::from_secs(secs as u64)).unwrap();
        assert_eq!(std::str::from_utf8(&ours).unwrap(), expected);
    }
}

/// The requests botocore signed for `local-server`'s tests (`tests/fixtures/botocore_signed.py`:
/// endpoint `http://127.0.0.1:8000`, service `chime`, region `us-east-1`, 2026-03-01 12:34:56).
#[test]
fn botocore_s_signatures_are_ours() {
    let text = include_str!("../../../../local-server/tests/fixtures/botocore_signed.json");
    let doc: serde_json::Value = serde_json::from_str(text).unwrap();
    let time = UNIX_EPOCH + Duration::from_secs(1_772_368_496);
    let mut compared = 0;
    for fixture in doc["requests"].as_array().unwrap() {
        let headers = fixture["headers"].as_object().unwrap();
        // botocore signs UNSIGNED-PAYLOAD as the payload's hash; the client always signs the body.
        if headers.get("X-Amz-Content-SHA256").and_then(|v| v.as_str()) == Some("UNSIGNED-PAYLOAD")
        {
            continue;
        }
        let query = fixture["query"].as_str().unwrap();
        let query = if query.is_empty() { String::new() } else { format!("?{query}") };
        let uri = format!("http://127.0.0.1:8000{}{query}", fixture["path"].as_str().unwrap());
        let mut builder =
            http::Request::builder().method(fixture["method"].as_str().unwrap()).uri(uri);
        let mut token = None;
        for (name, value) in headers {
            let value = value.as_str().unwrap();
            match name.as_str() {
                "Authorization" | "X-Amz-Date" => {}
                "X-Amz-Security-Token" => token = Some(value.to_string()),
                _ => builder = builder.header(name.as_str(), value),
            }
        }
        let mut request =
            builder.body(fixture["body"].as_str().unwrap().as_bytes().to_vec()).unwrap();
        let credentials = Credentials::new(
            "AKIDEXAMPLE",
            "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY",
            token,
            None,
            "test",
        );
        sign_request(&mut request, &credentials, "chime", "us-east-1", time, &SigningKeys::new())
            .unwrap();
        assert_eq!(
            request.headers()["authorization"],
            headers["Authorization"].as_str().unwrap(),
            "{fixture}"
        );
        assert_eq!(request.headers()["x-amz-date"], "20260301T123456Z");
        compared += 1;
    }
    assert_eq!(compared, 7);
}

/// AWS's SigV4 test suite, `get-vanilla` and `post-x-www-form-urlencoded`.
#[test]
fn the_sigv4_test_suite_s_vanilla_requests() {
    let time = UNIX_EPOCH + Duration::from_secs(1_440_938_160); // 20150830T123600Z
    let credentials = Credentials::new(
        "AKIDEXAMPLE",
        "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY",
        None,
        None,
        "test",
    );
    let mut request =
        http::Request::builder().uri("https://example.amazonaws.com/").body(Vec::new()).unwrap();
    sign_request(&mut request, &credentials, "service", "us-east-1", time, &SigningKeys::new())
        .unwrap();
    assert_eq!(
        request.headers()["authorization"],
        "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request, \
         SignedHeaders=host;x-amz-date, \
         Signature=5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31"
    );
}

#[test]
fn what_cannot_be_signed_is_an_error_not_a_panic() {
    let keys = SigningKeys::new();
    let time = UNIX_EPOCH + Duration::from_secs(1_772_368_496);
    let credentials = Credentials::new("AKID", "secret", None, None, "test");
    // No host: a relative URI and no `Host` header.
    let mut relative = http::Request::builder().uri("/meetings").body(Vec::new()).unwrap();
    assert!(sign_request(&mut relative, &credentials, "chime", "us-east-1", time, &keys).is_err());
    // A header value that is not visible ASCII.
    let mut request = http::Request::builder()
        .uri("https://example.com/")
        .header("x-custom", http::HeaderValue::from_bytes(b"caf\xc3\xa9").unwrap())
        .body(Vec::new())
        .unwrap();
    assert!(sign_request(&mut request, &credentials, "chime", "us-east-1", time, &keys).is_err());
    // A session token or an access key id that cannot be a header value.
    let bad_token = Credentials::new("AKID", "secret", Some("line\nbreak".into()), None, "test");
    let mut request =
        http::Request::builder().uri("https://example.com/").body(Vec::new()).unwrap();
    assert!(sign_request(&mut request, &bad_token, "chime", "us-east-1", time, &keys).is_err());
    let bad_key = Credentials::new("AK\nID", "secret", None, None, "test");
    assert!(sign_request(&mut request, &bad_key, "chime", "us-east-1", time, &keys).is_err());
    // A time after the year 9999.
    let late = UNIX_EPOCH + Duration::from_secs(300_000_000_000);
    assert!(sign_request(&mut request, &credentials, "chime", "us-east-1", late, &keys).is_err());
    // Nothing was added by the failed attempts.
    assert!(request.headers().is_empty());
}

#[test]
fn a_body_sent_apart_is_signed_with_its_hash_or_unsigned_as_aws_sigv4_signs_it() {
    // A streamed body: the request to sign has none, and its hash (or `UNSIGNED-PAYLOAD`) is
    // given.
    let credentials = Credentials::new("AKIDEXAMPLE", SECRETS[0], None, None, "test");
    let time = UNIX_EPOCH + Duration::from_secs(1_700_000_000);
    let request = http::Request::builder()
        .method("POST")
        .uri("https://runtime.lex.us-east-1.amazonaws.com/bots/b/utterance")
        .header("content-length", "1048576")
        .header("content-type", "audio/l16")
        .body(Vec::new())
        .expect("a request");
    let hash = "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08";
    for (ours_hash, theirs_body) in [
        (crate::client::sign::UNSIGNED_PAYLOAD, SignableBody::UnsignedPayload),
        (hash.as_bytes(), SignableBody::Precomputed(hash.to_string())),
    ] {
        let (mut ours, mut theirs) = (request.clone(), request.clone());
        let keys = SigningKeys::new();
        sign_request_with(
            &mut ours,
            &credentials,
            "lex",
            "us-east-1",
            time,
            &keys,
            Some(ours_hash),
        )
        .expect("signed");
        sign_with_aws_sigv4_body(
            &mut theirs,
            &credentials,
            "lex",
            "us-east-1",
            time,
            Some(theirs_body),
        )
        .expect("signed by aws-sigv4");
        assert_eq!(headers_of(&ours), headers_of(&theirs));
        // Not the signature of an empty body.
        let mut empty = request.clone();
        sign_request(&mut empty, &credentials, "lex", "us-east-1", time, &keys).expect("signed");
        assert_ne!(empty.headers()["authorization"], ours.headers()["authorization"]);
    }
}
