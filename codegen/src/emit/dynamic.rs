//! `src/dynamic.rs`: every operation reachable by its model name, for tools that speak JSON
//! (the conformance CLI, fuzzers): inputs come from, and outputs go to, any serde format in the
//! document form. One arm per operation, calling generic functions over the operations'
//! `crate::primitives::Operation` and `ModeledErrors` impls (see `docs/operations.md`).

use proc_macro2::TokenStream;
use quote::quote;

use crate::emit::tokens::path;

use crate::ir::{shape_name, Operation, Service, TypePath};

pub fn module(service: &Service) -> TokenStream {
    let names: Vec<String> =
        service.operations.iter().map(|op| shape_name(&op.id).to_string()).collect();
    let op_ty = |op: &Operation| {
        path(&TypePath { module: op.input.path.module.clone(), name: op.name.clone() })
    };
    let request_arms = service.operations.iter().zip(&names).map(|(op, name)| {
        let op_ty = op_ty(op);
        quote! { #name => write_request::<#op_ty, _>(params, endpoint, tokens), }
    });
    let response_arms = service.operations.iter().zip(&names).map(|(op, name)| {
        let op_ty = op_ty(op);
        quote! { #name => read_response::<#op_ty, _, _>(response, serializer), }
    });
    let helpers = if service.operations.is_empty() {
        quote! {}
    } else {
        helpers()
    };
    let server = crate::emit::server::dynamic_items(service);
    quote! {
        //! Every operation by its model name, for tools that speak JSON (conformance checks,
        //! fuzzers): inputs are read from, and outputs written to, any serde format in the
        //! document form. Applications use the typed operations in [`crate::operation`].

        /// The names of the service's operations.
        pub const OPERATIONS: &[&str] = &[#(#names),*];

        /// Why a dynamic call did not produce a request or a result.
        #[derive(Debug)]
        #[non_exhaustive]
        pub enum DynamicError {
            /// No operation has this name.
            UnknownOperation(String),
            /// The parameters do not fit the operation's input.
            Params(String),
            /// The request could not be built.
            Request(crate::error::RequestError),
            /// A success response could not be read.
            Response(crate::error::DeserializeError),
            /// The output could not be written by the given serializer.
            Output(String),
        }

        impl ::std::fmt::Display for DynamicError {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                match self {
                    DynamicError::UnknownOperation(name) => write!(f, "no operation is named `{name}`"),
                    DynamicError::Params(e) => write!(f, "invalid parameters: {e}"),
                    DynamicError::Request(e) => ::std::fmt::Display::fmt(e, f),
                    DynamicError::Response(e) => ::std::fmt::Display::fmt(e, f),
                    DynamicError::Output(e) => write!(f, "cannot write the output: {e}"),
                }
            }
        }

        impl ::std::error::Error for DynamicError {}

        /// What an error response said, whether or not the model describes the error.
        #[derive(Clone, Debug, PartialEq, Eq)]
        pub struct ErrorReport {
            /// The modeled error shape it was read as, if any.
            pub shape: Option<&'static str>,
            /// The error code, sanitized (`X-Amzn-ErrorType`, else `code`, else `__type`).
            pub code: Option<String>,
            /// The message (`message`, `Message` or `errorMessage`).
            pub message: Option<String>,
            /// The HTTP status.
            pub status: u16,
            /// The request id (`x-amzn-requestid`).
            pub request_id: Option<String>,
        }

        impl ErrorReport {
            fn from_response<B: AsRef<[u8]>>(shape: Option<&'static str>, response: &http::Response<B>) -> Self {
                let parts = crate::primitives::protocol::ErrorParts::read(
                    response.status().as_u16(),
                    response.headers(),
                    response.body().as_ref(),
                );
                ErrorReport { shape, code: parts.code().map(str::to_string), message: parts.message(), status: parts.status, request_id: parts.request_id() }
            }
        }

        /// The result of reading a response.
        #[derive(Debug)]
        pub enum Outcome<T> {
            /// The output, written by the serializer.
            Output(T),
            /// An error response, with the modeled error's members written by the serializer.
            Error {
                /// What the response said.
                report: ErrorReport,
                /// The modeled error's members (`None` for an unmodeled error).
                fields: Option<T>,
            },
        }

        /// Builds the request of the operation `operation` from `params` in the document form.
        pub fn serialize_request<'de, D: ::serde_core::Deserializer<'de>>(
            operation: &str,
            params: D,
            endpoint: &str,
            tokens: &dyn crate::primitives::IdempotencyTokenProvider,
        ) -> Result<http::Request<Vec<u8>>, DynamicError> {
            match operation {
                #(#request_arms)*
                other => Err(DynamicError::UnknownOperation(other.to_string())),
            }
        }

        /// Reads a response of the operation `operation`, writing the output (or the modeled
        /// error's members) with a serializer from `serializer`.
        pub fn deserialize_response<B: AsRef<[u8]>, S: ::serde_core::Serializer>(
            operation: &str,
            response: &http::Response<B>,
            serializer: impl Fn() -> S,
        ) -> Result<Outcome<S::Ok>, DynamicError> {
            match operation {
                #(#response_arms)*
                other => Err(DynamicError::UnknownOperation(other.to_string())),
            }
        }

        #helpers
        #server
    }
}

/// The generic functions the arms call: each reads or writes one operation `O` through its
/// `crate::primitives::Operation` impl.
fn helpers() -> TokenStream {
    quote! {
        use crate::primitives::{ModeledErrors, Operation};

        /// [`serialize_request`] for the operation `O`.
        fn write_request<'de, O, D>(
            params: D,
            endpoint: &str,
            tokens: &dyn crate::primitives::IdempotencyTokenProvider,
        ) -> Result<http::Request<Vec<u8>>, DynamicError>
        where
            O: Operation,
            O::Input: ::serde_core::Deserialize<'de>,
            D: ::serde_core::Deserializer<'de>,
        {
            let input = <O::Input as ::serde_core::Deserialize>::deserialize(params)
                .map_err(|e| DynamicError::Params(e.to_string()))?;
            O::serialize_request(&input, endpoint, tokens).map_err(DynamicError::Request)
        }

        /// [`deserialize_response`] for the operation `O`.
        fn read_response<O, B, S>(
            response: &http::Response<B>,
            serializer: impl Fn() -> S,
        ) -> Result<Outcome<S::Ok>, DynamicError>
        where
            O: Operation,
            O::Output: ::serde_core::Serialize,
            O::Error: ModeledErrors,
            B: AsRef<[u8]>,
            S: ::serde_core::Serializer,
        {
            match O::deserialize_response(response) {
                Ok(output) => ::serde_core::Serialize::serialize(&output, serializer())
                    .map(Outcome::Output)
                    .map_err(|e| DynamicError::Output(e.to_string())),
                Err(crate::error::ResponseError::Deserialize(e)) => Err(DynamicError::Response(e)),
                Err(crate::error::ResponseError::Service(error)) => match error.serialize_modeled(serializer()) {
                    Some((shape, fields)) => {
                        let fields = fields.map_err(|e| DynamicError::Output(e.to_string()))?;
                        Ok(Outcome::Error { report: ErrorReport::from_response(Some(shape), response), fields: Some(fields) })
                    }
                    None => Ok(Outcome::Error { report: ErrorReport::from_response(None, response), fields: None }),
                },
            }
        }
    }
}
