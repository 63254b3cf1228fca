//! The one error type of the pipeline: every failure names what was wrong and where.

use std::fmt;
use std::path::PathBuf;

/// A reason the generator refused a model or could not write its output.
///
/// Every variant names the shape (or file) at fault, so a maintainer can fix the model
/// without reading the generator.
#[derive(Debug)]
pub enum Error {
    /// The model file could not be read.
    Io { path: PathBuf, source: std::io::Error },
    /// The model is not valid JSON.
    Json { line: usize, column: usize, message: String },
    /// The JSON is valid but does not follow the Smithy JSON AST.
    Model { shape: Option<String>, message: String },
    /// The model is valid Smithy but the generator does not support something it uses.
    Unsupported { shape: String, message: String },
    /// Two things would get the same Rust name.
    NameCollision { message: String },
    /// The output directory's history (its `model.json`, `Cargo.toml` version, `CHANGELOG.md`)
    /// cannot be used.
    History { path: PathBuf, message: String },
    /// Generated tokens failed to parse as Rust (a generator bug, reported with the file).
    Emit { file: String, message: String },
    /// The output directory holds something the generator must not write over, remove or go
    /// through (a link, a file it did not write, a damaged manifest): nothing was changed.
    Output { path: PathBuf, message: String },
}

impl Error {
    pub(crate) fn model(shape: impl Into<String>, message: impl Into<String>) -> Self {
        Error::Model { shape: Some(shape.into()), message: message.into() }
    }

    pub(crate) fn unsupported(shape: impl Into<String>, message: impl Into<String>) -> Self {
        Error::Unsupported { shape: shape.into(), message: message.into() }
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::Io { path, source } => write!(f, "cannot read {}: {source}", path.display()),
            Error::Json { line, column, message } => {
                write!(f, "malformed JSON at line {line}, column {column}: {message}")
            }
            Error::Model { shape: Some(shape), message } => {
                write!(f, "invalid model: {} `{shape}`: {message}", kind(shape))
            }
            Error::Model { shape: None, message } => write!(f, "invalid model: {message}"),
            Error::Unsupported { shape, message } => {
                write!(f, "unsupported model: {} `{shape}`: {message}", kind(shape))
            }
            Error::NameCollision { message } => write!(f, "name collision: {message}"),
            Error::History { path, message } => write!(f, "{}: {message}", path.display()),
            Error::Emit { file, message } => {
                write!(f, "internal error: generated {file} is not valid Rust: {message}")
            }
            Error::Output { path, message } => write!(f, "{}: {message}", path.display()),
        }
    }
}

/// `member` for a member id (`ns#Shape$member`), else `shape`.
fn kind(id: &str) -> &'static str {
    if id.contains('$') {
        "member"
    } else {
        "shape"
    }
}

impl std::error::Error for Error {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            Error::Io { source, .. } => Some(source),
            _ => None,
        }
    }
}

/// Result alias for the pipeline.
pub type Result<T, E = Error> = std::result::Result<T, E>;
