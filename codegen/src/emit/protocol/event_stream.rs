//! Event streams in the generated crate, from the IR's [`EventStream`]s only: each stream's
//! error enum (`<Union>Error`, beside the union in `crate::types`), and
//! `src/protocol/event_stream.rs` with each stream's unmarshaller (a message → an event of the
//! union or a modeled exception, by `:event-type`/`:exception-type`, the event's
//! `@eventHeader` members from the headers and the rest from the payload in its form), which
//! the response reader of an operation with an output stream gives to the
//! `crate::event_stream::EventStream` it builds over the body.

use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use super::Protocol;
use crate::emit::tokens::{doc_attrs, ident, path};
use crate::ir::{
    EventHeader, EventPayload, EventStream, Field, HeaderType, PayloadKind, RustType, Service,
    TypePath,
};

/// The JSON reader of a named type in `crate::protocol::json` (its naming rule: `de_` and the
/// snake-cased Rust name).
fn json_reader(prefix: &str, name: &str) -> TokenStream {
    let f = format_ident!("{prefix}_{}", heck::ToSnakeCase::to_snake_case(name));
    quote! { crate::protocol::json::#f }
}

/// Reads a message's JSON payload with the reader of the named type: the client's pull reader
/// (`de_*`, over the bytes), or the server's strict reader (`sde_*`, over the document).
fn read_json_payload(prefix: &str, name: &str) -> TokenStream {
    let reader = json_reader(prefix, name);
    if prefix == "sde" {
        quote! { #reader(&crate::primitives::protocol::body_document(message.payload())?)? }
    } else {
        quote! { crate::primitives::protocol::read_body(message.payload(), #reader)? }
    }
}

/// The error enum of `stream`, emitted in the union's file.
pub fn error_enum(stream: &EventStream) -> TokenStream {
    let name = ident(&stream.error.name);
    let unhandled = ident(&stream.error_unhandled);
    let docs = doc_attrs(
        None,
        &format!("The modeled exceptions of the `{}` event stream.", stream.union.name),
    );
    let variants = stream.exceptions.iter().map(|e| {
        let variant = ident(&e.variant);
        let ty = path(&e.structure);
        let doc = format!(" The `{}` exception.", e.name);
        quote! { #[doc = #doc] #variant(#ty), }
    });
    let display_arms = stream.exceptions.iter().map(|e| {
        let variant = ident(&e.variant);
        quote! { #name::#variant(inner) => ::std::fmt::Display::fmt(inner, f), }
    });
    let source_arms = stream.exceptions.iter().map(|e| {
        let variant = ident(&e.variant);
        quote! { #name::#variant(inner) => Some(inner), }
    });
    let code_arms = stream.exceptions.iter().map(|e| {
        let variant = ident(&e.variant);
        let code = &e.name;
        quote! { #name::#variant(_) => Some(#code), }
    });
    quote! {
        #docs
        #[non_exhaustive]
        #[derive(Debug)]
        pub enum #name {
            #(#variants)*
            /// An exception the model does not describe (its `:exception-type` is the code).
            #unhandled(crate::error::Unhandled),
        }

        impl #name {
            /// The exception's `:exception-type`: the member name, or the type the service sent.
            pub fn code(&self) -> Option<&str> {
                match self {
                    #(#code_arms)*
                    #name::#unhandled(inner) => inner.code(),
                }
            }
        }

        impl ::std::fmt::Display for #name {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                match self {
                    #(#display_arms)*
                    #name::#unhandled(inner) => ::std::fmt::Display::fmt(inner, f),
                }
            }
        }

        impl ::std::error::Error for #name {
            fn source(&self) -> Option<&(dyn ::std::error::Error + 'static)> {
                match self {
                    #(#source_arms)*
                    #name::#unhandled(inner) => Some(inner),
                }
            }
        }
    }
}

/// The error enums to emit in the file of the union `union` (none unless it is an event stream).
pub fn union_items(service: &Service, union: &str) -> Option<(String, TokenStream)> {
    let stream = service.event_stream(union)?;
    Some((stream.error.name.clone(), error_enum(stream)))
}

/// The reader of an output stream payload (`body: &[u8]`, the whole body), if `field` is one.
pub fn de_payload(field: &Field) -> Option<TokenStream> {
    let RustType::EventStream { events, .. } = &field.ty else { return None };
    let f = format_ident!("de_{}", heck::ToSnakeCase::to_snake_case(events.name.as_str()));
    Some(quote! {
        Ok::<_, crate::error::DeserializeError>(Some(crate::event_stream::EventStream::from_message_bytes(
            body.to_vec(),
            crate::protocol::event_stream::#f,
        )))
    })
}

/// Whether the JSON reader of the named type `shape` would go unused because event streams
/// read it otherwise: the `@streaming` union itself, and events whose payload is not their
/// JSON form.
pub fn reader_unused(service: &Service, shape: &str) -> bool {
    service.event_streams.iter().any(|s| {
        s.shape == shape
            || s.events
                .iter()
                .any(|e| e.shape == shape && !matches!(e.payload, EventPayload::Implicit { .. }))
    })
}

/// Whether the JSON writer of the named type `shape` would go unused because event streams
/// write it otherwise: the `@streaming` union itself, and events whose payload is not their
/// whole JSON form (headers, or an explicit payload).
pub fn writer_unused(service: &Service, shape: &str) -> bool {
    service.event_streams.iter().any(|s| {
        s.shape == shape
            || s.events.iter().any(|e| {
                e.shape == shape
                    && !(matches!(e.payload, EventPayload::Implicit { .. }) && e.headers.is_empty())
            })
    })
}

/// The request body of an input stream payload, if `field` is one: none in the (sans-IO)
/// request, whose events the client sends as the body once the request is signed
/// (`EventStream::into_request_body`).
pub fn ser_payload(field: &Field) -> Option<TokenStream> {
    if !field.ty.is_event_stream() {
        return None;
    }
    let name = ident(&field.ident);
    Some(quote! {
        builder = crate::primitives::protocol::default_content_type(builder, #MEDIA_TYPE);
        // The events are the client's to send, as the body.
        let _ = &input.#name;
        let body: Vec<u8> = Vec::new();
    })
}

/// The server's reader of an input stream payload (`body: &[u8]`), if `field` is one: a
/// byte stream of the body (the server reads requests whole).
pub fn server_de_payload(field: &Field) -> Option<TokenStream> {
    if field.ty == RustType::ByteStream {
        return Some(quote! {
            Ok::<_, crate::error::DeserializeError>(Some(crate::byte_stream::ByteStream::new(body.to_vec())))
        });
    }
    let RustType::EventStream { events, .. } = &field.ty else { return None };
    let f = format_ident!("sde_{}", heck::ToSnakeCase::to_snake_case(events.name.as_str()));
    Some(quote! {
        Ok::<_, crate::error::DeserializeError>(Some(crate::event_stream::EventStream::from_message_bytes(
            body.to_vec(),
            crate::protocol::event_stream::#f,
        )))
    })
}

/// The server's response body of an output stream payload, if `field` is one: the events the
/// output holds in memory, as messages (the whole-body response writer cannot wait for events
/// that arrive later: such a stream is answered with an `error` message).
///
/// A byte stream is written from its bytes in memory; one read as it arrives cannot be
/// written by the whole-body response writer, which answers `500 InternalFailure` instead.
pub fn server_ser_payload(field: &Field, owner: &TokenStream) -> Option<TokenStream> {
    if field.ty == RustType::ByteStream {
        let name = ident(&field.ident);
        let access = if field.optional {
            quote! { #owner.#name.as_ref() }
        } else {
            quote! { Some(&#owner.#name) }
        };
        let content_type = field.value.media_type().unwrap_or("application/octet-stream");
        return Some(quote! {
            let body = match #access {
                Some(v) => match v.bytes() {
                    Some(bytes) => {
                        builder = crate::primitives::server::default_content_type(builder, #content_type);
                        bytes.to_vec()
                    }
                    None => return crate::primitives::server::internal_failure(),
                },
                None => Vec::new(),
            };
        });
    }
    let RustType::EventStream { events, .. } = &field.ty else { return None };
    let name = ident(&field.ident);
    let union = path(events);
    let write = quote! { stream.encode_in_memory(#union::marshal) };
    let body = if field.optional {
        quote! {
            match &#owner.#name {
                Some(stream) => #write,
                None => Vec::new(),
            }
        }
    } else {
        quote! { { let stream = &#owner.#name; #write } }
    };
    Some(quote! {
        builder = crate::primitives::server::default_content_type(builder, #MEDIA_TYPE);
        let body = #body;
    })
}

/// The streaming router's reader and writer of an operation with a member that streams (an
/// event stream or a streaming blob; in its protocol file, feature `server`), empty for the
/// others:
/// - `de_streaming_request`: with an input stream, the input as soon as the head is read, its
///   stream the body as it arrives (an event stream reading its messages, signed envelopes
///   opened and checked, `crate::event_stream::open_request_messages`; a blob the body itself);
///   else the body read whole, then the input;
/// - `ser_streaming_response`: with an output stream, the head, then the body as it goes (each
///   event written as the handler's stream yields it, `crate::event_stream::EventStreamBody`; a
///   blob's chunks, with `Content-Length` when its length is known); else the response written
///   whole.
pub fn server_streaming_items(op: &crate::ir::Operation) -> TokenStream {
    let input_field = op.input.fields.iter().find(|f| f.ty.is_stream());
    let output_field = op.output.fields.iter().find(|f| f.ty.is_stream());
    if input_field.is_none() && output_field.is_none() {
        return quote! {};
    }
    let input = path(&op.input.path);
    let output = path(&op.output.path);
    let server = quote! { crate::primitives::server };
    let byte_stream = quote! { crate::byte_stream::ByteStream };
    // A body that may be there, and is not read here, must be declared (`media`: its type).
    let declared = |media: &str| {
        quote! {
            if body.content_length() != Some(0) && !parts.headers.contains_key(http::header::CONTENT_TYPE) {
                return Err(#server::RequestRejection::unsupported_media_type(
                    format!("the body must be declared as `{}`", #media),
                ));
            }
        }
    };
    let read = match input_field {
        Some(field) => {
            let name = ident(&field.ident);
            let (check, open, stream) = match &field.ty {
                RustType::EventStream { events, .. } => {
                    let f = format_ident!(
                        "sde_{}",
                        heck::ToSnakeCase::to_snake_case(events.name.as_str())
                    );
                    (
                        declared(MEDIA_TYPE),
                        quote! { let body = crate::event_stream::open_request_messages(&mut parts, body); },
                        quote! { crate::event_stream::EventStream::from_body(body, crate::protocol::event_stream::#f) },
                    )
                }
                // A blob without `@mediaType` takes any body.
                _ => (
                    field.value.media_type().map(declared).unwrap_or_default(),
                    quote! {},
                    quote! { body },
                ),
            };
            let set = if field.optional {
                quote! { input.#name = Some(#stream); }
            } else {
                quote! { input.#name = #stream; }
            };
            quote! {
                #[allow(unused_mut)]
                let (mut parts, body) = request.into_parts();
                #check
                #open
                // The members bound to the head, read by the whole-request reader over an empty body.
                let mut input = de_request(&http::Request::from_parts(parts, Vec::<u8>::new()))?;
                #set
                Ok(input)
            }
        }
        None => quote! {
            let (parts, body) = request.into_parts();
            let body = body.collect().await.map_err(|e| {
                #server::RequestRejection::serialization(format!("cannot read the request body: {e}"))
            })?;
            de_request(&http::Request::from_parts(parts, body))
        },
    };
    let write = match output_field {
        Some(field) => {
            let name = ident(&field.ident);
            // The stream taken out; the head written with an empty stream in its place.
            let (take, empty) = match &field.ty {
                RustType::EventStream { .. } => (
                    quote! { ::std::mem::replace(&mut output.#name, crate::event_stream::EventStream::empty()) },
                    quote! { crate::event_stream::EventStream::empty() },
                ),
                _ => (
                    quote! { ::std::mem::take(&mut output.#name) },
                    quote! { #byte_stream::empty() },
                ),
            };
            let take = if field.optional {
                quote! {
                    let stream = output.#name.take();
                    if stream.is_some() {
                        output.#name = Some(#empty);
                    }
                }
            } else {
                quote! { let stream = Some(#take); }
            };
            let body = match &field.ty {
                RustType::EventStream { events, error } => {
                    let union = path(events);
                    let error = path(error);
                    quote! {
                        let body = crate::event_stream::EventStreamBody::new(stream, #union::marshal, #error::marshal);
                        http::Response::from_parts(parts, body.into_byte_stream())
                    }
                }
                _ => quote! {
                    if let Some(length) = stream.content_length() {
                        parts.headers.insert(http::header::CONTENT_LENGTH, http::HeaderValue::from(length));
                    }
                    http::Response::from_parts(parts, stream)
                },
            };
            quote! {
                #take
                let response = ser_response(&output);
                match stream {
                    // Not the 500 of a head HTTP cannot carry.
                    Some(stream) if !response.headers().contains_key("x-amzn-errortype") => {
                        let (mut parts, _) = response.into_parts();
                        parts.headers.remove(http::header::CONTENT_LENGTH);
                        #body
                    }
                    _ => response.map(#byte_stream::from),
                }
            }
        }
        None => quote! { ser_response(&output).map(#byte_stream::from) },
    };
    let output_binding = if output_field.is_some() {
        quote! { mut output }
    } else {
        quote! { output }
    };
    quote! {
        /// Reads the operation's input from a request whose body arrives as it is read (the
        /// streaming router).
        #[cfg(feature = "server")]
        pub(crate) async fn de_streaming_request(
            request: http::Request<#byte_stream>,
        ) -> Result<#input, #server::RequestRejection> {
            #read
        }

        /// Writes the operation's output as a response whose body is written as it goes (the
        /// streaming router).
        #[cfg(feature = "server")]
        pub(crate) fn ser_streaming_response(#output_binding: #output) -> http::Response<#byte_stream> {
            #write
        }
    }
}

/// `deserialize_streaming_response` on an operation with an output event stream (in the
/// operation's `impl`): the output as soon as the response head is in, its stream reading the
/// body as it arrives; empty unless `op` has one.
pub fn operation_items(op: &crate::ir::Operation) -> TokenStream {
    let Some(field) = op.output.fields.iter().find(|f| f.ty.is_stream()) else {
        return quote! {};
    };
    let Some(set) = attach_output_stream(op) else { return quote! {} };
    let output = path(&op.output.path);
    let error =
        path(&TypePath { module: op.output.path.module.clone(), name: op.error_name.clone() });
    let member = &field.member;
    let doc = if field.ty.is_event_stream() {
        format!(
            " Reads the HTTP response as it arrives: on a 2xx status, the output as soon as the \
             head is in, its `{member}` stream reading the body's messages as they arrive (one \
             chunk and one message held at a time); else the whole body, then the error."
        )
    } else {
        format!(
            " Reads the HTTP response as it arrives: on a 2xx status, the output as soon as the \
             head is in, its `{member}` the body itself, read as it arrives; else the whole \
             body, then the error."
        )
    };
    quote! {
        #[doc = #doc]
        #[cfg(any(feature = "client", feature = "server"))]
        #[allow(clippy::result_large_err)] // errors are returned by value, as they are modeled
        pub async fn deserialize_streaming_response(
            response: http::Response<crate::byte_stream::ByteStream>,
        ) -> Result<#output, crate::error::ResponseError<#error>> {
            let (parts, body) = response.into_parts();
            if !parts.status.is_success() {
                let body = body.collect().await.map_err(|e| {
                    crate::error::ResponseError::Deserialize(crate::error::DeserializeError::new(e.to_string()))
                })?;
                return Self::deserialize_response(&http::Response::from_parts(parts, body));
            }
            // The members bound to the head, read by the whole-response reader over an empty body.
            let mut output = Self::deserialize_response(&http::Response::from_parts(parts, Vec::<u8>::new()))?;
            #set
            Ok(output)
        }
    }
}

/// The statement giving the body of a 2xx response (`body`, a `ByteStream`) to the output's
/// member that streams (`output`, read from the response's head), if the output has one: the
/// client reads such a response at its head.
pub fn attach_output_stream(op: &crate::ir::Operation) -> Option<TokenStream> {
    let field = op.output.fields.iter().find(|f| f.ty.is_stream())?;
    let name = ident(&field.ident);
    let stream = match &field.ty {
        RustType::EventStream { events, .. } => {
            let f = format_ident!("de_{}", heck::ToSnakeCase::to_snake_case(events.name.as_str()));
            quote! {
                crate::event_stream::EventStream::from_body(body, crate::protocol::event_stream::#f)
            }
        }
        _ => quote! { body },
    };
    Some(if field.optional {
        quote! { output.#name = Some(#stream); }
    } else {
        quote! { output.#name = #stream; }
    })
}

/// The media type of an event-stream body.
pub const MEDIA_TYPE: &str = "application/vnd.amazon.eventstream";

/// The media type of the payload `field`, if it is an event stream.
pub fn media_type(field: &Field) -> Option<&'static str> {
    field.ty.is_event_stream().then_some(MEDIA_TYPE)
}

/// The constructor of an empty stream of `field`'s type, if it is a stream that is not an
/// `Option` (an absent stream is an empty one).
pub fn empty_stream(field: &Field) -> Option<TokenStream> {
    match &field.ty {
        _ if field.optional => None,
        RustType::EventStream { .. } => Some(quote! { crate::event_stream::EventStream::empty }),
        RustType::ByteStream => Some(quote! { crate::byte_stream::ByteStream::empty }),
        _ => None,
    }
}

/// `src/protocol/event_stream.rs`, when the service has event streams.
pub fn file(protocol: &Protocol<'_>) -> Option<TokenStream> {
    let service = protocol.service;
    if service.event_streams.is_empty() {
        return None;
    }
    let readers = service.event_streams.iter().filter(|s| s.output).map(|s| unmarshaller(s, false));
    // The server reads the input streams, with its strict readers.
    let server_readers = service.event_streams.iter().filter(|s| s.input).map(|s| {
        let reader = unmarshaller(s, true);
        quote! { #[cfg(feature = "server")] #reader }
    });
    // The client writes the input streams; the server the output streams.
    let writers = service.event_streams.iter().map(|s| {
        let writer = marshaller(protocol, s);
        if s.input {
            writer
        } else {
            quote! { #[cfg(feature = "server")] #writer }
        }
    });
    Some(quote! {
        //! Event streams: the unmarshallers of the streams operations return (each message to an
        //! event of the stream's union, or to one of its modeled exceptions), and the
        //! marshallers of the streams operations take (each event to its message).
        #(#readers)*
        #(#server_readers)*
        #(#writers)*
    })
}

/// `marshal()` on the union of an input stream: an event → its message.
fn marshaller(protocol: &Protocol<'_>, stream: &EventStream) -> TokenStream {
    let union = path(&stream.union);
    let unknown = ident(&stream.unknown);
    let arms = stream.events.iter().map(|e| {
        let variant = ident(&e.variant);
        let name = &e.name;
        let headers = e.headers.iter().map(write_header);
        let (content_type, payload) = write_payload(protocol, e);
        quote! {
            #union::#variant(event) => {
                #payload
                let message = crate::event_stream::Message::event(#name, #content_type, payload);
                #(#headers)*
                Ok(message)
            }
        }
    });
    let union_exception_arms = stream.exceptions.iter().map(|e| {
        let variant = ident(&e.variant);
        let name = &e.name;
        let writer = json_writer(&e.structure.name);
        quote! {
            #union::#variant(exception) => {
                let mut writer = crate::primitives::json::JsonWriter::new();
                #writer(&mut writer, exception);
                Ok(crate::event_stream::Message::exception(#name, "application/json", writer.finish().into_bytes()))
            }
        }
    });
    let unknown_error = format!(
        "the `{}` event stream cannot send a member unknown to this crate",
        stream.union.name
    );
    let error = path(&stream.error);
    let error_unhandled = ident(&stream.error_unhandled);
    let exception_arms = stream.exceptions.iter().map(|e| {
        let variant = ident(&e.variant);
        let name = &e.name;
        let writer = json_writer(&e.structure.name);
        quote! {
            #error::#variant(exception) => {
                let mut writer = crate::primitives::json::JsonWriter::new();
                #writer(&mut writer, exception);
                crate::event_stream::Message::exception(#name, "application/json", writer.finish().into_bytes())
            }
        }
    });
    // Only a server sends exceptions.
    let exceptions = if stream.output {
        quote! {
            #[cfg(feature = "server")]
            impl #error {
                /// The event-stream message of this exception: a modeled one as its member name
                /// (`:exception-type`) and JSON body, an unmodeled one as an `error` message.
                pub fn marshal(&self) -> crate::event_stream::Message {
                    match self {
                        #(#exception_arms)*
                        #error::#error_unhandled(inner) => crate::event_stream::Message::error(
                            inner.code().unwrap_or("InternalFailure"),
                            inner.message().unwrap_or_default(),
                        ),
                    }
                }
            }
        }
    } else {
        quote! {}
    };
    quote! {
        impl #union {
            /// The event-stream message of this event (unsigned): its member name as the
            /// `:event-type`, its `@eventHeader` members as headers and the rest as the payload
            /// (a member targeting an error structure: an `exception` message).
            ///
            /// Fails for the catch-all variant (a member this crate does not know).
            pub fn marshal(&self) -> Result<crate::event_stream::Message, crate::error::RequestError> {
                match self {
                    #(#arms)*
                    #(#union_exception_arms)*
                    #union::#unknown => Err(crate::error::RequestError::invalid_value(String::from(#unknown_error))),
                }
            }
        }

        #exceptions
    }
}

/// The statement adding the header `h` of `event` to `message` (`let message = ...`).
fn write_header(h: &EventHeader) -> TokenStream {
    let field = ident(&h.field);
    let name = &h.name;
    let value = match (h.header_type, &h.enum_type) {
        (HeaderType::Bytes, _) => quote! { v.as_ref().to_vec() },
        (HeaderType::String, Some(_)) => quote! { v.as_str() },
        (HeaderType::String, None) => quote! { v.as_str() },
        _ => quote! { *v },
    };
    if h.optional {
        quote! {
            let message = match &event.#field {
                Some(v) => message.with_header(#name, #value),
                None => message,
            };
        }
    } else {
        quote! {
            let message = {
                let v = &event.#field;
                message.with_header(#name, #value)
            };
        }
    }
}

/// The `:content-type` (an `Option<&str>`) and the statements making `payload` of `event`.
fn write_payload(protocol: &Protocol<'_>, e: &crate::ir::Event) -> (TokenStream, TokenStream) {
    let json = |write: TokenStream| {
        quote! {
            let mut writer = crate::primitives::json::JsonWriter::new();
            let w = &mut writer;
            #write
            let payload = writer.finish().into_bytes();
        }
    };
    match &e.payload {
        EventPayload::None => (quote! { None }, quote! { let payload = Vec::new(); }),
        EventPayload::Explicit { field, optional, kind } => {
            let name = ident(field);
            let (content_type, bytes, writer) = match kind {
                PayloadKind::Blob => {
                    ("application/octet-stream", quote! { v.as_ref().to_vec() }, None)
                }
                PayloadKind::String => ("text/plain", quote! { v.as_bytes().to_vec() }, None),
                PayloadKind::Structure(p) | PayloadKind::Union(p) => {
                    ("application/json", quote! {}, Some(json_writer(&p.name)))
                }
            };
            let payload = match writer {
                None if *optional => quote! {
                    let payload = match &event.#name { Some(v) => #bytes, None => Vec::new() };
                },
                None => quote! { let payload = { let v = &event.#name; #bytes }; },
                Some(writer) if *optional => json(quote! {
                    match &event.#name {
                        Some(v) => #writer(w, v),
                        None => { w.begin_object(); w.end_object(); }
                    }
                }),
                Some(writer) => json(quote! { #writer(w, &event.#name); }),
            };
            (quote! { Some(#content_type) }, payload)
        }
        EventPayload::Implicit { fields } => {
            let write = if e.headers.is_empty() {
                let writer = json_writer(&e.structure.name);
                quote! { #writer(w, event); }
            } else {
                // The structure's writer would write the headers too: only the other members.
                let members = protocol
                    .service
                    .structure(&e.shape)
                    .map(|s| {
                        s.fields
                            .iter()
                            .filter(|f| fields.contains(&f.ident))
                            .map(|f| protocol.ser_member(f, quote! { event }))
                            .collect::<Vec<_>>()
                    })
                    .unwrap_or_default();
                quote! { w.begin_object(); #(#members)* w.end_object(); }
            };
            (quote! { Some("application/json") }, json(write))
        }
    }
}

/// The JSON writer of a named type in `crate::protocol::json`.
fn json_writer(name: &str) -> TokenStream {
    let f = format_ident!("ser_{}", heck::ToSnakeCase::to_snake_case(name));
    quote! { crate::protocol::json::#f }
}

/// The unmarshaller of `stream` (`strict`: the server's, reading with its strict readers).
fn unmarshaller(stream: &EventStream, strict: bool) -> TokenStream {
    let prefix = if strict { "sde" } else { "de" };
    let f =
        format_ident!("{prefix}_{}", heck::ToSnakeCase::to_snake_case(stream.union.name.as_str()));
    let union = path(&stream.union);
    let error = path(&stream.error);
    let unknown = ident(&stream.unknown);
    let unhandled = ident(&stream.error_unhandled);
    let event_arms = stream.events.iter().map(|e| {
        let variant = ident(&e.variant);
        let name = &e.name;
        let read = read_event(prefix, &e.structure, &e.headers, &e.payload);
        quote! { #name => #union::#variant({ #read }), }
    });
    let exception_arms = stream.exceptions.iter().map(|e| {
        let variant = ident(&e.variant);
        let name = &e.name;
        let read = read_json_payload(prefix, &e.structure.name);
        quote! {
            #name => #error::#variant(#read),
        }
    });
    let unhandled_exception = quote! {
        #error::#unhandled(crate::error::Unhandled::new(Some(exception_type.to_owned()), None))
    };
    let read_exception = if stream.exceptions.is_empty() {
        unhandled_exception
    } else {
        quote! {
            match exception_type {
                #(#exception_arms)*
                _ => #unhandled_exception,
            }
        }
    };
    let doc = format!(
        " Reads a message of the `{}` event stream: an event, or a modeled exception.",
        stream.union.name
    );
    quote! {
        #[doc = #doc]
        pub(crate) fn #f(
            message: &crate::event_stream::Message,
            kind: crate::event_stream::Kind<'_>,
        ) -> Result<crate::event_stream::Unmarshalled<#union, #error>, crate::error::DeserializeError> {
            use crate::event_stream::{Kind, Unmarshalled};
            Ok(match kind {
                Kind::Event { event_type } => Unmarshalled::Event(match event_type {
                    #(#event_arms)*
                    _ => #union::#unknown,
                }),
                Kind::Exception { exception_type } => Unmarshalled::Exception(#read_exception),
                Kind::Error { .. } => Unmarshalled::Skip,
            })
        }
    }
}

/// The expression reading the event structure `structure` from `message`.
fn read_event(
    prefix: &str,
    structure: &TypePath,
    headers: &[EventHeader],
    payload: &EventPayload,
) -> TokenStream {
    let ty = path(structure);
    let header_inits = headers.iter().map(|h| {
        let field = ident(&h.field);
        let read = read_header(h);
        quote! { #field: #read, }
    });
    match payload {
        EventPayload::None => quote! { #ty { #(#header_inits)* } },
        EventPayload::Explicit { field, optional, kind } => {
            let name = ident(field);
            let read = match kind {
                PayloadKind::Blob => {
                    quote! { crate::primitives::Blob::new(message.payload().to_vec()) }
                }
                PayloadKind::String => quote! {
                    String::from_utf8(message.payload().to_vec()).map_err(|_| crate::error::DeserializeError::new("the event payload is not UTF-8"))?
                },
                PayloadKind::Structure(p) | PayloadKind::Union(p) => {
                    read_json_payload(prefix, &p.name)
                }
            };
            let read = if *optional {
                quote! { Some(#read) }
            } else {
                read
            };
            quote! { #ty { #(#header_inits)* #name: #read, } }
        }
        EventPayload::Implicit { .. } => {
            let read = read_json_payload(prefix, &structure.name);
            let sets = headers.iter().map(|h| {
                let field = ident(&h.field);
                let read = read_header(h);
                quote! { event.#field = #read; }
            });
            if headers.is_empty() {
                read
            } else {
                quote! {
                    let mut event = #read;
                    #(#sets)*
                    event
                }
            }
        }
    }
}

/// The expression reading the header `h` (an `Option` if the field is one).
fn read_header(h: &EventHeader) -> TokenStream {
    let name = &h.name;
    let (pattern, value) = match h.header_type {
        HeaderType::Bool => (quote! { Bool(v) }, quote! { *v }),
        HeaderType::Byte => (quote! { Byte(v) }, quote! { *v }),
        HeaderType::Short => (quote! { Short(v) }, quote! { *v }),
        HeaderType::Int => (quote! { Int(v) }, quote! { *v }),
        HeaderType::Long => (quote! { Long(v) }, quote! { *v }),
        HeaderType::Bytes => {
            (quote! { Bytes(v) }, quote! { crate::primitives::Blob::new(v.clone()) })
        }
        HeaderType::String => match &h.enum_type {
            Some(e) => {
                let e = path(e);
                (quote! { String(v) }, quote! { #e::from(v.as_str()) })
            }
            None => (quote! { String(v) }, quote! { v.clone() }),
        },
        HeaderType::Timestamp => (quote! { Timestamp(v) }, quote! { *v }),
    };
    let wrong = format!("the event header `{name}` has the wrong type");
    let missing = format!("the event header `{name}` is missing");
    let absent = if h.optional {
        quote! { None }
    } else {
        quote! { return Err(crate::error::DeserializeError::new(#missing)) }
    };
    let present = if h.optional {
        quote! { Some(#value) }
    } else {
        value
    };
    quote! {
        match message.header(#name) {
            Some(crate::event_stream::HeaderValue::#pattern) => #present,
            Some(_) => return Err(crate::error::DeserializeError::new(#wrong)),
            None => #absent,
        }
    }
}
