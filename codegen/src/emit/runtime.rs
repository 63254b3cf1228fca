//! The runtime support every generated crate carries in `src/primitives/`.
//!
//! These are hand-written Rust files (in `codegen/runtime/`), copied verbatim so that a generated
//! crate depends on nothing but `serde`. Their own tests are in `codegen/tests/runtime.rs`.

use crate::emit::{Content, File};

/// `(file name, source)` of each runtime module.
pub const MODULES: &[(&str, &str)] = &[
    ("mod.rs", include_str!("../../runtime/src/primitives/mod.rs")),
    ("big_number.rs", include_str!("../../runtime/src/primitives/big_number.rs")),
    ("blob.rs", include_str!("../../runtime/src/primitives/blob.rs")),
    ("constraints.rs", include_str!("../../runtime/src/primitives/constraints.rs")),
    ("endpoint_lib.rs", include_str!("../../runtime/src/primitives/endpoint_lib.rs")),
    ("datetime.rs", include_str!("../../runtime/src/primitives/datetime.rs")),
    ("document.rs", include_str!("../../runtime/src/primitives/document.rs")),
    ("encoding.rs", include_str!("../../runtime/src/primitives/encoding.rs")),
    ("json.rs", include_str!("../../runtime/src/primitives/json.rs")),
    ("pattern.rs", include_str!("../../runtime/src/primitives/pattern.rs")),
    ("server.rs", include_str!("../../runtime/src/primitives/server.rs")),
    ("token.rs", include_str!("../../runtime/src/primitives/token.rs")),
    ("wire.rs", include_str!("../../runtime/src/primitives/wire.rs")),
];

/// MD5, emitted as `src/protocol/md5.rs` only into crates with `@httpChecksumRequired`
/// operations (for `Content-MD5`).
pub const MD5: &str = include_str!("../../runtime/src/protocol/md5.rs");

/// The runtime files, under `src/primitives/`.
pub fn files() -> Vec<File> {
    MODULES
        .iter()
        .map(|(name, source)| File {
            path: format!("src/primitives/{name}"),
            content: Content::RustSource(source),
        })
        .collect()
}

/// `(file name, source)` of each client runtime module (feature `client`), copied into
/// `src/client/` beside the generated `mod.rs`, `builders.rs` and `paginators.rs`.
pub const CLIENT_MODULES: &[(&str, &str)] = &[
    ("config.rs", include_str!("../../runtime/src/client/config.rs")),
    ("credentials.rs", include_str!("../../runtime/src/client/credentials.rs")),
    ("error.rs", include_str!("../../runtime/src/client/error.rs")),
    ("hyper_transport.rs", include_str!("../../runtime/src/client/hyper_transport.rs")),
    ("orchestrate.rs", include_str!("../../runtime/src/client/orchestrate.rs")),
    ("retry.rs", include_str!("../../runtime/src/client/retry.rs")),
    ("sign.rs", include_str!("../../runtime/src/client/sign.rs")),
    ("transport.rs", include_str!("../../runtime/src/client/transport.rs")),
];

/// The client runtime files, under `src/client/`.
pub fn client_files() -> Vec<File> {
    CLIENT_MODULES
        .iter()
        .map(|(name, source)| File {
            path: format!("src/client/{name}"),
            content: Content::RustSource(source),
        })
        .collect()
}
