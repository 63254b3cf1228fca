//! `src/client/` (feature `client`): the async `Client`, one fluent builder per operation, and
//! paginators for `@paginated` operations.
//!
//! The generic machinery (configuration, credentials, SigV4 signing, retries, the transport and
//! sleep traits, the default hyper transport) is hand-written in `codegen/runtime/src/client/` and
//! copied beside these files by [`crate::emit::runtime::client_files`]. What is generated here is
//! what the model decides: the operations, the signing name (`aws.auth#sigv4`), how the endpoint
//! is resolved (`smithy.rules#endpointRuleSet`), which errors are `@retryable`, and the
//! `@paginated` members (the service's defaults merged with the operation's).

use proc_macro2::TokenStream;
use quote::quote;

use crate::emit::tokens::{doc_attrs, ident, path, rust_type};
use crate::error::{Error, Result};
use crate::ir::{Field, Operation, RustType, Service, Structure, TypePath, ValueKind};
use crate::resolve::symbols;

/// The generated files of `src/client/`, as (path, tokens).
pub fn files(service: &Service) -> Result<Vec<(String, TokenStream)>> {
    let has_rules = service.has_endpoint_rules();

    let mut paginators = Vec::new();
    for op in &service.operations {
        if let Some(p) = Pagination::of(op, service)? {
            paginators.push((op, p));
        }
    }
    symbols::ensure_unique(
        &service.id,
        "client methods",
        service
            .operations
            .iter()
            .flat_map(|op| {
                let (fluent, with) = symbols::client_methods(&op.module);
                [(op.name.as_str(), fluent), (op.name.as_str(), with)]
            })
            .collect::<Vec<_>>()
            .iter()
            .map(|(a, b)| (*a, b.as_str())),
    )?;

    let mut files =
        vec![("src/client/mod.rs".to_string(), mod_rs(service, has_rules, !paginators.is_empty()))];
    files.push(("src/client/builders.rs".to_string(), builders_rs(service, &paginators)?));
    if !paginators.is_empty() {
        files.push(("src/client/paginators.rs".to_string(), paginators_rs(&paginators)));
    }
    Ok(files)
}

fn op_path(op: &Operation, name: &str) -> TokenStream {
    path(&TypePath { module: op.input.path.module.clone(), name: name.to_string() })
}

fn mod_rs(service: &Service, has_rules: bool, has_paginators: bool) -> TokenStream {
    let title = crate::emit::tokens::markdown_text(&service.title);
    let module_doc = format!(
        "The async client for {title} (feature `client`).\n\n\
         [`Client`] has one method per operation returning a fluent builder (`send()` makes the call,\n\
         `customize()` changes the configuration for one call) and one taking a whole input\n\
         (`<operation>_with`). Requests are signed with SigV4, retried in AWS's standard or adaptive\n\
         mode within the configured timeouts, and sent through a [`Transport`]; with the `rustls`\n\
         feature the default transport is `HyperTransport` and the default sleep `TokioSleep`. With\n\
         the `aws-config` feature, `Client::new(&sdk_config)` takes the official SDK's shared\n\
         configuration (`aws_config::load_defaults(..)`); with `test-util`, [`mock`] answers calls\n\
         from rules instead of the network."
    );
    let module_doc_lines = module_doc
        .lines()
        .map(|l| if l.is_empty() { String::new() } else { format!(" {l}") })
        .collect::<Vec<_>>();
    // The crate's own constant (see `krate::lib_rs`): one signing name for client and server.
    let signing = match service.sigv4_signing_name {
        Some(_) => quote! { Some(crate::SIGV4_SIGNING_NAME) },
        None => quote! { None },
    };
    let env_name = symbols::env_service_name(&service.crate_name);
    let service_id = &service.sdk_id;
    let resolve = if has_rules {
        quote! {
            /// Resolves the endpoint through the model's endpoint rules.
            pub(crate) fn resolve_endpoint(config: &Config) -> Result<orchestrate::ResolvedEndpoint, String> {
                let built_ins = crate::endpoint::BuiltIns {
                    region: config.region.as_ref().map(|r| r.as_ref().to_string()),
                    use_fips: config.use_fips,
                    use_dual_stack: config.use_dual_stack,
                    endpoint: config.endpoint_url.clone(),
                };
                let params = crate::endpoint::Params::from_built_ins(&built_ins);
                let endpoint = crate::endpoint::resolve(&params).map_err(|e| e.to_string())?;
                Ok(orchestrate::ResolvedEndpoint::from_parts(endpoint.url, &endpoint.headers, &endpoint.properties))
            }
        }
    } else {
        quote! {
            /// The model has no endpoint rules: the endpoint URL must be configured.
            pub(crate) fn resolve_endpoint(config: &Config) -> Result<orchestrate::ResolvedEndpoint, String> {
                match &config.endpoint_url {
                    Some(url) => Ok(orchestrate::ResolvedEndpoint { url: url.clone(), headers: Vec::new(), signing_name: None, signing_region: None }),
                    None => Err("the service model has no endpoint rules: set `endpoint_url(..)` in the config".to_string()),
                }
            }
        }
    };
    let paginators = if has_paginators {
        quote! { pub mod paginators; }
    } else {
        quote! {}
    };
    let methods = service.operations.iter().map(|op| {
        let (fluent, with) = symbols::client_methods(&op.module);
        let (fluent, with) = (ident(&fluent), ident(&with));
        let (builder, _, _) = symbols::client_type_names(&op.name);
        let builder = ident(&builder);
        let input = path(&op.input.path);
        let output = path(&op.output.path);
        let error = op_path(op, &op.error_name);
        let docs = doc_attrs(op.docs.as_deref(), &format!("Calls the `{}` operation.", op.name));
        let with_doc = format!(
            " Calls `{}` with a whole input; see [`Client::{}`].",
            op.name,
            fluent.to_string().trim_start_matches("r#")
        );
        let with_doc = if op.module.starts_with("r#") {
            format!(" Calls `{}` with a whole input.", op.name)
        } else {
            with_doc
        };
        quote! {
            #docs
            ///
            /// Returns a fluent builder: set the input's members, then `send()`.
            pub fn #fluent(&self) -> builders::#builder {
                builders::#builder::new(self.handle.clone())
            }

            #[doc = #with_doc]
            pub fn #with(&self, input: #input) -> impl ::std::future::Future<Output = Result<#output, SdkError<#error>>> + Send + '_ {
                orchestrate::call(&self.handle, None, input)
            }
        }
    });
    let error_impls = service.operations.iter().map(|op| {
        let error = op_path(op, &op.error_name);
        let unhandled = ident(&op.unhandled);
        let mut retryable = Vec::new();
        let mut statuses = Vec::new();
        for e in &op.errors {
            let variant = ident(&e.variant);
            let info = service.structure(&e.shape).and_then(|s| s.error.as_ref());
            if let Some(throttling) = info.and_then(|i| i.retryable) {
                let kind = if throttling {
                    quote! { retry::RetryKind::Throttling }
                } else {
                    quote! { retry::RetryKind::Transient }
                };
                retryable.push(quote! { #error::#variant(_) => Some(#kind), });
            }
            let status = info
                .and_then(|i| i.http_status)
                .unwrap_or(if info.is_some_and(|i| i.fault == "server") { 500 } else { 400 });
            statuses.push(quote! { #error::#variant(_) => #status, });
        }
        let body = if retryable.is_empty() {
            quote! { None }
        } else {
            quote! {
                match self {
                    #(#retryable)*
                    _ => None,
                }
            }
        };
        quote! {
            impl self::error::CreateUnhandledError for #error {
                fn create_unhandled_error(unhandled: crate::error::Unhandled) -> Self {
                    #error::#unhandled(unhandled)
                }
            }

            impl orchestrate::OperationError for #error {
                fn error_code(&self) -> Option<&str> {
                    self.code()
                }
                fn modeled_retry(&self) -> Option<retry::RetryKind> {
                    #body
                }
                fn status(&self) -> u16 {
                    match self {
                        #(#statuses)*
                        #error::#unhandled(inner) => inner.status().unwrap_or(500),
                    }
                }
            }
        }
    });
    let client_doc = format!(" A client for {title}.");
    quote! {
        #(#![doc = #module_doc_lines])*

        mod config;
        mod credentials;
        pub mod customize;
        mod error;
        #[cfg(feature = "rustls")]
        mod hyper_transport;
        #[cfg(feature = "test-util")]
        pub mod mock;
        mod orchestrate;
        mod paginate;
        mod rate_limit;
        mod retry;
        #[cfg(feature = "aws-config")]
        mod sdk_config;
        mod sign;
        mod timeout;
        mod transport;
        pub mod builders;
        #paginators

        pub use self::config::{BehaviorVersion, Config, ConfigBuilder, ConfigError, Region};
        pub use self::credentials::{CachedCredentials, Credentials, CredentialsError, EnvironmentCredentials, ProvideCredentials, SharedCredentialsProvider};
        pub use self::error::{ConstructionError, CreateUnhandledError, ResponseError, SdkError, ServiceError, TimeoutError, TimeoutKind};
        #[cfg(feature = "rustls")]
        pub use self::hyper_transport::{HyperTransport, TokioSleep, DEFAULT_CONNECT_TIMEOUT};
        pub use self::paginate::PaginationStream;
        pub use self::retry::{RetryConfig, RetryConfigBuilder, RetryMode};
        pub use self::timeout::{TimeoutConfig, TimeoutConfigBuilder};
        pub use self::transport::{StreamingTransportFuture, Transport, TransportError, TransportErrorKind, TransportFuture, TransportSettings};
        pub use aws_smithy_async::rt::sleep::{AsyncSleep, SharedAsyncSleep, Sleep};
        pub use aws_smithy_async::time::{SharedTimeSource, StaticTimeSource, TimeSource};

        /// The SigV4 signing name (`aws.auth#sigv4`); `None`: requests are not signed.
        pub(crate) const SIGNING_NAME: Option<&str> = #signing;
        /// The service's part of `AWS_ENDPOINT_URL_<SERVICE>`.
        pub(crate) const SERVICE_ENV_NAME: &str = #env_name;
        /// The service id (the model's `sdkId`) service-specific settings are keyed by.
        #[cfg_attr(not(feature = "aws-config"), allow(dead_code))]
        pub(crate) const SERVICE_ID: &str = #service_id;
        /// The `User-Agent` of requests.
        pub(crate) const USER_AGENT: &str = concat!(env!("CARGO_PKG_NAME"), "/", env!("CARGO_PKG_VERSION"));

        #resolve

        #[doc = #client_doc]
        ///
        /// Cheap to clone: clones share the configuration, the retry quota and the adaptive
        /// rate limiter.
        #[derive(Clone)]
        pub struct Client {
            handle: ::std::sync::Arc<orchestrate::Handle>,
        }

        impl ::std::fmt::Debug for Client {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                f.debug_struct("Client").field("config", &self.handle.config).finish()
            }
        }

        impl Client {
            /// A client with this configuration: a [`Config`], or (feature `aws-config`) the
            /// official SDK's shared configuration, `&aws_types::SdkConfig`, as
            /// `aws_config::load_defaults(..)` loads it.
            pub fn new(config: impl Into<Config>) -> Self {
                Client::from_conf(config.into())
            }

            /// A client with this configuration.
            pub fn from_conf(config: Config) -> Self {
                Client { handle: ::std::sync::Arc::new(orchestrate::Handle::new(config)) }
            }

            /// The client's configuration.
            pub fn config(&self) -> &Config {
                &self.handle.config
            }

            #(#methods)*
        }

        #(#error_impls)*
    }
}

/// The fluent builder's name of a member's `set_` method.
fn fluent_setter_name(f: &Field) -> String {
    symbols::fluent_method(&f.setter).trim_start_matches("r#").to_string()
}

/// The fluent builder's setters and getter of each input member (the input builder's,
/// forwarded).
fn member_setters(op: &Operation) -> Vec<TokenStream> {
    op.input
        .fields
        .iter()
        .map(|f| {
            let method = ident(&symbols::fluent_method(&f.method));
            let setter = ident(&symbols::fluent_method(&f.setter));
            let getter = ident(&symbols::fluent_method(&f.getter));
            let inner_method = ident(&f.method);
            let inner_setter = ident(&f.setter);
            let inner_getter = ident(&f.getter);
            let (docs, getter_docs) = crate::emit::structure::builder_docs(f);
            let deprecated = if f.deprecated {
                quote! { #[deprecated] }
            } else {
                quote! {}
            };
            let ty = rust_type(&f.ty);
            let fluent = match &f.ty {
                RustType::List { element, sparse } => {
                    let element = rust_type(element);
                    let element = if *sparse { quote! { Option<#element> } } else { element };
                    let doc = format!(
                        " Appends one element to the `{}` list (see `{}` for the whole list).",
                        f.member,
                        fluent_setter_name(f)
                    );
                    quote! {
                        #docs
                        #[doc = ""]
                        #[doc = #doc]
                        #deprecated
                        pub fn #method(mut self, input: impl Into<#element>) -> Self {
                            self.inner = self.inner.#inner_method(input);
                            self
                        }
                    }
                }
                RustType::Map { key, value, sparse } => {
                    let key = rust_type(key);
                    let value = rust_type(value);
                    let value = if *sparse { quote! { Option<#value> } } else { value };
                    let doc = format!(
                        " Inserts one entry into the `{}` map (see `{}` for the whole map).",
                        f.member,
                        fluent_setter_name(f)
                    );
                    quote! {
                        #docs
                        #[doc = ""]
                        #[doc = #doc]
                        #deprecated
                        pub fn #method(mut self, key: impl Into<#key>, value: impl Into<#value>) -> Self {
                            self.inner = self.inner.#inner_method(key, value);
                            self
                        }
                    }
                }
                RustType::Boxed(inner) => {
                    let inner = rust_type(inner);
                    quote! {
                        #docs
                        #deprecated
                        pub fn #method(mut self, input: impl Into<#inner>) -> Self {
                            self.inner = self.inner.#inner_method(input);
                            self
                        }
                    }
                }
                _ => quote! {
                    #docs
                    #deprecated
                    pub fn #method(mut self, input: impl Into<#ty>) -> Self {
                        self.inner = self.inner.#inner_method(input);
                        self
                    }
                },
            };
            quote! {
                #fluent
                #docs
                #deprecated
                pub fn #setter(mut self, input: Option<#ty>) -> Self {
                    self.inner = self.inner.#inner_setter(input);
                    self
                }
                #getter_docs
                #deprecated
                pub fn #getter(&self) -> &Option<#ty> {
                    self.inner.#inner_getter()
                }
            }
        })
        .collect()
}

fn builders_rs(service: &Service, paginators: &[(&Operation, Pagination)]) -> Result<TokenStream> {
    let mut items = Vec::new();
    // Whether an input is readied before its attempts (`Call::prepare`, which names `Upload`).
    let mut any_prepare = false;
    for op in &service.operations {
        let (builder, paginator, _) = symbols::client_type_names(&op.name);
        let builder = ident(&builder);
        let input = path(&op.input.path);
        let input_builder = path(&TypePath {
            module: op.input.path.module.clone(),
            name: format!("{}Builder", op.input.path.name),
        });
        let output = path(&op.output.path);
        let error = op_path(op, &op.error_name);
        let op_ty = op_path(op, &op.name);
        let setters = member_setters(op);
        symbols::ensure_unique(
            &op.id,
            "fluent builder methods",
            op.input
                .fields
                .iter()
                .flat_map(|f| {
                    [
                        (f.member.as_str(), symbols::fluent_method(&f.method)),
                        (f.member.as_str(), symbols::fluent_method(&f.setter)),
                        (f.member.as_str(), symbols::fluent_method(&f.getter)),
                    ]
                })
                .collect::<Vec<_>>()
                .iter()
                .map(|(a, b)| (*a, b.as_str())),
        )?;
        // The input, or why it cannot be built (the call's error).
        let build = if op.input.has_required_without_default() {
            quote! { self.inner.build().map_err(|e| super::error::ConstructionError::new(e.to_string())) }
        } else {
            quote! { Ok(self.inner.build()) }
        };
        let fill = if op.input.fields.iter().any(|f| f.optional && f.idempotency_token) {
            quote! { self.fill_idempotency_tokens(&*handle.config.tokens); }
        } else {
            quote! {}
        };
        // The upload (the tail of `Call::prepare`): a streaming blob input read as it arrives is
        // taken out of the input and sent as the body (one in memory stays: the request writer
        // writes it).
        let upload = match &op.input_stream {
            Some(crate::ir::StreamMember {
                ident: field,
                binding: crate::ir::StreamBinding::Blob { requires_length, .. },
                ..
            }) => {
                let field_name = ident(field);
                let optional = op.input.fields.iter().any(|f| &f.ident == field && f.optional);
                let take = if optional {
                    quote! { self.#field_name.as_mut().and_then(crate::byte_stream::ByteStream::take_streaming) }
                } else {
                    quote! { crate::byte_stream::ByteStream::take_streaming(&mut self.#field_name) }
                };
                let unsigned = op.unsigned_payload;
                Some(quote! {
                    #take.map(|body| Upload::Blob { body, requires_length: #requires_length, unsigned_payload: #unsigned })
                })
            }
            // An input event stream is taken out of the input and sent as the body, each
            // event signed once the request is.
            Some(crate::ir::StreamMember {
                ident: field,
                binding: crate::ir::StreamBinding::Events(_),
                ..
            }) => {
                let field_name = ident(field);
                let member = op.input.fields.iter().find(|f| &f.ident == field);
                let union = match member.map(|f| &f.ty) {
                    Some(RustType::EventStream { events, .. }) => path(events),
                    _ => {
                        return Err(Error::model(&op.id, "an input event stream without its union"))
                    }
                };
                let take = if member.is_some_and(|f| f.optional) {
                    quote! { self.#field_name.take().unwrap_or_else(crate::event_stream::EventStream::empty) }
                } else {
                    quote! { ::std::mem::replace(&mut self.#field_name, crate::event_stream::EventStream::empty()) }
                };
                Some(quote! {
                    let events = #take;
                    Some(Upload::Events(Box::new(move |signing| {
                        events.into_request_body(#union::marshal, signing.map(event_signer))
                    })))
                })
            }
            None => None,
        };
        // What is done to the input once per call, before its attempts (none by default).
        let prepares = !fill.is_empty() || upload.is_some();
        any_prepare |= prepares;
        let prepare = prepares.then(|| {
            let handle = if fill.is_empty() {
                quote! { _handle }
            } else {
                quote! { handle }
            };
            let upload = upload.unwrap_or_else(|| quote! { None });
            quote! {
                fn prepare(&mut self, #handle: &Handle) -> Option<Upload> {
                    #fill
                    #upload
                }
            }
        });
        let doc = format!(
            " Builds and sends a `{}` call; made by the client's method of that name.",
            op.name
        );
        let send_doc = format!(
            " Sends the `{}` request (with retries) and reads the output or the typed error.",
            op.name
        );
        let into_paginator = if paginators.iter().any(|(p, _)| p.id == op.id) {
            let paginator = ident(&paginator);
            quote! {
                /// Pages through the results, from the page this builder's token names (the
                /// first page when it names none): `send()` gives the pages as a stream.
                /// An input that cannot be built is the first page's error.
                pub fn into_paginator(self) -> super::paginators::#paginator {
                    super::paginators::#paginator::new(self.handle, #build)
                }
            }
        } else {
            quote! {}
        };
        let read = op_ty.clone();
        let reader = match crate::emit::protocol::event_stream::attach_output_stream(op) {
            Some(attach) => quote! {
                Reader::streaming(#read::deserialize_response::<bytes::Bytes>, |output, body| { #attach })
            },
            None => quote! { Reader::whole(#read::deserialize_response::<bytes::Bytes>) },
        };
        // An input holding a stream is not `Clone`.
        let derive_clone = (!op.input.holds_stream()).then(|| quote! { #[derive(Clone)] });
        items.push(quote! {
            #[doc = #doc]
            #derive_clone
            pub struct #builder {
                handle: Arc<Handle>,
                inner: #input_builder,
            }

            impl ::std::fmt::Debug for #builder {
                fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                    f.debug_struct(stringify!(#builder)).field("input", &self.inner).finish()
                }
            }

            impl #builder {
                pub(crate) fn new(handle: Arc<Handle>) -> Self {
                    #builder { handle, inner: Default::default() }
                }

                /// The input built so far.
                pub fn as_input(&self) -> &#input_builder {
                    &self.inner
                }

                #[doc = #send_doc]
                pub fn send(self) -> impl ::std::future::Future<Output = Result<#output, SdkError<#error>>> + Send {
                    send(self.handle, None, #build)
                }

                /// The call with its configuration (retries, timeouts, endpoint...) or its
                /// HTTP request changed for this call only.
                pub fn customize(self) -> CustomizableOperation<Self> {
                    CustomizableOperation::new(self)
                }

                #into_paginator

                #(#setters)*
            }

            impl CustomizableSend for #builder {
                type Output = #output;
                type Error = #error;

                fn send_customized(self, customization: Customization) -> impl ::std::future::Future<Output = Result<#output, SdkError<#error>>> + Send {
                    send(self.handle, Some(customization), #build)
                }
            }

            #[cfg(feature = "test-util")]
            impl super::mock::MockOperation for #builder {
                type Input = #input;
                type Output = #output;
                type Error = #error;
            }

            impl Call for #input {
                type Output = #output;
                type Error = #error;
                const SERIALIZE: Serialize<Self> = #op_ty::serialize_request;

                fn reader() -> Reader<#output, #error> {
                    #reader
                }

                #prepare
            }
        });
    }
    let upload_use = any_prepare.then(|| quote! { use super::orchestrate::Upload; });
    let input_events = service.operations.iter().any(|op| {
        matches!(
            op.input_stream,
            Some(crate::ir::StreamMember { binding: crate::ir::StreamBinding::Events(_), .. })
        )
    });
    let event_signer = input_events.then(|| {
        quote! {
            /// The signer of an input event stream's messages, chained to its request's
            /// signature.
            fn event_signer(signing: super::orchestrate::EventSigning) -> crate::event_stream::BodySigner {
                let super::orchestrate::EventSigning { signature, credentials, region, signing_name, clock } = signing;
                (crate::event_stream::MessageSigner::new(credentials, region, signing_name, signature), clock)
            }
        }
    });
    Ok(quote! {
        //! The fluent builders the [`Client`](super::Client) methods return.

        use std::sync::Arc;

        use super::customize::{CustomizableOperation, CustomizableSend, Customization};
        use super::error::SdkError;
        use super::orchestrate::{send, Call, Handle, Reader, Serialize};
        #upload_use

        #event_signer

        #(#items)*
    })
}

/// The fields of an operation's `@paginated` members ([`crate::ir::Pagination`], decided and
/// checked in resolve).
pub struct Pagination {
    input_token: Field,
    /// The output token's path: each member's field.
    output_token: Vec<Field>,
    page_size: Option<Field>,
    items: Option<Vec<Field>>,
}

impl Pagination {
    fn of(op: &Operation, service: &Service) -> Result<Option<Pagination>> {
        let Some(p) = &op.pagination else { return Ok(None) };
        let input_token =
            fields_along(service, &op.input, std::slice::from_ref(&p.input_token), op)?;
        let page_size = match &p.page_size {
            Some(name) => fields_along(service, &op.input, std::slice::from_ref(name), op)?.pop(),
            None => None,
        };
        Ok(Some(Pagination {
            input_token: input_token.into_iter().next().ok_or_else(|| missing(op))?,
            output_token: fields_along(service, &op.output, &p.output_token, op)?,
            page_size,
            items: p
                .items
                .as_ref()
                .map(|names| fields_along(service, &op.output, names, op))
                .transpose()?,
        }))
    }
}

fn missing(op: &Operation) -> Error {
    Error::model(op.id.clone(), "@paginated names a member that does not exist")
}

/// The fields along a path of member names (checked by resolve) from `start`.
fn fields_along(
    service: &Service,
    start: &Structure,
    names: &[String],
    op: &Operation,
) -> Result<Vec<Field>> {
    let mut fields = Vec::new();
    let mut current = Some(start);
    for name in names {
        let structure = current.ok_or_else(|| missing(op))?;
        let field =
            structure.fields.iter().find(|f| &f.member == name).ok_or_else(|| missing(op))?;
        current = match &field.value.kind {
            ValueKind::Structure(_) => service.structure(&field.value.shape),
            _ => None,
        };
        fields.push(field.clone());
    }
    Ok(fields)
}

fn unwrap_box(ty: &RustType) -> &RustType {
    match ty {
        RustType::Boxed(inner) => inner,
        other => other,
    }
}

/// `Option<&T>` of the value at `path` in `root` (a reference expression).
fn borrow_path(root: TokenStream, path: &[Field]) -> TokenStream {
    let mut expr = quote! { Some(#root) };
    for f in path {
        let field = ident(&f.ident);
        expr = if f.optional {
            quote! { #expr.and_then(|v| v.#field.as_ref()) }
        } else {
            quote! { #expr.map(|v| &v.#field) }
        };
    }
    expr
}

/// `Option<T>` of the value at `path`, moved out of `root`.
fn move_path(root: TokenStream, path: &[Field]) -> TokenStream {
    let mut expr = quote! { Some(#root) };
    for f in path {
        let field = ident(&f.ident);
        expr = if f.optional {
            quote! { #expr.and_then(|v| v.#field) }
        } else {
            quote! { #expr.map(|v| v.#field) }
        };
    }
    expr
}

fn paginators_rs(paginators: &[(&Operation, Pagination)]) -> TokenStream {
    let items = paginators.iter().map(|(op, p)| {
        let (_, paginator, items_name) = symbols::client_type_names(&op.name);
        let paginator = ident(&paginator);
        let items_ty = ident(&items_name);
        let input = path(&op.input.path);
        let output = path(&op.output.path);
        let error = op_path(op, &op.error_name);
        let token_field = ident(&p.input_token.ident);
        let (sent_token, set_token) = if p.input_token.optional {
            (
                quote! { input.#token_field.as_ref() },
                quote! { input.#token_field = Some(token); },
            )
        } else {
            (quote! { Some(&input.#token_field) }, quote! { input.#token_field = token; })
        };
        let read_token = borrow_path(quote! { output }, &p.output_token);
        // A string token that is empty ends the pages too.
        let empty_arm = if matches!(unwrap_box(&p.input_token.ty), RustType::String) {
            quote! { Some(token) if token.is_empty() => None, }
        } else {
            quote! {}
        };
        let page_size = p.page_size.as_ref().map(|f| {
            let field = ident(&f.ident);
            let ty = rust_type(&f.ty);
            let doc = format!(" Sets the page size (the `{}` member).", f.member);
            let value = if f.optional { quote! { Some(size) } } else { quote! { size } };
            quote! {
                #[doc = #doc]
                pub fn page_size(mut self, size: #ty) -> Self {
                    if let Ok(input) = &mut self.input {
                        input.#field = #value;
                    }
                    self
                }
            }
        });
        let doc = format!(
            " Pages through `{}`: [`send`]({}::send) gives the pages as a stream, each call sending the previous page's `{}` (the first sends the builder's own, so a saved token resumes a listing); it ends when the service sends no token, an empty one, or the one it was given.",
            op.name, paginator, p.input_token.member
        );
        let items_part = p.items.as_ref().map(|path_fields| {
            let last = path_fields.last().map(|f| unwrap_box(&f.ty).clone());
            let (item_ty, collect) = match last {
                Some(RustType::List { element, sparse }) => {
                    let element = rust_type(&element);
                    let ty = if sparse { quote! { Option<#element> } } else { quote! { #element } };
                    (ty, quote! { .map(|items| items.into_iter().collect::<::std::collections::VecDeque<_>>()) })
                }
                Some(RustType::Map { key, value, sparse }) => {
                    let key = rust_type(&key);
                    let value = rust_type(&value);
                    let value = if sparse { quote! { Option<#value> } } else { quote! { #value } };
                    (quote! { (#key, #value) }, quote! { .map(|items| items.into_iter().collect::<::std::collections::VecDeque<_>>()) })
                }
                _ => (quote! { () }, quote! {}),
            };
            let take = move_path(quote! { output }, path_fields);
            let items_member = path_fields.iter().map(|f| f.member.as_str()).collect::<Vec<_>>().join(".");
            let items_doc = format!(" The items (`{items_member}`) of every page of `{}`: [`send`]({items_name}::send) gives them as a stream.", op.name);
            let items_fn_doc = format!(" The items (`{items_member}`) of every page.");
            (
                quote! {
                    #[doc = #items_fn_doc]
                    pub fn items(self) -> #items_ty {
                        #items_ty { pages: self }
                    }
                },
                quote! {
                    #[doc = #items_doc]
                    #[derive(Debug)]
                    pub struct #items_ty {
                        pages: #paginator,
                    }

                    impl #items_ty {
                        /// The items, one at a time; the stream ends after the last page, or
                        /// after an error.
                        pub fn send(self) -> PaginationStream<Result<#item_ty, SdkError<#error>>> {
                            let pages = self.pages.send();
                            let buffer = ::std::collections::VecDeque::new();
                            PaginationStream::new(unfold((pages, buffer), |(mut pages, mut buffer)| async move {
                                loop {
                                    if let Some(item) = buffer.pop_front() {
                                        return Some((Ok(item), (pages, buffer)));
                                    }
                                    match pages.next().await? {
                                        Ok(output) => buffer = #take #collect.unwrap_or_default(),
                                        Err(e) => return Some((Err(e), (pages, buffer))),
                                    }
                                }
                            }))
                        }
                    }
                },
            )
        });
        let (items_fn, items_struct) = items_part.unzip();
        quote! {
            #[doc = #doc]
            pub struct #paginator {
                handle: Arc<Handle>,
                input: Result<#input, ConstructionError>,
                stop_on_duplicate_token: bool,
            }

            impl ::std::fmt::Debug for #paginator {
                fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                    f.debug_struct(stringify!(#paginator)).field("input", &self.input).finish()
                }
            }

            impl #paginator {
                pub(crate) fn new(handle: Arc<Handle>, input: Result<#input, ConstructionError>) -> Self {
                    #paginator { handle, input, stop_on_duplicate_token: true }
                }

                #page_size

                /// Whether the pages end when the service sends back the token it was given
                /// (default: yes; otherwise such a service would be asked forever).
                pub fn stop_on_duplicate_token(mut self, stop: bool) -> Self {
                    self.stop_on_duplicate_token = stop;
                    self
                }

                /// The pages, one call each; the stream ends after the last page, or after an
                /// error.
                pub fn send(self) -> PaginationStream<Result<#output, SdkError<#error>>> {
                    let state = Some((self.handle, self.input, self.stop_on_duplicate_token));
                    PaginationStream::new(unfold(state, |state| async move {
                        let (handle, input, stop_on_duplicate_token) = state?;
                        let mut input = match input {
                            Ok(input) => input,
                            Err(e) => return Some((Err(SdkError::ConstructionFailure(e)), None)),
                        };
                        let result = call(&handle, None, ::std::clone::Clone::clone(&input)).await;
                        let next = match &result {
                            Ok(output) => match #read_token {
                                #empty_arm
                                Some(token) if stop_on_duplicate_token && #sent_token == Some(token) => None,
                                Some(token) => Some(token.clone()),
                                None => None,
                            },
                            Err(_) => None,
                        };
                        let state = next.map(|token| {
                            #set_token
                            (handle, Ok(input), stop_on_duplicate_token)
                        });
                        Some((result, state))
                    }))
                }

                #items_fn
            }

            #items_struct
        }
    });
    quote! {
        //! Paginators for the `@paginated` operations: the pages (`into_paginator().send()`) and
        //! the items (`into_paginator().items().send()`) as [`PaginationStream`]s.

        use std::sync::Arc;

        use super::orchestrate::call;
        use super::error::{ConstructionError, SdkError};
        use super::orchestrate::Handle;
        use super::paginate::{unfold, PaginationStream};

        #(#items)*
    }
}
