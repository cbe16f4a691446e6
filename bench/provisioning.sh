#!/usr/bin/env bash
# Provisioning, multi-user mode, as root: the root helper (supervising the runners; no systemd needed)
# and the control plane as the oqto user, started from the tarballs. Prints the time to provision a user
# until their runner answers (20 in sequence, 5 in parallel) and REST -> runner pings spread over 20
# runners vs all to one. Creates Linux users oqto_bench<tag>…, the group oqtobench<tag> and, if missing,
# the oqto user; removes all of them at the end.
#   bench/provisioning.sh [rounds]
source "$(dirname "$0")/multi-user.sh"
bench_java io.oqto.bench.ProvisioningBench "http://127.0.0.1:$PORT" "$TOKEN_FILE" "bench$TAG" "${1:-3}"
