//! A code generator for AWS Smithy service models (restJson1).
//!
//! The pipeline is visible in the module names: [`load`] reads the Smithy JSON AST into a typed
//! model, [`resolve`] walks the service's shape closure and decides every Rust name and type,
//! [`emit`] turns that into tokens, and [`write`] formats and writes the files.

pub mod diff;
pub mod docs;
pub mod emit;
pub mod error;
pub mod history;
pub mod ir;
pub mod load;
pub mod prelude;
pub mod resolve;
pub mod write;

pub use error::{Error, Result};

use std::path::Path;

/// Loads, resolves, emits and formats: the whole pipeline short of writing, for a crate with no
/// history (version [`emit::krate::INITIAL_VERSION`]; [`history::generate`] continues one).
pub fn generate(model_json: &str, options: &resolve::Options) -> Result<write::Rendered> {
    let model = load::load_str(model_json)?;
    let (_, rendered) = emit_crate(&model, options, emit::krate::INITIAL_VERSION)?;
    Ok(rendered)
}

/// Resolves `model`, emits every file of its crate at version `crate_version` and formats each
/// as it is emitted: the one path from a loaded model to the files, shared by [`generate`] and
/// [`history::generate`].
pub fn emit_crate(
    model: &load::Model,
    options: &resolve::Options,
    crate_version: &str,
) -> Result<(ir::Service, write::Rendered)> {
    let service = resolve::resolve(model, options)?;
    let threads = std::thread::available_parallelism().map_or(1, |n| n.get()).min(8);
    let mut rendered = render(&service, &options.known_failures, threads)?;
    if let Some(manifest) = rendered.get_mut("Cargo.toml") {
        *manifest =
            history::set_package_version(manifest, crate_version).ok_or_else(|| Error::Emit {
                file: "Cargo.toml".into(),
                message: "no `version` in its [package] section".into(),
            })?;
    }
    write::check_paths(&rendered)?;
    Ok((service, rendered))
}

/// Emits and formats every file of `service`'s crate on `threads` threads (1: on this one).
/// The files are the same bytes whatever the number of threads: each is emitted and formatted
/// on one worker thread (tokens never cross threads), and only the formatted text is shared,
/// by path, so the result does not depend on the order the threads finish in.
pub fn render(
    service: &ir::Service,
    known_failures: &[emit::protocol_tests::KnownFailure],
    threads: usize,
) -> Result<write::Rendered> {
    if threads < 2 {
        let mut rendered = write::Rendered::new();
        emit::emit_each(service, known_failures, &mut |file| {
            write::render_into(&mut rendered, file)
        })?;
        return Ok(rendered);
    }
    let rendered = std::sync::Mutex::new(write::Rendered::new());
    emit::emit_each_parallel(service, known_failures, threads, &|file| {
        let (path, text) = write::format_file(file)?;
        let mut rendered = rendered.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
        write::insert(&mut rendered, path, text)
    })?;
    Ok(rendered.into_inner().unwrap_or_else(|poisoned| poisoned.into_inner()))
}

/// [`generate`] from a model file.
pub fn generate_file(model: &Path, options: &resolve::Options) -> Result<write::Rendered> {
    let text = std::fs::read_to_string(model)
        .map_err(|source| Error::Io { path: model.to_path_buf(), source })?;
    generate(&text, options)
}
