//! SigV4 checks on incoming requests.
//!
//! Every request must carry a well-formed `Authorization: AWS4-HMAC-SHA256 ...` header scoped to
//! the service's signing name, and an `X-Amz-Date` matching its scope. With [`Verify::Key`], the
//! access key must be the known one, the date within [`MAX_SKEW`] of the server's clock, and
//! the signature is recomputed with AWS's `aws-sigv4` crate from the request as received (its
//! method, path, query, the headers it says it signed, and its body) and must match.
//!
//! An `X-Amz-Content-Sha256` header must be the body's SHA-256 (hex), or `UNSIGNED-PAYLOAD` for
//! an operation that allows unsigned payloads (the model's `aws.auth#unsignedPayload`) and only
//! then: otherwise a captured request could be replayed with another body.
//!
//! [`check_head`] runs every check that needs no body, so that a listener can refuse a request
//! before reading its body; [`check`] runs them all.

use std::borrow::Cow;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use aws_sigv4::http_request::{
    sign, PayloadChecksumKind, SessionTokenMode, SignableBody, SignableRequest, SigningSettings,
};
use aws_sigv4::sign::v4;
use sha2::{Digest, Sha256};

use crate::echo;

/// How strictly signatures are checked.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub enum Verify {
    /// Any access key is accepted; the `Authorization` header must still be a well-formed SigV4
    /// header for the right service (what `cargo xtask serve` does without `--credentials`).
    #[default]
    AnyKey,
    /// Only this access key, and the signature must be the one its secret produces.
    Key {
        /// The access key id requests must be signed with.
        access_key_id: String,
        /// Its secret.
        secret_access_key: String,
    },
}

impl Verify {
    /// Parses `KEY:SECRET` (the secret may itself contain `:`).
    pub fn from_pair(pair: &str) -> Result<Verify, String> {
        match pair.split_once(':') {
            Some((k, s)) if !k.is_empty() && !s.is_empty() => {
                Ok(Verify::Key { access_key_id: k.to_owned(), secret_access_key: s.to_owned() })
            }
            _ => Err(format!("credentials must be KEY:SECRET, got `{pair}`")),
        }
    }
}

/// Why a request was refused: rendered as a restJson1 403 with `X-Amzn-ErrorType: code`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AuthError {
    /// The AWS error code (`MissingAuthenticationTokenException`, `IncompleteSignatureException`,
    /// `InvalidSignatureException`, `UnrecognizedClientException`).
    pub code: &'static str,
    /// The message.
    pub message: String,
}

impl AuthError {
    fn new(code: &'static str, message: impl Into<String>) -> Self {
        AuthError { code, message: message.into() }
    }

    /// The restJson1 error response (status 403).
    pub fn into_response(self) -> http::Response<Vec<u8>> {
        let body = format!("{{\"message\":{}}}", json_string(&self.message));
        let mut response = http::Response::new(body.into_bytes());
        *response.status_mut() = http::StatusCode::FORBIDDEN;
        let headers = response.headers_mut();
        headers
            .insert(http::header::CONTENT_TYPE, http::HeaderValue::from_static("application/json"));
        headers.insert("x-amzn-errortype", http::HeaderValue::from_static(self.code));
        response
    }
}

impl std::fmt::Display for AuthError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}: {}", self.code, self.message)
    }
}

impl std::error::Error for AuthError {}

fn json_string(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            c if (c as u32) < 0x20 => out.push_str(&format!("\\u{:04x}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// The parts of a SigV4 `Authorization` header.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Authorization<'a> {
    /// Access key id.
    pub access_key_id: &'a str,
    /// Scope date (`YYYYMMDD`).
    pub date: &'a str,
    /// Scope region.
    pub region: &'a str,
    /// Scope service (the signing name).
    pub service: &'a str,
    /// Signed header names, lowercase, as listed.
    pub signed_headers: Vec<&'a str>,
    /// Hex signature.
    pub signature: &'a str,
}

const ALGORITHM: &str = "AWS4-HMAC-SHA256";
/// Largest difference between `X-Amz-Date` and the server's clock when signatures are verified.
pub const MAX_SKEW: Duration = Duration::from_secs(15 * 60);

fn incomplete(message: impl Into<String>) -> AuthError {
    AuthError::new("IncompleteSignatureException", message)
}

/// Parses `AWS4-HMAC-SHA256 Credential=AK/DATE/REGION/SERVICE/aws4_request, SignedHeaders=a;b,
/// Signature=HEX`.
pub fn parse_authorization(value: &str) -> Result<Authorization<'_>, AuthError> {
    let rest = value.strip_prefix(ALGORITHM).filter(|r| r.starts_with(' ')).ok_or_else(|| {
        incomplete(format!("Authorization header must use the {ALGORITHM} algorithm"))
    })?;
    let (mut credential, mut signed, mut signature) = (None, None, None);
    for part in rest.split(',') {
        let part = part.trim();
        let (key, val) = part.split_once('=').ok_or_else(|| {
            incomplete(format!("Authorization header component `{}` is not KEY=VALUE", echo(part)))
        })?;
        match key {
            "Credential" => credential = Some(val),
            "SignedHeaders" => signed = Some(val),
            "Signature" => signature = Some(val),
            _ => {
                return Err(incomplete(format!(
                    "unknown Authorization header component `{}`",
                    echo(key)
                )))
            }
        }
    }
    let credential = credential
        .ok_or_else(|| incomplete("Authorization header requires a Credential parameter"))?;
    let signed = signed
        .ok_or_else(|| incomplete("Authorization header requires a SignedHeaders parameter"))?;
    let signature = signature
        .ok_or_else(|| incomplete("Authorization header requires a Signature parameter"))?;
    let scope: Vec<&str> = credential.split('/').collect();
    let [access_key_id, date, region, service, terminator] = scope.as_slice() else {
        return Err(incomplete(format!(
            "Credential `{}` must be ACCESS_KEY/DATE/REGION/SERVICE/aws4_request",
            echo(credential)
        )));
    };
    if *terminator != "aws4_request"
        || access_key_id.is_empty()
        || region.is_empty()
        || service.is_empty()
    {
        return Err(incomplete(format!(
            "Credential `{}` must be ACCESS_KEY/DATE/REGION/SERVICE/aws4_request",
            echo(credential)
        )));
    }
    if date.len() != 8 || !date.bytes().all(|b| b.is_ascii_digit()) {
        return Err(incomplete(format!("Credential date `{}` is not YYYYMMDD", echo(date))));
    }
    let signed_headers: Vec<&str> = signed.split(';').collect();
    if signed_headers.iter().any(|h| h.is_empty() || h.bytes().any(|b| b.is_ascii_uppercase())) {
        return Err(incomplete(format!(
            "SignedHeaders `{}` must be lowercase names separated by `;`",
            echo(signed)
        )));
    }
    if signature.len() != 64 || !signature.bytes().all(|b| b.is_ascii_hexdigit()) {
        return Err(incomplete("Signature must be 64 hexadecimal digits"));
    }
    Ok(Authorization { access_key_id, date, region, service, signed_headers, signature })
}

/// Parses `YYYYMMDDTHHMMSSZ`.
pub fn parse_amz_date(s: &str) -> Option<SystemTime> {
    let b = s.as_bytes();
    if b.len() != 16 || b.get(8) != Some(&b'T') || b.get(15) != Some(&b'Z') {
        return None;
    }
    let num = |r: std::ops::Range<usize>| -> Option<i64> {
        let part = s.get(r)?;
        if !part.bytes().all(|c| c.is_ascii_digit()) {
            return None;
        }
        part.parse().ok()
    };
    let (y, mo, d) = (num(0..4)?, num(4..6)?, num(6..8)?);
    let (h, mi, se) = (num(9..11)?, num(11..13)?, num(13..15)?);
    if !(1..=12).contains(&mo) || !(1..=31).contains(&d) || h > 23 || mi > 59 || se > 60 {
        return None;
    }
    // Days from the civil date (proleptic Gregorian), Howard Hinnant's algorithm.
    let y = if mo <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (mo + 9) % 12;
    let doy = (153 * mp + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    let days = era * 146_097 + doe - 719_468;
    let secs = days * 86_400 + h * 3600 + mi * 60 + se;
    u64::try_from(secs).ok().map(|s| UNIX_EPOCH + Duration::from_secs(s))
}

/// What `X-Amz-Content-Sha256` says of the body.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Payload<'a> {
    /// No such header: the body is hashed into the signature by the server.
    Unstated,
    /// `UNSIGNED-PAYLOAD` (allowed for the operation).
    Unsigned,
    /// The body's SHA-256 as the client computed it (64 hex digits).
    Sha256(&'a str),
}

/// The checked headers of a request.
struct Head<'a> {
    auth: Authorization<'a>,
    time: SystemTime,
    payload: Payload<'a>,
}

/// What `X-Amz-Content-Sha256` claims. Refused: `UNSIGNED-PAYLOAD` when the operation does not
/// allow it (`unsigned_payload` false), and any other value that is not a SHA-256.
fn payload_claim(
    headers: &http::HeaderMap,
    unsigned_payload: bool,
) -> Result<Payload<'_>, AuthError> {
    let Some(value) = headers.get("x-amz-content-sha256") else {
        return Ok(Payload::Unstated);
    };
    let value =
        value.to_str().map_err(|_| incomplete("X-Amz-Content-Sha256 is not visible ASCII"))?;
    if value == "UNSIGNED-PAYLOAD" {
        return if unsigned_payload {
            Ok(Payload::Unsigned)
        } else {
            Err(AuthError::new(
                "InvalidSignatureException",
                "X-Amz-Content-Sha256 UNSIGNED-PAYLOAD is not allowed for this operation: its request body must be signed",
            ))
        };
    }
    if value.len() != 64 || !value.bytes().all(|b| b.is_ascii_hexdigit()) {
        return Err(AuthError::new(
            "InvalidSignatureException",
            format!(
                "X-Amz-Content-Sha256 `{}` is not the SHA-256 of the request body (64 hexadecimal digits)",
                echo(value)
            ),
        ));
    }
    Ok(Payload::Sha256(value))
}

fn head<'a>(
    headers: &'a http::HeaderMap,
    signing_name: &str,
    verify: &Verify,
    now: SystemTime,
    unsigned_payload: bool,
) -> Result<Head<'a>, AuthError> {
    let Some(auth) = headers.get(http::header::AUTHORIZATION) else {
        return Err(AuthError::new(
            "MissingAuthenticationTokenException",
            "Missing Authentication Token",
        ));
    };
    let auth =
        auth.to_str().map_err(|_| incomplete("Authorization header is not visible ASCII"))?;
    let auth = parse_authorization(auth)?;
    if auth.service != signing_name {
        return Err(AuthError::new(
            "InvalidSignatureException",
            format!("Credential should be scoped to correct service: '{signing_name}'."),
        ));
    }
    let amz_date = headers
        .get("x-amz-date")
        .and_then(|v| v.to_str().ok())
        .ok_or_else(|| incomplete("the request has no X-Amz-Date header"))?;
    let time = parse_amz_date(amz_date).ok_or_else(|| {
        incomplete(format!("X-Amz-Date `{}` is not YYYYMMDDTHHMMSSZ", echo(amz_date)))
    })?;
    if amz_date.get(..8) != Some(auth.date) {
        return Err(AuthError::new(
            "InvalidSignatureException",
            format!("Date in Credential scope does not match YYYYMMDD from X-Amz-Date: {amz_date}"),
        ));
    }
    if !auth.signed_headers.contains(&"host") || !auth.signed_headers.contains(&"x-amz-date") {
        return Err(incomplete("SignedHeaders must include host and x-amz-date"));
    }
    let payload = payload_claim(headers, unsigned_payload)?;
    if let Verify::Key { access_key_id, .. } = verify {
        if auth.access_key_id != access_key_id {
            return Err(AuthError::new(
                "UnrecognizedClientException",
                "The security token included in the request is invalid.",
            ));
        }
        let skew =
            now.duration_since(time).or_else(|e| Ok::<_, ()>(e.duration())).unwrap_or_default();
        if skew > MAX_SKEW {
            return Err(AuthError::new(
                "InvalidSignatureException",
                format!(
                    "Signature expired: {amz_date} is more than 15 minutes from the server's time."
                ),
            ));
        }
    }
    Ok(Head { auth, time, payload })
}

/// The checks that need no body: the `Authorization` header (present, well-formed, scoped to
/// `signing_name`), `X-Amz-Date` (well-formed, the scope's day), `X-Amz-Content-Sha256` (a
/// SHA-256, or `UNSIGNED-PAYLOAD` when `unsigned_payload`, the operation allowing it), and with
/// [`Verify::Key`] the access key and the clock skew. A listener runs it before reading the
/// body, and refuses what fails without reading it.
pub fn check_head(
    headers: &http::HeaderMap,
    signing_name: &str,
    verify: &Verify,
    now: SystemTime,
    unsigned_payload: bool,
) -> Result<(), AuthError> {
    head(headers, signing_name, verify, now, unsigned_payload).map(|_| ())
}

/// Checks a request's SigV4 signature for the service `signing_name`: [`check_head`], then a
/// stated payload hash against the body, then (with [`Verify::Key`]) the signature itself.
/// `unsigned_payload`: whether the request's operation allows an unsigned payload.
pub fn check<B: AsRef<[u8]>>(
    request: &http::Request<B>,
    signing_name: &str,
    verify: &Verify,
    now: SystemTime,
    unsigned_payload: bool,
) -> Result<(), AuthError> {
    let head = head(request.headers(), signing_name, verify, now, unsigned_payload)?;
    if let Payload::Sha256(stated) = head.payload {
        let actual = hex::encode(Sha256::digest(request.body().as_ref()));
        if !constant_time_eq(actual.as_bytes(), stated.to_ascii_lowercase().as_bytes()) {
            return Err(AuthError::new(
                "InvalidSignatureException",
                "X-Amz-Content-Sha256 is not the SHA-256 of the request body.",
            ));
        }
    }
    let Verify::Key { access_key_id, secret_access_key } = verify else {
        return Ok(());
    };
    let expected = recompute(request, &head, access_key_id, secret_access_key)?;
    if !constant_time_eq(expected.as_bytes(), head.auth.signature.to_ascii_lowercase().as_bytes()) {
        return Err(AuthError::new(
            "InvalidSignatureException",
            "The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method.",
        ));
    }
    Ok(())
}

fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

/// The signature `aws-sigv4` computes for the request as received, with the signed headers the
/// client listed (and only those).
fn recompute<B: AsRef<[u8]>>(
    request: &http::Request<B>,
    head: &Head<'_>,
    access_key_id: &str,
    secret_access_key: &str,
) -> Result<String, AuthError> {
    let (auth, time) = (&head.auth, head.time);
    let headers = request.headers();
    let value_of = |name: &str| -> Result<Vec<&str>, AuthError> {
        headers
            .get_all(name)
            .iter()
            .map(|v| {
                v.to_str()
                    .map_err(|_| incomplete(format!("signed header `{name}` is not visible ASCII")))
            })
            .collect()
    };
    let host = value_of("host")?
        .first()
        .copied()
        .ok_or_else(|| incomplete("signed header `host` is missing"))?;
    let path_and_query = request.uri().path_and_query().map(|p| p.as_str()).unwrap_or("/");
    let uri = format!("http://{host}{path_and_query}");
    // aws-sigv4 adds X-Amz-Date, X-Amz-Security-Token and X-Amz-Content-Sha256 itself from the
    // signing parameters; every other signed header is passed through as received.
    let mut session_token = None;
    let mut content_sha = false;
    let mut pass: Vec<(&str, &str)> = Vec::new();
    for name in &auth.signed_headers {
        let values = value_of(name)?;
        match *name {
            "x-amz-date" => {}
            "x-amz-security-token" => session_token = values.first().map(|v| v.to_string()),
            "x-amz-content-sha256" => content_sha = true,
            _ => {
                if values.is_empty() {
                    return Err(incomplete(format!("signed header `{name}` is missing")));
                }
                pass.extend(values.into_iter().map(|v| (*name, v)));
            }
        }
    }
    let mut settings = SigningSettings::default();
    settings.excluded_headers = Some(Vec::<Cow<'static, str>>::new());
    settings.session_token_mode =
        if session_token.is_some() { SessionTokenMode::Include } else { SessionTokenMode::Exclude };
    if content_sha {
        settings.payload_checksum_kind = PayloadChecksumKind::XAmzSha256;
    }
    let identity = aws_credential_types::Credentials::new(
        access_key_id,
        secret_access_key,
        session_token,
        None,
        "local-server",
    )
    .into();
    let params = v4::SigningParams::builder()
        .identity(&identity)
        .region(auth.region)
        .name(auth.service)
        .time(time)
        .settings(settings)
        .build()
        .map_err(|e| incomplete(format!("cannot verify the signature: {e}")))?
        .into();
    let signable = SignableRequest::new(
        request.method().as_str(),
        uri,
        pass.into_iter(),
        // An unsigned payload got here only if the operation allows it (`check_head`).
        if content_sha && head.payload == Payload::Unsigned {
            SignableBody::UnsignedPayload
        } else {
            SignableBody::Bytes(request.body().as_ref())
        },
    )
    .map_err(|e| incomplete(format!("cannot verify the signature: {e}")))?;
    let output = sign(signable, &params)
        .map_err(|e| incomplete(format!("cannot verify the signature: {e}")))?;
    Ok(output.signature().to_owned())
}
