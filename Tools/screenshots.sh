#!/usr/bin/env bash
# Generates the README's pictures from a made-up learner with a year of history (YearOfHistory):
#   Docs/images/report.png   the HTML report at 1,440 px (light), top of the page
#   Docs/images/roadmap.png  `tutor roadmap --stage first-apps --color` as a terminal shows it
#   Docs/images/roadmap.txt  the same, as plain text
# Needs Debian's chromium (Tools/install-deps.sh). Uses the debug build unless CONFIG=release (or BIN=folder).
set -euo pipefail
cd "$(dirname "$0")/.."
# BIN=folder uses binaries already built there instead of building.
config="${CONFIG:-debug}"
bin="${BIN:-}"
if [ -z "$bin" ]; then
    for product in tutor-bench tutor tutord; do swift build -c "$config" --product "$product" >/dev/null; done
    bin="$(swift build -c "$config" --show-bin-path)"
fi
chromium="$(command -v chromium || true)"
[ -n "$chromium" ] || { echo "chromium is not installed: run bash Tools/install-deps.sh" >&2; exit 1; }

work="$(mktemp -d /tmp/tutor-shots-XXXXXX)"
trap 'TUTOR_SOCKET="$work/tutord.sock" TUTOR_DATA_DIR="$work/data" "$bin/tutor" stop >/dev/null 2>&1 || true; rm -rf "$work"' EXIT
mkdir -p "$work/data" Docs/images
chmod 700 "$work/data"
"$bin/tutor-bench" report --keep "$work/data" --runs 1

flags=(--headless --no-sandbox --disable-gpu --no-first-run --hide-scrollbars --user-data-dir="$work/profile")
"$chromium" "${flags[@]}" --window-size=1440,1500 --screenshot="$work/report.png" "file://$work/data/report.html" 2>/dev/null

# The roadmap in a terminal: the CLI against a daemon on the seeded store, its colours drawn as HTML.
export TUTOR_DATA_DIR="$work/data" TUTOR_SOCKET="$work/tutord.sock" TUTOR_CONFIG="$work/config.yaml"
: > "$TUTOR_CONFIG"
chmod 600 "$TUTOR_CONFIG"
"$bin/tutor" roadmap --stage first-apps --color > "$work/roadmap.ansi"
NO_COLOR=1 "$bin/tutor" roadmap --stage first-apps > Docs/images/roadmap.txt
python3 - "$work/roadmap.ansi" "$work/roadmap.html" <<'PY'
import html, re, sys
colours = {"1": "font-weight:bold", "2": "color:#8b949e", "31": "color:#ff7b72", "32": "color:#3fb950", "33": "color:#d29922", "34": "color:#58a6ff"}
text = open(sys.argv[1], encoding="utf-8").read()
out, open_spans = [], 0
for part in re.split(r"(\x1b\[[0-9;]*m)", text):
    m = re.fullmatch(r"\x1b\[([0-9;]*)m", part)
    if not m:
        out.append(html.escape(part))
    elif m.group(1) in ("0", ""):
        out.append("</span>" * open_spans); open_spans = 0
    else:
        out.append('<span style="%s">' % ";".join(colours.get(c, "") for c in m.group(1).split(";"))); open_spans += 1
page = ('<!DOCTYPE html><html><head><meta charset="utf-8"><style>body{margin:0;background:#0d1117;color:#e6edf3}'
        'pre{margin:0;padding:14px 18px;font:13px/1.35 "DejaVu Sans Mono",monospace}</style></head><body><pre>$ tutor roadmap --stage first-apps\n'
        + "".join(out) + "</pre></body></html>")
open(sys.argv[2], "w", encoding="utf-8").write(page)
PY
lines=$(wc -l < Docs/images/roadmap.txt)
"$chromium" "${flags[@]}" --window-size=1100,$((lines * 18 + 50)) --screenshot="$work/roadmap.png" "file://$work/roadmap.html" 2>/dev/null

# Smaller files: 256 colours when Pillow is there (the pictures are flat colour), else as Chromium wrote them.
for name in report roadmap; do
    python3 - "$work/$name.png" "Docs/images/$name.png" 2>/dev/null <<'PY' || cp "$work/$name.png" "Docs/images/$name.png"
import sys
from PIL import Image
Image.open(sys.argv[1]).convert("RGB").quantize(256).save(sys.argv[2], optimize=True)
PY
done
ls -l Docs/images
