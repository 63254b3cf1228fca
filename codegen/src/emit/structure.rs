//! Structures: the type, its accessors, its builder, and a `Debug` that redacts sensitive
//! members. Operation outputs and error structures also keep what the response said about them
//! (a private `_meta` field: the request id; an error's code and message).

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
    let has_meta = has_response_meta(s);
    let meta_field = if has_meta {
        quote! { pub(crate) _meta: crate::error::ResponseMeta, }
    } else {
        quote! {}
    };
    let accessors = s.fields.iter().filter_map(accessor);
    // Accessors are named after members; some names mean something to clippy.
    let lint_names = |name: &str| {
        let name = name.trim_start_matches("r#");
        [
            "len", "is_empty", "next", "new", "default", "hash", "clone", "deref", "as_ref",
            "borrow", "eq",
        ]
        .contains(&name)
            || ["into_", "from_", "to_", "as_", "is_"].iter().any(|p| name.starts_with(p))
    };
    let accessor_lints = if s.fields.iter().filter_map(|f| f.accessor.as_deref()).any(lint_names) {
        quote! { #[allow(clippy::len_without_is_empty, clippy::wrong_self_convention, clippy::should_implement_trait, clippy::new_ret_no_self)] }
    } else {
        quote! {}
    };
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
    let (builder_meta_field, builder_meta_setters) = if s.error.is_some() {
        (
            quote! { pub(crate) _meta: Option<crate::error::ErrorMetadata>, },
            quote! {
                /// Sets the error's metadata (code, message, request id), as a response would.
                pub fn meta(mut self, meta: crate::error::ErrorMetadata) -> Self {
                    self._meta = Some(meta);
                    self
                }
                /// Sets or clears the error's metadata.
                pub fn set_meta(mut self, meta: Option<crate::error::ErrorMetadata>) -> Self {
                    self._meta = meta;
                    self
                }
            },
        )
    } else {
        (quote! {}, quote! {})
    };
    let builder_debug = debug_impl(&builder_name, &builder.name, &s.fields, s.sensitive);
    let setters = s.fields.iter().map(setters);
    let build = build_fn(s)?;
    let serde = document::structure(s, builder);
    let request_id = if s.output {
        quote! {
            impl crate::error::RequestId for #name {
                fn request_id(&self) -> Option<&str> {
                    self._meta.0.request_id()
                }
            }
        }
    } else {
        quote! {}
    };

    Ok(quote! {
        #docs
        #[non_exhaustive]
        #[derive(#derive_value #derive_default)]
        pub struct #name {
            #(#fields)*
            #meta_field
        }

        #accessor_lints
        impl #name {
            #(#accessors)*

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
            #builder_meta_field
        }

        impl #builder_name {
            #(#setters)*
            #builder_meta_setters
            #build
        }

        #builder_debug

        #request_id

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

/// Whether the structure keeps what its response said (outputs and error structures).
pub fn has_response_meta(s: &Structure) -> bool {
    s.output || s.error.is_some()
}

/// The accessor of a field: `Option<&str>` for an optional string, `&[T]` for a list (empty
/// when absent), `&T` for a required member, a copy for numbers and booleans.
fn accessor(f: &Field) -> Option<TokenStream> {
    let name = ident(f.accessor.as_deref()?);
    let field = ident(&f.ident);
    let docs = doc_attrs(f.docs.as_deref(), &format!("The `{}` member.", f.member));
    let deprecated = deprecated(f.deprecated);
    let (ty, body) = match (&f.ty, f.optional) {
        (RustType::String, true) => (quote! { Option<&str> }, quote! { self.#field.as_deref() }),
        (RustType::String, false) => (quote! { &str }, quote! { &self.#field }),
        (RustType::List { .. }, optional) => {
            let element = list_element(&f.ty);
            let body = if optional {
                quote! { self.#field.as_deref().unwrap_or_default() }
            } else {
                quote! { &self.#field }
            };
            (quote! { &[#element] }, body)
        }
        (RustType::Boxed(inner), true) => {
            let inner = rust_type(inner);
            (quote! { Option<&#inner> }, quote! { self.#field.as_deref() })
        }
        (RustType::Boxed(inner), false) => {
            let inner = rust_type(inner);
            (quote! { &#inner }, quote! { &self.#field })
        }
        (ty, true) if ty.is_copy() => {
            let ty = rust_type(ty);
            (quote! { Option<#ty> }, quote! { self.#field })
        }
        (ty, false) if ty.is_copy() => {
            let ty = rust_type(ty);
            (quote! { #ty }, quote! { self.#field })
        }
        (ty, true) => {
            let ty = rust_type(ty);
            (quote! { Option<&#ty> }, quote! { self.#field.as_ref() })
        }
        (ty, false) => {
            let ty = rust_type(ty);
            (quote! { &#ty }, quote! { &self.#field })
        }
    };
    Some(quote! {
        #docs
        #deprecated
        pub fn #name(&self) -> #ty {
            #body
        }
    })
}

/// The element type of a list (`Option<T>` when sparse).
fn list_element(ty: &RustType) -> TokenStream {
    match ty {
        RustType::List { element, sparse: true } => {
            let element = rust_type(element);
            quote! { Option<#element> }
        }
        RustType::List { element, sparse: false } => rust_type(element),
        other => rust_type(other),
    }
}

/// The docs of a member's builder setters and of its `get_` method (the struct builder's and
/// the fluent builder's alike): the member's documentation, else what the method does.
pub fn builder_docs(f: &Field) -> (TokenStream, TokenStream) {
    let setter = doc_attrs(f.docs.as_deref(), &format!("Sets the `{}` member.", f.member));
    let getter =
        doc_attrs(f.docs.as_deref(), &format!("The `{}` member, as set so far.", f.member));
    (setter, getter)
}

/// A builder's setters and getter: `x(..)` (for a list, appends one element; for a map,
/// inserts one entry), `set_x(Option<..>)` and `get_x()`.
fn setters(f: &Field) -> TokenStream {
    let field = ident(&f.ident);
    let method = ident(&f.method);
    let setter = ident(&f.setter);
    let getter = ident(&f.getter);
    let (docs, getter_docs) = builder_docs(f);
    let append_doc = format!(
        " Appends one element to the `{}` list (see `{}` for the whole list).",
        f.member, f.setter
    );
    let insert_doc = format!(
        " Inserts one entry into the `{}` map (see `{}` for the whole map).",
        f.member, f.setter
    );
    let deprecated = deprecated(f.deprecated);
    let ty = rust_type(&f.ty);
    let fluent = match &f.ty {
        RustType::List { .. } => {
            let element = list_element(&f.ty);
            let docs = doc_attrs(f.docs.as_deref(), &format!("The `{}` member.", f.member));
            let docs = quote! { #docs #[doc = ""] #[doc = #append_doc] };
            quote! {
                #docs
                #deprecated
                pub fn #method(mut self, input: impl Into<#element>) -> Self {
                    self.#field.get_or_insert_with(Vec::new).push(input.into());
                    self
                }
            }
        }
        RustType::Map { key, value, sparse } => {
            let key = rust_type(key);
            let value = rust_type(value);
            let value = if *sparse {
                quote! { Option<#value> }
            } else {
                value
            };
            let docs = doc_attrs(f.docs.as_deref(), &format!("The `{}` member.", f.member));
            let docs = quote! { #docs #[doc = ""] #[doc = #insert_doc] };
            quote! {
                #docs
                #deprecated
                pub fn #method(mut self, key: impl Into<#key>, value: impl Into<#value>) -> Self {
                    self.#field.get_or_insert_with(::std::collections::BTreeMap::new).insert(key.into(), value.into());
                    self
                }
            }
        }
        RustType::Boxed(inner) => {
            let inner = rust_type(inner);
            quote! {
                #docs
                #deprecated
                pub fn #method(mut self, input: impl Into<#inner>) -> Self {
                    self.#field = Some(Box::new(input.into()));
                    self
                }
            }
        }
        _ => quote! {
            #docs
            #deprecated
            pub fn #method(mut self, input: impl Into<#ty>) -> Self {
                self.#field = Some(input.into());
                self
            }
        },
    };
    quote! {
        #fluent
        #docs
        #deprecated
        pub fn #setter(mut self, input: Option<#ty>) -> Self {
            self.#field = input;
            self
        }
        #getter_docs
        #deprecated
        pub fn #getter(&self) -> &Option<#ty> {
            &self.#field
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
    if has_response_meta(s) {
        inits.push(quote! { _meta: crate::error::ResponseMeta::default(), });
    }
    // An error's metadata: the one set, else its code and message.
    let construct = if s.error.is_some() {
        quote! {
            let mut value = #name { #(#inits)* };
            value._meta = match self._meta {
                Some(meta) => crate::error::ResponseMeta(meta),
                None => crate::error::ResponseMeta::modeled(#name::CODE, value.message()),
            };
        }
    } else {
        quote! {}
    };
    let value = if s.error.is_some() {
        quote! { value }
    } else {
        quote! { #name { #(#inits)* } }
    };
    let doc = format!(" Builds the [`{type_name}`].");
    Ok(if s.has_required_without_default() {
        let doc_err = " Fails with the name of the first required member that was not set.";
        quote! {
            #[doc = #doc]
            #[doc = ""]
            #[doc = #doc_err]
            pub fn build(self) -> Result<#name, crate::error::BuildError> {
                #construct
                Ok(#value)
            }
        }
    } else {
        quote! {
            #[doc = #doc]
            pub fn build(self) -> #name {
                #construct
                #value
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
            | RustType::ByteStream
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
        (RustType::ByteStream, Value::String(s)) => {
            let bytes =
                decode_base64(s).ok_or_else(|| format!("blob default {s:?} is not base64"))?;
            if bytes.is_empty() {
                quote! { crate::byte_stream::ByteStream::empty() }
            } else {
                quote! { crate::byte_stream::ByteStream::new(vec![#(#bytes),*]) }
            }
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
