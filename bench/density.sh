#!/usr/bin/env bash
# Density, multi-user mode, as root: provision [users] users (default 200), let every runner exit (socket
# activation, 5 s idle here), and print the host memory per provisioned idle user; then a first request to
# [active] of them at once (default 50): time until all answer, memory per active runner. Drops the page cache.
#   bench/density.sh [users] [active]
RUNNER_SETTINGS="idle_exit_seconds = 5"
source "$(dirname "$0")/multi-user.sh"
bench_java io.oqto.bench.ActivationBench density "http://127.0.0.1:$PORT" "$TOKEN_FILE" "bench$TAG" "$SCRATCH/runner" "${1:-200}" "${2:-50}"
