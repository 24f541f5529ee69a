#!/usr/bin/env bash
# The eval suite against a real small model, beside the built-in offline model: SmolLM2-135M-Instruct
# through llama.cpp's llama-server (4,096-token window, answers bounded to 96 tokens), each in a
# throwaway HOME. Prints one Markdown table: each dimension's score for both, and the turn times.
#
#   bash Tools/eval-real-model.sh                         # every scenario in Tests/Fixtures/eval/scenarios
#   bash Tools/eval-real-model.sh FILE_OR_FOLDER...       # only these
#   JSON_OUT=folder bash Tools/eval-real-model.sh ...     # also keep both runs' `tutor eval --json` output
#
# Needs the real model (bash Tools/install-real-model.sh). The whole suite takes about half an hour
# on two cores; Docs/eval.md has the figures.
set -euo pipefail
cd "$(dirname "$0")/.."
source Tools/lib/real-model.sh
paths=("$@")
[ ${#paths[@]} -gt 0 ] || paths=(Tests/Fixtures/eval/scenarios)
swift build --product tutor --product tutord >/dev/null
tools="$PWD/.build/debug"
work=$(mktemp -d)
cleanup() {
  for home in "$work"/offline "$work"/smollm2; do [ -d "$home" ] && HOME="$home" XDG_RUNTIME_DIR="$home/run" "$tools/tutor" stop >/dev/null 2>&1 || true; done
  [ -n "${REAL_MODEL_PID:-}" ] && kill "$REAL_MODEL_PID" 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT
start_real_model "$work"
run() { # run NAME [ENV...]: the suite in its own HOME, its JSON in $work/NAME.json
  local name=$1
  shift
  mkdir -p "$work/$name"
  # A scenario that stopped with an error makes `tutor eval` exit 1; its JSON still has every score.
  env HOME="$work/$name" XDG_RUNTIME_DIR="$work/$name/run" "$@" "$tools/tutor" eval --json "${paths[@]}" >"$work/$name.json" || true
}
mkdir -p -m 700 "$work/offline/run" "$work/smollm2/run"
run offline
run smollm2 TUTOR_LLM_BASE_URL="$REAL_MODEL_URL" TUTOR_LLM_MODEL=smollm2 TUTOR_LLM_MAX_OUTPUT_TOKENS=96 TUTOR_LLM_RESPONSE_TIMEOUT=120
if [ -n "${JSON_OUT:-}" ]; then mkdir -p "$JSON_OUT" && cp "$work"/offline.json "$work"/smollm2.json "$JSON_OUT"/; fi
python3 - "$work/offline.json" "$work/smollm2.json" <<'PY'
import json, statistics, sys
runs = [json.load(open(path)) for path in sys.argv[1:]]
print(f"| dimension | offline model | SmolLM2-135M-Instruct (llama-server) |")
print("|---|---|---|")
def score(run, dimension):
    for s in run["scores"]:
        if s["dimension"] == dimension:
            return f"{s['passed']}/{s['total']}" if s["total"] else "—"
    return "—"
for s in runs[0]["scores"]:
    print(f"| {s['dimension']} | {score(runs[0], s['dimension'])} | {score(runs[1], s['dimension'])} |")
def times(run):
    seconds = sorted(t for sc in run["scenarios"] for t in (sc.get("turnSeconds") or []))
    if not seconds:
        return "—"
    p90 = seconds[min(len(seconds) - 1, int(len(seconds) * 0.9))]
    return f"{len(seconds)} turns: median {statistics.median(seconds):.2f} s, p90 {p90:.2f} s, total {sum(seconds):.0f} s"
print(f"| turn times | {times(runs[0])} | {times(runs[1])} |")
errors = [f"{sc['name']}: {sc['error']}" for run in runs for sc in run["scenarios"] if sc.get("error")]
passed = lambda run: sum(1 for sc in run["scenarios"] if sc["checks"] and all(c["passed"] for c in sc["checks"]))
print(f"| scenarios passing every check | {passed(runs[0])}/{len(runs[0]['scenarios'])} | {passed(runs[1])}/{len(runs[1]['scenarios'])} |")
for error in errors:
    print(f"\nscenario error: {error}")
failed = [(sc["name"], c["dimension"], c["detail"]) for sc in runs[1]["scenarios"] for c in sc["checks"] if not c["passed"]]
if failed:
    print("\nSmolLM2's failed checks:")
    for name, dimension, detail in failed:
        print(f"- {name} ({dimension}): {detail}")
PY
