//! The HTTP binding traits → [`crate::ir::http`]: each member's binding and each operation's
//! `@http` URI template and `@endpoint` host prefix, parsed and checked once.

use serde_json::Value;

use crate::error::{Error, Result};
use crate::ir::{HostPrefix, HostPrefixPart, HttpBinding, HttpOperation, PathSegment, UriTemplate};
use crate::load::{Shape, Traits};

/// The binding of a member from its traits (a label's greediness comes from the operation's URI
/// template, filled in by the caller).
pub fn binding(traits: &Traits) -> HttpBinding {
    let text =
        |name: &str| traits.get(name).and_then(Value::as_str).unwrap_or_default().to_string();
    if traits.has("httpLabel") {
        HttpBinding::Label { greedy: false }
    } else if traits.has("httpQuery") {
        HttpBinding::Query(text("httpQuery"))
    } else if traits.has("httpQueryParams") {
        HttpBinding::QueryParams
    } else if traits.has("httpHeader") {
        HttpBinding::Header(text("httpHeader"))
    } else if traits.has("httpPrefixHeaders") {
        HttpBinding::PrefixHeaders(text("httpPrefixHeaders"))
    } else if traits.has("httpPayload") {
        HttpBinding::Payload
    } else if traits.has("httpResponseCode") {
        HttpBinding::ResponseCode
    } else {
        HttpBinding::Body
    }
}

/// The operation's `@http` trait, parsed; restJson1 operations must have one.
pub fn operation(shape: &Shape) -> Result<HttpOperation> {
    let id = &shape.id;
    let http = shape
        .traits
        .get("http")
        .ok_or_else(|| Error::unsupported(id, "restJson1 operations need the @http trait"))?;
    let method = http
        .get("method")
        .and_then(Value::as_str)
        .ok_or_else(|| Error::model(id, "@http needs a string `method`"))?
        .to_string();
    let uri = http
        .get("uri")
        .and_then(Value::as_str)
        .ok_or_else(|| Error::model(id, "@http needs a string `uri`"))?;
    let code = match http.get("code") {
        None => 200,
        Some(code) => code
            .as_u64()
            .and_then(|c| u16::try_from(c).ok())
            .filter(|c| (100..=999).contains(c))
            .ok_or_else(|| Error::model(id, "@http `code` must be an HTTP status code"))?,
    };
    let host_prefix = match shape.traits.get("endpoint").and_then(|e| e.get("hostPrefix")) {
        None => None,
        Some(prefix) => {
            let prefix = prefix
                .as_str()
                .ok_or_else(|| Error::model(id, "@endpoint `hostPrefix` must be a string"))?;
            Some(host_prefix(id, prefix)?)
        }
    };
    Ok(HttpOperation { method, uri: uri_template(id, uri)?, code, host_prefix })
}

/// Parses an `@http` URI pattern (`/meetings/{MeetingId}/attendees?operation=x`).
pub fn uri_template(op: &str, uri: &str) -> Result<UriTemplate> {
    if !uri.starts_with('/') {
        return Err(Error::model(op, format!("@http uri `{uri}` must start with `/`")));
    }
    let (path, query) = uri.split_once('?').unwrap_or((uri, ""));
    let mut segments = Vec::new();
    for segment in path.split('/').skip(1) {
        if let Some(label) = segment.strip_prefix('{').and_then(|s| s.strip_suffix('}')) {
            let (member, greedy) = match label.strip_suffix('+') {
                Some(m) => (m, true),
                None => (label, false),
            };
            if member.is_empty() || member.contains(['{', '}']) {
                return Err(Error::model(
                    op,
                    format!("URI segment `{segment}` is not a valid label"),
                ));
            }
            segments.push(PathSegment::Label { member: member.to_string(), greedy });
        } else if segment.contains(['{', '}']) {
            return Err(Error::unsupported(
                op,
                format!("URI segment `{segment}` mixes a label with literal text"),
            ));
        } else {
            segments.push(PathSegment::Literal(segment.to_string()));
        }
    }
    // A trailing `/` gives an empty last segment: the path ends with `/`.
    let query = query
        .split('&')
        .filter(|p| !p.is_empty())
        .map(|p| match p.split_once('=') {
            Some((k, v)) => (k.to_string(), Some(v.to_string())),
            None => (p.to_string(), None),
        })
        .collect();
    Ok(UriTemplate { segments, query })
}

/// Parses `@endpoint(hostPrefix)`: literal text and `{Label}`s.
pub fn host_prefix(op: &str, prefix: &str) -> Result<HostPrefix> {
    let mut parts = Vec::new();
    let mut rest = prefix;
    while let Some(start) = rest.find('{') {
        if start > 0 {
            parts.push(HostPrefixPart::Literal(rest[..start].to_string()));
        }
        let end = rest[start..]
            .find('}')
            .map(|e| start + e)
            .ok_or_else(|| Error::model(op, "unclosed label in @endpoint hostPrefix"))?;
        let label = &rest[start + 1..end];
        if label.is_empty() {
            return Err(Error::model(op, "empty label in @endpoint hostPrefix"));
        }
        parts.push(HostPrefixPart::Label(label.to_string()));
        rest = &rest[end + 1..];
    }
    if rest.contains('}') {
        return Err(Error::model(op, "unopened label in @endpoint hostPrefix"));
    }
    if !rest.is_empty() {
        parts.push(HostPrefixPart::Literal(rest.to_string()));
    }
    Ok(HostPrefix { parts })
}
