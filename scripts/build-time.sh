#!/usr/bin/env bash
# Measures the clean build time of the generated crate (dependencies included), and optionally
# of the official aws-sdk-chimesdkmeetings crate on the same machine for comparison.
#
#   scripts/build-time.sh            # the generated crate only
#   scripts/build-time.sh --official # also the official SDK crate (downloads it from crates.io;
#                                    # OFFICIAL_VERSION, default =1.121.0, as benches/official/)
#   scripts/build-time.sh --features client   # the generated crate with these cargo features
#                                             # (BUILD_TIME_RUNS=1 for a single run)
#   scripts/build-time.sh --all      # every feature set next to the official crate: a table
#
# Each build runs twice from an empty target directory; both times are printed. The generated
# crate is measured as a registry dependency is built (CARGO_INCREMENTAL=0, as the official crate
# is built here, being a crates.io dependency) and as the root crate of a build (incremental).
#
# --all builds, in one run, an empty crate depending on the generated crate (by path, from
# outside any workspace: built like a registry dependency, not incrementally, lints capped) with
# each feature set — default, serde, client, rustls, aws-config, server — and on the official crate
# (OFFICIAL_VERSION, default =1.121.0, the version benches/official/ pins) with its default
# features and with none; the runs go round all of them in turn, so load drifts spread evenly.
# It prints, per row, the `cargo build` times, the unique normal dependencies (`cargo tree -e
# normal`: the measured crate counted, the empty crate depending on it not) and the crates
# compiled (cargo's `Compiling` lines: build dependencies and the empty crate included).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
official_version=${OFFICIAL_VERSION:-=1.121.0}
work=${BUILD_TIME_DIR:-$root/target/build-time}
runs=${BUILD_TIME_RUNS:-2}
features=()
if [ "${1:-}" = "--features" ]; then
  features=(--features "$2")
  shift 2
fi
rm -rf "$work" && mkdir -p "$work"

measure() { # name dir [label]
  local name=$1 dir=$2 label=${3:-$1}
  (cd "$dir" && cargo generate-lockfile -q)
  for run in $(seq 1 "$runs"); do
    for cmd in build check; do
      rm -rf "$work/target-$name"
      local start end
      start=$(date +%s.%N)
      (cd "$dir" && cargo "$cmd" -q ${features[@]+"${features[@]}"} --target-dir "$work/target-$name")
      end=$(date +%s.%N)
      printf '%-44s cargo %-5s run %d: %6.2f s\n' "$label" "$cmd" "$run" "$(echo "$end - $start" | bc)"
    done
  done
}

(cd "$root" && cargo xtask codegen --out "$work/generated" >/dev/null)

if [ "${1:-}" = "--all" ]; then
  # name|label|dependency line of the consumer crate
  rows=(
    "default|generated, default features (types, wire format, endpoints)|chime-sdk-meetings = { path = \"../generated\" }"
    "serde|generated, \`serde\`|chime-sdk-meetings = { path = \"../generated\", features = [\"serde\"] }"
    "client|generated, \`client\` (async client, SigV4, no HTTP stack)|chime-sdk-meetings = { path = \"../generated\", features = [\"client\"] }"
    "rustls|generated, \`rustls\` (client + hyper, rustls on ring, tokio)|chime-sdk-meetings = { path = \"../generated\", features = [\"rustls\"] }"
    "aws-config|generated, \`aws-config\` (client + aws-types, for \`Client::new(&sdk_config)\`)|chime-sdk-meetings = { path = \"../generated\", features = [\"aws-config\"] }"
    "server|generated, \`server\`|chime-sdk-meetings = { path = \"../generated\", features = [\"server\"] }"
    "official|official $official_version, default features (HTTPS client)|aws-sdk-chimesdkmeetings = \"$official_version\""
    "official-bare|official $official_version, no default features (no HTTP client)|aws-sdk-chimesdkmeetings = { version = \"$official_version\", default-features = false }"
  )
  declare -A times deps compiled labels
  names=()
  for row in "${rows[@]}"; do
    IFS='|' read -r name label dependency <<<"$row"
    names+=("$name")
    labels[$name]=$label
    mkdir -p "$work/$name/src"
    : >"$work/$name/src/lib.rs"
    printf '[package]\nname = "build-time-%s"\nversion = "0.0.0"\nedition = "2021"\npublish = false\n\n[workspace]\n\n[dependencies]\n%s\n' \
      "$name" "$dependency" >"$work/$name/Cargo.toml"
    (cd "$work/$name" && cargo generate-lockfile -q && cargo fetch -q)
    deps[$name]=$(cd "$work/$name" && cargo tree -q -e normal --prefix none |
      sed -e 's/ (\*)$//' -e 's/ (proc-macro)$//' | grep -v "^build-time-$name " | sort -u | wc -l)
  done
  echo "load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
  for run in $(seq 1 "$runs"); do
    for name in "${names[@]}"; do
      rm -rf "$work/target-$name"
      start=$(date +%s.%N)
      log=$(cd "$work/$name" && CARGO_INCREMENTAL=0 cargo build --target-dir "$work/target-$name" 2>&1)
      end=$(date +%s.%N)
      seconds=$(printf '%.1f' "$(echo "$end - $start" | bc)")
      times[$name]="${times[$name]:+${times[$name]}, }$seconds s"
      compiled[$name]=$(grep -c '^ *Compiling ' <<<"$log" || true)
      printf '%-16s run %d: %6s s\n' "$name" "$run" "$seconds" >&2
    done
  done
  echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
  echo
  echo "| crate, features | clean \`cargo build\` as a dependency | unique normal dependencies | crates compiled |"
  echo "|---|---|---:|---:|"
  for name in "${names[@]}"; do
    printf '| %s | %s | %s | %s |\n' "${labels[$name]}" "${times[$name]}" "${deps[$name]}" "${compiled[$name]}"
  done
  exit 0
fi

suffix=${features[1]:+ --features ${features[1]}}
CARGO_INCREMENTAL=0 measure chime-sdk-meetings "$work/generated" "chime-sdk-meetings$suffix (as a dependency)"
if [ ${#features[@]} -eq 0 ]; then
  measure chime-sdk-meetings "$work/generated" "chime-sdk-meetings (as the root, incremental)"
fi

if [ "${1:-}" = "--official" ]; then
  mkdir -p "$work/official/src"
  cat > "$work/official/Cargo.toml" <<'TOML'
[package]
name = "official-sdk-build-time"
version = "0.0.0"
edition = "2021"
publish = false
[dependencies]
TOML
  echo "aws-sdk-chimesdkmeetings = \"$official_version\"" >> "$work/official/Cargo.toml"
  echo '' > "$work/official/src/lib.rs"
  (cd "$work/official" && cargo fetch -q)
  measure aws-sdk-chimesdkmeetings "$work/official"
fi
