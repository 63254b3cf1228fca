#!/usr/bin/env bash
# Instructions per call of the wire bench's cases (tests/benches/protocol.rs), ours and
# serde_json's: valgrind's callgrind counts a run of N calls of one side and a run of 2N, and
# the difference divided by N is the cost of one call without the program's start and the
# bench's setup. Instruction counts do not drift with the host's load as times do.
#
#   scripts/wire-instructions.sh [CASE...]   # request, response, list, error, error-meta,
#                                            # aws-error, aws-error-meta (default: all)
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cases=("$@")
if [ ${#cases[@]} -eq 0 ]; then
  cases=(request response list error error-meta aws-error aws-error-meta)
fi
command -v valgrind >/dev/null || { echo "valgrind is needed" >&2; exit 1; }
bin=$(cd "$root" && cargo bench --quiet --locked -p integration-tests --bench protocol --no-run \
  --message-format=json 2>/dev/null |
  sed -n 's/.*"executable":"\([^"]*\)".*/\1/p' | tail -1)
[ -x "$bin" ] || { echo "the bench did not build" >&2; exit 1; }

# Instructions of `BENCH_CALLS=$2` calls of side $1 (`case/side`).
count() {
  BENCH_ONLY=$1 BENCH_CALLS=$2 valgrind --tool=callgrind --callgrind-out-file=/dev/null "$bin" 2>&1 |
    sed -n 's/.*refs: *\([0-9,]*\).*/\1/p' | tr -d ,
}

printf '%-16s %12s %12s %7s\n' case ours serde ratio
for case in "${cases[@]}"; do
  # A list read is about a hundred times an error's: fewer calls for the same run time.
  n=1000
  [ "$case" = list ] && n=50
  per_call() { echo $(( ($(count "$case/$1" $((2 * n))) - $(count "$case/$1" "$n")) / n )); }
  ours=$(per_call ours)
  serde=$(per_call serde)
  # serde_json's instructions over ours: above 1, ours does the work in fewer.
  printf '%-16s %12d %12d %7s\n' "$case" "$ours" "$serde" \
    "$(awk -v a="$ours" -v b="$serde" 'BEGIN { printf "%.2f", b / a }')"
done
