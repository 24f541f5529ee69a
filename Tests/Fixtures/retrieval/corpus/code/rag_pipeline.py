"""A small retrieval-augmented generation pipeline over a folder of notes.

This is my learning implementation: no framework, just the moving parts
so I can see what each step does. Pipeline:

    load_documents -> chunk_text -> embed_batch -> build_index
    query -> search (bm25 + vectors, fused with RRF) -> answer

Run:  python rag_pipeline.py ~/notes "how does LoRA work?"
"""

from __future__ import annotations

import math
import re
import sqlite3
import sys
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

SUPPORTED_SUFFIXES = {".md", ".txt", ".py", ".swift", ".sh"}
CHUNK_TOKENS = 400
CHUNK_OVERLAP = 50
RRF_K = 60


@dataclass
class Document:
    path: str
    text: str


@dataclass
class Chunk:
    doc_path: str
    ordinal: int
    text: str
    heading: str = ""
    vector: np.ndarray | None = field(default=None, repr=False)


def load_documents(root: str | Path) -> list[Document]:
    """Walk the notes folder and read every supported text file.

    Hidden directories (like .git) are skipped. Files that fail to decode
    as UTF-8 are treated as binary and ignored instead of crashing.
    """
    root = Path(root)
    docs: list[Document] = []
    for path in sorted(root.rglob("*")):
        if any(part.startswith(".") for part in path.relative_to(root).parts):
            continue
        if not path.is_file() or path.suffix not in SUPPORTED_SUFFIXES:
            continue
        try:
            text = path.read_text(encoding="utf-8")
        except UnicodeDecodeError:
            continue  # binary file with a text-looking suffix
        docs.append(Document(path=str(path.relative_to(root)), text=text))
    return docs


def _approx_tokens(text: str) -> list[str]:
    # Whitespace tokens are a rough stand-in for model tokens (about 0.75 words per token).
    return text.split()


def chunk_text(doc: Document, max_tokens: int = CHUNK_TOKENS, overlap: int = CHUNK_OVERLAP) -> list[Chunk]:
    """Split a document into chunks, respecting markdown headings first.

    Each section under a heading becomes one chunk if it fits; long sections are
    split into windows of max_tokens with the given overlap. The heading is kept
    with every chunk so the retriever knows what the section is about.
    """
    sections: list[tuple[str, str]] = []
    heading = ""
    buf: list[str] = []
    in_fence = False
    for line in doc.text.splitlines():
        if line.startswith("```"):
            in_fence = not in_fence
        if not in_fence and re.match(r"^#{1,6} ", line):
            if buf:
                sections.append((heading, "\n".join(buf)))
            heading, buf = line.lstrip("# ").strip(), []
        else:
            buf.append(line)
    if buf:
        sections.append((heading, "\n".join(buf)))

    chunks: list[Chunk] = []
    for heading, body in sections:
        words = _approx_tokens(body)
        if not words:
            continue
        step = max(max_tokens - overlap, 1)
        for start in range(0, len(words), step):
            window = words[start:start + max_tokens]
            chunks.append(Chunk(doc.path, len(chunks), " ".join(window), heading))
            if start + max_tokens >= len(words):
                break
    return chunks


def embed_batch(texts: list[str], model, batch_size: int = 64) -> np.ndarray:
    """Embed texts in batches and return L2-normalised float32 vectors.

    Normalising here means search can use a plain dot product as cosine
    similarity. Empty strings are replaced by a single space so the model
    does not choke, but callers should filter them out beforehand.
    """
    vectors = []
    for i in range(0, len(texts), batch_size):
        batch = [t if t.strip() else " " for t in texts[i:i + batch_size]]
        vectors.append(np.asarray(model.encode(batch), dtype=np.float32))
    matrix = np.vstack(vectors) if vectors else np.zeros((0, 1), dtype=np.float32)
    norms = np.linalg.norm(matrix, axis=1, keepdims=True)
    return matrix / np.clip(norms, 1e-12, None)


def build_index(chunks: list[Chunk], model, db_path: str = ":memory:") -> sqlite3.Connection:
    """Store chunk text in an FTS5 table and attach embedding vectors to the chunks."""
    conn = sqlite3.connect(db_path)
    conn.execute("CREATE VIRTUAL TABLE IF NOT EXISTS chunks_fts USING fts5(text, heading, idx UNINDEXED, tokenize='porter unicode61')")
    conn.executemany(
        "INSERT INTO chunks_fts(text, heading, idx) VALUES (?, ?, ?)",
        [(c.text, c.heading, i) for i, c in enumerate(chunks)],
    )
    conn.commit()
    vectors = embed_batch([f"{c.heading}\n{c.text}" for c in chunks], model)
    for chunk, vec in zip(chunks, vectors):
        chunk.vector = vec
    return conn


def _fts_query(user_query: str) -> str:
    """Turn free text into a safe FTS5 MATCH expression: quoted terms joined by OR."""
    terms = re.findall(r"\w+", user_query.lower())
    return " OR ".join(f'"{t}"' for t in terms) or '""'


def bm25_search(conn: sqlite3.Connection, query: str, k: int = 50) -> list[int]:
    rows = conn.execute(
        "SELECT idx FROM chunks_fts WHERE chunks_fts MATCH ? ORDER BY bm25(chunks_fts) LIMIT ?",
        (_fts_query(query), k),
    ).fetchall()
    return [int(r[0]) for r in rows]


def vector_search(chunks: list[Chunk], query_vec: np.ndarray, k: int = 50) -> list[int]:
    matrix = np.vstack([c.vector for c in chunks])
    scores = matrix @ query_vec
    return [int(i) for i in np.argsort(-scores)[:k]]


def reciprocal_rank_fusion(rankings: list[list[int]], k: int = RRF_K) -> list[int]:
    """Merge several ranked lists of chunk indices with RRF: score = sum 1 / (k + rank)."""
    scores: dict[int, float] = {}
    for ranking in rankings:
        for rank, idx in enumerate(ranking, start=1):
            scores[idx] = scores.get(idx, 0.0) + 1.0 / (k + rank)
    return sorted(scores, key=lambda i: scores[i], reverse=True)


def search(query: str, conn: sqlite3.Connection, chunks: list[Chunk], model, top_k: int = 5) -> list[Chunk]:
    """Hybrid search: run BM25 and vector search, fuse with RRF, return the top chunks."""
    query_vec = embed_batch([query], model)[0]
    lexical = bm25_search(conn, query)
    semantic = vector_search(chunks, query_vec)
    fused = reciprocal_rank_fusion([lexical, semantic])
    return [chunks[i] for i in fused[:top_k]]


PROMPT = """Answer the question using only the notes below. Cite the file path of each
note you use in square brackets. If the notes do not contain the answer, say so.

{context}

Question: {question}
Answer:"""


def answer(question: str, hits: list[Chunk], llm) -> str:
    """Build a grounded prompt from the retrieved chunks and ask the LLM.

    Chunks are wrapped in <note> tags so the model treats them as data, which
    is a (partial) defence against prompt injection hidden in a note.
    """
    context = "\n\n".join(
        f'<note path="{c.doc_path}" heading="{c.heading}">\n{c.text}\n</note>' for c in hits
    )
    return llm(PROMPT.format(context=context, question=question))


def recall_at_k(ranked_paths: list[str], relevant: set[str], k: int = 5) -> float:
    """Fraction of relevant paths that appear in the first k results."""
    if not relevant:
        return 0.0
    return len(set(ranked_paths[:k]) & relevant) / len(relevant)


def ndcg_at_k(ranked_paths: list[str], relevant: set[str], k: int = 10) -> float:
    dcg = sum(1.0 / math.log2(i + 2) for i, p in enumerate(ranked_paths[:k]) if p in relevant)
    ideal = sum(1.0 / math.log2(i + 2) for i in range(min(len(relevant), k)))
    return dcg / ideal if ideal else 0.0


def main(argv: list[str]) -> int:
    if len(argv) < 3:
        print("usage: rag_pipeline.py NOTES_DIR QUESTION", file=sys.stderr)
        return 2
    from sentence_transformers import SentenceTransformer  # heavy import, keep it local

    model = SentenceTransformer("all-MiniLM-L6-v2")
    docs = load_documents(argv[1])
    chunks = [c for d in docs for c in chunk_text(d)]
    conn = build_index(chunks, model)
    hits = search(argv[2], conn, chunks, model)
    for rank, c in enumerate(hits, start=1):
        print(f"{rank}. {c.doc_path} :: {c.heading}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv))
