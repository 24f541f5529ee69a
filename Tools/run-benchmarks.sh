#!/usr/bin/env bash
# Runs every benchmark of the project from a release build and prints one Markdown table, with the
# date and the machine, ready for Docs/benchmarks.md. Takes about 10 minutes on 2 cores.
set -euo pipefail
cd "$(dirname "$0")/.."
# The same build as the one users install (Tools/quickstart.sh): Swift runtime linked statically.
build=(swift build -c release --static-swift-stdlib)
"${build[@]}" --product tutord >&2
"${build[@]}" --product tutor-fake-llm >&2
"${build[@]}" --product tutor-bench >&2
echo "Run on $(date -u +%Y-%m-%d) — $(nproc) cores, $(awk '/MemTotal/ {printf "%.0f GiB", $2/1048576}' /proc/meminfo), $(swift --version 2>/dev/null | head -1), $(uname -sr)."
echo
"$("${build[@]}" --show-bin-path)/tutor-bench" all
