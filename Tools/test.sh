#!/usr/bin/env bash
# Every test: the system libraries, a real local model for the tests that need one
# (Tools/install-real-model.sh), a real MCP client (Tools/install-mcp-client.sh), the standalone
# install (Tools/test-install.sh: a release build run with this clone and the toolchain hidden), a
# build that fails on any import not declared in Package.swift, then `swift test`.
set -euo pipefail
cd "$(dirname "$0")/.."
bash Tools/install-deps.sh
bash Tools/install-real-model.sh
bash Tools/install-mcp-client.sh
bash Tools/test-install.sh
swift build --build-tests --explicit-target-dependency-import-check error
# The real model first and alone: llama-server keeps a core busy for seconds, which would starve the
# timing-sensitive endpoint tests (stall and first-byte deadlines) running beside it.
swift test --skip-build --filter RealModelTests
# Then the endpoint client's tests, also on their own: they check deadlines of a fraction of a
# second (a stall, a first byte), and the test process starting hundreds of tests at once keeps
# Swift concurrency's two threads (on two cores) busy for seconds, so a 0.4 s timer could wake
# after 9 s (CI, stop 24). Docs/testing.md has the measurements.
swift test --skip-build --filter TutorLLMTests "$@"
swift test --skip-build --skip RealModelTests --skip TutorLLMTests "$@"
