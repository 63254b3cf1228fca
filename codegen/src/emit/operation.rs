//! Operations: one module each, holding the operation's type (with its
//! `crate::primitives::Operation` impl: the operation as data), the input, the output and the
//! error enum (with its `ModeledErrors` impl under `serde`).

use proc_macro2::TokenStream;
use quote::quote;

use crate::docs::html_to_markdown;
use crate::emit::structure;
use crate::emit::tokens::{doc_attrs, ident, inner_doc_lines, path};
use crate::error::Result;
use crate::ir::{shape_name, Operation, Service, TypePath};

/// The file `operation/<module>.rs`.
pub fn module(
    op: &Operation,
    validation: &crate::emit::validate::Validation,
) -> Result<TokenStream> {
    let heading = format!("The `{}` operation.", op.name);
    let body = op.docs.as_deref().map(html_to_markdown).unwrap_or_default();
    let module_docs = inner_doc_lines(&if body.trim().is_empty() {
        heading
    } else {
        format!("{heading}\n\n{body}")
    });
    let builder = |s: &crate::ir::Structure| TypePath {
        module: s.path.module.clone(),
        name: format!("{}Builder", s.path.name),
    };
    let input = structure::emit(&op.input, &builder(&op.input))?;
    let output = structure::emit(&op.output, &builder(&op.output))?;
    let error = error_enum(op);
    let operation = operation_struct(op);
    let data = operation_impl(op);
    let modeled = modeled_errors(op);
    let tokens = fill_tokens(op);
    let checks = validation.structure(&op.input);
    let modules = crate::emit::api::operation_modules(op);
    Ok(quote! {
        #module_docs
        #operation
        #data
        #input
        #tokens
        #checks
        #output
        #error
        #modeled
        #modules
    })
}

/// The operation as a type: its request writer and response reader (restJson1, sans-IO).
fn operation_struct(op: &Operation) -> TokenStream {
    let name = ident(&op.name);
    let op_name = shape_name(&op.id);
    let client = client_methods(op, true);
    let (method, uri) = (&op.http.method, &op.http.uri);
    let doc = format!(" The `{}` operation: `{method} {uri}` (restJson1).", op.name);
    let streaming = crate::emit::protocol::event_stream::operation_items(op);
    quote! {
        #[doc = #doc]
        ///
        /// Sans-IO: it turns an input into an `http::Request` and an `http::Response` into the
        /// output or the operation's error; sending, signing and retrying are the caller's.
        #[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
        pub struct #name;

        impl #name {
            /// The operation's name in the model.
            pub const NAME: &'static str = #op_name;

            #client

            #streaming
        }
    }
}

/// The client side of an operation, sans-IO: its request writer and response reader, as the
/// operation type's own methods (`public`) and as its `Operation` impl's.
fn client_methods(op: &Operation, public: bool) -> TokenStream {
    let module = ident(&op.module);
    let input = ident(&op.input.path.name);
    let output = ident(&op.output.path.name);
    let error = ident(&op.error_name);
    let vis = if public {
        quote! { pub }
    } else {
        quote! {}
    };
    quote! {
        /// Builds the HTTP request for `input` against `endpoint` (`https://host`, optionally
        /// with a base path). Absent idempotency tokens are taken from `tokens` (see the
        /// input's `fill_idempotency_tokens` to keep one token across retries).
        ///
        /// Fails, before anything is sent, only when a URI label is missing or empty, a
        /// required query parameter is missing, or a value cannot be put in a header.
        #vis fn serialize_request(
            input: &#input,
            endpoint: &str,
            tokens: &dyn crate::primitives::IdempotencyTokenProvider,
        ) -> Result<http::Request<Vec<u8>>, crate::error::RequestError> {
            crate::protocol::#module::ser_request(input, endpoint, tokens)
        }

        /// Reads the HTTP response: the output on a 2xx status, else the modeled error the
        /// response names (or [`crate::error::Unhandled`]).
        #[allow(clippy::result_large_err)] // errors are returned by value, as they are modeled
        #vis fn deserialize_response<B: AsRef<[u8]>>(
            response: &http::Response<B>,
        ) -> Result<#output, crate::error::ResponseError<#error>> {
            crate::protocol::#module::de_response(response)
        }
    }
}

/// The operation as data: `impl crate::primitives::Operation`, which the `dynamic` module and
/// the server's router are generic over.
fn operation_impl(op: &Operation) -> TokenStream {
    let name = ident(&op.name);
    let module = ident(&op.module);
    let input = ident(&op.input.path.name);
    let output = ident(&op.output.path.name);
    let error = ident(&op.error_name);
    let op_name = shape_name(&op.id);
    let method = &op.http.method;
    let client = client_methods(op, false);
    quote! {
        impl crate::primitives::Operation for #name {
            const NAME: &'static str = #op_name;
            const METHOD: &'static str = #method;
            type Input = #input;
            type Output = #output;
            type Error = #error;

            #client

            #[cfg(feature = "server")]
            fn deserialize_request<B: AsRef<[u8]>>(
                request: &http::Request<B>,
            ) -> Result<#input, crate::server::RequestRejection> {
                crate::protocol::#module::de_request(request)
            }

            #[cfg(feature = "server")]
            fn validate(input: &#input) -> Result<(), crate::error::ValidationErrors> {
                input.validate()
            }

            #[cfg(feature = "server")]
            fn serialize_response(output: &#output) -> http::Response<Vec<u8>> {
                crate::protocol::#module::ser_response(output)
            }

            #[cfg(feature = "server")]
            fn serialize_error(error: &#error) -> http::Response<Vec<u8>> {
                crate::protocol::#module::ser_error(error)
            }
        }
    }
}

/// `impl crate::primitives::ModeledErrors` (feature `serde`): the modeled errors by shape name,
/// in the document form.
fn modeled_errors(op: &Operation) -> TokenStream {
    let name = ident(&op.error_name);
    let unhandled = ident(&op.unhandled);
    let ser_arms = op.errors.iter().map(|e| {
        let variant = ident(&e.variant);
        let shape = shape_name(&e.shape);
        quote! { Self::#variant(e) => (#shape, e.serialize(serializer)), }
    });
    let de_arms = op.errors.iter().map(|e| {
        let variant = ident(&e.variant);
        let shape = shape_name(&e.shape);
        quote! { #shape => Deserialize::deserialize(members).map(Self::#variant), }
    });
    let (members, shape) = if op.errors.is_empty() {
        (quote! { _members }, quote! { _shape })
    } else {
        (quote! { members }, quote! { shape })
    };
    let de_body = if op.errors.is_empty() {
        quote! { None }
    } else {
        quote! {
            use ::serde_core::Deserialize;
            Some(match shape {
                #(#de_arms)*
                _ => return None,
            })
        }
    };
    let serializer = if op.errors.is_empty() {
        quote! { _serializer }
    } else {
        quote! { serializer }
    };
    let ser_body = if op.errors.is_empty() {
        quote! { match self { Self::#unhandled(_) => None } }
    } else {
        quote! {
            use ::serde_core::Serialize as _;
            Some(match self {
                #(#ser_arms)*
                Self::#unhandled(_) => return None,
            })
        }
    };
    quote! {
        #[cfg(feature = "serde")]
        impl crate::primitives::ModeledErrors for #name {
            fn serialize_modeled<S: ::serde_core::Serializer>(
                &self,
                #serializer: S,
            ) -> crate::primitives::Modeled<S> {
                #ser_body
            }

            fn deserialize_modeled<'de, D: ::serde_core::Deserializer<'de>>(
                #shape: &str,
                #members: D,
            ) -> Option<Result<Self, D::Error>> {
                #de_body
            }
        }
    }
}

/// `fill_idempotency_tokens` on inputs with `@idempotencyToken` members.
fn fill_tokens(op: &Operation) -> TokenStream {
    let fields: Vec<_> =
        op.input.fields.iter().filter(|f| f.optional && f.idempotency_token).collect();
    if fields.is_empty() {
        return quote! {};
    }
    let input = ident(&op.input.path.name);
    let members = fields.iter().map(|f| format!("`{}`", f.member)).collect::<Vec<_>>().join(", ");
    let doc = format!(" Fills the absent idempotency tokens ({members}) from `tokens`.");
    let fills = fields.iter().map(|f| {
        let name = ident(&f.ident);
        quote! {
            if self.#name.is_none() {
                self.#name = Some(tokens.make_token());
            }
        }
    });
    quote! {
        impl #input {
            #[doc = #doc]
            ///
            /// Call it once per logical call, before the first attempt, so that every retry
            /// sends the same token and the service can recognize the repeat.
            pub fn fill_idempotency_tokens(&mut self, tokens: &dyn crate::primitives::IdempotencyTokenProvider) {
                #(#fills)*
            }
        }
    }
}

/// `<Op>Error`: one variant per modeled error, and `Unhandled` for everything else.
fn error_enum(op: &Operation) -> TokenStream {
    let name = ident(&op.error_name);
    let unhandled = ident(&op.unhandled);
    let docs = doc_attrs(None, &format!("The errors the `{}` operation can return.", op.name));
    let variants = op.errors.iter().map(|e| {
        let variant = ident(&e.variant);
        let ty = path(&e.path);
        let doc = format!(" See [`{0}`]({1}).", e.path.name, link(&e.path));
        quote! { #[doc = #doc] #variant(#ty), }
    });
    let api = crate::emit::api::operation_error_impls(op);
    let code_arms = op.errors.iter().map(|e| {
        let variant = ident(&e.variant);
        let code = shape_name(&e.shape);
        quote! { #name::#variant(_) => Some(#code), }
    });
    quote! {
        #docs
        #[non_exhaustive]
        #[derive(Debug)]
        pub enum #name {
            #(#variants)*
            /// An error the model does not describe (its code, message and HTTP status are kept).
            #unhandled(crate::error::Unhandled),
        }

        impl #name {
            /// The error code: the modeled error's shape name, or the code the service sent.
            pub fn code(&self) -> Option<&str> {
                match self {
                    #(#code_arms)*
                    #name::#unhandled(inner) => inner.code(),
                }
            }
        }

        #api
    }
}

fn link(p: &TypePath) -> String {
    format!("crate::{}::{}", p.module.join("::"), p.name)
}

/// `operation/mod.rs`: the operation modules, with a one-line summary each.
pub fn index(service: &Service) -> TokenStream {
    let modules = service.operations.iter().map(|op| {
        let module = ident(&op.module);
        quote! { pub mod #module; }
    });
    let items = crate::emit::api::operation_index_items();
    quote! {
        //! One module per operation: its input, output and error types, and the operation's
        //! type, which implements [`Operation`].
        pub use crate::primitives::Operation;
        #(#modules)*
        #items
    }
}
