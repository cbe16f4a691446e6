#!/usr/bin/env bash
# File read throughput: a file in the workspace read through REST (control plane -> runner) vs directly.
#   bench/file-read.sh [MiB] [rounds]
source "$(dirname "$0")/common.sh"
export OQTO_WORKSPACE__ROOT="$SCRATCH/ws"
mkdir -p "$OQTO_WORKSPACE__ROOT"
head -c "$(( ${1:-64} * 1048576 ))" /dev/urandom > "$OQTO_WORKSPACE__ROOT/big.bin"
start_runner "$SCRATCH/r.sock"
start_control_plane "$SCRATCH/r.sock"
bench_java io.oqto.bench.FileReadBench "http://127.0.0.1:$PORT" "$TOKEN_FILE" \
  "$OQTO_WORKSPACE__ROOT/big.bin" big.bin "${2:-5}"
