//! Crate scaffolding: `Cargo.toml`, `lib.rs` and the module index files.

use proc_macro2::TokenStream;
use quote::quote;

use crate::docs::html_to_markdown;
use crate::emit::runtime::Streaming;
use crate::emit::tokens::{ident, inner_doc_lines, markdown_text};
use crate::ir::Service;
use toml_edit::{value, Array, DocumentMut, InlineTable, Item, Table};

/// The version of a crate generated into a directory with no history; [`crate::history`] sets
/// the version of a crate that has one.
pub const INITIAL_VERSION: &str = "0.1.0";

/// What a service's `Cargo.toml` needs beyond the dependencies every generated crate has.
#[derive(Clone, Copy, Debug, Default)]
pub struct Features {
    /// An operation has `@requestCompression` with `gzip`: the optional `flate2` dependency
    /// behind the `request-compression` feature.
    pub compression: bool,
    /// The crate carries protocol tests: `serde_json` as a dev-dependency (their JSON bodies).
    pub tests: bool,
    /// What of the streaming runtime the crate carries, and the dependencies it needs.
    pub streaming: Streaming,
}

impl Features {
    pub fn of(service: &Service, tests: bool) -> Self {
        let compression =
            service.operations.iter().any(|op| op.request_compression.iter().any(|e| e == "gzip"));
        Features { compression, tests, streaming: Streaming::of(service) }
    }
}

/// `Cargo.toml`: a standalone package (no workspace inheritance), so the crate builds anywhere.
///
/// The dependencies and features: `http` for requests and responses; with the `serde` feature,
/// serde's traits for the document form from `serde_core` (serde without derive: no proc-macro;
/// `serde::Serialize` is the same trait, re-exported). Off by default: a default build compiles
/// no serde at all. The `client` feature adds `hmac` and `sha2` for SigV4 signing (AWS's
/// `aws-sigv4` only with event streams, for their messages), the official SDK's credentials and
/// configuration types (`aws-credential-types`, `aws-smithy-async`, `aws-smithy-runtime-api`,
/// `aws-smithy-types`, `aws-types`) and `futures-core`'s `Stream`, and no HTTP client or async runtime;
/// `rustls` adds the default transport (hyper 1, hyper-util, hyper-rustls with rustls on `ring`)
/// and tokio's timer; `aws-config` takes the `SdkConfig` (`aws-types`, a `client` dependency
/// already: its `Region` is the client's) the application's `aws-config` loads; `test-util` adds
/// nothing (the mock client).
pub fn cargo_toml(service: &Service, features: &Features) -> String {
    let version =
        service.version.as_deref().map(|v| format!(", API version {v}")).unwrap_or_default();
    let description =
        format!("Rust types for {}{version}, generated from its Smithy model", service.title);
    let mut toml = CargoToml::new(&service.crate_name, INITIAL_VERSION, &description);
    toml.dependency("http", Dependency::new("1"))
        .dependency(
            "serde_core",
            Dependency::new("1.0.220").no_default_features().features(&["std"]).optional(),
        )
        .dependency("hmac", Dependency::new("0.13").optional())
        .dependency("sha2", Dependency::new("0.11").no_default_features().optional());
    let streaming = features.streaming;
    if streaming.event_stream {
        // Event-stream messages are signed with AWS's `aws-sigv4` (requests by the client's own
        // signer, `client/sign.rs`).
        toml.dependency(
            "aws-sigv4",
            Dependency::new("1.3")
                .no_default_features()
                .features(&["sign-http", "http1"])
                .optional(),
        );
    }
    toml.dependency(
        "aws-credential-types",
        Dependency::new("1.2").no_default_features().optional(),
    )
    .dependency("aws-smithy-async", Dependency::new("1.3").no_default_features().optional())
    .dependency(
        "aws-smithy-runtime-api",
        Dependency::new("1.9").no_default_features().features(&["client"]).optional(),
    )
    .dependency("aws-smithy-types", Dependency::new("1.9").no_default_features().optional())
    .dependency("aws-types", Dependency::new("1.3").no_default_features().optional())
    .dependency("futures-core", Dependency::new("0.3").no_default_features().optional())
    .dependency("bytes", Dependency::new("1").optional())
    .dependency("http-body-util", Dependency::new("0.1").optional())
    .dependency(
        "hyper",
        Dependency::new("1").no_default_features().features(&["client", "http1"]).optional(),
    )
    .dependency(
        "hyper-util",
        Dependency::new("0.1.10")
            .no_default_features()
            .features(&["client-legacy", "http1", "tokio"])
            .optional(),
    )
    .dependency(
        "hyper-rustls",
        Dependency::new("0.27")
            .no_default_features()
            .features(&["http1", "ring", "tls12", "native-tokio"])
            .optional(),
    )
    .dependency(
        "rustls",
        Dependency::new("0.23")
            .no_default_features()
            .features(&["ring", "std", "tls12"])
            .optional(),
    )
    .dependency("tokio", Dependency::new("1").no_default_features().features(&["time"]).optional());
    // `ByteStream`, the bodies the client's transport moves (and with streaming, the server's
    // too): `http-body`'s `Body` trait (hyper's), and (already listed) `futures-core`'s
    // `Stream`, `bytes` and tokio (its `AsyncRead`, and `fs` for files). All of them are in the
    // client's tree already, through the official SDK's types.
    toml.dependency("http-body", Dependency::new("1").optional());
    let body_features: &[&str] =
        &["dep:bytes", "dep:futures-core", "dep:http-body", "dep:tokio", "tokio/fs"];
    let stream_features: &[&str] = if streaming.byte_stream { body_features } else { &[] };
    // `aws-sigv4`'s event-stream signing takes `aws-smithy-types`' messages (already listed:
    // the client's retry and timeout configuration).
    let event_stream_features: &[&str] =
        if streaming.event_stream { &["dep:aws-sigv4", "aws-sigv4/sign-eventstream"] } else { &[] };
    let mut server_doc =
        "The server stubs: the `server` module (service trait, router, request readers, response writers)"
            .to_string();
    let mut client_doc =
        "The async `client` module: Client, Config, SigV4, credentials, retries, timeouts, paginators,\n\
         the `Transport` trait. No HTTP client and no async runtime"
            .to_string();
    client_doc.push_str(". `ByteStream` read as it arrives");
    if streaming.byte_stream {
        server_doc.push_str(
            ",\nand `ByteStream` read as it arrives (the `http-body` and `futures-core` traits, tokio's `AsyncRead`, files)",
        );
        if streaming.event_stream {
            client_doc.push_str(", and event-stream signing");
        }
    }
    server_doc.push('.');
    client_doc.push('.');
    let mut client_features: Vec<&str> = Vec::new();
    for feature in [
        "dep:hmac",
        "dep:sha2",
        "dep:aws-credential-types",
        "dep:aws-smithy-async",
        "dep:aws-smithy-runtime-api",
        "dep:aws-smithy-types",
        "dep:aws-types",
        "dep:futures-core",
    ]
    .iter()
    .chain(event_stream_features)
    .chain(body_features)
    {
        if !client_features.contains(feature) {
            client_features.push(feature);
        }
    }
    toml.feature(
        "serde",
        "serde `Serialize`/`Deserialize` of every type in the document form, and the `dynamic` module.",
        &["dep:serde_core"],
    )
    .feature("server", &server_doc, stream_features)
    .feature("client", &client_doc, &client_features)
    .feature(
        "rustls",
        "The default transport (hyper + rustls with ring) and sleep (tokio) for the client.",
        &[
            "client",
            "dep:bytes",
            "dep:http-body-util",
            "dep:hyper",
            "dep:hyper-util",
            "dep:hyper-rustls",
            "dep:rustls",
            "dep:tokio",
        ],
    )
    .feature(
        "http2",
        "HTTP/2 for the default transport: over TLS, ALPN offers `h2` then `http/1.1` (AWS requires\n\
         HTTP/2 for bidirectional event streams). Off by default.",
        &["rustls", "hyper/http2", "hyper-util/http2", "hyper-rustls/http2"],
    )
    .feature(
        "aws-config",
        "The client from the official SDK's shared configuration: `Client::new(&sdk_config)` with\n\
         `aws_config::load_defaults(..)` (the application depends on aws-config).",
        &["client"],
    )
    .feature(
        "test-util",
        "A mock client for applications' tests: canned outputs and errors per operation, no network.",
        &["client"],
    );
    if features.compression {
        toml.dependency(
            "flate2",
            Dependency::new("1").no_default_features().features(&["rust_backend"]).optional(),
        )
        .feature(
            "request-compression",
            "gzip the bodies of operations with @requestCompression (without it they are sent as they are).",
            &["dep:flate2"],
        );
    }
    if features.tests {
        toml.dev_dependency(
            "serde_json",
            Dependency::new("1").doc(
                "the protocol tests compare JSON bodies, decode query strings and match\n\
                 error messages (`messageRegex`)",
            ),
        )
        .dev_dependency("percent-encoding", Dependency::new("2"))
        .dev_dependency("regex", Dependency::new("1"));
    }
    toml.to_string()
}

/// A dependency of a generated crate: `name = "version"`, or an inline table when it says more.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Dependency {
    version: String,
    default_features: bool,
    features: Vec<String>,
    optional: bool,
    doc: Option<String>,
}

impl Dependency {
    /// The dependency at a version requirement (`"1"`, `"0.1.10"`).
    pub fn new(version: &str) -> Self {
        Dependency {
            version: version.to_string(),
            default_features: true,
            features: Vec::new(),
            optional: false,
            doc: None,
        }
    }

    /// `default-features = false`.
    pub fn no_default_features(mut self) -> Self {
        self.default_features = false;
        self
    }

    /// `features = [...]`.
    pub fn features(mut self, features: &[&str]) -> Self {
        self.features = features.iter().map(|f| f.to_string()).collect();
        self
    }

    /// `optional = true`: enabled by a feature (`dep:name`).
    pub fn optional(mut self) -> Self {
        self.optional = true;
        self
    }

    /// A comment above the dependency (lines separated by `\n`).
    pub fn doc(mut self, doc: &str) -> Self {
        self.doc = Some(doc.to_string());
        self
    }

    fn item(&self) -> Item {
        if self.default_features && self.features.is_empty() && !self.optional {
            return value(self.version.as_str());
        }
        let mut table = InlineTable::new();
        table.insert("version", self.version.as_str().into());
        if !self.default_features {
            table.insert("default-features", false.into());
        }
        if !self.features.is_empty() {
            table.insert("features", Array::from_iter(&self.features).into());
        }
        if self.optional {
            table.insert("optional", true.into());
        }
        value(table)
    }
}

/// A generated crate's `Cargo.toml`, built as data ([`toml_edit`]): `[package]`,
/// `[dependencies]`, `[features]` and `[dev-dependencies]` in that order, each entry in the order
/// it was added, with its comment. Adding a dependency or a feature is one call.
pub struct CargoToml {
    package: Table,
    dependencies: Table,
    features: Table,
    dev_dependencies: Table,
}

impl CargoToml {
    /// `[package]` of an unpublished crate: `name`, `version`, edition 2021, Rust 1.75,
    /// `description`.
    pub fn new(name: &str, version: &str, description: &str) -> Self {
        let mut package = Table::new();
        package["name"] = value(name);
        package["version"] = value(version);
        package["edition"] = value("2021");
        package["rust-version"] = value("1.75");
        package["description"] = value(description);
        package["publish"] = value(false);
        CargoToml {
            package,
            dependencies: Table::new(),
            features: Table::new(),
            dev_dependencies: Table::new(),
        }
    }

    /// Adds `name` to `[dependencies]`.
    pub fn dependency(&mut self, name: &str, dependency: Dependency) -> &mut Self {
        add(&mut self.dependencies, name, dependency.item(), dependency.doc.as_deref());
        self
    }

    /// Adds `name` to `[dev-dependencies]`.
    pub fn dev_dependency(&mut self, name: &str, dependency: Dependency) -> &mut Self {
        add(&mut self.dev_dependencies, name, dependency.item(), dependency.doc.as_deref());
        self
    }

    /// Adds the feature `name`, documented by `doc` (a comment above it; lines separated by
    /// `\n`), enabling `enables` (features, and `dep:` optional dependencies).
    pub fn feature(&mut self, name: &str, doc: &str, enables: &[&str]) -> &mut Self {
        add(&mut self.features, name, value(enables.iter().copied().collect::<Array>()), Some(doc));
        self
    }
}

/// Adds `key = item` to `table`, with `doc` as the comment above it.
fn add(table: &mut Table, key: &str, item: Item, doc: Option<&str>) {
    table.insert(key, item);
    if let (Some(doc), Some(mut key)) = (doc, table.key_mut(key)) {
        let comment: String = doc.lines().map(|line| format!("# {line}\n")).collect();
        key.leaf_decor_mut().set_prefix(comment);
    }
}

impl std::fmt::Display for CargoToml {
    /// The file: the generated-file marker, then the sections that are not empty, a blank line
    /// between them.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let mut doc = DocumentMut::new();
        let sections = [
            ("package", &self.package),
            ("dependencies", &self.dependencies),
            ("features", &self.features),
            ("dev-dependencies", &self.dev_dependencies),
        ];
        for (position, (name, table)) in sections.into_iter().enumerate() {
            if table.is_empty() {
                continue;
            }
            let mut table = table.clone();
            table.set_position(position);
            table.decor_mut().set_prefix(if position == 0 {
                "# @generated by `cargo xtask codegen`; do not edit.\n"
            } else {
                "\n"
            });
            doc.insert(name, Item::Table(table));
        }
        write!(f, "{doc}")
    }
}

/// `rustfmt.toml`: the crate is prettyplease's output, kept byte for byte as generated, so
/// `cargo fmt` (run over a workspace that holds it) leaves it alone.
pub fn rustfmt_toml() -> String {
    "# @generated by `cargo xtask codegen`; do not edit.\n\
     # Generated sources are formatted by the generator; rustfmt leaves them as they are.\n\
     disable_all_formatting = true\n"
        .to_string()
}

/// `src/lib.rs`: crate documentation and the top-level modules.
pub fn lib_rs(service: &Service) -> TokenStream {
    let streaming = Streaming::of(service);
    let mut docs = format!("Rust types for **{}**", markdown_text(&service.title));
    if let Some(version) = &service.version {
        docs.push_str(&format!(" (API version {version})"));
    }
    docs.push_str(&format!(", generated from the Smithy model of `{}`.\n", service.id));
    if let Some(html) = &service.docs {
        let body = html_to_markdown(html);
        if !body.trim().is_empty() {
            docs.push('\n');
            docs.push_str(&body);
            docs.push('\n');
        }
    }
    docs.push_str("\n# Layout\n\n- [`operation`]: one module per operation, holding its input, output and error enum.\n");
    if service.errors.is_empty() {
        docs.push_str("- [`types`]: the structures, enums and unions the operations use.\n");
    } else {
        docs.push_str("- [`types`]: the structures, enums and unions the operations use; error shapes are in [`types::error`].\n");
    }
    docs.push_str(
        "- [`primitives`]: timestamps, blobs, documents and big numbers.\n\
         - [`error`]: errors shared by every operation.\n\
         - [`endpoint`]: endpoint resolution, compiled from the model's rule set when it has one.\n",
    );
    if streaming.byte_stream {
        docs.push_str(
            "- [`byte_stream`]: `ByteStream`, the body of streaming payloads, read as it arrives \
             (with the `client` or `server` feature).\n",
        );
    } else {
        docs.push_str(
            "- `byte_stream` (feature `client`): `ByteStream`, the bodies the client's transport \
             sends and receives, read as they arrive.\n",
        );
    }
    if streaming.event_stream {
        docs.push_str(
            "- [`event_stream`]: the event-stream message framing, headers and signing.\n",
        );
    }
    docs.push_str(
        "- `dynamic` (feature `serde`): the operations by name, for tools.\n\
         - `server` (feature `server`): the service trait and the router of the server stubs.\n\
         - `client` (feature `client`): the async client (SigV4, retries, paginators); feature \
         `rustls` adds the default HTTP transport.\n\
         \n\
         Every structure has a builder (`Type::builder()`). With the `serde` feature, every type \
         implements serde's `Serialize` and `Deserialize` in its document form: the model's \
         member names as keys, as boto3 and the AWS CLI use them.\n\n# Operations\n\n",
    );
    for op in &service.operations {
        if op.module.starts_with("r#") {
            // rustdoc cannot link through a raw identifier.
            docs.push_str(&format!("- `{}`: module `operation::{}`\n", op.name, op.module));
        } else {
            docs.push_str(&format!("- [`{}`](operation::{})\n", op.name, op.module));
        }
    }
    let docs = inner_doc_lines(docs.trim_end());
    let api = crate::emit::api::lib_items();
    // The model's `aws.auth#sigv4` signing name: what a client signs for and a server checks.
    let signing = service.sigv4_signing_name.as_deref().map(|name| {
        quote! {
            /// The SigV4 signing name of the service (its `aws.auth#sigv4` trait): requests to it
            /// are signed with this name in their credential scope.
            pub const SIGV4_SIGNING_NAME: &str = #name;
        }
    });
    // Every client moves its bodies as `ByteStream`s; a crate whose model streams has them
    // without the client too.
    let byte_stream = if streaming.byte_stream {
        quote! { pub mod byte_stream; }
    } else {
        quote! { #[cfg(feature = "client")] pub mod byte_stream; }
    };
    let event_stream = streaming.event_stream.then(|| quote! { pub mod event_stream; });
    quote! {
        #docs
        #![forbid(unsafe_code)]
        #![warn(missing_docs)]
        // Deprecated members are still generated code's to read and write.
        #![allow(deprecated)]
        // Lists and maps the model nests are nested Rust types (`Vec<BTreeMap<String, Vec<_>>>`).
        #![allow(clippy::type_complexity)]

        #byte_stream
        #[cfg(feature = "client")]
        pub mod client;
        #[cfg(feature = "serde")]
        pub mod dynamic;
        pub mod endpoint;
        pub mod error;
        #event_stream
        pub mod operation;
        pub mod primitives;
        mod protocol;
        #[cfg(feature = "server")]
        pub mod server;
        pub mod types;
        #signing
        #api
    }
}

/// `src/types/mod.rs`: the type modules and their re-exports.
pub fn types_index(modules: &[(String, String)], has_errors: bool) -> TokenStream {
    let error = if has_errors {
        quote! { pub mod error; }
    } else {
        quote! {}
    };
    module_index("The structures, enums and unions of the service.", error, modules)
}

/// `src/types/error/mod.rs`: the error shapes.
pub fn errors_index(modules: &[(String, String)]) -> TokenStream {
    module_index(
        "The error shapes of the service (structures with the `@error` trait).",
        quote! {},
        modules,
    )
}

/// A module of private per-type files (`mod _meeting;`) and their public re-exports.
fn module_index(doc: &str, extra: TokenStream, modules: &[(String, String)]) -> TokenStream {
    let doc = format!(" {doc}");
    // A file may hold several types (an event stream's union and its error enum).
    let mut files: Vec<&String> = modules.iter().map(|(file, _)| file).collect();
    files.dedup();
    let mods = files.into_iter().map(|file| {
        let file = ident(file);
        quote! { mod #file; }
    });
    let uses = modules.iter().map(|(file, name)| {
        let file = ident(file);
        let name = ident(name);
        quote! { pub use #file::#name; }
    });
    quote! {
        #![doc = #doc]
        pub mod builders;
        #extra
        #(#mods)*
        #(#uses)*
    }
}

/// A `builders.rs` re-exporting the builders defined beside their types.
pub fn builders_index(parent: &str, builders: &[(String, String)]) -> TokenStream {
    let doc = format!(" Builders for the structures of [`{parent}`].");
    let uses = builders.iter().map(|(file, name)| {
        let file = ident(file);
        let name = ident(name);
        quote! { pub use super::#file::#name; }
    });
    quote! {
        #![doc = #doc]
        #(#uses)*
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cargo_toml_is_built_as_data() {
        let mut toml = CargoToml::new("x", "0.1.0", "The description");
        toml.dependency("http", Dependency::new("1"))
            .dependency(
                "a",
                Dependency::new("0.2").no_default_features().features(&["f"]).optional(),
            )
            .feature("extra", "Two lines\nof comment.", &["dep:a"])
            .feature("none", "Nothing.", &[]);
        let text = toml.to_string();
        assert_eq!(
            text,
            "# @generated by `cargo xtask codegen`; do not edit.\n\
             [package]\n\
             name = \"x\"\n\
             version = \"0.1.0\"\n\
             edition = \"2021\"\n\
             rust-version = \"1.75\"\n\
             description = \"The description\"\n\
             publish = false\n\
             \n\
             [dependencies]\n\
             http = \"1\"\n\
             a = { version = \"0.2\", default-features = false, features = [\"f\"], optional = true }\n\
             \n\
             [features]\n\
             # Two lines\n\
             # of comment.\n\
             extra = [\"dep:a\"]\n\
             # Nothing.\n\
             none = []\n"
        );
        assert_eq!(crate::history::package_version(&text).as_deref(), Some("0.1.0"));
        // What TOML reads back is what was put in, whatever the text holds.
        let odd = "a \"quoted\" 'title'\\ on\ntwo lines\u{7}";
        let doc: DocumentMut = CargoToml::new("x", "0.1.0", odd).to_string().parse().expect("TOML");
        assert_eq!(doc["package"]["description"].as_str(), Some(odd));
        // No [dev-dependencies] until there is one.
        assert!(!text.contains("dev-dependencies"));
        toml.dev_dependency("regex", Dependency::new("1").doc("for tests"));
        assert!(toml.to_string().ends_with("\n\n[dev-dependencies]\n# for tests\nregex = \"1\"\n"));
    }
}

#[cfg(test)]
mod streaming_tests {
    use crate::emit::runtime::Streaming;
    use crate::ir::Service;

    /// A restJson1 service with a `@streaming` blob payload in `Download` and, if `events`, an
    /// event stream in `Subscribe`.
    fn service(events: bool) -> Service {
        let mut shapes = serde_json::json!({
            "example#Example": {
                "type": "service", "version": "2024-01-01",
                "operations": [{ "target": "example#Download" }],
                "traits": { "aws.protocols#restJson1": {}, "aws.auth#sigv4": { "name": "example" } }
            },
            "example#Download": {
                "type": "operation",
                "input": { "target": "example#DownloadInput" },
                "output": { "target": "example#DownloadOutput" },
                "traits": { "smithy.api#http": { "method": "GET", "uri": "/download", "code": 200 } }
            },
            "example#DownloadInput": { "type": "structure", "members": {} },
            "example#DownloadOutput": {
                "type": "structure",
                "members": { "body": { "target": "example#Body", "traits": { "smithy.api#httpPayload": {} } } }
            },
            "example#Body": { "type": "blob", "traits": { "smithy.api#streaming": {} } }
        });
        if events {
            let shapes = shapes.as_object_mut().unwrap();
            shapes["example#Example"]["operations"]
                .as_array_mut()
                .unwrap()
                .push(serde_json::json!({ "target": "example#Subscribe" }));
            for (id, shape) in [
                (
                    "example#Subscribe",
                    serde_json::json!({
                        "type": "operation",
                        "input": { "target": "example#DownloadInput" },
                        "output": { "target": "example#SubscribeOutput" },
                        "traits": { "smithy.api#http": { "method": "POST", "uri": "/subscribe", "code": 200 } }
                    }),
                ),
                (
                    "example#SubscribeOutput",
                    serde_json::json!({
                        "type": "structure",
                        "members": { "events": { "target": "example#Events", "traits": { "smithy.api#httpPayload": {} } } }
                    }),
                ),
                (
                    "example#Events",
                    serde_json::json!({
                        "type": "union",
                        "members": { "tick": { "target": "example#Tick" } },
                        "traits": { "smithy.api#streaming": {} }
                    }),
                ),
                (
                    "example#Tick",
                    serde_json::json!({ "type": "structure", "members": { "n": { "target": "smithy.api#Integer" } } }),
                ),
            ] {
                shapes.insert(id.into(), shape);
            }
        }
        let model = serde_json::json!({ "smithy": "2.0", "shapes": shapes }).to_string();
        crate::resolve::resolve_str(&model, &Default::default()).expect("a resolvable model")
    }

    fn chime() -> Service {
        let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../model/chime-sdk-meetings.json");
        crate::resolve::resolve_str(&std::fs::read_to_string(path).unwrap(), &Default::default())
            .unwrap()
    }

    #[test]
    fn streaming_is_read_from_the_ir() {
        assert_eq!(
            Streaming::of(&service(false)),
            Streaming { byte_stream: true, event_stream: false }
        );
        assert_eq!(
            Streaming::of(&service(true)),
            Streaming { byte_stream: true, event_stream: true }
        );
        assert_eq!(Streaming::of(&chime()), Streaming::default());
    }

    fn section(manifest: &str, name: &str) -> toml::Table {
        let manifest: toml::Table = manifest.parse().expect("a TOML manifest");
        manifest.get(name).and_then(toml::Value::as_table).cloned().unwrap_or_default()
    }

    /// The runtime crate compiles every runtime file with the dependencies and features of a
    /// generated crate that has them all: one with event streams.
    #[test]
    fn the_runtime_crate_has_the_manifest_of_a_crate_with_event_streams() {
        let service = service(true);
        let features = super::Features::of(&service, false);
        let generated = super::cargo_toml(&service, &features);
        let runtime = include_str!("../../runtime/Cargo.toml");
        assert_eq!(section(runtime, "dependencies"), section(&generated, "dependencies"));
        let mut runtime_features = section(runtime, "features");
        runtime_features.remove("default");
        assert_eq!(runtime_features, section(&generated, "features"));
    }

    /// A crate with streaming blobs only gets `ByteStream`'s dependencies, not the signing ones;
    /// a crate without streaming gets them under `client` only.
    #[test]
    fn manifests_grow_with_what_the_service_streams() {
        let blobs = service(false);
        let blobs = super::cargo_toml(&blobs, &super::Features::of(&blobs, false));
        let dependencies = section(&blobs, "dependencies");
        assert!(
            dependencies.contains_key("http-body") && dependencies.contains_key("futures-core")
        );
        assert!(!dependencies.contains_key("aws-sigv4"));
        let features = section(&blobs, "features");
        let client = features["client"].as_array().unwrap();
        assert!(client.contains(&"dep:http-body".into()));
        assert!(!client.contains(&"aws-sigv4/sign-eventstream".into()));
        assert!(features["server"].as_array().unwrap().contains(&"tokio/fs".into()));

        // Without streaming, `ByteStream` is the client's only: its dependencies under
        // `client`, none under `server`.
        let chime = chime();
        let plain = super::cargo_toml(&chime, &super::Features::of(&chime, false));
        assert!(section(&plain, "dependencies").contains_key("http-body"));
        assert!(!section(&plain, "dependencies").contains_key("aws-sigv4"));
        assert_eq!(section(&plain, "features")["server"], toml::Value::Array(Vec::new()));
        let client = section(&plain, "features")["client"].as_array().unwrap().clone();
        assert!(client.contains(&"dep:http-body".into()) && client.contains(&"tokio/fs".into()));
        let lib = super::lib_rs(&chime).to_string();
        assert!(lib.contains("# [cfg (feature = \"client\")] pub mod byte_stream ;"));
        assert!(!lib.contains("event_stream"));
        let lib = super::lib_rs(&service(true)).to_string();
        assert!(lib.contains("pub mod byte_stream ;") && lib.contains("pub mod event_stream ;"));
    }
}
