#!/usr/bin/env bash
# Provisioning with and without the eavs step, multi-user mode, as root, alternating in the same run: the eavs
# double runs in the bench's JVM, and the config gains or loses its [eavs] section between the two (the control
# plane re-reads it). Creates and deletes Linux users oqto_bench<tag>…; removes everything at the end.
#   bench/eavs-provisioning.sh [rounds]
source "$(dirname "$0")/multi-user.sh"
MASTER="$SCRATCH/eavs-master-key"
head -c 24 /dev/urandom | base64 > "$MASTER"
chown oqto "$MASTER"
chmod 600 "$MASTER"
bench_java io.oqto.bench.EavsProvisioningBench "http://127.0.0.1:$PORT" "$TOKEN_FILE" "bench$TAG" "$OQTO_CONFIG" "$MASTER" "${1:-5}"
