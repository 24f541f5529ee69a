#!/usr/bin/env bash
# Installs the system libraries Tutor builds against (Debian/Ubuntu): libedit for the chat prompt's
# line editing and history, SQLite's headers for GRDB, poppler-utils for PDF text, python3-doc (HTML pages to ingest in a test), util-linux for
# setpriv (used by a test), systemd for systemd-analyze (the service tests verify the unit file),
# chromium (headless, for the progress report's tests).
# Uses apt-get as root, or through sudo; does nothing when everything is already there.
set -euo pipefail

missing=()
pkg-config --exists libedit 2>/dev/null || missing+=(libedit-dev)
[ -f /usr/include/sqlite3.h ] || missing+=(libsqlite3-dev)
command -v pkg-config >/dev/null 2>&1 || missing+=(pkg-config)
# pdftotext lets `tutor ingest` read PDFs; the retrieval tests ingest one.
command -v pdftotext >/dev/null 2>&1 || missing+=(poppler-utils)
# Python's HTML documentation: real Sphinx pages the retrieval tests ingest (PythonDocsTests).
[ -f /usr/share/doc/python3/html/library/asyncio-task.html ] || missing+=(python3-doc)
# libcurl: the MCP SDK links FoundationNetworking, which the static Swift runtime links with -lcurl.
pkg-config --exists libcurl 2>/dev/null || missing+=(libcurl4-openssl-dev)
# systemd-analyze checks the user unit `tutor service install` writes; it needs no running systemd.
command -v systemd-analyze >/dev/null 2>&1 || missing+=(systemd)
# Headless Chromium renders the HTML progress report in its tests (ReportTests) and Tools/screenshots.sh.
[ -x /usr/bin/chromium ] || missing+=(chromium)

if [ ${#missing[@]} -eq 0 ]; then
    exit 0
fi

echo "Installing: ${missing[*]}"
if [ "$(id -u)" -eq 0 ]; then
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
elif command -v sudo >/dev/null 2>&1; then
    sudo apt-get update -qq
    sudo DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
else
    echo "Tutor needs these packages: ${missing[*]}. Install them as root (apt-get install ${missing[*]}) and run this again." >&2
    exit 1
fi
