//! serde `Serialize`/`Deserialize` in the *document form*: the model's member names as keys,
//! absent optionals omitted, as boto3 parameters and the AWS CLI's JSON use them. Behind the
//! generated crate's `serde` feature, so a default build does not compile serde.
//!
//! Hand-emitted (no `serde_derive`), so the generated crate needs no proc-macro to build. This is
//! not the wire format: the protocol layer is separate.

use proc_macro2::TokenStream;
use quote::quote;

use crate::emit::tokens::{ident, path};
use crate::ir::{RustType, Structure, TypePath, Union};

/// serde impls for a structure; deserialization goes through the builder so defaults and
/// required members follow the same rules as `build()`.
pub fn structure(s: &Structure, builder: &TypePath) -> TokenStream {
    let name = ident(&s.path.name);
    let builder = path(builder);
    // Floats go through `Float`, which writes NaN and the infinities as the strings the Smithy
    // JSON protocols use (a JSON number cannot hold them).
    let is_float = |f: &crate::ir::Field| matches!(f.ty, RustType::F32 | RustType::F64);
    // A stream is not a value of the document form: it is left out.
    let values = || s.fields.iter().filter(|f| !f.ty.is_stream());
    let entries = values().map(|f| {
        let field = ident(&f.ident);
        let key = &f.member;
        let value = if is_float(f) {
            quote! { &crate::primitives::Float::from(*value) }
        } else {
            quote! { value }
        };
        if f.optional {
            quote! {
                if let Some(value) = &self.#field {
                    map.serialize_entry(#key, #value)?;
                }
            }
        } else {
            quote! {
                let value = &self.#field;
                map.serialize_entry(#key, #value)?;
            }
        }
    });
    let arms = values().map(|f| {
        let field = ident(&f.ident);
        let key = &f.member;
        match f.ty {
            RustType::F32 => quote! {
                #key => builder.#field = map.next_value::<Option<crate::primitives::Float>>()?.map(|v| v.value() as f32),
            },
            RustType::F64 => quote! {
                #key => builder.#field = map.next_value::<Option<crate::primitives::Float>>()?.map(|v| v.value()),
            },
            _ => quote! { #key => builder.#field = map.next_value()?, },
        }
    });
    let finish = if s.has_required_without_default() {
        quote! { builder.build().map_err(<A::Error as ::serde_core::de::Error>::custom) }
    } else {
        quote! { Ok(builder.build()) }
    };
    let expecting = format!("a `{}` structure", s.path.name);
    let read_members = if values().next().is_none() {
        quote! {
            while map.next_entry::<::serde_core::de::IgnoredAny, ::serde_core::de::IgnoredAny>()?.is_some() {}
        }
    } else {
        quote! {
            while let Some(key) = map.next_key::<crate::primitives::Key>()? {
                match key.as_str() {
                    #(#arms)*
                    _ => {
                        map.next_value::<::serde_core::de::IgnoredAny>()?;
                    }
                }
            }
        }
    };
    let map_binding = if values().next().is_none() {
        quote! { map }
    } else {
        quote! { mut map }
    };
    let builder_binding = if values().next().is_none() {
        quote! { builder }
    } else {
        quote! { mut builder }
    };
    map_impls(
        &name,
        quote! {
            let #map_binding = serializer.serialize_map(None)?;
            #(#entries)*
            map.end()
        },
        &expecting,
        quote! {
            let #builder_binding = <#builder as ::std::default::Default>::default();
            #read_members
            #finish
        },
    )
}

/// serde impls for a union: a map with exactly one non-null member; an unknown member name
/// deserializes to the catch-all variant.
pub fn union(u: &Union) -> TokenStream {
    let name = ident(&u.path.name);
    let unknown = ident(&u.unknown);
    let ser_arms = u.variants.iter().map(|v| {
        let variant = ident(&v.ident);
        let key = &v.member;
        match v.ty {
            Some(_) => quote! { #name::#variant(value) => map.serialize_entry(#key, value)?, },
            None => quote! { #name::#variant => map.serialize_entry(#key, &crate::primitives::EmptyObject)?, },
        }
    });
    let de_arms = u.variants.iter().map(|v| {
        let variant = ident(&v.ident);
        let key = &v.member;
        match v.ty {
            Some(_) => quote! { #key => map.next_value::<Option<_>>()?.map(#name::#variant), },
            None => quote! {
                #key => map.next_value::<Option<::serde_core::de::IgnoredAny>>()?.map(|_| #name::#variant),
            },
        }
    });
    let expecting = format!("a `{}` union (an object with one member)", u.path.name);
    let too_many = format!("a `{}` union must have exactly one member set", u.path.name);
    map_impls(
        &name,
        quote! {
            let mut map = serializer.serialize_map(None)?;
            match self {
                #(#ser_arms)*
                // The member a newer service sent is not kept: an empty object stands for it
                // (reading `{}` back is an error, like any union without a member).
                #name::#unknown => {}
            }
            map.end()
        },
        &expecting,
        quote! {
            let mut found: Option<#name> = None;
            while let Some(key) = map.next_key::<crate::primitives::Key>()? {
                let value = match key.as_str() {
                    #(#de_arms)*
                    _ => map.next_value::<Option<::serde_core::de::IgnoredAny>>()?.map(|_| #name::#unknown),
                };
                if let Some(value) = value {
                    if found.is_some() {
                        return Err(<A::Error as ::serde_core::de::Error>::custom(#too_many));
                    }
                    found = Some(value);
                }
            }
            found.ok_or_else(|| <A::Error as ::serde_core::de::Error>::custom(#too_many))
        },
    )
}

/// The serde impls of a type written as a JSON object: `serialize` runs `serialize_body`
/// (with `serializer` in scope), `deserialize` visits a map with `visit_body` (with `map` in
/// scope), expecting what `expecting` says.
fn map_impls(
    name: &proc_macro2::Ident,
    serialize_body: TokenStream,
    expecting: &str,
    visit_body: TokenStream,
) -> TokenStream {
    quote! {
        #[cfg(feature = "serde")]
        impl ::serde_core::Serialize for #name {
            fn serialize<S: ::serde_core::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                use ::serde_core::ser::SerializeMap as _;
                #serialize_body
            }
        }

        #[cfg(feature = "serde")]
        impl<'de> ::serde_core::Deserialize<'de> for #name {
            fn deserialize<D: ::serde_core::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                struct Visitor;
                impl<'de> ::serde_core::de::Visitor<'de> for Visitor {
                    type Value = #name;
                    fn expecting(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                        f.write_str(#expecting)
                    }
                    fn visit_map<A: ::serde_core::de::MapAccess<'de>>(self, mut map: A) -> Result<#name, A::Error> {
                        #visit_body
                    }
                }
                deserializer.deserialize_map(Visitor)
            }
        }
    }
}
