//! A local Amazon Chime SDK Meetings server: an in-memory implementation of the service on the
//! types generated from its Smithy model, for developing and testing applications without AWS.
#![forbid(unsafe_code)]
#![warn(missing_docs)]

pub mod service;

pub use service::{InMemoryChime, Settings};
