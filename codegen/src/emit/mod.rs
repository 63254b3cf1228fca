//! **emit**: the [`ir::Service`](crate::ir::Service) → the files of the generated crate, as tokens.
//!
//! One module per concept: [`structure`], [`enums`], [`union`], [`errors`], [`operation`],
//! the document-form serde impls in [`document`], and the crate scaffolding in [`krate`].
//! [`endpoint`] compiles the endpoint rule set (and its tests); [`client`] emits the async client
//! (feature `client`) over the hand-written runtime in `codegen/runtime/src/client/`.
//! The restJson1 protocol layer is apart, in [`protocol`]; [`dynamic`] dispatches by name.
//! [`runtime`] holds the hand-written support code every generated crate carries (and the
//! streaming code the crates that stream carry).
//!
//! emit reads only the IR: no file here names the loaded model (`codegen/tests/tidy.rs` checks).

pub mod api;
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
pub fn emit(service: &Service) -> Result<Vec<File>> {
    emit_with(service, &[])
}

/// Emits every file of the crate, sorted by path; the protocol test cases in `known_failures`
/// are ignored.
pub fn emit_with(
    service: &Service,
    known_failures: &[protocol_tests::KnownFailure],
) -> Result<Vec<File>> {
    let mut files = Vec::new();
    emit_each(service, known_failures, &mut |file| {
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

/// A sink for emitted files: called once per file, from one thread at a time per job.
pub type Sink<'s> = dyn FnMut(File) -> Result<()> + 's;

/// One unit of emission: writes one or more files into the sink it is given. Jobs share only
/// `&Service` (and what is computed from it before they start), so they can run on any thread;
/// the tokens they make stay on the thread that formats them.
type Job<'a> = Box<dyn FnOnce(&mut Sink<'_>) -> Result<()> + Send + 'a>;

/// Emits every file of the crate into `sink`, one at a time and in no particular order, so a
/// caller that formats each file as it comes never holds the tokens of the whole crate (for a
/// model with thousands of operations, they take gigabytes).
pub fn emit_each(
    service: &Service,
    known_failures: &[protocol_tests::KnownFailure],
    sink: &mut Sink<'_>,
) -> Result<()> {
    let validation = validate::Validation::new(service);
    for job in jobs(service, known_failures, &validation) {
        job(sink)?;
    }
    Ok(())
}

/// [`emit_each`] on `threads` worker threads (at least 2): each job's files are emitted and
/// handed to `sink` on the thread that ran the job, so a sink that formats them formats in
/// parallel too. The result is the same as [`emit_each`]'s: the same files, and when jobs fail,
/// the error of the first failing job in [`emit_each`]'s order.
pub fn emit_each_parallel(
    service: &Service,
    known_failures: &[protocol_tests::KnownFailure],
    threads: usize,
    sink: &(dyn Fn(File) -> Result<()> + Sync),
) -> Result<()> {
    use std::sync::Mutex;

    let validation = validate::Validation::new(service);
    let queue = Mutex::new(jobs(service, known_failures, &validation).into_iter().enumerate());
    let failures = Mutex::new(Vec::new());
    std::thread::scope(|scope| -> Result<()> {
        for _ in 0..threads.max(2) {
            let (queue, failures) = (&queue, &failures);
            // The main thread's stack: emission and formatting recurse over nested items.
            std::thread::Builder::new()
                .stack_size(8 << 20)
                .spawn_scoped(scope, move || loop {
                    let next = match queue.lock() {
                        Ok(mut queue) => queue.next(),
                        Err(_) => return,
                    };
                    let Some((index, job)) = next else { return };
                    if let Err(error) = job(&mut |file| sink(file)) {
                        if let Ok(mut failures) = failures.lock() {
                            failures.push((index, error));
                        }
                    }
                })
                .map_err(|e| crate::error::Error::Emit {
                    file: String::new(),
                    message: format!("cannot start an emitting thread: {e}"),
                })?;
        }
        Ok(())
    })?;
    let failures = failures.into_inner().unwrap_or_else(|poisoned| poisoned.into_inner());
    match failures.into_iter().min_by_key(|(index, _)| *index) {
        Some((_, error)) => Err(error),
        None => Ok(()),
    }
}

/// The crate's files as jobs, in a fixed order: one per type, error and operation module, and
/// one per whole-crate file (the protocol layer, `dynamic`, `server`, endpoint, client).
fn jobs<'a>(
    service: &'a Service,
    known_failures: &'a [protocol_tests::KnownFailure],
    validation: &'a validate::Validation<'a>,
) -> Vec<Job<'a>> {
    let mut jobs: Vec<Job<'a>> = Vec::new();
    jobs.push(Box::new(move |sink: &mut Sink<'_>| {
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
        sink(rust("src/error_meta.rs".into(), api::error_meta(service)))?;
        for file in runtime::files() {
            sink(file)?;
        }
        for file in runtime::streaming_files(features.streaming) {
            sink(file)?;
        }
        Ok(())
    }));

    // crate::types
    let builder_of = |name: &str, module: &[&str]| TypePath {
        module: module.iter().map(|m| m.to_string()).collect(),
        name: format!("{name}Builder"),
    };
    for def in &service.types {
        jobs.push(Box::new(move |sink: &mut Sink<'_>| {
            let tokens = match def {
                TypeDef::Structure(s) => {
                    let builder = builder_of(&s.path.name, &["types", "builders"]);
                    let body = structure::emit(s, &builder)?;
                    let checks = if s.usage.input {
                        validation.structure(s)
                    } else {
                        quote! {}
                    };
                    quote! { #body #checks }
                }
                TypeDef::Enum(e) => enums::string_enum(e),
                TypeDef::IntEnum(e) => enums::int_enum(e),
                TypeDef::Union(u) => {
                    let body = union::emit(u);
                    let checks = if u.usage.input {
                        validation.union(u)
                    } else {
                        quote! {}
                    };
                    // An event stream's error enum lives beside its union.
                    let errors = protocol::event_stream::union_items(service, &u.shape)
                        .map(|(_, tokens)| tokens)
                        .unwrap_or_default();
                    quote! { #body #checks #errors }
                }
            };
            sink(rust(format!("src/types/{}.rs", def_file(def)), tokens))
        }));
    }
    // crate::types::error
    for s in &service.errors {
        jobs.push(Box::new(move |sink: &mut Sink<'_>| {
            let builder = builder_of(&s.path.name, &["types", "error", "builders"]);
            let body = structure::emit(s, &builder)?;
            let impls = errors::error_impls(s);
            sink(rust(format!("src/types/error/{}.rs", s.file), quote! { #body #impls }))
        }));
    }
    jobs.push(Box::new(move |sink: &mut Sink<'_>| {
        let mut type_modules: Vec<(String, String)> = Vec::new();
        for def in &service.types {
            type_modules.push((def_file(def).to_string(), def.path().name.clone()));
            // An event stream's error enum, in its union's module.
            if let TypeDef::Union(u) = def {
                if let Some((name, _)) = protocol::event_stream::union_items(service, &u.shape) {
                    type_modules.push((u.file.clone(), name));
                }
            }
        }
        let builders: Vec<(String, String)> = service
            .types
            .iter()
            .filter_map(|def| match def {
                TypeDef::Structure(s) => Some((s.file.clone(), format!("{}Builder", s.path.name))),
                _ => None,
            })
            .collect();
        sink(rust(
            "src/types/mod.rs".into(),
            krate::types_index(&type_modules, !service.errors.is_empty()),
        ))?;
        sink(rust(
            "src/types/builders.rs".into(),
            krate::builders_index("crate::types", &builders),
        ))?;
        if !service.errors.is_empty() {
            let error_modules: Vec<(String, String)> =
                service.errors.iter().map(|s| (s.file.clone(), s.path.name.clone())).collect();
            let error_builders: Vec<(String, String)> = service
                .errors
                .iter()
                .map(|s| (s.file.clone(), format!("{}Builder", s.path.name)))
                .collect();
            sink(rust("src/types/error/mod.rs".into(), krate::errors_index(&error_modules)))?;
            sink(rust(
                "src/types/error/builders.rs".into(),
                krate::builders_index("crate::types::error", &error_builders),
            ))?;
        }
        // crate::operation
        sink(rust("src/operation/mod.rs".into(), operation::index(service)))
    }));
    for op in &service.operations {
        jobs.push(Box::new(move |sink: &mut Sink<'_>| {
            sink(rust(
                format!("src/operation/{}.rs", op.module.trim_start_matches("r#")),
                operation::module(op, validation)?,
            ))
        }));
    }
    // crate::protocol, crate::dynamic
    jobs.push(Box::new(move |sink: &mut Sink<'_>| {
        protocol::files(service, &mut |path, tokens| sink(rust(path, tokens)))?;
        if service.operations.iter().any(|op| op.checksum_required) {
            sink(runtime::md5_file())?;
        }
        Ok(())
    }));
    jobs.push(Box::new(move |sink: &mut Sink<'_>| {
        sink(rust("src/dynamic.rs".into(), dynamic::module(service)))
    }));
    jobs.push(Box::new(move |sink: &mut Sink<'_>| {
        sink(rust("src/server.rs".into(), server::module(service)?))
    }));
    // crate::endpoint, and its tests (tests/endpoint_tests.rs)
    jobs.push(Box::new(move |sink: &mut Sink<'_>| {
        for (path, tokens) in endpoint::files(service)? {
            sink(rust(path, tokens))?;
        }
        Ok(())
    }));
    // crate::client (feature `client`)
    jobs.push(Box::new(move |sink: &mut Sink<'_>| {
        for (path, tokens) in client::files(service)? {
            sink(rust(path, tokens))?;
        }
        for file in runtime::client_files() {
            sink(file)?;
        }
        Ok(())
    }));
    jobs
}

/// The file (module) name of a type.
fn def_file(def: &TypeDef) -> &str {
    match def {
        TypeDef::Structure(s) => &s.file,
        TypeDef::Enum(e) => &e.file,
        TypeDef::IntEnum(e) => &e.file,
        TypeDef::Union(u) => &u.file,
    }
}
