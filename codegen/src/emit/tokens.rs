//! Small token helpers shared by every emitter: identifiers, paths, Rust types, doc attributes.

use proc_macro2::{Ident, Span, TokenStream};
use quote::quote;

use crate::docs::html_to_markdown;
use crate::ir::{RustType, TypePath};
use crate::resolve::symbols;

/// An identifier; `r#name` becomes a raw identifier.
///
/// Every name comes from the symbol provider, which only makes valid identifiers
/// ([`symbols::is_identifier`]); should one not be, it is repaired (characters outside
/// `[A-Za-z0-9_]` become `_`, a leading digit or an empty name gets a `_` in front, a keyword
/// that cannot be raw loses its `r#`) rather than panic as `Ident::new` would. The repaired name
/// then fails to compile or collides visibly; it never aborts the generator.
pub fn ident(name: &str) -> Ident {
    if symbols::is_identifier(name) {
        return match name.strip_prefix("r#") {
            Some(raw) => Ident::new_raw(raw, Span::call_site()),
            None => Ident::new(name, Span::call_site()),
        };
    }
    let bare = name.strip_prefix("r#").unwrap_or(name);
    let mut repaired: String =
        bare.chars().map(|c| if c.is_ascii_alphanumeric() { c } else { '_' }).collect();
    if repaired.is_empty() || repaired == "_" || repaired.starts_with(|c: char| c.is_ascii_digit())
    {
        repaired.insert(0, '_');
    }
    Ident::new(&repaired, Span::call_site())
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
        RustType::EventStream { events, error } => {
            let (events, error) = (path(events), path(error));
            quote! { crate::event_stream::EventStream<#events, #error> }
        }
        RustType::ByteStream => quote! { crate::byte_stream::ByteStream },
    }
}

/// `text` as Markdown that shows it as it is: the characters Markdown or rustdoc would read as
/// markup (emphasis, code, links, HTML, tables) escaped with a backslash.
pub fn markdown_text(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        if matches!(c, '\\' | '`' | '*' | '_' | '[' | ']' | '<' | '>' | '|' | '~' | '#' | '&') {
            out.push('\\');
        }
        out.push(c);
    }
    out
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ident_never_panics() {
        for name in
            ["", "_", "r#", "r#self", "r#_", "1", "a-b", "self", "Self", "r#type", "é", "a b"]
        {
            let made = ident(name).to_string();
            assert!(!made.is_empty(), "{name:?}");
        }
        assert_eq!(ident("r#type").to_string(), "r#type");
        assert_eq!(ident("meeting_id").to_string(), "meeting_id");
        assert_eq!(ident("3d").to_string(), "_3d");
        assert_eq!(ident("a-b").to_string(), "a_b");
        assert_eq!(ident("r#self").to_string(), "self");
    }
}
