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

/// Emits every file of the crate, sorted by path; the protocol test cases in `known_failures`
/// are ignored.
pub fn emit_with(
    service: &Service,
    model: &Model,
    known_failures: &[protocol_tests::KnownFailure],
) -> Result<Vec<File>> {
    let mut files = Vec::new();
    emit_each(service, model, known_failures, &mut |file| {
        files.push(file);
        Ok(())
    })?;
    files.sort_by(|a, b| a.path.cmp(&b.path));
    Ok(files)
}

/// A file of Rust tokens.
fn rust(path: String, tokens: TokenStream) -> File {
    File { path, content: Content::Rust(tokens) }
}

/// Emits every file of the crate into `sink`, one at a time and in no particular order, so a
/// caller that formats each file as it comes never holds the tokens of the whole crate (for a
/// model with thousands of operations, they take gigabytes).
pub fn emit_each(
    service: &Service,
    model: &Model,
    known_failures: &[protocol_tests::KnownFailure],
    sink: &mut dyn FnMut(File) -> Result<()>,
) -> Result<()> {
    let (test_files, _) = protocol_tests::files(service, known_failures);
    let features = krate::Features::of(service, !test_files.is_empty());
    sink(File {
        path: "Cargo.toml".into(),
        content: Content::Text(krate::cargo_toml(service, &features)),
    })?;
    sink(File { path: "rustfmt.toml".into(), content: Content::Text(krate::rustfmt_toml()) })?;
    for file in test_files {
        sink(file)?;
    }
    sink(rust("src/lib.rs".into(), krate::lib_rs(service)))?;
    for file in runtime::files() {
        sink(file)?;
    }
    for file in runtime::streaming_files(features.streaming) {
        sink(file)?;
    }

    let validation = validate::Validation::new(service);
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
                let checks = if s.usage.input {
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
                let checks = if u.usage.input {
                    validation.union(u)
                } else {
                    quote! {}
                };
                // An event stream's error enum lives beside its union.
                let errors = match protocol::event_stream::union_items(service, &u.shape) {
                    Some((name, tokens)) => {
                        type_modules.push((u.file.clone(), name));
                        tokens
                    }
                    None => quote! {},
                };
                (u.file.clone(), quote! { #body #checks #errors })
            }
        };
        type_modules.push((file.clone(), def.path().name.clone()));
        sink(rust(format!("src/types/{file}.rs"), tokens))?;
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
        sink(rust(format!("src/types/error/{}.rs", s.file), quote! { #body #impls }))?;
    }
    sink(rust(
        "src/types/mod.rs".into(),
        krate::types_index(&type_modules, !service.errors.is_empty()),
    ))?;
    sink(rust("src/types/builders.rs".into(), krate::builders_index("crate::types", &builders)))?;
    if !service.errors.is_empty() {
        sink(rust("src/types/error/mod.rs".into(), krate::errors_index(&error_modules)))?;
        sink(rust(
            "src/types/error/builders.rs".into(),
            krate::builders_index("crate::types::error", &error_builders),
        ))?;
    }
    // crate::operation
    sink(rust("src/operation/mod.rs".into(), operation::index(service)))?;
    for op in &service.operations {
        sink(rust(
            format!("src/operation/{}.rs", op.module.trim_start_matches("r#")),
            operation::module(op, &validation)?,
        ))?;
    }
    // crate::protocol, crate::dynamic
    protocol::files(model, service, &mut |path, tokens| sink(rust(path, tokens)))?;
    if service.operations.iter().any(protocol::http::checksum_required) {
        sink(runtime::md5_file())?;
    }
    sink(rust("src/dynamic.rs".into(), dynamic::module(service)))?;
    sink(rust("src/server.rs".into(), server::module(service)?))?;
    // crate::endpoint, and its tests (tests/endpoint_tests.rs)
    for (path, tokens) in endpoint::files(service)? {
        sink(rust(path, tokens))?;
    }
    // crate::client (feature `client`)
    for (path, tokens) in client::files(model, service)? {
        sink(rust(path, tokens))?;
    }
    for file in runtime::client_files() {
        sink(file)?;
    }
    Ok(())
}
