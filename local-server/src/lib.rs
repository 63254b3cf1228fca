//! A local Amazon Chime SDK Meetings server: an in-memory implementation of the service on the
//! types generated from its Smithy model, served over loopback HTTP with SigV4 checks, for
//! developing and testing applications without AWS.
#![forbid(unsafe_code)]
#![warn(missing_docs)]

pub mod http;
pub mod service;
pub mod sigv4;

pub use service::{InMemoryChime, Settings};
pub use sigv4::Verify;
