//! The runtime: the hand-written files every generated crate carries, copied verbatim.
//!
//! They live in the `smithy-runtime` crate (`codegen/runtime/`), at the paths they get in a
//! generated crate (`src/primitives/`, `src/client/`, `src/protocol/md5.rs`, `src/error.rs`,
//! `src/byte_stream.rs`, `src/event_stream/`), where they are compiled, linted and tested as a
//! crate of their own; this module embeds them with `include_str!` and says where each goes,
//! and [`Streaming`] says which of the streaming files a service needs. Copying (not depending)
//! keeps a generated crate standalone, with nothing but `http` (and, per feature, `serde_core`
//! and the client's dependencies).

use crate::emit::{Content, File};
use crate::ir::{Service, TypeDef, ValueKind};

/// `(path in the generated crate, source)` of each runtime file every generated crate carries.
pub const FILES: &[(&str, &str)] = &[
    ("src/error.rs", include_str!("../../runtime/src/error.rs")),
    ("src/primitives/mod.rs", include_str!("../../runtime/src/primitives/mod.rs")),
    ("src/primitives/big_number.rs", include_str!("../../runtime/src/primitives/big_number.rs")),
    ("src/primitives/blob.rs", include_str!("../../runtime/src/primitives/blob.rs")),
    ("src/primitives/constraints.rs", include_str!("../../runtime/src/primitives/constraints.rs")),
    (
        "src/primitives/endpoint_lib.rs",
        include_str!("../../runtime/src/primitives/endpoint_lib.rs"),
    ),
    ("src/primitives/datetime.rs", include_str!("../../runtime/src/primitives/datetime.rs")),
    ("src/primitives/document.rs", include_str!("../../runtime/src/primitives/document.rs")),
    ("src/primitives/encoding.rs", include_str!("../../runtime/src/primitives/encoding.rs")),
    ("src/primitives/json.rs", include_str!("../../runtime/src/primitives/json.rs")),
    ("src/primitives/operation.rs", include_str!("../../runtime/src/primitives/operation.rs")),
    ("src/primitives/pattern.rs", include_str!("../../runtime/src/primitives/pattern.rs")),
    ("src/primitives/server.rs", include_str!("../../runtime/src/primitives/server.rs")),
    ("src/primitives/token.rs", include_str!("../../runtime/src/primitives/token.rs")),
    ("src/primitives/protocol.rs", include_str!("../../runtime/src/primitives/protocol.rs")),
];

/// `(path, source)` of the client runtime files (feature `client`), copied into `src/client/`
/// beside the generated `mod.rs`, `builders.rs` and `paginators.rs`, and the crate root's
/// `config` module.
pub const CLIENT_FILES: &[(&str, &str)] = &[
    ("src/config.rs", include_str!("../../runtime/src/config.rs")),
    ("src/client/config.rs", include_str!("../../runtime/src/client/config.rs")),
    ("src/client/credentials.rs", include_str!("../../runtime/src/client/credentials.rs")),
    ("src/client/customize.rs", include_str!("../../runtime/src/client/customize.rs")),
    ("src/client/error.rs", include_str!("../../runtime/src/client/error.rs")),
    ("src/client/hyper_transport.rs", include_str!("../../runtime/src/client/hyper_transport.rs")),
    ("src/client/mock.rs", include_str!("../../runtime/src/client/mock.rs")),
    ("src/client/orchestrate.rs", include_str!("../../runtime/src/client/orchestrate.rs")),
    ("src/client/paginate.rs", include_str!("../../runtime/src/client/paginate.rs")),
    ("src/client/rate_limit.rs", include_str!("../../runtime/src/client/rate_limit.rs")),
    ("src/client/retry.rs", include_str!("../../runtime/src/client/retry.rs")),
    ("src/client/sdk_config.rs", include_str!("../../runtime/src/client/sdk_config.rs")),
    ("src/client/sign.rs", include_str!("../../runtime/src/client/sign.rs")),
    ("src/client/timeout.rs", include_str!("../../runtime/src/client/timeout.rs")),
    ("src/client/transport.rs", include_str!("../../runtime/src/client/transport.rs")),
];

/// MD5, emitted as `src/protocol/md5.rs` only into crates with `@httpChecksumRequired`
/// operations (for `Content-MD5`).
pub const MD5: (&str, &str) =
    ("src/protocol/md5.rs", include_str!("../../runtime/src/protocol/md5.rs"));

/// `ByteStream`, the body of `@streaming` blobs and of the client's transport, emitted as
/// `src/byte_stream.rs` into every crate (compiled with the `client` feature only, unless the
/// service streams: [`Streaming::byte_stream`]).
pub const BYTE_STREAM: (&str, &str) =
    ("src/byte_stream.rs", include_str!("../../runtime/src/byte_stream.rs"));

/// The event-stream framing, message semantics and signing, emitted as `src/event_stream/`
/// into crates with event streams ([`Streaming::event_stream`]).
pub const EVENT_STREAM_FILES: &[(&str, &str)] = &[
    ("src/event_stream/crc32.rs", include_str!("../../runtime/src/event_stream/crc32.rs")),
    ("src/event_stream/frame.rs", include_str!("../../runtime/src/event_stream/frame.rs")),
    ("src/event_stream/message.rs", include_str!("../../runtime/src/event_stream/message.rs")),
    ("src/event_stream/mod.rs", include_str!("../../runtime/src/event_stream/mod.rs")),
    ("src/event_stream/reader.rs", include_str!("../../runtime/src/event_stream/reader.rs")),
    ("src/event_stream/server.rs", include_str!("../../runtime/src/event_stream/server.rs")),
    ("src/event_stream/sign.rs", include_str!("../../runtime/src/event_stream/sign.rs")),
    ("src/event_stream/stream.rs", include_str!("../../runtime/src/event_stream/stream.rs")),
];

/// What of the streaming runtime a service needs, from the IR's `@streaming` values.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Streaming {
    /// A member is a `@streaming` blob or an event stream: `crate::byte_stream` (the body read
    /// as it arrives) outside the client too, and the dependencies it needs under `server`.
    pub byte_stream: bool,
    /// A member is an event stream (a `@streaming` union): `crate::event_stream` too, and
    /// `aws-sigv4`'s event-stream signing under `client`.
    pub event_stream: bool,
}

impl Streaming {
    /// What `service` needs: any member of an operation's input or output, or of a structure
    /// of `crate::types`, that streams.
    pub fn of(service: &Service) -> Self {
        let structures = service.operations.iter().flat_map(|op| [&op.input, &op.output]).chain(
            service.types.iter().filter_map(|def| match def {
                TypeDef::Structure(s) => Some(s),
                _ => None,
            }),
        );
        let mut streaming = Streaming::default();
        for field in structures.flat_map(|s| &s.fields) {
            match field.value.kind {
                ValueKind::Blob { streaming: true, .. } => streaming.byte_stream = true,
                ValueKind::Union { streaming: true, .. } => {
                    streaming.byte_stream = true;
                    streaming.event_stream = true;
                }
                _ => {}
            }
        }
        streaming
    }
}

/// The runtime files every generated crate carries.
pub fn files() -> Vec<File> {
    FILES.iter().map(file).collect()
}

/// The client runtime files.
pub fn client_files() -> Vec<File> {
    CLIENT_FILES.iter().map(file).collect()
}

/// The MD5 file.
pub fn md5_file() -> File {
    file(&MD5)
}

/// The streaming files `streaming` asks for.
pub fn streaming_files(streaming: Streaming) -> Vec<File> {
    // Every crate: the client's transport moves `ByteStream`s.
    let mut files = vec![file(&BYTE_STREAM)];
    if streaming.event_stream {
        files.extend(EVENT_STREAM_FILES.iter().map(file));
    }
    files
}

fn file(&(path, source): &(&str, &'static str)) -> File {
    File { path: path.to_string(), content: Content::RustSource(source) }
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    /// The files under `dir` (relative to `root`, with `/`), recursively.
    fn files_under(root: &Path, dir: &Path, out: &mut Vec<String>) {
        for entry in std::fs::read_dir(dir).expect("readable directory") {
            let path = entry.expect("directory entry").path();
            if path.is_dir() {
                files_under(root, &path, out);
            } else {
                let relative = path.strip_prefix(root).expect("under the root");
                out.push(relative.to_string_lossy().replace('\\', "/"));
            }
        }
    }

    /// Every file of the runtime crate is copied, to its own path, except the crate root, the
    /// stand-ins for generated modules and the tests; so a new runtime file cannot be forgotten.
    #[test]
    fn every_runtime_file_is_copied_to_its_own_path() {
        let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("runtime");
        let mut on_disk = Vec::new();
        files_under(&root, &root.join("src"), &mut on_disk);
        let not_copied = ["src/lib.rs", "src/client.rs", "src/protocol.rs"];
        let mut expected: Vec<&str> = on_disk
            .iter()
            .map(String::as_str)
            .filter(|path| !not_copied.contains(path) && !path.starts_with("src/tests/"))
            .collect();
        expected.sort_unstable();
        let all = || {
            super::FILES
                .iter()
                .chain(super::CLIENT_FILES)
                .chain([&super::MD5, &super::BYTE_STREAM])
                .chain(super::EVENT_STREAM_FILES)
        };
        let mut copied: Vec<&str> = all().map(|(path, _)| *path).collect();
        copied.sort_unstable();
        assert_eq!(copied, expected);
        for (path, source) in all() {
            let on_disk = std::fs::read_to_string(root.join(path)).expect("readable");
            assert_eq!(*source, on_disk, "{path}");
        }
    }
}
