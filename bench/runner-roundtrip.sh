#!/usr/bin/env bash
# Runner round trip: the control plane's pooled client against a real runner process, and a raw
# Unix-socket line echo in the same run as the floor. Prints p50/p99 and the p50 ratio (goal <= 3).
#   bench/runner-roundtrip.sh [iterations per round] [rounds]
source "$(dirname "$0")/common.sh"
start_runner "$SCRATCH/r.sock"
bench_java io.oqto.bench.RoundTripBench "$SCRATCH/r.sock" "${1:-20000}" "${2:-5}"
