//! The programs of this directory, written against the official `aws-sdk-chimesdkmeetings`
//! crate (see `README.md`), compiled as they are against the generated crate: the manifest
//! gives it the official crate's name, and nothing else changes.

// Examples are fragments: unused bindings and `unimplemented!()` stand-ins are theirs.
#![allow(unused, dead_code, deprecated, unreachable_code, clippy::all)]

/// Declares each program as a module and lists them in [`PROGRAMS`].
macro_rules! programs {
    ($($name:ident),* $(,)?) => {
        $(mod $name;)*
        /// The programs compiled here, by file name without `.rs` (`tests/official_api.rs`
        /// checks that every program of the directory is one of them).
        pub const PROGRAMS: &[&str] = &[$(stringify!($name)),*];
    };
}

programs!(client_docs, config_docs, enums, errors, operations, paginators, readme);
