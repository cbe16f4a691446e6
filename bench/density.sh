#!/usr/bin/env bash
# Density, multi-user mode, as root: provision [users] users (default 200), let every runner exit (socket
# activation, 5 s idle here), and print the host memory per provisioned idle user; then a first request to
# [active] of them at once (default 50): time until all answer, memory per active runner. Drops the page cache.
# [routing] connect_timeout_ms is 60 s here (see below).
#   bench/density.sh [users] [active]
RUNNER_SETTINGS="idle_exit_seconds = 5"
# 50 JVMs starting at once on 2 cores take longer than the default 15 s for connect + hello: the burst's figure is
# the time until all answer, so the clients may wait for it.
ROUTING_SETTINGS="connect_timeout_ms = 60000"
source "$(dirname "$0")/multi-user.sh"
bench_java io.oqto.bench.ActivationBench density "http://127.0.0.1:$PORT" "$TOKEN_FILE" "bench$TAG" "$SCRATCH/runner" "${1:-200}" "${2:-50}"
