#!/usr/bin/env bash
# Chat history, measured on three runners side by side (history off, the embedded store, the hstry connector with
# the hstry double): the time an agent turn takes until agent.idle (so what writing the turn adds), search p50/p99
# over N stored messages, and each runner's idle RSS with its store loaded.
#   bench/history.sh [turns per round] [rounds] [stored messages]
source "$(dirname "$0")/common.sh"
PI="$ROOT/.tools/pi/node_modules/.bin/pi"
[ -x "$PI" ] || { echo "pi is installed by scripts/install-test-deps at $PI" >&2; exit 1; }
unpack "$RUNNER_TGZ" runner
bench_java io.oqto.bench.HistoryBench "$SCRATCH/runner" "$PI" "$SCRATCH" "${1:-30}" "${2:-3}" "${3:-10000}"
