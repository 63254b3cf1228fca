#!/usr/bin/env bash
# Peak memory of a multi-GB `@streaming` blob through the generated streaming router (issue 11,
# the server side): generates the crate of tests/models/synthetic/chat.json, builds
# scripts/server-stream-memory.rs against it (release, feature `server`), serves the router with
# hyper over loopback HTTP/1.1 and moves MIB MiB through it, downloaded then uploaded, with a
# hyper client in the same process. Prints the peak resident set (VmHWM, Linux) of each run.
#
#   scripts/server-stream-memory.sh            # MIB=4096
#   MIB=256 scripts/server-stream-memory.sh
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
work=${SERVER_STREAM_MEMORY_DIR:-$root/target/server-stream-memory}
mkdir -p "$work/measure/src"
(cd "$root" && cargo xtask codegen --model tests/models/synthetic/chat.json --out "$work/crate" >/dev/null)
cp "$root/scripts/server-stream-memory.rs" "$work/measure/src/main.rs"
cat >"$work/measure/Cargo.toml" <<'TOML'
[package]
name = "server-stream-memory"
version = "0.0.0"
edition = "2021"
publish = false

[workspace]

[dependencies]
synthetic-chat = { path = "../crate", features = ["server"] }
bytes = "1"
futures-core = "0.3"
http = "1"
hyper = { version = "1", features = ["client", "server", "http1"] }
hyper-util = { version = "0.1.10", features = ["tokio"] }
tokio = { version = "1", features = ["rt-multi-thread", "net"] }
TOML
# The workspace's lock: the versions the repository is tested with (cargo drops the rest).
[ -f "$work/measure/Cargo.lock" ] || cp "$root/Cargo.lock" "$work/measure/Cargo.lock"
(cd "$work/measure" && cargo build --release -q)
bin=$work/measure/target/release/server-stream-memory
"$bin" "${MIB:-4096}" download
"$bin" "${MIB:-4096}" upload
