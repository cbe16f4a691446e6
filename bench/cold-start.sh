#!/usr/bin/env bash
# Socket activation, multi-user mode, as root: the first request to an idle user (it starts the user's runner,
# handed its socket by the root helper) vs warm requests, p50/p99. Runners exit after 3 s idle here.
#   bench/cold-start.sh [rounds]
RUNNER_SETTINGS="idle_exit_seconds = 3"
source "$(dirname "$0")/multi-user.sh"
bench_java io.oqto.bench.ActivationBench cold "http://127.0.0.1:$PORT" "$TOKEN_FILE" "bench$TAG" "$SCRATCH/runner" "${1:-20}"
