//! The standard library of the Smithy rules engine (`smithy.rules#endpointRuleSet`), used by the
//! endpoint resolver the generator compiles from the model's rule set (`crate::endpoint`).
//!
//! Every function follows the rules-engine specification: `substring`, `uriEncode`, `parseURL`,
//! `isValidHostLabel`, and the AWS extensions `aws.partition`, `aws.parseArn` and
//! `aws.isVirtualHostableS3Bucket`. (`isSet`, `not`, `booleanEquals`, `stringEquals` and
//! `getAttr` compile to plain Rust expressions.) None of them panics, whatever the input.

use std::sync::OnceLock;

use super::pattern::Pattern;

/// The outputs of `aws.partition`: what the rules read with `getAttr`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Partition {
    /// `name` (`aws`, `aws-cn`, ...).
    pub(crate) name: &'static str,
    /// `dnsSuffix` (`amazonaws.com`).
    pub(crate) dns_suffix: &'static str,
    /// `dualStackDnsSuffix` (`api.aws`).
    pub(crate) dual_stack_dns_suffix: &'static str,
    /// `supportsFIPS`.
    pub(crate) supports_fips: bool,
    /// `supportsDualStack`.
    pub(crate) supports_dual_stack: bool,
    /// `implicitGlobalRegion` (`us-east-1`).
    pub(crate) implicit_global_region: &'static str,
}

/// One partition of the partition data (AWS's `partitions.json`).
#[derive(Debug)]
pub(crate) struct PartitionData {
    /// The partition id (`aws`): the fallback partition when no other matches is `aws`.
    pub(crate) id: &'static str,
    /// The regular expression a region of this partition matches (`^us\-gov\-\w+\-\d+$`).
    pub(crate) region_regex: &'static str,
    /// The regions listed by name that have the partition's outputs.
    pub(crate) regions: &'static [&'static str],
    /// The regions listed by name whose outputs differ from the partition's.
    pub(crate) region_overrides: &'static [(&'static str, Partition)],
    /// The partition's outputs.
    pub(crate) outputs: Partition,
}

/// `aws.partition(region)`: the partition that lists `region`, else the first whose
/// `regionRegex` matches it, else the `aws` partition.
pub(crate) fn partition(data: &'static [PartitionData], region: &str) -> Option<Partition> {
    for p in data {
        if p.regions.contains(&region) {
            return Some(p.outputs);
        }
        if let Some((_, outputs)) = p.region_overrides.iter().find(|(name, _)| *name == region) {
            return Some(*outputs);
        }
    }
    static COMPILED: OnceLock<Vec<Option<Pattern>>> = OnceLock::new();
    let compiled =
        COMPILED.get_or_init(|| data.iter().map(|p| Pattern::new(p.region_regex).ok()).collect());
    for (p, pattern) in data.iter().zip(compiled) {
        if pattern.as_ref().is_some_and(|pattern| pattern.is_match(region)) {
            return Some(p.outputs);
        }
    }
    data.iter().find(|p| p.id == "aws").map(|p| p.outputs)
}

/// `substring(input, start, stop, reverse)`: the ASCII characters `start..stop` (counted from
/// the end when `reverse`); `None` if the range is empty or out of bounds, or the input is not
/// ASCII.
pub(crate) fn substring(input: &str, start: usize, stop: usize, reverse: bool) -> Option<String> {
    if start >= stop || stop > input.len() || !input.is_ascii() {
        return None;
    }
    let (from, to) =
        if reverse { (input.len() - stop, input.len() - start) } else { (start, stop) };
    input.get(from..to).map(str::to_owned)
}

/// `uriEncode(value)`: percent-encodes every byte but the unreserved characters
/// (`A-Z a-z 0-9 - _ . ~`).
pub(crate) fn uri_encode(value: &str) -> String {
    const HEX: &[u8; 16] = b"0123456789ABCDEF";
    let mut out = String::with_capacity(value.len());
    for &b in value.as_bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.' | b'~') {
            out.push(char::from(b));
        } else {
            out.push('%');
            out.push(char::from(HEX[usize::from(b >> 4)]));
            out.push(char::from(HEX[usize::from(b & 0xf)]));
        }
    }
    out
}

/// The outputs of `parseURL`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Url {
    /// `scheme` (`https`).
    pub(crate) scheme: String,
    /// `authority`: host and optional port.
    pub(crate) authority: String,
    /// `path`, as written (possibly empty).
    pub(crate) path: String,
    /// `normalizedPath`: the path without dot segments and empty segments, percent-encoded,
    /// with a leading and a trailing `/`.
    pub(crate) normalized_path: String,
    /// `isIp`: whether the host is an IPv4 address or a bracketed IPv6 address.
    pub(crate) is_ip: bool,
}

/// `parseURL(value)`: `None` unless `value` is an `http` or `https` URL without a query string
/// or a fragment.
pub(crate) fn parse_url(value: &str) -> Option<Url> {
    let (scheme, rest) = value.split_once("://")?;
    if scheme != "http" && scheme != "https" {
        return None;
    }
    if rest.contains(['?', '#']) {
        return None;
    }
    let (authority, path) = match rest.find('/') {
        Some(i) => rest.split_at(i),
        None => (rest, ""),
    };
    if authority.is_empty() || authority.contains(' ') {
        return None;
    }
    // A user-info part stays in the authority, as written.
    let host_port = authority.rsplit_once('@').map_or(authority, |(_, host)| host);
    let host = if host_port.starts_with('[') {
        let end = host_port.find(']')?;
        let (host, port) = host_port.split_at(end + 1);
        if !port.is_empty() && !is_port(port.strip_prefix(':')?) {
            return None;
        }
        host
    } else {
        match host_port.rsplit_once(':') {
            Some((host, port)) if is_port(port) => host,
            Some(_) => return None,
            None => host_port,
        }
    };
    if host.is_empty() {
        return None;
    }
    let is_ip = (host.starts_with('[') && host.ends_with(']')) || is_ipv4(host);
    let normalized_path = normalize_path(path);
    Some(Url {
        scheme: scheme.to_owned(),
        authority: authority.to_owned(),
        path: path.to_owned(),
        normalized_path,
        is_ip,
    })
}

fn is_port(port: &str) -> bool {
    !port.is_empty() && port.len() <= 5 && port.bytes().all(|b| b.is_ascii_digit())
}

/// Four dot-separated groups of one to three digits (as AWS SDKs test for an IP host).
fn is_ipv4(host: &str) -> bool {
    let mut groups = 0;
    for part in host.split('.') {
        groups += 1;
        if part.is_empty() || part.len() > 3 || !part.bytes().all(|b| b.is_ascii_digit()) {
            return false;
        }
    }
    groups == 4
}

/// The path without `.` and `..` segments and empty segments (RFC 3986 section 5.2.4, with
/// consecutive slashes merged as AWS services require), percent-encoded but for `/`.
fn normalize_path(path: &str) -> String {
    let mut segments: Vec<&str> = Vec::new();
    for segment in path.split('/') {
        match segment {
            "" | "." => {}
            ".." => {
                segments.pop();
            }
            other => segments.push(other),
        }
    }
    let mut joined = String::with_capacity(path.len() + 2);
    if path.starts_with('/') {
        joined.push('/');
    }
    joined.push_str(&segments.join("/"));
    if path.ends_with('/') && !segments.is_empty() {
        joined.push('/');
    }
    let mut out = if joined.is_empty() {
        "/".to_owned()
    } else {
        joined.split('/').map(uri_encode).collect::<Vec<_>>().join("/")
    };
    if !out.ends_with('/') {
        out.push('/');
    }
    out
}

/// `isValidHostLabel(value, allowSubDomains)`: a DNS label (1 to 63 ASCII letters, digits or
/// `-`, starting and ending with a letter or digit); with `allowSubDomains`, dot-separated labels.
pub(crate) fn is_valid_host_label(value: &str, allow_sub_domains: bool) -> bool {
    if allow_sub_domains {
        value.split('.').all(is_host_label)
    } else {
        is_host_label(value)
    }
}

fn is_host_label(label: &str) -> bool {
    let bytes = label.as_bytes();
    !bytes.is_empty()
        && bytes.len() <= 63
        && bytes.first().is_some_and(u8::is_ascii_alphanumeric)
        && bytes.last().is_some_and(u8::is_ascii_alphanumeric)
        && bytes.iter().all(|b| b.is_ascii_alphanumeric() || *b == b'-')
}

/// `aws.isVirtualHostableS3Bucket(value, allowSubDomains)`: whether a bucket name can be the
/// first label(s) of a virtual-hosted S3 host name: at least 3 characters, no uppercase, not
/// an IPv4 address, and valid host label(s).
pub(crate) fn is_virtual_hostable_s3_bucket(value: &str, allow_sub_domains: bool) -> bool {
    value.len() >= 3
        && !value.chars().any(char::is_uppercase)
        && !is_ipv4(value)
        && is_valid_host_label(value, allow_sub_domains)
}

/// The outputs of `aws.parseArn`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Arn {
    /// `partition`.
    pub(crate) partition: String,
    /// `service`.
    pub(crate) service: String,
    /// `region` (may be empty).
    pub(crate) region: String,
    /// `accountId` (may be empty).
    pub(crate) account_id: String,
    /// `resourceId`: the resource split on `:` and `/`.
    pub(crate) resource_id: Vec<String>,
}

/// `aws.parseArn(value)`: `arn:partition:service:region:account:resource`; `None` unless it
/// starts with `arn` and partition, service and resource are not empty.
pub(crate) fn parse_arn(value: &str) -> Option<Arn> {
    let mut parts = value.splitn(6, ':');
    let (arn, partition, service, region, account_id, resource) =
        (parts.next()?, parts.next()?, parts.next()?, parts.next()?, parts.next()?, parts.next()?);
    if arn != "arn" || partition.is_empty() || service.is_empty() || resource.is_empty() {
        return None;
    }
    Some(Arn {
        partition: partition.to_owned(),
        service: service.to_owned(),
        region: region.to_owned(),
        account_id: account_id.to_owned(),
        resource_id: resource.split([':', '/']).map(str::to_owned).collect(),
    })
}

/// `getAttr(array, "[index]")`: the element, or `None` past the end.
pub(crate) fn element(array: &[String], index: usize) -> Option<&str> {
    array.get(index).map(String::as_str)
}
