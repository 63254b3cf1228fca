//! A code generator for AWS Smithy service models (restJson1).
//!
//! The pipeline is visible in the module names: [`load`] reads the Smithy JSON AST into a typed
//! model, [`resolve`] walks the service's shape closure and decides every Rust name and type,
//! [`emit`] turns that into tokens, and [`write`] formats and writes the files.

pub mod docs;
pub mod emit;
pub mod error;
pub mod ir;
pub mod load;
pub mod prelude;
pub mod resolve;
pub mod write;

pub use error::{Error, Result};

use std::path::Path;

/// Loads, resolves, emits and formats: the whole pipeline short of writing.
pub fn generate(model_json: &str, options: &resolve::Options) -> Result<write::Rendered> {
    let model = load::load_str(model_json)?;
    let service = resolve::resolve(&model, options)?;
    let files = emit::emit_with(&service, &model, &options.known_failures)?;
    write::render(files)
}

/// [`generate`] from a model file.
pub fn generate_file(model: &Path, options: &resolve::Options) -> Result<write::Rendered> {
    let text = std::fs::read_to_string(model).map_err(|source| Error::Io { path: model.to_path_buf(), source })?;
    generate(&text, options)
}
