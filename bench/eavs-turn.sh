#!/usr/bin/env bash
# The latency eavs adds to an agent turn: the real pi prompted directly against the fake LLM and through the
# eavs double in front of it, alternating in the same run; p50/p99 per path and the difference.
#   bench/eavs-turn.sh [turns] [rounds]
source "$(dirname "$0")/common.sh"
PI="$ROOT/.tools/pi/node_modules/.bin/pi"
[ -x "$PI" ] || { echo "pi is installed by scripts/install-test-deps at $PI" >&2; exit 1; }
bench_java io.oqto.bench.EavsTurnBench "$PI" "${1:-50}" "${2:-3}"
