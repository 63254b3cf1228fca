//! The restJson1 protocol layer, kept apart from type emission: `src/protocol/` of the
//! generated crate. [`json`] writes and reads JSON bodies; [`http`] binds members to the URI,
//! query string, headers, status code and payload of each operation.

pub mod event_stream;
pub mod http;
pub mod json;
pub mod server_http;

use std::collections::{BTreeMap, BTreeSet};

use proc_macro2::TokenStream;
use quote::quote;

use crate::emit::tokens::ident;
use crate::error::Result;
use crate::ir::{Enum, Operation, Service, ShapeId, Structure, TypeDef, TypePath, Union};

/// What the protocol emitters need: the service's IR, with its named types found by shape id.
#[derive(Clone)]
pub struct Protocol<'a> {
    pub service: &'a Service,
    /// Rust path of every named type.
    pub paths: BTreeMap<ShapeId, TypePath>,
    structures: BTreeMap<ShapeId, &'a Structure>,
    unions: BTreeMap<ShapeId, &'a Union>,
    enums: BTreeMap<ShapeId, &'a Enum>,
    /// Readers for the server side: strict (`sde_*` functions, see `server_http`).
    pub strict: bool,
}

impl<'a> Protocol<'a> {
    pub fn new(service: &'a Service) -> Self {
        let mut structures = BTreeMap::new();
        let mut unions = BTreeMap::new();
        let mut enums = BTreeMap::new();
        for def in &service.types {
            match def {
                TypeDef::Structure(s) => {
                    structures.insert(s.shape.clone(), s);
                }
                TypeDef::Union(u) => {
                    unions.insert(u.shape.clone(), u);
                }
                TypeDef::Enum(e) => {
                    enums.insert(e.shape.clone(), e);
                }
                TypeDef::IntEnum(_) => {}
            }
        }
        for s in &service.errors {
            structures.insert(s.shape.clone(), s);
        }
        let paths = service.type_paths();
        Protocol { service, paths, structures, unions, enums, strict: false }
    }

    /// A copy of this one emitting the server's strict readers (built once per crate: its
    /// tables cover every type, so building one per operation would cost operations × types).
    pub fn to_strict(&self) -> Self {
        Protocol { strict: true, ..self.clone() }
    }

    /// The string enum `id`.
    pub fn enum_of(&self, id: &str) -> Option<&Enum> {
        self.enums.get(id).copied()
    }

    pub fn union_of(&self, id: &str) -> Option<&Union> {
        self.unions.get(id).copied()
    }

    /// The aggregates the bodies carry (from each one's [`crate::ir::Usage`]): those reached
    /// from request bodies and payloads, those reached from response and error bodies and
    /// payloads, and the error structures. A client writes the first and reads the second; a
    /// server (feature `server`) the other way round.
    fn usage(&self) -> (BTreeSet<ShapeId>, BTreeSet<ShapeId>, BTreeSet<ShapeId>) {
        let mut requests = BTreeSet::new();
        let mut responses = BTreeSet::new();
        let mut errors = BTreeSet::new();
        let usages = self
            .structures
            .iter()
            .map(|(id, s)| (id, s.usage))
            .chain(self.unions.iter().map(|(id, u)| (id, u.usage)));
        for (id, usage) in usages {
            if usage.request_body {
                requests.insert(id.clone());
            }
            if usage.response_body {
                responses.insert(id.clone());
            }
            if usage.error {
                errors.insert(id.clone());
            }
        }
        (requests, responses, errors)
    }

    /// `src/protocol/server.rs`: the response writer of every error structure (feature `server`).
    fn server_file(&self) -> Result<TokenStream> {
        let (_, _, errors) = self.usage();
        let mut ordered: Vec<&ShapeId> = errors.iter().collect();
        ordered.sort_by(|a, b| self.paths[*a].name.cmp(&self.paths[*b].name));
        let mut items = Vec::new();
        for id in ordered {
            if let Some(s) = self.structures.get(id) {
                items.push(self.ser_error_structure(s)?);
            }
        }
        Ok(quote! {
            //! The server side's error responses: a writer for each error structure.
            #(#items)*
        })
    }

    /// `src/protocol/json.rs`: the body writers and readers of named shapes (`strict`: the
    /// server's twin of `self`).
    fn json_file(&self, strict: &Protocol<'_>) -> Result<TokenStream> {
        // The client writes requests and reads responses; the server the other way round.
        let (ser, de, errors) = self.usage();
        let (server_de, server_ser) = (&ser, &de);
        let mut items = Vec::new();
        let all: BTreeSet<&ShapeId> = ser.iter().chain(&de).chain(&errors).collect();
        // A function only the server side uses is compiled with the `server` feature only.
        let gate = |client: bool, item: TokenStream| {
            if client {
                item
            } else {
                quote! { #[cfg(feature = "server")] #item }
            }
        };
        // In the order of the Rust names, so the file reads like the types module.
        let mut ordered: Vec<&ShapeId> = all.into_iter().collect();
        ordered.sort_by(|a, b| self.paths[*a].name.cmp(&self.paths[*b].name));
        for id in ordered {
            if let Some(s) = self.structures.get(id) {
                if (ser.contains(id) || server_ser.contains(id))
                    && !event_stream::writer_unused(self.service, id)
                {
                    items.push(gate(ser.contains(id), self.ser_structure(s)));
                }
                if de.contains(id) && !event_stream::reader_unused(self.service, id) {
                    items.push(self.de_structure(s)?);
                }
                if errors.contains(id) {
                    items.push(self.de_error_structure(s)?);
                }
            } else if let Some(u) = self.unions.get(id) {
                if (ser.contains(id) || server_ser.contains(id))
                    && !event_stream::writer_unused(self.service, id)
                {
                    items.push(gate(ser.contains(id), self.ser_union(u)));
                }
                if de.contains(id) && !event_stream::reader_unused(self.service, id) {
                    items.push(self.de_union(u));
                }
            }
        }
        // The server's strict readers of what requests carry.
        let mut server_ordered: Vec<&ShapeId> = server_de.iter().collect();
        server_ordered.sort_by(|a, b| self.paths[*a].name.cmp(&self.paths[*b].name));
        for id in server_ordered {
            if event_stream::reader_unused(self.service, id) {
                continue;
            }
            if let Some(s) = self.structures.get(id) {
                items.push(gate(false, strict.de_structure(s)?));
            } else if let Some(u) = self.unions.get(id) {
                items.push(gate(false, strict.de_union(u)));
            }
        }
        Ok(quote! {
            //! JSON bodies: a writer and a reader for each structure and union that needs one
            //! (and, with the `server` feature, the server's strict readers, `sde_*`).
            #(#items)*
        })
    }

    /// `src/protocol/<op>.rs` (`strict`: the server's twin of `self`).
    fn operation_file(&self, op: &Operation, strict: &Protocol<'_>) -> Result<TokenStream> {
        let doc = format!(" The restJson1 request and response of `{}`.", op.name);
        let request = self.ser_request(op)?;
        let response = self.de_response(op)?;
        let error = self.de_error(op);
        let server = strict.server_items(op)?;
        Ok(quote! {
            #![doc = #doc]
            #request
            #response
            #error
            #server
        })
    }
}

/// The item `const NAME: http::HeaderName` for a bound header, which generated code sets by
/// that name: the compiler builds it, where a name given as text would be parsed, and copied
/// into an allocation when it is not one of `http`'s standard names, at every insert. Resolve
/// checked that `name` is a header name (a token); `HeaderName` keeps names in lowercase.
fn header_name_const(name: &str) -> TokenStream {
    let lower = name.to_ascii_lowercase();
    quote! { const NAME: http::HeaderName = http::HeaderName::from_static(#lower); }
}

/// The files of `src/protocol/` (path, tokens), one at a time into `sink`.
pub fn files(
    service: &Service,
    sink: &mut dyn FnMut(String, TokenStream) -> Result<()>,
) -> Result<()> {
    let protocol = Protocol::new(service);
    let strict = protocol.to_strict();
    sink("src/protocol/json.rs".to_string(), protocol.json_file(&strict)?)?;
    let mut modules = Vec::new();
    for op in &service.operations {
        let module = ident(&op.module);
        modules.push(quote! { pub(crate) mod #module; });
        sink(
            format!("src/protocol/{}.rs", op.module.trim_start_matches("r#")),
            protocol.operation_file(op, &strict)?,
        )?;
    }
    let checksum = if service.operations.iter().any(|op| op.checksum_required) {
        quote! {
            pub(crate) mod md5;

            /// Sets `Content-MD5` (base64 of the body's MD5 digest) for `@httpChecksumRequired`,
            /// unless the request already has one.
            pub(crate) fn content_md5(mut builder: http::request::Builder, body: &[u8]) -> http::request::Builder {
                if let Some(headers) = builder.headers_mut() {
                    if !headers.contains_key("content-md5") {
                        let value = crate::primitives::protocol::base64_encode(&md5::digest(body));
                        if let Ok(value) = http::HeaderValue::from_str(&value) {
                            const CONTENT_MD5: http::HeaderName = http::HeaderName::from_static("content-md5");
                            headers.insert(CONTENT_MD5, value);
                        }
                    }
                }
                builder
            }
        }
    } else {
        quote! {}
    };
    let compression = if http::uses_gzip(service) {
        quote! {
            /// Bodies smaller than this are not compressed (Smithy's default
            /// `minCompressionSizeBytes`): compressing them costs more than it saves.
            #[cfg(feature = "request-compression")]
            pub(crate) const MIN_COMPRESSION_SIZE: usize = 10_240;

            /// `@requestCompression`: gzips a body of at least [`MIN_COMPRESSION_SIZE`] bytes
            /// and appends `gzip` to `Content-Encoding` (after any encoding already set).
            #[cfg(feature = "request-compression")]
            pub(crate) fn gzip(mut builder: http::request::Builder, body: Vec<u8>) -> (http::request::Builder, Vec<u8>) {
                use std::io::Write as _;
                if body.len() < MIN_COMPRESSION_SIZE {
                    return (builder, body);
                }
                let mut encoder = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
                let compressed = match encoder.write_all(&body).and_then(|()| encoder.finish()) {
                    Ok(compressed) => compressed,
                    Err(_) => return (builder, body),
                };
                let Some(headers) = builder.headers_mut() else { return (builder, body) };
                let value = match headers.get(http::header::CONTENT_ENCODING).and_then(|v| v.to_str().ok()) {
                    Some(existing) if !existing.trim().is_empty() => format!("{existing}, gzip"),
                    _ => String::from("gzip"),
                };
                match http::HeaderValue::from_str(&value) {
                    Ok(value) => {
                        headers.insert(http::header::CONTENT_ENCODING, value);
                        (builder, compressed)
                    }
                    Err(_) => (builder, body),
                }
            }
        }
    } else {
        quote! {}
    };
    let event_streams = match event_stream::file(&protocol) {
        Some(tokens) => {
            sink("src/protocol/event_stream.rs".to_string(), tokens)?;
            quote! { pub(crate) mod event_stream; }
        }
        None => quote! {},
    };
    sink("src/protocol/server.rs".to_string(), protocol.server_file()?)?;
    sink(
        "src/protocol/mod.rs".to_string(),
        quote! {
            //! The restJson1 protocol: request writers and response readers, generated from the
            //! model's HTTP binding traits. Use it through the operation types in
            //! [`crate::operation`]. With the `server` feature, also the server side: request
            //! readers and response writers, used through [`crate::server`].
            pub(crate) mod json;
            #[cfg(feature = "server")]
            pub(crate) mod server;
            #(#modules)*
            #event_streams
            #checksum
            #compression
        },
    )
}
