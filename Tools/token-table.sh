#!/usr/bin/env bash
# The token table of issue 15: a 20-turn conversation with SmolLM2-135M-Instruct through llama.cpp's
# llama-server (4,096-token window), one line per turn: prompt tokens, of those served from the
# server's prompt cache, time to first token, and the whole turn's time.
#
#   bash Tools/token-table.sh                    # builds the debug tools first if needed
#   bash Tools/token-table.sh --transcript FILE  # also writes each turn (message, notices, reply) to FILE
#   MESSAGES=FILE bash Tools/token-table.sh ...  # the learner's messages from FILE, one a line, instead
#
# Needs the real model (bash Tools/install-real-model.sh). Runs in a throwaway HOME.
set -euo pipefail
transcript=""
if [ "${1:-}" = "--transcript" ]; then transcript=$(realpath -m "$2"); : >"$transcript"; fi
cd "$(dirname "$0")/.."
source Tools/lib/real-model.sh
swift build --product tutor --product tutord >/dev/null
tools="$PWD/.build/debug"
work=$(mktemp -d)
trap 'HOME="$work" "$tools/tutor" stop >/dev/null 2>&1 || true; kill "${REAL_MODEL_PID:-}" 2>/dev/null || true; rm -rf "$work"' EXIT
start_real_model "$work"
export HOME="$work" TUTOR_LLM_BASE_URL="$REAL_MODEL_URL" TUTOR_LLM_MODEL=smollm2 TUTOR_LLM_MAX_OUTPUT_TOKENS=96
export PATH="$tools:$PATH"
tutor profile set --background programmer --hours 8 --available "mon-fri 19:00-21:00" --available "sat 09:00-12:00" >/dev/null
tutor goal add first-apps >/dev/null
messages=(
  "hi" "what should I study this week?" "how long until I can build RAG apps?" "what is an embedding?" "numbers that mean things"
  "ok" "log 45 minutes on python" "oops I meant 30 minutes" "why this order?" "done with task 1" "how am I doing?"
  "what is RAG?" "hint" "it looks things up and adds them to the prompt" "good" "I only have 6 hours a week" "what's next?"
  "quiz me" "skip" "thanks, bye"
)
if [ -n "${MESSAGES:-}" ]; then mapfile -t messages <"$MESSAGES"; fi
echo "| turn | message | prompt tokens | from cache | first token (s) | turn (s) |"
echo "|---|---|---|---|---|---|"
n=0
for message in "${messages[@]}"; do
  n=$((n + 1))
  tutor chat --json -m "$message" >"$work/turn.json" 2>/dev/null || true
  python3 - "$n" "$message" "$work/turn.json" "$transcript" <<'PY'
import json, sys
n, message, path, transcript = sys.argv[1], sys.argv[2], sys.argv[3], sys.argv[4]
result = {}
notices = []
for line in open(path):
    try:
        value = json.loads(line)
    except ValueError:
        continue
    if "reply" in value:
        result = value
    elif value.get("type") == "notice":
        notices.append(value.get("text", ""))
if transcript:
    with open(transcript, "a") as out:
        out.write(f"**{n}. Learner:** {message}\n\n")
        for notice in notices:
            out.write(f"> *notice:* {notice}\n\n")
        reply = result.get("reply", "(no reply)").strip().replace("\n", "\n> ")
        out.write(f"> {reply}\n\n")
def show(key, digits=None):
    value = result.get(key)
    if value is None:
        return "—"
    return f"{value:.2f}" if digits else str(value)
print(f"| {n} | {message} | {show('promptTokens')} | {show('cachedTokens')} | {show('firstTokenSeconds', 2)} | {show('elapsedSeconds', 2)} |")
PY
done
