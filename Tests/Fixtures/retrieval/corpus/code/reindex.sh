#!/usr/bin/env bash
# reindex.sh - rebuild the notes search index from scratch.
#
# Usage: ./reindex.sh [NOTES_DIR] [DB_PATH]
# Deletes the old SQLite database, re-runs chunking and embedding, and prints
# how many chunks were indexed. Useful after changing the embedding model,
# because vectors from two different models cannot be mixed in one index.

set -euo pipefail

NOTES_DIR="${1:-$HOME/notes}"
DB_PATH="${2:-$HOME/.cache/tutor/index.sqlite}"
PYTHON="${PYTHON:-python3}"

log() {
    printf '[reindex %s] %s\n' "$(date +%H:%M:%S)" "$*" >&2
}

if [[ ! -d "$NOTES_DIR" ]]; then
    log "notes folder not found: $NOTES_DIR"
    exit 1
fi

mkdir -p "$(dirname "$DB_PATH")"

# Back up the previous index so a failed run does not leave us with nothing.
if [[ -f "$DB_PATH" ]]; then
    cp "$DB_PATH" "$DB_PATH.bak"
    rm -f "$DB_PATH" "$DB_PATH-wal" "$DB_PATH-shm"
    log "old index moved to $DB_PATH.bak"
fi

count_files() {
    # Count markdown and text files, skipping hidden folders like .git
    find "$NOTES_DIR" -path '*/.*' -prune -o -type f \( -name '*.md' -o -name '*.txt' \) -print | wc -l
}

log "indexing $(count_files) files from $NOTES_DIR"

if ! "$PYTHON" -m tutor_index build --notes "$NOTES_DIR" --db "$DB_PATH"; then
    log "indexing failed, restoring backup"
    [[ -f "$DB_PATH.bak" ]] && mv "$DB_PATH.bak" "$DB_PATH"
    exit 1
fi

chunks=$(sqlite3 "$DB_PATH" 'SELECT COUNT(*) FROM chunks;')
log "done: $chunks chunks indexed into $DB_PATH"
