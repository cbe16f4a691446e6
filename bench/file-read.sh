#!/usr/bin/env bash
# File read throughput: a file in the workspace read through REST (control plane -> runner) vs directly.
#   bench/file-read.sh [MiB] [rounds]
source "$(dirname "$0")/common.sh"
export OQTO_WORKSPACE__ROOT="$SCRATCH/ws"
mkdir -p "$OQTO_WORKSPACE__ROOT"
head -c "$(( ${1:-64} * 1048576 ))" /dev/urandom > "$OQTO_WORKSPACE__ROOT/big.bin"
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
bench_java io.oqto.bench.FileReadBench "http://127.0.0.1:$PORT" "$SCRATCH/state/admin.token" \
  "$OQTO_WORKSPACE__ROOT/big.bin" big.bin "${2:-5}"
