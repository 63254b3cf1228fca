//! Unions: one variant per member, plus a catch-all for members added after generation.

use proc_macro2::TokenStream;
use quote::quote;

use crate::emit::document;
use crate::emit::tokens::{deprecated, doc_attrs, ident, rust_type};
use crate::ir::Union;

/// The enum, its `Debug` (redacting sensitive members) and the document-form serde impls.
pub fn emit(u: &Union) -> TokenStream {
    let name = ident(&u.path.name);
    let docs = doc_attrs(u.docs.as_deref(), &format!("The `{}` union.", u.path.name));
    let unknown = ident(&u.unknown);
    let variants = u.variants.iter().map(|v| {
        let ident = ident(&v.ident);
        let docs = doc_attrs(v.docs.as_deref(), &format!("The `{}` member.", v.member));
        let deprecated = deprecated(v.deprecated);
        match &v.ty {
            Some(ty) => {
                let ty = rust_type(ty);
                quote! { #docs #deprecated #ident(#ty), }
            }
            None => quote! { #docs #deprecated #ident, },
        }
    });
    let debug_arms = u.variants.iter().map(|v| {
        let ident = ident(&v.ident);
        let label = &v.ident;
        match (&v.ty, u.sensitive || v.redact) {
            (None, _) => quote! { #name::#ident => f.write_str(#label), },
            (Some(_), true) => quote! { #name::#ident(_) => f.debug_tuple(#label).field(&crate::primitives::REDACTED).finish(), },
            (Some(_), false) => quote! { #name::#ident(value) => f.debug_tuple(#label).field(value).finish(), },
        }
    });
    let unknown_label = &u.unknown;
    let serde = document::union(u);
    quote! {
        #docs
        #[non_exhaustive]
        #[derive(Clone, PartialEq)]
        // The variants hold the members as the model gives them (boxing the large ones would
        // change the type users match on).
        #[allow(clippy::large_enum_variant)]
        pub enum #name {
            #(#variants)*
            /// A member this version of the crate does not know (sent by a newer service).
            ///
            /// It cannot be constructed; the document form writes it as an empty object.
            #[non_exhaustive]
            #unknown,
        }

        impl ::std::fmt::Debug for #name {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                match self {
                    #(#debug_arms)*
                    #name::#unknown => f.write_str(#unknown_label),
                }
            }
        }

        #serde
    }
}
