#!/usr/bin/env bash
# Peak memory of a long output event stream read as it arrives (issue 11): a loopback HTTP/1.1
# server sends MIB MiB of 64 KiB events; the client reads them through hyper, ByteStream and
# EventStream::from_body, one at a time, and prints the peak resident set (VmHWM, Linux).
#
#   scripts/event-stream-memory.sh          # MIB=4096
#   MIB=512 scripts/event-stream-memory.sh
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
# A bench target (built with the bench profile, optimized), so that `cargo test` does not build it.
exec cargo bench -q -p smithy-runtime --bench event_stream_memory -- "${MIB:-4096}"
