#!/usr/bin/env bash
# The terminal through the control plane's WebSocket route vs. the same terminal program reached directly (a
# connection the runner hands to the benchmark), same run: keystroke -> echo p50/p99, and throughput of a raw cat.
#   bench/terminal.sh [rounds] [keystrokes] [MiB]
source "$(dirname "$0")/common.sh"
mkdir -p "$SCRATCH/ws"
export OQTO_WORKSPACE__ROOT="$SCRATCH/ws"
# Terminal programs listen in the runtime directory; a private one for the run.
export XDG_RUNTIME_DIR="$SCRATCH/rt"
mkdir -p "$XDG_RUNTIME_DIR" && chmod 700 "$XDG_RUNTIME_DIR"
start_runner "$SCRATCH/r.sock"
start_control_plane "$SCRATCH/r.sock"
bench_java io.oqto.bench.TerminalBench "http://127.0.0.1:$PORT" "$TOKEN_FILE" "$SCRATCH/r.sock" "$SCRATCH/ws" \
  "${2:-1000}" "${3:-100}" "${1:-3}"
