//! restJson1 JSON bodies: a writer and a reader per structure and union, and the inline code
//! for every other value (lists, maps, timestamps, blobs, numbers...).

use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use super::Protocol;
use crate::emit::structure::or_default;
use crate::emit::tokens::{ident, path};
use crate::error::{Error, Result};
use crate::ir::{Field, Location, Structure, TimestampFormat, Union, Value, ValueKind};

/// Smithy's `@timestampFormat` values, as the runtime's `Format` variant.
pub fn format_tokens(format: TimestampFormat) -> TokenStream {
    match format {
        TimestampFormat::DateTime => quote! { crate::primitives::Format::DateTime },
        TimestampFormat::HttpDate => quote! { crate::primitives::Format::HttpDate },
        TimestampFormat::EpochSeconds => quote! { crate::primitives::Format::EpochSeconds },
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
    /// The prefix of the readers of named shapes: `de`, or `sde` for the server's strict ones.
    pub fn reader_prefix(&self) -> &'static str {
        if self.strict {
            "sde"
        } else {
            "de"
        }
    }

    /// A runtime reader: `protocol::<name>`, or the server's strict `server::strict_<name>`.
    fn reader_fn(&self, name: &str) -> TokenStream {
        let f = format_ident!("{}", name);
        if self.strict {
            let f = format_ident!("strict_{}", name);
            quote! { crate::primitives::server::#f }
        } else {
            quote! { crate::primitives::protocol::#f }
        }
    }

    /// `ser_<name>` / `de_<name>` of a named structure or union.
    pub fn fn_name(&self, prefix: &str, shape: &str) -> proc_macro2::Ident {
        let name = &self.paths[shape].name;
        format_ident!("{}_{}", prefix, heck::ToSnakeCase::to_snake_case(name.as_str()))
    }

    /// Statements writing `value` (an expression of type `&T`) of the value `v` as JSON to `w`.
    pub fn ser_value(&self, v: &Value, value: TokenStream) -> TokenStream {
        match &v.kind {
            ValueKind::String { .. } => quote! { w.string(#value); },
            ValueKind::Enum(_) => quote! { w.string(#value.as_str()); },
            ValueKind::IntEnum(_) => quote! { w.i64(i64::from(#value.as_i32())); },
            ValueKind::Boolean => quote! { w.bool(*#value); },
            ValueKind::Byte | ValueKind::Short | ValueKind::Integer => {
                quote! { w.i64(i64::from(*#value)); }
            }
            ValueKind::Long => quote! { w.i64(*#value); },
            ValueKind::Float => quote! { w.f32(*#value); },
            ValueKind::Double => quote! { w.f64(*#value); },
            ValueKind::BigInteger | ValueKind::BigDecimal => {
                quote! { w.raw_number(#value.as_str()); }
            }
            ValueKind::Blob { .. } => {
                quote! { w.string(&crate::primitives::protocol::base64_encode(#value.as_ref())); }
            }
            ValueKind::Timestamp => {
                let format = format_tokens(v.timestamp_format_in(Location::Body));
                quote! { crate::primitives::protocol::write_timestamp(w, #value, #format); }
            }
            ValueKind::Document => quote! { w.document(#value); },
            ValueKind::List { element, sparse } => {
                let body = sparse_or_dense(*sparse, self.ser_value(element, quote! { item }));
                quote! {
                    w.begin_array();
                    for item in #value {
                        #body
                    }
                    w.end_array();
                }
            }
            ValueKind::Map { key, value: map_value, sparse } => {
                let key_text = match key.kind {
                    ValueKind::Enum(_) => quote! { key.as_str() },
                    _ => quote! { key },
                };
                let body = sparse_or_dense(*sparse, self.ser_value(map_value, quote! { item }));
                quote! {
                    w.begin_object();
                    for (key, item) in #value {
                        w.key(#key_text);
                        #body
                    }
                    w.end_object();
                }
            }
            ValueKind::Structure(_) | ValueKind::Union { .. } => {
                let f = self.fn_name("ser", &v.shape);
                quote! { crate::protocol::json::#f(w, #value); }
            }
        }
    }

    /// A callable reading a `&Document` into `Result<T, DeserializeError>`: the reader
    /// function itself when there is one, else a closure.
    pub fn de_fn(&self, v: &Value, boxed: bool) -> TokenStream {
        if !self.strict {
            return self.pull_fn(v, boxed);
        }
        let protocol = quote! { crate::primitives::protocol };
        let direct = match &v.kind {
            ValueKind::String { .. } => Some(quote! { #protocol::string }),
            ValueKind::Boolean => Some(quote! { #protocol::boolean }),
            ValueKind::Byte => Some(quote! { #protocol::i8 }),
            ValueKind::Short => Some(quote! { #protocol::i16 }),
            ValueKind::Integer => Some(quote! { #protocol::i32 }),
            ValueKind::Long => Some(quote! { #protocol::i64 }),
            ValueKind::Float => Some(self.reader_fn("f32")),
            ValueKind::Double => Some(self.reader_fn("f64")),
            ValueKind::BigInteger => Some(quote! { #protocol::big_integer }),
            ValueKind::BigDecimal => Some(quote! { #protocol::big_decimal }),
            ValueKind::Blob { .. } => Some(self.reader_fn("blob")),
            ValueKind::Document => Some(quote! { #protocol::document }),
            ValueKind::Structure(_) | ValueKind::Union { .. } => {
                let f = self.fn_name(self.reader_prefix(), &v.shape);
                Some(quote! { crate::protocol::json::#f })
            }
            _ => None,
        };
        match (direct, boxed) {
            (Some(f), false) => f,
            (Some(f), true) => quote! { |d| #f(d).map(Box::new) },
            (None, _) => {
                let read = self.de_value(v, quote! { d });
                if boxed {
                    quote! { |d| #read.map(Box::new) }
                } else {
                    quote! { |d| #read }
                }
            }
        }
    }

    /// An expression of type `Result<T, DeserializeError>` reading `doc` (a `&Document`).
    pub fn de_value(&self, v: &Value, doc: TokenStream) -> TokenStream {
        if !self.strict {
            return self.pull_value(v, doc);
        }
        let protocol = quote! { crate::primitives::protocol };
        match &v.kind {
            ValueKind::String { .. } => quote! { #protocol::string(#doc) },
            ValueKind::Enum(p) => {
                let p = path(p);
                quote! { #protocol::string(#doc).map(|s| #p::from(s.as_str())) }
            }
            ValueKind::IntEnum(p) => {
                let p = path(p);
                quote! { #protocol::i32(#doc).map(#p::from) }
            }
            ValueKind::Boolean => quote! { #protocol::boolean(#doc) },
            ValueKind::Byte => quote! { #protocol::i8(#doc) },
            ValueKind::Short => quote! { #protocol::i16(#doc) },
            ValueKind::Integer => quote! { #protocol::i32(#doc) },
            ValueKind::Long => quote! { #protocol::i64(#doc) },
            ValueKind::Float => {
                let f = self.reader_fn("f32");
                quote! { #f(#doc) }
            }
            ValueKind::Double => {
                let f = self.reader_fn("f64");
                quote! { #f(#doc) }
            }
            ValueKind::BigInteger => quote! { #protocol::big_integer(#doc) },
            ValueKind::BigDecimal => quote! { #protocol::big_decimal(#doc) },
            ValueKind::Blob { .. } => {
                let f = self.reader_fn("blob");
                quote! { #f(#doc) }
            }
            ValueKind::Document => quote! { #protocol::document(#doc) },
            ValueKind::Timestamp => {
                let format = format_tokens(v.timestamp_format_in(Location::Body));
                let f = self.reader_fn("timestamp");
                quote! { #f(#doc, #format) }
            }
            ValueKind::List { element, sparse } => {
                let item = self.de_fn(element, false);
                let f = if *sparse {
                    quote! { #protocol::sparse_list }
                } else {
                    self.reader_fn("list")
                };
                self.within_length(v, doc, |d| quote! { #f(#d, #item) })
            }
            ValueKind::Map { key, value, sparse } => {
                let key_expr = match &key.kind {
                    ValueKind::Enum(p) => {
                        let p = path(p);
                        quote! { |k: &str| #p::from(k) }
                    }
                    _ => quote! { |k: &str| k.to_string() },
                };
                let item = self.de_fn(value, false);
                let f = if *sparse {
                    quote! { #protocol::sparse_map }
                } else {
                    self.reader_fn("map")
                };
                self.within_length(v, doc, |d| quote! { #f(#d, #key_expr, #item) })
            }
            ValueKind::Structure(_) | ValueKind::Union { .. } => {
                let f = self.fn_name(self.reader_prefix(), &v.shape);
                quote! { crate::protocol::json::#f(#doc) }
            }
        }
    }

    /// A client's callable reading the next value of a `&mut json::Reader` into
    /// `Result<T, DeserializeError>`: the reader's method or the shape's reader when there is
    /// one, else a closure.
    fn pull_fn(&self, v: &Value, boxed: bool) -> TokenStream {
        let reader = quote! { crate::primitives::json::Reader };
        let method = |name: &str| {
            let name = format_ident!("{}", name);
            Some(quote! { #reader::#name })
        };
        let direct = match &v.kind {
            ValueKind::String { .. } => method("string"),
            ValueKind::Boolean => method("boolean"),
            ValueKind::Byte => method("i8"),
            ValueKind::Short => method("i16"),
            ValueKind::Integer => method("i32"),
            ValueKind::Long => method("i64"),
            ValueKind::Float => method("f32"),
            ValueKind::Double => method("f64"),
            ValueKind::BigInteger => method("big_integer"),
            ValueKind::BigDecimal => method("big_decimal"),
            ValueKind::Blob { .. } => method("blob"),
            ValueKind::Document => method("document"),
            ValueKind::Structure(_) | ValueKind::Union { .. } => {
                let f = self.fn_name(self.reader_prefix(), &v.shape);
                Some(quote! { crate::protocol::json::#f })
            }
            _ => None,
        };
        match (direct, boxed) {
            (Some(f), false) => f,
            (Some(f), true) => quote! { |r| #f(r).map(Box::new) },
            (None, _) => {
                let read = self.pull_value(v, quote! { r });
                if boxed {
                    quote! { |r| #read.map(Box::new) }
                } else {
                    quote! { |r| #read }
                }
            }
        }
    }

    /// A client's expression of type `Result<T, DeserializeError>` reading the next value of
    /// `r` (a `&mut json::Reader`).
    fn pull_value(&self, v: &Value, r: TokenStream) -> TokenStream {
        match &v.kind {
            ValueKind::String { .. } => quote! { #r.string() },
            ValueKind::Enum(p) => {
                let p = path(p);
                let read = quote! { #r.text().map(|s| #p::from(s.as_ref())) };
                // A small enum's known values, as services write them (quoted, no escape), are
                // compared in place first (`Reader::value_in_place`): a few word compares each,
                // no scan for the string's end. Anything else is read as a string.
                let values: Vec<&str> = match self.enum_of(&v.shape) {
                    Some(e) if e.variants.len() <= IN_PLACE_ENUM_VALUES => {
                        e.variants.iter().map(|variant| variant.value.as_str()).collect()
                    }
                    _ => Vec::new(),
                };
                if values.is_empty() || !values.iter().all(|value| json_as_is(value)) {
                    return read;
                }
                let tries = values.iter().map(|value| {
                    let wire = proc_macro2::Literal::byte_string(format!("\"{value}\"").as_bytes());
                    quote! { if #r.value_in_place(#wire) { Ok(#p::from(#value)) } else }
                });
                quote! { #(#tries)* { #read } }
            }
            ValueKind::IntEnum(p) => {
                let p = path(p);
                quote! { #r.i32().map(#p::from) }
            }
            ValueKind::Boolean => quote! { #r.boolean() },
            ValueKind::Byte => quote! { #r.i8() },
            ValueKind::Short => quote! { #r.i16() },
            ValueKind::Integer => quote! { #r.i32() },
            ValueKind::Long => quote! { #r.i64() },
            ValueKind::Float => quote! { #r.f32() },
            ValueKind::Double => quote! { #r.f64() },
            ValueKind::BigInteger => quote! { #r.big_integer() },
            ValueKind::BigDecimal => quote! { #r.big_decimal() },
            ValueKind::Blob { .. } => quote! { #r.blob() },
            ValueKind::Document => quote! { #r.document() },
            ValueKind::Timestamp => {
                let format = format_tokens(v.timestamp_format_in(Location::Body));
                quote! { #r.timestamp(#format) }
            }
            ValueKind::List { element, sparse } => {
                let item = self.pull_fn(element, false);
                if *sparse {
                    quote! { #r.sparse_list(#item) }
                } else {
                    quote! { #r.list(#item) }
                }
            }
            ValueKind::Map { key, value, sparse } => {
                let key_expr = match &key.kind {
                    ValueKind::Enum(p) => {
                        let p = path(p);
                        quote! { |k: &str| #p::from(k) }
                    }
                    _ => quote! { |k: &str| k.to_string() },
                };
                let item = self.pull_fn(value, false);
                if *sparse {
                    quote! { #r.sparse_map(#key_expr, #item) }
                } else {
                    quote! { #r.map(#key_expr, #item) }
                }
            }
            ValueKind::Structure(_) | ValueKind::Union { .. } => {
                let f = self.fn_name(self.reader_prefix(), &v.shape);
                quote! { crate::protocol::json::#f(#r) }
            }
        }
    }

    /// A client's reading of the JSON object members `fields` from `r`, one local per field
    /// (`Option<T>`, named by `local`), read in the order they come, unknown keys skipped,
    /// `null` as absent, a repeated key's last value kept: the locals' declarations and the
    /// loop.
    pub fn pull_members<'f>(
        &self,
        fields: impl Iterator<Item = &'f Field>,
        r: TokenStream,
        local: impl Fn(&Field) -> proc_macro2::Ident,
    ) -> (TokenStream, TokenStream) {
        self.pull_members_noting(fields, r, local, None)
    }

    /// [`pull_members`](Self::pull_members), noting some keys as they come (see [`Noting`]):
    /// a member whose key is noted is noted before its value is read, and every value that is
    /// not a member's goes to `note.other` with its key's number in `note.keys`.
    pub fn pull_members_noting<'f>(
        &self,
        fields: impl Iterator<Item = &'f Field>,
        r: TokenStream,
        local: impl Fn(&Field) -> proc_macro2::Ident,
        note: Option<Noting<'_>>,
    ) -> (TokenStream, TokenStream) {
        let mut decls = Vec::new();
        let mut arms = Vec::new();
        let mut keys = Vec::new();
        let mut indexed = Vec::new();
        let noted = |key: &str| note.as_ref().filter(|n| n.keys.contains(&key));
        for (index, field) in fields.enumerate() {
            let name = local(field);
            let key = &field.json_name;
            let read = self.pull_fn(&field.value, Self::is_boxed(field));
            decls.push(quote! { let mut #name = None; });
            arms.push(quote! { #key => #name = #r.member(#key, #read)?, });
            let index = proc_macro2::Literal::usize_unsuffixed(index);
            indexed.push(match noted(key).map(|n| (n.member)(quote! { #key })) {
                Some(before) => quote! { #index => { #before #name = #r.member(#key, #read)?; } },
                None => quote! { #index => #name = #r.member(#key, #read)?, },
            });
            keys.push(key.as_str());
        }
        // The keys noted follow the members' (told apart, not expected; one that is also a
        // member's key is found as the member, the first of the two).
        let ordered = keys.len();
        let mut all = keys.clone();
        let mut other = quote! { #r.skip_value()? };
        if let Some(note) = &note {
            all.extend(note.keys);
            let number = match ordered {
                0 => quote! { index },
                _ => {
                    let ordered = proc_macro2::Literal::usize_unsuffixed(ordered);
                    quote! { index - #ordered }
                }
            };
            other = (note.other)(number);
        }
        // Keys written as they are on the wire (no character that JSON must escape) are
        // recognized in place, in the order the model lists them: the key expected next (and
        // the object's end) compared as constants in the reader itself (`Reader::key_in_place`,
        // `Reader::end_in_place`), anything else read by `Reader::next_member`.
        let plain = all.iter().all(|key| json_as_is(key));
        let read = if !all.is_empty() && plain {
            let expected = keys.iter().enumerate().map(|(index, key)| {
                let wire = proc_macro2::Literal::byte_string(format!("\"{key}\":").as_bytes());
                let after = proc_macro2::Literal::usize_unsuffixed(index + 1);
                let index = proc_macro2::Literal::usize_unsuffixed(index);
                quote! {
                    #index if #r.key_in_place(#wire) => {
                        next = #after;
                        #index
                    }
                }
            });
            // With no members, every value is another's (a `match` would have one arm).
            let read_value = if indexed.is_empty() {
                quote! { #other; }
            } else {
                quote! {
                    match index {
                        #(#indexed)*
                        _ => #other,
                    }
                }
            };
            let find = if ordered == all.len() {
                quote! { #r.next_member(&[#(#all),*], &mut next)? }
            } else {
                let ordered = proc_macro2::Literal::usize_unsuffixed(ordered);
                quote! { #r.next_member_among(&[#(#all),*], #ordered, &mut next)? }
            };
            quote! {
                #r.begin_object()?;
                let mut next = 0;
                loop {
                    let index = match next {
                        #(#expected)*
                        _ if #r.end_in_place() => break,
                        _ => match #find {
                            Some(index) => index,
                            None => break,
                        },
                    };
                    #read_value
                }
            }
        } else if all.is_empty() {
            quote! {
                #r.begin_object()?;
                while #r.next_key()?.is_some() {
                    #r.skip_value()?;
                }
            }
        } else {
            let before = note.as_ref().map(|n| (n.member)(quote! { &key }));
            quote! {
                #r.begin_object()?;
                while let Some(key) = #r.next_key()? {
                    #before
                    match key.as_ref() {
                        #(#arms)*
                        _ => #r.skip_value()?,
                    }
                }
            }
        };
        (quote! { #(#decls)* }, read)
    }

    /// The local holding a body member while a client reads an object.
    pub fn member_local(field: &Field) -> proc_macro2::Ident {
        format_ident!("m_{}", field.ident.trim_start_matches("r#"))
    }

    /// `read(doc)`, the expression reading a collection. The server's strict readers first
    /// refuse a collection with more elements than its `@length` maximum, before reading any of
    /// them (`server::at_most`); clients read whatever the service sends.
    fn within_length(
        &self,
        v: &Value,
        doc: TokenStream,
        read: impl Fn(TokenStream) -> TokenStream,
    ) -> TokenStream {
        let length = v.constraints.length.unwrap_or_default();
        let (min, max) = (length.min, length.max);
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
    pub fn corrected(&self, v: &Value) -> TokenStream {
        match &v.kind {
            ValueKind::String { .. } => quote! { String::new() },
            ValueKind::Boolean => quote! { false },
            ValueKind::Byte | ValueKind::Short | ValueKind::Integer | ValueKind::Long => {
                quote! { 0 }
            }
            ValueKind::Float | ValueKind::Double => quote! { 0.0 },
            ValueKind::BigInteger => quote! { crate::primitives::BigInteger::from(0i64) },
            ValueKind::BigDecimal => quote! { crate::primitives::BigDecimal::from(0i64) },
            ValueKind::Blob { .. } => quote! { crate::primitives::Blob::default() },
            ValueKind::Timestamp => quote! { crate::primitives::DateTime::from_secs(0) },
            ValueKind::Document => quote! { crate::primitives::Document::Null },
            ValueKind::List { .. } => quote! { Vec::new() },
            ValueKind::Map { .. } => quote! { ::std::collections::BTreeMap::new() },
            ValueKind::Enum(p) => {
                let p = path(p);
                quote! { #p::from("") }
            }
            ValueKind::IntEnum(p) => {
                let p = path(p);
                quote! { #p::from(0) }
            }
            ValueKind::Structure(_) if self.strict => {
                let f = self.fn_name(self.reader_prefix(), &v.shape);
                quote! { crate::protocol::json::#f(&crate::primitives::Document::Object(::std::collections::BTreeMap::new()))? }
            }
            ValueKind::Structure(_) => {
                let f = self.fn_name(self.reader_prefix(), &v.shape);
                quote! { crate::protocol::json::#f(&mut crate::primitives::json::Reader::new(b"{}"))? }
            }
            ValueKind::Union { path: p, .. } => {
                let p = path(p);
                let unknown = match self.union_of(&v.shape) {
                    Some(u) => ident(&u.unknown),
                    None => ident("Unknown"),
                };
                quote! { #p::#unknown }
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
        self.de_field_value(owner, field, quote! { #read? })
    }

    /// The field initializer from `value`, an expression of type `Option<T>` (the member as
    /// read, `None` when absent), with defaults and error correction for non-optional members.
    pub fn de_field_value(
        &self,
        owner: &Structure,
        field: &Field,
        value: TokenStream,
    ) -> Result<TokenStream> {
        // A stream field that is not an `Option` is an empty stream when absent.
        if let Some(empty) = super::event_stream::empty_stream(field) {
            return Ok(quote! { #value.unwrap_or_else(#empty) });
        }
        Ok(if field.optional {
            value
        } else if self.strict && field.default.is_none() {
            // Servers do not correct: a missing required member is a validation error.
            let key = &field.json_name;
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
                field.value.kind,
                ValueKind::String { .. }
                    | ValueKind::Boolean
                    | ValueKind::Byte
                    | ValueKind::Short
                    | ValueKind::Integer
                    | ValueKind::Long
                    | ValueKind::Float
                    | ValueKind::Double
                    | ValueKind::Blob { .. }
                    | ValueKind::List { .. }
                    | ValueKind::Map { .. }
            );
            let mut corrected = self.corrected(&field.value);
            if Self::is_boxed(field) {
                corrected = quote! { Box::new(#corrected) };
            }
            if zero_is_default {
                quote! { #value.unwrap_or_default() }
            } else if matches!(field.value.kind, ValueKind::Structure(_)) {
                // Correcting a structure reads an empty object, which can fail only in theory.
                quote! { match #value { Some(v) => v, None => #corrected } }
            } else if matches!(field.value.kind, ValueKind::Union { .. }) && !Self::is_boxed(field)
            {
                quote! { #value.unwrap_or(#corrected) }
            } else if matches!(field.value.kind, ValueKind::Document) && !Self::is_boxed(field) {
                // `Document::Null` costs nothing to build (clippy: unnecessary_lazy_evaluations).
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
        let key = &field.json_name;
        let write = self.ser_value(&field.value, quote! { v });
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
        let meta = crate::emit::api::meta_init(s, crate::emit::api::MetaSource::Nested);
        let f = self.fn_name(self.reader_prefix(), &s.shape);
        let ty = path(&s.path);
        if !self.strict {
            let (decls, read) =
                self.pull_members(s.fields.iter(), quote! { r }, Self::member_local);
            let mut inits = Vec::new();
            for field in &s.fields {
                let name = ident(&field.ident);
                let local = Self::member_local(field);
                let init = self.de_field_value(s, field, quote! { #local })?;
                inits.push(quote! { #name: #init, });
            }
            return Ok(quote! {
                pub(crate) fn #f(r: &mut crate::primitives::json::Reader<'_>) -> Result<#ty, crate::error::DeserializeError> {
                    #decls
                    #read
                    Ok(#ty { #(#inits)* #meta })
                }
            });
        }
        let mut inits = Vec::new();
        for field in &s.fields {
            let name = ident(&field.ident);
            let key = &field.json_name;
            let read = self.de_fn(&field.value, Self::is_boxed(field));
            let read = quote! { crate::primitives::protocol::member(object, #key, #read) };
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
                let #object_binding = crate::primitives::protocol::object(doc)?;
                Ok(#ty { #(#inits)* #meta })
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
            let key = &v.json_name;
            match &v.value {
                Some(value) => {
                    let write = self.ser_value(value, quote! { inner });
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
        if !self.strict {
            return self.pull_union(u);
        }
        let arms = u.variants.iter().map(|v| {
            let variant = ident(&v.ident);
            let key = &v.json_name;
            match (&v.ty, &v.value) {
                (Some(rt), Some(value)) => {
                    let read = self.de_value(value, quote! { value });
                    let read = if matches!(rt, crate::ir::RustType::Boxed(_)) {
                        quote! { #read.map(Box::new) }
                    } else {
                        read
                    };
                    quote! { #key => #ty::#variant(#read.map_err(|e| e.in_member(#key))?), }
                }
                _ => quote! { #key => #ty::#variant, },
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
                for (key, value) in crate::primitives::protocol::object(doc)? {
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

    /// A client's `de_<u>` over a `json::Reader`: members in the order they come, `null`
    /// members and `__type` ignored, an unknown member the catch-all variant, two different
    /// members an error (a repeated key's last value counts).
    fn pull_union(&self, u: &Union) -> TokenStream {
        let f = self.fn_name(self.reader_prefix(), &u.shape);
        let ty = path(&u.path);
        let unknown = ident(&u.unknown);
        let arms = u.variants.iter().map(|v| {
            let variant = ident(&v.ident);
            let key = &v.json_name;
            match (&v.ty, &v.value) {
                (Some(rt), Some(value)) => {
                    let read = self.pull_value(value, quote! { r });
                    let read = if matches!(rt, crate::ir::RustType::Boxed(_)) {
                        quote! { #read.map(Box::new) }
                    } else {
                        read
                    };
                    quote! { #key => #ty::#variant(#read.map_err(|e| e.in_member(#key))?), }
                }
                _ => quote! { #key => { r.skip_value()?; #ty::#variant } },
            }
        });
        let too_many = format!("more than one member of the union `{}` is set", u.path.name);
        let none = format!("no member of the union `{}` is set", u.path.name);
        quote! {
            pub(crate) fn #f(r: &mut crate::primitives::json::Reader<'_>) -> Result<#ty, crate::error::DeserializeError> {
                let mut found: Option<(::std::borrow::Cow<'_, str>, #ty)> = None;
                r.begin_object()?;
                while let Some(key) = r.next_key()? {
                    if key == "__type" {
                        r.skip_value()?;
                        continue;
                    }
                    if r.null()? {
                        continue;
                    }
                    let variant = match key.as_ref() {
                        #(#arms)*
                        _ => {
                            r.skip_value()?;
                            #ty::#unknown
                        }
                    };
                    if found.as_ref().is_some_and(|(previous, _)| *previous != key) {
                        return Err(crate::error::DeserializeError::new(#too_many));
                    }
                    found = Some((key, variant));
                }
                found.map(|(_, variant)| variant).ok_or_else(|| crate::error::DeserializeError::new(#none))
            }
        }
    }
}

/// The most values an enum may have for a reader to compare them in place before reading the
/// value as a string (each comparison not taken costs a few instructions).
const IN_PLACE_ENUM_VALUES: usize = 8;

/// Keys a reader notes as it reads an object's members
/// ([`Protocol::pull_members_noting`]).
pub struct Noting<'a> {
    /// The keys noted, members or not, in the order the reader numbers them.
    pub keys: &'a [&'a str],
    /// The statement noting a member's key before its value is read, given the key (a `&str`
    /// expression); the reader `r` is at the value.
    pub member: &'a dyn Fn(TokenStream) -> TokenStream,
    /// The match arm's expression for a value that is not a member's, given its key's number
    /// in `keys` (a `usize` expression; any larger number is a key not noted): it notes the
    /// value if its key is noted and skips it.
    pub other: &'a dyn Fn(TokenStream) -> TokenStream,
}

/// Whether `text` is written in JSON as it is: no character that JSON must escape.
fn json_as_is(text: &str) -> bool {
    !text.chars().any(|c| c == '"' || c == '\\' || c < ' ')
}
