#!/usr/bin/env bash
# Event relay latency: agent stdout line → runner → control plane → SSE client, p50/p99, with 1 and 50
# concurrent sessions. The agent is bench/fake-agent.py, which stamps each delta with the wall clock.
#   bench/session-relay.sh [deltas per session] [rounds] [ms between deltas (20)]
source "$(dirname "$0")/common.sh"
mkdir -p "$SCRATCH/ws"
export OQTO_WORKSPACE__ROOT="$SCRATCH/ws" OQTO_PROGRAMS__PI="$ROOT/bench/fake-agent.py" OQTO_AGENT__MAX_SESSIONS=64
start_runner "$SCRATCH/r.sock"
start_control_plane "$SCRATCH/r.sock"
bench_java io.oqto.bench.SessionRelayBench "http://127.0.0.1:$PORT" "$TOKEN_FILE" "${1:-200}" "${2:-3}" "${3:-20}"
