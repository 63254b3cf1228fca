//! Operations: one module each, holding the input, the output and the error enum.

use proc_macro2::TokenStream;
use quote::quote;

use crate::docs::html_to_markdown;
use crate::emit::structure;
use crate::emit::tokens::{doc_attrs, ident, inner_doc_lines, path};
use crate::error::Result;
use crate::ir::{Operation, Service, TypePath};

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
    let tokens = fill_tokens(op);
    let checks = validation.structure(&op.input);
    Ok(quote! {
        #module_docs
        #operation
        #input
        #tokens
        #checks
        #output
        #error
    })
}

/// The operation as a type: its request writer and response reader (restJson1, sans-IO).
fn operation_struct(op: &Operation) -> TokenStream {
    let name = ident(&op.name);
    let module = ident(&op.module);
    let input = ident(&op.input.path.name);
    let output = ident(&op.output.path.name);
    let error = ident(&op.error_name);
    let op_name = crate::load::shape_name(&op.id);
    let http = op.traits.get("http");
    let method = http.and_then(|h| h.get("method")).and_then(|v| v.as_str()).unwrap_or_default();
    let uri = http.and_then(|h| h.get("uri")).and_then(|v| v.as_str()).unwrap_or_default();
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

            /// Builds the HTTP request for `input` against `endpoint` (`https://host`, optionally
            /// with a base path). Absent idempotency tokens are taken from `tokens` (see the
            /// input's `fill_idempotency_tokens` to keep one token across retries).
            ///
            /// Fails, before anything is sent, only when a URI label is missing or empty, a
            /// required query parameter is missing, or a value cannot be put in a header.
            pub fn serialize_request(
                input: &#input,
                endpoint: &str,
                tokens: &dyn crate::primitives::IdempotencyTokenProvider,
            ) -> Result<http::Request<Vec<u8>>, crate::error::RequestError> {
                crate::protocol::#module::ser_request(input, endpoint, tokens)
            }

            /// Reads the HTTP response: the output on a 2xx status, else the modeled error the
            /// response names (or [`crate::error::Unhandled`]).
            #[allow(clippy::result_large_err)] // errors are returned by value, as they are modeled
            pub fn deserialize_response<B: AsRef<[u8]>>(
                response: &http::Response<B>,
            ) -> Result<#output, crate::error::ResponseError<#error>> {
                crate::protocol::#module::de_response(response)
            }

            #streaming
        }
    }
}

/// `fill_idempotency_tokens` on inputs with `@idempotencyToken` members.
fn fill_tokens(op: &Operation) -> TokenStream {
    let fields: Vec<_> =
        op.input.fields.iter().filter(|f| f.optional && f.traits.has("idempotencyToken")).collect();
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
    let display_arms = op.errors.iter().map(|e| {
        let variant = ident(&e.variant);
        quote! { #name::#variant(inner) => ::std::fmt::Display::fmt(inner, f), }
    });
    let source_arms = op.errors.iter().map(|e| {
        let variant = ident(&e.variant);
        quote! { #name::#variant(inner) => Some(inner), }
    });
    let code_arms = op.errors.iter().map(|e| {
        let variant = ident(&e.variant);
        let code = crate::load::shape_name(&e.shape);
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

fn link(p: &TypePath) -> String {
    format!("crate::{}::{}", p.module.join("::"), p.name)
}

/// `operation/mod.rs`: the operation modules, with a one-line summary each.
pub fn index(service: &Service) -> TokenStream {
    let modules = service.operations.iter().map(|op| {
        let module = ident(&op.module);
        quote! { pub mod #module; }
    });
    quote! {
        //! One module per operation: its input, output and error types.
        #(#modules)*
    }
}
