//! Error shapes (`@error` structures) and the crate's shared error types.

use proc_macro2::TokenStream;
use quote::quote;

use crate::emit::tokens::ident;
use crate::ir::Structure;

/// `Display` and `std::error::Error` for an error structure, plus `message()`.
pub fn error_impls(s: &Structure) -> TokenStream {
    let name = ident(&s.path.name);
    let code = &s.path.name;
    let message_field = s.error.as_ref().and_then(|e| e.message_field.as_ref());
    let message = match message_field.and_then(|m| s.fields.iter().find(|f| &f.ident == m)) {
        Some(field) if !field.redact => {
            let field_ident = ident(&field.ident);
            let value = if field.optional { quote! { self.#field_ident.as_deref() } } else { quote! { Some(self.#field_ident.as_str()) } };
            quote! {
                /// The human-readable message the service sent, if any.
                pub fn message(&self) -> Option<&str> {
                    #value
                }
            }
        }
        _ => quote! {
            /// The human-readable message the service sent, if any (this error has no readable message member).
            pub fn message(&self) -> Option<&str> {
                None
            }
        },
    };
    let fault = s.error.as_ref().map(|e| e.fault.as_str()).unwrap_or("client");
    let is_server = fault == "server";
    let status = match s.error.as_ref().and_then(|e| e.http_status) {
        Some(status) => quote! { Some(#status) },
        None => quote! { None },
    };
    quote! {
        impl #name {
            /// The error code, as the service names it.
            pub const CODE: &'static str = #code;

            #message

            /// Whether the service says the fault is its own (`server`) rather than the caller's.
            pub fn is_server_fault(&self) -> bool {
                #is_server
            }

            /// The HTTP status code the model gives this error, if any.
            pub fn http_status(&self) -> Option<u16> {
                #status
            }
        }

        impl ::std::fmt::Display for #name {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                f.write_str(#code)?;
                if let Some(message) = self.message() {
                    write!(f, ": {message}")?;
                }
                Ok(())
            }
        }

        impl ::std::error::Error for #name {}
    }
}

/// `src/error.rs`: errors shared by every operation.
pub fn crate_errors() -> TokenStream {
    quote! {
        //! Errors shared by every operation: unmodeled service errors and builder errors.

        /// An error response the model does not describe.
        ///
        /// It keeps what the service sent, so nothing is lost: the error code, the message,
        /// the HTTP status and the request id.
        #[derive(Clone, Debug, Default, PartialEq, Eq)]
        #[non_exhaustive]
        pub struct Unhandled {
            /// The error code the service sent (`X-Amzn-ErrorType`, `code` or `__type`), sanitized.
            pub code: Option<String>,
            /// The error message the service sent.
            pub message: Option<String>,
            /// The HTTP status code of the response.
            pub status: Option<u16>,
            /// The request id (`x-amzn-requestid`), for AWS support.
            pub request_id: Option<String>,
        }

        impl Unhandled {
            /// An unmodeled error with the given code and message.
            pub fn new(
                code: Option<String>,
                message: Option<String>,
            ) -> Self {
                Unhandled { code, message, status: None, request_id: None }
            }

            /// The error code, if the service sent one.
            pub fn code(&self) -> Option<&str> {
                self.code.as_deref()
            }

            /// The error message, if the service sent one.
            pub fn message(&self) -> Option<&str> {
                self.message.as_deref()
            }
        }

        impl ::std::fmt::Display for Unhandled {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                f.write_str("unmodeled service error")?;
                if let Some(code) = &self.code {
                    write!(f, " {code}")?;
                }
                if let Some(status) = self.status {
                    write!(f, " (HTTP {status})")?;
                }
                if let Some(message) = &self.message {
                    write!(f, ": {message}")?;
                }
                if let Some(request_id) = &self.request_id {
                    write!(f, " [request id {request_id}]")?;
                }
                Ok(())
            }
        }

        impl ::std::error::Error for Unhandled {}

        /// A builder's `build()` failed: a required member was not set.
        #[derive(Clone, Debug, PartialEq, Eq)]
        pub struct BuildError {
            type_name: &'static str,
            member: &'static str,
        }

        impl BuildError {
            #[allow(dead_code)] // used only by crates with required members
            pub(crate) fn missing_field(type_name: &'static str, member: &'static str) -> Self {
                BuildError { type_name, member }
            }

            /// The structure being built.
            pub fn type_name(&self) -> &'static str {
                self.type_name
            }

            /// The model name of the required member that was not set.
            pub fn member(&self) -> &'static str {
                self.member
            }
        }

        impl ::std::fmt::Display for BuildError {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                write!(f, "cannot build `{}`: the required member `{}` was not set", self.type_name, self.member)
            }
        }

        impl ::std::error::Error for BuildError {}
    }
}
