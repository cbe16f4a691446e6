# Sourced by the bench scripts: build if needed, unpack the distributions into a scratch directory,
# start and stop them. Everything started is stopped on exit.
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd -P)
VERSION=0.1.0-SNAPSHOT
CP_TGZ="$ROOT/karaf-assembly/control-plane/target/oqto-control-plane-$VERSION.tar.gz"
RUNNER_TGZ="$ROOT/karaf-assembly/runner/target/oqto-runner-$VERSION.tar.gz"
if [ ! -f "$CP_TGZ" ] || [ ! -f "$RUNNER_TGZ" ] || [ ! -f "$ROOT/bench/target/classpath.txt" ]; then
  (cd "$ROOT" && mvn -B -q install -DskipTests -pl bench,karaf-assembly/control-plane,karaf-assembly/runner -am)
fi
BENCH_CP="$ROOT/bench/target/classes:$(cat "$ROOT/bench/target/classpath.txt")"
SCRATCH=$(mktemp -d /tmp/oqto-bench.XXXXXX)
PIDS=()
cleanup() {
  for p in "${PIDS[@]}"; do kill -TERM "$p" 2>/dev/null || true; done
  for p in "${PIDS[@]}"; do wait "$p" 2>/dev/null || true; done
  rm -rf "$SCRATCH"
}
trap cleanup EXIT
unpack() { mkdir -p "$SCRATCH/$2" && tar xzf "$1" -C "$SCRATCH/$2" --strip-components=1; }
bench_java() { java -cp "$BENCH_CP" "$@"; }
# Only this variable decides the config: a user's ~/.config/oqto/config.toml must not change the figures.
export OQTO_CONFIG="$SCRATCH/config.toml"
: > "$OQTO_CONFIG"
start_runner() { # socket
  unpack "$RUNNER_TGZ" runner
  "$SCRATCH/runner/bin/oqto-runner" --socket "$1" > "$SCRATCH/runner.log" 2>&1 &
  PIDS+=($!)
  for _ in $(seq 1 600); do [ -S "$1" ] && return 0; sleep 0.1; done
  echo "runner did not come up; see $SCRATCH/runner.log" >&2; exit 1
}
start_control_plane() { # socket; sets PORT and TOKEN_FILE
  unpack "$CP_TGZ" cp
  PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
  TOKEN_FILE="$SCRATCH/state/admin.token"
  OQTO_SERVER__PORT=$PORT OQTO_SERVER__STATE_DIR="$SCRATCH/state" OQTO_ROUTING__SOCKET_PATTERN="$1" \
    "$SCRATCH/cp/bin/oqto" > "$SCRATCH/cp.log" 2>&1 &
  PIDS+=($!)
  for _ in $(seq 1 900); do
    [ -s "$TOKEN_FILE" ] && curl -sf "http://127.0.0.1:$PORT/api/health" >/dev/null && return 0
    sleep 0.1
  done
  echo "control plane did not come up; see $SCRATCH/cp.log" >&2; exit 1
}
