//! The runtime every generated crate carries, compiled, linted and tested as a crate of its own.
//!
//! A generated crate does not depend on this crate: the generator copies its sources verbatim
//! (`smithy_codegen::emit::runtime`), to the same paths, so every `crate::` and `super::` path
//! in them means the same here as there:
//!
//! | here | in a generated crate | when |
//! |---|---|---|
//! | `src/primitives/*.rs` | `src/primitives/` | always |
//! | `src/error.rs` | `src/error.rs` | always |
//! | `src/client/*.rs` | `src/client/`, beside the generated `mod.rs`, `builders.rs`, `paginators.rs` | always (compiled with the `client` feature) |
//! | `src/protocol/md5.rs` | `src/protocol/md5.rs` | only with `@httpChecksumRequired` operations |
//! | `src/byte_stream.rs` | `src/byte_stream.rs` | always (compiled with the `client` feature; always when a member streams: a `@streaming` blob or union) |
//! | `src/event_stream/*.rs` | `src/event_stream/` | only with event streams (a `@streaming` union member) |
//!
//! What is not copied: this file (the generated `lib.rs` declares the same modules), and the
//! stand-ins for the model-dependent modules the runtime refers to, `src/client.rs` (the
//! generated `client/mod.rs`) and `src/protocol.rs` (the generated `protocol/mod.rs`); and the
//! tests, `src/tests/`, which check the runtime against well-kept libraries (`serde_json`,
//! `time`, `httpdate`, `base64`, `percent-encoding`, `md-5`, `regex`, `crc32fast`,
//! `aws-smithy-eventstream`, `aws-sigv4`, with `proptest`), botocore's fixtures, the compliance
//! suite's event-stream frames and Python's event-stream references.
//!
//! The features are a generated crate's (`serde`, `server`, `client`, `rustls`); the default
//! here is all of them, so that `cargo test --workspace` compiles and tests every file.

// The lints of a generated crate's `lib.rs`.
#![forbid(unsafe_code)]
#![warn(missing_docs)]

pub mod byte_stream;
#[cfg(feature = "client")]
pub mod client;
#[cfg(feature = "client")]
pub mod config;
pub mod error;
pub mod event_stream;
pub mod primitives;
mod protocol;
#[cfg(test)]
mod tests;
