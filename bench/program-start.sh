#!/usr/bin/env bash
# The file server started through the REST API until it answers, vs the same bwrap command run directly.
# A sandbox policy (development profile) is put in a scratch XDG_CONFIG_HOME for the runner.
#   bench/program-start.sh [starts per round] [rounds]
source "$(dirname "$0")/common.sh"
export XDG_CONFIG_HOME="$SCRATCH/config" XDG_RUNTIME_DIR="$SCRATCH/run"
mkdir -p "$XDG_CONFIG_HOME/oqto" "$SCRATCH/ws" "$XDG_RUNTIME_DIR"
printf 'enabled = true\nprofile = "development"\n' > "$XDG_CONFIG_HOME/oqto/sandbox.toml"
export OQTO_WORKSPACE__ROOT="$SCRATCH/ws"
start_runner "$SCRATCH/r.sock"
start_control_plane "$SCRATCH/r.sock"
bench_java io.oqto.bench.ProgramStartBench "http://127.0.0.1:$PORT" "$TOKEN_FILE" "${1:-5}" "${2:-3}"
