#!/usr/bin/env bash
# What streaming costs a generated crate's build: the runtime crate (`codegen/runtime`, the code
# every generated crate carries, with its dependencies) built as a dependency from an empty target
# directory, at a base commit (default: main, before streaming) and at HEAD (with byte_stream.rs,
# event_stream/ and their dependencies: the manifest of a crate with event streams), per feature
# set; plus `rustls` with hyper's HTTP/2 (h2) turned on, for bidirectional event streams.
#
#   scripts/streaming-build-time.sh            # BASE=main RUNS=2
#   BASE=02e394e RUNS=1 scripts/streaming-build-time.sh
#
# The runs go round all rows in turn (so load drifts spread evenly); each prints its `cargo
# build` time and the number of crates compiled. Everything is written under target/.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
base=${BASE:-main}
runs=${RUNS:-2}
work=$root/target/streaming-build-time
rm -rf "$work" && mkdir -p "$work"

# A copy of the runtime crate at a commit, standalone: workspace inheritance replaced, dev
# dependencies dropped (they are not built for a dependent).
extract() { # commit dir
  mkdir -p "$2"
  (cd "$root" && git archive "$1" codegen/runtime) | tar -x -C "$2" --strip-components=2
  sed -i -e 's/^edition.workspace = true/edition = "2021"/' -e 's/^license.workspace = true/license = "Apache-2.0"/' \
    -e 's/^publish.workspace = true/publish = false/' -e '/^\[dev-dependencies\]/,$d' "$2/Cargo.toml"
}
extract "$base" "$work/before"
extract HEAD "$work/after"

# name|runtime|features|extra dependency lines
rows=(
  "client-before|before|client|"
  "client-after|after|client|"
  "server-before|before|server|"
  "server-after|after|server|"
  "rustls-before|before|rustls|"
  "rustls-after|after|rustls|"
  "rustls-h2-after|after|rustls|hyper = { version = \"1\", features = [\"http2\"] }
hyper-util = { version = \"0.1.10\", features = [\"http2\"] }
hyper-rustls = { version = \"0.27\", default-features = false, features = [\"http2\"] }"
)
for row in "${rows[@]}"; do
  IFS='|' read -r name runtime features extra <<<"$row"
  mkdir -p "$work/$name/src"
  echo "" >"$work/$name/src/lib.rs"
  cat >"$work/$name/Cargo.toml" <<TOML
[package]
name = "consumer-$name"
version = "0.0.0"
edition = "2021"
publish = false

[dependencies]
smithy-runtime = { path = "../$runtime", default-features = false, features = ["$features"] }
$extra

[workspace]
TOML
  cp "$root/Cargo.lock" "$work/$name/Cargo.lock"
  (cd "$work/$name" && cargo generate-lockfile -q --offline 2>/dev/null || cargo generate-lockfile -q)
done
for run in $(seq 1 "$runs"); do
  for row in "${rows[@]}"; do
    name=${row%%|*}
    rm -rf "$work/target-$name"
    start=$(date +%s.%N)
    crates=$(cd "$work/$name" && CARGO_INCREMENTAL=0 cargo build --target-dir "$work/target-$name" 2>&1 | grep -c '^ *Compiling' || true)
    end=$(date +%s.%N)
    printf '%-18s run %d: %6.2f s, %3d crates compiled\n' "$name" "$run" "$(echo "$end - $start" | bc)" "$crates"
  done
done
echo "load average at the end: $(cut -d' ' -f1-3 /proc/loadavg)"
