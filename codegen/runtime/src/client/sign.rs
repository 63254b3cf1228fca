//! SigV4 signing of the client's requests (`AWS4-HMAC-SHA256`, signature in the headers, the
//! body hashed), and the signing overrides of an endpoint's `authSchemes`.
//!
//! The canonical request is written straight from the `http::Request` into its SHA-256 (URI
//! path and query, headers, the payload's hash: it is never kept whole), with `sha2` and
//! `hmac` for the crypto. The signing key depends only on the secret, the date, the region and
//! the service, so [`SigningKeys`] (one per client) keeps the last few, ready to sign with, as
//! the SigV4 specification allows. The result is that of AWS's `aws-sigv4` with its default
//! settings (the runtime's tests compare the two byte for byte): the path normalized and
//! encoded twice, the query decoded, encoded again and sorted, header values trimmed, and
//! `authorization`, `user-agent`, `x-amzn-trace-id` and `transfer-encoding` left out of the
//! signature.

use std::borrow::Cow;
use std::collections::BTreeMap;
use std::fmt;
use std::sync::Mutex;
use std::time::{SystemTime, UNIX_EPOCH};

use hmac::{Hmac, KeyInit, Mac};
use sha2::{Digest, Sha256};

use super::credentials::Credentials;
use crate::primitives::Document;

type HmacSha256 = Hmac<Sha256>;

/// The algorithm, first in the string to sign and in `Authorization`.
const ALGORITHM: &str = "AWS4-HMAC-SHA256";

/// Headers never signed: `Authorization` is what signing adds; the others are changed by
/// proxies or on the way (the set AWS's SDKs share).
const UNSIGNED_HEADERS: [&str; 4] =
    ["authorization", "user-agent", "x-amzn-trace-id", "transfer-encoding"];

/// How many signing keys a client keeps: one per (secret, day, region, service) in use; more
/// than one only around midnight UTC, after a credentials rotation, or with endpoints that
/// sign for other regions.
const KEPT_KEYS: usize = 4;

/// The signing keys a client derived last, each as an HMAC ready to sign with (its key
/// already mixed in), so that a request costs one HMAC instead of five.
pub(crate) struct SigningKeys {
    keys: Mutex<Keys>,
}

struct Keys {
    entries: Vec<KeyEntry>,
    /// Where the next new key goes once `entries` is full (the oldest).
    next: usize,
}

struct KeyEntry {
    secret: Box<str>,
    date: [u8; 8],
    region: Box<str>,
    service: Box<str>,
    mac: HmacSha256,
}

impl SigningKeys {
    /// No keys yet.
    pub(crate) fn new() -> Self {
        SigningKeys { keys: Mutex::new(Keys { entries: Vec::new(), next: 0 }) }
    }

    /// The HMAC keyed with the signing key of `secret` on `date` (`YYYYMMDD`) for `region` and
    /// `service`: a kept one, or a new one derived and kept (replacing the oldest when full).
    fn mac(
        &self,
        secret: &str,
        date: &[u8; 8],
        region: &str,
        service: &str,
    ) -> Result<HmacSha256, String> {
        // A poisoned lock only means another thread panicked while holding it; the keys
        // themselves are never left half-written.
        let mut keys = self.keys.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
        let found = keys.entries.iter().find(|e| {
            &e.date == date
                && *e.region == *region
                && *e.service == *service
                && *e.secret == *secret
        });
        if let Some(entry) = found {
            return Ok(entry.mac.clone());
        }
        let mac = hmac(&signing_key(secret, date, region, service)?)?;
        let entry = KeyEntry {
            secret: secret.into(),
            date: *date,
            region: region.into(),
            service: service.into(),
            mac: mac.clone(),
        };
        if keys.entries.len() < KEPT_KEYS {
            keys.entries.push(entry);
        } else {
            let next = keys.next;
            keys.entries[next] = entry;
            keys.next = (next + 1) % KEPT_KEYS;
        }
        Ok(mac)
    }
}

impl Default for SigningKeys {
    fn default() -> Self {
        SigningKeys::new()
    }
}

impl fmt::Debug for SigningKeys {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("SigningKeys { .. }")
    }
}

/// An HMAC-SHA256 keyed with `key` (HMAC takes keys of any length: the error is not reached).
fn hmac(key: &[u8]) -> Result<HmacSha256, String> {
    HmacSha256::new_from_slice(key).map_err(|_| "HMAC-SHA256 refused a signing key".to_string())
}

/// The SigV4 signing key: `HMAC(HMAC(HMAC(HMAC("AWS4" + secret, date), region), service),
/// "aws4_request")`.
pub(crate) fn signing_key(
    secret: &str,
    date: &[u8; 8],
    region: &str,
    service: &str,
) -> Result<[u8; 32], String> {
    let mut first = Vec::with_capacity(4 + secret.len());
    first.extend_from_slice(b"AWS4");
    first.extend_from_slice(secret.as_bytes());
    let mut key: [u8; 32] = tag(hmac(&first)?, date);
    for part in [region.as_bytes(), service.as_bytes(), b"aws4_request"] {
        key = tag(hmac(&key)?, part);
    }
    Ok(key)
}

fn tag(mut mac: HmacSha256, data: &[u8]) -> [u8; 32] {
    mac.update(data);
    mac.finalize().into_bytes().into()
}

/// Signs `request` in place: adds `X-Amz-Date`, `Authorization` and, for temporary
/// credentials, `X-Amz-Security-Token` (replacing any already there), with the signing key
/// from `keys`. The payload hash is `payload_hash` when given (a body that streams, sent apart
/// from `request`: the hex SHA-256 of its bytes, `UNSIGNED-PAYLOAD`, or an input event
/// stream's `STREAMING-AWS4-HMAC-SHA256-EVENTS`), else the hash of `request`'s body. Returns
/// the signature (hex digits), which seeds the signatures of an input event stream's messages.
pub(crate) fn sign_request_with(
    request: &mut http::Request<Vec<u8>>,
    credentials: &Credentials,
    signing_name: &str,
    region: &str,
    time: SystemTime,
    keys: &SigningKeys,
    payload_hash: Option<&[u8]>,
) -> Result<[u8; 64], String> {
    let date_time = amz_date(time)?;
    let token = credentials.session_token();
    let token_value = match token {
        Some(token) => Some(http::HeaderValue::from_str(token).map_err(|_| {
            "the session token is not a valid header value and cannot be sent".to_string()
        })?),
        None => None,
    };
    let body_hash;
    let payload_hash: &[u8] = match payload_hash {
        Some(hash) => hash,
        None if request.body().is_empty() => EMPTY_SHA256,
        None => {
            body_hash = hex(&Sha256::digest(request.body()).into());
            &body_hash
        }
    };
    let (canonical_hash, signed) = canonical_request(request, &date_time, token, payload_hash)?;
    let mut date = [0_u8; 8];
    date.copy_from_slice(&date_time[..8]);
    let date = &date;
    let mut mac = keys.mac(credentials.secret_access_key(), date, region, signing_name)?;
    // The string to sign: algorithm, time, scope and the canonical request's hash, by lines.
    mac.update(ALGORITHM.as_bytes());
    mac.update(b"\n");
    mac.update(&date_time);
    mac.update(b"\n");
    update_scope(&mut mac, date, region, signing_name);
    mac.update(b"\n");
    mac.update(&hex(&canonical_hash));
    let signature = hex(&mac.finalize().into_bytes().into());

    let signed = signed.as_slice();
    let access_key_id = credentials.access_key_id();
    // Exactly as long as what is written: a vector with room to spare would cost `http` an
    // allocation more to share it.
    let mut authorization = Vec::with_capacity(
        ALGORITHM.len()
            + " Credential=".len()
            + access_key_id.len()
            + "/".len()
            + scope_len(region, signing_name)
            + ", SignedHeaders=".len()
            + signed_names_len(signed)
            + ", Signature=".len()
            + signature.len(),
    );
    authorization.extend_from_slice(ALGORITHM.as_bytes());
    authorization.extend_from_slice(b" Credential=");
    authorization.extend_from_slice(access_key_id.as_bytes());
    authorization.push(b'/');
    write_scope(&mut authorization, date, region, signing_name);
    authorization.extend_from_slice(b", SignedHeaders=");
    write_signed_names(&mut authorization, signed);
    authorization.extend_from_slice(b", Signature=");
    authorization.extend_from_slice(&signature);
    let mut authorization = http::HeaderValue::try_from(authorization)
        .map_err(|_| "the access key id is not a valid header value".to_string())?;
    authorization.set_sensitive(true);
    let date_value = http::HeaderValue::from_bytes(&date_time)
        .map_err(|_| "the signing time is not a valid header value".to_string())?;

    let headers = request.headers_mut();
    headers.insert(X_AMZ_DATE, date_value);
    headers.insert(http::header::AUTHORIZATION, authorization);
    if let Some(mut token) = token_value {
        token.set_sensitive(true);
        headers.insert(X_AMZ_SECURITY_TOKEN, token);
    }
    Ok(signature)
}

/// The SHA-256 of no bytes, hex: the payload hash of every request without a body.
const EMPTY_SHA256: &[u8; 64] = b"e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";

const X_AMZ_DATE: http::HeaderName = http::HeaderName::from_static("x-amz-date");
const X_AMZ_SECURITY_TOKEN: http::HeaderName =
    http::HeaderName::from_static("x-amz-security-token");

/// `<date>/<region>/<service>/aws4_request`.
fn write_scope(out: &mut Vec<u8>, date: &[u8; 8], region: &str, service: &str) {
    out.extend_from_slice(date);
    out.push(b'/');
    out.extend_from_slice(region.as_bytes());
    out.push(b'/');
    out.extend_from_slice(service.as_bytes());
    out.extend_from_slice(b"/aws4_request");
}

fn update_scope(mac: &mut HmacSha256, date: &[u8; 8], region: &str, service: &str) {
    mac.update(date);
    mac.update(b"/");
    mac.update(region.as_bytes());
    mac.update(b"/");
    mac.update(service.as_bytes());
    mac.update(b"/aws4_request");
}

fn scope_len(region: &str, service: &str) -> usize {
    8 + 1 + region.len() + 1 + service.len() + "/aws4_request".len()
}

/// `time` as `YYYYMMDD'T'HHMMSS'Z'` in UTC (the first 8 bytes are the scope's date).
pub(crate) fn amz_date(time: SystemTime) -> Result<[u8; 16], String> {
    let seconds = match time.duration_since(UNIX_EPOCH) {
        Ok(after) => i64::try_from(after.as_secs()).ok(),
        // Before 1970: whole seconds toward the past, as a calendar counts them.
        Err(before) => {
            let before = before.duration();
            let whole = i64::try_from(before.as_secs()).ok();
            whole.map(|s| if before.subsec_nanos() > 0 { -s - 1 } else { -s })
        }
    };
    let out_of_range = || "the signing time is outside the years 0 to 9999".to_string();
    let seconds = seconds.ok_or_else(out_of_range)?;
    let days = seconds.div_euclid(86_400);
    let second_of_day = seconds.rem_euclid(86_400);
    let (year, month, day) = civil_from_days(days);
    if !(0..=9999).contains(&year) {
        return Err(out_of_range());
    }
    let mut out = [0_u8; 16];
    let mut put = |at: usize, width: usize, mut value: i64| {
        for i in (at..at + width).rev() {
            out[i] = b'0' + (value % 10) as u8;
            value /= 10;
        }
    };
    put(0, 4, year);
    put(4, 2, month);
    put(6, 2, day);
    put(9, 2, second_of_day / 3600);
    put(11, 2, second_of_day % 3600 / 60);
    put(13, 2, second_of_day % 60);
    out[8] = b'T';
    out[15] = b'Z';
    Ok(out)
}

/// The proleptic Gregorian date of a day counted from 1970-01-01 (Howard Hinnant's
/// `civil_from_days`): year, month (1 to 12), day (1 to 31).
fn civil_from_days(days: i64) -> (i64, i64, i64) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let day_of_era = z.rem_euclid(146_097);
    let year_of_era =
        (day_of_era - day_of_era / 1460 + day_of_era / 36_524 - day_of_era / 146_096) / 365;
    let day_of_year = day_of_era - (365 * year_of_era + year_of_era / 4 - year_of_era / 100);
    let shifted_month = (5 * day_of_year + 2) / 153;
    let day = day_of_year - (153 * shifted_month + 2) / 5 + 1;
    let month = if shifted_month < 10 { shifted_month + 3 } else { shifted_month - 9 };
    (year_of_era + era * 400 + i64::from(month <= 2), month, day)
}

/// The payload hash of a request whose body is not signed (`@unsignedPayload`, over TLS).
pub(crate) const UNSIGNED_PAYLOAD: &[u8] = b"UNSIGNED-PAYLOAD";

/// The payload hash of a request whose body is an input event stream, each message signed.
pub(crate) const STREAMING_EVENTS: &str = "STREAMING-AWS4-HMAC-SHA256-EVENTS";

/// The hex SHA-256 of everything `stream` yields (a file's bytes, read in chunks).
pub(crate) async fn stream_sha256(
    mut stream: crate::byte_stream::ByteStream,
) -> Result<[u8; 64], crate::byte_stream::ByteStreamError> {
    let mut digest = Sha256::new();
    while let Some(chunk) = stream.next().await {
        digest.update(&chunk?);
    }
    Ok(hex(&digest.finalize().into()))
}

/// Lowercase hex of 32 bytes.
fn hex(bytes: &[u8; 32]) -> [u8; 64] {
    const DIGITS: &[u8; 16] = b"0123456789abcdef";
    let mut out = [0_u8; 64];
    for (i, byte) in bytes.iter().enumerate() {
        out[2 * i] = DIGITS[usize::from(byte >> 4)];
        out[2 * i + 1] = DIGITS[usize::from(byte & 0xf)];
    }
    out
}

/// A header as it goes into the canonical request: its name (lowercase, as `http` keeps it)
/// and value.
#[derive(Clone, Copy, Default)]
struct Signed<'a> {
    name: &'a str,
    value: &'a [u8],
}

/// The headers a request signs: a request has about ten, the signer's own included.
type SignedHeaders<'a> = Few<Signed<'a>, 16>;

/// A list kept on the stack while it has at most `N` items, in a vector past that. The
/// signer's lists are short (the headers signed, a query's parameters): a vector for them
/// would be an allocation per call.
struct Few<T, const N: usize> {
    few: [T; N],
    len: usize,
    /// All of them once there are more than `N`.
    many: Vec<T>,
}

impl<T: Default, const N: usize> Few<T, N> {
    fn new() -> Self {
        Few { few: std::array::from_fn(|_| T::default()), len: 0, many: Vec::new() }
    }

    fn push(&mut self, item: T) {
        if self.many.is_empty() {
            if let Some(slot) = self.few.get_mut(self.len) {
                *slot = item;
                self.len += 1;
                return;
            }
            self.many.reserve(2 * N);
            self.many.extend(self.few.iter_mut().map(std::mem::take));
        }
        self.many.push(item);
    }

    fn as_slice(&self) -> &[T] {
        if self.many.is_empty() {
            self.few.get(..self.len).unwrap_or_default()
        } else {
            &self.many
        }
    }

    fn as_mut_slice(&mut self) -> &mut [T] {
        if self.many.is_empty() {
            self.few.get_mut(..self.len).unwrap_or_default()
        } else {
            &mut self.many
        }
    }
}

/// Where the canonical request is written: straight into its hash when signing, or a vector
/// (a query part rewritten, `Authorization`'s list of names).
trait Out {
    fn put(&mut self, bytes: &[u8]);

    fn push(&mut self, byte: u8) {
        self.put(&[byte]);
    }
}

impl Out for Vec<u8> {
    fn put(&mut self, bytes: &[u8]) {
        self.extend_from_slice(bytes);
    }

    fn push(&mut self, byte: u8) {
        Vec::push(self, byte);
    }
}

impl Out for Sha256 {
    fn put(&mut self, bytes: &[u8]) {
        self.update(bytes);
    }
}

/// The SHA-256 of the canonical request of `request` signed at `date_time` (with `token`, the
/// session token, if any), and the headers it signs, sorted by name.
fn canonical_request<'a>(
    request: &'a http::Request<Vec<u8>>,
    date_time: &'a [u8; 16],
    token: Option<&'a str>,
    payload_hash: &[u8],
) -> Result<([u8; 32], SignedHeaders<'a>), String> {
    let uri = request.uri();
    let headers = request.headers();
    // The headers to sign, sorted by name (stable: a name's values keep their order).
    let mut signed = SignedHeaders::new();
    let mut has_host = false;
    for (name, value) in headers {
        let name = name.as_str();
        if UNSIGNED_HEADERS.contains(&name)
            || name == "x-amz-date"
            || (token.is_some() && name == "x-amz-security-token")
        {
            continue;
        }
        if value.to_str().is_err() {
            return Err(format!("the header `{name}` is not visible ASCII and cannot be signed"));
        }
        has_host |= name == "host";
        signed.push(Signed { name, value: value.as_bytes() });
    }
    // Without a `Host` header, the one the URI's authority gives (without a default port).
    let port = uri.port();
    let default_port = matches!(
        (uri.scheme_str(), port.as_ref().map(|p| p.as_str())),
        (Some("http"), Some("80")) | (Some("https"), Some("443"))
    );
    if !has_host {
        let host = match (uri.host(), uri.authority()) {
            (Some(host), _) if default_port => host,
            (_, Some(authority)) => authority.as_str(),
            _ => return Err("the request URI has no host to sign".to_string()),
        };
        signed.push(Signed { name: "host", value: host.as_bytes() });
    }
    signed.push(Signed { name: "x-amz-date", value: date_time });
    if let Some(token) = token {
        signed.push(Signed { name: "x-amz-security-token", value: token.as_bytes() });
    }
    signed.as_mut_slice().sort_by(|a, b| a.name.cmp(b.name));
    let sorted = signed.as_slice();

    let mut out = Sha256::new();
    out.put(request.method().as_str().as_bytes());
    out.push(b'\n');
    write_path(&mut out, uri.path());
    out.push(b'\n');
    write_query(&mut out, uri.query().unwrap_or(""));
    out.push(b'\n');
    let mut i = 0;
    while i < sorted.len() {
        let name = sorted[i].name;
        out.put(name.as_bytes());
        out.push(b':');
        let mut first = true;
        while i < sorted.len() && sorted[i].name == name {
            if !first {
                out.push(b',');
            }
            first = false;
            write_trimmed(&mut out, sorted[i].value);
            i += 1;
        }
        out.push(b'\n');
    }
    out.push(b'\n');
    write_signed_names(&mut out, sorted);
    out.push(b'\n');
    out.put(payload_hash);
    Ok((out.finalize().into(), signed))
}

/// The names of the signed headers, each once (`signed` is sorted by name).
fn signed_names<'s>(signed: &'s [Signed<'_>]) -> impl Iterator<Item = &'s str> + 's {
    let mut previous = None;
    signed.iter().filter_map(move |header| {
        if previous == Some(header.name) {
            return None;
        }
        previous = Some(header.name);
        Some(header.name)
    })
}

/// The signed headers' names joined with `;`: in the canonical request and in
/// `Authorization`.
fn write_signed_names(out: &mut impl Out, signed: &[Signed<'_>]) {
    for (i, name) in signed_names(signed).enumerate() {
        if i > 0 {
            out.push(b';');
        }
        out.put(name.as_bytes());
    }
}

/// The length of what [`write_signed_names`] writes.
fn signed_names_len(signed: &[Signed<'_>]) -> usize {
    signed_names(signed).map(|name| name.len() + 1).sum::<usize>().saturating_sub(1)
}

/// A header value with the spaces at its ends removed and every run of spaces inside made one.
fn write_trimmed(out: &mut impl Out, value: &[u8]) {
    let start = value.iter().position(|&b| b != b' ').unwrap_or(value.len());
    let end = value.iter().rposition(|&b| b != b' ').map_or(start, |i| i + 1);
    let mut rest = value.get(start..end).unwrap_or_default();
    // Up to and with each run's first space at once; the run's other spaces skipped (a run
    // always ends before a byte that is not a space: the value's end is trimmed).
    while let Some(space) = rest.iter().position(|&b| b == b' ') {
        let (run, after) = rest.split_at(space + 1);
        out.put(run);
        rest = after;
        let next = rest.iter().position(|&b| b != b' ').unwrap_or(rest.len());
        rest = rest.get(next..).unwrap_or_default();
    }
    out.put(rest);
}

/// Whether `byte` is an RFC 3986 unreserved character, the only ones SigV4 leaves unencoded.
fn is_unreserved(byte: u8) -> bool {
    byte.is_ascii_alphanumeric() || matches!(byte, b'-' | b'.' | b'_' | b'~')
}

/// Writes `text` percent-encoded (uppercase hex), keeping the unreserved characters and, if
/// `keep_slash`, `/`.
fn write_encoded(out: &mut impl Out, text: &[u8], keep_slash: bool) {
    const DIGITS: &[u8; 16] = b"0123456789ABCDEF";
    let kept = |byte: u8| is_unreserved(byte) || (keep_slash && byte == b'/');
    let mut rest = text;
    while !rest.is_empty() {
        // The run of bytes kept as they are, at once; then one byte encoded.
        let run = rest.iter().position(|&b| !kept(b)).unwrap_or(rest.len());
        out.put(&rest[..run]);
        let Some((&byte, after)) = rest[run..].split_first() else { break };
        rest = after;
        out.put(&[b'%', DIGITS[usize::from(byte >> 4)], DIGITS[usize::from(byte & 0xf)]]);
    }
}

/// The canonical URI: the path with its `.` and `..` segments resolved and its empty segments
/// dropped (RFC 3986 normalization as AWS's signers do it), then percent-encoded once more.
fn write_path(out: &mut impl Out, path: &str) {
    let absolute: Cow<'_, str> =
        if path.starts_with('/') { Cow::Borrowed(path) } else { Cow::Owned(format!("/{path}")) };
    if !absolute.contains('.') && !absolute.contains("//") {
        write_encoded(out, absolute.as_bytes(), true);
        return;
    }
    let mut segments: Vec<&str> = Vec::new();
    for segment in absolute.split('/') {
        match segment {
            "" | "." => {}
            ".." => {
                segments.pop();
            }
            segment => segments.push(segment),
        }
    }
    out.push(b'/');
    for (i, segment) in segments.iter().enumerate() {
        if i > 0 {
            out.push(b'/');
        }
        write_encoded(out, segment.as_bytes(), true);
    }
    let ends_with_slash =
        ["/", "/.", "/./", "/..", "/../"].iter().any(|end| absolute.ends_with(end));
    if ends_with_slash && !segments.is_empty() {
        out.push(b'/');
    }
}

/// A query parameter's name and value, canonical.
type QueryPair<'a> = (Cow<'a, [u8]>, Cow<'a, [u8]>);

/// The canonical query string: each `name=value` pair decoded (as a form: `+` is a space) and
/// encoded again, the pairs sorted, joined with `&`.
fn write_query(out: &mut impl Out, query: &str) {
    if query.is_empty() {
        return;
    }
    let mut pairs: Few<QueryPair<'_>, 8> = Few::new();
    for pair in query.split('&').filter(|pair| !pair.is_empty()) {
        let (name, value) = pair.split_once('=').unwrap_or((pair, ""));
        pairs.push((canonical_query_part(name), canonical_query_part(value)));
    }
    pairs.as_mut_slice().sort();
    for (i, (name, value)) in pairs.as_slice().iter().enumerate() {
        if i > 0 {
            out.push(b'&');
        }
        out.put(name);
        out.push(b'=');
        out.put(value);
    }
}

/// A query name or value decoded and percent-encoded again: as it is when it holds only
/// unreserved characters (most do), else rewritten.
fn canonical_query_part(part: &str) -> Cow<'_, [u8]> {
    if part.bytes().all(is_unreserved) {
        return Cow::Borrowed(part.as_bytes());
    }
    let bytes = part.as_bytes();
    let mut decoded = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let byte = bytes[i];
        let escaped = match (byte, bytes.get(i + 1), bytes.get(i + 2)) {
            (b'%', Some(&high), Some(&low)) => hex_digit(high).zip(hex_digit(low)),
            _ => None,
        };
        match escaped {
            Some((high, low)) => {
                decoded.push((high << 4) | low);
                i += 3;
            }
            None => {
                decoded.push(if byte == b'+' { b' ' } else { byte });
                i += 1;
            }
        }
    }
    // Bytes that are not UTF-8 count as U+FFFD, as a form decoder reads them.
    let decoded = String::from_utf8_lossy(&decoded);
    let mut out = Vec::with_capacity(3 * decoded.len());
    write_encoded(&mut out, decoded.as_bytes(), false);
    Cow::Owned(out)
}

fn hex_digit(byte: u8) -> Option<u8> {
    match byte {
        b'0'..=b'9' => Some(byte - b'0'),
        b'a'..=b'f' => Some(byte - b'a' + 10),
        b'A'..=b'F' => Some(byte - b'A' + 10),
        _ => None,
    }
}

/// The SigV4 signing name and region an endpoint's `authSchemes` property asks for.
pub(crate) fn auth_scheme(
    properties: &BTreeMap<String, Document>,
) -> (Option<String>, Option<String>) {
    let Some(Document::Array(schemes)) = properties.get("authSchemes") else {
        return (None, None);
    };
    for scheme in schemes {
        let Document::Object(scheme) = scheme else { continue };
        if !matches!(scheme.get("name"), Some(Document::String(name)) if name == "sigv4") {
            continue;
        }
        let text = |key: &str| match scheme.get(key) {
            Some(Document::String(s)) => Some(s.clone()),
            _ => None,
        };
        return (text("signingName"), text("signingRegion"));
    }
    (None, None)
}
