#!/usr/bin/env bash
# REST -> runner ping: requests/s and p50/p99 with 1, 8 and 64 concurrent clients against both
# distributions started from the tarballs (single-user mode).
#   bench/rest-ping.sh [seconds per level] [rounds]
source "$(dirname "$0")/common.sh"
start_runner "$SCRATCH/r.sock"
start_control_plane "$SCRATCH/r.sock"
bench_java io.oqto.bench.RestPingBench "http://127.0.0.1:$PORT" "$TOKEN_FILE" "${1:-5}" "${2:-3}"
