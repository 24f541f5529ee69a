#!/usr/bin/env python3
"""Generate corpus/papers/attention-summary.pdf from attention-summary.source.txt.

Pure standard library. Writes a minimal, valid PDF 1.4 by hand:
catalog, page tree, one page object per page, a Helvetica Type1 font
(one of the standard 14 fonts, so nothing is embedded), one content stream
per page using BT/ET, Tf, TD and Tj operators, an info dictionary, and a
cross-reference table whose byte offsets are computed while writing.

The output is deterministic (no timestamps), so re-running this script
produces a byte-identical file.

Usage:
    python3 make_pdf.py            # writes corpus/papers/attention-summary.pdf
    python3 make_pdf.py --check    # also re-parses the xref table and verifies offsets
"""

from __future__ import annotations

import re
import sys
import textwrap
from pathlib import Path

HERE = Path(__file__).resolve().parent
SOURCE = HERE / "attention-summary.source.txt"
OUTPUT = HERE / "corpus" / "papers" / "attention-summary.pdf"

PAGE_W, PAGE_H = 612, 792          # US Letter, in points
MARGIN_X, TOP_Y, BOTTOM_Y = 72, 730, 72
BODY_SIZE, BODY_LEADING = 10, 14
TITLE_SIZE, HEADING_SIZE = 15, 12
WRAP_COLS = 88                     # about 468pt of Helvetica at 10pt


def pdf_escape(s: str) -> str:
    """Escape a string for a PDF literal string (...)."""
    s.encode("ascii")  # the source must be plain ASCII (WinAnsi-safe)
    return s.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")


def layout(text: str) -> list[list[tuple[int, int, str]]]:
    """Turn the source text into pages of (font_size, gap_before, line) tuples."""
    paragraphs = [p.strip() for p in text.split("\n\n") if p.strip()]
    items: list[tuple[int, int, str]] = []
    for i, para in enumerate(paragraphs):
        para = " ".join(para.split())
        if i == 0:
            items.append((TITLE_SIZE, 0, para))
        elif re.match(r"^\d+\. [A-Z]", para) and len(para) < 60:
            items.append((HEADING_SIZE, 10, para))
        else:
            for j, line in enumerate(textwrap.wrap(para, WRAP_COLS, break_long_words=False, break_on_hyphens=False)):
                items.append((BODY_SIZE, 6 if j == 0 else 0, line))

    pages: list[list[tuple[int, int, str]]] = [[]]
    y = TOP_Y
    for size, gap, line in items:
        step = gap + (BODY_LEADING if size == BODY_SIZE else size + 6)
        if y - step < BOTTOM_Y and pages[-1]:
            pages.append([])
            y = TOP_Y
            gap = 0
            step = BODY_LEADING if size == BODY_SIZE else size + 6
        pages[-1].append((size, step, line))
        y -= step
    return pages


def content_stream(lines: list[tuple[int, int, str]], page_no: int, page_count: int) -> bytes:
    out = ["BT", f"{MARGIN_X} {TOP_Y} Td"]
    current_size = None
    first = True
    for size, step, line in lines:
        if size != current_size:
            out.append(f"/F1 {size} Tf")
            current_size = size
        if not first:
            out.append(f"0 {-step} TD")
        first = False
        out.append(f"({pdf_escape(line)}) Tj")
    out.append("ET")
    # page footer
    out += ["BT", "/F1 8 Tf", f"{PAGE_W // 2 - 20} 40 Td", f"(Page {page_no} of {page_count}) Tj", "ET"]
    return ("\n".join(out) + "\n").encode("ascii")


def build_pdf(text: str) -> bytes:
    pages = layout(text)
    n = len(pages)
    # object numbers: 1 catalog, 2 pages, 3 font, 4 info, then (page, content) pairs
    objects: dict[int, bytes] = {}
    page_ids = [5 + 2 * i for i in range(n)]
    objects[1] = b"<< /Type /Catalog /Pages 2 0 R >>"
    kids = " ".join(f"{pid} 0 R" for pid in page_ids)
    objects[2] = f"<< /Type /Pages /Kids [{kids}] /Count {n} >>".encode()
    objects[3] = b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>"
    objects[4] = b"<< /Title (Paper Summary: Attention Is All You Need) /Author (Tutor fixture) /Producer (make_pdf.py) >>"
    for i, lines in enumerate(pages):
        pid, cid = page_ids[i], page_ids[i] + 1
        stream = content_stream(lines, i + 1, n)
        objects[pid] = (
            f"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 {PAGE_W} {PAGE_H}] "
            f"/Resources << /Font << /F1 3 0 R >> >> /Contents {cid} 0 R >>"
        ).encode()
        objects[cid] = b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"endstream"

    buf = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets: dict[int, int] = {}
    for num in sorted(objects):
        offsets[num] = len(buf)
        buf += b"%d 0 obj\n" % num + objects[num] + b"\nendobj\n"
    xref_pos = len(buf)
    size = max(objects) + 1
    buf += b"xref\n0 %d\n" % size
    buf += b"0000000000 65535 f \n"
    for num in range(1, size):
        buf += b"%010d 00000 n \n" % offsets[num]
    buf += b"trailer\n<< /Size %d /Root 1 0 R /Info 4 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (size, xref_pos)
    return bytes(buf)


def check_xref(data: bytes) -> None:
    """Verify startxref points at the xref table and every entry points at 'N 0 obj'."""
    startxref = int(re.search(rb"startxref\s+(\d+)\s+%%EOF\s*$", data).group(1))
    assert data[startxref:startxref + 4] == b"xref", "startxref does not point at xref"
    m = re.match(rb"xref\s+0 (\d+)\s+", data[startxref:])
    count = int(m.group(1))
    entries = data[startxref + m.end():].split(b"\n")[:count]
    for num, entry in enumerate(entries):
        assert len(entry) == 19, f"xref entry {num} must be 20 bytes including EOL"
        off, _gen, kind = entry.split()
        if kind == b"n":
            assert data[int(off):].startswith(b"%d 0 obj" % num), f"bad offset for object {num}"
    for m in re.finditer(rb"/Length (\d+) >>\nstream\n", data):
        end = m.end() + int(m.group(1))
        assert data[end:end + 9] == b"endstream", "stream /Length is wrong"
    print(f"xref ok: {count - 1} objects, all offsets and stream lengths verified")


def main() -> int:
    data = build_pdf(SOURCE.read_text(encoding="ascii"))
    OUTPUT.parent.mkdir(parents=True, exist_ok=True)
    OUTPUT.write_bytes(data)
    print(f"wrote {OUTPUT.relative_to(HERE)} ({len(data)} bytes)")
    if "--check" in sys.argv:
        check_xref(data)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
