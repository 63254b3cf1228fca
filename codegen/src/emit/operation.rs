//! Operations: one module each, holding the input, the output and the error enum.

use proc_macro2::TokenStream;
use quote::quote;

use crate::emit::structure;
use crate::emit::tokens::{doc_attrs, ident, inner_doc_lines, path};
use crate::docs::html_to_markdown;
use crate::error::Result;
use crate::ir::{Operation, Service, TypePath};

/// The file `operation/<module>.rs`.
pub fn module(op: &Operation) -> Result<TokenStream> {
    let heading = format!("The `{}` operation.", op.name);
    let body = op.docs.as_deref().map(html_to_markdown).unwrap_or_default();
    let module_docs = inner_doc_lines(&if body.trim().is_empty() { heading } else { format!("{heading}\n\n{body}") });
    let builder = |s: &crate::ir::Structure| TypePath { module: s.path.module.clone(), name: format!("{}Builder", s.path.name) };
    let input = structure::emit(&op.input, &builder(&op.input))?;
    let output = structure::emit(&op.output, &builder(&op.output))?;
    let error = error_enum(op);
    Ok(quote! {
        #module_docs
        #input
        #output
        #error
    })
}

/// `<Op>Error`: one variant per modeled error, and `Unhandled` for everything else.
fn error_enum(op: &Operation) -> TokenStream {
    let name = ident(&op.error_name);
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
            Unhandled(crate::error::Unhandled),
        }

        impl #name {
            /// The error code: the modeled error's shape name, or the code the service sent.
            pub fn code(&self) -> Option<&str> {
                match self {
                    #(#code_arms)*
                    #name::Unhandled(inner) => inner.code(),
                }
            }
        }

        impl ::std::fmt::Display for #name {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                match self {
                    #(#display_arms)*
                    #name::Unhandled(inner) => ::std::fmt::Display::fmt(inner, f),
                }
            }
        }

        impl ::std::error::Error for #name {
            fn source(&self) -> Option<&(dyn ::std::error::Error + 'static)> {
                match self {
                    #(#source_arms)*
                    #name::Unhandled(inner) => Some(inner),
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
