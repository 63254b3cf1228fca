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
use serde_json::Value;

use crate::emit::tokens::{doc_attrs, ident, path, rust_type};
use crate::error::{Error, Result};
use crate::ir::{Operation, RustType, Service, Structure, TypeDef, TypePath};
use crate::load::Model;
use crate::resolve::symbols;

/// The generated files of `src/client/`, as (path, tokens).
pub fn files(model: &Model, service: &Service) -> Result<Vec<(String, TokenStream)>> {
    let service_traits = model.shape(&service.id).map(|s| s.traits.clone()).unwrap_or_default();
    let has_rules = service.has_endpoint_rules();
    let service_paginated = service_traits.get("paginated").cloned();

    let mut paginators = Vec::new();
    for op in &service.operations {
        if let Some(p) = Pagination::of(op, service_paginated.as_ref(), service)? {
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
         [`Client`] has one method per operation returning a fluent builder (`send()` makes the call)\n\
         and one taking a whole input (`<operation>_with`). Requests are signed with SigV4, retried in\n\
         AWS's standard mode, and sent through a [`Transport`]; with the `rustls` feature the default\n\
         transport is `HyperTransport` and the default sleep `TokioSleep`."
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
    let resolve = if has_rules {
        quote! {
            /// Resolves the endpoint through the model's endpoint rules.
            pub(crate) fn resolve_endpoint(config: &Config) -> Result<orchestrate::ResolvedEndpoint, String> {
                let built_ins = crate::endpoint::BuiltIns {
                    region: Some(config.region.clone()),
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
            #[allow(clippy::result_large_err)]
            pub async fn #with(&self, input: #input) -> Result<#output, SdkError<#error>> {
                builders::call(&self.handle, input).await
            }
        }
    });
    let error_impls = service.operations.iter().map(|op| {
        let error = op_path(op, &op.error_name);
        let retryable: Vec<_> = op
            .errors
            .iter()
            .filter_map(|e| {
                let shape = service.errors.iter().find(|s| s.shape == e.shape)?;
                let retryable = shape.traits.get("retryable")?;
                let throttling =
                    retryable.get("throttling").and_then(Value::as_bool).unwrap_or(false);
                let variant = ident(&e.variant);
                let kind = if throttling {
                    quote! { retry::RetryKind::Throttling }
                } else {
                    quote! { retry::RetryKind::Transient }
                };
                Some(quote! { #error::#variant(_) => Some(#kind), })
            })
            .collect();
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
            impl orchestrate::OperationError for #error {
                fn error_code(&self) -> Option<&str> {
                    self.code()
                }
                fn modeled_retry(&self) -> Option<retry::RetryKind> {
                    #body
                }
            }
        }
    });
    let client_doc = format!(" A client for {title}.");
    quote! {
        #(#![doc = #module_doc_lines])*

        mod config;
        mod credentials;
        mod error;
        #[cfg(feature = "rustls")]
        mod hyper_transport;
        mod orchestrate;
        mod retry;
        mod sign;
        mod transport;
        pub mod builders;
        #paginators

        pub use self::config::{Config, ConfigBuilder, ConfigError};
        pub use self::credentials::{Credentials, CredentialsError, CredentialsFuture, EnvironmentCredentials, ProvideCredentials};
        pub use self::error::{ConstructionError, ResponseError, SdkError, ServiceError};
        #[cfg(feature = "rustls")]
        pub use self::hyper_transport::{HyperTransport, TokioSleep, DEFAULT_CONNECT_TIMEOUT};
        pub use self::retry::RetryConfig;
        pub use self::transport::{Sleep, Transport, TransportError, TransportErrorKind, TransportFuture};

        /// The SigV4 signing name (`aws.auth#sigv4`); `None`: requests are not signed.
        pub(crate) const SIGNING_NAME: Option<&str> = #signing;
        /// The service's part of `AWS_ENDPOINT_URL_<SERVICE>`.
        pub(crate) const SERVICE_ENV_NAME: &str = #env_name;
        /// The `User-Agent` of requests.
        pub(crate) const USER_AGENT: &str = concat!(env!("CARGO_PKG_NAME"), "/", env!("CARGO_PKG_VERSION"));

        #resolve

        #[doc = #client_doc]
        ///
        /// Cheap to clone: clones share the configuration and the retry quota.
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
            /// A client with this configuration.
            pub fn new(config: Config) -> Self {
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

/// The fluent-builder name and signature of an input member's setters.
fn member_setters(op: &Operation) -> Vec<TokenStream> {
    op.input
        .fields
        .iter()
        .map(|f| {
            let method = ident(&symbols::fluent_method(&f.method));
            let setter = ident(&symbols::fluent_method(&f.setter));
            let inner_method = ident(&f.method);
            let inner_setter = ident(&f.setter);
            let docs = doc_attrs(f.docs.as_deref(), &format!("Sets the `{}` member.", f.member));
            let deprecated = if f.deprecated {
                quote! { #[deprecated] }
            } else {
                quote! {}
            };
            let ty = rust_type(&f.ty);
            let arg = match &f.ty {
                RustType::Boxed(inner) => {
                    let inner = rust_type(inner);
                    quote! { impl Into<#inner> }
                }
                _ => quote! { impl Into<#ty> },
            };
            quote! {
                #docs
                #deprecated
                pub fn #method(mut self, input: #arg) -> Self {
                    self.inner = self.inner.#inner_method(input);
                    self
                }
                #docs
                #deprecated
                pub fn #setter(mut self, input: Option<#ty>) -> Self {
                    self.inner = self.inner.#inner_setter(input);
                    self
                }
            }
        })
        .collect()
}

fn builders_rs(service: &Service, paginators: &[(&Operation, Pagination)]) -> Result<TokenStream> {
    let mut items = Vec::new();
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
                    ]
                })
                .collect::<Vec<_>>()
                .iter()
                .map(|(a, b)| (*a, b.as_str())),
        )?;
        let build = if op.input.has_required_without_default() {
            quote! { self.inner.build().map_err(|e| SdkError::Construction(super::error::ConstructionError::new(e.to_string())))? }
        } else {
            quote! { self.inner.build() }
        };
        let fill = if op.input.fields.iter().any(|f| f.optional && f.traits.has("idempotencyToken"))
        {
            quote! { input.fill_idempotency_tokens(&*handle.config.tokens); }
        } else {
            quote! {}
        };
        let input_param = if fill.is_empty() {
            quote! { input: Self }
        } else {
            quote! { mut input: Self }
        };
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
            let input_result = if op.input.has_required_without_default() {
                quote! { self.inner.build().map_err(|e| super::error::ConstructionError::new(e.to_string())) }
            } else {
                quote! { Ok(self.inner.build()) }
            };
            quote! {
                /// Pages through the results: each `next_page()` makes one call with the
                /// previous page's token; `items()` flattens the pages. An input that cannot be
                /// built is the first page's error.
                pub fn into_paginator(self) -> super::paginators::#paginator {
                    super::paginators::#paginator::new(self.handle, #input_result)
                }
            }
        } else {
            quote! {}
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
                #[allow(clippy::result_large_err)]
                pub async fn send(self) -> Result<#output, SdkError<#error>> {
                    let input = #build;
                    call(&self.handle, input).await
                }

                #into_paginator

                #(#setters)*
            }

            impl Call for #input {
                type Output = #output;
                type Error = #error;
                async fn call(handle: &Handle, #input_param) -> Result<#output, SdkError<#error>> {
                    #fill
                    invoke(handle, &input, #op_ty::serialize_request, #op_ty::deserialize_response::<Vec<u8>>).await
                }
            }
        });
    }
    Ok(quote! {
        //! The fluent builders the [`Client`](super::Client) methods return.

        use std::sync::Arc;

        use super::error::SdkError;
        use super::orchestrate::{invoke, Handle};

        /// An operation input the client can send.
        pub(crate) trait Call: Sized {
            type Output;
            type Error;
            #[allow(clippy::result_large_err)]
            fn call(handle: &Handle, input: Self) -> impl ::std::future::Future<Output = Result<Self::Output, SdkError<Self::Error>>> + Send;
        }

        /// Makes one logical call (idempotency tokens filled once, then the attempts).
        #[allow(clippy::result_large_err)]
        pub(crate) async fn call<I: Call>(handle: &Handle, input: I) -> Result<I::Output, SdkError<I::Error>> {
            I::call(handle, input).await
        }

        #(#items)*
    })
}

/// The `@paginated` members of an operation, the service's defaults merged in.
pub struct Pagination {
    input_token: crate::ir::Field,
    /// The output token's path: each member's field, and whether it is optional.
    output_token: Vec<crate::ir::Field>,
    page_size: Option<crate::ir::Field>,
    items: Option<Vec<crate::ir::Field>>,
}

impl Pagination {
    fn of(
        op: &Operation,
        service_default: Option<&Value>,
        service: &Service,
    ) -> Result<Option<Pagination>> {
        let Some(own) = op.traits.get("paginated") else { return Ok(None) };
        let get = |key: &str| {
            own.get(key)
                .and_then(Value::as_str)
                .or_else(|| service_default?.get(key).and_then(Value::as_str))
        };
        let (Some(input_token), Some(output_token)) = (get("inputToken"), get("outputToken"))
        else {
            // `@paginated` without tokens (only pageSize): nothing to chain.
            return Ok(None);
        };
        let input_field = |name: &str| -> Result<crate::ir::Field> {
            op.input.fields.iter().find(|f| f.member == name).cloned().ok_or_else(|| {
                Error::model(
                    op.id.clone(),
                    format!("@paginated names the input member `{name}`, which does not exist"),
                )
            })
        };
        let input_token = input_field(input_token)?;
        let output_token_path = member_path(service, &op.output, output_token, &op.id)?;
        let page_size = get("pageSize").map(input_field).transpose()?;
        let items = match get("items") {
            Some(p) => Some(member_path(service, &op.output, p, &op.id)?),
            // Not named: the output's only list member, if it has exactly one.
            None => {
                let lists: Vec<_> = op
                    .output
                    .fields
                    .iter()
                    .filter(|f| matches!(unwrap_box(&f.ty), RustType::List { .. }))
                    .collect();
                match lists.as_slice() {
                    [only] => Some(vec![(*only).clone()]),
                    _ => None,
                }
            }
        };
        let token = unwrap_box(&input_token.ty);
        if output_token_path.last().map(|f| unwrap_box(&f.ty)) != Some(token) {
            return Err(Error::unsupported(
                op.id.clone(),
                "@paginated: the input token and the output token have different types".to_string(),
            ));
        }
        if let Some(items) = &items {
            let ok = matches!(
                items.last().map(|f| unwrap_box(&f.ty)),
                Some(RustType::List { .. } | RustType::Map { .. })
            );
            if !ok {
                return Err(Error::unsupported(
                    op.id.clone(),
                    "@paginated: `items` is not a list or a map".to_string(),
                ));
            }
        }
        Ok(Some(Pagination { input_token, output_token: output_token_path, page_size, items }))
    }
}

fn unwrap_box(ty: &RustType) -> &RustType {
    match ty {
        RustType::Boxed(inner) => inner,
        other => other,
    }
}

/// The fields along a dotted member path (`Result.NextToken`) from `start`.
fn member_path(
    service: &Service,
    start: &Structure,
    dotted: &str,
    op: &str,
) -> Result<Vec<crate::ir::Field>> {
    let mut fields = Vec::new();
    let mut current = start.clone();
    let segments: Vec<&str> = dotted.split('.').collect();
    for (i, segment) in segments.iter().enumerate() {
        let field =
            current.fields.iter().find(|f| f.member == *segment).cloned().ok_or_else(|| {
                Error::model(
                    op.to_string(),
                    format!(
                        "@paginated path `{dotted}`: `{}` has no member `{segment}`",
                        current.shape
                    ),
                )
            })?;
        if i + 1 < segments.len() {
            let next = match unwrap_box(&field.ty) {
                RustType::Named(p) => service.types.iter().find_map(|t| match t {
                    TypeDef::Structure(s) if &s.path == p => Some(s.clone()),
                    _ => None,
                }),
                _ => None,
            };
            current = next.ok_or_else(|| {
                Error::unsupported(
                    op.to_string(),
                    format!("@paginated path `{dotted}`: `{segment}` is not a structure"),
                )
            })?;
        }
        fields.push(field);
    }
    Ok(fields)
}

/// `Option<&T>` of the value at `path` in `root` (a reference expression).
fn borrow_path(root: TokenStream, path: &[crate::ir::Field]) -> TokenStream {
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
fn move_path(root: TokenStream, path: &[crate::ir::Field]) -> TokenStream {
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
        let token_ty = rust_type(unwrap_box(&p.input_token.ty));
        let token_field = ident(&p.input_token.ident);
        let set_token = if p.input_token.optional {
            quote! { input.#token_field = self.token.clone(); }
        } else {
            quote! { if let Some(token) = &self.token { input.#token_field = token.clone(); } }
        };
        let read_token = borrow_path(quote! { output }, &p.output_token);
        let guard = if matches!(unwrap_box(&p.input_token.ty), RustType::String) {
            quote! { !token.is_empty() && self.token.as_ref() != Some(token) }
        } else {
            quote! { self.token.as_ref() != Some(token) }
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
            " Pages through `{}`: each [`next_page`]({}::next_page) sends the previous page's `{}`; it ends when the service sends none (or the same one again).",
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
            let items_doc = format!(" The items (`{items_member}`) of every page of `{}`, one at a time.", op.name);
            let items_fn_doc = format!(" The items (`{items_member}`) of every page, one at a time.");
            (
                quote! {
                    #[doc = #items_fn_doc]
                    pub fn items(self) -> #items_ty {
                        #items_ty { pages: self, buffer: ::std::collections::VecDeque::new() }
                    }
                },
                quote! {
                    #[doc = #items_doc]
                    #[derive(Debug)]
                    pub struct #items_ty {
                        pages: #paginator,
                        buffer: ::std::collections::VecDeque<#item_ty>,
                    }

                    impl #items_ty {
                        /// The next item; `None` after the last page (or after an error).
                        #[allow(clippy::result_large_err)]
                        pub async fn next(&mut self) -> Option<Result<#item_ty, SdkError<#error>>> {
                            loop {
                                if let Some(item) = self.buffer.pop_front() {
                                    return Some(Ok(item));
                                }
                                match self.pages.next_page().await? {
                                    Ok(output) => {
                                        self.buffer = #take #collect.unwrap_or_default();
                                    }
                                    Err(e) => return Some(Err(e)),
                                }
                            }
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
                token: Option<#token_ty>,
                done: bool,
            }

            impl ::std::fmt::Debug for #paginator {
                fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                    f.debug_struct(stringify!(#paginator)).field("input", &self.input).field("done", &self.done).finish()
                }
            }

            impl #paginator {
                pub(crate) fn new(handle: Arc<Handle>, input: Result<#input, ConstructionError>) -> Self {
                    #paginator { handle, input, token: None, done: false }
                }

                #page_size

                /// The next page; `None` once the last page (or an error) has been returned.
                #[allow(clippy::result_large_err)]
                pub async fn next_page(&mut self) -> Option<Result<#output, SdkError<#error>>> {
                    if self.done {
                        return None;
                    }
                    let mut input = match &self.input {
                        Ok(input) => ::std::clone::Clone::clone(input),
                        Err(e) => {
                            self.done = true;
                            return Some(Err(SdkError::Construction(e.clone())));
                        }
                    };
                    #set_token
                    let result = call(&self.handle, input).await;
                    match &result {
                        Ok(output) => {
                            let next = #read_token;
                            match next {
                                Some(token) if #guard => {
                                    self.token = Some(token.clone());
                                }
                                _ => self.done = true,
                            }
                        }
                        Err(_) => self.done = true,
                    }
                    Some(result)
                }

                #items_fn
            }

            #items_struct
        }
    });
    quote! {
        //! Paginators for the `@paginated` operations: a stream of pages (`next_page`) and of
        //! items (`items().next()`).

        use std::sync::Arc;

        use super::builders::call;
        use super::error::{ConstructionError, SdkError};
        use super::orchestrate::Handle;

        #(#items)*
    }
}
