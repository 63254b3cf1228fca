//! Error shapes (`@error` structures): their `Display`, `Error`, accessors, and what the
//! response said about them (`ProvideErrorMetadata`, `RequestId`). (The errors every
//! operation shares, `src/error.rs`, are a runtime file: `codegen/runtime/src/error.rs`.)

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
        Some(field) if !field.redact && field.ty == crate::ir::RustType::String => {
            let field_ident = ident(&field.ident);
            let value = if field.optional {
                quote! { self.#field_ident.as_deref() }
            } else {
                quote! { Some(self.#field_ident.as_str()) }
            };
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

            /// What the response said about the error: its code, message and request id.
            pub fn meta(&self) -> &crate::error::ErrorMetadata {
                &self._meta.0
            }
        }

        impl crate::error::ProvideErrorMetadata for #name {
            fn meta(&self) -> &crate::error::ErrorMetadata {
                &self._meta.0
            }

            fn code(&self) -> Option<&str> {
                Some(Self::CODE)
            }

            fn message(&self) -> Option<&str> {
                #name::message(self)
            }
        }

        impl crate::error::RequestId for #name {
            fn request_id(&self) -> Option<&str> {
                self._meta.0.request_id()
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
