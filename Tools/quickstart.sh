#!/usr/bin/env bash
# From a fresh clone to a `tutor chat` prompt: install system libraries, build a release,
# put `tutor` and `tutord` in ~/.local/bin, and start chatting (no LLM endpoint needed).
set -euo pipefail
cd "$(dirname "$0")/.."

bash Tools/install-deps.sh
echo "Building Tutor (release; the first build takes several minutes)..."
log="$(mktemp -t tutor-build.XXXXXX)"
if ! { swift build -c release --product tutord && swift build -c release --product tutor; } >"$log" 2>&1; then
    tail -n 40 "$log" >&2
    echo "The build failed; the full log is $log" >&2
    exit 1
fi
rm -f "$log"
bin="$(swift build -c release --show-bin-path 2>/dev/null)"
mkdir -p "$HOME/.local/bin"
install -m 0755 "$bin/tutord" "$bin/tutor" "$HOME/.local/bin/"
echo "Installed tutor and tutord in $HOME/.local/bin (add it to PATH if it is not there)."
exec "$HOME/.local/bin/tutor" chat "$@"
