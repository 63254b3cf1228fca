//! Stand-in for a generated crate's `src/protocol/mod.rs` (the per-operation request writers and
//! response readers, which are model-dependent): it only declares the runtime file that goes
//! there, `md5.rs`, as a crate with `@httpChecksumRequired` operations does.

#[allow(dead_code)] // the generated `content_md5` is its only caller
pub(crate) mod md5;
