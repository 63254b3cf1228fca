//! Small token helpers shared by every emitter: identifiers, paths, Rust types, doc attributes.

use proc_macro2::{Ident, Span, TokenStream};
use quote::quote;

use crate::docs::html_to_markdown;
use crate::ir::{RustType, TypePath};

/// An identifier; `r#name` becomes a raw identifier.
pub fn ident(name: &str) -> Ident {
    match name.strip_prefix("r#") {
        Some(raw) => Ident::new_raw(raw, Span::call_site()),
        None => Ident::new(name, Span::call_site()),
    }
}

/// The absolute path of a generated type: `crate::types::Meeting`.
pub fn path(path: &TypePath) -> TokenStream {
    let modules = path.module.iter().map(|m| ident(m));
    let name = ident(&path.name);
    quote! { crate #(:: #modules)* :: #name }
}

/// The Rust type of a value (never wrapped in `Option`).
pub fn rust_type(ty: &RustType) -> TokenStream {
    match ty {
        RustType::Bool => quote! { bool },
        RustType::I8 => quote! { i8 },
        RustType::I16 => quote! { i16 },
        RustType::I32 => quote! { i32 },
        RustType::I64 => quote! { i64 },
        RustType::F32 => quote! { f32 },
        RustType::F64 => quote! { f64 },
        RustType::String => quote! { String },
        RustType::Blob => quote! { crate::primitives::Blob },
        RustType::Timestamp => quote! { crate::primitives::DateTime },
        RustType::Document => quote! { crate::primitives::Document },
        RustType::BigInteger => quote! { crate::primitives::BigInteger },
        RustType::BigDecimal => quote! { crate::primitives::BigDecimal },
        RustType::Named(p) => path(p),
        RustType::List { element, sparse } => {
            let element = rust_type(element);
            if *sparse {
                quote! { Vec<Option<#element>> }
            } else {
                quote! { Vec<#element> }
            }
        }
        RustType::Map { key, value, sparse } => {
            let key = rust_type(key);
            let value = rust_type(value);
            if *sparse {
                quote! { ::std::collections::BTreeMap<#key, Option<#value>> }
            } else {
                quote! { ::std::collections::BTreeMap<#key, #value> }
            }
        }
        RustType::Boxed(inner) => {
            let inner = rust_type(inner);
            quote! { Box<#inner> }
        }
    }
}

/// `#[doc]` attributes for the model's HTML documentation, or `fallback` when it has none.
pub fn doc_attrs(html: Option<&str>, fallback: &str) -> TokenStream {
    let markdown = html
        .map(html_to_markdown)
        .filter(|m| !m.trim().is_empty())
        .unwrap_or_else(|| fallback.to_string());
    doc_lines(&markdown)
}

/// `#[doc]` attributes, one per Markdown line (prettyplease prints them as `///`).
pub fn doc_lines(markdown: &str) -> TokenStream {
    let lines =
        markdown
            .lines()
            .map(|line| if line.is_empty() { String::new() } else { format!(" {line}") });
    quote! { #( #[doc = #lines] )* }
}

/// Inner `#![doc]` attributes (module documentation).
pub fn inner_doc_lines(markdown: &str) -> TokenStream {
    let lines =
        markdown
            .lines()
            .map(|line| if line.is_empty() { String::new() } else { format!(" {line}") });
    quote! { #( #![doc = #lines] )* }
}

/// `#[deprecated]` when the model deprecates the item.
pub fn deprecated(is: bool) -> TokenStream {
    if is {
        quote! { #[deprecated] }
    } else {
        quote! {}
    }
}
