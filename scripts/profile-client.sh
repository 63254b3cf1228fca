#!/usr/bin/env bash
# Where a call of the generated client spends its time: profiles the benchmark of
# benches/official/ (our client only, one case) and prints the share of the samples spent in
# each phase of the call, inclusive of what it calls (phases nest: signing key derivation is
# part of SigV4 signing).
#
#   scripts/profile-client.sh [CASE] [CALLS]   # CASE: get-meeting (default),
#                                              # create-meeting-with-attendees, list-attendees,
#                                              # not-found
#
# Uses `perf record -e cpu-clock` with DWARF call graphs (no hardware counters needed), else
# valgrind's callgrind (instruction counts; note that valgrind hides SHA-NI, so the SHA-256
# share of signing comes out several times larger than on the real CPU).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
case_name=${1:-get-meeting}
calls=${2:-}
manifest="$root/benches/official/Cargo.toml"
out="$root/target/profile-client"
mkdir -p "$out"
cargo build --quiet --release --locked --manifest-path "$manifest"
bin="$root/benches/official/target/release/official-comparison"

# Phases of a call: label, then a regular expression over symbol names. Unindented labels
# after the first are the top-level phases; what the whole call spends outside them is printed
# as the remainder (the orchestration's own work: headers, the attempt loop, drops).
phases=(
  "the whole call (fluent builder to parsed output)|^official_comparison::ours::(call|create_meeting_with_attendees)::\{\{closure\}\}$"
  "SigV4 signing (client::sign::sign_request_with)|client::sign::sign_request(_with)?$"
  "  SHA-256 blocks (payload, canonical request, HMAC)|^sha2::sha256::"
  "response path (deserialize_response)|(::protocol::[a-z_]+::de_response|::operation::[a-z_]+::[A-Za-z]+::deserialize_response)$"
  "  the body's outermost reader, a modeled error's included (protocol::json::de_<shape>)|::protocol::json::de_[a-z_]+$"
  "request serialization: URI, headers, body (serialize_request)|(::protocol::[a-z_]+::ser_request|::operation::[a-z_]+::[A-Za-z]+::serialize_request)$"
  "endpoint resolution (client::resolve_endpoint)|client::resolve_endpoint$"
  "request clone per attempt (Request::clone)|http::request::Request<T> as core::clone::Clone>::clone$"
  "dropping the output (harness side)|drop_in_place<chime_sdk_meetings::operation::[a-z_]+::[A-Za-z]+Output>$"
  "the benchmark's canned transport (not the client)|CannedTransport as chime_sdk_meetings::client::transport::Transport>::send(_streaming)?$"
  "malloc (everywhere, inside the phases above)|^(__GI___libc_malloc|malloc)$"
  "free (everywhere, inside the phases above)|^(__GI___libc_free|free|cfree@GLIBC_2.2.5)$"
  "realloc (everywhere, inside the phases above)|^(__GI___libc_realloc|realloc)$"
)

# Reads "percent<TAB>symbol" lines and prints the phase table (the largest share per phase:
# a symbol may appear once per monomorphization, and inclusive shares must not be summed).
table() {
  local lines=$1
  printf '| phase | share of samples |\n|---|---:|\n'
  local whole="" outside=0
  for phase in "${phases[@]}"; do
    local label=${phase%%|*} pattern=${phase#*|}
    local pct
    pct=$(awk -F'\t' -v re="$pattern" '$2 ~ re && $1 > max { max = $1 } END { printf "%.1f", max }' "$lines")
    printf '| %s | %s %% |\n' "$label" "$pct"
    if [ -z "$whole" ]; then
      whole=$pct
    elif [ "${label# }" = "$label" ] && [ "${label#malloc}${label#free}${label#realloc}" = "$label$label$label" ]; then
      outside=$(echo "$outside + $pct" | bc)
    fi
  done
  printf '| remainder: the orchestration itself (headers, attempt loop, drops) | %.1f %% |\n' \
    "$(echo "$whole - $outside" | bc)"
}

if perf record -q -e cpu-clock -o /dev/null true >/dev/null 2>&1; then
  [ -n "$calls" ] || case $case_name in
    list-attendees) calls=15000 ;;
    create-meeting-with-attendees) calls=50000 ;;
    *) calls=150000 ;;
  esac
  perf record -q -e cpu-clock -F 4000 --call-graph dwarf,32768 -o "$out/$case_name.perf" \
    "$bin" --only ours --case "$case_name" --calls "$calls" >/dev/null
  perf report -i "$out/$case_name.perf" --children --stdio -g none --percent-limit 0.3 2>/dev/null |
    awk '/^ +[0-9.]+%/ { pct = $1; sub("%", "", pct); sym = $0; sub(/.*\[[.k]\] /, "", sym); sub(/ \(inlined\)$/, "", sym); print pct "\t" sym }' \
    >"$out/$case_name.lines"
  echo "perf (cpu-clock samples, inclusive), $case_name, $calls calls:"
else
  [ -n "$calls" ] || calls=2000
  valgrind --tool=callgrind --callgrind-out-file="$out/$case_name.callgrind" \
    "$bin" --only ours --case "$case_name" --calls "$calls" >/dev/null 2>&1
  callgrind_annotate --inclusive=yes "$out/$case_name.callgrind" 2>/dev/null |
    awk '/^ *[0-9,]+ +\( *[0-9.]+%\)/ { pct = $0; sub(/^[^(]*\( */, "", pct); sub(/%.*/, "", pct);
          sym = $0; sub(/^[^)]*\) +/, "", sym); sub(/^[^:]*:/, "", sym); sub(/ \[.*$/, "", sym);
          print pct "\t" sym }' >"$out/$case_name.lines"
  echo "callgrind (instructions, inclusive), $case_name, $calls calls:"
fi
table "$out/$case_name.lines"
