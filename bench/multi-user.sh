# Sourced by the multi-user benches (as root): the root helper (supervising the runners; no systemd needed)
# and the control plane as the oqto user, started from the tarballs; sets PORT, TOKEN (an admin token), TOKEN_FILE
# (the same, in a 0600 file) and TAG. RUNNER_SETTINGS, ROUTING_SETTINGS: more lines for [runner], [routing].
# NO_CDS=1: no class-data archive for the runners.
# Creates the group oqtobench<tag> and, if missing, the oqto user; removes them, and every user in the
# group, at the end.
source "$(dirname "$0")/common.sh"
[ "$(id -u)" = 0 ] || { echo "provisioning.sh creates Linux users: run it as root" >&2; exit 1; }
TAG=$(date +%s | tail -c 6)
GROUP="oqtobench$TAG"
CREATED_OQTO=""
if ! getent passwd oqto >/dev/null; then
  useradd --system --user-group --no-create-home --shell /usr/sbin/nologin oqto; CREATED_OQTO=1
fi
bench_cleanup() {
  cleanup
  for u in $(getent group "$GROUP" | cut -d: -f4 | tr ',' ' '); do pkill -KILL -u "$u" || true; userdel -r "$u" 2>/dev/null || true; done
  groupdel "$GROUP" 2>/dev/null || true
  [ -z "$CREATED_OQTO" ] || { userdel oqto 2>/dev/null; rm -rf /tmp/hsperfdata_oqto; } || true
}
trap bench_cleanup EXIT
chmod 755 "$SCRATCH"
unpack "$CP_TGZ" cp
unpack "$RUNNER_TGZ" runner
# As an install does (systemd/install, the package): the class-data archive every runner maps (NO_CDS=1: without,
# for a comparison).
if [ -z "${NO_CDS:-}" ]; then
  "$SCRATCH/runner/bin/oqto-runner-cds" > "$SCRATCH/cds.log" 2>&1 || { cat "$SCRATCH/cds.log" >&2; exit 1; }
fi
mkdir -p "$SCRATCH/skel" "$SCRATCH/state"
chown -R oqto "$SCRATCH/cp" "$SCRATCH/state"
PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
cat > "$OQTO_CONFIG" <<TOML
[server]
port = $PORT
state_dir = "$SCRATCH/state"
[runner]
control_plane_user = "oqto"
${RUNNER_SETTINGS:-}
[routing]
${ROUTING_SETTINGS:-}
[usermgr]
socket = "$SCRATCH/usermgr.sock"
group = "$GROUP"
skeleton = "$SCRATCH/skel"
linger_dir = "$SCRATCH/linger"
service_manager = "supervise"
runner_command = "$SCRATCH/runner/bin/oqto-runner"
eavs_command = []
hstry_command = []
mmry_command = []
TOML
chmod 644 "$OQTO_CONFIG"
JAVA_HOME=${JAVA_HOME:-$(dirname "$(dirname "$(readlink -f "$(command -v java)")")")}
JAVA_HOME=$JAVA_HOME "$SCRATCH/cp/bin/oqto-usermgr" > "$SCRATCH/usermgr.log" 2>&1 &
PIDS+=($!)
runuser -m -u oqto -- env HOME="$SCRATCH/state" OQTO_MODE=multi-user JAVA_HOME="$JAVA_HOME" "$SCRATCH/cp/bin/oqto" > "$SCRATCH/cp.log" 2>&1 &
PIDS+=($!)
for _ in $(seq 1 900); do curl -sf "http://127.0.0.1:$PORT/api/health" >/dev/null && break; sleep 0.1; done
TOKEN=$("$SCRATCH/cp/bin/oqto-shell" "oqto:token-create --role admin bench" | grep '^oqto_')
# The same token in a 0600 file, for benches that take it by reference (nothing secret on a command line).
TOKEN_FILE="$SCRATCH/admin.token"
(umask 077; printf '%s\n' "$TOKEN" > "$TOKEN_FILE")
