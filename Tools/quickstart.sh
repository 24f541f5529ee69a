#!/usr/bin/env bash
# From a fresh clone to a `tutor chat` prompt: install system libraries, build a release,
# put `tutor` and `tutord` in ~/.local/bin, and start chatting (no LLM endpoint needed).
set -euo pipefail
cd "$(dirname "$0")/.."

bash Tools/install-deps.sh
echo "Building Tutor (release; the first build takes a few minutes)..."
swift build -c release --product tutord >/dev/null
swift build -c release --product tutor >/dev/null
bin="$(swift build -c release --show-bin-path)"
mkdir -p "$HOME/.local/bin"
install -m 0755 "$bin/tutord" "$bin/tutor" "$HOME/.local/bin/"
echo "Installed tutor and tutord in $HOME/.local/bin (add it to PATH if it is not there)."
exec "$HOME/.local/bin/tutor" chat "$@"
