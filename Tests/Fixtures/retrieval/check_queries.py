#!/usr/bin/env python3
"""Validate queries.json against the fixture corpus.

Checks, for every query:
  * ids are unique and look like q01, q02, ...
  * kind is one of lexical / paraphrase / code / pdf / html / topic
  * 1 to 3 relevant passages, each with a path that exists under corpus/
  * every "contains" phrase is 4-12 words, has no markdown markup, and occurs
    verbatim (case-insensitive, whitespace-normalised) within ONE line of the
    file; for the PDF the line is taken from attention-summary.source.txt
  * HTML phrases also occur in the visible text (script/style/comments removed)
  * relevant paths are not ignored by corpus/.tutorignore and are not binary
Also, when pdftotext is installed, every PDF phrase must occur in the
whitespace-normalised text that pdftotext extracts from the PDF.

Exit code 0 when everything passes; prints one line per problem otherwise.
Usage: python3 check_queries.py
"""

from __future__ import annotations

import html
import json
import re
import shutil
import subprocess
import sys
from collections import Counter
from pathlib import Path

HERE = Path(__file__).resolve().parent
CORPUS = HERE / "corpus"
PDF_PATH = "papers/attention-summary.pdf"
PDF_SOURCE = HERE / "attention-summary.source.txt"
KINDS = {"lexical", "paraphrase", "code", "pdf", "html", "topic"}
MARKUP = re.compile(r"`|\*\*|__|\]\(|^#|^\s*[-*+] |<[a-zA-Z/!]")
IGNORE_PATTERNS = ["drafts/", "*.tmp"]


def norm(s: str) -> str:
    return " ".join(s.split()).casefold()


def visible_html_text(raw: str) -> str:
    raw = re.sub(r"(?is)<!--.*?-->", " ", raw)
    raw = re.sub(r"(?is)<(script|style)\b.*?</\1\s*>", " ", raw)
    raw = re.sub(r"(?s)<[^>]+>", " ", raw)
    return html.unescape(raw)


def ignored(rel: str) -> bool:
    for pat in IGNORE_PATTERNS:
        if pat.endswith("/") and (rel.startswith(pat) or f"/{pat}" in rel):
            return True
        if pat.startswith("*.") and rel.endswith(pat[1:]):
            return True
    return False


def main() -> int:
    problems: list[str] = []
    queries = json.loads((HERE / "queries.json").read_text(encoding="utf-8"))
    if not isinstance(queries, list):
        print("queries.json must be a JSON array")
        return 1

    ids = Counter(q.get("id") for q in queries)
    for qid, n in ids.items():
        if n > 1:
            problems.append(f"duplicate id {qid} ({n} times)")

    pdf_text = None
    if shutil.which("pdftotext"):
        out = subprocess.run(["pdftotext", str(CORPUS / PDF_PATH), "-"], capture_output=True, text=True, check=True)
        pdf_text = norm(out.stdout)

    line_cache: dict[str, list[str]] = {}
    for q in queries:
        qid = q.get("id", "?")
        if not re.fullmatch(r"q\d{2,3}", str(qid)):
            problems.append(f"{qid}: id should look like q01")
        if q.get("kind") not in KINDS:
            problems.append(f"{qid}: unknown kind {q.get('kind')!r}")
        if not str(q.get("query", "")).strip():
            problems.append(f"{qid}: empty query")
        rel = q.get("relevant") or []
        if not 1 <= len(rel) <= 3:
            problems.append(f"{qid}: needs 1-3 relevant passages, has {len(rel)}")
        for r in rel:
            path, phrase = r.get("path", ""), r.get("contains", "")
            where = f"{qid} {path}"
            file = CORPUS / path
            if not file.is_file():
                problems.append(f"{where}: file does not exist")
                continue
            if ignored(path):
                problems.append(f"{where}: path is excluded by .tutorignore")
            words = phrase.split()
            if not 4 <= len(words) <= 12:
                problems.append(f"{where}: phrase has {len(words)} words (want 4-12): {phrase!r}")
            if MARKUP.search(phrase) or "\n" in phrase:
                problems.append(f"{where}: phrase contains markup or a line break: {phrase!r}")
            if path == PDF_PATH:
                src = PDF_SOURCE
            else:
                src = file
                if b"\x00" in file.read_bytes()[:8192]:
                    problems.append(f"{where}: relevant file is binary")
                    continue
            key = str(src)
            if key not in line_cache:
                line_cache[key] = [norm(l) for l in src.read_text(encoding="utf-8").splitlines()]
            needle = norm(phrase)
            hits = sum(1 for l in line_cache[key] if needle in l)
            if hits == 0:
                problems.append(f"{where}: phrase not found on any single line of {src.name}: {phrase!r}")
            if path.endswith((".html", ".htm")) and needle not in norm(visible_html_text(file.read_text(encoding="utf-8"))):
                problems.append(f"{where}: phrase is not in the visible HTML text: {phrase!r}")
            if path == PDF_PATH and pdf_text is not None and needle not in pdf_text:
                problems.append(f"{where}: phrase not in pdftotext output: {phrase!r}")

    # Sentinels: ignored files must carry the marker word; indexable files and HTML visible text must not.
    marker = "zanzibarquokka"
    for f in sorted(CORPUS.rglob("*")):
        if not f.is_file() or f.suffix in {".png", ".pdf"}:
            continue
        rel = f.relative_to(CORPUS).as_posix()
        has = marker in f.read_text(encoding="utf-8", errors="replace").casefold()
        if ignored(rel) and not has:
            problems.append(f"ignored file {rel} should contain the marker {marker!r}")
        if not ignored(rel) and has:
            problems.append(f"indexable file {rel} must not contain the marker {marker!r}")
    raw_html = (CORPUS / "articles/reranking-guide.html").read_text(encoding="utf-8")
    visible = norm(visible_html_text(raw_html))
    for hidden in ("xylophonewidget", "mauvepanel", "hiddencommentword"):
        if hidden not in raw_html.casefold() or hidden in visible:
            problems.append(f"HTML sentinel {hidden!r} must be in the raw file but not in the visible text")

    kinds = Counter(q.get("kind") for q in queries)
    summary = ", ".join(f"{k}={kinds[k]}" for k in sorted(kinds))
    pdf_note = "checked against pdftotext" if pdf_text is not None else "pdftotext not installed, PDF checked against source text only"
    if problems:
        print("\n".join(problems))
        print(f"FAILED: {len(problems)} problem(s) in {len(queries)} queries")
        return 1
    print(f"OK: {len(queries)} queries ({summary}); {sum(len(q['relevant']) for q in queries)} relevant passages; PDF {pdf_note}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
