//! `validate()`: the model's constraint traits (`@required`, `@length`, `@pattern`, `@range`,
//! enum values) checked on inputs and everything they reach, every violation reported with its
//! member path. Clients do not call it on their own (Smithy: services may relax constraints, so
//! clients that enforce them break); it is there for callers and for server stubs.

use std::collections::BTreeSet;

use proc_macro2::TokenStream;
use quote::quote;
use serde_json::Value;

use crate::emit::tokens::{ident, path};
use crate::ir::{Service, Structure, TypePath, Union};
use crate::load::{Model, ShapeId, ShapeKind, Traits};

/// Decides which shapes get `validate()` and writes the checks.
pub struct Validation<'a> {
    model: &'a Model,
    /// Named structures and unions reachable from operation inputs (these get `validate_into`).
    reachable: BTreeSet<ShapeId>,
    paths: std::collections::BTreeMap<ShapeId, TypePath>,
}

fn constraint<'t>(member: &'t Traits, target: &'t Traits, name: &str) -> Option<&'t Value> {
    member.get(name).or_else(|| target.get(name))
}

/// The `@length` bounds of a value (the member's trait, else the target's), as `(min, max)`.
pub(crate) fn length_bounds(member: &Traits, target: &Traits) -> (Option<u64>, Option<u64>) {
    let v = constraint(member, target, "length");
    let get = |k: &str| v.and_then(|v| v.get(k)).and_then(Value::as_f64).map(|f| f.max(0.0) as u64);
    (get("min"), get("max"))
}

/// The `@length` bounds as `Option<u64>` expressions, and whether there is any.
fn length_tokens(member: &Traits, target: &Traits) -> (TokenStream, TokenStream, bool) {
    let (min, max) = length_bounds(member, target);
    let tok = |x: Option<u64>| match x {
        Some(x) => quote! { Some(#x) },
        None => quote! { None },
    };
    (tok(min), tok(max), min.is_some() || max.is_some())
}

fn bounds_f64(v: Option<&Value>) -> (TokenStream, TokenStream, bool) {
    let get = |k: &str| v.and_then(|v| v.get(k)).and_then(Value::as_f64);
    let (min, max) = (get("min"), get("max"));
    let tok = |x: Option<f64>| match x {
        Some(x) => quote! { Some(#x) },
        None => quote! { None },
    };
    (tok(min), tok(max), min.is_some() || max.is_some())
}

impl<'a> Validation<'a> {
    pub fn new(model: &'a Model, service: &'a Service) -> Self {
        let paths = service.type_paths();
        let mut reachable = BTreeSet::new();
        for op in &service.operations {
            for f in &op.input.fields {
                crate::resolve::closure::reach_aggregates(
                    model,
                    &|id| paths.contains_key(id),
                    &f.target,
                    &mut reachable,
                );
            }
        }
        Validation { model, reachable, paths }
    }

    /// Whether a structure or union gets `validate()`.
    pub fn applies_to(&self, shape: &str) -> bool {
        self.reachable.contains(shape)
    }

    /// Statements checking `value` (a `&T` expression) at `path` (a `&str` expression).
    fn check_value(
        &self,
        target: &str,
        member_traits: &Traits,
        value: TokenStream,
        path: &TokenStream,
    ) -> TokenStream {
        let shape = &self.model.shapes[target];
        let traits = &shape.traits;
        let mut checks = Vec::new();
        let (min, max, has_length) = length_tokens(member_traits, traits);
        match &shape.kind {
            ShapeKind::String => {
                if has_length {
                    checks.push(quote! { v.length(#path, #value.chars().count(), #min, #max); });
                }
                if let Some(pattern) =
                    constraint(member_traits, traits, "pattern").and_then(Value::as_str)
                {
                    checks.push(quote! {
                        {
                            static PATTERN: ::std::sync::OnceLock<Option<crate::primitives::pattern::Pattern>> = ::std::sync::OnceLock::new();
                            v.pattern(#path, #value, #pattern, &PATTERN);
                        }
                    });
                }
            }
            ShapeKind::Enum { .. } | ShapeKind::IntEnum { .. } => {
                let p = path_of(&self.paths, target);
                let text = if matches!(shape.kind, ShapeKind::Enum { .. }) {
                    quote! { #value.as_str() }
                } else {
                    quote! { &#value.as_i32().to_string() }
                };
                let known = if matches!(shape.kind, ShapeKind::Enum { .. }) {
                    quote! { #p::values().contains(&#value.as_str()) }
                } else {
                    quote! { #p::values().contains(&#value.as_i32()) }
                };
                // The values a violation lists: the known ones, `@internal` ones left out.
                let shown = match &shape.kind {
                    ShapeKind::Enum { members } => {
                        let values = members
                            .iter()
                            .filter(|m| !m.traits.has("internal"))
                            .map(|m| m.value.clone());
                        quote! { &[#(#values),*] as &[&str] }
                    }
                    ShapeKind::IntEnum { members } => {
                        let values =
                            members.iter().filter(|m| !m.traits.has("internal")).map(|m| m.value);
                        quote! { &[#(#values),*] as &[i64] }
                    }
                    _ => quote! { #p::values() },
                };
                checks.push(quote! {
                    if !#known {
                        v.unknown_enum_value(#path, #text, #shown);
                    }
                });
            }
            ShapeKind::Blob if has_length => {
                checks.push(quote! { v.length(#path, #value.as_ref().len(), #min, #max); })
            }
            ShapeKind::Byte
            | ShapeKind::Short
            | ShapeKind::Integer
            | ShapeKind::Long
            | ShapeKind::Float
            | ShapeKind::Double => {
                let (min, max, has_range) = bounds_f64(constraint(member_traits, traits, "range"));
                // A double is already an `f64` (clippy's `unnecessary_cast`).
                let number = if matches!(shape.kind, ShapeKind::Double) {
                    quote! { *#value }
                } else {
                    quote! { *#value as f64 }
                };
                if has_range {
                    checks.push(quote! { v.range(#path, #number, #min, #max); });
                }
            }
            ShapeKind::List { member, .. } => {
                if has_length {
                    checks.push(quote! { v.length(#path, #value.len(), #min, #max); });
                }
                if traits.has("uniqueItems") {
                    checks.push(quote! { v.unique_items(#path, #value); });
                }
                let item_path = quote! { &item_path };
                let inner =
                    self.check_value(&member.target, &member.traits, quote! { item }, &item_path);
                if !inner.is_empty() {
                    let iter = if shape.traits.has("sparse") {
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
            ShapeKind::Map { key, value: map_value } => {
                if has_length {
                    checks.push(quote! { v.length(#path, #value.len(), #min, #max); });
                }
                let item_path = quote! { &item_path };
                let key_text = quote! { key.as_str() };
                // A key's violation is the map's (Smithy reports it at the map's path).
                let key_check = self.check_value(&key.target, &key.traits, quote! { key }, path);
                let value_check = self.check_value(
                    &map_value.target,
                    &map_value.traits,
                    quote! { item },
                    &item_path,
                );
                if !key_check.is_empty() || !value_check.is_empty() {
                    let value_check = if shape.traits.has("sparse") && !value_check.is_empty() {
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
            ShapeKind::Structure { .. } | ShapeKind::Union { .. }
                if self.applies_to(target) && self.has_checks(target, &mut BTreeSet::new()) =>
            {
                checks.push(quote! { #value.validate_into(#path, v); });
            }
            _ => {}
        }
        quote! { #(#checks)* }
    }

    /// Whether anything below a shape has a constraint to check.
    fn has_checks(&self, target: &str, seen: &mut BTreeSet<ShapeId>) -> bool {
        if !seen.insert(target.to_string()) {
            return false;
        }
        let shape = &self.model.shapes[target];
        let t = &shape.traits;
        if t.has("length") || t.has("pattern") || t.has("range") || t.has("uniqueItems") {
            return true;
        }
        match &shape.kind {
            ShapeKind::Enum { .. } | ShapeKind::IntEnum { .. } => true,
            ShapeKind::Structure { members } | ShapeKind::Union { members } => {
                members.iter().any(|m| {
                    m.traits.has("required")
                        || m.traits.has("length")
                        || m.traits.has("pattern")
                        || m.traits.has("range")
                        || self.has_checks(&m.target, seen)
                })
            }
            ShapeKind::List { member, .. } => {
                member.traits.has("length")
                    || member.traits.has("pattern")
                    || member.traits.has("range")
                    || self.has_checks(&member.target, seen)
            }
            ShapeKind::Map { key, value } => {
                self.has_checks(&key.target, seen) || self.has_checks(&value.target, seen)
            }
            _ => false,
        }
    }

    /// `validate()` and `validate_into()` for a structure.
    pub fn structure(&self, s: &Structure) -> TokenStream {
        let ty = ident(&s.path.name);
        let mut body = Vec::new();
        for f in &s.fields {
            let name = ident(&f.ident);
            let member = &f.member;
            let member_path = quote! { &member_path };
            let check = if f.target == "smithy.api#Unit" {
                quote! {}
            } else {
                self.check_value(&f.target, &f.traits, quote! { value }, &member_path)
            };
            let required = f.optional && f.traits.has("required");
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
        let (path_binding, v_binding) = if body.is_empty() {
            (quote! { _path }, quote! { _v })
        } else {
            (quote! { path }, quote! { v })
        };
        quote! {
            impl #ty {
                /// Checks the model's constraints (`@required`, `@length`, `@pattern`, `@range`,
                /// enum values) on this value and everything it holds, and returns every
                /// violation with its member path.
                ///
                /// Requests are not checked for you: the service is the judge of what it accepts
                /// (and may relax a constraint), so call this only where you want to enforce the
                /// model yourself. A pattern this crate cannot evaluate is not checked.
                pub fn validate(&self) -> Result<(), crate::error::ValidationErrors> {
                    let mut violations = crate::primitives::constraints::Violations::default();
                    self.validate_into("", &mut violations);
                    violations.finish()
                }

                pub(crate) fn validate_into(&self, #path_binding: &str, #v_binding: &mut crate::primitives::constraints::Violations) {
                    #(#body)*
                }
            }
        }
    }

    /// `validate()` and `validate_into()` for a union (the set member is checked).
    pub fn union(&self, u: &Union) -> TokenStream {
        let ty = ident(&u.path.name);
        let arms: Vec<(TokenStream, TokenStream)> = u
            .variants
            .iter()
            .filter_map(|variant| {
                variant.ty.as_ref()?;
                let member = &variant.member;
                let member_path = quote! { &member_path };
                let check = self.check_value(
                    &variant.target,
                    &variant.traits,
                    quote! { value },
                    &member_path,
                );
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
        let (path_binding, v_binding) = if arms.is_empty() {
            (quote! { _path }, quote! { _v })
        } else {
            (quote! { path }, quote! { v })
        };
        quote! {
            impl #ty {
                /// Checks the model's constraints on the member that is set, returning every
                /// violation with its member path (see the structures' `validate()`).
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
}

fn path_of(paths: &std::collections::BTreeMap<ShapeId, TypePath>, id: &str) -> TokenStream {
    match paths.get(id) {
        Some(p) => path(p),
        None => quote! { Self },
    }
}
