#!/usr/bin/env bash
# Every test: the system libraries, the standalone install (Tools/test-install.sh: a release build
# run with this clone and the toolchain hidden), then `swift test`.
set -euo pipefail
cd "$(dirname "$0")/.."
bash Tools/install-deps.sh
bash Tools/test-install.sh
swift test "$@"
