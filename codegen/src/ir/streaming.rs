//! The streaming side of the IR: which member of an operation's input or output streams
//! ([`StreamMember`]: a `@streaming` blob or an event stream), and, for each `@streaming` union,
//! how its members travel as event-stream messages ([`EventStream`]: events with their headers
//! and payload form, modeled exceptions). Built by [`crate::resolve::streaming`].

use super::TypePath;
use crate::load::ShapeId;

/// The member of an operation's input or output that streams: the `@httpPayload` member.
#[derive(Debug, Clone, PartialEq)]
pub struct StreamMember {
    /// The member name in the model.
    pub member: String,
    /// The Rust field name.
    pub ident: String,
    /// What it is.
    pub binding: StreamBinding,
}

/// What a streaming member carries.
#[derive(Debug, Clone, PartialEq)]
pub enum StreamBinding {
    /// A `@streaming` blob: the body, read or written as it goes.
    Blob {
        /// `@requiresLength`: the length must be known before sending.
        requires_length: bool,
        /// `@mediaType` of the blob, if any (the default `Content-Type`).
        media_type: Option<String>,
    },
    /// An event stream: the shape id of a `@streaming` union, a key of
    /// [`Service::event_streams`](super::Service::event_streams).
    Events(ShapeId),
}

/// A `@streaming` union: how its members are written and read as messages.
#[derive(Debug, Clone, PartialEq)]
pub struct EventStream {
    /// The union shape.
    pub shape: ShapeId,
    /// The union's Rust type: the events (its catch-all variant stands for an unknown
    /// `:event-type`).
    pub union: TypePath,
    /// The union's catch-all variant.
    pub unknown: String,
    /// The enum of the stream's modeled exceptions (`<Union>Error`, in the union's module),
    /// with its catch-all variant.
    pub error: TypePath,
    /// The catch-all variant of [`EventStream::error`] (`Unhandled`, unless taken).
    pub error_unhandled: String,
    /// The members that are events (they do not target `@error` structures).
    pub events: Vec<Event>,
    /// The members that target `@error` structures.
    pub exceptions: Vec<EventError>,
    /// Whether a client writes it (an operation input streams it).
    pub input: bool,
    /// Whether a client reads it (an operation output streams it).
    pub output: bool,
}

/// An event: a member of the union targeting a structure.
#[derive(Debug, Clone, PartialEq)]
pub struct Event {
    /// The member name: the `:event-type`.
    pub name: String,
    /// The union's variant.
    pub variant: String,
    /// The targeted structure (its Rust type).
    pub structure: TypePath,
    /// Its shape id.
    pub shape: ShapeId,
    /// The `@eventHeader` members.
    pub headers: Vec<EventHeader>,
    /// Where the rest of the members go.
    pub payload: EventPayload,
}

/// An `@eventHeader` member of an event structure.
#[derive(Debug, Clone, PartialEq)]
pub struct EventHeader {
    /// The member name: the header's name.
    pub name: String,
    /// The Rust field.
    pub field: String,
    /// Whether the field is an `Option`.
    pub optional: bool,
    /// The header value's type.
    pub header_type: HeaderType,
    /// For a string enum, its Rust type (the header holds its value).
    pub enum_type: Option<TypePath>,
}

/// The type of an event header's value, from the member's shape type.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum HeaderType {
    Bool,
    Byte,
    Short,
    Int,
    Long,
    Bytes,
    String,
    Timestamp,
}

/// How an event's payload is formed.
#[derive(Debug, Clone, PartialEq)]
pub enum EventPayload {
    /// The `@eventPayload` member.
    Explicit {
        /// The Rust field.
        field: String,
        /// Whether the field is an `Option`.
        optional: bool,
        /// What it is.
        kind: PayloadKind,
    },
    /// The members that are not headers, as a JSON object (`application/json`).
    Implicit {
        /// Their Rust fields.
        fields: Vec<String>,
    },
    /// Headers only: no `:content-type`, an empty payload.
    None,
}

/// What an explicit event payload is.
#[derive(Debug, Clone, PartialEq)]
pub enum PayloadKind {
    /// Raw bytes (`application/octet-stream`).
    Blob,
    /// UTF-8 text (`text/plain`).
    String,
    /// A structure's JSON body (`application/json`): its Rust type.
    Structure(TypePath),
    /// A union's JSON body (`application/json`): its Rust type.
    Union(TypePath),
}

/// A modeled exception of an event stream: a member targeting an `@error` structure.
#[derive(Debug, Clone, PartialEq)]
pub struct EventError {
    /// The member name: the `:exception-type`.
    pub name: String,
    /// The variant of the stream's error enum.
    pub variant: String,
    /// The error structure's Rust type.
    pub structure: TypePath,
    /// Its shape id.
    pub shape: ShapeId,
}
