#!/usr/bin/env python3
"""A stand-in for `pi --mode rpc` for the event relay benchmark (bench/session-relay.sh).

Answers every command with a success response; get_state with a session id. A prompt "bench N MS" emits
agent_start, N message_update text deltas whose text is the wall-clock time in microseconds when the line
was written (MS milliseconds apart), and agent_end. Exits when stdin closes.
"""
import json
import sys
import time


def out(obj):
    sys.stdout.write(json.dumps(obj, separators=(",", ":")) + "\n")
    sys.stdout.flush()


for line in sys.stdin:
    try:
        cmd = json.loads(line)
    except ValueError:
        out({"type": "response", "command": "parse", "success": False, "error": "Failed to parse command"})
        continue
    kind, cid = cmd.get("type"), cmd.get("id")
    if kind == "get_state":
        out({"id": cid, "type": "response", "command": "get_state", "success": True,
             "data": {"sessionId": "bench", "isStreaming": False, "messageCount": 0}})
    elif kind == "prompt":
        out({"id": cid, "type": "response", "command": "prompt", "success": True})
        words = str(cmd.get("message", "")).split()
        count = int(words[1]) if len(words) > 1 else 100
        pause = float(words[2]) / 1000 if len(words) > 2 else 0.005
        out({"type": "agent_start"})
        for i in range(count):
            out({"type": "message_update", "assistantMessageEvent": {"type": "text_delta", "contentIndex": 0,
                                                                     "delta": str(time.time_ns() // 1000)}})
            time.sleep(pause)
        out({"type": "agent_end", "messages": []})
    else:
        out({"id": cid, "type": "response", "command": kind, "success": True})
