//! `src/server.rs` of the generated crate (feature `server`): the service trait with one
//! async method per operation, the routing table, and the `Router` that routes, then reads,
//! validates, calls the handler and writes the response through one generic function over the
//! operations' `crate::primitives::Operation` impls (emitted by [`crate::emit::operation`]).
//! Also the server entry points of the `dynamic` module, for the protocol compliance harness.

use proc_macro2::TokenStream;
use quote::quote;

use crate::docs::html_to_markdown;
use crate::emit::protocol::server_http::Route;
use crate::emit::tokens::{ident, path};
use crate::error::Result;
use crate::ir::{shape_name, Service, TypePath};

/// The Rust paths of an operation's type, input, output and error enum.
fn op_paths(op: &crate::ir::Operation) -> (TokenStream, TokenStream, TokenStream, TokenStream) {
    let module = op.input.path.module.clone();
    let op_ty = path(&TypePath { module: module.clone(), name: op.name.clone() });
    let input = path(&op.input.path);
    let output = path(&op.output.path);
    let error = path(&TypePath { module, name: op.error_name.clone() });
    (op_ty, input, output, error)
}

/// The operations in the order their routes are tried: the most specific first, then by name.
fn routing_order(service: &Service) -> Vec<&crate::ir::Operation> {
    let mut ops: Vec<_> = service.operations.iter().map(|op| (Route::of(op), op)).collect();
    ops.sort_by(|(a, x), (b, y)| {
        b.specificity().cmp(&a.specificity()).then_with(|| x.name.cmp(&y.name))
    });
    ops.into_iter().map(|(_, op)| op).collect()
}

/// `src/server.rs`.
pub fn module(service: &Service) -> Result<TokenStream> {
    let trait_name = ident(&crate::resolve::symbols::service_trait_name(&service.crate_name));
    let trait_doc = format!(
        " The interface of {}: one method per operation. Implement it and serve it with [`Router`].",
        crate::emit::tokens::markdown_text(&service.title)
    );
    let methods = service.operations.iter().map(|op| {
        let method = ident(&op.module);
        let (_, input, output, error) = op_paths(op);
        let summary = op
            .docs
            .as_deref()
            .map(html_to_markdown)
            .and_then(|d| d.split("\n\n").next().map(str::to_string))
            .filter(|d| !d.trim().is_empty())
            .unwrap_or_else(|| format!("The `{}` operation.", op.name));
        let doc = crate::emit::tokens::doc_lines(&summary);
        quote! {
            #doc
            fn #method(&self, input: #input) -> impl ::std::future::Future<Output = Result<#output, #error>> + Send;
        }
    });
    let variants: Vec<TokenStream> = service
        .operations
        .iter()
        .map(|op| {
            let v = ident(&op.name);
            let doc = format!(" `{}`.", shape_name(&op.id));
            quote! { #[doc = #doc] #v, }
        })
        .collect();
    // `aws.auth#unsignedPayload`: SigV4 requests may leave the body out of the signature.
    let unsigned: Vec<TokenStream> = service
        .operations
        .iter()
        .filter(|op| op.unsigned_payload)
        .map(|op| {
            let v = ident(&op.name);
            quote! { OperationName::#v }
        })
        .collect();
    let unsigned_payload = if unsigned.is_empty() {
        quote! { false }
    } else {
        quote! { matches!(self, #(#unsigned)|*) }
    };
    let name_arms = service.operations.iter().map(|op| {
        let v = ident(&op.name);
        let name = shape_name(&op.id);
        quote! { OperationName::#v => #name, }
    });
    let order = routing_order(service);
    let routes = order.iter().map(|op| {
        let v = ident(&op.name);
        let module = ident(&op.module);
        quote! { (OperationName::#v, crate::protocol::#module::ROUTE), }
    });
    // A crate that streams answers with bodies that stream (`ByteStream`); the others with
    // bodies in memory.
    let streaming = crate::emit::runtime::Streaming::of(service).byte_stream;
    let handle_arms = service.operations.iter().map(|op| {
        let v = ident(&op.name);
        let method = ident(&op.module);
        let module = ident(&op.module);
        let (op_ty, _, _, _) = op_paths(op);
        if streaming && streams(op) {
            quote! {
                Some(OperationName::#v) => {
                    call_streaming::<#op_ty, _, _>(
                        request,
                        |input| self.service.#method(input),
                        crate::protocol::#module::de_streaming_request,
                        crate::protocol::#module::ser_streaming_response,
                    ).await
                }
            }
        } else if streaming {
            quote! {
                Some(OperationName::#v) => {
                    call::<#op_ty, _>(request, |input| self.service.#method(input)).await
                }
            }
        } else {
            quote! {
                Some(OperationName::#v) => {
                    call::<#op_ty, _>(&request, |input| self.service.#method(input)).await
                }
            }
        }
    });
    let call = if streaming { streaming_call_fns(service) } else { call_fn(service) };
    let handle = if streaming {
        quote! {
            /// Routes the request, reads and validates the input, calls the handler and writes
            /// its output or error. Unknown route: 404; unreadable input: 400; constraint
            /// violations: 400 `ValidationException` listing them (the first 100). Never panics.
            ///
            /// The body streams both ways: an operation with an input event stream gets its
            /// input as soon as the head is read, its events read from the body as they arrive
            /// (with `X-Amz-Content-Sha256: STREAMING-AWS4-HMAC-SHA256-EVENTS`, each signed
            /// envelope opened, and checked by the `crate::event_stream::EnvelopeVerifier` in
            /// the request's extensions, if any); an output event stream is written event by
            /// event as the handler's stream yields them. A `@streaming` blob input is the
            /// body as it arrives; a blob output is sent as it is read (with `Content-Length`
            /// when its length is known). Other bodies are read whole.
            pub async fn handle<B: Into<crate::byte_stream::ByteStream>>(
                &self,
                request: http::Request<B>,
            ) -> http::Response<crate::byte_stream::ByteStream> {
                let request = request.map(Into::into);
                match OperationName::route(&request) {
                    #(#handle_arms)*
                    None => RequestRejection::unknown_operation().into_response().map(crate::byte_stream::ByteStream::from),
                }
            }
        }
    } else {
        quote! {
            /// Routes the request, reads and validates the input, calls the handler and writes
            /// its output or error. Unknown route: 404; unreadable input: 400; constraint
            /// violations: 400 `ValidationException` listing them (the first 100). Never panics.
            pub async fn handle(&self, request: http::Request<Vec<u8>>) -> http::Response<Vec<u8>> {
                match OperationName::route(&request) {
                    #(#handle_arms)*
                    None => RequestRejection::unknown_operation().into_response(),
                }
            }
        }
    };
    let title = crate::emit::tokens::markdown_text(&service.title);
    let module_doc = format!(
        " The server side of {title} (feature `server`): implement [`{trait_name}`], then let a\n [`Router`] answer `http::Request`s with it. Runtime-agnostic: bring any HTTP server and\n async runtime.",
    );
    Ok(quote! {
        #![doc = #module_doc]
        //!
        //! The router matches method, path and literal query parameters (the most specific route
        //! first), reads the input (labels, query, headers, body), checks the model's constraints
        //! and answers a 400 `ValidationException` listing the violations (the first 100, and how
        //! many there were; a list or map longer than its `@length` maximum is refused as soon as
        //! it is read, before its elements are), calls the handler,
        //! and writes the output or the modeled error. Unknown routes get a 404
        //! `UnknownOperationException`, unreadable requests a 400 `SerializationException`,
        //! a wrong `Content-Type` a 415, an `Accept` excluding JSON a 406. It never panics.

        pub use crate::primitives::server::{RejectionKind, RequestRejection};

        #[doc = #trait_doc]
        ///
        /// Methods may be written `async fn`. An error's `Unhandled` variant becomes a 500
        /// response unless it carries another status.
        pub trait #trait_name: Send + Sync + 'static {
            #(#methods)*
        }

        /// An operation of the service, as the router knows it.
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
        #[non_exhaustive]
        pub enum OperationName {
            #(#variants)*
        }

        impl OperationName {
            /// The operation's name in the model.
            pub fn name(self) -> &'static str {
                match self {
                    #(#name_arms)*
                }
            }

            /// Whether the operation allows an unsigned payload (the model's
            /// `aws.auth#unsignedPayload`): a SigV4 request for it may carry
            /// `X-Amz-Content-Sha256: UNSIGNED-PAYLOAD`, leaving the body out of the signature.
            /// For every other operation the body must be signed.
            pub fn unsigned_payload(self) -> bool {
                #unsigned_payload
            }

            /// The operation a request is for (method, path, literal query parameters; the
            /// most specific route first), if any.
            pub fn route<B>(request: &http::Request<B>) -> Option<OperationName> {
                let method = request.method();
                let path = request.uri().path();
                let query = crate::primitives::server::parse_query(request.uri().query());
                ROUTES
                    .iter()
                    .find(|(_, route)| route.matches(method, path, &query).is_some())
                    .map(|(name, _)| *name)
            }
        }

        /// The route of every operation, in the order they are tried: the most specific first.
        const ROUTES: &[(OperationName, crate::primitives::server::Route)] = &[
            #(#routes)*
        ];

        /// Answers HTTP requests with a service implementation.
        #[derive(Clone, Debug)]
        pub struct Router<S> {
            service: S,
        }

        impl<S: #trait_name> Router<S> {
            /// A router over `service`.
            pub fn new(service: S) -> Self {
                Router { service }
            }

            /// The service implementation.
            pub fn service(&self) -> &S {
                &self.service
            }

            #handle
        }

        #call
    })
}

/// Whether an operation's input or output has a member that streams (an event stream or a
/// streaming blob).
fn streams(op: &crate::ir::Operation) -> bool {
    op.input.fields.iter().chain(&op.output.fields).any(|f| f.ty.is_stream())
}

/// `call` and `call_streaming`, the streaming router's generic handling of one operation (each
/// only when some operation needs it): `call` reads the body whole, `call_streaming` leaves the
/// reading and writing to the operation's streaming reader and writer (operations with a member
/// that streams).
fn streaming_call_fns(service: &Service) -> TokenStream {
    let (with, without): (Vec<_>, Vec<_>) = service.operations.iter().partition(|op| streams(op));
    let byte_stream = quote! { crate::byte_stream::ByteStream };
    let call = if without.is_empty() {
        quote! {}
    } else {
        quote! {
            /// Serves one request of the operation `O` with `handler`: reads the body whole,
            /// reads and validates the input, calls the handler, writes its output or error.
            async fn call<O: crate::primitives::Operation, F>(
                request: http::Request<#byte_stream>,
                handler: impl FnOnce(O::Input) -> F,
            ) -> http::Response<#byte_stream>
            where
                F: ::std::future::Future<Output = Result<O::Output, O::Error>>,
            {
                let (parts, body) = request.into_parts();
                let body = match body.collect().await {
                    Ok(body) => body,
                    Err(e) => {
                        let rejection = RequestRejection::serialization(format!("cannot read the request body: {e}"));
                        return rejection.into_response().map(#byte_stream::from);
                    }
                };
                let request = http::Request::from_parts(parts, body);
                let input = match O::deserialize_request(&request) {
                    Ok(input) => input,
                    Err(rejection) => return rejection.into_response().map(#byte_stream::from),
                };
                if let Err(errors) = O::validate(&input) {
                    return RequestRejection::validation(errors).into_response().map(#byte_stream::from);
                }
                match handler(input).await {
                    Ok(output) => O::serialize_response(&output).map(#byte_stream::from),
                    Err(error) => O::serialize_error(&error).map(#byte_stream::from),
                }
            }
        }
    };
    let call_streaming = if with.is_empty() {
        quote! {}
    } else {
        quote! {
            /// Serves one request of the operation `O` with `handler`: `read` reads the input
            /// (its stream reading the body as it arrives), which is validated, then the handler
            /// is called and `write` writes its output (its stream as the events come), or its
            /// error.
            async fn call_streaming<O: crate::primitives::Operation, F, R>(
                request: http::Request<#byte_stream>,
                handler: impl FnOnce(O::Input) -> F,
                read: impl FnOnce(http::Request<#byte_stream>) -> R,
                write: impl FnOnce(O::Output) -> http::Response<#byte_stream>,
            ) -> http::Response<#byte_stream>
            where
                F: ::std::future::Future<Output = Result<O::Output, O::Error>>,
                R: ::std::future::Future<Output = Result<O::Input, RequestRejection>>,
            {
                let input = match read(request).await {
                    Ok(input) => input,
                    Err(rejection) => return rejection.into_response().map(#byte_stream::from),
                };
                if let Err(errors) = O::validate(&input) {
                    return RequestRejection::validation(errors).into_response().map(#byte_stream::from);
                }
                match handler(input).await {
                    Ok(output) => write(output),
                    Err(error) => O::serialize_error(&error).map(#byte_stream::from),
                }
            }
        }
    };
    quote! { #call #call_streaming }
}

/// `call`, the router's generic handling of one operation (only when there are operations).
fn call_fn(service: &Service) -> TokenStream {
    if service.operations.is_empty() {
        return quote! {};
    }
    quote! {
        /// Serves one request of the operation `O` with `handler`: reads and validates the
        /// input, calls the handler, writes its output or error.
        async fn call<O: crate::primitives::Operation, F>(
            request: &http::Request<Vec<u8>>,
            handler: impl FnOnce(O::Input) -> F,
        ) -> http::Response<Vec<u8>>
        where
            F: ::std::future::Future<Output = Result<O::Output, O::Error>>,
        {
            let input = match O::deserialize_request(request) {
                Ok(input) => input,
                Err(rejection) => return rejection.into_response(),
            };
            if let Err(errors) = O::validate(&input) {
                return RequestRejection::validation(errors).into_response();
            }
            match handler(input).await {
                Ok(output) => O::serialize_response(&output),
                Err(error) => O::serialize_error(&error),
            }
        }
    }
}

/// The server entry points of the `dynamic` module (features `serde` and `server`): one arm per
/// operation, calling generic functions over the runtime's `crate::primitives::Operation`.
pub fn dynamic_items(service: &Service) -> TokenStream {
    let read_arms = service.operations.iter().map(|op| {
        let v = ident(&op.name);
        let (op_ty, _, _, _) = op_paths(op);
        quote! {
            Some(crate::server::OperationName::#v) => server_read::<#op_ty, _, _>(request, serializer, validate),
        }
    });
    let names: Vec<String> =
        service.operations.iter().map(|op| shape_name(&op.id).to_string()).collect();
    let write_arms = service.operations.iter().zip(&names).map(|(op, name)| {
        let (op_ty, _, _, _) = op_paths(op);
        quote! { #name => server_write::<#op_ty, _>(params), }
    });
    let error_arms = service.operations.iter().zip(&names).map(|(op, name)| {
        let (op_ty, _, _, _) = op_paths(op);
        quote! { #name => server_error::<#op_ty, _>(error, params), }
    });
    let helpers = if service.operations.is_empty() {
        quote! {}
    } else {
        server_helpers()
    };
    quote! {
        /// The server side: routes `request`, reads its input and (when `validate`) checks its
        /// constraints; the operation's name and the input written by `serializer`, or the
        /// rejection's response.
        #[cfg(feature = "server")]
        #[allow(clippy::result_large_err)] // the rejection is the response itself
        pub fn server_deserialize_request<B: AsRef<[u8]>, S: ::serde_core::Serializer>(
            request: &http::Request<B>,
            serializer: S,
            validate: bool,
        ) -> Result<(&'static str, S::Ok), http::Response<Vec<u8>>> {
            match crate::server::OperationName::route(request) {
                #(#read_arms)*
                None => Err(crate::server::RequestRejection::unknown_operation().into_response()),
            }
        }

        /// The server side: the response of the operation `operation` for an output given in
        /// the document form.
        #[cfg(feature = "server")]
        pub fn server_serialize_response<'de, D: ::serde_core::Deserializer<'de>>(
            operation: &str,
            params: D,
        ) -> Result<http::Response<Vec<u8>>, DynamicError> {
            match operation {
                #(#write_arms)*
                other => Err(DynamicError::UnknownOperation(other.to_string())),
            }
        }

        /// The server side: the response of the operation `operation` for its modeled error
        /// `error` (the shape's name) given in the document form.
        #[cfg(feature = "server")]
        pub fn server_serialize_error<'de, D: ::serde_core::Deserializer<'de>>(
            operation: &str,
            error: &str,
            params: D,
        ) -> Result<http::Response<Vec<u8>>, DynamicError> {
            match operation {
                #(#error_arms)*
                other => Err(DynamicError::UnknownOperation(other.to_string())),
            }
        }

        #helpers
    }
}

/// The generic functions the server arms of `dynamic` call, for one operation `O` each.
fn server_helpers() -> TokenStream {
    quote! {
        /// [`server_deserialize_request`] for the operation `O`.
        #[cfg(feature = "server")]
        #[allow(clippy::result_large_err)] // the rejection is the response itself
        fn server_read<O, B, S>(
            request: &http::Request<B>,
            serializer: S,
            validate: bool,
        ) -> Result<(&'static str, S::Ok), http::Response<Vec<u8>>>
        where
            O: Operation,
            O::Input: ::serde_core::Serialize,
            B: AsRef<[u8]>,
            S: ::serde_core::Serializer,
        {
            let input = O::deserialize_request(request).map_err(|r| r.into_response())?;
            if validate {
                O::validate(&input).map_err(|e| crate::server::RequestRejection::validation(e).into_response())?;
            }
            let doc = ::serde_core::Serialize::serialize(&input, serializer).map_err(|e| {
                crate::server::RequestRejection::serialization(e.to_string()).into_response()
            })?;
            Ok((O::NAME, doc))
        }

        /// [`server_serialize_response`] for the operation `O`.
        #[cfg(feature = "server")]
        fn server_write<'de, O, D>(params: D) -> Result<http::Response<Vec<u8>>, DynamicError>
        where
            O: Operation,
            O::Output: ::serde_core::Deserialize<'de>,
            D: ::serde_core::Deserializer<'de>,
        {
            let output = <O::Output as ::serde_core::Deserialize>::deserialize(params)
                .map_err(|e| DynamicError::Params(e.to_string()))?;
            Ok(O::serialize_response(&output))
        }

        /// [`server_serialize_error`] for the operation `O`.
        #[cfg(feature = "server")]
        fn server_error<'de, O, D>(error: &str, params: D) -> Result<http::Response<Vec<u8>>, DynamicError>
        where
            O: Operation,
            O::Error: ModeledErrors,
            D: ::serde_core::Deserializer<'de>,
        {
            match O::Error::deserialize_modeled(error, params) {
                Some(Ok(e)) => Ok(O::serialize_error(&e)),
                Some(Err(e)) => Err(DynamicError::Params(e.to_string())),
                None => Err(DynamicError::UnknownOperation(format!("{}: no error `{error}`", O::NAME))),
            }
        }
    }
}
