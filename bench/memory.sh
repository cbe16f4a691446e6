#!/usr/bin/env bash
# Memory, measured on two runners side by side (memory off, the embedded ledger with N memories and the mmry double as
# the central embeddings service): search_memories p50/p99 lexical and hybrid, and each runner's idle RSS.
#   bench/memory.sh [rounds] [memories]
source "$(dirname "$0")/common.sh"
unpack "$RUNNER_TGZ" runner
bench_java io.oqto.bench.MemoryBench "$SCRATCH/runner" "$SCRATCH" "${1:-3}" "${2:-10000}"
