#!/usr/bin/env bash
# Sandboxed spawn of /bin/true through the REST API vs the same bwrap command run directly.
# A sandbox policy (development profile) is put in a scratch XDG_CONFIG_HOME for the runner.
#   bench/sandboxed-spawn.sh [spawns per round] [rounds]
source "$(dirname "$0")/common.sh"
export XDG_CONFIG_HOME="$SCRATCH/config"
mkdir -p "$XDG_CONFIG_HOME/oqto" "$SCRATCH/ws"
printf 'enabled = true\nprofile = "development"\n' > "$XDG_CONFIG_HOME/oqto/sandbox.toml"
export OQTO_WORKSPACE__ROOT="$SCRATCH/ws"
start_runner "$SCRATCH/r.sock"
start_control_plane "$SCRATCH/r.sock"
bench_java io.oqto.bench.SpawnBench "http://127.0.0.1:$PORT" "$TOKEN_FILE" "${1:-30}" "${2:-3}"
