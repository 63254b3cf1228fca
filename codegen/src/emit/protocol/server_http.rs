//! The server side of the restJson1 HTTP bindings (feature `server` of the generated crate):
//! per operation, its route, the request reader (the inverse of the client's request writer),
//! the response writer and the error writer; per error structure, its response writer.

use proc_macro2::TokenStream;
use quote::quote;

use super::json::format_tokens;
use super::Protocol;
use crate::emit::tokens::{ident, path};
use crate::error::{Error, Result};
use crate::ir::{
    shape_name, Field, HttpBinding, Location, Operation, PathSegment, Structure, TypePath,
    UriTemplate, Value, ValueKind,
};

/// The `@http` trait's method, path segments and literal query parameters, as the server
/// matches them: the operation's [`UriTemplate`] without its empty path segments.
pub struct Route<'a> {
    pub method: &'a str,
    segments: Vec<&'a PathSegment>,
    query: &'a [(String, Option<String>)],
}

impl<'a> Route<'a> {
    pub fn of(op: &'a Operation) -> Route<'a> {
        let uri: &UriTemplate = &op.http.uri;
        let segments = uri
            .segments
            .iter()
            .filter(|s| !matches!(s, PathSegment::Literal(text) if text.is_empty()))
            .collect();
        Route { method: &op.http.method, segments, query: &uri.query }
    }

    /// The order routes are tried in: more literal segments first, then more segments, then
    /// no greedy label, then more literal query parameters (the most specific route wins).
    pub fn specificity(&self) -> (usize, usize, bool, usize) {
        let literals =
            self.segments.iter().filter(|s| matches!(s, PathSegment::Literal(_))).count();
        let greedy =
            self.segments.iter().any(|s| matches!(s, PathSegment::Label { greedy: true, .. }));
        (literals, self.segments.len(), !greedy, self.query.len())
    }

    /// The `crate::primitives::server::Route` constant.
    fn tokens(&self) -> TokenStream {
        let method = &self.method;
        let segments = self.segments.iter().map(|s| match s {
            PathSegment::Literal(text) => {
                quote! { crate::primitives::server::Segment::Literal(#text) }
            }
            PathSegment::Label { greedy: false, .. } => {
                quote! { crate::primitives::server::Segment::Label }
            }
            PathSegment::Label { greedy: true, .. } => {
                quote! { crate::primitives::server::Segment::Greedy }
            }
        });
        let query = self.query.iter().map(|(k, v)| match v {
            Some(v) => quote! { (#k, Some(#v)) },
            None => quote! { (#k, None) },
        });
        quote! {
            crate::primitives::server::Route {
                method: #method,
                segments: &[#(#segments),*],
                query: &[#(#query),*],
            }
        }
    }

    /// Position of each label member in the matched labels.
    fn label_index(&self, member: &str) -> Option<usize> {
        self.segments
            .iter()
            .filter_map(|s| match s {
                PathSegment::Label { member, .. } => Some(member.as_str()),
                PathSegment::Literal(_) => None,
            })
            .position(|m| m == member)
    }
}

impl Protocol<'_> {
    /// A callable parsing a `&str` (label, query value, header) into `Result<T, DeserializeError>`.
    /// `default_ts` is the timestamp format when none is given; `header` decodes `@mediaType`
    /// strings from base64, as headers carry them.
    fn server_parse_fn(&self, v: &Value, location: Location) -> TokenStream {
        let protocol = quote! { crate::primitives::protocol };
        match &v.kind {
            ValueKind::String { media_type: Some(_) } if location == Location::Header => {
                quote! { #protocol::parse_media_type_string }
            }
            ValueKind::String { .. } => {
                quote! { |s: &str| Ok::<_, crate::error::DeserializeError>(s.to_string()) }
            }
            ValueKind::Enum(p) => {
                let p = path(p);
                quote! { |s: &str| Ok::<_, crate::error::DeserializeError>(#p::from(s.trim())) }
            }
            ValueKind::IntEnum(p) => {
                let p = path(p);
                quote! { |s: &str| #protocol::parse_int::<i32>(s).map(#p::from) }
            }
            ValueKind::Boolean => quote! { #protocol::parse_bool },
            ValueKind::Byte => quote! { #protocol::parse_int::<i8> },
            ValueKind::Short => quote! { #protocol::parse_int::<i16> },
            ValueKind::Integer => quote! { #protocol::parse_int::<i32> },
            ValueKind::Long => quote! { #protocol::parse_int::<i64> },
            ValueKind::Float => quote! { #protocol::parse_f32 },
            ValueKind::Double => quote! { #protocol::parse_f64 },
            ValueKind::BigInteger => quote! {
                |s: &str| crate::primitives::BigInteger::new(s.trim()).map_err(|e| crate::error::DeserializeError::new(e.to_string()))
            },
            ValueKind::BigDecimal => quote! {
                |s: &str| crate::primitives::BigDecimal::new(s.trim()).map_err(|e| crate::error::DeserializeError::new(e.to_string()))
            },
            ValueKind::Blob { .. } => quote! { #protocol::parse_blob },
            ValueKind::Timestamp => {
                let format = format_tokens(v.timestamp_format_in(location));
                quote! { |s: &str| crate::primitives::server::strict_parse_timestamp(s, #format) }
            }
            _ => {
                quote! { |_: &str| Err::<(), _>(crate::error::DeserializeError::new("unsupported binding")) }
            }
        }
    }

    /// The text of a scalar `value` (a `&T` expression) for a header: a `String` expression.
    fn server_text(&self, v: &Value, value: TokenStream) -> TokenStream {
        let protocol = quote! { crate::primitives::protocol };
        match &v.kind {
            ValueKind::String { media_type: Some(_) } => {
                quote! { #protocol::base64_encode(#value.as_bytes()) }
            }
            ValueKind::String { .. } => quote! { #value.to_string() },
            ValueKind::Enum(_) => quote! { #value.as_str().to_string() },
            ValueKind::IntEnum(_) => quote! { #value.as_i32().to_string() },
            ValueKind::Float => quote! { #protocol::f32_text(*#value) },
            ValueKind::Double => quote! { #protocol::f64_text(*#value) },
            ValueKind::BigInteger | ValueKind::BigDecimal => {
                quote! { #value.as_str().to_string() }
            }
            ValueKind::Blob { .. } => quote! { #protocol::base64_encode(#value.as_ref()) },
            ValueKind::Timestamp => {
                let format = format_tokens(v.timestamp_format_in(Location::Header));
                quote! { crate::primitives::server::timestamp_text(#value, #format) }
            }
            _ => quote! { #value.to_string() },
        }
    }

    /// What a message of `s` carries as its body: `(media type, any media type accepted)`;
    /// `None` when it has no body. A structure without members is an empty JSON body.
    fn body_media_type(&self, s: &Structure) -> Option<(String, bool)> {
        let mut body = false;
        for f in &s.fields {
            match &f.http {
                HttpBinding::Payload => {
                    if let Some(media) = super::event_stream::media_type(f) {
                        return Some((media.into(), false));
                    }
                    let media = f.value.media_type().map(str::to_string);
                    return Some(match &f.value.kind {
                        ValueKind::Blob { .. } => match media {
                            Some(m) => (m, false),
                            None => ("application/octet-stream".into(), true),
                        },
                        ValueKind::String { .. } | ValueKind::Enum(_) => {
                            (media.unwrap_or_else(|| "text/plain".into()), false)
                        }
                        _ => ("application/json".into(), false),
                    });
                }
                HttpBinding::Body => body = true,
                _ => {}
            }
        }
        (body || (s.fields.is_empty() && s.shape != "smithy.api#Unit"))
            .then(|| ("application/json".to_string(), false))
    }

    /// The server items of an operation's protocol file: `ROUTE`, `de_request`, `ser_response`
    /// and `ser_error`, all behind the `server` feature.
    pub fn server_items(&self, op: &Operation) -> Result<TokenStream> {
        let route = Route::of(op);
        let route_tokens = route.tokens();
        let de_request = self.de_request(op, &route)?;
        let ser_response = self.ser_response(op)?;
        let ser_error = self.ser_error(op);
        let streaming = super::event_stream::server_streaming_items(op);
        Ok(quote! {
            /// The operation's route: method, path pattern, literal query parameters.
            #[cfg(feature = "server")]
            pub(crate) const ROUTE: crate::primitives::server::Route = #route_tokens;
            #de_request
            #ser_response
            #ser_error
            #streaming
        })
    }

    fn de_request(&self, op: &Operation, route: &Route) -> Result<TokenStream> {
        let input = &op.input;
        let ty = path(&input.path);
        let server = quote! { crate::primitives::server };
        let protocol = quote! { crate::primitives::protocol };
        let (media_type, any_media_type) = match self.body_media_type(input) {
            Some((m, any)) => (quote! { Some(#m) }, any),
            None => (quote! { None }, false),
        };
        let mut uses_labels = false;
        let mut uses_query = false;
        let mut uses_object = false;
        let mut inits = Vec::new();
        for field in &input.fields {
            let name = ident(&field.ident);
            let read = match &field.http {
                HttpBinding::Label { .. } => {
                    uses_labels = true;
                    let index = route.label_index(&field.member).ok_or_else(|| {
                        Error::model(
                            format!("{}${}", input.shape, field.member),
                            "@httpLabel member without a label in the URI",
                        )
                    })?;
                    let parse = self.server_parse_fn(&field.value, Location::Uri);
                    let member = &field.member;
                    quote! { #server::label_member(&labels, #index, #member, #parse) }
                }
                HttpBinding::Query(key) => {
                    uses_query = true;
                    if let ValueKind::List { element, sparse } = &field.value.kind {
                        let parse = self.server_parse_fn(element, Location::Uri);
                        if *sparse {
                            quote! { #server::query_list(&query, #key, |s| (#parse)(s).map(Some)) }
                        } else {
                            quote! { #server::query_list(&query, #key, #parse) }
                        }
                    } else {
                        let parse = self.server_parse_fn(&field.value, Location::Uri);
                        quote! { #server::query_member(&query, #key, #parse) }
                    }
                }
                HttpBinding::QueryParams => {
                    uses_query = true;
                    let ValueKind::Map { value, sparse, .. } = &field.value.kind else {
                        return Err(Error::model(
                            format!("{}${}", input.shape, field.member),
                            "@httpQueryParams must target a map",
                        ));
                    };
                    match &value.kind {
                        ValueKind::List { element, .. } => {
                            let parse = self.server_parse_fn(element, Location::Uri);
                            let parse = if *sparse {
                                quote! { |s: &str| (#parse)(s).map(Some) }
                            } else {
                                parse
                            };
                            quote! { #server::query_params_lists(&query, #parse) }
                        }
                        _ => {
                            let parse = self.server_parse_fn(value, Location::Uri);
                            let parse = if *sparse {
                                quote! { |s: &str| (#parse)(s).map(Some) }
                            } else {
                                parse
                            };
                            quote! { #server::query_params(&query, #parse) }
                        }
                    }
                }
                HttpBinding::Header(header) => {
                    if let ValueKind::List { element, .. } = &field.value.kind {
                        let http_dates = super::http::http_dates(element);
                        let parse = self.server_parse_fn(element, Location::Header);
                        quote! {
                            #server::header_member(headers, #header, |text| {
                                #protocol::header_list_items(text, #http_dates).iter().map(|s| s.as_str()).map(#parse).collect::<Result<Vec<_>, _>>()
                            })
                        }
                    } else {
                        let parse = self.server_parse_fn(&field.value, Location::Header);
                        quote! { #server::header_member(headers, #header, #parse) }
                    }
                }
                HttpBinding::PrefixHeaders(prefix) => {
                    quote! { #protocol::prefix_headers(headers, #prefix) }
                }
                HttpBinding::ResponseCode => {
                    quote! { Ok::<_, crate::error::DeserializeError>(None) }
                }
                HttpBinding::Payload => self.server_de_payload(field)?,
                HttpBinding::Body => {
                    uses_object = true;
                    let key = &field.json_name;
                    let read = self.de_fn(&field.value, Self::is_boxed(field));
                    quote! { #protocol::member(&object, #key, #read) }
                }
            };
            let mut init = self.de_field(input, field, read)?;
            // Servers fill in a missing member's `@default` (the client may have left it out).
            if let Some(default) = field.model_default.as_ref().filter(|_| field.optional) {
                let fallback =
                    crate::emit::structure::or_default(&field.ty, default).map_err(|m| {
                        Error::unsupported(format!("{}${}", input.shape, field.member), m)
                    })?;
                init = quote! { Some(#init #fallback) };
            }
            inits.push(quote! { #name: #init, });
        }
        let labels = if uses_labels {
            quote! { let labels = ROUTE.match_path(request.uri().path()).ok_or_else(#server::RequestRejection::unknown_operation)?; }
        } else {
            quote! {}
        };
        let query = if uses_query {
            quote! { let query = #server::parse_query(request.uri().query()); }
        } else {
            quote! {}
        };
        let body = quote! { let body = request.body().as_ref(); };
        let object = if uses_object {
            quote! { let object = #server::body_object(body)?; }
        } else {
            quote! {}
        };
        let accept = match self.body_media_type(&op.output) {
            Some((_, true)) => quote! {},
            Some((m, false)) => quote! { #server::check_accept(headers, #m)?; },
            None => quote! { #server::check_accept(headers, "application/json")?; },
        };
        Ok(quote! {
            /// Reads the operation's input from an HTTP request (the server side).
            #[cfg(feature = "server")]
            pub(crate) fn de_request<B: AsRef<[u8]>>(
                request: &http::Request<B>,
            ) -> Result<#ty, #server::RequestRejection> {
                let headers = request.headers();
                #body
                #server::check_content_type(headers, body, #media_type, #any_media_type)?;
                #accept
                #labels
                #query
                #object
                Ok(#ty { #(#inits)* })
            }
        })
    }

    fn server_de_payload(&self, field: &Field) -> Result<TokenStream> {
        if let Some(read) = super::event_stream::server_de_payload(field) {
            return Ok(read);
        }
        let server = quote! { crate::primitives::server };
        // A stream is always there, possibly empty.
        if matches!(field.value.kind, ValueKind::Blob { streaming: true, .. }) {
            return Ok(quote! {
                Ok::<_, crate::error::DeserializeError>(Some(crate::primitives::Blob::new(body.to_vec())))
            });
        }
        if let Some(read) = self.de_raw_payload(field) {
            return Ok(read);
        }
        Ok(match &field.value.kind {
            ValueKind::Structure(_) | ValueKind::Union { .. } | ValueKind::Document => {
                let read = Self::boxed(field, self.de_value(&field.value, quote! { &doc }));
                // An unset structure payload is sent as `{}`.
                let read = if matches!(field.value.kind, ValueKind::Structure(_)) {
                    quote! {
                        if matches!(&doc, crate::primitives::Document::Object(m) if m.is_empty()) {
                            Ok(None)
                        } else {
                            #read.map(Some)
                        }
                    }
                } else {
                    quote! { #read.map(Some) }
                };
                quote! {
                    if body.iter().all(u8::is_ascii_whitespace) {
                        Ok(None)
                    } else {
                        #server::request_document(body).and_then(|doc| { #read })
                    }
                }
            }
            other => {
                return Err(Error::unsupported(
                    &field.value.shape,
                    format!("@httpPayload on a {} member", other.type_name()),
                ));
            }
        })
    }

    /// Statements writing the members of `owner` (an output or error structure) to `builder`
    /// and producing `body: Vec<u8>`.
    fn ser_bound_members(&self, s: &Structure, owner: TokenStream) -> Result<TokenStream> {
        let server = quote! { crate::primitives::server };
        let mut headers = Vec::new();
        let mut prefix = Vec::new();
        let mut body_fields = Vec::new();
        let mut payload = None;
        let mut status = quote! {};
        for field in &s.fields {
            let name = ident(&field.ident);
            let access = if field.optional {
                quote! { #owner.#name.as_ref() }
            } else {
                quote! { Some(&#owner.#name) }
            };
            match &field.http {
                HttpBinding::Header(header) => {
                    let name_const = super::header_name_const(header);
                    let value = if let ValueKind::List { element, sparse } = &field.value.kind {
                        let text = self.server_text(element, quote! { item });
                        let quote_items =
                            matches!(element.kind, ValueKind::String { .. } | ValueKind::Enum(_));
                        let iter = if *sparse {
                            quote! { v.iter().flatten() }
                        } else {
                            quote! { v.iter() }
                        };
                        quote! {
                            let items: Vec<String> = #iter.map(|item| #text).collect();
                            builder = builder.header(NAME, crate::primitives::protocol::header_list(items, #quote_items));
                        }
                    } else {
                        let text = self.server_text(&field.value, quote! { v });
                        quote! { builder = builder.header(NAME, #text); }
                    };
                    headers.push(quote! { if let Some(v) = #access { #name_const #value } });
                }
                HttpBinding::PrefixHeaders(p) => prefix.push(quote! {
                    if let Some(v) = #access {
                        for (key, value) in v {
                            let name = format!("{}{}", #p, key);
                            if !#server::has_header(&builder, &name) {
                                builder = builder.header(name, value.as_str());
                            }
                        }
                    }
                }),
                HttpBinding::ResponseCode => {
                    status = quote! {
                        if let Some(code) = #access.and_then(|c| u16::try_from(*c).ok()).filter(|c| (100..=999).contains(c)) {
                            builder = builder.status(code);
                        }
                    };
                }
                HttpBinding::Payload => payload = Some(field),
                HttpBinding::Body => body_fields.push(field),
                HttpBinding::Label { .. } | HttpBinding::Query(_) | HttpBinding::QueryParams => {}
            }
        }
        let body = if let Some(write) =
            payload.and_then(|f| super::event_stream::server_ser_payload(f, &owner))
        {
            write
        } else if let Some(field) = payload {
            let name = ident(&field.ident);
            let access = if field.optional {
                quote! { #owner.#name.as_ref() }
            } else {
                quote! { Some(&#owner.#name) }
            };
            let media = field.value.media_type();
            match &field.value.kind {
                ValueKind::Blob { .. } => {
                    let ct = media.unwrap_or("application/octet-stream");
                    quote! {
                        let body = match #access {
                            Some(v) => { builder = #server::default_content_type(builder, #ct); v.as_ref().to_vec() }
                            None => Vec::new(),
                        };
                    }
                }
                ValueKind::String { .. } | ValueKind::Enum(_) => {
                    let ct = media.unwrap_or("text/plain");
                    quote! {
                        let body = match #access {
                            Some(v) => { builder = #server::default_content_type(builder, #ct); v.as_str().as_bytes().to_vec() }
                            None => Vec::new(),
                        };
                    }
                }
                ValueKind::Structure(_) | ValueKind::Union { .. } | ValueKind::Document => {
                    let write = self.ser_value(&field.value, quote! { v });
                    // An unset payload is an empty body.
                    quote! {
                        let body = match #access {
                            Some(v) => {
                                let mut writer = crate::primitives::json::JsonWriter::new();
                                let w = &mut writer;
                                #write
                                builder = #server::default_content_type(builder, "application/json");
                                writer.finish().into_bytes()
                            }
                            None => Vec::new(),
                        };
                    }
                }
                other => {
                    return Err(Error::unsupported(
                        format!("{}${}", s.shape, field.member),
                        format!("@httpPayload on a {} member", other.type_name()),
                    ))
                }
            }
        } else if body_fields.is_empty() && s.shape == "smithy.api#Unit" {
            quote! { let body = Vec::new(); }
        } else {
            let members = body_fields.iter().map(|f| self.ser_member(f, owner.clone()));
            quote! {
                let mut writer = crate::primitives::json::JsonWriter::new();
                let w = &mut writer;
                w.begin_object();
                #(#members)*
                w.end_object();
                builder = #server::default_content_type(builder, "application/json");
                let body = writer.finish().into_bytes();
            }
        };
        Ok(quote! {
            #status
            #(#headers)*
            #(#prefix)*
            #body
        })
    }

    /// Whether a response carries any member of `s` (members bound to the request only do not).
    fn writes_any(s: &Structure) -> bool {
        s.fields.iter().any(|f| {
            !matches!(
                f.http,
                HttpBinding::Label { .. } | HttpBinding::Query(_) | HttpBinding::QueryParams
            )
        })
    }

    fn ser_response(&self, op: &Operation) -> Result<TokenStream> {
        let output = &op.output;
        let ty = path(&output.path);
        let code = op.http.code;
        let members = self.ser_bound_members(output, quote! { output })?;
        let binding = if Self::writes_any(output) {
            quote! { output }
        } else {
            quote! { _output }
        };
        Ok(quote! {
            /// Writes the operation's output as an HTTP response (the server side).
            #[cfg(feature = "server")]
            pub(crate) fn ser_response(#binding: &#ty) -> http::Response<Vec<u8>> {
                #[allow(unused_mut)]
                let mut builder = http::Response::builder().status(#code);
                #members
                crate::primitives::server::finish(builder, body)
            }
        })
    }

    fn ser_error(&self, op: &Operation) -> TokenStream {
        let error_ty =
            path(&TypePath { module: op.output.path.module.clone(), name: op.error_name.clone() });
        let unhandled = ident(&op.unhandled);
        let arms = op.errors.iter().map(|e| {
            let variant = ident(&e.variant);
            let f = self.fn_name("ser_error", &e.shape);
            quote! { #error_ty::#variant(e) => crate::protocol::server::#f(e), }
        });
        quote! {
            /// Writes one of the operation's errors as an HTTP response (the server side).
            #[cfg(feature = "server")]
            pub(crate) fn ser_error(error: &#error_ty) -> http::Response<Vec<u8>> {
                match error {
                    #(#arms)*
                    #error_ty::#unhandled(e) => crate::primitives::server::unhandled_response(e),
                }
            }
        }
    }

    /// `ser_error_<e>`: an error structure as a response: status from `@httpError` (else 400
    /// for client faults, 500 for server faults), `X-Amzn-ErrorType`, bound members, body.
    pub fn ser_error_structure(&self, s: &Structure) -> Result<TokenStream> {
        let f = self.fn_name("ser_error", &s.shape);
        let ty = path(&s.path);
        let status = s
            .error
            .as_ref()
            .map(|e| e.http_status.unwrap_or(if e.fault == "server" { 500 } else { 400 }))
            .unwrap_or(500);
        let code = shape_name(&s.shape);
        let members = self.ser_bound_members(s, quote! { error })?;
        let binding = if Self::writes_any(s) {
            quote! { error }
        } else {
            quote! { _error }
        };
        Ok(quote! {
            pub(crate) fn #f(#binding: &#ty) -> http::Response<Vec<u8>> {
                #[allow(unused_mut)]
                let mut builder = http::Response::builder().status(#status).header(crate::primitives::protocol::ERROR_TYPE, #code);
                #members
                crate::primitives::server::finish(builder, body)
            }
        })
    }
}
