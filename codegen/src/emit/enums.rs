//! `enum` and `intEnum` shapes: known values plus a catch-all that keeps what the service sent.

use proc_macro2::{Literal, TokenStream};
use quote::quote;

use crate::emit::tokens::{deprecated, doc_attrs, ident};
use crate::ir::{Enum, IntEnum};

/// A string enum with `as_str`, `values`, `From<&str>`, `FromStr`, `Display` and serde.
pub fn string_enum(e: &Enum) -> TokenStream {
    let name = ident(&e.path.name);
    let docs = doc_attrs(e.docs.as_deref(), &format!("The `{}` enum.", e.path.name));
    let unknown = ident(&e.unknown);
    let variants = e.variants.iter().map(|v| {
        let ident = ident(&v.ident);
        let docs = doc_attrs(v.docs.as_deref(), &format!("`{}`", v.value.replace('`', "'")));
        let deprecated = deprecated(v.deprecated);
        quote! { #docs #deprecated #ident, }
    });
    let as_str_arms = e.variants.iter().map(|v| {
        let ident = ident(&v.ident);
        let value = &v.value;
        quote! { #name::#ident => #value, }
    });
    let from_arms = e.variants.iter().map(|v| {
        let ident = ident(&v.ident);
        let value = &v.value;
        quote! { #value => #name::#ident, }
    });
    let values = e.variants.iter().map(|v| &v.value);
    let (derive_debug, debug) = debug(&name, e.sensitive);
    let expecting = format!("a `{}` string", e.path.name);
    quote! {
        #docs
        #[non_exhaustive]
        #[derive(#derive_debug Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub enum #name {
            #(#variants)*
            /// A value this version of the crate does not know; [`Self::as_str`] returns it unchanged.
            ///
            /// Do not match this variant: a later version that knows the value moves it to a
            /// variant of its own, and the arm silently stops running. Match the known values
            /// and a wildcard (`other => ... other.as_str() ...`).
            #[deprecated(note = "a later version may know the value: match a wildcard and read `as_str()` instead")]
            #unknown(crate::primitives::UnknownVariantValue),
        }

        impl #name {
            /// The value as sent on the wire.
            pub fn as_str(&self) -> &str {
                match self {
                    #(#as_str_arms)*
                    #name::#unknown(value) => value.as_str(),
                }
            }

            /// Every value the model knows, in model order.
            pub const fn values() -> &'static [&'static str] {
                &[#(#values),*]
            }
        }

        impl From<&str> for #name {
            #[inline]
            fn from(value: &str) -> Self {
                match value {
                    #(#from_arms)*
                    other => #name::#unknown(crate::primitives::UnknownVariantValue::new(other)),
                }
            }
        }

        impl From<String> for #name {
            fn from(value: String) -> Self {
                #name::from(value.as_str())
            }
        }

        impl ::std::str::FromStr for #name {
            type Err = ::std::convert::Infallible;
            fn from_str(value: &str) -> Result<Self, Self::Err> {
                Ok(#name::from(value))
            }
        }

        impl ::std::convert::AsRef<str> for #name {
            fn as_ref(&self) -> &str {
                self.as_str()
            }
        }

        impl ::std::fmt::Display for #name {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                f.write_str(self.as_str())
            }
        }

        #debug

        #[cfg(feature = "serde")]
        impl ::serde_core::Serialize for #name {
            fn serialize<S: ::serde_core::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                serializer.serialize_str(self.as_str())
            }
        }

        #[cfg(feature = "serde")]
        impl<'de> ::serde_core::Deserialize<'de> for #name {
            fn deserialize<D: ::serde_core::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                deserializer.deserialize_str(crate::primitives::StrVisitor::new(#expecting)).map(|s| #name::from(s.as_str()))
            }
        }
    }
}

/// An integer enum with `as_i32`, `values`, `From<i32>`, `Display` and serde.
pub fn int_enum(e: &IntEnum) -> TokenStream {
    let name = ident(&e.path.name);
    let docs = doc_attrs(e.docs.as_deref(), &format!("The `{}` integer enum.", e.path.name));
    let unknown = ident(&e.unknown);
    let variants = e.variants.iter().map(|v| {
        let ident = ident(&v.ident);
        let docs = doc_attrs(v.docs.as_deref(), &format!("`{}`", v.value));
        let deprecated = deprecated(v.deprecated);
        quote! { #docs #deprecated #ident, }
    });
    let value = |v: i32| Literal::i32_unsuffixed(v);
    let as_arms = e.variants.iter().map(|v| {
        let ident = ident(&v.ident);
        let n = value(v.value);
        quote! { #name::#ident => #n, }
    });
    let from_arms = e.variants.iter().map(|v| {
        let ident = ident(&v.ident);
        let n = value(v.value);
        quote! { #n => #name::#ident, }
    });
    let values = e.variants.iter().map(|v| value(v.value));
    let (derive_debug, debug) = debug(&name, e.sensitive);
    quote! {
        #docs
        #[non_exhaustive]
        #[derive(#derive_debug Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub enum #name {
            #(#variants)*
            /// A value this version of the crate does not know; [`Self::as_i32`] returns it unchanged.
            ///
            /// Do not match this variant: a later version that knows the value moves it to a
            /// variant of its own, and the arm silently stops running. Match the known values
            /// and a wildcard (`other => ... other.as_i32() ...`).
            #[deprecated(note = "a later version may know the value: match a wildcard and read `as_i32()` instead")]
            #unknown(i32),
        }

        impl #name {
            /// The value as sent on the wire.
            pub fn as_i32(&self) -> i32 {
                match self {
                    #(#as_arms)*
                    #name::#unknown(value) => *value,
                }
            }

            /// Every value the model knows, in model order.
            pub const fn values() -> &'static [i32] {
                &[#(#values),*]
            }
        }

        impl From<i32> for #name {
            fn from(value: i32) -> Self {
                match value {
                    #(#from_arms)*
                    other => #name::#unknown(other),
                }
            }
        }

        impl ::std::fmt::Display for #name {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                ::std::fmt::Display::fmt(&self.as_i32(), f)
            }
        }

        #debug

        #[cfg(feature = "serde")]
        impl ::serde_core::Serialize for #name {
            fn serialize<S: ::serde_core::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                serializer.serialize_i32(self.as_i32())
            }
        }

        #[cfg(feature = "serde")]
        impl<'de> ::serde_core::Deserialize<'de> for #name {
            fn deserialize<D: ::serde_core::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                <i32 as ::serde_core::Deserialize>::deserialize(deserializer).map(#name::from)
            }
        }
    }
}

/// A derived `Debug`, or for a `@sensitive` enum one that prints only the redaction marker.
fn debug(name: &proc_macro2::Ident, sensitive: bool) -> (TokenStream, TokenStream) {
    if !sensitive {
        return (quote! { Debug, }, quote! {});
    }
    let redacted = quote! {
        impl ::std::fmt::Debug for #name {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                ::std::fmt::Debug::fmt(&crate::primitives::REDACTED, f)
            }
        }
    };
    (quote! {}, redacted)
}
