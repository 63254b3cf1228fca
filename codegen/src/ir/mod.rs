//! The intermediate representation between the Smithy model and the emitted tokens.
//!
//! [`crate::resolve`] builds it: every Rust name, module path and field type is decided there
//! (by [`crate::resolve::symbols`]), and so is everything the protocol layer, the checks and the
//! client need — each member's [`Value`] (what it targets, with its timestamp format and
//! constraints), its [`HttpBinding`] and JSON name, each operation's parsed [`HttpOperation`],
//! errors, pagination and protocol needs, and the service's endpoint rule set as a typed
//! syntax tree ([`endpoint`]). [`crate::emit`] only turns these values into tokens.
//!
//! It carries no raw traits: what a trait means is read once, in resolve, into a typed field.
//! Shapes keep their ids ([`ShapeId`]) for messages and for the names the wire uses
//! ([`shape_name`]: operation names, error codes).

pub mod constraints;
pub mod endpoint;
pub mod http;
pub mod protocol_tests;
pub mod streaming;

pub use self::constraints::{Bounds, Constraints};
pub use self::http::{
    HostPrefix, HostPrefixPart, HttpBinding, HttpOperation, Location, PathSegment, TimestampFormat,
    UriTemplate,
};
pub use self::streaming::{
    Event, EventError, EventHeader, EventPayload, EventStream, HeaderType, PayloadKind,
    StreamBinding, StreamMember,
};

/// A shape's absolute id (`com.example#Shape`), as the model names it; the IR keeps the ids of
/// what it describes, for messages and for the names on the wire.
pub use crate::load::ShapeId;

/// The local name of a shape id: `Shape` for `com.example#Shape` (what the wire calls operations
/// and errors).
pub use crate::load::shape_name;

/// The service and everything generated for it.
#[derive(Debug, Clone)]
pub struct Service {
    pub id: ShapeId,
    /// Cargo package name (`chime-sdk-meetings`), from `aws.api#service` `sdkId` or the shape name.
    pub crate_name: String,
    /// The service id (`aws.api#service` `sdkId`, `Chime SDK Meetings`; else the shape name):
    /// what the AWS SDKs key service-specific settings by (`AWS_ENDPOINT_URL_<ID>`, the
    /// profile's `services` section).
    pub sdk_id: String,
    /// Human title (`smithy.api#title`, else the sdkId, else the shape name).
    pub title: String,
    /// Service documentation (raw model HTML).
    pub docs: Option<String>,
    /// The service's API version (`2021-07-15`).
    pub version: Option<String>,
    /// The SigV4 signing name (`aws.auth#sigv4` `name`): what a client signs for and a server
    /// checks; `None` when the service is not signed with SigV4.
    pub sigv4_signing_name: Option<String>,
    pub operations: Vec<Operation>,
    /// Types in `crate::types`, sorted by Rust name.
    pub types: Vec<TypeDef>,
    /// Error structures in `crate::types::error`, sorted by Rust name.
    pub errors: Vec<Structure>,
    /// `types` and `errors` by shape id (see [`Service::def`]).
    pub index: std::collections::BTreeMap<ShapeId, DefIndex>,
    /// The endpoint rule set (`smithy.rules#endpointRuleSet`) with its tests, type-checked;
    /// `None` when the model has none (see [`Service::has_endpoint_rules`]).
    pub endpoint: Option<endpoint::RuleSet>,
    /// The `@streaming` unions operations stream, sorted by Rust name (see
    /// [`StreamBinding::Events`]).
    pub event_streams: Vec<EventStream>,
}

/// Where [`Service::def`] finds a named type: `types[i]` or `errors[i]`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DefIndex {
    Type(usize),
    Error(usize),
}

/// A named type of the service, found by shape id.
#[derive(Debug, Clone, Copy)]
pub enum Def<'a> {
    Structure(&'a Structure),
    Enum(&'a Enum),
    IntEnum(&'a IntEnum),
    Union(&'a Union),
}

impl Service {
    /// Whether the service resolves its endpoint by rules (else the caller supplies the URL).
    pub fn has_endpoint_rules(&self) -> bool {
        self.endpoint.is_some()
    }

    /// The event stream of the `@streaming` union `shape`.
    pub fn event_stream(&self, shape: &str) -> Option<&EventStream> {
        self.event_streams.iter().find(|e| e.shape == shape)
    }

    /// The named type generated for `shape` (a structure, error structure, union or enum).
    pub fn def(&self, shape: &str) -> Option<Def<'_>> {
        Some(match *self.index.get(shape)? {
            DefIndex::Error(i) => Def::Structure(&self.errors[i]),
            DefIndex::Type(i) => match &self.types[i] {
                TypeDef::Structure(s) => Def::Structure(s),
                TypeDef::Enum(e) => Def::Enum(e),
                TypeDef::IntEnum(e) => Def::IntEnum(e),
                TypeDef::Union(u) => Def::Union(u),
            },
        })
    }

    /// The structure (error structures included) generated for `shape`.
    pub fn structure(&self, shape: &str) -> Option<&Structure> {
        match self.def(shape)? {
            Def::Structure(s) => Some(s),
            _ => None,
        }
    }

    /// The union generated for `shape`.
    pub fn union(&self, shape: &str) -> Option<&Union> {
        match self.def(shape)? {
            Def::Union(u) => Some(u),
            _ => None,
        }
    }

    /// The Rust path of every named type (`crate::types` and `crate::types::error`), by shape id.
    pub fn type_paths(&self) -> std::collections::BTreeMap<ShapeId, TypePath> {
        let mut paths = std::collections::BTreeMap::new();
        for def in &self.types {
            paths.insert(def.shape().clone(), def.path().clone());
        }
        for s in &self.errors {
            paths.insert(s.shape.clone(), s.path.clone());
        }
        paths
    }
}

/// One operation: its module holds the input, the output and the error enum.
#[derive(Debug, Clone)]
pub struct Operation {
    pub id: ShapeId,
    /// PascalCase name (`CreateAttendee`).
    pub name: String,
    /// Module under `crate::operation` (`create_attendee`).
    pub module: String,
    pub docs: Option<String>,
    pub input: Structure,
    pub output: Structure,
    /// Name of the error enum (`CreateAttendeeError`).
    pub error_name: String,
    /// Its catch-all variant: `Unhandled`, unless a modeled error takes that name.
    pub unhandled: String,
    /// Modeled errors, operation errors first then service errors, without duplicates.
    pub errors: Vec<ErrorRef>,
    /// `@http`, parsed (restJson1 requires it).
    pub http: HttpOperation,
    /// `@httpChecksumRequired`: requests carry `Content-MD5`.
    pub checksum_required: bool,
    /// `@requestCompression` encodings this generator supports, in the model's order
    /// (`gzip`).
    pub request_compression: Vec<String>,
    /// `@unsignedPayload` (`aws.auth#unsignedPayload`): the body may be left out of the
    /// SigV4 signature (`UNSIGNED-PAYLOAD`).
    pub unsigned_payload: bool,
    /// `@paginated`, with the service's defaults merged in, when it names both tokens.
    pub pagination: Option<Pagination>,
    /// The operation's restJson1 protocol test cases (`smithy.test`).
    pub protocol_tests: protocol_tests::OperationTests,
    /// The input member that streams (a `@streaming` blob or event stream payload), if any.
    pub input_stream: Option<StreamMember>,
    /// The output member that streams, if any.
    pub output_stream: Option<StreamMember>,
}

/// An operation's `@paginated` members, each a path of member names from the input or output
/// (`["NextToken"]`, `["Result", "Items"]`), checked to exist.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Pagination {
    /// The input member that takes the token (a top-level member).
    pub input_token: String,
    /// The output member holding the next token.
    pub output_token: Vec<String>,
    /// The input member that sets the page size.
    pub page_size: Option<String>,
    /// The output member holding the page's items (named by the model, or the output's only
    /// list member).
    pub items: Option<Vec<String>>,
}

/// A modeled error of an operation.
#[derive(Debug, Clone)]
pub struct ErrorRef {
    pub shape: ShapeId,
    /// The variant of the operation's error enum.
    pub variant: String,
    /// The error enum's `is_<variant>()` method.
    pub predicate: String,
    pub path: TypePath,
}

/// A named Rust type generated for a shape.
#[derive(Debug, Clone)]
pub enum TypeDef {
    Structure(Structure),
    Enum(Enum),
    IntEnum(IntEnum),
    Union(Union),
}

impl TypeDef {
    /// The shape the type is generated for.
    pub fn shape(&self) -> &ShapeId {
        match self {
            TypeDef::Structure(s) => &s.shape,
            TypeDef::Enum(e) => &e.shape,
            TypeDef::IntEnum(e) => &e.shape,
            TypeDef::Union(u) => &u.shape,
        }
    }

    pub fn path(&self) -> &TypePath {
        match self {
            TypeDef::Structure(s) => &s.path,
            TypeDef::Enum(e) => &e.path,
            TypeDef::IntEnum(e) => &e.path,
            TypeDef::Union(u) => &u.path,
        }
    }
}

/// Where a generated type lives: `crate::<module...>::<name>`.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct TypePath {
    pub module: Vec<String>,
    pub name: String,
}

/// A structure (also used for operation inputs, outputs and error shapes).
#[derive(Debug, Clone)]
pub struct Structure {
    pub shape: ShapeId,
    pub path: TypePath,
    /// The file module that holds it (`_meeting`), for types in `crate::types`.
    pub file: String,
    pub docs: Option<String>,
    pub fields: Vec<Field>,
    /// The whole shape is `@sensitive`: `Debug` redacts every field.
    pub sensitive: bool,
    /// `Some` when the shape has `@error`.
    pub error: Option<ErrorInfo>,
    /// Where values of the structure travel (what the emitters must generate for it).
    pub usage: Usage,
    /// The restJson1 `smithy.test#httpResponseTests` cases of an error structure.
    pub protocol_tests: Vec<protocol_tests::ResponseCase>,
    /// An operation's output: it keeps the request id of the response it was read from.
    pub output: bool,
}

/// Where values of a named structure or union travel, over every operation of the service:
/// what decides which writers, readers and checks are generated for it.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Usage {
    /// Reachable from an operation input (it gets `validate()`).
    pub input: bool,
    /// Reachable from a request body or payload (a client writes it, a server reads it).
    pub request_body: bool,
    /// Reachable from a response or error body or payload (a client reads it, a server writes it).
    pub response_body: bool,
    /// A modeled error of some operation.
    pub error: bool,
}

impl Structure {
    /// Whether a field holds a stream (an event stream), so the structure is neither `Clone`
    /// nor `PartialEq`.
    pub fn holds_stream(&self) -> bool {
        self.fields.iter().any(|f| f.ty.is_stream())
    }

    /// Whether `build()` can fail (a non-optional field without a default).
    pub fn has_required_without_default(&self) -> bool {
        self.fields.iter().any(|f| !f.optional && f.default.is_none())
    }
}

/// The `@error` details of an error structure.
#[derive(Debug, Clone)]
pub struct ErrorInfo {
    /// `client` or `server`.
    pub fault: String,
    pub http_status: Option<u16>,
    /// The field holding the error message (a member named `message`, any case).
    pub message_field: Option<String>,
    /// The error code on the wire: the shape's name (not renamed).
    pub code: String,
    /// `@retryable`: `Some(throttling)`.
    pub retryable: Option<bool>,
}

/// A structure member.
#[derive(Debug, Clone)]
pub struct Field {
    /// The member name in the model (the key of the document form).
    pub member: String,
    /// The Rust field name (may be a raw identifier such as `r#type`).
    pub ident: String,
    /// The builder's fluent setter: the field name, unless that would collide with another
    /// builder method (`build`, or a `set_` method of another member).
    pub method: String,
    /// The `set_` builder method name.
    pub setter: String,
    /// The builder's `get_` method name (reads the value set so far).
    pub getter: String,
    /// The structure's accessor method (`meeting()` → `Option<&Meeting>`): the field name,
    /// unless another method of the structure takes it; `None` for an error's message member,
    /// which the error's `message()` reads.
    pub accessor: Option<String>,
    pub docs: Option<String>,
    pub ty: RustType,
    /// What the member targets, as the wire and the checks see it.
    pub value: Value,
    /// `Option<ty>` in the struct.
    pub optional: bool,
    /// `@required` (whatever the optionality: inputs are optional in Rust, yet a server checks
    /// the member is there).
    pub required: bool,
    /// The `@default` value, when the field is not optional and has one.
    pub default: Option<serde_json::Value>,
    /// The member's `@default` trait (not null), whatever the field's optionality: what a
    /// server fills in for an absent optional member.
    pub model_default: Option<serde_json::Value>,
    /// `Debug` prints `*** Sensitive Data Redacted ***` instead of the value.
    pub redact: bool,
    pub deprecated: bool,
    /// Where the member goes in an HTTP message.
    pub http: HttpBinding,
    /// The key of the member in a JSON body (`@jsonName`, else the member name).
    pub json_name: String,
    /// `@idempotencyToken`: filled with a fresh token when unset.
    pub idempotency_token: bool,
    /// `@hostLabel`: part of the endpoint's host (`@endpoint(hostPrefix)`).
    pub host_label: bool,
}

/// A value as the wire and the checks see it: the shape a member (or a list or map element)
/// targets, with what the member adds to it.
#[derive(Debug, Clone, PartialEq)]
pub struct Value {
    /// The targeted shape.
    pub shape: ShapeId,
    pub kind: ValueKind,
    /// `@timestampFormat` on the member or the target (the member's wins); `None`: the
    /// protocol's default for the location ([`Value::timestamp_format_in`]).
    pub timestamp_format: Option<TimestampFormat>,
    /// The constraint traits on the member and the target.
    pub constraints: Constraints,
}

impl Value {
    /// The `@mediaType` of a string or blob value.
    pub fn media_type(&self) -> Option<&str> {
        match &self.kind {
            ValueKind::String { media_type } | ValueKind::Blob { media_type, .. } => {
                media_type.as_deref()
            }
            _ => None,
        }
    }

    /// The timestamp format of this value at `location`: its own, else restJson1's default there.
    pub fn timestamp_format_in(&self, location: Location) -> TimestampFormat {
        self.timestamp_format.unwrap_or_else(|| location.default_timestamp_format())
    }
}

/// The kind of a [`Value`]: Smithy's shape types, with the target-level facts the wire needs.
#[derive(Debug, Clone, PartialEq)]
pub enum ValueKind {
    Boolean,
    Byte,
    Short,
    Integer,
    Long,
    Float,
    Double,
    BigInteger,
    BigDecimal,
    /// `media_type`: `@mediaType` of the string shape (such strings are base64 in headers).
    String {
        media_type: Option<String>,
    },
    /// `@streaming` blobs are read and written as streams; `@requiresLength` ones need a
    /// known length.
    Blob {
        media_type: Option<String>,
        streaming: bool,
        requires_length: bool,
    },
    Timestamp,
    Document,
    Enum(TypePath),
    IntEnum(TypePath),
    Structure(TypePath),
    /// A union; `streaming` for an event stream (`@streaming` union).
    Union {
        path: TypePath,
        streaming: bool,
    },
    /// A list (an IDL 1.0 `set` too); `sparse` keeps nulls.
    List {
        element: Box<Value>,
        sparse: bool,
    },
    /// A map; its key is a string or an enum.
    Map {
        key: Box<Value>,
        value: Box<Value>,
        sparse: bool,
    },
}

impl ValueKind {
    /// Smithy's name of the shape type (`string`, `intEnum`, `structure`...).
    pub fn type_name(&self) -> &'static str {
        match self {
            ValueKind::Boolean => "boolean",
            ValueKind::Byte => "byte",
            ValueKind::Short => "short",
            ValueKind::Integer => "integer",
            ValueKind::Long => "long",
            ValueKind::Float => "float",
            ValueKind::Double => "double",
            ValueKind::BigInteger => "bigInteger",
            ValueKind::BigDecimal => "bigDecimal",
            ValueKind::String { .. } => "string",
            ValueKind::Blob { .. } => "blob",
            ValueKind::Timestamp => "timestamp",
            ValueKind::Document => "document",
            ValueKind::Enum(_) => "enum",
            ValueKind::IntEnum(_) => "intEnum",
            ValueKind::Structure(_) => "structure",
            ValueKind::Union { .. } => "union",
            ValueKind::List { .. } => "list",
            ValueKind::Map { .. } => "map",
        }
    }

    /// The Rust path of a named type (enum, intEnum, structure, union).
    pub fn type_path(&self) -> Option<&TypePath> {
        match self {
            ValueKind::Enum(p) | ValueKind::IntEnum(p) | ValueKind::Structure(p) => Some(p),
            ValueKind::Union { path, .. } => Some(path),
            _ => None,
        }
    }
}

/// A string enum with its known values and a catch-all variant.
#[derive(Debug, Clone)]
pub struct Enum {
    pub shape: ShapeId,
    pub path: TypePath,
    pub file: String,
    pub docs: Option<String>,
    pub variants: Vec<EnumVariant>,
    /// `Unknown`, or `UnknownValue` when a modeled value already takes `Unknown`.
    pub unknown: String,
    pub sensitive: bool,
}

/// A value of an [`Enum`].
#[derive(Debug, Clone)]
pub struct EnumVariant {
    pub ident: String,
    pub value: String,
    pub docs: Option<String>,
    pub deprecated: bool,
    /// `@internal` (IDL 1.0: the `internal` tag): known, but not a value a client should send.
    pub internal: bool,
}

/// An integer enum.
#[derive(Debug, Clone)]
pub struct IntEnum {
    pub shape: ShapeId,
    pub path: TypePath,
    pub file: String,
    pub docs: Option<String>,
    pub variants: Vec<IntEnumVariant>,
    pub unknown: String,
    pub sensitive: bool,
}

/// A value of an [`IntEnum`].
#[derive(Debug, Clone)]
pub struct IntEnumVariant {
    pub ident: String,
    pub value: i32,
    pub docs: Option<String>,
    pub deprecated: bool,
    /// `@internal`: known, but not a value a client should send.
    pub internal: bool,
}

/// A tagged union.
#[derive(Debug, Clone)]
pub struct Union {
    pub shape: ShapeId,
    pub path: TypePath,
    pub file: String,
    pub docs: Option<String>,
    pub variants: Vec<UnionVariant>,
    pub unknown: String,
    pub sensitive: bool,
    /// `@streaming`: an event stream.
    pub streaming: bool,
    /// Where values of the union travel.
    pub usage: Usage,
}

/// A member of a [`Union`].
#[derive(Debug, Clone)]
pub struct UnionVariant {
    pub member: String,
    pub ident: String,
    /// `None` for a member targeting `smithy.api#Unit`.
    pub ty: Option<RustType>,
    /// What the member targets; `None` for `smithy.api#Unit`.
    pub value: Option<Value>,
    /// The key of the member in a JSON body (`@jsonName`, else the member name).
    pub json_name: String,
    pub docs: Option<String>,
    pub redact: bool,
    pub deprecated: bool,
}

/// The Rust type of a value.
#[derive(Debug, Clone, PartialEq)]
pub enum RustType {
    Bool,
    I8,
    I16,
    I32,
    I64,
    F32,
    F64,
    String,
    Blob,
    Timestamp,
    Document,
    BigInteger,
    BigDecimal,
    Named(TypePath),
    /// `Vec<T>`, or `Vec<Option<T>>` when `sparse`.
    List {
        element: Box<RustType>,
        sparse: bool,
    },
    /// `BTreeMap<K, V>`, or `BTreeMap<K, Option<V>>` when `sparse`.
    Map {
        key: Box<RustType>,
        value: Box<RustType>,
        sparse: bool,
    },
    /// `Box<T>`: breaks a recursive cycle.
    Boxed(Box<RustType>),
    /// `crate::event_stream::EventStream<T, E>`: the events of a `@streaming` union (`T`, the
    /// union) with its modeled exceptions (`E`, the stream's error enum), sent or received as
    /// they go. Not `Clone` nor `PartialEq`: a structure holding one derives neither.
    EventStream {
        events: TypePath,
        error: TypePath,
    },
    /// `crate::byte_stream::ByteStream`: a `@streaming` blob payload, sent or received as its
    /// bytes go. Not `Clone` nor `PartialEq` either.
    ByteStream,
}

impl RustType {
    /// Whether the type is a stream (read or written as it goes, not a value): an event stream
    /// or a byte stream.
    pub fn is_stream(&self) -> bool {
        matches!(self, RustType::EventStream { .. } | RustType::ByteStream)
    }

    /// Whether the type is an event stream.
    pub fn is_event_stream(&self) -> bool {
        matches!(self, RustType::EventStream { .. })
    }

    /// Whether the type is `Copy` (cheap numbers and booleans).
    pub fn is_copy(&self) -> bool {
        matches!(
            self,
            RustType::Bool
                | RustType::I8
                | RustType::I16
                | RustType::I32
                | RustType::I64
                | RustType::F32
                | RustType::F64
        )
    }
}
