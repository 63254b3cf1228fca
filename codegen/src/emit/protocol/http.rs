//! restJson1 HTTP bindings of one operation: the request writer, the response reader and the
//! error reader (the Smithy HTTP binding traits and the restJson1 protocol rules).

use proc_macro2::TokenStream;
use quote::quote;

use super::json::format_tokens;
use super::Protocol;
use crate::emit::tokens::{ident, path};
use crate::error::{Error, Result};
use crate::ir::{Field, Operation, Structure};
use crate::load::ShapeKind;

/// Where a member goes in the HTTP message.
#[derive(Debug, Clone, PartialEq)]
pub enum Binding {
    Label,
    Query(String),
    QueryParams,
    Header(String),
    PrefixHeaders(String),
    Payload,
    ResponseCode,
    /// A member of the JSON body, under this key.
    Body(String),
}

/// The binding of a member, from its traits.
pub fn binding(field: &Field) -> Binding {
    let t = &field.traits;
    let text = |name: &str| t.get(name).and_then(|v| v.as_str()).unwrap_or_default().to_string();
    if t.has("httpLabel") {
        Binding::Label
    } else if t.has("httpQuery") {
        Binding::Query(text("httpQuery"))
    } else if t.has("httpQueryParams") {
        Binding::QueryParams
    } else if t.has("httpHeader") {
        Binding::Header(text("httpHeader"))
    } else if t.has("httpPrefixHeaders") {
        Binding::PrefixHeaders(text("httpPrefixHeaders"))
    } else if t.has("httpPayload") {
        Binding::Payload
    } else if t.has("httpResponseCode") {
        Binding::ResponseCode
    } else {
        Binding::Body(Protocol::json_name(&field.member, t))
    }
}

/// Which parts of a response the generated reader touches (so it binds nothing unused).
#[derive(Debug, Default, Clone, Copy)]
pub struct Uses {
    pub headers: bool,
    pub status: bool,
    pub body: bool,
    pub object: bool,
}

/// A piece of the `@http` URI pattern.
enum Segment {
    Literal(String),
    Label { member: String, greedy: bool },
}

struct UriPattern {
    segments: Vec<Segment>,
    query: Vec<(String, Option<String>)>,
}

fn parse_uri(op: &str, uri: &str) -> Result<UriPattern> {
    let (path, query) = uri.split_once('?').unwrap_or((uri, ""));
    let mut segments = Vec::new();
    for segment in path.split('/').skip(1) {
        if let Some(label) = segment.strip_prefix('{').and_then(|s| s.strip_suffix('}')) {
            let (member, greedy) = match label.strip_suffix('+') {
                Some(m) => (m, true),
                None => (label, false),
            };
            segments.push(Segment::Label { member: member.to_string(), greedy });
        } else if segment.contains('{') {
            return Err(Error::unsupported(
                op,
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
    Ok(UriPattern { segments, query })
}

impl Protocol<'_> {
    /// The text of a scalar value for a label, query or header; `value` is a `&T` expression.
    /// Returns an expression of type `Result<String, RequestError>` when `fallible`, else `String`.
    fn text_of(
        &self,
        field_traits: &crate::load::Traits,
        target: &str,
        value: TokenStream,
        default_ts: &str,
    ) -> (TokenStream, bool) {
        let shape = &self.model.shapes[target];
        let wire = quote! { crate::primitives::wire };
        match &shape.kind {
            ShapeKind::String if shape.traits.has("mediaType") && default_ts == "http-date" => {
                (quote! { #wire::base64_encode(#value.as_bytes()) }, false)
            }
            ShapeKind::String => (quote! { #value.to_string() }, false),
            ShapeKind::Enum { .. } => (quote! { #value.as_str().to_string() }, false),
            ShapeKind::IntEnum { .. } => (quote! { #value.as_i32().to_string() }, false),
            ShapeKind::Boolean
            | ShapeKind::Byte
            | ShapeKind::Short
            | ShapeKind::Integer
            | ShapeKind::Long => (quote! { #value.to_string() }, false),
            ShapeKind::Float => (quote! { #wire::f32_text(*#value) }, false),
            ShapeKind::Double => (quote! { #wire::f64_text(*#value) }, false),
            ShapeKind::BigInteger | ShapeKind::BigDecimal => {
                (quote! { #value.as_str().to_string() }, false)
            }
            ShapeKind::Blob => (quote! { #wire::base64_encode(#value.as_ref()) }, false),
            ShapeKind::Timestamp => {
                let format =
                    format_tokens(&self.timestamp_format(field_traits, target, default_ts));
                (quote! { #wire::timestamp_text(#value, #format) }, true)
            }
            _ => (quote! { String::new() }, false),
        }
    }

    /// Parses a header (or other text) `s: &str` into the member's type: `Result<T, DeserializeError>`.
    fn parse_text(
        &self,
        field_traits: &crate::load::Traits,
        target: &str,
        s: TokenStream,
    ) -> TokenStream {
        let shape = &self.model.shapes[target];
        let wire = quote! { crate::primitives::wire };
        match &shape.kind {
            ShapeKind::String if shape.traits.has("mediaType") => {
                quote! { #wire::parse_media_type_string(#s) }
            }
            ShapeKind::String => quote! { Ok::<_, crate::error::DeserializeError>(#s.to_string()) },
            ShapeKind::Enum { .. } => {
                let p = path(&self.paths[target]);
                quote! { Ok::<_, crate::error::DeserializeError>(#p::from(#s.trim())) }
            }
            ShapeKind::IntEnum { .. } => {
                let p = path(&self.paths[target]);
                quote! { #wire::parse_int::<i32>(#s).map(#p::from) }
            }
            ShapeKind::Boolean => quote! { #wire::parse_bool(#s) },
            ShapeKind::Byte => quote! { #wire::parse_int::<i8>(#s) },
            ShapeKind::Short => quote! { #wire::parse_int::<i16>(#s) },
            ShapeKind::Integer => quote! { #wire::parse_int::<i32>(#s) },
            ShapeKind::Long => quote! { #wire::parse_int::<i64>(#s) },
            ShapeKind::Float => quote! { #wire::parse_f32(#s) },
            ShapeKind::Double => quote! { #wire::parse_f64(#s) },
            ShapeKind::BigInteger => quote! {
                crate::primitives::BigInteger::new(#s.trim()).map_err(|e| crate::error::DeserializeError::new(e.to_string()))
            },
            ShapeKind::BigDecimal => quote! {
                crate::primitives::BigDecimal::new(#s.trim()).map_err(|e| crate::error::DeserializeError::new(e.to_string()))
            },
            ShapeKind::Blob => quote! { #wire::parse_blob(#s) },
            ShapeKind::Timestamp => {
                let format =
                    format_tokens(&self.timestamp_format(field_traits, target, "http-date"));
                quote! { #wire::parse_timestamp(#s, #format) }
            }
            ShapeKind::List { member, .. } => {
                let http_dates =
                    matches!(self.model.shapes[&member.target].kind, ShapeKind::Timestamp)
                        && self.timestamp_format(&member.traits, &member.target, "http-date")
                            == "http-date";
                let item = self.parse_fn(&member.traits, &member.target);
                quote! {
                    #wire::header_list_items(#s, #http_dates).iter().map(|s| s.as_str()).map(#item).collect::<Result<Vec<_>, _>>()
                }
            }
            _ => quote! { Err(crate::error::DeserializeError::new("unsupported header type")) },
        }
    }

    /// A callable parsing a header's `&str` into `Result<T, DeserializeError>`: the parser
    /// function itself when there is one, else a closure.
    fn parse_fn(&self, field_traits: &crate::load::Traits, target: &str) -> TokenStream {
        let shape = &self.model.shapes[target];
        let wire = quote! { crate::primitives::wire };
        match &shape.kind {
            ShapeKind::String if shape.traits.has("mediaType") => {
                quote! { #wire::parse_media_type_string }
            }
            ShapeKind::Boolean => quote! { #wire::parse_bool },
            ShapeKind::Byte => quote! { #wire::parse_int::<i8> },
            ShapeKind::Short => quote! { #wire::parse_int::<i16> },
            ShapeKind::Integer => quote! { #wire::parse_int::<i32> },
            ShapeKind::Long => quote! { #wire::parse_int::<i64> },
            ShapeKind::Float => quote! { #wire::parse_f32 },
            ShapeKind::Double => quote! { #wire::parse_f64 },
            ShapeKind::Blob => quote! { #wire::parse_blob },
            _ => {
                let parse = self.parse_text(field_traits, target, quote! { s });
                quote! { |s| #parse }
            }
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
    pub fn ser_request(&self, op: &Operation, http: &serde_json::Value) -> Result<TokenStream> {
        let input = &op.input;
        let input_ty = path(&input.path);
        let method = http.get("method").and_then(|v| v.as_str()).unwrap_or("POST").to_string();
        let uri = http.get("uri").and_then(|v| v.as_str()).unwrap_or("/");
        let pattern = parse_uri(&op.id, uri)?;
        let owner = quote! { input };
        let wire = quote! { crate::primitives::wire };

        // Idempotency tokens are filled before anything is read from the input.
        let token_fields: Vec<&Field> = input
            .fields
            .iter()
            .filter(|f| f.optional && f.traits.has("idempotencyToken"))
            .collect();
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
                Segment::Literal(text) => {
                    let text = format!("/{text}");
                    path_code.push(quote! { uri.push_str(#text); });
                }
                Segment::Label { member, greedy } => {
                    let field =
                        input.fields.iter().find(|f| &f.member == member).ok_or_else(|| {
                            Error::model(
                                &op.id,
                                format!("the URI label `{member}` has no input member"),
                            )
                        })?;
                    let access = Self::field_ref(field, &owner);
                    let (text, fallible) =
                        self.text_of(&field.traits, &field.target, quote! { v }, "date-time");
                    let value = if fallible {
                        quote! { #access.map(|v| #text).transpose()? }
                    } else {
                        quote! { #access.map(|v| #text) }
                    };
                    let member_name = &field.member;
                    path_code.push(quote! {
                        uri.push('/');
                        uri.push_str(&#wire::label(#value, #member_name, #greedy)?);
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
            match binding(field) {
                Binding::Label | Binding::ResponseCode => {}
                Binding::Query(key) => {
                    let target = &self.model.shapes[&field.target];
                    let push = if let ShapeKind::List { member, .. } = &target.kind {
                        let (text, fallible) = self.text_of(
                            &member.traits,
                            &member.target,
                            quote! { item },
                            "date-time",
                        );
                        let text = if fallible {
                            quote! { #text? }
                        } else {
                            text
                        };
                        if target.traits.has("sparse") {
                            quote! { for item in v.iter().flatten() { query.push(#key, #text); } }
                        } else {
                            quote! { for item in v { query.push(#key, #text); } }
                        }
                    } else {
                        let (text, fallible) =
                            self.text_of(&field.traits, &field.target, quote! { v }, "date-time");
                        let text = if fallible {
                            quote! { #text? }
                        } else {
                            text
                        };
                        quote! { query.push(#key, #text); }
                    };
                    let missing = if field.traits.has("required") {
                        let member = &field.member;
                        quote! { else { return Err(crate::error::RequestError::missing_query(#member)); } }
                    } else {
                        quote! {}
                    };
                    query_code.push(quote! { if let Some(v) = #access { #push } #missing });
                }
                Binding::QueryParams => {
                    let target = &self.model.shapes[&field.target];
                    let ShapeKind::Map { value, .. } = &target.kind else {
                        return Err(Error::model(
                            format!("{}${}", input.shape, field.member),
                            "@httpQueryParams must target a map",
                        ));
                    };
                    let push = match &self.model.shapes[&value.target].kind {
                        ShapeKind::List { .. } => {
                            quote! { for item in values { query.push(key, item.to_string()); } }
                        }
                        _ => quote! { query.push(key, values.to_string()); },
                    };
                    let values = if target.traits.has("sparse") {
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
                Binding::Header(name) => {
                    let target = &self.model.shapes[&field.target];
                    let value = if let ShapeKind::List { member, .. } = &target.kind {
                        let (text, fallible) = self.text_of(
                            &member.traits,
                            &member.target,
                            quote! { item },
                            "http-date",
                        );
                        let text = if fallible {
                            quote! { #text? }
                        } else {
                            text
                        };
                        let quote_items = matches!(
                            self.model.shapes[&member.target].kind,
                            ShapeKind::String | ShapeKind::Enum { .. }
                        );
                        // An empty list is sent as an empty header (the protocol tests' rule).
                        quote! {
                            let mut items = Vec::new();
                            for item in v.iter() {
                                items.push(#text);
                            }
                            builder = builder.header(#name, #wire::header_list(items, #quote_items));
                        }
                    } else {
                        let (text, fallible) =
                            self.text_of(&field.traits, &field.target, quote! { v }, "http-date");
                        let text = if fallible {
                            quote! { #text? }
                        } else {
                            text
                        };
                        quote! { builder = builder.header(#name, #text); }
                    };
                    headers_code.push(quote! { if let Some(v) = #access { #value } });
                }
                Binding::PrefixHeaders(prefix) => {
                    // After the specific headers: a header a member sets wins over the map's.
                    prefix_headers_code.push(quote! {
                        if let Some(v) = #access {
                            for (key, value) in v {
                                let name = format!("{}{}", #prefix, key);
                                if !#wire::has_header(&builder, &name) {
                                    builder = builder.header(name, value.as_str());
                                }
                            }
                        }
                    });
                }
                Binding::Payload => payload = Some(field),
                Binding::Body(_) => body_fields.push(field),
            }
        }
        let explicit_keys: Vec<String> = input
            .fields
            .iter()
            .filter_map(|f| match binding(f) {
                Binding::Query(k) => Some(k),
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
                builder = crate::primitives::wire::default_content_type(builder, "application/json");
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
                let mut query = #wire::Query::default();
                #(#query_code)*
                #explicit
                #(#params_code)*
                uri.push_str(&query.finish());
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
        let checksum = if checksum_required(op) {
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
                let mut uri = String::from(endpoint.trim_end_matches('/'));
                #(#path_code)*
                #query_block
                let #builder_mut = http::Request::builder().method(#method).uri(uri);
                #(#headers_code)*
                #(#prefix_headers_code)*
                #body
                #compression
                #checksum
                #wire::finish_request(builder, body)
            }
        })
    }

    /// `@endpoint(hostPrefix: "{Label}.api.")`: the prefix, with `@hostLabel` members filled
    /// in, goes before the endpoint's host (`https://api.example.com`).
    fn host_prefix(&self, op: &Operation) -> Result<TokenStream> {
        let Some(prefix) =
            op.traits.get("endpoint").and_then(|e| e.get("hostPrefix")).and_then(|v| v.as_str())
        else {
            return Ok(quote! {});
        };
        let mut format = String::new();
        let mut checks = Vec::new();
        let mut args = Vec::new();
        let mut rest = prefix;
        while let Some(start) = rest.find('{') {
            format.push_str(&rest[..start].replace('{', "{{").replace('}', "}}"));
            let end = rest[start..]
                .find('}')
                .map(|e| start + e)
                .ok_or_else(|| Error::model(&op.id, "unclosed label in @endpoint hostPrefix"))?;
            let label = &rest[start + 1..end];
            let field = op.input.fields.iter().find(|f| f.member == label).ok_or_else(|| {
                Error::model(&op.id, format!("the hostPrefix label `{label}` has no input member"))
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
            rest = &rest[end + 1..];
        }
        format.push_str(&rest.replace('{', "{{").replace('}', "}}"));
        let prefix = if args.is_empty() {
            let literal = prefix.to_string();
            quote! { let prefix = #literal; }
        } else {
            quote! {
                #(#checks)*
                let prefix = &format!(#format, #(#args),*);
            }
        };
        Ok(quote! {
            #prefix
            let endpoint = crate::primitives::wire::with_host_prefix(endpoint, prefix);
            let endpoint = endpoint.as_str();
        })
    }

    /// The body of a request whose member is `@httpPayload`.
    fn ser_payload(&self, input: &Structure, field: &Field) -> Result<TokenStream> {
        if let Some(write) = super::event_stream::ser_payload(field) {
            return Ok(write);
        }
        let name = ident(&field.ident);
        let target = &self.model.shapes[&field.target];
        let access = if field.optional {
            quote! { input.#name.as_ref() }
        } else {
            quote! { Some(&input.#name) }
        };
        let media_type =
            target.traits.get("mediaType").and_then(|v| v.as_str()).map(str::to_string);
        Ok(match &target.kind {
            ShapeKind::Blob => {
                let content_type = media_type.unwrap_or_else(|| "application/octet-stream".into());
                quote! {
                    let body = match #access {
                        Some(v) => {
                            builder = crate::primitives::wire::default_content_type(builder, #content_type);
                            v.as_ref().to_vec()
                        }
                        None => Vec::new(),
                    };
                }
            }
            ShapeKind::String | ShapeKind::Enum { .. } => {
                let content_type = media_type.unwrap_or_else(|| "text/plain".into());
                quote! {
                    let body = match #access {
                        Some(v) => {
                            builder = crate::primitives::wire::default_content_type(builder, #content_type);
                            v.as_str().as_bytes().to_vec()
                        }
                        None => Vec::new(),
                    };
                }
            }
            ShapeKind::Structure { .. } | ShapeKind::Document => {
                let write = self.ser_value(&field.target, &field.traits, quote! { v });
                let absent = if matches!(target.kind, ShapeKind::Structure { .. }) {
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
                    builder = crate::primitives::wire::default_content_type(builder, "application/json");
                    let body = writer.finish().into_bytes();
                }
            }
            ShapeKind::Union { .. } => {
                let write = self.ser_value(&field.target, &field.traits, quote! { v });
                quote! {
                    let body = match #access {
                        Some(v) => {
                            let mut writer = crate::primitives::json::JsonWriter::new();
                let w = &mut writer;
                            #write
                            builder = crate::primitives::wire::default_content_type(builder, "application/json");
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
    /// (`&[u8]`) and `object` (the body's JSON members): the struct literal's initializers, and
    /// which of those inputs they use.
    pub fn de_bound_fields(
        &self,
        s: &Structure,
        body_fields_from: TokenStream,
    ) -> Result<(Uses, Vec<TokenStream>)> {
        let wire = quote! { crate::primitives::wire };
        let mut uses = Uses::default();
        let mut inits = Vec::new();
        for field in &s.fields {
            let name = ident(&field.ident);
            let read = match binding(field) {
                Binding::Header(header) => {
                    uses.headers = true;
                    let parse = self.parse_fn(&field.traits, &field.target);
                    quote! { #wire::header_member(headers, #header, #parse) }
                }
                Binding::PrefixHeaders(prefix) => {
                    uses.headers = true;
                    quote! { #wire::prefix_headers(headers, #prefix) }
                }
                Binding::ResponseCode => {
                    uses.status = true;
                    quote! { Ok::<_, crate::error::DeserializeError>(Some(i32::from(status))) }
                }
                Binding::Payload => {
                    uses.body = true;
                    self.de_payload(field)?
                }
                Binding::Body(key) => {
                    uses.object = true;
                    let read = self.de_fn(&field.target, &field.traits, Self::is_boxed(field));
                    quote! { #wire::member(#body_fields_from, #key, #read) }
                }
                Binding::Label | Binding::Query(_) | Binding::QueryParams => {
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
        match &self.model.shapes[&field.target].kind {
            ShapeKind::Blob => Some(quote! {
                Ok::<_, crate::error::DeserializeError>(if body.is_empty() { None } else { Some(crate::primitives::Blob::new(body.to_vec())) })
            }),
            ShapeKind::String => Some(quote! {
                if body.is_empty() {
                    Ok(None)
                } else {
                    String::from_utf8(body.to_vec()).map(Some).map_err(|_| #not_utf8)
                }
            }),
            ShapeKind::Enum { .. } => {
                let p = path(&self.paths[&field.target]);
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
        let target = &self.model.shapes[&field.target];
        let wire = quote! { crate::primitives::wire };
        if let Some(read) = self.de_raw_payload(field) {
            return Ok(read);
        }
        Ok(match &target.kind {
            ShapeKind::Structure { .. } | ShapeKind::Union { .. } | ShapeKind::Document => {
                let read = Self::boxed(
                    field,
                    self.de_value(&field.target, &field.traits, quote! { &doc }),
                );
                quote! {
                    if body.iter().all(u8::is_ascii_whitespace) {
                        Ok(None)
                    } else {
                        #wire::body_document(body).and_then(|doc| #read).map(Some)
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

    /// `de_response`: the output, or the operation's error.
    pub fn de_response(&self, op: &Operation) -> Result<TokenStream> {
        let output = &op.output;
        let ty = path(&output.path);
        let error_ty = path(&crate::ir::TypePath {
            module: output.path.module.clone(),
            name: op.error_name.clone(),
        });
        let (uses, inits) = self.de_bound_fields(output, quote! { object })?;
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
            quote! {
                let doc = crate::primitives::wire::body_document(body)?;
                let object = crate::primitives::wire::object(&doc)?;
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
                Ok(#ty { #(#inits)* })
            }
        })
    }

    /// `de_error`: the modeled error named by the response's code, else `Unhandled`.
    pub fn de_error(&self, op: &Operation) -> TokenStream {
        let error_ty = path(&crate::ir::TypePath {
            module: op.output.path.module.clone(),
            name: op.error_name.clone(),
        });
        let error_path = error_ty.clone();
        let unhandled = ident(&op.unhandled);
        let arms = op.errors.iter().map(|e| {
            let variant = ident(&e.variant);
            let code = crate::load::shape_name(&e.shape);
            let f = self.fn_name("de_error", &e.shape);
            quote! {
                Some(#code) => match crate::protocol::json::#f(&parts, headers) {
                    Ok(error) => #error_ty::#variant(error),
                    Err(_) => #error_ty::#unhandled(parts.unhandled()),
                },
            }
        });
        let headers_binding = if op.errors.is_empty() {
            quote! { _headers }
        } else {
            quote! { headers }
        };
        let dispatch = if op.errors.is_empty() {
            quote! { #error_ty::#unhandled(parts.unhandled()) }
        } else {
            quote! {
                match parts.code.as_deref() {
                    #(#arms)*
                    _ => #error_ty::#unhandled(parts.unhandled()),
                }
            }
        };
        quote! {
            /// Reads an error response of the operation.
            pub(crate) fn de_error<B: AsRef<[u8]>>(response: &http::Response<B>) -> #error_path {
                let #headers_binding = response.headers();
                let parts = crate::primitives::wire::ErrorParts::read(response.status().as_u16(), response.headers(), response.body().as_ref());
                #dispatch
            }
        }
    }

    /// `de_error_<e>`: an error structure from the error response's parts and headers. The
    /// message member falls back to `message`/`Message`/`errorMessage` whatever its name.
    pub fn de_error_structure(&self, s: &Structure) -> Result<TokenStream> {
        let f = self.fn_name("de_error", &s.shape);
        let ty = path(&s.path);
        let (uses, mut inits) = self.de_bound_fields(s, quote! { &object })?;
        if let Some(message) = s.error.as_ref().and_then(|e| e.message_field.as_ref()) {
            if let Some(pos) = s.fields.iter().position(|f| &f.ident == message) {
                let field = &s.fields[pos];
                if field.optional
                    && matches!(binding(field), Binding::Body(_))
                    && matches!(self.model.shapes[&field.target].kind, ShapeKind::String)
                {
                    let name = ident(&field.ident);
                    let key = Protocol::json_name(&field.member, &field.traits);
                    inits[pos] = quote! {
                        #name: crate::primitives::wire::member(&object, #key, crate::primitives::wire::string)?.or_else(|| parts.message.clone()),
                    };
                }
            }
        }
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
        let object_binding =
            if uses.object || s.error.as_ref().is_some_and(|e| e.message_field.is_some()) {
                quote! { object }
            } else {
                quote! { _object }
            };
        Ok(quote! {
            pub(crate) fn #f(
                parts: &crate::primitives::wire::ErrorParts,
                #headers_binding: &http::HeaderMap,
            ) -> Result<#ty, crate::error::DeserializeError> {
                let #object_binding = parts.fields();
                #status
                #body
                Ok(#ty { #(#inits)* })
            }
        })
    }
}

/// Whether an operation of the service has `@requestCompression` with `gzip`.
pub fn uses_gzip(service: &crate::ir::Service) -> bool {
    service.operations.iter().any(gzip)
}

/// Whether `op` has `@requestCompression` listing `gzip`.
pub fn gzip(op: &Operation) -> bool {
    op.traits
        .get("requestCompression")
        .and_then(|t| t.get("encodings"))
        .and_then(serde_json::Value::as_array)
        .is_some_and(|e| e.iter().any(|v| v.as_str() == Some("gzip")))
}

/// Whether `op` has `@httpChecksumRequired` (a `Content-MD5` header).
pub fn checksum_required(op: &Operation) -> bool {
    op.traits.has("httpChecksumRequired")
}
