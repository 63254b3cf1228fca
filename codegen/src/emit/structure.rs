//! Structures: the type, its builder, and a `Debug` that redacts sensitive members.

use proc_macro2::TokenStream;
use quote::quote;
use serde_json::Value;

use crate::emit::document;
use crate::emit::tokens::{deprecated, doc_attrs, ident, path, rust_type};
use crate::error::{Error, Result};
use crate::ir::{Field, RustType, Structure, TypePath};

/// The struct, its `builder()`, `Debug`, the builder type, and the document-form serde impls.
pub fn emit(s: &Structure, builder: &TypePath) -> Result<TokenStream> {
    let name = ident(&s.path.name);
    let builder_path = path(builder);
    let builder_name = ident(&builder.name);
    let fallback = format!("The `{}` structure.", s.path.name);
    let docs = doc_attrs(s.docs.as_deref(), &fallback);

    let fields = s.fields.iter().map(|f| {
        let ident = ident(&f.ident);
        let ty = field_type(f);
        let docs = doc_attrs(f.docs.as_deref(), &format!("The `{}` member.", f.member));
        let deprecated = deprecated(f.deprecated);
        quote! { #docs #deprecated pub #ident: #ty, }
    });
    let debug = debug_impl(&name, &s.path.name, &s.fields, s.sensitive);
    let derive_default = if s.fields.iter().all(|f| f.optional) {
        quote! { Default, }
    } else {
        quote! {}
    };
    // A stream is neither `Clone` nor `PartialEq`.
    let derive_value = if s.holds_stream() {
        quote! {}
    } else {
        quote! { Clone, PartialEq, }
    };
    let builder_fn_doc = format!(" Creates a builder for [`{}`].", s.path.name);
    let builder_doc = format!(" A builder for [`{}`].", s.path.name);
    let builder_fields = s.fields.iter().map(|f| {
        let ident = ident(&f.ident);
        let ty = rust_type(&f.ty);
        quote! { pub(crate) #ident: Option<#ty>, }
    });
    let builder_debug = debug_impl(&builder_name, &builder.name, &s.fields, s.sensitive);
    let setters = s.fields.iter().map(setters);
    let build = build_fn(s)?;
    let serde = document::structure(s, builder);

    Ok(quote! {
        #docs
        #[non_exhaustive]
        #[derive(#derive_value #derive_default)]
        pub struct #name {
            #(#fields)*
        }

        impl #name {
            #[doc = #builder_fn_doc]
            pub fn builder() -> #builder_path {
                <#builder_path as ::std::default::Default>::default()
            }
        }

        #debug

        #[doc = #builder_doc]
        #[derive(#derive_value Default)]
        pub struct #builder_name {
            #(#builder_fields)*
        }

        impl #builder_name {
            #(#setters)*
            #build
        }

        #builder_debug

        #serde
    })
}

/// The declared type of a field: `Option<T>` unless it is required or has a default.
pub fn field_type(f: &Field) -> TokenStream {
    let ty = rust_type(&f.ty);
    if f.optional {
        quote! { Option<#ty> }
    } else {
        ty
    }
}

fn setters(f: &Field) -> TokenStream {
    let field = ident(&f.ident);
    let method = ident(&f.method);
    let setter = ident(&f.setter);
    let docs = doc_attrs(f.docs.as_deref(), &format!("Sets the `{}` member.", f.member));
    let deprecated = deprecated(f.deprecated);
    let ty = rust_type(&f.ty);
    let (arg_ty, value) = match &f.ty {
        RustType::Boxed(inner) => {
            let inner = rust_type(inner);
            (quote! { impl Into<#inner> }, quote! { Box::new(input.into()) })
        }
        _ => (quote! { impl Into<#ty> }, quote! { input.into() }),
    };
    quote! {
        #docs
        #deprecated
        pub fn #method(mut self, input: #arg_ty) -> Self {
            self.#field = Some(#value);
            self
        }
        #docs
        #deprecated
        pub fn #setter(mut self, input: Option<#ty>) -> Self {
            self.#field = input;
            self
        }
    }
}

fn build_fn(s: &Structure) -> Result<TokenStream> {
    let name = ident(&s.path.name);
    let type_name = &s.path.name;
    let mut inits = Vec::new();
    for f in &s.fields {
        let field = ident(&f.ident);
        let member = &f.member;
        let init = if f.optional {
            quote! { self.#field }
        } else if let Some(default) = &f.default {
            let fallback = or_default(&f.ty, default).map_err(|message| {
                Error::unsupported(format!("{}${}", s.shape, f.member), message)
            })?;
            quote! { self.#field #fallback }
        } else {
            quote! { self.#field.ok_or(crate::error::BuildError::missing_field(#type_name, #member))? }
        };
        inits.push(quote! { #field: #init, });
    }
    let doc = format!(" Builds the [`{type_name}`].");
    Ok(if s.has_required_without_default() {
        let doc_err = " Fails with the name of the first required member that was not set.";
        quote! {
            #[doc = #doc]
            #[doc = ""]
            #[doc = #doc_err]
            pub fn build(self) -> Result<#name, crate::error::BuildError> {
                Ok(#name { #(#inits)* })
            }
        }
    } else {
        quote! {
            #[doc = #doc]
            pub fn build(self) -> #name {
                #name { #(#inits)* }
            }
        }
    })
}

/// `.unwrap_or_default()`, `.unwrap_or(v)` or `.unwrap_or_else(|| v)`: how an `Option` of the
/// field's type falls back to its `@default`, whichever is the idiomatic spelling.
pub fn or_default(ty: &RustType, value: &Value) -> std::result::Result<TokenStream, String> {
    if is_type_default(ty, value) {
        return Ok(quote! { .unwrap_or_default() });
    }
    let expr = default_expr(ty, value)?;
    let cheap = ty.is_copy()
        || (*ty == RustType::Document
            && !matches!(value, Value::String(_) | Value::Array(_) | Value::Object(_)));
    Ok(if cheap {
        quote! { .unwrap_or(#expr) }
    } else {
        quote! { .unwrap_or_else(|| #expr) }
    })
}

/// Whether a `@default` equals the Rust type's `Default` (zero, false, empty): then the builder
/// says `unwrap_or_default()`.
fn is_type_default(ty: &RustType, value: &Value) -> bool {
    let has_matching_default = matches!(
        ty,
        RustType::Bool
            | RustType::I8
            | RustType::I16
            | RustType::I32
            | RustType::I64
            | RustType::F32
            | RustType::F64
            | RustType::String
            | RustType::Blob
            | RustType::List { .. }
            | RustType::Map { .. }
    );
    has_matching_default
        && match value {
            Value::Bool(b) => !b,
            Value::Number(n) => n.as_f64() == Some(0.0),
            Value::String(s) => s.is_empty(),
            Value::Array(a) => a.is_empty(),
            Value::Object(o) => o.is_empty(),
            Value::Null => false,
        }
}

/// A Rust expression for a `@default` value of the given type.
pub fn default_expr(ty: &RustType, value: &Value) -> std::result::Result<TokenStream, String> {
    let mismatch = || format!("default value {value} does not fit the member's type");
    Ok(match (ty, value) {
        (RustType::Bool, Value::Bool(b)) => quote! { #b },
        (RustType::I8 | RustType::I16 | RustType::I32 | RustType::I64, Value::Number(n)) => {
            let n = n.as_i64().ok_or_else(mismatch)?;
            let lit = match ty {
                RustType::I8 => {
                    proc_macro2::Literal::i8_suffixed(i8::try_from(n).map_err(|_| mismatch())?)
                }
                RustType::I16 => {
                    proc_macro2::Literal::i16_suffixed(i16::try_from(n).map_err(|_| mismatch())?)
                }
                RustType::I32 => {
                    proc_macro2::Literal::i32_suffixed(i32::try_from(n).map_err(|_| mismatch())?)
                }
                _ => proc_macro2::Literal::i64_suffixed(n),
            };
            quote! { #lit }
        }
        (RustType::F32, Value::Number(n)) => {
            // An f32 literal must be finite (`1e300` is not an f32).
            let f = n.as_f64().map(|f| f as f32).filter(|f| f.is_finite()).ok_or_else(mismatch)?;
            let lit = proc_macro2::Literal::f32_suffixed(f);
            quote! { #lit }
        }
        (RustType::F64, Value::Number(n)) => {
            let lit = proc_macro2::Literal::f64_suffixed(n.as_f64().ok_or_else(mismatch)?);
            quote! { #lit }
        }
        (RustType::String, Value::String(s)) => quote! { String::from(#s) },
        (RustType::Named(p), Value::String(s)) => {
            let p = path(p);
            quote! { #p::from(#s) }
        }
        (RustType::Named(p), Value::Number(n)) => {
            let p = path(p);
            let n = n.as_i64().and_then(|n| i32::try_from(n).ok()).ok_or_else(mismatch)?;
            quote! { #p::from(#n) }
        }
        (RustType::List { .. }, Value::Array(items)) if items.is_empty() => quote! { Vec::new() },
        (RustType::Map { .. }, Value::Object(items)) if items.is_empty() => {
            quote! { ::std::collections::BTreeMap::new() }
        }
        (RustType::Blob, Value::String(s)) => {
            let bytes =
                decode_base64(s).ok_or_else(|| format!("blob default {s:?} is not base64"))?;
            if bytes.is_empty() {
                quote! { crate::primitives::Blob::default() }
            } else {
                quote! { crate::primitives::Blob::new(vec![#(#bytes),*]) }
            }
        }
        (RustType::BigInteger, Value::Number(n)) if n.as_i64().is_some() => {
            let n = n.as_i64().unwrap_or_default();
            quote! { crate::primitives::BigInteger::from(#n) }
        }
        (RustType::BigInteger | RustType::BigDecimal, Value::Number(_) | Value::String(_)) => {
            let text = match value {
                Value::String(s) => s.clone(),
                other => other.to_string(),
            };
            let ty = if *ty == RustType::BigInteger {
                quote! { BigInteger }
            } else {
                quote! { BigDecimal }
            };
            quote! {
                crate::primitives::#ty::new(#text).unwrap_or_else(|_| crate::primitives::#ty::from(0i64))
            }
        }
        (RustType::Timestamp, Value::Number(n)) => match n.as_i64() {
            Some(secs) => quote! { crate::primitives::DateTime::from_secs(#secs) },
            None => {
                let secs = n.as_f64().ok_or_else(mismatch)?;
                quote! {
                    crate::primitives::DateTime::from_fractional_secs(#secs).unwrap_or_else(|| crate::primitives::DateTime::from_secs(0))
                }
            }
        },
        (RustType::Timestamp, Value::String(text)) => quote! {
            crate::primitives::DateTime::from_str(#text, crate::primitives::Format::DateTime)
                .unwrap_or_else(|_| crate::primitives::DateTime::from_secs(0))
        },
        (RustType::Document, value) => document_literal(value),
        (RustType::Boxed(inner), value) => {
            let inner = default_expr(inner, value)?;
            quote! { Box::new(#inner) }
        }
        _ => return Err(format!("default value {value} is not supported for this member's type")),
    })
}

fn document_literal(value: &Value) -> TokenStream {
    match value {
        Value::Null => quote! { crate::primitives::Document::Null },
        Value::Bool(b) => quote! { crate::primitives::Document::Bool(#b) },
        Value::Number(n) => {
            if let Some(u) = n.as_u64() {
                quote! { crate::primitives::Document::Number(crate::primitives::Number::PosInt(#u)) }
            } else if let Some(i) = n.as_i64() {
                quote! { crate::primitives::Document::Number(crate::primitives::Number::NegInt(#i)) }
            } else {
                let f = n.as_f64().unwrap_or_default();
                quote! { crate::primitives::Document::Number(crate::primitives::Number::Float(#f)) }
            }
        }
        Value::String(s) => quote! { crate::primitives::Document::String(String::from(#s)) },
        Value::Array(items) => {
            let items = items.iter().map(document_literal);
            quote! { crate::primitives::Document::Array(vec![#(#items),*]) }
        }
        Value::Object(map) => {
            let entries = map.iter().map(|(k, v)| {
                let v = document_literal(v);
                quote! { (String::from(#k), #v) }
            });
            quote! { crate::primitives::Document::Object(::std::collections::BTreeMap::from([#(#entries),*])) }
        }
    }
}

/// `Debug` that prints `*** Sensitive Data Redacted ***` in place of sensitive members (or of
/// every member, for a `@sensitive` structure).
pub fn debug_impl(
    name: &proc_macro2::Ident,
    display: &str,
    fields: &[Field],
    all_sensitive: bool,
) -> TokenStream {
    let body = fields.iter().map(|f| {
        let field = ident(&f.ident);
        let key = f.ident.trim_start_matches("r#");
        if all_sensitive || f.redact {
            quote! { .field(#key, &crate::primitives::REDACTED) }
        } else {
            quote! { .field(#key, &self.#field) }
        }
    });
    quote! {
        impl ::std::fmt::Debug for #name {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                f.debug_struct(#display) #(#body)* .finish()
            }
        }
    }
}

/// Decodes standard base64 (padding optional) at generation time, for blob defaults.
fn decode_base64(text: &str) -> Option<Vec<u8>> {
    let mut bits: u32 = 0;
    let mut count = 0;
    let mut out = Vec::new();
    for c in text.trim_end_matches('=').bytes() {
        let v = match c {
            b'A'..=b'Z' => c - b'A',
            b'a'..=b'z' => c - b'a' + 26,
            b'0'..=b'9' => c - b'0' + 52,
            b'+' => 62,
            b'/' => 63,
            _ => return None,
        };
        bits = (bits << 6) | u32::from(v);
        count += 6;
        if count >= 8 {
            count -= 8;
            out.push((bits >> count) as u8);
            bits &= (1 << count) - 1;
        }
    }
    Some(out)
}
