//! The server side of the restJson1 HTTP bindings (feature `server` of the generated crate):
//! per operation, its route, the request reader (the inverse of the client's request writer),
//! the response writer and the error writer; per error structure, its response writer.

use proc_macro2::TokenStream;
use quote::quote;

use super::http::{binding, Binding};
use super::json::format_tokens;
use super::Protocol;
use crate::emit::tokens::{ident, path};
use crate::error::{Error, Result};
use crate::ir::{Field, Operation, Structure, TypePath};
use crate::load::{ShapeKind, Traits};

/// A piece of the `@http` URI pattern, as the server matches it.
enum Segment {
    Literal(String),
    Label { member: String, greedy: bool },
}

/// The `@http` trait's method, path segments and literal query parameters.
pub struct Route {
    pub method: String,
    segments: Vec<Segment>,
    query: Vec<(String, Option<String>)>,
}

impl Route {
    pub fn of(op: &Operation) -> Result<Route> {
        let http = op.traits.get("http").ok_or_else(|| {
            Error::unsupported(&op.id, "restJson1 operations need the @http trait")
        })?;
        let method = http.get("method").and_then(|v| v.as_str()).unwrap_or("POST").to_string();
        let uri = http.get("uri").and_then(|v| v.as_str()).unwrap_or("/");
        let (path, query) = uri.split_once('?').unwrap_or((uri, ""));
        let mut segments = Vec::new();
        for segment in path.split('/').skip(1).filter(|s| !s.is_empty()) {
            if let Some(label) = segment.strip_prefix('{').and_then(|s| s.strip_suffix('}')) {
                let (member, greedy) = match label.strip_suffix('+') {
                    Some(m) => (m, true),
                    None => (label, false),
                };
                segments.push(Segment::Label { member: member.to_string(), greedy });
            } else if segment.contains('{') {
                return Err(Error::unsupported(
                    &op.id,
                    format!("URI segment `{segment}` mixes a label with literal text"),
                ));
            } else {
                segments.push(Segment::Literal(segment.to_string()));
            }
        }
        let query = query
            .split('&')
            .filter(|p| !p.is_empty())
            .map(|p| match p.split_once('=') {
                Some((k, v)) => (k.to_string(), Some(v.to_string())),
                None => (p.to_string(), None),
            })
            .collect();
        Ok(Route { method, segments, query })
    }

    /// The order routes are tried in: more literal segments first, then more segments, then
    /// no greedy label, then more literal query parameters (the most specific route wins).
    pub fn specificity(&self) -> (usize, usize, bool, usize) {
        let literals = self.segments.iter().filter(|s| matches!(s, Segment::Literal(_))).count();
        let greedy = self.segments.iter().any(|s| matches!(s, Segment::Label { greedy: true, .. }));
        (literals, self.segments.len(), !greedy, self.query.len())
    }

    /// The `crate::primitives::server::Route` constant.
    fn tokens(&self) -> TokenStream {
        let method = &self.method;
        let segments = self.segments.iter().map(|s| match s {
            Segment::Literal(text) => quote! { crate::primitives::server::Segment::Literal(#text) },
            Segment::Label { greedy: false, .. } => {
                quote! { crate::primitives::server::Segment::Label }
            }
            Segment::Label { greedy: true, .. } => {
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
                Segment::Label { member, .. } => Some(member.as_str()),
                Segment::Literal(_) => None,
            })
            .position(|m| m == member)
    }
}

impl Protocol<'_> {
    /// A callable parsing a `&str` (label, query value, header) into `Result<T, DeserializeError>`.
    /// `default_ts` is the timestamp format when none is given; `header` decodes `@mediaType`
    /// strings from base64, as headers carry them.
    fn server_parse_fn(
        &self,
        traits: &Traits,
        target: &str,
        default_ts: &str,
        header: bool,
    ) -> TokenStream {
        let shape = &self.model.shapes[target];
        let wire = quote! { crate::primitives::wire };
        match &shape.kind {
            ShapeKind::String if header && shape.traits.has("mediaType") => {
                quote! { #wire::parse_media_type_string }
            }
            ShapeKind::String => {
                quote! { |s: &str| Ok::<_, crate::error::DeserializeError>(s.to_string()) }
            }
            ShapeKind::Enum { .. } => {
                let p = path(&self.paths[target]);
                quote! { |s: &str| Ok::<_, crate::error::DeserializeError>(#p::from(s.trim())) }
            }
            ShapeKind::IntEnum { .. } => {
                let p = path(&self.paths[target]);
                quote! { |s: &str| #wire::parse_int::<i32>(s).map(#p::from) }
            }
            ShapeKind::Boolean => quote! { #wire::parse_bool },
            ShapeKind::Byte => quote! { #wire::parse_int::<i8> },
            ShapeKind::Short => quote! { #wire::parse_int::<i16> },
            ShapeKind::Integer => quote! { #wire::parse_int::<i32> },
            ShapeKind::Long => quote! { #wire::parse_int::<i64> },
            ShapeKind::Float => quote! { #wire::parse_f32 },
            ShapeKind::Double => quote! { #wire::parse_f64 },
            ShapeKind::BigInteger => quote! {
                |s: &str| crate::primitives::BigInteger::new(s.trim()).map_err(|e| crate::error::DeserializeError::new(e.to_string()))
            },
            ShapeKind::BigDecimal => quote! {
                |s: &str| crate::primitives::BigDecimal::new(s.trim()).map_err(|e| crate::error::DeserializeError::new(e.to_string()))
            },
            ShapeKind::Blob => quote! { #wire::parse_blob },
            ShapeKind::Timestamp => {
                let format = format_tokens(&self.timestamp_format(traits, target, default_ts));
                quote! { |s: &str| crate::primitives::server::strict_parse_timestamp(s, #format) }
            }
            _ => {
                quote! { |_: &str| Err::<(), _>(crate::error::DeserializeError::new("unsupported binding")) }
            }
        }
    }

    /// The text of a scalar `value` (a `&T` expression) for a header: a `String` expression.
    fn server_text(&self, traits: &Traits, target: &str, value: TokenStream) -> TokenStream {
        let shape = &self.model.shapes[target];
        let wire = quote! { crate::primitives::wire };
        match &shape.kind {
            ShapeKind::String if shape.traits.has("mediaType") => {
                quote! { #wire::base64_encode(#value.as_bytes()) }
            }
            ShapeKind::String => quote! { #value.to_string() },
            ShapeKind::Enum { .. } => quote! { #value.as_str().to_string() },
            ShapeKind::IntEnum { .. } => quote! { #value.as_i32().to_string() },
            ShapeKind::Float => quote! { #wire::f32_text(*#value) },
            ShapeKind::Double => quote! { #wire::f64_text(*#value) },
            ShapeKind::BigInteger | ShapeKind::BigDecimal => quote! { #value.as_str().to_string() },
            ShapeKind::Blob => quote! { #wire::base64_encode(#value.as_ref()) },
            ShapeKind::Timestamp => {
                let format = format_tokens(&self.timestamp_format(traits, target, "http-date"));
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
            match binding(f) {
                Binding::Payload => {
                    if let Some(media) = super::event_stream::media_type(f) {
                        return Some((media.into(), false));
                    }
                    let target = &self.model.shapes[&f.target];
                    let media =
                        target.traits.get("mediaType").and_then(|v| v.as_str()).map(str::to_string);
                    return Some(match &target.kind {
                        ShapeKind::Blob => match media {
                            Some(m) => (m, false),
                            None => ("application/octet-stream".into(), true),
                        },
                        ShapeKind::String | ShapeKind::Enum { .. } => {
                            (media.unwrap_or_else(|| "text/plain".into()), false)
                        }
                        _ => ("application/json".into(), false),
                    });
                }
                Binding::Body(_) => body = true,
                _ => {}
            }
        }
        (body || (s.fields.is_empty() && s.shape != "smithy.api#Unit"))
            .then(|| ("application/json".to_string(), false))
    }

    /// The server items of an operation's protocol file: `ROUTE`, `de_request`, `ser_response`
    /// and `ser_error`, all behind the `server` feature.
    pub fn server_items(&self, op: &Operation) -> Result<TokenStream> {
        let route = Route::of(op)?;
        let route_tokens = route.tokens();
        let de_request = self.de_request(op, &route)?;
        let ser_response = self.ser_response(op)?;
        let ser_error = self.ser_error(op);
        Ok(quote! {
            /// The operation's route: method, path pattern, literal query parameters.
            #[cfg(feature = "server")]
            pub(crate) const ROUTE: crate::primitives::server::Route = #route_tokens;
            #de_request
            #ser_response
            #ser_error
        })
    }

    fn de_request(&self, op: &Operation, route: &Route) -> Result<TokenStream> {
        let input = &op.input;
        let ty = path(&input.path);
        let server = quote! { crate::primitives::server };
        let wire = quote! { crate::primitives::wire };
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
            let target = &self.model.shapes[&field.target];
            let read = match binding(field) {
                Binding::Label => {
                    uses_labels = true;
                    let index = route.label_index(&field.member).ok_or_else(|| {
                        Error::model(
                            format!("{}${}", input.shape, field.member),
                            "@httpLabel member without a label in the URI",
                        )
                    })?;
                    let parse =
                        self.server_parse_fn(&field.traits, &field.target, "date-time", false);
                    let member = &field.member;
                    quote! { #server::label_member(&labels, #index, #member, #parse) }
                }
                Binding::Query(key) => {
                    uses_query = true;
                    if let ShapeKind::List { member, .. } = &target.kind {
                        let parse = self.server_parse_fn(
                            &member.traits,
                            &member.target,
                            "date-time",
                            false,
                        );
                        if target.traits.has("sparse") {
                            quote! { #server::query_list(&query, #key, |s| (#parse)(s).map(Some)) }
                        } else {
                            quote! { #server::query_list(&query, #key, #parse) }
                        }
                    } else {
                        let parse =
                            self.server_parse_fn(&field.traits, &field.target, "date-time", false);
                        quote! { #server::query_member(&query, #key, #parse) }
                    }
                }
                Binding::QueryParams => {
                    uses_query = true;
                    let ShapeKind::Map { value, .. } = &target.kind else {
                        return Err(Error::model(
                            format!("{}${}", input.shape, field.member),
                            "@httpQueryParams must target a map",
                        ));
                    };
                    let value_shape = &self.model.shapes[&value.target];
                    let sparse = target.traits.has("sparse");
                    match &value_shape.kind {
                        ShapeKind::List { member, .. } => {
                            let parse = self.server_parse_fn(
                                &member.traits,
                                &member.target,
                                "date-time",
                                false,
                            );
                            let parse = if sparse {
                                quote! { |s: &str| (#parse)(s).map(Some) }
                            } else {
                                parse
                            };
                            quote! { #server::query_params_lists(&query, #parse) }
                        }
                        _ => {
                            let parse = self.server_parse_fn(
                                &value.traits,
                                &value.target,
                                "date-time",
                                false,
                            );
                            let parse = if sparse {
                                quote! { |s: &str| (#parse)(s).map(Some) }
                            } else {
                                parse
                            };
                            quote! { #server::query_params(&query, #parse) }
                        }
                    }
                }
                Binding::Header(header) => {
                    if let ShapeKind::List { member, .. } = &target.kind {
                        let http_dates =
                            matches!(self.model.shapes[&member.target].kind, ShapeKind::Timestamp)
                                && self.timestamp_format(
                                    &member.traits,
                                    &member.target,
                                    "http-date",
                                ) == "http-date";
                        let parse =
                            self.server_parse_fn(&member.traits, &member.target, "http-date", true);
                        quote! {
                            #server::header_member(headers, #header, |text| {
                                #wire::header_list_items(text, #http_dates).iter().map(|s| s.as_str()).map(#parse).collect::<Result<Vec<_>, _>>()
                            })
                        }
                    } else {
                        let parse =
                            self.server_parse_fn(&field.traits, &field.target, "http-date", true);
                        quote! { #server::header_member(headers, #header, #parse) }
                    }
                }
                Binding::PrefixHeaders(prefix) => {
                    quote! { #wire::prefix_headers(headers, #prefix) }
                }
                Binding::ResponseCode => quote! { Ok::<_, crate::error::DeserializeError>(None) },
                Binding::Payload => self.server_de_payload(field)?,
                Binding::Body(key) => {
                    uses_object = true;
                    let read = self.de_fn(&field.target, &field.traits, Self::is_boxed(field));
                    quote! { #wire::member(&object, #key, #read) }
                }
            };
            let mut init = self.de_field(input, field, read)?;
            // Servers fill in a missing member's `@default` (the client may have left it out).
            if let Some(default) =
                field.traits.get("default").filter(|d| field.optional && !d.is_null())
            {
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
        let target = &self.model.shapes[&field.target];
        let server = quote! { crate::primitives::server };
        // A stream is always there, possibly empty.
        if matches!(target.kind, ShapeKind::Blob) && target.traits.has("streaming") {
            return Ok(quote! {
                Ok::<_, crate::error::DeserializeError>(Some(crate::primitives::Blob::new(body.to_vec())))
            });
        }
        if let Some(read) = self.de_raw_payload(field) {
            return Ok(read);
        }
        Ok(match &target.kind {
            ShapeKind::Structure { .. } | ShapeKind::Union { .. } | ShapeKind::Document => {
                let read = Self::boxed(
                    field,
                    self.de_value(&field.target, &field.traits, quote! { &doc }),
                );
                // An unset structure payload is sent as `{}`.
                let read = if matches!(target.kind, ShapeKind::Structure { .. }) {
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
                    &field.target,
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
            match binding(field) {
                Binding::Header(header) => {
                    let target = &self.model.shapes[&field.target];
                    let value = if let ShapeKind::List { member, .. } = &target.kind {
                        let text =
                            self.server_text(&member.traits, &member.target, quote! { item });
                        let quote_items = matches!(
                            self.model.shapes[&member.target].kind,
                            ShapeKind::String | ShapeKind::Enum { .. }
                        );
                        let iter = if target.traits.has("sparse") {
                            quote! { v.iter().flatten() }
                        } else {
                            quote! { v.iter() }
                        };
                        quote! {
                            let items: Vec<String> = #iter.map(|item| #text).collect();
                            builder = builder.header(#header, crate::primitives::wire::header_list(items, #quote_items));
                        }
                    } else {
                        let text = self.server_text(&field.traits, &field.target, quote! { v });
                        quote! { builder = builder.header(#header, #text); }
                    };
                    headers.push(quote! { if let Some(v) = #access { #value } });
                }
                Binding::PrefixHeaders(p) => prefix.push(quote! {
                    if let Some(v) = #access {
                        for (key, value) in v {
                            let name = format!("{}{}", #p, key);
                            if !#server::has_header(&builder, &name) {
                                builder = builder.header(name, value.as_str());
                            }
                        }
                    }
                }),
                Binding::ResponseCode => {
                    status = quote! {
                        if let Some(code) = #access.and_then(|c| u16::try_from(*c).ok()).filter(|c| (100..=999).contains(c)) {
                            builder = builder.status(code);
                        }
                    };
                }
                Binding::Payload => payload = Some(field),
                Binding::Body(_) => body_fields.push(field),
                Binding::Label | Binding::Query(_) | Binding::QueryParams => {}
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
            let target = &self.model.shapes[&field.target];
            let media = target.traits.get("mediaType").and_then(|v| v.as_str()).map(str::to_string);
            match &target.kind {
                ShapeKind::Blob => {
                    let ct = media.unwrap_or_else(|| "application/octet-stream".into());
                    quote! {
                        let body = match #access {
                            Some(v) => { builder = #server::default_content_type(builder, #ct); v.as_ref().to_vec() }
                            None => Vec::new(),
                        };
                    }
                }
                ShapeKind::String | ShapeKind::Enum { .. } => {
                    let ct = media.unwrap_or_else(|| "text/plain".into());
                    quote! {
                        let body = match #access {
                            Some(v) => { builder = #server::default_content_type(builder, #ct); v.as_str().as_bytes().to_vec() }
                            None => Vec::new(),
                        };
                    }
                }
                ShapeKind::Structure { .. } | ShapeKind::Union { .. } | ShapeKind::Document => {
                    let write = self.ser_value(&field.target, &field.traits, quote! { v });
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
            !matches!(binding(f), Binding::Label | Binding::Query(_) | Binding::QueryParams)
        })
    }

    fn ser_response(&self, op: &Operation) -> Result<TokenStream> {
        let output = &op.output;
        let ty = path(&output.path);
        let code = op
            .traits
            .get("http")
            .and_then(|h| h.get("code"))
            .and_then(|c| c.as_u64())
            .unwrap_or(200) as u16;
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
        let code = crate::load::shape_name(&s.shape);
        let members = self.ser_bound_members(s, quote! { error })?;
        let binding = if Self::writes_any(s) {
            quote! { error }
        } else {
            quote! { _error }
        };
        Ok(quote! {
            pub(crate) fn #f(#binding: &#ty) -> http::Response<Vec<u8>> {
                #[allow(unused_mut)]
                let mut builder = http::Response::builder().status(#status).header("X-Amzn-ErrorType", #code);
                #members
                crate::primitives::server::finish(builder, body)
            }
        })
    }
}
