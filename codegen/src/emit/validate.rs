//! `validate()`: the model's constraint traits (`@required`, `@length`, `@pattern`, `@range`,
//! `@uniqueItems`, enum values) checked on inputs and everything they reach, every violation
//! reported with its member path. Clients do not call it on their own (Smithy: services may
//! relax constraints, so clients that enforce them break); it is there for callers and for server
//! stubs.
//!
//! Reads the IR only: each member's [`Value`] carries its constraints (the member's over the
//! target's), [`Field::required`] the `@required`, [`Usage::input`](crate::ir::Usage) which
//! structures and unions get `validate()`.

use std::collections::{BTreeMap, BTreeSet};

use proc_macro2::TokenStream;
use quote::quote;

use crate::emit::tokens::{self, ident};
use crate::ir::{Bounds, Def, Field, Service, Structure, TypeDef, Union, Value, ValueKind};

/// Decides which structures and unions get `validate()` and writes the checks.
pub struct Validation<'a> {
    service: &'a Service,
    /// Structures and unions with something to check in them or anywhere below them.
    checked: BTreeSet<String>,
}

/// `Some(min)`/`None` and `Some(max)`/`None` expressions of `bounds`, and whether either is set.
fn bounds_tokens<T: quote::ToTokens + Copy>(
    bounds: Option<&Bounds<T>>,
) -> (TokenStream, TokenStream, bool) {
    let tok = |x: Option<T>| match x {
        Some(x) => quote! { Some(#x) },
        None => quote! { None },
    };
    let (min, max) = bounds.map_or((None, None), |b| (b.min, b.max));
    (tok(min), tok(max), min.is_some() || max.is_some())
}

impl<'a> Validation<'a> {
    pub fn new(service: &'a Service) -> Self {
        Validation { service, checked: with_checks(service) }
    }

    /// Whether the structure or union `shape` gets `validate()`: it is reachable from an
    /// operation input.
    pub fn applies_to(&self, shape: &str) -> bool {
        match self.service.def(shape) {
            Some(Def::Structure(s)) => s.usage.input,
            Some(Def::Union(u)) => u.usage.input,
            _ => false,
        }
    }

    /// Statements checking `value` (a `&T` expression of the Rust type of `v`) at `path` (a
    /// `&str` expression).
    fn check_value(&self, v: &Value, value: TokenStream, path: &TokenStream) -> TokenStream {
        let constraints = &v.constraints;
        let mut checks = Vec::new();
        let (min, max, has_length) = bounds_tokens(constraints.length.as_ref());
        match &v.kind {
            ValueKind::String { .. } => {
                if has_length {
                    checks.push(quote! { v.length(#path, #value.chars().count(), #min, #max); });
                }
                if let Some(pattern) = &constraints.pattern {
                    checks.push(quote! {
                        {
                            static PATTERN: ::std::sync::OnceLock<Option<crate::primitives::pattern::Pattern>> = ::std::sync::OnceLock::new();
                            v.pattern(#path, #value, #pattern, &PATTERN);
                        }
                    });
                }
            }
            ValueKind::Enum(p) => {
                let ty = tokens::path(p);
                // The values a violation lists: the known ones, `@internal` ones left out.
                let values: Vec<&str> = match self.service.def(&v.shape) {
                    Some(Def::Enum(e)) => e
                        .variants
                        .iter()
                        .filter(|x| !x.internal)
                        .map(|x| x.value.as_str())
                        .collect(),
                    _ => Vec::new(),
                };
                checks.push(quote! {
                    if !#ty::values().contains(&#value.as_str()) {
                        v.unknown_enum_value(#path, #value.as_str(), &[#(#values),*] as &[&str]);
                    }
                });
            }
            ValueKind::IntEnum(p) => {
                let ty = tokens::path(p);
                let values: Vec<i64> = match self.service.def(&v.shape) {
                    Some(Def::IntEnum(e)) => e
                        .variants
                        .iter()
                        .filter(|x| !x.internal)
                        .map(|x| i64::from(x.value))
                        .collect(),
                    _ => Vec::new(),
                };
                checks.push(quote! {
                    if !#ty::values().contains(&#value.as_i32()) {
                        v.unknown_enum_value(#path, &#value.as_i32().to_string(), &[#(#values),*] as &[i64]);
                    }
                });
            }
            ValueKind::Blob { .. } if has_length => {
                checks.push(quote! { v.length(#path, #value.as_ref().len(), #min, #max); })
            }
            ValueKind::Byte
            | ValueKind::Short
            | ValueKind::Integer
            | ValueKind::Long
            | ValueKind::Float
            | ValueKind::Double => {
                let (min, max, has_range) = bounds_tokens(constraints.range.as_ref());
                // A double is already an `f64` (clippy's `unnecessary_cast`).
                let number = if matches!(v.kind, ValueKind::Double) {
                    quote! { *#value }
                } else {
                    quote! { *#value as f64 }
                };
                if has_range {
                    checks.push(quote! { v.range(#path, #number, #min, #max); });
                }
            }
            ValueKind::List { element, sparse } => {
                if has_length {
                    checks.push(quote! { v.length(#path, #value.len(), #min, #max); });
                }
                if constraints.unique_items {
                    checks.push(quote! { v.unique_items(#path, #value); });
                }
                let item_path = quote! { &item_path };
                let inner = self.check_value(element, quote! { item }, &item_path);
                if !inner.is_empty() {
                    let iter = if *sparse {
                        quote! { #value.iter().flatten() }
                    } else {
                        quote! { #value.iter() }
                    };
                    checks.push(quote! {
                        for (i, item) in #iter.enumerate() {
                            let item_path = format!("{}[{}]", #path, i);
                            #inner
                        }
                    });
                }
            }
            ValueKind::Map { key, value: map_value, sparse } => {
                if has_length {
                    checks.push(quote! { v.length(#path, #value.len(), #min, #max); });
                }
                let item_path = quote! { &item_path };
                let key_text = quote! { key.as_str() };
                // A key's violation is the map's (Smithy reports it at the map's path).
                let key_check = self.check_value(key, quote! { key }, path);
                let value_check = self.check_value(map_value, quote! { item }, &item_path);
                if !key_check.is_empty() || !value_check.is_empty() {
                    let value_check = if *sparse && !value_check.is_empty() {
                        quote! { if let Some(item) = item { #value_check } }
                    } else {
                        value_check
                    };
                    let (pattern, iter) = if value_check.is_empty() {
                        (quote! { key }, quote! { #value.keys() })
                    } else {
                        (quote! { (key, item) }, quote! { #value })
                    };
                    let item_path_def = if value_check.is_empty() {
                        quote! {}
                    } else {
                        quote! { let item_path = crate::primitives::constraints::entry(#path, #key_text); }
                    };
                    checks.push(quote! {
                        for #pattern in #iter {
                            #item_path_def
                            #key_check
                            #value_check
                        }
                    });
                }
            }
            ValueKind::Structure(_) | ValueKind::Union { .. }
                if self.applies_to(&v.shape) && self.checked.contains(&v.shape) =>
            {
                checks.push(quote! { #value.validate_into(#path, v); });
            }
            _ => {}
        }
        quote! { #(#checks)* }
    }

    /// `validate()` and `validate_into()` for a structure.
    pub fn structure(&self, s: &Structure) -> TokenStream {
        let ty = ident(&s.path.name);
        let mut body = Vec::new();
        for f in &s.fields {
            let name = ident(&f.ident);
            let member = &f.member;
            let member_path = quote! { &member_path };
            // A stream's events are not checked before sending (they are not there yet).
            let check = if f.ty.is_stream() {
                quote! {}
            } else {
                self.check_value(&f.value, quote! { value }, &member_path)
            };
            // Inputs are optional in Rust whatever `@required` says: a server checks them.
            let required = f.optional && f.required;
            if check.is_empty() && !required {
                continue;
            }
            let value_check = if check.is_empty() {
                quote! {}
            } else if f.optional {
                quote! {
                    if let Some(value) = &self.#name {
                        let member_path = crate::primitives::constraints::child(path, #member);
                        #check
                    }
                }
            } else {
                quote! {
                    {
                        let value = &self.#name;
                        let member_path = crate::primitives::constraints::child(path, #member);
                        #check
                    }
                }
            };
            let missing = if required {
                quote! {
                    if self.#name.is_none() {
                        v.required(&crate::primitives::constraints::child(path, #member));
                    }
                }
            } else {
                quote! {}
            };
            body.push(quote! { #missing #value_check });
        }
        let doc = quote! {
            /// Checks the model's constraints (`@required`, `@length`, `@pattern`, `@range`,
            /// enum values) on this value and everything it holds, and returns every
            /// violation with its member path.
            ///
            /// Requests are not checked for you: the service is the judge of what it accepts
            /// (and may relax a constraint), so call this only where you want to enforce the
            /// model yourself. A pattern this crate cannot evaluate is not checked.
        };
        validate_impl(&ty, doc, body.is_empty(), quote! { #(#body)* })
    }

    /// `validate()` and `validate_into()` for a union (the set member is checked).
    pub fn union(&self, u: &Union) -> TokenStream {
        let ty = ident(&u.path.name);
        let arms: Vec<(TokenStream, TokenStream)> = u
            .variants
            .iter()
            .filter_map(|variant| {
                let value = variant.value.as_ref()?;
                let member = &variant.member;
                let member_path = quote! { &member_path };
                let check = self.check_value(value, quote! { value }, &member_path);
                if check.is_empty() {
                    return None;
                }
                let name = ident(&variant.ident);
                Some((
                    quote! { #ty::#name(value) },
                    quote! {
                        let member_path = crate::primitives::constraints::child(path, #member);
                        #check
                    },
                ))
            })
            .collect();
        let body = match arms.as_slice() {
            [] => quote! {},
            [(pattern, check)] => quote! {
                if let #pattern = self {
                    #check
                }
            },
            _ => {
                let arms = arms.iter().map(|(pattern, check)| quote! { #pattern => { #check } });
                quote! {
                    match self {
                        #(#arms)*
                        _ => {}
                    }
                }
            }
        };
        let doc = quote! {
            /// Checks the model's constraints on the member that is set, returning every
            /// violation with its member path (see the structures' `validate()`).
        };
        validate_impl(&ty, doc, arms.is_empty(), body)
    }
}

/// The structures and unions with a constraint to check in them or anywhere below them: a
/// member with `@required` or a constraint, a value with an enum; then every structure and union
/// that holds one of those. One walk backwards over the IR's edges between named types, so deep
/// and recursive models cost no more than their size.
fn with_checks(service: &Service) -> BTreeSet<String> {
    let structures = service.types.iter().filter_map(|def| match def {
        TypeDef::Structure(s) => Some((s.shape.as_str(), field_values(&s.fields))),
        TypeDef::Union(u) => Some((
            u.shape.as_str(),
            u.variants.iter().filter_map(|x| Some((x.value.as_ref()?, false))).collect(),
        )),
        TypeDef::Enum(_) | TypeDef::IntEnum(_) => None,
    });
    let errors = service.errors.iter().map(|s| (s.shape.as_str(), field_values(&s.fields)));
    // Who holds each structure and union, and where the walk starts.
    let mut holders: BTreeMap<&str, Vec<&str>> = BTreeMap::new();
    let mut stack: Vec<&str> = Vec::new();
    for (shape, values) in structures.chain(errors) {
        let mut local = false;
        for (value, required) in values {
            let own = value_checks(value, &mut |held| holders.entry(held).or_default().push(shape));
            local |= required || own;
        }
        if local {
            stack.push(shape);
        }
    }
    let mut checked = BTreeSet::new();
    while let Some(id) = stack.pop() {
        if checked.insert(id.to_string()) {
            stack.extend(holders.get(id).into_iter().flatten().copied());
        }
    }
    checked
}

/// Each field's value, and whether it is `@required`.
fn field_values(fields: &[Field]) -> Vec<(&Value, bool)> {
    fields.iter().map(|f| (&f.value, f.required)).collect()
}

/// Whether `value` has something to check of its own (a constraint, an enum), looking into list
/// and map elements; `held` is told each named structure and union it holds.
fn value_checks<'v>(value: &'v Value, held: &mut dyn FnMut(&'v str)) -> bool {
    let mut found = false;
    let mut stack = vec![value];
    while let Some(value) = stack.pop() {
        found |= !value.constraints.is_empty();
        match &value.kind {
            ValueKind::Enum(_) | ValueKind::IntEnum(_) => found = true,
            ValueKind::Structure(_) | ValueKind::Union { .. } => held(&value.shape),
            ValueKind::List { element, .. } => stack.push(element),
            ValueKind::Map { key, value, .. } => {
                stack.push(key);
                stack.push(value);
            }
            _ => {}
        }
    }
    found
}

/// `validate()` (documented by `doc`) and `validate_into()` running `body` for the type `ty`;
/// `unused`: the body checks nothing, so its parameters are unused.
fn validate_impl(
    ty: &proc_macro2::Ident,
    doc: TokenStream,
    unused: bool,
    body: TokenStream,
) -> TokenStream {
    let (path_binding, v_binding) =
        if unused { (quote! { _path }, quote! { _v }) } else { (quote! { path }, quote! { v }) };
    quote! {
        impl #ty {
            #doc
            pub fn validate(&self) -> Result<(), crate::error::ValidationErrors> {
                let mut violations = crate::primitives::constraints::Violations::default();
                self.validate_into("", &mut violations);
                violations.finish()
            }

            pub(crate) fn validate_into(&self, #path_binding: &str, #v_binding: &mut crate::primitives::constraints::Violations) {
                #body
            }
        }
    }
}
