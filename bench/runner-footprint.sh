#!/usr/bin/env bash
# Runner footprint: exec -> READY=1 and idle RSS/threads, tuned launcher vs Karaf's stock launcher.
#   bench/runner-footprint.sh [runs] [idle seconds]
source "$(dirname "$0")/common.sh"
unpack "$RUNNER_TGZ" runner
bench_java io.oqto.bench.FootprintBench "$SCRATCH/runner" "${1:-5}" "${2:-10}"
