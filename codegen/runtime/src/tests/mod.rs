//! The runtime's tests. They are unit tests of this crate (not copied into generated crates), so
//! they reach the runtime's `pub(crate)` items at the paths a generated crate has.
//!
//! Known values, rejections and no-panic fuzz loops per module, plus well-kept libraries as
//! oracles (dev-dependencies only): `serde_json` for the JSON reader and writer, `time` and
//! `httpdate` for timestamps, `base64`, `percent-encoding`, `md-5`, `regex` for the `@pattern`
//! matcher, `crc32fast`, `aws-smithy-eventstream` and `aws-sigv4` for event streams, `aws-sigv4`
//! and botocore's signatures for the client's SigV4 signer, with `proptest` generating the
//! inputs; botocore's results for the endpoint standard library;
//! the compliance suite's event-stream frames and the Python event-stream references
//! (`tests/event_stream/`); and `toml` to hold this crate's manifest to a generated crate's.

// Without `serde` the tests that go through serde_json are left out, and some helpers with them.
#![cfg_attr(not(feature = "serde"), allow(dead_code))]

mod base64_oracle;
#[cfg(any(feature = "client", feature = "server"))]
mod byte_stream;
mod byte_stream_memory;
#[cfg(feature = "rustls")]
mod client_events;
#[cfg(feature = "rustls")]
mod client_stream;
#[cfg(feature = "client")]
mod credentials;
mod datetime_oracle;
mod encoding_oracle;
mod endpoint_lib;
mod event_stream;
#[cfg(all(feature = "client", feature = "server"))]
mod event_stream_server;
#[cfg(feature = "client")]
mod event_stream_sign;
mod event_stream_stream;
mod json_oracle;
mod json_reader;
mod manifest;
mod md5;
#[cfg(feature = "client")]
mod orchestrate;
mod pattern;
mod pattern_oracle;
mod protocol;
#[cfg(feature = "client")]
mod rate_limit;
mod rng;
#[cfg(feature = "client")]
mod sign;
mod values;
