#!/usr/bin/env bash
# REST -> runner ping: requests/s and p50/p99 with 1, 8 and 64 concurrent clients against both
# distributions started from the tarballs (single-user mode).
#   bench/rest-ping.sh [seconds per level] [rounds]
source "$(dirname "$0")/common.sh"
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
bench_java io.oqto.bench.RestPingBench "http://127.0.0.1:$PORT" "$SCRATCH/state/admin.token" "${1:-5}" "${2:-3}"
