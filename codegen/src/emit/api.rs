//! The parts of the public API shaped after the official AWS SDK for Rust, beside what the
//! other emitters generate: what an operation's error enum tells about itself (`is_<variant>()`,
//! `ProvideErrorMetadata`, `RequestId`, one message per error in a printed source chain), the
//! crate-level [`Error`](#crate-error) with a `From` for every operation error, the
//! `operation::<op>::builders` and `paginator` modules, and the crate root's re-exports
//! (`Client`, `Config`, `config`, `meta`).
//!
//! The other emitters call these functions (one line each), so the API's shape is decided here.

use proc_macro2::TokenStream;
use quote::quote;

use crate::emit::tokens::{ident, path};
use crate::ir::{Operation, Service, Structure, TypePath};
use crate::resolve::symbols;

/// Where a structure being read from a response finds what the response said about it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum MetaSource<'a> {
    /// `de_response`: the operation's output, with `response` in scope.
    Response,
    /// `de_error_<e>`: an error structure, with the error response's `parts` in scope; with
    /// the error's message member when it is read from the body (its JSON key, and the local
    /// holding the value read, still in scope: the `_meta` field is initialized first).
    ErrorParts(Option<(&'a str, &'a proc_macro2::Ident)>),
    /// A structure nested in a body: it was not read from a response of its own.
    Nested,
}

/// The initializer of the private `_meta` field of outputs and error structures (nothing for
/// other structures), for a struct literal in a response reader.
pub fn meta_init(s: &Structure, source: MetaSource<'_>) -> TokenStream {
    if !crate::emit::structure::has_response_meta(s) {
        return quote! {};
    }
    match source {
        MetaSource::Response => {
            quote! { _meta: crate::error::ResponseMeta::from_headers(response.headers()), }
        }
        MetaSource::ErrorParts(message) => {
            let code = crate::ir::shape_name(&s.shape);
            let message = match message {
                Some((key, local)) => quote! { Some((#key, #local.as_deref())) },
                None => quote! { None },
            };
            quote! { _meta: parts.meta(#code, #message), }
        }
        MetaSource::Nested => match &s.error {
            Some(_) => {
                let code = &s.path.name;
                quote! { _meta: crate::error::ResponseMeta::modeled(#code, None), }
            }
            None => quote! { _meta: crate::error::ResponseMeta::default(), },
        },
    }
}

fn op_error_path(op: &Operation) -> TokenStream {
    path(&TypePath { module: op.output.path.module.clone(), name: op.error_name.clone() })
}

/// An operation error enum's `Display`, `Error`, `is_<variant>()`, `meta()`,
/// `ProvideErrorMetadata` and `RequestId`.
///
/// `Display` is the error's own (`NotFoundException: meeting not found`) and `source()` is
/// none: the variant's error is the same failure, so a printed source chain shows its message
/// once.
pub fn operation_error_impls(op: &Operation) -> TokenStream {
    let name = ident(&op.error_name);
    let unhandled = ident(&op.unhandled);
    let display_arms = op.errors.iter().map(|e| {
        let variant = ident(&e.variant);
        quote! { #name::#variant(inner) => ::std::fmt::Display::fmt(inner, f), }
    });
    let meta_arms = op.errors.iter().map(|e| {
        let variant = ident(&e.variant);
        quote! { #name::#variant(inner) => inner.meta(), }
    });
    let message_arms = op.errors.iter().map(|e| {
        let variant = ident(&e.variant);
        quote! { #name::#variant(inner) => inner.message(), }
    });
    let predicates = op.errors.iter().map(|e| {
        let variant = ident(&e.variant);
        let predicate = ident(&e.predicate);
        let doc = format!(" Whether the error is a `{}`.", e.path.name);
        quote! {
            #[doc = #doc]
            pub fn #predicate(&self) -> bool {
                matches!(self, #name::#variant(_))
            }
        }
    });
    quote! {
        impl #name {
            #(#predicates)*

            /// What the response said about the error: its code, message and request id.
            pub fn meta(&self) -> &crate::error::ErrorMetadata {
                match self {
                    #(#meta_arms)*
                    #name::#unhandled(inner) => crate::error::ProvideErrorMetadata::meta(inner),
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

        impl ::std::error::Error for #name {}

        impl crate::error::ProvideErrorMetadata for #name {
            fn meta(&self) -> &crate::error::ErrorMetadata {
                #name::meta(self)
            }

            fn code(&self) -> Option<&str> {
                #name::code(self)
            }

            fn message(&self) -> Option<&str> {
                match self {
                    #(#message_arms)*
                    #name::#unhandled(inner) => inner.message(),
                }
            }
        }

        impl crate::error::RequestId for #name {
            fn request_id(&self) -> Option<&str> {
                self.meta().request_id()
            }
        }
    }
}

/// `operation::<op>::builders` (the input, output and fluent builders, where the official SDK
/// has them) and, for a paginated operation, `operation::<op>::paginator`.
pub fn operation_modules(op: &Operation) -> TokenStream {
    let input = ident(&format!("{}Builder", op.input.path.name));
    let output = ident(&format!("{}Builder", op.output.path.name));
    let (fluent, paginator, items) = symbols::client_type_names(&op.name);
    let fluent = ident(&fluent);
    // An operation named `Builders` or `Paginator` holds a module of its own name.
    let inception = |module: &str| {
        (op.module.trim_start_matches("r#") == module)
            .then(|| quote! { #[allow(clippy::module_inception)] })
    };
    let builders_allow = inception("builders");
    let paginator_allow = inception("paginator");
    let paginator_module = op.pagination.as_ref().map(|p| {
        let paginator = ident(&paginator);
        let items = p.items.as_ref().map(|_| {
            let items = ident(&items);
            quote! { pub use crate::client::paginators::#items; }
        });
        quote! {
            /// The operation's paginator (feature `client`).
            #[cfg(feature = "client")]
            #paginator_allow
            pub mod paginator {
                pub use crate::client::paginators::#paginator;
                #items
            }
        }
    });
    quote! {
        /// The builders of the operation's input and output, and the client's fluent builder
        /// (feature `client`).
        #builders_allow
        pub mod builders {
            pub use super::{#input, #output};
            #[cfg(feature = "client")]
            pub use crate::client::builders::#fluent;
        }

        #paginator_module
    }
}

/// Items of `operation/mod.rs` beside the operation modules.
pub fn operation_index_items() -> TokenStream {
    quote! {
        pub use crate::error::RequestId;
    }
}

/// Items of the crate root beside its modules: the crate-level `Error`, `Client`, `Config` and
/// the `config` module (feature `client`), and `meta`.
pub fn lib_items() -> TokenStream {
    quote! {
        mod error_meta;
        pub use error_meta::Error;
        #[cfg(feature = "client")]
        pub mod config;
        #[cfg(feature = "client")]
        pub use client::{Client, Config};

        /// Information about this crate.
        pub mod meta {
            /// The crate's version.
            pub const PKG_VERSION: &str = env!("CARGO_PKG_VERSION");
        }
    }
}

/// `src/error_meta.rs`: the crate-level `Error`, every error of the service in one enum, with
/// `From` every operation error (and, feature `client`, every `SdkError` of one), so that `?`
/// works in a function returning `Result<_, crate::Error>`.
pub fn error_meta(service: &Service) -> TokenStream {
    let variants: Vec<(proc_macro2::Ident, TokenStream, &str)> = service
        .errors
        .iter()
        .map(|s| (ident(&s.path.name), path(&s.path), s.path.name.as_str()))
        .collect();
    let unhandled_name =
        symbols::catch_all_variant("Unhandled", variants.iter().map(|(_, _, n)| *n));
    let unhandled = ident(&unhandled_name);
    let decls = variants.iter().map(|(v, ty, n)| {
        let doc = format!(" See [`{n}`]({}).", ty.to_string().replace(' ', ""));
        quote! { #[doc = #doc] #v(#ty), }
    });
    let display_arms = variants.iter().map(|(v, _, _)| {
        quote! { Error::#v(inner) => ::std::fmt::Display::fmt(inner, f), }
    });
    let from_errors = variants.iter().map(|(v, ty, _)| {
        quote! {
            impl From<#ty> for Error {
                fn from(error: #ty) -> Self {
                    Error::#v(error)
                }
            }
        }
    });
    let meta_arms = variants.iter().map(|(v, _, _)| {
        quote! { Error::#v(inner) => inner.meta(), }
    });
    let from_ops = service.operations.iter().map(|op| {
        let op_error = op_error_path(op);
        let op_unhandled = ident(&op.unhandled);
        let arms = op.errors.iter().map(|e| {
            let variant = ident(&e.variant);
            quote! { OperationError::#variant(inner) => inner.into(), }
        });
        quote! {
            impl From<#op_error> for Error {
                fn from(error: #op_error) -> Self {
                    use #op_error as OperationError;
                    match error {
                        #(#arms)*
                        OperationError::#op_unhandled(inner) => unhandled(inner),
                    }
                }
            }
        }
    });
    // A service without operations converts no operation error (and without `client`, no
    // `SdkError`).
    let unused_allowed = if service.operations.is_empty() {
        quote! { #[allow(dead_code)] }
    } else {
        quote! {}
    };
    let unhandled_doc = " Any other failure: an error response the model does not describe (see \
        [`crate::error::Unhandled`]), or (feature `client`) a call that got no usable answer. Its \
        code and message are in [`ProvideErrorMetadata`](crate::error::ProvideErrorMetadata).";
    quote! {
        //! The crate-level [`Error`]: every error of the service.

        /// Every error of the service in one enum: the modeled errors of every operation, and
        /// anything else. Every operation's error (and, feature `client`, every `SdkError` of
        /// one) converts into it, so `?` works in a function returning `Result<_, Error>`.
        #[non_exhaustive]
        #[derive(Debug)]
        pub enum Error {
            #(#decls)*
            #[doc = #unhandled_doc]
            #unhandled(crate::error::UnhandledError),
        }

        impl ::std::fmt::Display for Error {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                match self {
                    #(#display_arms)*
                    Error::#unhandled(inner) => ::std::fmt::Display::fmt(inner, f),
                }
            }
        }

        impl ::std::error::Error for Error {
            fn source(&self) -> Option<&(dyn ::std::error::Error + 'static)> {
                match self {
                    Error::#unhandled(inner) => ::std::error::Error::source(inner),
                    #[allow(unreachable_patterns)]
                    _ => None,
                }
            }
        }

        impl crate::error::ProvideErrorMetadata for Error {
            fn meta(&self) -> &crate::error::ErrorMetadata {
                match self {
                    #(#meta_arms)*
                    Error::#unhandled(inner) => crate::error::ProvideErrorMetadata::meta(inner),
                }
            }
        }

        impl crate::error::RequestId for Error {
            fn request_id(&self) -> Option<&str> {
                crate::error::ProvideErrorMetadata::meta(self).request_id()
            }
        }

        impl From<crate::error::BuildError> for Error {
            fn from(error: crate::error::BuildError) -> Self {
                Error::#unhandled(crate::error::UnhandledError::new(Box::new(error), Default::default()))
            }
        }

        #(#from_errors)*

        /// Any failure of a call: the service's error as its own conversion says, anything else
        /// as the catch-all (with the failure's code and message).
        #[cfg(feature = "client")]
        impl<E> From<crate::client::SdkError<E>> for Error
        where
            E: Into<Error> + crate::error::ProvideErrorMetadata + ::std::error::Error + Send + Sync + 'static,
        {
            fn from(error: crate::client::SdkError<E>) -> Self {
                match error.into_service_error_or_self() {
                    Ok(service) => service.into(),
                    Err(other) => unhandled(other),
                }
            }
        }

        /// `error` as the catch-all variant, keeping its code and message.
        #unused_allowed
        fn unhandled<E>(error: E) -> Error
        where
            E: crate::error::ProvideErrorMetadata + ::std::error::Error + Send + Sync + 'static,
        {
            let meta = crate::error::ProvideErrorMetadata::meta(&error).clone();
            Error::#unhandled(crate::error::UnhandledError::new(Box::new(error), meta))
        }

        #(#from_ops)*
    }
}
