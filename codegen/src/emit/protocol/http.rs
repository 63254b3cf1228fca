//! restJson1 HTTP bindings of one operation: the request writer, the response reader and the
//! error reader (the Smithy HTTP binding traits and the restJson1 protocol rules).

use proc_macro2::TokenStream;
use quote::quote;

use super::json::format_tokens;
use super::Protocol;
use crate::emit::tokens::{ident, path};
use crate::error::{Error, Result};
use crate::ir::{
    shape_name, Field, HostPrefixPart, HttpBinding, Location, Operation, PathSegment, RustType,
    Structure, TimestampFormat, Value, ValueKind,
};

/// Which parts of a response the generated reader touches (so it binds nothing unused).
#[derive(Debug, Default, Clone, Copy)]
pub struct Uses {
    pub headers: bool,
    pub status: bool,
    pub body: bool,
    pub object: bool,
}

/// Whether the items of a header list are HTTP dates (timestamps in `http-date`, whose own
/// commas do not separate items).
pub(super) fn http_dates(element: &Value) -> bool {
    element.kind == ValueKind::Timestamp
        && element.timestamp_format_in(Location::Header) == TimestampFormat::HttpDate
}

impl Protocol<'_> {
    /// The text of a scalar value for a label, query or header; `value` is a `&T` expression.
    /// Returns an expression of type `Result<String, RequestError>` when `fallible`, else `String`.
    fn text_of(&self, v: &Value, value: TokenStream, location: Location) -> (TokenStream, bool) {
        let protocol = quote! { crate::primitives::protocol };
        match &v.kind {
            ValueKind::String { media_type: Some(_) } if location == Location::Header => {
                (quote! { #protocol::base64_encode(#value.as_bytes()) }, false)
            }
            ValueKind::String { .. } => (quote! { #value.to_string() }, false),
            ValueKind::Enum(_) => (quote! { #value.as_str().to_string() }, false),
            ValueKind::IntEnum(_) => (quote! { #value.as_i32().to_string() }, false),
            ValueKind::Boolean
            | ValueKind::Byte
            | ValueKind::Short
            | ValueKind::Integer
            | ValueKind::Long => (quote! { #value.to_string() }, false),
            ValueKind::Float => (quote! { #protocol::f32_text(*#value) }, false),
            ValueKind::Double => (quote! { #protocol::f64_text(*#value) }, false),
            ValueKind::BigInteger | ValueKind::BigDecimal => {
                (quote! { #value.as_str().to_string() }, false)
            }
            ValueKind::Blob { .. } => (quote! { #protocol::base64_encode(#value.as_ref()) }, false),
            ValueKind::Timestamp => {
                let format = format_tokens(v.timestamp_format_in(location));
                (quote! { #protocol::timestamp_text(#value, #format) }, true)
            }
            _ => (quote! { String::new() }, false),
        }
    }

    /// Parses a header (or other text) `s: &str` into the member's type: `Result<T, DeserializeError>`.
    fn parse_text(&self, v: &Value, s: TokenStream) -> TokenStream {
        let protocol = quote! { crate::primitives::protocol };
        match &v.kind {
            ValueKind::String { media_type: Some(_) } => {
                quote! { #protocol::parse_media_type_string(#s) }
            }
            ValueKind::String { .. } => {
                quote! { Ok::<_, crate::error::DeserializeError>(#s.to_string()) }
            }
            ValueKind::Enum(p) => {
                let p = path(p);
                quote! { Ok::<_, crate::error::DeserializeError>(#p::from(#s.trim())) }
            }
            ValueKind::IntEnum(p) => {
                let p = path(p);
                quote! { #protocol::parse_int::<i32>(#s).map(#p::from) }
            }
            ValueKind::Boolean => quote! { #protocol::parse_bool(#s) },
            ValueKind::Byte => quote! { #protocol::parse_int::<i8>(#s) },
            ValueKind::Short => quote! { #protocol::parse_int::<i16>(#s) },
            ValueKind::Integer => quote! { #protocol::parse_int::<i32>(#s) },
            ValueKind::Long => quote! { #protocol::parse_int::<i64>(#s) },
            ValueKind::Float => quote! { #protocol::parse_f32(#s) },
            ValueKind::Double => quote! { #protocol::parse_f64(#s) },
            ValueKind::BigInteger => quote! {
                crate::primitives::BigInteger::new(#s.trim()).map_err(|e| crate::error::DeserializeError::new(e.to_string()))
            },
            ValueKind::BigDecimal => quote! {
                crate::primitives::BigDecimal::new(#s.trim()).map_err(|e| crate::error::DeserializeError::new(e.to_string()))
            },
            ValueKind::Blob { .. } => quote! { #protocol::parse_blob(#s) },
            ValueKind::Timestamp => {
                let format = format_tokens(v.timestamp_format_in(Location::Header));
                quote! { #protocol::parse_timestamp(#s, #format) }
            }
            ValueKind::List { element, .. } => {
                let http_dates = http_dates(element);
                let item = self.parse_fn(element);
                quote! {
                    #protocol::header_list_items(#s, #http_dates).iter().map(|s| s.as_str()).map(#item).collect::<Result<Vec<_>, _>>()
                }
            }
            _ => quote! { Err(crate::error::DeserializeError::new("unsupported header type")) },
        }
    }

    /// A callable parsing a header's `&str` into `Result<T, DeserializeError>`: the parser
    /// function itself when there is one, else a closure.
    fn parse_fn(&self, v: &Value) -> TokenStream {
        let protocol = quote! { crate::primitives::protocol };
        match &v.kind {
            ValueKind::String { media_type: Some(_) } => {
                quote! { #protocol::parse_media_type_string }
            }
            ValueKind::Boolean => quote! { #protocol::parse_bool },
            ValueKind::Byte => quote! { #protocol::parse_int::<i8> },
            ValueKind::Short => quote! { #protocol::parse_int::<i16> },
            ValueKind::Integer => quote! { #protocol::parse_int::<i32> },
            ValueKind::Long => quote! { #protocol::parse_int::<i64> },
            ValueKind::Float => quote! { #protocol::parse_f32 },
            ValueKind::Double => quote! { #protocol::parse_f64 },
            ValueKind::Blob { .. } => quote! { #protocol::parse_blob },
            _ => {
                let parse = self.parse_text(v, quote! { s });
                quote! { |s| #parse }
            }
        }
    }

    /// Like [`text_of`](Self::text_of) in the URI (labels and query values), where any
    /// `AsRef<str>` does: strings and enums are borrowed instead of copied, integers and
    /// booleans written on the stack.
    fn uri_text_of(&self, v: &Value, value: TokenStream) -> (TokenStream, bool) {
        let protocol = quote! { crate::primitives::protocol };
        match &v.kind {
            ValueKind::String { .. } => (value, false),
            ValueKind::Enum(_) => (quote! { #value.as_str() }, false),
            ValueKind::Byte | ValueKind::Short | ValueKind::Integer => {
                (quote! { #protocol::IntegerText::new(i64::from(*#value)) }, false)
            }
            ValueKind::Long => (quote! { #protocol::IntegerText::new(*#value) }, false),
            ValueKind::IntEnum(_) => {
                (quote! { #protocol::IntegerText::new(i64::from(#value.as_i32())) }, false)
            }
            ValueKind::Boolean => (quote! { if *#value { "true" } else { "false" } }, false),
            _ => self.text_of(v, value, Location::Uri),
        }
    }

    /// Accessor for a field of `input`: `(expression of Option<&T>)`.
    fn field_ref(field: &Field, owner: &TokenStream) -> TokenStream {
        let name = ident(&field.ident);
        if field.optional {
            quote! { #owner.#name.as_ref() }
        } else {
            quote! { Some(&#owner.#name) }
        }
    }

    /// `ser_request`: the input as an `http::Request`.
    pub fn ser_request(&self, op: &Operation) -> Result<TokenStream> {
        let input = &op.input;
        let input_ty = path(&input.path);
        let method = &op.http.method;
        let pattern = &op.http.uri;
        let owner = quote! { input };
        let protocol = quote! { crate::primitives::protocol };

        // Idempotency tokens are filled before anything is read from the input.
        let token_fields: Vec<&Field> =
            input.fields.iter().filter(|f| f.optional && f.idempotency_token).collect();
        let prepare = if token_fields.is_empty() {
            quote! { let _ = tokens; }
        } else {
            // Copy the input only when a token is actually missing.
            let fills = token_fields.iter().map(|f| {
                let name = ident(&f.ident);
                quote! {
                    if input.#name.is_none() {
                        input.to_mut().#name = Some(tokens.make_token());
                    }
                }
            });
            quote! {
                let mut input = ::std::borrow::Cow::Borrowed(input);
                #(#fills)*
                let input: &#input_ty = &input;
            }
        };

        // Path.
        let mut path_code = Vec::new();
        for segment in &pattern.segments {
            match segment {
                PathSegment::Literal(text) => {
                    let text = format!("/{text}");
                    path_code.push(quote! { uri.push_str(#text); });
                }
                PathSegment::Label { member, greedy } => {
                    let field =
                        input.fields.iter().find(|f| &f.member == member).ok_or_else(|| {
                            Error::model(
                                &op.id,
                                format!("the URI label `{member}` has no input member"),
                            )
                        })?;
                    let access = Self::field_ref(field, &owner);
                    let (text, fallible) = self.uri_text_of(&field.value, quote! { v });
                    let value = if fallible {
                        quote! { #access.map(|v| #text).transpose()? }
                    } else if matches!(field.value.kind, ValueKind::String { .. }) {
                        access
                    } else {
                        quote! { #access.map(|v| #text) }
                    };
                    let member_name = &field.member;
                    path_code.push(quote! {
                        uri.push('/');
                        #protocol::push_label(&mut uri, #value, #member_name, #greedy)?;
                    });
                }
            }
        }
        if pattern.segments.is_empty() {
            path_code.push(quote! { uri.push('/'); });
        }

        // Query string: literals, then @httpQuery members, then @httpQueryParams.
        let mut query_code = Vec::new();
        for (key, value) in &pattern.query {
            let value = match value {
                Some(v) => quote! { Some(#v) },
                None => quote! { None },
            };
            query_code.push(quote! { query.literal(#key, #value); });
        }
        let mut headers_code = Vec::new();
        let mut prefix_headers_code = Vec::new();
        let mut body_fields = Vec::new();
        let mut payload: Option<&Field> = None;
        let mut params_code = Vec::new();
        for field in &input.fields {
            let access = Self::field_ref(field, &owner);
            match &field.http {
                HttpBinding::Label { .. } | HttpBinding::ResponseCode => {}
                HttpBinding::Query(key) => {
                    let push = if let ValueKind::List { element, sparse } = &field.value.kind {
                        let (text, fallible) = self.uri_text_of(element, quote! { item });
                        let text = if fallible {
                            quote! { #text? }
                        } else {
                            text
                        };
                        if *sparse {
                            quote! { for item in v.iter().flatten() { query.push(#key, #text); } }
                        } else {
                            quote! { for item in v { query.push(#key, #text); } }
                        }
                    } else {
                        let (text, fallible) = self.uri_text_of(&field.value, quote! { v });
                        let text = if fallible {
                            quote! { #text? }
                        } else {
                            text
                        };
                        quote! { query.push(#key, #text); }
                    };
                    let missing = if field.required {
                        let member = &field.member;
                        quote! { else { return Err(crate::error::RequestError::missing_query(#member)); } }
                    } else {
                        quote! {}
                    };
                    query_code.push(quote! { if let Some(v) = #access { #push } #missing });
                }
                HttpBinding::QueryParams => {
                    let ValueKind::Map { value, sparse, .. } = &field.value.kind else {
                        return Err(Error::model(
                            format!("{}${}", input.shape, field.member),
                            "@httpQueryParams must target a map",
                        ));
                    };
                    // Strings are borrowed, anything else written with its `Display`.
                    let text = |v: &Value, value: TokenStream| match &v.kind {
                        ValueKind::String { .. } => value,
                        _ => quote! { #value.to_string() },
                    };
                    let push = match &value.kind {
                        ValueKind::List { element, .. } => {
                            let item = text(element, quote! { item });
                            quote! { for item in values { query.push(key, #item); } }
                        }
                        _ => {
                            let values = text(value, quote! { values });
                            quote! { query.push(key, #values); }
                        }
                    };
                    let values = if *sparse {
                        quote! { Some(values) }
                    } else {
                        quote! { values }
                    };
                    params_code.push(quote! {
                        if let Some(params) = #access {
                            for (key, #values) in params {
                                if !explicit.contains(&key.as_str()) {
                                    #push
                                }
                            }
                        }
                    });
                }
                HttpBinding::Header(name) => {
                    let name_const = super::header_name_const(name);
                    let value = if let ValueKind::List { element, .. } = &field.value.kind {
                        let (text, fallible) =
                            self.text_of(element, quote! { item }, Location::Header);
                        let text = if fallible {
                            quote! { #text? }
                        } else {
                            text
                        };
                        let quote_items =
                            matches!(element.kind, ValueKind::String { .. } | ValueKind::Enum(_));
                        // An empty list is sent as an empty header (the protocol tests' rule).
                        quote! {
                            let mut items = Vec::new();
                            for item in v.iter() {
                                items.push(#text);
                            }
                            builder = builder.header(NAME, #protocol::header_list(items, #quote_items));
                        }
                    } else {
                        let (text, fallible) =
                            self.text_of(&field.value, quote! { v }, Location::Header);
                        let text = if fallible {
                            quote! { #text? }
                        } else {
                            text
                        };
                        quote! { builder = builder.header(NAME, #text); }
                    };
                    headers_code.push(quote! { if let Some(v) = #access { #name_const #value } });
                }
                HttpBinding::PrefixHeaders(prefix) => {
                    // After the specific headers: a header a member sets wins over the map's.
                    prefix_headers_code.push(quote! {
                        if let Some(v) = #access {
                            for (key, value) in v {
                                let name = format!("{}{}", #prefix, key);
                                if !#protocol::has_header(&builder, &name) {
                                    builder = builder.header(name, value.as_str());
                                }
                            }
                        }
                    });
                }
                HttpBinding::Payload => payload = Some(field),
                HttpBinding::Body => body_fields.push(field),
            }
        }
        let explicit_keys: Vec<&String> = input
            .fields
            .iter()
            .filter_map(|f| match &f.http {
                HttpBinding::Query(k) => Some(k),
                _ => None,
            })
            .collect();
        let explicit = if params_code.is_empty() {
            quote! {}
        } else {
            quote! { let explicit: &[&str] = &[#(#explicit_keys),*]; }
        };

        // Body.
        let body = if let Some(field) = payload {
            self.ser_payload(input, field)?
        } else if !body_fields.is_empty() {
            let members = body_fields.iter().map(|f| self.ser_member(f, owner.clone()));
            quote! {
                let mut writer = crate::primitives::json::JsonWriter::new();
                let w = &mut writer;
                w.begin_object();
                #(#members)*
                w.end_object();
                builder = crate::primitives::protocol::default_content_type(builder, "application/json");
                let body = writer.finish().into_bytes();
            }
        } else {
            quote! { let body = Vec::new(); }
        };

        let input_binding = if input.fields.is_empty() {
            quote! { _input }
        } else {
            quote! { input }
        };
        let host_prefix = self.host_prefix(op)?;
        let has_query = !query_code.is_empty() || !params_code.is_empty();
        let query_block = if has_query {
            quote! {
                let mut query = #protocol::Query::new(&mut uri);
                #(#query_code)*
                #explicit
                #(#params_code)*
            }
        } else {
            quote! {}
        };
        let builder_mut = if headers_code.is_empty()
            && prefix_headers_code.is_empty()
            && payload.is_none()
            && body_fields.is_empty()
        {
            quote! { builder }
        } else {
            quote! { mut builder }
        };
        // Compression comes first: the checksum is of the bytes sent.
        let compression = if gzip(op) {
            quote! {
                #[cfg(feature = "request-compression")]
                let (builder, body) = crate::protocol::gzip(builder, body);
            }
        } else {
            quote! {}
        };
        let checksum = if op.checksum_required {
            quote! { let builder = crate::protocol::content_md5(builder, &body); }
        } else {
            quote! {}
        };
        Ok(quote! {
            /// Builds the HTTP request of the operation.
            pub(crate) fn ser_request(
                #input_binding: &#input_ty,
                endpoint: &str,
                tokens: &dyn crate::primitives::IdempotencyTokenProvider,
            ) -> Result<http::Request<Vec<u8>>, crate::error::RequestError> {
                #prepare
                #host_prefix
                let mut uri = #protocol::uri_start(endpoint);
                #(#path_code)*
                #query_block
                let #builder_mut = http::Request::builder().method(#method).uri(uri);
                #(#headers_code)*
                #(#prefix_headers_code)*
                #body
                #compression
                #checksum
                #protocol::finish_request(builder, body)
            }
        })
    }

    /// `@endpoint(hostPrefix: "{Label}.api.")`: the prefix, with `@hostLabel` members filled
    /// in, goes before the endpoint's host (`https://api.example.com`).
    fn host_prefix(&self, op: &Operation) -> Result<TokenStream> {
        let Some(prefix) = &op.http.host_prefix else {
            return Ok(quote! {});
        };
        let mut format = String::new();
        let mut literal = String::new();
        let mut checks = Vec::new();
        let mut args = Vec::new();
        for part in &prefix.parts {
            match part {
                HostPrefixPart::Literal(text) => {
                    literal.push_str(text);
                    format.push_str(&text.replace('{', "{{").replace('}', "}}"));
                }
                HostPrefixPart::Label(label) => {
                    let field =
                        op.input.fields.iter().find(|f| &f.member == label).ok_or_else(|| {
                            Error::model(
                                &op.id,
                                format!("the hostPrefix label `{label}` has no input member"),
                            )
                        })?;
                    let name = ident(&field.ident);
                    let var = quote::format_ident!("label_{}", args.len());
                    let access = if field.optional {
                        quote! { input.#name.as_deref() }
                    } else {
                        quote! { Some(input.#name.as_str()) }
                    };
                    checks.push(quote! {
                        let #var = match #access {
                            Some(value) if !value.is_empty() => value,
                            _ => return Err(crate::error::RequestError::missing_label(#label)),
                        };
                    });
                    args.push(var);
                    format.push_str("{}");
                }
            }
        }
        let prefix = if args.is_empty() {
            quote! { let prefix = #literal; }
        } else {
            quote! {
                #(#checks)*
                let prefix = &format!(#format, #(#args),*);
            }
        };
        Ok(quote! {
            #prefix
            let endpoint = crate::primitives::protocol::with_host_prefix(endpoint, prefix);
            let endpoint = endpoint.as_str();
        })
    }

    /// The body of a request whose member is `@httpPayload`.
    fn ser_payload(&self, input: &Structure, field: &Field) -> Result<TokenStream> {
        if let Some(write) = super::event_stream::ser_payload(field) {
            return Ok(write);
        }
        let name = ident(&field.ident);
        let access = if field.optional {
            quote! { input.#name.as_ref() }
        } else {
            quote! { Some(&input.#name) }
        };
        if field.ty == RustType::ByteStream {
            // A stream in memory is the body; one read as it arrives is not in the (sans-IO)
            // request: the client sends it as the body.
            let content_type = field.value.media_type().unwrap_or("application/octet-stream");
            return Ok(quote! {
                let body = match #access {
                    Some(v) => {
                        builder = crate::primitives::protocol::default_content_type(builder, #content_type);
                        v.bytes().map(<[u8]>::to_vec).unwrap_or_default()
                    }
                    None => Vec::new(),
                };
            });
        }
        Ok(match &field.value.kind {
            ValueKind::Blob { media_type, .. } => {
                let content_type = media_type.as_deref().unwrap_or("application/octet-stream");
                quote! {
                    let body = match #access {
                        Some(v) => {
                            builder = crate::primitives::protocol::default_content_type(builder, #content_type);
                            v.as_ref().to_vec()
                        }
                        None => Vec::new(),
                    };
                }
            }
            ValueKind::String { .. } | ValueKind::Enum(_) => {
                let content_type = field.value.media_type().unwrap_or("text/plain");
                quote! {
                    let body = match #access {
                        Some(v) => {
                            builder = crate::primitives::protocol::default_content_type(builder, #content_type);
                            v.as_str().as_bytes().to_vec()
                        }
                        None => Vec::new(),
                    };
                }
            }
            ValueKind::Structure(_) | ValueKind::Document => {
                let write = self.ser_value(&field.value, quote! { v });
                let absent = if matches!(field.value.kind, ValueKind::Structure(_)) {
                    quote! { w.begin_object(); w.end_object(); }
                } else {
                    quote! { w.null(); }
                };
                quote! {
                    let mut writer = crate::primitives::json::JsonWriter::new();
                let w = &mut writer;
                    match #access {
                        Some(v) => { #write }
                        None => { #absent }
                    }
                    builder = crate::primitives::protocol::default_content_type(builder, "application/json");
                    let body = writer.finish().into_bytes();
                }
            }
            ValueKind::Union { .. } => {
                let write = self.ser_value(&field.value, quote! { v });
                quote! {
                    let body = match #access {
                        Some(v) => {
                            let mut writer = crate::primitives::json::JsonWriter::new();
                let w = &mut writer;
                            #write
                            builder = crate::primitives::protocol::default_content_type(builder, "application/json");
                            writer.finish().into_bytes()
                        }
                        None => Vec::new(),
                    };
                }
            }
            other => {
                return Err(Error::unsupported(
                    format!("{}${}", input.shape, field.member),
                    format!("@httpPayload on a {} member", other.type_name()),
                ))
            }
        })
    }

    /// Reads the members of an output or error structure from `headers`, `status`, `body`
    /// (`&[u8]`) and the locals that [`pull_members`](Self::pull_members) fills with the body's
    /// JSON members (`uses.object`): the struct literal's initializers, and which of those
    /// inputs they use.
    pub fn de_bound_fields(&self, s: &Structure) -> Result<(Uses, Vec<TokenStream>)> {
        let protocol = quote! { crate::primitives::protocol };
        let mut uses = Uses::default();
        let mut inits = Vec::new();
        for field in &s.fields {
            let name = ident(&field.ident);
            let read = match &field.http {
                HttpBinding::Header(header) => {
                    uses.headers = true;
                    let parse = self.parse_fn(&field.value);
                    quote! { #protocol::header_member(headers, #header, #parse) }
                }
                HttpBinding::PrefixHeaders(prefix) => {
                    uses.headers = true;
                    quote! { #protocol::prefix_headers(headers, #prefix) }
                }
                HttpBinding::ResponseCode => {
                    uses.status = true;
                    quote! { Ok::<_, crate::error::DeserializeError>(Some(i32::from(status))) }
                }
                HttpBinding::Payload => {
                    uses.body = true;
                    self.de_payload(field)?
                }
                HttpBinding::Body => {
                    uses.object = true;
                    let local = Self::member_local(field);
                    let init = self.de_field_value(s, field, quote! { #local })?;
                    inits.push(quote! { #name: #init, });
                    continue;
                }
                HttpBinding::Label { .. } | HttpBinding::Query(_) | HttpBinding::QueryParams => {
                    quote! { Ok::<_, crate::error::DeserializeError>(None) }
                }
            };
            let init = self.de_field(s, field, read)?;
            inits.push(quote! { #name: #init, });
        }
        Ok((uses, inits))
    }

    /// Reading a payload that is the body itself (a blob, a string or an enum; an empty body is
    /// an unset member), from `body: &[u8]`: the same for a client reading a response and a
    /// server reading a request. `None` for the other payload types.
    pub(super) fn de_raw_payload(&self, field: &Field) -> Option<TokenStream> {
        let not_utf8 = quote! { crate::error::DeserializeError::new("the payload is not UTF-8") };
        match &field.value.kind {
            ValueKind::Blob { .. } => Some(quote! {
                Ok::<_, crate::error::DeserializeError>(if body.is_empty() { None } else { Some(crate::primitives::Blob::new(body.to_vec())) })
            }),
            ValueKind::String { .. } => Some(quote! {
                if body.is_empty() {
                    Ok(None)
                } else {
                    String::from_utf8(body.to_vec()).map(Some).map_err(|_| #not_utf8)
                }
            }),
            ValueKind::Enum(p) => {
                let p = path(p);
                Some(quote! {
                    if body.is_empty() {
                        Ok(None)
                    } else {
                        std::str::from_utf8(body).map(|s| Some(#p::from(s))).map_err(|_| #not_utf8)
                    }
                })
            }
            _ => None,
        }
    }

    fn de_payload(&self, field: &Field) -> Result<TokenStream> {
        if let Some(read) = super::event_stream::de_payload(field) {
            return Ok(read);
        }
        if field.ty == RustType::ByteStream {
            // A stream is always there, possibly empty (a client reading a response at its
            // head gives the body to the output afterwards).
            return Ok(quote! {
                Ok::<_, crate::error::DeserializeError>(Some(crate::byte_stream::ByteStream::new(body.to_vec())))
            });
        }
        let protocol = quote! { crate::primitives::protocol };
        if let Some(read) = self.de_raw_payload(field) {
            return Ok(read);
        }
        Ok(match &field.value.kind {
            ValueKind::Structure(_) | ValueKind::Union { .. } | ValueKind::Document => {
                let read = self.de_fn(&field.value, Self::is_boxed(field));
                quote! {
                    if body.iter().all(u8::is_ascii_whitespace) {
                        Ok(None)
                    } else {
                        #protocol::read_body(body, #read).map(Some)
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

    /// `de_response`: the output, or the operation's error.
    pub fn de_response(&self, op: &Operation) -> Result<TokenStream> {
        let output = &op.output;
        let ty = path(&output.path);
        let error_ty = path(&crate::ir::TypePath {
            module: output.path.module.clone(),
            name: op.error_name.clone(),
        });
        let (uses, inits) = self.de_bound_fields(output)?;
        let meta = crate::emit::api::meta_init(output, crate::emit::api::MetaSource::Response);
        let headers = if uses.headers {
            quote! { let headers = response.headers(); }
        } else {
            quote! {}
        };
        let body = if uses.body || uses.object {
            quote! { let body = response.body().as_ref(); }
        } else {
            quote! {}
        };
        let object = if uses.object {
            let body_fields = output.fields.iter().filter(|f| f.http == HttpBinding::Body);
            let (decls, read) = self.pull_members(body_fields, quote! { r }, Self::member_local);
            quote! {
                #decls
                crate::primitives::protocol::read_body(body, |r| {
                    #read
                    Ok(())
                })?;
            }
        } else {
            quote! {}
        };
        let status_binding = if uses.status {
            quote! { status }
        } else {
            quote! { _status }
        };
        Ok(quote! {
            /// Reads the HTTP response of the operation.
            #[allow(clippy::result_large_err)] // errors are returned by value, as they are modeled
            pub(crate) fn de_response<B: AsRef<[u8]>>(
                response: &http::Response<B>,
            ) -> Result<#ty, crate::error::ResponseError<#error_ty>> {
                let #status_binding = response.status().as_u16();
                if !response.status().is_success() {
                    return Err(crate::error::ResponseError::Service(de_error(response)));
                }
                #headers
                #body
                #object
                Ok(#ty { #(#inits)* #meta })
            }
        })
    }

    /// `de_error`: the modeled error named by the response's code, else `Unhandled`
    /// (`primitives::protocol::read_error` decides which code, reading the body once in the
    /// common case).
    pub fn de_error(&self, op: &Operation) -> TokenStream {
        let error_ty = path(&crate::ir::TypePath {
            module: op.output.path.module.clone(),
            name: op.error_name.clone(),
        });
        let unhandled = ident(&op.unhandled);
        let arms = op.errors.iter().map(|e| {
            let variant = ident(&e.variant);
            let code = shape_name(&e.shape);
            let f = self.fn_name("de_error", &e.shape);
            quote! {
                #code => crate::protocol::json::#f(parts, headers).map(#error_ty::#variant),
            }
        });
        let modeled = if op.errors.is_empty() {
            quote! { |_, _| None }
        } else {
            quote! {
                |code, parts| {
                    Some(match code {
                        #(#arms)*
                        _ => return None,
                    })
                }
            }
        };
        quote! {
            /// Reads an error response of the operation.
            pub(crate) fn de_error<B: AsRef<[u8]>>(response: &http::Response<B>) -> #error_ty {
                let headers = response.headers();
                crate::primitives::protocol::read_error(
                    response.status().as_u16(),
                    headers,
                    response.body().as_ref(),
                    #modeled,
                    #error_ty::#unhandled,
                )
            }
        }
    }

    /// `de_error_<e>`: an error structure from the error response's parts and headers, its body
    /// members read in the same pass that notes the error's code and message. The message member
    /// falls back to `message`/`Message`/`errorMessage` whatever its name.
    pub fn de_error_structure(&self, s: &Structure) -> Result<TokenStream> {
        let f = self.fn_name("de_error", &s.shape);
        let ty = path(&s.path);
        let (uses, mut inits) = self.de_bound_fields(s)?;
        // The message member read from the body: the metadata's message when it comes from the
        // same key, and the body's message when the member is absent.
        let message = s
            .error
            .as_ref()
            .and_then(|e| e.message_field.as_ref())
            .and_then(|message| s.fields.iter().position(|f| &f.ident == message))
            .filter(|&pos| {
                let field = &s.fields[pos];
                field.optional
                    && field.http == HttpBinding::Body
                    && matches!(field.value.kind, ValueKind::String { .. })
            })
            .map(|pos| (pos, Self::member_local(&s.fields[pos])));
        if let Some((pos, local)) = &message {
            let name = ident(&s.fields[*pos].ident);
            inits[*pos] = quote! {
                #name: #local.or_else(|| parts.message()),
            };
        }
        let meta = crate::emit::api::meta_init(
            s,
            crate::emit::api::MetaSource::ErrorParts(
                message.as_ref().map(|(pos, local)| (s.fields[*pos].json_name.as_str(), local)),
            ),
        );
        let headers_binding = if uses.headers {
            quote! { headers }
        } else {
            quote! { _headers }
        };
        let status = if uses.status {
            quote! { let status = parts.status; }
        } else {
            quote! {}
        };
        let body = if uses.body {
            quote! { let body: &[u8] = &[]; }
        } else {
            quote! {}
        };
        // The body is always read: its code and message are noted for the error's metadata
        // (`parts.meta()`) whether or not the structure has body members.
        let body_fields = s.fields.iter().filter(|f| f.http == HttpBinding::Body);
        let member = |key: TokenStream| quote! { parts.note(#key, r)?; };
        let other = |number: TokenStream| quote! { parts.note_and_skip(#number, r)? };
        let note = super::json::Noting { keys: ERROR_TEXT_KEYS, member: &member, other: &other };
        let (decls, read) =
            self.pull_members_noting(body_fields, quote! { r }, Self::member_local, Some(note));
        Ok(quote! {
            pub(crate) fn #f(
                parts: &mut crate::primitives::protocol::ErrorParts<'_>,
                #headers_binding: &http::HeaderMap,
            ) -> Result<#ty, crate::error::DeserializeError> {
                #decls
                let r = &mut parts.reader();
                #read
                parts.finish(r)?;
                #status
                #body
                Ok(#ty { #meta #(#inits)* })
            }
        })
    }
}

/// The keys of an error body whose texts say what the error is (its code and message), which
/// a modeled error's reader notes for `ErrorParts` as it reads its members: the runtime's
/// `TEXT_KEYS` (`primitives/protocol.rs`), in its order (`ErrorParts::note_and_skip` takes a
/// key's number in it).
pub const ERROR_TEXT_KEYS: &[&str] = &["code", "__type", "message", "Message", "errorMessage"];

/// Whether an operation of the service has `@requestCompression` with `gzip`.
pub fn uses_gzip(service: &crate::ir::Service) -> bool {
    service.operations.iter().any(gzip)
}

/// Whether `op` has `@requestCompression` listing `gzip`.
pub fn gzip(op: &Operation) -> bool {
    op.request_compression.iter().any(|e| e == "gzip")
}

#[cfg(test)]
mod tests {
    /// The keys a modeled error's reader notes are the runtime's `TEXT_KEYS`, in its order: a
    /// key missing here would go unnoted when it is not a member, and `note_and_skip` takes a
    /// key's number in that list.
    #[test]
    fn error_text_keys_are_the_ones_the_runtime_notes() {
        let source = include_str!("../../../runtime/src/primitives/protocol.rs");
        let list = source.split("const TEXT_KEYS: [&str; 5] = [").nth(1).expect("TEXT_KEYS");
        let list = list.split(']').next().expect("the end of TEXT_KEYS");
        let keys: Vec<&str> = list.split(',').map(|key| key.trim().trim_matches('"')).collect();
        assert_eq!(keys, super::ERROR_TEXT_KEYS);
    }
}
