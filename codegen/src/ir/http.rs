//! The HTTP side of the IR: where each member goes in a restJson1 message, and each
//! operation's method, URI template and host prefix, parsed once and shared by the client and
//! server emitters.

/// Where a structure member goes in an HTTP request or response (the Smithy HTTP binding traits;
/// an unbound member is in the JSON body).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum HttpBinding {
    /// `@httpLabel`: a segment of the URI path; `greedy` (`{Key+}`) keeps `/`.
    Label { greedy: bool },
    /// `@httpQuery`: a query parameter with this name (a list repeats it).
    Query(String),
    /// `@httpQueryParams`: a map of query parameters (those named by `@httpQuery` win).
    QueryParams,
    /// `@httpHeader`: a header with this name (a list is comma-joined).
    Header(String),
    /// `@httpPrefixHeaders`: a map of headers whose names start with this prefix.
    PrefixHeaders(String),
    /// `@httpPayload`: the whole body.
    Payload,
    /// `@httpResponseCode`: the status code of a response.
    ResponseCode,
    /// A member of the JSON body (under the field's `json_name`).
    Body,
}

impl HttpBinding {
    /// Whether the member is carried by the body (as a JSON member or as the payload).
    pub fn in_body(&self) -> bool {
        matches!(self, HttpBinding::Body | HttpBinding::Payload)
    }
}

/// An operation's `@http` trait, parsed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HttpOperation {
    /// `GET`, `POST`, ... as written in the model.
    pub method: String,
    /// The URI pattern, parsed.
    pub uri: UriTemplate,
    /// The success status code (`code`, default 200).
    pub code: u16,
    /// `@endpoint(hostPrefix)`, parsed.
    pub host_prefix: Option<HostPrefix>,
}

/// The URI pattern of `@http`: path segments and the literal query string.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UriTemplate {
    /// The path's segments, in order (`/a/{B}` → `[Literal("a"), Label("B")]`).
    pub segments: Vec<PathSegment>,
    /// Literal query parameters (`?operation=x&flag`), in order: key and optional value.
    pub query: Vec<(String, Option<String>)>,
}

impl std::fmt::Display for UriTemplate {
    /// The pattern as `@http` writes it (`/a/{B}?x=1`).
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        for segment in &self.segments {
            match segment {
                PathSegment::Literal(text) => write!(f, "/{text}")?,
                PathSegment::Label { member, greedy: false } => write!(f, "/{{{member}}}")?,
                PathSegment::Label { member, greedy: true } => write!(f, "/{{{member}+}}")?,
            }
        }
        for (i, (key, value)) in self.query.iter().enumerate() {
            f.write_str(if i == 0 { "?" } else { "&" })?;
            match value {
                Some(value) => write!(f, "{key}={value}")?,
                None => f.write_str(key)?,
            }
        }
        Ok(())
    }
}

/// One segment of a URI path.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PathSegment {
    /// Literal text (without the `/`).
    Literal(String),
    /// `{member}` or `{member+}` (greedy): an `@httpLabel` member of the input, by its model name.
    Label { member: String, greedy: bool },
}

/// `@endpoint(hostPrefix: "{Label}-data.")`: literal text and input members.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HostPrefix {
    pub parts: Vec<HostPrefixPart>,
}

/// A piece of a host prefix.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum HostPrefixPart {
    Literal(String),
    /// An `@hostLabel` member of the input, by its model name.
    Label(String),
}

/// The timestamp formats of Smithy's `@timestampFormat`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum TimestampFormat {
    /// RFC 3339 (`2021-01-01T00:00:00Z`).
    DateTime,
    /// RFC 7231 IMF-fixdate (`Fri, 01 Jan 2021 00:00:00 GMT`).
    HttpDate,
    /// Seconds since the Unix epoch, with an optional fraction.
    EpochSeconds,
}

impl TimestampFormat {
    /// The trait value (`date-time`, `http-date`, `epoch-seconds`).
    pub fn as_str(self) -> &'static str {
        match self {
            TimestampFormat::DateTime => "date-time",
            TimestampFormat::HttpDate => "http-date",
            TimestampFormat::EpochSeconds => "epoch-seconds",
        }
    }

    /// Parses a trait value.
    pub fn parse(value: &str) -> Option<Self> {
        match value {
            "date-time" => Some(TimestampFormat::DateTime),
            "http-date" => Some(TimestampFormat::HttpDate),
            "epoch-seconds" => Some(TimestampFormat::EpochSeconds),
            _ => None,
        }
    }
}

/// Where a value is written, for the restJson1 default timestamp format of each location.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Location {
    /// A JSON body (and a JSON document): epoch-seconds.
    Body,
    /// A header: http-date.
    Header,
    /// A URI label or a query parameter: date-time.
    Uri,
}

impl Location {
    /// restJson1's default timestamp format here.
    pub fn default_timestamp_format(self) -> TimestampFormat {
        match self {
            Location::Body => TimestampFormat::EpochSeconds,
            Location::Header => TimestampFormat::HttpDate,
            Location::Uri => TimestampFormat::DateTime,
        }
    }
}
