#!/usr/bin/env bash
# Session start-up: POST /sessions until the agent_ready event arrives over SSE, against the same pi
# command started directly until it answers get_state, alternating in the same run (the real pi from
# .tools/pi; scripts/install-test-deps installs it).
#   bench/session-start.sh [starts per round] [rounds]
source "$(dirname "$0")/common.sh"
PI="$ROOT/.tools/pi/node_modules/.bin/pi"
[ -x "$PI" ] || "$ROOT/scripts/install-test-deps"
mkdir -p "$SCRATCH/ws"
export OQTO_WORKSPACE__ROOT="$SCRATCH/ws" OQTO_PROGRAMS__PI="$PI" PI_CODING_AGENT_DIR="$SCRATCH/pi-agent"
start_runner "$SCRATCH/r.sock"
start_control_plane "$SCRATCH/r.sock"
bench_java io.oqto.bench.SessionStartBench "http://127.0.0.1:$PORT" "$TOKEN_FILE" "$PI" "$SCRATCH/ws" "${1:-5}" "${2:-3}"
