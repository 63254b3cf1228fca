//! restJson1 JSON bodies: a writer and a reader per structure and union, and the inline code
//! for every other value (lists, maps, timestamps, blobs, numbers...).

use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use super::Protocol;
use crate::emit::structure::or_default;
use crate::emit::tokens::{ident, path};
use crate::error::{Error, Result};
use crate::ir::{Field, Structure, Union};
use crate::load::{ShapeKind, Traits};

/// Smithy's `@timestampFormat` values, as the runtime's `Format` variant.
pub fn format_tokens(format: &str) -> TokenStream {
    match format {
        "date-time" => quote! { crate::primitives::Format::DateTime },
        "http-date" => quote! { crate::primitives::Format::HttpDate },
        _ => quote! { crate::primitives::Format::EpochSeconds },
    }
}

/// Writes a collection element: in a `@sparse` collection an `Option`, `None` written as `null`.
fn sparse_or_dense(sparse: bool, write_item: TokenStream) -> TokenStream {
    if sparse {
        quote! {
            match item {
                Some(item) => { #write_item }
                None => w.null(),
            }
        }
    } else {
        write_item
    }
}

impl Protocol<'_> {
    /// The timestamp format of a value: the member's trait, else the target's, else `default`.
    pub fn timestamp_format(&self, member_traits: &Traits, target: &str, default: &str) -> String {
        member_traits
            .get("timestampFormat")
            .or_else(|| self.model.shape(target).and_then(|s| s.traits.get("timestampFormat")))
            .and_then(|v| v.as_str())
            .unwrap_or(default)
            .to_string()
    }

    /// The JSON key of a member (`@jsonName`, else the member name).
    pub fn json_name(field_member: &str, traits: &Traits) -> String {
        traits.get("jsonName").and_then(|v| v.as_str()).unwrap_or(field_member).to_string()
    }

    /// The prefix of the readers of named shapes: `de`, or `sde` for the server's strict ones.
    pub fn reader_prefix(&self) -> &'static str {
        if self.strict {
            "sde"
        } else {
            "de"
        }
    }

    /// A runtime reader: `wire::<name>`, or the server's strict `server::strict_<name>`.
    fn reader_fn(&self, name: &str) -> TokenStream {
        let f = format_ident!("{}", name);
        if self.strict {
            let f = format_ident!("strict_{}", name);
            quote! { crate::primitives::server::#f }
        } else {
            quote! { crate::primitives::wire::#f }
        }
    }

    /// `ser_<name>` / `de_<name>` of a named structure or union.
    pub fn fn_name(&self, prefix: &str, shape: &str) -> proc_macro2::Ident {
        let name = &self.paths[shape].name;
        format_ident!("{}_{}", prefix, heck::ToSnakeCase::to_snake_case(name.as_str()))
    }

    /// Statements writing `value` (an expression of type `&T`) as JSON to `w`.
    pub fn ser_value(
        &self,
        target: &str,
        member_traits: &Traits,
        value: TokenStream,
    ) -> TokenStream {
        let shape = &self.model.shapes[target];
        match &shape.kind {
            ShapeKind::String => quote! { w.string(#value); },
            ShapeKind::Enum { .. } => quote! { w.string(#value.as_str()); },
            ShapeKind::IntEnum { .. } => quote! { w.i64(i64::from(#value.as_i32())); },
            ShapeKind::Boolean => quote! { w.bool(*#value); },
            ShapeKind::Byte | ShapeKind::Short | ShapeKind::Integer => {
                quote! { w.i64(i64::from(*#value)); }
            }
            ShapeKind::Long => quote! { w.i64(*#value); },
            ShapeKind::Float => quote! { w.f32(*#value); },
            ShapeKind::Double => quote! { w.f64(*#value); },
            ShapeKind::BigInteger | ShapeKind::BigDecimal => {
                quote! { w.raw_number(#value.as_str()); }
            }
            ShapeKind::Blob => {
                quote! { w.string(&crate::primitives::wire::base64_encode(#value.as_ref())); }
            }
            ShapeKind::Timestamp => {
                let format =
                    format_tokens(&self.timestamp_format(member_traits, target, "epoch-seconds"));
                quote! { crate::primitives::wire::write_timestamp(w, #value, #format); }
            }
            ShapeKind::Document => quote! { w.document(#value); },
            ShapeKind::List { member, .. } => {
                let body = sparse_or_dense(
                    shape.traits.has("sparse"),
                    self.ser_value(&member.target, &member.traits, quote! { item }),
                );
                quote! {
                    w.begin_array();
                    for item in #value {
                        #body
                    }
                    w.end_array();
                }
            }
            ShapeKind::Map { key, value: map_value } => {
                let key_text = match self.model.shapes[&key.target].kind {
                    ShapeKind::Enum { .. } => quote! { key.as_str() },
                    _ => quote! { key },
                };
                let body = sparse_or_dense(
                    shape.traits.has("sparse"),
                    self.ser_value(&map_value.target, &map_value.traits, quote! { item }),
                );
                quote! {
                    w.begin_object();
                    for (key, item) in #value {
                        w.key(#key_text);
                        #body
                    }
                    w.end_object();
                }
            }
            ShapeKind::Structure { .. } | ShapeKind::Union { .. } => {
                let f = self.fn_name("ser", target);
                quote! { crate::protocol::json::#f(w, #value); }
            }
            ShapeKind::Service(_) | ShapeKind::Resource(_) | ShapeKind::Operation(_) => quote! {},
        }
    }

    /// A callable reading a `&Document` into `Result<T, DeserializeError>`: the reader
    /// function itself when there is one, else a closure.
    pub fn de_fn(&self, target: &str, member_traits: &Traits, boxed: bool) -> TokenStream {
        let shape = &self.model.shapes[target];
        let wire = quote! { crate::primitives::wire };
        let direct = match &shape.kind {
            ShapeKind::String => Some(quote! { #wire::string }),
            ShapeKind::Boolean => Some(quote! { #wire::boolean }),
            ShapeKind::Byte => Some(quote! { #wire::i8 }),
            ShapeKind::Short => Some(quote! { #wire::i16 }),
            ShapeKind::Integer => Some(quote! { #wire::i32 }),
            ShapeKind::Long => Some(quote! { #wire::i64 }),
            ShapeKind::Float => Some(self.reader_fn("f32")),
            ShapeKind::Double => Some(self.reader_fn("f64")),
            ShapeKind::BigInteger => Some(quote! { #wire::big_integer }),
            ShapeKind::BigDecimal => Some(quote! { #wire::big_decimal }),
            ShapeKind::Blob => Some(self.reader_fn("blob")),
            ShapeKind::Document => Some(quote! { #wire::document }),
            ShapeKind::Structure { .. } | ShapeKind::Union { .. } => {
                let f = self.fn_name(self.reader_prefix(), target);
                Some(quote! { crate::protocol::json::#f })
            }
            _ => None,
        };
        match (direct, boxed) {
            (Some(f), false) => f,
            (Some(f), true) => quote! { |d| #f(d).map(Box::new) },
            (None, _) => {
                let read = self.de_value(target, member_traits, quote! { d });
                if boxed {
                    quote! { |d| #read.map(Box::new) }
                } else {
                    quote! { |d| #read }
                }
            }
        }
    }

    /// An expression of type `Result<T, DeserializeError>` reading `doc` (a `&Document`).
    pub fn de_value(&self, target: &str, member_traits: &Traits, doc: TokenStream) -> TokenStream {
        let shape = &self.model.shapes[target];
        let wire = quote! { crate::primitives::wire };
        match &shape.kind {
            ShapeKind::String => quote! { #wire::string(#doc) },
            ShapeKind::Enum { .. } => {
                let p = path(&self.paths[target]);
                quote! { #wire::string(#doc).map(|s| #p::from(s.as_str())) }
            }
            ShapeKind::IntEnum { .. } => {
                let p = path(&self.paths[target]);
                quote! { #wire::i32(#doc).map(#p::from) }
            }
            ShapeKind::Boolean => quote! { #wire::boolean(#doc) },
            ShapeKind::Byte => quote! { #wire::i8(#doc) },
            ShapeKind::Short => quote! { #wire::i16(#doc) },
            ShapeKind::Integer => quote! { #wire::i32(#doc) },
            ShapeKind::Long => quote! { #wire::i64(#doc) },
            ShapeKind::Float => {
                let f = self.reader_fn("f32");
                quote! { #f(#doc) }
            }
            ShapeKind::Double => {
                let f = self.reader_fn("f64");
                quote! { #f(#doc) }
            }
            ShapeKind::BigInteger => quote! { #wire::big_integer(#doc) },
            ShapeKind::BigDecimal => quote! { #wire::big_decimal(#doc) },
            ShapeKind::Blob => {
                let f = self.reader_fn("blob");
                quote! { #f(#doc) }
            }
            ShapeKind::Document => quote! { #wire::document(#doc) },
            ShapeKind::Timestamp => {
                let format =
                    format_tokens(&self.timestamp_format(member_traits, target, "epoch-seconds"));
                let f = self.reader_fn("timestamp");
                quote! { #f(#doc, #format) }
            }
            ShapeKind::List { member, .. } => {
                let item = self.de_fn(&member.target, &member.traits, false);
                let f = if shape.traits.has("sparse") {
                    quote! { #wire::sparse_list }
                } else {
                    self.reader_fn("list")
                };
                self.within_length(target, member_traits, doc, |d| quote! { #f(#d, #item) })
            }
            ShapeKind::Map { key, value } => {
                let key_expr = match self.model.shapes[&key.target].kind {
                    ShapeKind::Enum { .. } => {
                        let p = path(&self.paths[&key.target]);
                        quote! { |k: &str| #p::from(k) }
                    }
                    _ => quote! { |k: &str| k.to_string() },
                };
                let item = self.de_fn(&value.target, &value.traits, false);
                let f = if shape.traits.has("sparse") {
                    quote! { #wire::sparse_map }
                } else {
                    self.reader_fn("map")
                };
                self.within_length(
                    target,
                    member_traits,
                    doc,
                    |d| quote! { #f(#d, #key_expr, #item) },
                )
            }
            ShapeKind::Structure { .. } | ShapeKind::Union { .. } => {
                let f = self.fn_name(self.reader_prefix(), target);
                quote! { crate::protocol::json::#f(#doc) }
            }
            ShapeKind::Service(_) | ShapeKind::Resource(_) | ShapeKind::Operation(_) => {
                quote! { Err(crate::error::DeserializeError::new("not a value")) }
            }
        }
    }

    /// `read(doc)`, the expression reading a collection. The server's strict readers first
    /// refuse a collection with more elements than its `@length` maximum, before reading any of
    /// them (`server::at_most`); clients read whatever the service sends.
    fn within_length(
        &self,
        target: &str,
        member_traits: &Traits,
        doc: TokenStream,
        read: impl Fn(TokenStream) -> TokenStream,
    ) -> TokenStream {
        let shape = &self.model.shapes[target];
        // The member's `@length`, else the target's.
        let length = member_traits.get("length").or_else(|| shape.traits.get("length"));
        let bound = |k: &str| {
            length
                .and_then(|v| v.get(k))
                .and_then(serde_json::Value::as_f64)
                .map(|f| f.max(0.0) as u64)
        };
        let (min, max) = (bound("min"), bound("max"));
        match max.filter(|_| self.strict) {
            Some(max) => {
                let min = match min {
                    Some(min) => quote! { Some(#min) },
                    None => quote! { None },
                };
                let read = read(quote! { d });
                quote! {
                    crate::primitives::server::at_most(#doc, #min, #max).and_then(|d| #read)
                }
            }
            None => read(doc),
        }
    }

    /// The value a missing required member gets under Smithy's client error correction (the
    /// zero value of its type), inside a function returning `Result<_, DeserializeError>`.
    pub fn corrected(&self, target: &str) -> TokenStream {
        let shape = &self.model.shapes[target];
        match &shape.kind {
            ShapeKind::String => quote! { String::new() },
            ShapeKind::Boolean => quote! { false },
            ShapeKind::Byte | ShapeKind::Short | ShapeKind::Integer | ShapeKind::Long => {
                quote! { 0 }
            }
            ShapeKind::Float | ShapeKind::Double => quote! { 0.0 },
            ShapeKind::BigInteger => quote! { crate::primitives::BigInteger::from(0i64) },
            ShapeKind::BigDecimal => quote! { crate::primitives::BigDecimal::from(0i64) },
            ShapeKind::Blob => quote! { crate::primitives::Blob::default() },
            ShapeKind::Timestamp => quote! { crate::primitives::DateTime::from_secs(0) },
            ShapeKind::Document => quote! { crate::primitives::Document::Null },
            ShapeKind::List { .. } => quote! { Vec::new() },
            ShapeKind::Map { .. } => quote! { ::std::collections::BTreeMap::new() },
            ShapeKind::Enum { .. } => {
                let p = path(&self.paths[target]);
                quote! { #p::from("") }
            }
            ShapeKind::IntEnum { .. } => {
                let p = path(&self.paths[target]);
                quote! { #p::from(0) }
            }
            ShapeKind::Structure { .. } => {
                let f = self.fn_name(self.reader_prefix(), target);
                quote! { crate::protocol::json::#f(&crate::primitives::Document::Object(::std::collections::BTreeMap::new()))? }
            }
            ShapeKind::Union { .. } => {
                let p = path(&self.paths[target]);
                let unknown = match self.union_of(target) {
                    Some(u) => ident(&u.unknown),
                    None => ident("Unknown"),
                };
                quote! { #p::#unknown }
            }
            ShapeKind::Service(_) | ShapeKind::Resource(_) | ShapeKind::Operation(_) => {
                quote! { Default::default() }
            }
        }
    }

    /// The field initializer reading a member from the JSON object `object`, with defaults and
    /// error correction for non-optional members.
    pub fn de_field(
        &self,
        owner: &Structure,
        field: &Field,
        read: TokenStream,
    ) -> Result<TokenStream> {
        if let Some(init) = super::event_stream::de_field(field, &read) {
            return Ok(init);
        }
        let value = quote! { #read? };
        Ok(if field.optional {
            value
        } else if self.strict && field.default.is_none() {
            // Servers do not correct: a missing required member is a validation error.
            let key = Self::json_name(&field.member, &field.traits);
            quote! {
                match #value {
                    Some(v) => v,
                    None => return Err(crate::primitives::server::missing_required(#key)),
                }
            }
        } else if let Some(default) = &field.default {
            let fallback = or_default(&field.ty, default)
                .map_err(|m| Error::unsupported(format!("{}${}", owner.shape, field.member), m))?;
            quote! { #value #fallback }
        } else {
            let zero_is_default = matches!(
                self.model.shapes[&field.target].kind,
                ShapeKind::String
                    | ShapeKind::Boolean
                    | ShapeKind::Byte
                    | ShapeKind::Short
                    | ShapeKind::Integer
                    | ShapeKind::Long
                    | ShapeKind::Float
                    | ShapeKind::Double
                    | ShapeKind::Blob
                    | ShapeKind::List { .. }
                    | ShapeKind::Map { .. }
            );
            let mut corrected = self.corrected(&field.target);
            if Self::is_boxed(field) {
                corrected = quote! { Box::new(#corrected) };
            }
            if zero_is_default {
                quote! { #value.unwrap_or_default() }
            } else if matches!(self.model.shapes[&field.target].kind, ShapeKind::Structure { .. }) {
                // Correcting a structure reads an empty object, which can fail only in theory.
                quote! { match #value { Some(v) => v, None => #corrected } }
            } else if matches!(self.model.shapes[&field.target].kind, ShapeKind::Union { .. })
                && !Self::is_boxed(field)
            {
                quote! { #value.unwrap_or(#corrected) }
            } else if matches!(self.model.shapes[&field.target].kind, ShapeKind::Document) {
                // `Document::Null` costs nothing to build.
                quote! { #value.unwrap_or(#corrected) }
            } else {
                quote! { #value.unwrap_or_else(|| #corrected) }
            }
        })
    }

    /// Whether a field holds a `Box`.
    pub fn is_boxed(field: &Field) -> bool {
        matches!(field.ty, crate::ir::RustType::Boxed(_))
    }

    /// Boxes the value read (a `Result<T, _>`) for a boxed field.
    pub fn boxed(field: &Field, value: TokenStream) -> TokenStream {
        if matches!(field.ty, crate::ir::RustType::Boxed(_)) {
            quote! { #value.map(Box::new) }
        } else {
            value
        }
    }

    /// `ser_<s>`: writes every member of a structure as one JSON object.
    pub fn ser_structure(&self, s: &Structure) -> TokenStream {
        let f = self.fn_name("ser", &s.shape);
        let ty = path(&s.path);
        let members = s.fields.iter().map(|field| self.ser_member(field, quote! { value }));
        let value_binding = if s.fields.is_empty() {
            quote! { _value }
        } else {
            quote! { value }
        };
        quote! {
            pub(crate) fn #f(w: &mut crate::primitives::json::JsonWriter, #value_binding: &#ty) {
                w.begin_object();
                #(#members)*
                w.end_object();
            }
        }
    }

    /// Writes one member of `owner` (an expression of the structure type) as `"key": value`.
    pub fn ser_member(&self, field: &Field, owner: TokenStream) -> TokenStream {
        let name = ident(&field.ident);
        let key = Self::json_name(&field.member, &field.traits);
        let write = self.ser_value(&field.target, &field.traits, quote! { v });
        if field.optional {
            quote! {
                if let Some(v) = &#owner.#name {
                    w.key(#key);
                    #write
                }
            }
        } else {
            quote! {
                {
                    let v = &#owner.#name;
                    w.key(#key);
                    #write
                }
            }
        }
    }

    /// `de_<s>`: reads a structure from a JSON object.
    pub fn de_structure(&self, s: &Structure) -> Result<TokenStream> {
        let f = self.fn_name(self.reader_prefix(), &s.shape);
        let ty = path(&s.path);
        let mut inits = Vec::new();
        for field in &s.fields {
            let name = ident(&field.ident);
            let key = Self::json_name(&field.member, &field.traits);
            let read = self.de_fn(&field.target, &field.traits, Self::is_boxed(field));
            let read = quote! { crate::primitives::wire::member(object, #key, #read) };
            let init = self.de_field(s, field, read)?;
            inits.push(quote! { #name: #init, });
        }
        let object_binding = if s.fields.is_empty() {
            quote! { _object }
        } else {
            quote! { object }
        };
        Ok(quote! {
            pub(crate) fn #f(doc: &crate::primitives::Document) -> Result<#ty, crate::error::DeserializeError> {
                let #object_binding = crate::primitives::wire::object(doc)?;
                Ok(#ty { #(#inits)* })
            }
        })
    }

    /// `ser_<u>`: a union as a single-member JSON object.
    pub fn ser_union(&self, u: &Union) -> TokenStream {
        let f = self.fn_name("ser", &u.shape);
        let ty = path(&u.path);
        let unknown = ident(&u.unknown);
        let arms = u.variants.iter().map(|v| {
            let variant = ident(&v.ident);
            let key = Self::json_name(&v.member, &v.traits);
            match &v.ty {
                Some(_) => {
                    let write = self.ser_value(&v.target, &v.traits, quote! { inner });
                    quote! { #ty::#variant(inner) => { w.key(#key); #write } }
                }
                None => {
                    quote! { #ty::#variant => { w.key(#key); w.begin_object(); w.end_object(); } }
                }
            }
        });
        quote! {
            pub(crate) fn #f(w: &mut crate::primitives::json::JsonWriter, value: &#ty) {
                w.begin_object();
                match value {
                    #(#arms)*
                    #ty::#unknown => {}
                }
                w.end_object();
            }
        }
    }

    /// `de_<u>`: reads a union; `null` members and `__type` are ignored, an unknown member
    /// becomes the catch-all variant, more than one member is an error.
    pub fn de_union(&self, u: &Union) -> TokenStream {
        let f = self.fn_name(self.reader_prefix(), &u.shape);
        let ty = path(&u.path);
        let unknown = ident(&u.unknown);
        let arms = u.variants.iter().map(|v| {
            let variant = ident(&v.ident);
            let key = Self::json_name(&v.member, &v.traits);
            match &v.ty {
                Some(rt) => {
                    let read = self.de_value(&v.target, &v.traits, quote! { value });
                    let read = if matches!(rt, crate::ir::RustType::Boxed(_)) {
                        quote! { #read.map(Box::new) }
                    } else {
                        read
                    };
                    quote! { #key => #ty::#variant(#read.map_err(|e| e.in_member(#key))?), }
                }
                None => quote! { #key => #ty::#variant, },
            }
        });
        // Clients keep a member added after they were built; servers refuse it.
        let unknown_arm = if self.strict {
            let message = format!("unknown member of the union `{}`", u.path.name);
            quote! { return Err(crate::error::DeserializeError::new(#message).in_member(key)) }
        } else {
            quote! { #ty::#unknown }
        };
        let too_many = format!("more than one member of the union `{}` is set", u.path.name);
        let none = format!("no member of the union `{}` is set", u.path.name);
        quote! {
            pub(crate) fn #f(doc: &crate::primitives::Document) -> Result<#ty, crate::error::DeserializeError> {
                let mut found = None;
                for (key, value) in crate::primitives::wire::object(doc)? {
                    if value.is_null() || key == "__type" {
                        continue;
                    }
                    let variant = match key.as_str() {
                        #(#arms)*
                        _ => #unknown_arm,
                    };
                    if found.is_some() {
                        return Err(crate::error::DeserializeError::new(#too_many));
                    }
                    found = Some(variant);
                }
                found.ok_or_else(|| crate::error::DeserializeError::new(#none))
            }
        }
    }
}
