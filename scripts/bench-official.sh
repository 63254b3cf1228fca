#!/usr/bin/env bash
# Calls per second and allocations per call of the generated client against the official
# aws-sdk-chimesdkmeetings (pinned in benches/official/Cargo.toml), on the same four calls over
# in-memory transports; prints a Markdown table. Arguments go to the benchmark:
#
#   scripts/bench-official.sh                       # 15 runs of 0.4 s per client and case
#   scripts/bench-official.sh --runs 31 --secs 0.5  # longer
#   scripts/bench-official.sh --case list-attendees # one case (repeatable)
#
# The first run builds the official SDK (release, a few minutes); benches/official/ is outside
# the workspace, so nothing else builds it.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
exec cargo run --quiet --release --locked --manifest-path "$root/benches/official/Cargo.toml" -- "$@"
