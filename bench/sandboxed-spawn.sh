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
unpack "$CP_TGZ" cp
PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
OQTO_SERVER__PORT=$PORT OQTO_SERVER__STATE_DIR="$SCRATCH/state" OQTO_ROUTING__SOCKET_PATTERN="$SCRATCH/r.sock" \
  "$SCRATCH/cp/bin/oqto" > "$SCRATCH/cp.log" 2>&1 &
PIDS+=($!)
for _ in $(seq 1 900); do
  [ -s "$SCRATCH/state/admin.token" ] && curl -sf "http://127.0.0.1:$PORT/api/health" >/dev/null && break
  sleep 0.1
done
bench_java io.oqto.bench.SpawnBench "http://127.0.0.1:$PORT" "$SCRATCH/state/admin.token" "${1:-30}" "${2:-3}"
