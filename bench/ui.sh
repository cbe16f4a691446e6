#!/usr/bin/env bash
# The web UI in headless Chromium (Debian's chromium and chromium-driver): the first load (bytes transferred, time to
# interactive) and the time from pressing Send to the first streamed character, against the same prompt sent with an
# HTTP client (curl's path: POST, then the first message.delta over SSE), same run; the real pi with the fake LLM.
#   bench/ui.sh [rounds] [loads per round]
source "$(dirname "$0")/common.sh"
PI="$ROOT/.tools/pi/node_modules/.bin/pi"
[ -x "$PI" ] || "$ROOT/scripts/install-test-deps"
mkdir -p "$SCRATCH/ws"
LLM_PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
java -cp "$BENCH_CP" io.oqto.testing.llm.FakeLlm "$LLM_PORT" > "$SCRATCH/llm.log" 2>&1 &  # java itself, so cleanup stops it
PIDS+=($!)
printf 'fake-key\n' > "$SCRATCH/fake.key"
cat > "$OQTO_CONFIG" <<TOML
[agent]
providers = ["fake openai-completions http://127.0.0.1:$LLM_PORT/v1 file:$SCRATCH/fake.key fake-model"]
TOML
export OQTO_WORKSPACE__ROOT="$SCRATCH/ws" OQTO_PROGRAMS__PI="$PI" PI_CODING_AGENT_DIR="$SCRATCH/pi-agent"
start_runner "$SCRATCH/r.sock"
start_control_plane "$SCRATCH/r.sock"
bench_java io.oqto.bench.UiBench "http://127.0.0.1:$PORT" "$TOKEN_FILE" "$SCRATCH/state/login.url" "${1:-3}" "${2:-5}"
