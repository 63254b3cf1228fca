//! **emit**: the [`ir::Service`](crate::ir::Service) → the files of the generated crate, as tokens.
//!
//! One module per concept: [`structure`], [`enums`], [`union`], [`errors`], [`operation`],
//! the document-form serde impls in [`document`], and the crate scaffolding in [`krate`].
//! [`endpoint`] compiles the endpoint rule set (and its tests); [`client`] emits the async client
//! (feature `client`) over the hand-written runtime in `codegen/runtime/src/client/`.
//! The restJson1 protocol layer is apart, in [`protocol`]; [`dynamic`] dispatches by name.
//! [`runtime`] holds the hand-written support code every generated crate carries (and the
//! streaming code the crates that stream carry).

pub mod client;
pub mod document;
pub mod dynamic;
pub mod endpoint;
pub mod enums;
pub mod errors;
pub mod krate;
pub mod operation;
pub mod protocol;
pub mod protocol_tests;
pub mod runtime;
pub mod server;
pub mod structure;
pub mod tokens;
pub mod union;
pub mod validate;

use proc_macro2::TokenStream;
use quote::quote;

use crate::error::Result;
use crate::ir::{Service, TypeDef, TypePath};
use crate::load::Model;

/// The content of one generated file.
pub enum Content {
    /// Rust tokens, formatted by [`crate::write`].
    Rust(TokenStream),
    /// Rust source written by hand (the runtime support modules).
    RustSource(&'static str),
    /// Any other text (`Cargo.toml`).
    Text(String),
}

/// One generated file, its path relative to the crate root.
pub struct File {
    pub path: String,
    pub content: Content,
}

/// Emits every file of the crate (its protocol tests with no known failures).
pub fn emit(service: &Service, model: &Model) -> Result<Vec<File>> {
    emit_with(service, model, &[])
}

/// Emits every file of the crate; the protocol test cases in `known_failures` are ignored.
pub fn emit_with(
    service: &Service,
    model: &Model,
    known_failures: &[protocol_tests::KnownFailure],
) -> Result<Vec<File>> {
    let mut files = Vec::new();
    let rust = |path: String, tokens: TokenStream| File { path, content: Content::Rust(tokens) };

    let (test_files, _) = protocol_tests::files(service, known_failures);
    let features = krate::Features::of(service, !test_files.is_empty());
    files.push(File {
        path: "Cargo.toml".into(),
        content: Content::Text(krate::cargo_toml(service, &features)),
    });
    files.push(File { path: "rustfmt.toml".into(), content: Content::Text(krate::rustfmt_toml()) });
    files.extend(test_files);
    files.push(rust("src/lib.rs".into(), krate::lib_rs(service)));
    files.extend(runtime::files());
    files.extend(runtime::streaming_files(features.streaming));

    let validation = validate::Validation::new(model, service);
    // crate::types
    let mut type_modules = Vec::new();
    let mut builders = Vec::new();
    for def in &service.types {
        let (file, tokens) = match def {
            TypeDef::Structure(s) => {
                let builder = TypePath {
                    module: vec!["types".into(), "builders".into()],
                    name: format!("{}Builder", s.path.name),
                };
                builders.push((s.file.clone(), builder.name.clone()));
                let body = structure::emit(s, &builder)?;
                let checks = if validation.applies_to(&s.shape) {
                    validation.structure(s)
                } else {
                    quote! {}
                };
                (s.file.clone(), quote! { #body #checks })
            }
            TypeDef::Enum(e) => (e.file.clone(), enums::string_enum(e)),
            TypeDef::IntEnum(e) => (e.file.clone(), enums::int_enum(e)),
            TypeDef::Union(u) => {
                let body = union::emit(u);
                let checks = if validation.applies_to(&u.shape) {
                    validation.union(u)
                } else {
                    quote! {}
                };
                (u.file.clone(), quote! { #body #checks })
            }
        };
        type_modules.push((file.clone(), def.path().name.clone()));
        files.push(rust(format!("src/types/{file}.rs"), tokens));
    }
    // crate::types::error
    let mut error_modules = Vec::new();
    let mut error_builders = Vec::new();
    for s in &service.errors {
        let builder = TypePath {
            module: vec!["types".into(), "error".into(), "builders".into()],
            name: format!("{}Builder", s.path.name),
        };
        let body = structure::emit(s, &builder)?;
        let impls = errors::error_impls(s);
        error_modules.push((s.file.clone(), s.path.name.clone()));
        error_builders.push((s.file.clone(), builder.name.clone()));
        files.push(rust(format!("src/types/error/{}.rs", s.file), quote! { #body #impls }));
    }
    files.push(rust(
        "src/types/mod.rs".into(),
        krate::types_index(&type_modules, !service.errors.is_empty()),
    ));
    files.push(rust(
        "src/types/builders.rs".into(),
        krate::builders_index("crate::types", &builders),
    ));
    if !service.errors.is_empty() {
        files.push(rust("src/types/error/mod.rs".into(), krate::errors_index(&error_modules)));
        files.push(rust(
            "src/types/error/builders.rs".into(),
            krate::builders_index("crate::types::error", &error_builders),
        ));
    }
    // crate::operation
    files.push(rust("src/operation/mod.rs".into(), operation::index(service)));
    for op in &service.operations {
        files.push(rust(
            format!("src/operation/{}.rs", op.module.trim_start_matches("r#")),
            operation::module(op, &validation)?,
        ));
    }
    // crate::protocol, crate::dynamic
    for (path, tokens) in protocol::files(model, service)? {
        files.push(rust(path, tokens));
    }
    if service.operations.iter().any(protocol::http::checksum_required) {
        files.push(runtime::md5_file());
    }
    files.push(rust("src/dynamic.rs".into(), dynamic::module(service)));
    files.push(rust("src/server.rs".into(), server::module(service)?));
    // crate::endpoint, and its tests (tests/endpoint_tests.rs)
    for (path, tokens) in endpoint::files(model, service)? {
        files.push(rust(path, tokens));
    }
    // crate::client (feature `client`)
    for (path, tokens) in client::files(model, service)? {
        files.push(rust(path, tokens));
    }
    files.extend(runtime::client_files());
    files.sort_by(|a, b| a.path.cmp(&b.path));
    Ok(files)
}
