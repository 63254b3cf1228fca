#!/usr/bin/env bash
# Peak memory of a multi-GB `@streaming` blob download through a generated client (issue 11):
# generates the crate of tests/models/synthetic/streaming_blobs.json, builds
# scripts/streaming-blob-memory.rs against it (release, feature `rustls`), and downloads MIB MiB
# from a loopback HTTP/1.1 server, the body read as it arrives; then WHOLE_MIB MiB read whole
# into memory, for comparison (what the client did before bodies streamed). Prints the peak
# resident set (VmHWM, Linux) of each run.
#
#   scripts/streaming-blob-memory.sh                 # MIB=4096, WHOLE_MIB=256
#   MIB=1024 WHOLE_MIB=0 scripts/streaming-blob-memory.sh   # WHOLE_MIB=0: no whole run
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
work=${STREAMING_MEMORY_DIR:-$root/target/streaming-blob-memory}
mkdir -p "$work/download/src"
(cd "$root" && cargo xtask codegen --model tests/models/synthetic/streaming_blobs.json --out "$work/crate" >/dev/null)
cp "$root/scripts/streaming-blob-memory.rs" "$work/download/src/main.rs"
cat >"$work/download/Cargo.toml" <<'EOF'
[package]
name = "streaming-blob-memory"
version = "0.0.0"
edition = "2021"
publish = false

[workspace]

[dependencies]
synthetic-blobs = { path = "../crate", features = ["rustls"] }
tokio = { version = "1", features = ["rt-multi-thread", "net", "io-util"] }
EOF
# The workspace's lock: the versions the repository is tested with (cargo drops the rest).
[ -f "$work/download/Cargo.lock" ] || cp "$root/Cargo.lock" "$work/download/Cargo.lock"
(cd "$work/download" && cargo build --release -q)
bin=$work/download/target/release/streaming-blob-memory
"$bin" "${MIB:-4096}" stream
if [ "${WHOLE_MIB:-256}" != 0 ]; then
  "$bin" "${WHOLE_MIB:-256}" whole
fi
