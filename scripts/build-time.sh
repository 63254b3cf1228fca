#!/usr/bin/env bash
# Measures the clean build time of the generated crate (dependencies included), and optionally
# of the official aws-sdk-chimesdkmeetings crate on the same machine for comparison.
#
#   scripts/build-time.sh            # the generated crate only
#   scripts/build-time.sh --official # also the official SDK crate (downloads it from crates.io)
#   scripts/build-time.sh --features client   # the generated crate with these cargo features
#                                             # (BUILD_TIME_RUNS=1 for a single run)
#
# Each build runs twice from an empty target directory; both times are printed. The generated
# crate is measured as a registry dependency is built (CARGO_INCREMENTAL=0, as the official crate
# is built here, being a crates.io dependency) and as the root crate of a build (incremental).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
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
aws-sdk-chimesdkmeetings = "1"
TOML
  echo '' > "$work/official/src/lib.rs"
  (cd "$work/official" && cargo fetch -q)
  measure aws-sdk-chimesdkmeetings "$work/official"
fi
