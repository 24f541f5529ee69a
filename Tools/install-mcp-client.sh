#!/usr/bin/env bash
# Installs a real MCP client nobody here wrote, for the tests of `tutor mcp` (MCPTests): the
# official Python SDK from PyPI, `mcp` 1.22.0, whose newest protocol revision (2025-06-18) is one
# the Swift SDK (modelcontextprotocol/swift-sdk 0.12.1) speaks. Into a virtualenv at
# $TUTOR_MCP_VENV (default ~/.cache/tutor-mcp-venv). Prints one line saying what it did; exits 0
# even when PyPI cannot be reached, so the tests that need the client say why they were skipped.
set -uo pipefail
venv="${TUTOR_MCP_VENV:-$HOME/.cache/tutor-mcp-venv}"
package="mcp==1.22.0"
marker="$venv/.installed-$package"

if [ -f "$marker" ]; then
    echo "MCP client: already installed in $venv"
    exit 0
fi
if ! command -v python3 >/dev/null 2>&1; then
    echo "MCP client: not installed (no python3); the MCP client tests will be skipped" >&2
    exit 0
fi
if ! python3 -m venv "$venv" >/dev/null 2>&1; then
    echo "MCP client: not installed (python3 -m venv failed; install python3-venv); the MCP client tests will be skipped" >&2
    exit 0
fi
if ! "$venv/bin/pip" install --quiet "$package" >"$venv/pip.log" 2>&1; then
    echo "MCP client: not installed (pip failed, see $venv/pip.log); the MCP client tests will be skipped" >&2
    exit 0
fi
touch "$marker"
echo "MCP client: installed $package in $venv"
